"""The catalog in the Django admin: procedures and versions read-only, bundles audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import AuditEvent
from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import Procedure, ProcedureBundle, ProcedureVersion

from .catalog_support import BIRTH, RESIDENCE, load_sample, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample() -> None:
    load_sample()


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("procedure", "?q=dang+ky+thuong+tru"),
        ("procedure", "?is_listed__exact=1&needs_review__exact=0"),
        ("procedure", "?field=H%E1%BB%99+t%E1%BB%8Bch"),
        ("procedureversion", "?status__exact=published&q=1.004222"),
        ("procedurebundle", "?q=KS"),
    ],
)
def test_change_lists_answer(admin_client: Any, sample: None, model: str, query: str) -> None:
    response = admin_client.get(reverse(f"admin:catalog_{model}_changelist") + query)

    assert response.status_code == 200


def test_search_without_diacritics_finds_the_procedure(admin_client: Any, sample: None) -> None:
    response = admin_client.get(
        reverse("admin:catalog_procedure_changelist") + "?q=dang+ky+thuong+tru"
    )

    assert [p.code for p in response.context["cl"].result_list] == [RESIDENCE]


def test_a_procedure_is_read_only_with_its_versions_inline(
    admin_client: Any, sample: None
) -> None:
    procedure = Procedure.objects.get(code=RESIDENCE)
    url = reverse("admin:catalog_procedure_change", args=[procedure.pk])

    page = admin_client.get(url)
    posted = admin_client.post(url, {"name": "Sửa trong admin"})

    content = page.content.decode()
    assert page.status_code == 200
    assert "Mở trong khu vực cán bộ" in content
    assert 'name="name"' not in content
    assert posted.status_code == 403
    assert Procedure.objects.get(pk=procedure.pk).name == "Đăng ký thường trú"
    assert admin_client.get(reverse("admin:catalog_procedure_add")).status_code == 403


def test_versions_are_for_superusers_to_look_at_only(client: Client, sample: None) -> None:
    version = ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=1)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_procedureversion", "change_procedureversion"]
        )
    )
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])

    signed_in(client, staff)
    assert client.get(url).status_code == 403
    signed_in(client, UserFactory(superuser=True))
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "x"}).status_code == 403
    assert client.get(reverse("admin:catalog_procedureversion_add")).status_code == 403
    delete = reverse("admin:catalog_procedureversion_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_bundle_is_edited_here_and_audited(admin_client: Any, sample: None) -> None:
    birth = Procedure.objects.get(code=BIRTH)
    residence = Procedure.objects.get(code=RESIDENCE)

    response = admin_client.post(
        reverse("admin:catalog_procedurebundle_add"),
        {
            "code": "KS-TT",
            "name": "Khai sinh và đăng ký thường trú",
            "description": "",
            "is_active": "on",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-position": "1",
            "items-0-procedure": str(birth.pk),
            "items-1-position": "2",
            "items-1-procedure": str(residence.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    bundle = ProcedureBundle.objects.get(code="KS-TT")
    assert list(bundle.items.values_list("procedure__code", flat=True)) == [BIRTH, RESIDENCE]
    event = AuditEvent.objects.get(action="catalog.bundle_create")
    assert event.data["procedures"] == [BIRTH, RESIDENCE]
    changelist = admin_client.get(reverse("admin:catalog_procedurebundle_changelist"))
    assert "Khai sinh và đăng ký thường trú" in changelist.content.decode()


def test_the_procedure_autocomplete_serves_the_bundle_inline(
    admin_client: Any, sample: None
) -> None:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "khai sinh",
            "app_label": "catalog",
            "model_name": "bundleitem",
            "field_name": "procedure",
        },
    )

    assert response.status_code == 200
    assert BIRTH in response.content.decode()
