"""Editing with versioning: «Sửa» prepares a draft; the version in force stays in force."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import AuditEvent
from motcua.catalog.constants import Channel, FeeKind, TimeUnit, VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import period_label, version_period

from .catalog_support import (
    RESIDENCE,
    administrator,
    formset_data,
    in_force,
    load_sample,
    signed_in,
)

pytestmark = pytest.mark.django_db

BASE = f"/can-bo/thu-tuc/{RESIDENCE}"
DRAFT = f"{BASE}/phien-ban/2"


@pytest.fixture
def staff(client: Client) -> Client:
    load_sample()
    return signed_in(client, administrator())


@pytest.fixture
def draft(staff: Client) -> ProcedureVersion:
    response = staff.post(f"{BASE}/soan-thao/")
    assert response.status_code == 302
    assert response["Location"] == f"{DRAFT}/sua/"
    return ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=2)


def general_data(version: ProcedureVersion, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": version.name,
        "field": version.field,
        "levels": ", ".join(version.levels),
        "procedure_type": version.procedure_type,
        "decision_number": version.decision_number,
        "decision_date": "",
        "applicants": version.applicants,
        "competent_authority": version.competent_authority,
        "implementing_agency": version.implementing_agency,
        "authorized_agency": version.authorized_agency,
        "coordinating_agency": version.coordinating_agency,
        "submission_address": version.submission_address,
        "related_procedures": version.related_procedures,
        "steps_text": version.steps_text,
        "conditions": version.conditions,
        "online_level": version.online_level,
        "care_letter": version.care_letter,
        "change_note": version.change_note,
    }
    if version.result_document_required:
        data["result_document_required"] = "on"
    if version.is_inter_agency:
        data["is_inter_agency"] = "on"
    data.update(changes)
    return data


def methods_data(**channels: dict[str, Any]) -> dict[str, Any]:
    """Methods page data: ``in_person={"time_value": ..., "fees": [...]}``; others unticked."""
    data: dict[str, Any] = {}
    for channel in Channel.values:
        spec = channels.get(channel)
        fees = (spec or {}).get("fees", [])
        data.update(formset_data(f"fee-{channel}", fees))
        if spec is None:
            continue
        data[f"m-{channel}-enabled"] = "on"
        for name in ("time_value", "time_unit", "time_text", "description"):
            if name in spec:
                data[f"m-{channel}-{name}"] = spec[name]
    return data


def test_sua_prepares_a_draft_while_the_published_version_stays_in_force(
    staff: Client, draft: ProcedureVersion
) -> None:
    current = in_force(RESIDENCE)
    assert current is not None and current.number == 1

    response = staff.post(
        f"{DRAFT}/sua/",
        general_data(draft, name="Đăng ký thường trú (sửa đổi)", change_note="Sửa tên"),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Đăng ký thường trú (sửa đổi)"
    assert draft.status == VersionStatus.DRAFT
    assert in_force(RESIDENCE) == current
    assert Procedure.objects.get(code=RESIDENCE).name == "Đăng ký thường trú"
    assert AuditEvent.objects.filter(action="catalog.version_update").count() == 1
    page = staff.get(f"{BASE}/").content.decode()
    assert "Bản nháp phiên bản 2" in page
    assert "Phiên bản đang có hiệu lực" in page


def test_sua_again_reopens_the_same_draft(staff: Client, draft: ProcedureVersion) -> None:
    response = staff.post(f"{BASE}/soan-thao/")

    assert response["Location"] == f"{DRAFT}/sua/"
    assert ProcedureVersion.objects.filter(procedure__code=RESIDENCE).count() == 2


def test_saving_unchanged_general_information_says_so(
    staff: Client, draft: ProcedureVersion
) -> None:
    response = staff.post(f"{DRAFT}/sua/", general_data(draft), follow=True)

    assert "Không có thay đổi nào để lưu." in response.content.decode()
    assert not AuditEvent.objects.filter(action="catalog.version_update").exists()


def test_a_blank_name_is_refused_on_the_field(staff: Client, draft: ProcedureVersion) -> None:
    response = staff.post(f"{DRAFT}/sua/", general_data(draft, name="   "))

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_methods_are_saved_with_fees_typed_the_vietnamese_way(
    staff: Client, draft: ProcedureVersion
) -> None:
    data = methods_data(
        in_person={
            "time_value": "5",
            "time_unit": TimeUnit.WORKING_DAYS,
            "time_text": "05 ngày làm việc",
            "fees": [
                {"kind": FeeKind.CHARGE, "amount": "25.000 đồng", "description": "Lệ phí"},
                {"kind": FeeKind.UNKNOWN},  # a blank row is ignored
            ],
        },
        online={"time_value": "4,5", "time_unit": TimeUnit.WORKING_DAYS, "fees": []},
    )

    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", data)

    assert response.status_code == 302, response.context and response.context["sections"]
    methods = {method.channel: method for method in draft.methods.all()}
    assert set(methods) == {Channel.IN_PERSON, Channel.ONLINE}
    assert [(fee.kind, fee.amount) for fee in methods[Channel.IN_PERSON].fees.all()] == [
        (FeeKind.CHARGE, 25000)
    ]
    assert methods[Channel.ONLINE].time_value == Decimal("4.5")
    assert period_label(version_period(version=draft)) == "5 ngày làm việc"
    # The version in force keeps its 7 days.
    current = in_force(RESIDENCE)
    assert current is not None
    assert period_label(version_period(version=current)) == "7 ngày làm việc"


def test_the_methods_page_shows_the_current_values(staff: Client, draft: ProcedureVersion) -> None:
    content = staff.get(f"{DRAFT}/hinh-thuc-nop/").content.decode()

    assert 'value="20.000"' in content
    assert 'name="m-in_person-enabled"' in content


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5000", "Mức thu không được âm."),
        ("mười nghìn", "Mức thu là số nguyên tính bằng đồng"),
        ("12,5", "Mức thu là số nguyên tính bằng đồng"),
        ("1" * 30, "Mức thu quá lớn."),
    ],
)
def test_a_bad_fee_amount_is_refused_in_vietnamese(
    staff: Client, draft: ProcedureVersion, amount: str, message: str
) -> None:
    data = methods_data(
        in_person={
            "time_value": "7",
            "time_unit": TimeUnit.WORKING_DAYS,
            "fees": [{"kind": FeeKind.FEE, "amount": amount}],
        }
    )

    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.methods.get(channel=Channel.IN_PERSON).fees.get().amount == 20000


def test_a_free_fee_with_an_amount_is_refused(staff: Client, draft: ProcedureVersion) -> None:
    data = methods_data(
        in_person={
            "time_value": "7",
            "time_unit": TimeUnit.WORKING_DAYS,
            "fees": [{"kind": FeeKind.FEE, "amount": "10000", "free": True}],
        }
    )

    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", data)

    assert "Đã đánh dấu miễn phí thì để trống mức thu hoặc ghi 0." in response.content.decode()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"time_value": "7"}, "Chọn đơn vị của thời hạn."),
        ({"time_unit": TimeUnit.WORKING_DAYS}, "Nhập số của thời hạn"),
        ({"time_value": "-1", "time_unit": TimeUnit.WORKING_DAYS}, "Không được nhỏ hơn 0"),
        ({"time_value": "0", "time_unit": TimeUnit.WORKING_DAYS}, "Thời hạn phải lớn hơn 0"),
        ({"time_value": "bảy", "time_unit": TimeUnit.WORKING_DAYS}, "Nhập một số"),
    ],
)
def test_a_bad_time_limit_is_refused(
    staff: Client, draft: ProcedureVersion, spec: dict[str, str], message: str
) -> None:
    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", methods_data(in_person=spec))

    assert response.status_code == 200
    assert message in response.content.decode()


def test_at_least_one_method_is_needed(staff: Client, draft: ProcedureVersion) -> None:
    before = draft.methods.count()

    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", methods_data())

    assert "Chọn ít nhất một hình thức nộp hồ sơ." in response.content.decode()
    assert draft.methods.count() == before > 0


def test_a_same_day_method_needs_no_number(staff: Client, draft: ProcedureVersion) -> None:
    data = methods_data(in_person={"time_value": "", "time_unit": TimeUnit.SAME_DAY})

    assert staff.post(f"{DRAFT}/hinh-thuc-nop/", data).status_code == 302
    assert period_label(version_period(version=draft)) == "Trong ngày"


def test_adding_a_fee_row_without_javascript_keeps_what_was_typed(
    staff: Client, draft: ProcedureVersion
) -> None:
    data = methods_data(
        in_person={
            "time_value": "6",
            "time_unit": TimeUnit.WORKING_DAYS,
            "fees": [{"kind": FeeKind.FEE, "amount": "15000"}],
        }
    )
    data["op"] = "add:fee-in_person"

    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", data)

    assert response.status_code == 200
    fees = response.context["sections"][0].fees
    assert len(fees.forms) == 2
    content = response.content.decode()
    assert 'value="15.000"' in content or 'value="15000"' in content
    assert 'name="m-in_person-time_value" value="6"' in content
    assert draft.methods.get(channel=Channel.IN_PERSON).time_value == 7  # nothing saved


# --- documents --------------------------------------------------------------------------


def documents_rows(*names: str) -> list[dict[str, Any]]:
    return [{"name": name, "originals": 1, "required": True} for name in names]


def test_documents_are_saved_in_order_and_blank_rows_are_ignored(
    staff: Client, draft: ProcedureVersion
) -> None:
    current = in_force(RESIDENCE)
    assert current is not None
    published = list(current.documents.values_list("name", flat=True))
    rows = [*documents_rows("Tờ khai thay đổi thông tin cư trú"), {"required": True}]
    rows += [
        {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "copies": 1, "reusable_from_data": True}
    ]

    response = staff.post(f"{DRAFT}/thanh-phan-ho-so/", formset_data("docs", rows))

    assert response.status_code == 302
    documents = list(draft.documents.all())
    assert [document.name for document in documents] == [
        "Tờ khai thay đổi thông tin cư trú",
        "Giấy tờ chứng minh chỗ ở hợp pháp",
    ]
    assert documents[1].reusable_from_data
    assert not documents[1].required
    assert list(current.documents.values_list("name", flat=True)) == published


def test_moving_a_document_up_without_javascript_saves_nothing(
    staff: Client, draft: ProcedureVersion
) -> None:
    before = list(draft.documents.values_list("name", flat=True))
    data = formset_data("docs", documents_rows("Thứ nhất", "Thứ hai"), op="up:docs:1")

    response = staff.post(f"{DRAFT}/thanh-phan-ho-so/", data)

    assert response.status_code == 200
    names = [form.initial["name"] for form in response.context["formset"].forms]
    assert names == ["Thứ hai", "Thứ nhất"]
    assert list(draft.documents.values_list("name", flat=True)) == before


def test_removing_a_document_row_with_htmx_returns_only_the_editor(
    staff: Client, draft: ProcedureVersion
) -> None:
    data = formset_data("docs", documents_rows("Một", "Hai", "Ba"), op="remove:docs:1")

    response = staff.post(f"{DRAFT}/thanh-phan-ho-so/", data, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div class="rows" id="documents-editor">')
    assert "Hai" not in content and "Ba" in content
    assert response["Vary"].count("HX-Request") == 1


def test_a_document_without_a_name_is_refused(staff: Client, draft: ProcedureVersion) -> None:
    data = formset_data("docs", [{"case": "Trường hợp có nhà riêng", "originals": 1}])

    response = staff.post(f"{DRAFT}/thanh-phan-ho-so/", data)

    assert response.status_code == 200
    assert "Thành phần hồ sơ cần có tên." in response.content.decode()


def test_a_published_version_is_not_editable_and_the_officer_is_told_why(
    staff: Client, draft: ProcedureVersion
) -> None:
    response = staff.get(f"{BASE}/phien-ban/1/sua/", follow=True)

    assert response.redirect_chain[-1][0] == f"{BASE}/"
    assert "không còn là bản nháp" in response.content.decode()


def test_an_htmx_fee_row_operation_returns_only_that_channel(
    staff: Client, draft: ProcedureVersion
) -> None:
    data = methods_data(in_person={"time_value": "7", "time_unit": TimeUnit.WORKING_DAYS})
    data["op"] = "add:fee-online"

    response = staff.post(f"{DRAFT}/hinh-thuc-nop/", data, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.lstrip().startswith('<div class="rows" id="fees-online">')
    assert 'name="fee-online-TOTAL_FORMS" value="1"' in content
    assert "autofocus" in content
