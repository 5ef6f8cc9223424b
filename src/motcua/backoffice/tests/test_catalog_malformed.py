"""Malformed requests get a clear answer, never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import ProcedureVersion

from .catalog_support import RESIDENCE, administrator, formset_data, load_sample, signed_in

pytestmark = pytest.mark.django_db

BASE = f"/can-bo/thu-tuc/{RESIDENCE}"
DRAFT = f"{BASE}/phien-ban/2"


@pytest.fixture
def staff(client: Client) -> Client:
    load_sample()
    signed_in(client, administrator())
    client.post(f"{BASE}/soan-thao/")
    return client


def steps_before() -> list[str]:
    version = ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=2)
    return list(version.process_steps.values_list("name", flat=True))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"steps-0-name": "Không có số dòng", "steps-0-share_value": "7"},
        {"steps-TOTAL_FORMS": "abc", "steps-INITIAL_FORMS": "x"},
        {"steps-TOTAL_FORMS": "-3", "steps-INITIAL_FORMS": "0"},
        {"steps-TOTAL_FORMS": "100000", "steps-INITIAL_FORMS": "0"},
        formset_data("steps", [{"name": "A", "share_value": "1e400", "share_unit": "days"}]),
        formset_data("steps", [{"name": "A", "share_value": "NaN", "share_unit": "working_days"}]),
        formset_data("steps", [{"name": "x" * 5000, "share_value": "7"}]),
        formset_data("steps", [{"name": "A", "share_value": "7", "responsible_role": "king"}]),
        formset_data("steps", [{"name": "A\x00", "share_value": "7"}]),
        formset_data("steps", [{"name": "A", "share_value": "7"}], op="up:steps:999"),
        formset_data("steps", [{"name": "A", "share_value": "7"}], op="explode"),
        formset_data("steps", [{"name": "A", "share_value": "7"}], op="remove:other:0"),
        {"op": "add:steps", "steps-TOTAL_FORMS": "zzz"},
    ],
)
def test_the_process_editor_survives_garbage(staff: Client, data: dict[str, Any]) -> None:
    before = steps_before()

    response = staff.post(f"{DRAFT}/quy-trinh/", data)

    assert response.status_code == 200
    assert steps_before() == before


def test_missing_management_data_is_explained_in_vietnamese(staff: Client) -> None:
    response = staff.post(f"{DRAFT}/quy-trinh/", {"steps-0-name": "A"})

    assert "thiếu thông tin số dòng" in response.content.decode()


def test_too_many_rows_are_refused_not_cut(staff: Client) -> None:
    rows = [{"name": f"Bước {n}", "share_value": "0,5"} for n in range(61)]

    response = staff.post(f"{DRAFT}/quy-trinh/", formset_data("steps", rows))

    assert response.status_code == 200
    assert "Tối đa 60 dòng." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"m-in_person-enabled": "on", "m-in_person-time_value": "1e999999"},
        {"m-in_person-enabled": "on", "m-in_person-time_value": "7", "m-in_person-time_unit": "x"},
        {
            "m-in_person-enabled": "on",
            "m-in_person-time_value": "7",
            "m-in_person-time_unit": "working_days",
            "fee-in_person-TOTAL_FORMS": "1",
            "fee-in_person-INITIAL_FORMS": "0",
            "fee-in_person-0-amount": "-0",
            "fee-in_person-0-kind": "bribe",
        },
        {
            "m-in_person-enabled": "on",
            "m-in_person-time_value": "7",
            "m-in_person-time_unit": "working_days",
            "fee-in_person-TOTAL_FORMS": "1",
            "fee-in_person-INITIAL_FORMS": "0",
            "fee-in_person-0-amount": "١٢٣",  # Arabic-Indic digits are not amounts
            "fee-in_person-0-kind": "fee",
        },
        {"op": "add:fee-in_person"},
    ],
)
def test_the_methods_page_survives_garbage(staff: Client, data: dict[str, Any]) -> None:
    assert staff.post(f"{DRAFT}/hinh-thuc-nop/", data).status_code == 200


@pytest.mark.parametrize(
    "row",
    [
        {"name": "Tờ khai", "originals": "-1"},
        {"name": "Tờ khai", "copies": "hai"},
        {"name": "Tờ khai", "certified_copies": "100000"},
        {"name": "", "template": "Mẫu CT01"},
    ],
)
def test_the_documents_page_refuses_bad_counts(staff: Client, row: dict[str, str]) -> None:
    response = staff.post(f"{DRAFT}/thanh-phan-ho-so/", formset_data("docs", [row]))

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize(
    "value", ["", "không phải ngày", "2026-02-30", "31/02/2026", "99999-01-01"]
)
def test_bad_dates_are_refused_on_the_field(staff: Client, value: str) -> None:
    publish = staff.post(f"{DRAFT}/cong-bo/", {"effective_from": value})
    withdraw = staff.post(
        f"{BASE}/phien-ban/1/ngung-cong-khai/", {"withdrawn_on": value, "reason": "Lý do"}
    )

    for response in (publish, withdraw):
        assert response.status_code == 200
        assert "Vui lòng chọn ngày." in response.content.decode() or (
            "Ngày không hợp lệ" in response.content.decode()
        )


@pytest.mark.parametrize("units", [["abc"], ["999999"], ["1", "1"], ["-1"]])
def test_the_units_page_refuses_unknown_units(staff: Client, units: list[str]) -> None:
    response = staff.post(f"{BASE}/don-vi/", {"units": units, "shown": units})

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "url",
    [
        "/can-bo/thu-tuc/9.999999/",
        "/can-bo/thu-tuc/khong-co/",
        f"{BASE}/phien-ban/99/",
        f"{BASE}/phien-ban/99/sua/",
        f"{BASE}/phien-ban/0/quy-trinh/",
    ],
)
def test_unknown_procedures_and_versions_are_not_found(staff: Client, url: str) -> None:
    assert staff.get(url).status_code == 404


def test_get_on_a_post_only_action_is_refused(staff: Client) -> None:
    assert staff.get(f"{BASE}/soan-thao/").status_code == 405


def test_a_general_form_with_junk_answers(staff: Client) -> None:
    response = staff.post(
        f"{DRAFT}/sua/",
        {"name": "A", "online_level": "level-9", "care_letter": "?", "decision_date": "hôm qua"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"online_level", "decision_date"}


def test_an_unknown_operation_shows_the_form_again_and_saves_nothing(staff: Client) -> None:
    before = steps_before()
    rows = [{"name": "Một bước đủ bảy ngày", "share_value": "7", "share_unit": "working_days"}]

    response = staff.post(f"{DRAFT}/quy-trinh/", formset_data("steps", rows, op="explode"))

    assert response.status_code == 200
    assert steps_before() == before
