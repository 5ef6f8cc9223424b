"""The Vietnamese admin: lists work, saves go through services, the audit log is read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.accounts.constants import UnitKind
from motcua.accounts.models import AuditEvent, Officer, Unit, User
from motcua.accounts.tests.factories import (
    CitizenFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("unit", "?q=Thử&kind__exact=commune&hieu_luc=yes"),
        ("unit", "?hieu_luc=ended"),
        ("unitsuccession", "?kind__exact=full"),
        ("user", "?q=nguoidung&kind__exact=officer"),
        ("officer", "?roles__role__exact=head&don_vi_hieu_luc=yes"),
        ("citizen", "?q=0000"),
        ("auditevent", "?action=unit.create"),
    ],
)
def test_change_lists_answer(admin_client: Any, model: str, query: str) -> None:
    OfficerFactory(head=True)
    CitizenFactory()
    UnitFactory(expired=True)

    response = admin_client.get(reverse(f"admin:accounts_{model}_changelist") + query)

    assert response.status_code == 200


def test_adding_a_unit_in_the_admin_builds_its_path_and_audits(admin_client: Any) -> None:
    parent = UnitFactory(province=True)

    response = admin_client.post(
        reverse("admin:accounts_unit_add"),
        {
            "code": "99001",
            "name": "Phường Mới",
            "kind": UnitKind.COMMUNE,
            "parent": parent.pk,
            "working_sessions": '[["7:30", "11:30"]]',
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="99001")
    assert unit.path == f"{parent.path}{unit.pk}/"
    assert unit.working_sessions == [["07:30", "11:30"]]
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert event.actor.username == "admin"


def test_the_admin_refuses_overlapping_sessions_with_the_service_message(
    admin_client: Any,
) -> None:
    unit = UnitFactory()

    response = admin_client.post(
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "working_sessions": '[["08:00", "12:00"], ["11:00", "17:00"]]',
        },
    )

    assert response.status_code == 200
    assert "không chồng nhau" in response.content.decode()
    unit.refresh_from_db()
    assert unit.working_sessions is None


def test_units_cannot_be_deleted_in_the_admin(admin_client: Any) -> None:
    unit = UnitFactory()

    response = admin_client.post(reverse("admin:accounts_unit_delete", args=[unit.pk]))

    assert response.status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_adding_a_user_hashes_the_password_with_the_first_hasher(
    admin_client: Any, settings: Any
) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "canbo.moi",
            "full_name": "Đỗ Thị Mới",
            "kind": "officer",
            "usable_password": "true",
            "password1": "mot-mat-khau-rat-dai",
            "password2": "mot-mat-khau-rat-dai",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="canbo.moi")
    assert user.full_name == "Đỗ Thị Mới"
    assert user.check_password("mot-mat-khau-rat-dai")
    algorithm = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    assert user.password.startswith(
        {"Argon2PasswordHasher": "argon2", "MD5PasswordHasher": "md5"}[algorithm]
    )
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_roles_edited_inline_are_audited(admin_client: Any) -> None:
    officer = OfficerFactory(specialist=True)
    role = officer.roles.get()
    url = reverse("admin:accounts_officer_change", args=[officer.pk])

    response = admin_client.post(
        url,
        {
            "user": officer.user_id,
            "unit": officer.unit_id,
            "category": officer.category,
            "position": "Trưởng phòng",
            "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "1",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-id": role.pk,
            "roles-0-officer": officer.pk,
            "roles-0-role": "specialist",
            "roles-1-officer": officer.pk,
            "roles-1-role": "head",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Officer.objects.get(pk=officer.pk).roles.values_list("role", flat=True)) == {
        "specialist",
        "head",
    }
    event = AuditEvent.objects.get(action="officer.roles_update")
    assert event.data["after"] == ["head", "specialist"]
    assert AuditEvent.objects.filter(action="officer.update").exists()


def test_the_audit_log_is_read_only(admin_client: Any) -> None:
    unit = UnitFactory()
    event = AuditEvent.objects.create(action="test", object_type="x", object_id="1", unit=unit)
    change_url = reverse("admin:accounts_auditevent_change", args=[event.pk])

    assert admin_client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert admin_client.get(change_url).status_code == 200  # view only
    assert admin_client.post(change_url, {"action": "changed"}).status_code == 403
    delete_url = reverse("admin:accounts_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "test"
