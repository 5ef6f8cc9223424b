"""Who may read and who may change the catalog; units only within the administrator's scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.models import Unit
from motcua.accounts.tests.factories import (
    CitizenFactory,
    OfficerFactory,
    UnitFactory,
    UserFactory,
)
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import procedure_version_prepare

from .catalog_support import RESIDENCE, administrator, load_sample, signed_in

pytestmark = pytest.mark.django_db

BASE = f"/can-bo/thu-tuc/{RESIDENCE}"
READ_URLS = [
    "/can-bo/thu-tuc/",
    "/can-bo/thu-tuc/can-ra-soat/",
    f"{BASE}/",
    f"{BASE}/phien-ban/1/",
]
MANAGE_GET_URLS = [
    "/can-bo/thu-tuc/them-moi/",
    f"{BASE}/don-vi/",
    f"{BASE}/phien-ban/1/ngung-cong-khai/",
    f"{BASE}/phien-ban/1/da-ra-soat/",
    f"{BASE}/phien-ban/2/sua/",
    f"{BASE}/phien-ban/2/hinh-thuc-nop/",
    f"{BASE}/phien-ban/2/thanh-phan-ho-so/",
    f"{BASE}/phien-ban/2/quy-trinh/",
    f"{BASE}/phien-ban/2/cong-bo/",
    f"{BASE}/phien-ban/2/huy/",
]
MANAGE_POST_URLS = [
    f"{BASE}/soan-thao/",
    *MANAGE_GET_URLS,
]


@pytest.fixture
def catalog() -> None:
    load_sample()
    # A draft exists, so that the draft URLs resolve for everybody.
    procedure_version_prepare(procedure=Procedure.objects.get(code=RESIDENCE), actor=None)


@pytest.mark.parametrize(
    "role",
    [
        Role.COUNTER_OFFICER,
        Role.SPECIALIST,
        Role.HEAD,
        Role.LEADER,
        Role.INSPECTOR,
        Role.EVALUATOR,
    ],
)
def test_every_officer_role_reads_but_only_administrators_change(
    client: Client, catalog: None, role: Role
) -> None:
    signed_in(client, OfficerFactory(roles=[role]))

    for url in READ_URLS:
        assert client.get(url).status_code == 200, url
    for url in MANAGE_GET_URLS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Bạn không có quyền xem trang này" in response.content.decode()
    for url in MANAGE_POST_URLS:
        assert client.post(url, {"name": "x", "effective_from": "2030-01-01"}).status_code == 403
    assert ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=2).is_draft


def test_the_change_buttons_are_hidden_from_readers(client: Client, catalog: None) -> None:
    signed_in(client, OfficerFactory(specialist=True))

    listing = client.get("/can-bo/thu-tuc/").content.decode()
    detail = client.get(f"{BASE}/").content.decode()
    queue = client.get("/can-bo/thu-tuc/can-ra-soat/").content.decode()

    assert "Thêm thủ tục" not in listing
    assert "soan-thao" not in detail
    assert "Tiếp tục sửa bản nháp" not in detail
    assert "ngung-cong-khai" not in detail
    assert "don-vi/" not in detail
    assert "da-ra-soat" not in queue


def test_administrators_see_the_change_buttons(client: Client, catalog: None) -> None:
    signed_in(client, administrator())

    assert "Thêm thủ tục" in client.get("/can-bo/thu-tuc/").content.decode()
    detail = client.get(f"{BASE}/").content.decode()
    assert "Tiếp tục sửa bản nháp phiên bản 2" in detail
    assert "ngung-cong-khai" in detail


def test_a_superuser_may_change(client: Client, catalog: None) -> None:
    signed_in(client, UserFactory(superuser=True))

    assert client.get(f"{BASE}/phien-ban/2/quy-trinh/").status_code == 200


def test_an_officer_without_roles_is_refused(client: Client, catalog: None) -> None:
    signed_in(client, OfficerFactory())

    assert client.get("/can-bo/thu-tuc/").status_code == 403


@pytest.mark.parametrize("url", [*READ_URLS, *MANAGE_GET_URLS])
def test_anonymous_visitors_go_to_the_staff_login(client: Client, catalog: None, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/can-bo/dang-nhap/?next=")


def test_citizens_are_sent_to_the_portal(client: Client, catalog: None) -> None:
    signed_in(client, CitizenFactory().user)

    for url in [*READ_URLS, *MANAGE_GET_URLS]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/"
    assert client.post(f"{BASE}/soan-thao/").status_code == 302
    assert not ProcedureVersion.objects.filter(procedure__code=RESIDENCE, number=3).exists()


def test_the_navigation_now_shows_the_catalog(client: Client, catalog: None) -> None:
    signed_in(client, OfficerFactory(counter=True))

    assert 'href="/can-bo/thu-tuc/"' in client.get("/can-bo/").content.decode()


# --- units within scope --------------------------------------------------------------


@pytest.fixture
def provinces() -> dict[str, Any]:
    load_sample()
    province_a = UnitFactory(province=True, name="Tỉnh An Bình")
    province_b = UnitFactory(province=True, name="Tỉnh Bắc Lâm")
    return {
        "a": province_a,
        "a1": UnitFactory(parent=province_a, name="Phường Đông A"),
        "b": province_b,
        "b1": UnitFactory(parent=province_b, name="Xã Tây B"),
        "admin_a": administrator(unit=province_a),
        "admin_b": administrator(unit=province_b),
    }


def units_of(code: str) -> set[str]:
    return set(Procedure.objects.get(code=code).units.values_list("name", flat=True))


def post_units(client: Client, *, units: list[Unit], shown: list[Unit]) -> Any:
    return client.post(
        f"{BASE}/don-vi/",
        {"units": [unit.pk for unit in units], "shown": [unit.pk for unit in shown]},
    )


def test_an_administrator_chooses_among_the_units_of_their_province(
    client: Client, provinces: dict[str, Any]
) -> None:
    signed_in(client, provinces["admin_a"])

    page = client.get(f"{BASE}/don-vi/")
    response = post_units(client, units=[provinces["a1"]], shown=[provinces["a"], provinces["a1"]])

    names = [unit.name for unit in page.context["shown"]]
    assert "Phường Đông A" in names
    assert "Xã Tây B" not in names
    assert response.status_code == 302
    assert units_of(RESIDENCE) == {"Phường Đông A"}


def test_another_province_keeps_its_units_and_cannot_touch_them(
    client: Client, provinces: dict[str, Any]
) -> None:
    signed_in(client, provinces["admin_a"])
    post_units(client, units=[provinces["a1"]], shown=[provinces["a1"]])
    signed_in(client, provinces["admin_b"])

    page = client.get(f"{BASE}/don-vi/")
    added = post_units(client, units=[provinces["b1"]], shown=[provinces["b"], provinces["b1"]])
    stolen = post_units(client, units=[provinces["a1"], provinces["b1"]], shown=[provinces["b1"]])
    removed = post_units(client, units=[], shown=[provinces["a1"], provinces["b1"]])

    assert "Phường Đông A" not in [unit.name for unit in page.context["shown"]]
    assert "Phường Đông A" in page.content.decode()  # listed as kept, outside the scope
    assert added.status_code == 302
    for refused in (stolen, removed):
        assert refused.status_code == 200
        assert "không thuộc phạm vi bạn quản lý" in refused.content.decode()
    assert units_of(RESIDENCE) == {"Phường Đông A", "Xã Tây B"}
