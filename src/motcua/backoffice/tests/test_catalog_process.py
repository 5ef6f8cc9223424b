"""The internal-process editor: shares against the legal time, the step that is off, row moves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.constants import ShareUnit
from motcua.catalog.models import ProcedureVersion

from .catalog_support import RESIDENCE, administrator, formset_data, load_sample, signed_in

pytestmark = pytest.mark.django_db

BASE = f"/can-bo/thu-tuc/{RESIDENCE}"
PROCESS = f"{BASE}/phien-ban/2/quy-trinh/"
DAYS, HOURS = ShareUnit.WORKING_DAYS, ShareUnit.WORKING_HOURS


@pytest.fixture
def staff(client: Client) -> Client:
    load_sample()
    signed_in(client, administrator())
    client.post(f"{BASE}/soan-thao/")
    return client


@pytest.fixture
def draft(staff: Client) -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=2)


def step(name: str, share: str, unit: str = DAYS, **extra: Any) -> dict[str, Any]:
    return {"name": name, "share_value": share, "share_unit": unit, **extra}


def shares(version: ProcedureVersion) -> list[tuple[str, Decimal]]:
    return [(s.name, s.share_value) for s in version.process_steps.all()]


def test_the_editor_shows_the_steps_and_a_total_that_adds_up(staff: Client) -> None:
    response = staff.get(PROCESS)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Đã phân bổ đủ 7 ngày làm việc." in content
    assert "Cộng dồn đến bước này: 6,5 ngày làm việc" in content
    assert 'value="5,5"' in content


def test_shares_that_go_over_are_refused_and_the_step_is_named_next_to_it(
    staff: Client, draft: ProcedureVersion
) -> None:
    before = shares(draft)
    data = formset_data(
        "steps",
        [step("Tiếp nhận", "0,5"), step("Thẩm định", "7"), step("Trả kết quả", "1")],
    )

    response = staff.post(PROCESS, data)

    assert response.status_code == 200
    content = response.content.decode()
    message = "Bước 2 «Thẩm định» làm vượt thời hạn"
    assert message in content
    row = response.context["editor"].rows[1]
    assert message in str(row.form.non_field_errors())
    assert f'id="{row.error_id}"' in content
    assert f'aria-describedby="{row.error_id}"' in content
    assert 'href="#steps-1"' in content
    assert "vượt thời hạn 7 ngày làm việc là 1,5 ngày làm việc" in content
    assert shares(draft) == before


def test_shares_that_leave_time_name_the_last_step(staff: Client, draft: ProcedureVersion) -> None:
    data = formset_data("steps", [step("Tiếp nhận", "0,5"), step("Xử lý", "4", HOURS)])

    response = staff.post(PROCESS, data)

    content = response.content.decode()
    assert "còn thiếu" in content
    assert "«Xử lý»" in str(response.context["editor"].rows[1].form.non_field_errors())


def test_a_process_that_adds_up_is_saved_in_order(staff: Client, draft: ProcedureVersion) -> None:
    data = formset_data(
        "steps",
        [
            step("Tiếp nhận", "4", HOURS, responsible_role="counter_officer"),
            step("Xác minh tại Công an", "2", runs_in_other_agency=True, agency_name="Công an xã"),
            step("Thẩm định", "4"),
            {"share_unit": DAYS},  # blank row, ignored
            step("Ký duyệt", "0,5", is_signing=True),
        ],
    )

    response = staff.post(PROCESS, data)

    assert response.status_code == 302
    assert shares(draft) == [
        ("Tiếp nhận", Decimal(4)),
        ("Xác minh tại Công an", Decimal(2)),
        ("Thẩm định", Decimal(4)),
        ("Ký duyệt", Decimal("0.5")),
    ]
    steps = list(draft.process_steps.all())
    assert steps[0].share_unit == HOURS
    assert steps[1].agency_name == "Công an xã"
    assert steps[3].is_signing


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (step("Tiếp nhận", "0,3"), "bội số của 0,5"),
        (step("Tiếp nhận", "0"), "bội số của 0,5"),
        (step("Tiếp nhận", "-1"), "bội số của 0,5"),
        (step("Tiếp nhận", "một"), "Nhập một số"),
        (step("", "1"), "Nhập tên bước."),
        (step("Liên thông", "1", runs_in_other_agency=True), "cần ghi tên cơ quan phối hợp"),
    ],
)
def test_a_bad_step_is_refused_on_its_field(
    staff: Client, row: dict[str, Any], message: str
) -> None:
    response = staff.post(PROCESS, formset_data("steps", [row]))

    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_default_process_fills_the_editor_without_saving(
    staff: Client, draft: ProcedureVersion
) -> None:
    before = shares(draft)
    data = formset_data("steps", [step("Một bước", "7")], op="default")

    response = staff.post(PROCESS, data)

    assert response.status_code == 200
    names = [form.initial["name"] for form in response.context["formset"].forms]
    assert names == [
        "Tiếp nhận, kiểm tra và chuyển hồ sơ",
        "Thẩm định, xử lý hồ sơ",
        "Lãnh đạo xem xét, ký duyệt",
        "Vào sổ, trả kết quả",
    ]
    assert "Đã điền quy trình mặc định" in response.content.decode()
    assert shares(draft) == before


def test_rows_are_added_removed_and_moved_without_javascript(staff: Client) -> None:
    rows = [step("A", "1"), step("B", "2"), step("C", "4")]

    added = staff.post(PROCESS, formset_data("steps", rows, op="add:steps"))
    moved = staff.post(PROCESS, formset_data("steps", rows, op="down:steps:0"))
    removed = staff.post(PROCESS, formset_data("steps", rows, op="remove:steps:1"))

    def names(response: Any) -> list[str]:
        return [form.initial.get("name", "") for form in response.context["formset"].forms]

    assert names(added) == ["A", "B", "C", ""]
    assert names(moved) == ["B", "A", "C"]
    assert names(removed) == ["A", "C"]
    # Focus follows the row: the new row's name, the moved row's button.
    assert "autofocus" in str(added.context["formset"].forms[3]["name"])
    assert moved.context["formset"].forms[1].focus_verb == "down"
    assert 'name="steps-TOTAL_FORMS" value="4"' in added.content.decode()


def test_an_htmx_row_operation_returns_only_the_editor(staff: Client) -> None:
    rows = [step("A", "1"), step("B", "2")]

    response = staff.post(
        PROCESS, formset_data("steps", rows, op="up:steps:1"), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div class="rows" id="process-editor">')
    assert "<html" not in content
    assert content.index('value="B"') < content.index('value="A"')


def test_the_running_total_is_recalculated_as_shares_change(staff: Client) -> None:
    rows = [step("A", "1"), step("B", "2,5"), step("C", "4", HOURS)]

    response = staff.post(
        PROCESS, formset_data("steps", rows, op="recalc"), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert 'id="process-total"' in content
    assert (
        "Đã phân bổ 4 ngày làm việc trên thời hạn 7 ngày làm việc: còn thiếu 3 ngày làm việc."
        in content
    )
