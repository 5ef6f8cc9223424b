"""How the procedure page lays out the catalog's text: steps, document groups, counts."""

from __future__ import annotations

from decimal import Decimal

from motcua.catalog.constants import ShareUnit
from motcua.catalog.models import ProcessStep, RequiredDocument
from motcua.portal.display import Step, document_copies, group_documents, split_steps, step_share


def test_steps_are_split_at_each_numbered_step() -> None:
    text = (
        "Bước 1: Chuẩn bị hồ sơ.\n Bước 2. Nộp hồ sơ\ntại Công an cấp xã. bước 3 : Nhận kết quả."
    )

    assert split_steps(text) == [
        Step(1, "Chuẩn bị hồ sơ."),
        Step(2, "Nộp hồ sơ\ntại Công an cấp xã."),
        Step(3, "Nhận kết quả."),
    ]


def test_text_before_the_first_step_and_unnumbered_text_are_kept() -> None:
    assert split_steps("a) Nộp hồ sơ.\nb) Nhận kết quả.") == [
        Step(None, "a) Nộp hồ sơ."),
        Step(None, "b) Nhận kết quả."),
    ]
    assert split_steps("Trình tự như sau: Bước 1: Nộp.") == [
        Step(None, "Trình tự như sau:"),
        Step(1, "Nộp."),
    ]
    assert split_steps("   ") == []


def test_a_step_number_needs_its_colon_or_full_stop() -> None:
    assert split_steps("Xem quy định Bước 1x") == [Step(None, "Xem quy định Bước 1x")]


def test_documents_are_grouped_by_case_in_order_of_first_appearance() -> None:
    documents = [
        RequiredDocument(case="Trường hợp B", name="b1"),
        RequiredDocument(case="", name="chung"),
        RequiredDocument(case="Trường hợp B ", name="b2"),
        RequiredDocument(case="Trường hợp A", name="a1"),
    ]

    groups = group_documents(documents)

    assert [(group.case, [d.name for d in group.documents]) for group in groups] == [
        ("Trường hợp B", ["b1", "b2"]),
        ("", ["chung"]),
        ("Trường hợp A", ["a1"]),
    ]


def test_copies_say_only_the_counts_given() -> None:
    assert document_copies(RequiredDocument(originals=1, copies=2)) == "1 bản chính, 2 bản sao"
    assert document_copies(RequiredDocument(certified_copies=1)) == "1 bản sao có chứng thực"
    assert document_copies(RequiredDocument()) == ""


def test_step_shares_in_vietnamese_numbers() -> None:
    assert step_share(ProcessStep(share_value=Decimal("0.50"))) == "0,5 ngày làm việc"
    assert (
        step_share(ProcessStep(share_value=Decimal("4"), share_unit=ShareUnit.WORKING_HOURS))
        == "4 giờ làm việc"
    )
