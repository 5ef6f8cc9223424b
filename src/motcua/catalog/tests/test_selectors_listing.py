"""Reads for the public listing: versions in force in bulk, fees in words, levels, units."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.accounts.tests.factories import UnitFactory
from motcua.catalog.constants import FeeKind
from motcua.catalog.models import Procedure, ProcedureFee, ProcedureUnit, ProcedureVersion
from motcua.catalog.qr import qr_svg
from motcua.catalog.selectors import (
    fee_amount_label,
    procedure_levels,
    procedure_listing_unit_get,
    procedure_listing_units,
    procedure_version_in_force,
    procedure_versions_in_force,
    version_fee_summary,
)
from motcua.catalog.services import (
    catalog_import,
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_update,
    procedure_version_withdraw,
)
from motcua.core.exceptions import NotFound

SAMPLE = Path(__file__).resolve().parent / "data" / "dvcqg_sample.jsonl"

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported() -> None:
    catalog_import(path=SAMPLE)


def test_versions_in_force_in_bulk_agree_with_the_one_by_one_rule(
    imported: None, django_assert_num_queries
) -> None:
    today = timezone.localdate()
    moving = Procedure.objects.get(code="1.004222")
    draft = procedure_version_prepare(procedure=moving, actor=None)
    procedure_version_update(version=draft, actor=None, name="Đăng ký thường trú (mới)")
    procedure_version_publish(version=draft, actor=None, effective_from=today + dt.timedelta(5))
    gone = procedure_version_in_force(procedure=Procedure.objects.get(code="1.000656"))
    assert gone is not None
    procedure_version_withdraw(version=gone, actor=None, withdrawn_on=today, reason="Bãi bỏ")
    procedures = list(Procedure.objects.all())

    for on in (today, today + dt.timedelta(6)):
        with django_assert_num_queries(3):
            bulk = procedure_versions_in_force(procedures=procedures, on=on)
            fees = [version_fee_summary(version=version) for version in bulk.values()]
        assert len(fees) == len(bulk)
        for procedure in procedures:
            one = procedure_version_in_force(procedure=procedure, on=on)
            assert bulk.get(procedure.pk) == one, procedure.code
    assert "1.000656" not in {v.procedure.code for v in bulk.values()}
    assert bulk[moving.pk].name == "Đăng ký thường trú (mới)"


def test_no_procedures_no_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert procedure_versions_in_force(procedures=[]) == {}


@pytest.mark.parametrize(
    ("fee", "label"),
    [
        (ProcedureFee(amount=20000), "20.000 đồng"),
        (ProcedureFee(amount=1500000, kind=FeeKind.CHARGE), "1.500.000 đồng"),
        (ProcedureFee(amount=0, free=True), "Miễn phí"),
        (ProcedureFee(amount=None, free=True), "Miễn phí"),
        (ProcedureFee(amount=None), "Chưa có mức thu cụ thể"),
        (ProcedureFee(amount=0), "Chưa có mức thu cụ thể"),
        (
            ProcedureFee(amount=50000, set_by_council=True),
            "Theo mức do Hội đồng nhân dân cấp tỉnh quy định",
        ),
        (
            ProcedureFee(amount=None, set_by_council=True),
            "Theo mức do Hội đồng nhân dân cấp tỉnh quy định",
        ),
    ],
)
def test_a_fee_is_a_number_only_when_the_amount_is_sure(fee: ProcedureFee, label: str) -> None:
    assert fee_amount_label(fee) == label


def test_fee_summaries_of_the_sample(imported: None) -> None:
    versions = procedure_versions_in_force(procedures=Procedure.objects.all())
    summary = {
        version.procedure.code: version_fee_summary(version=version)
        for version in versions.values()
    }

    assert summary["1.004222"] == "10.000 – 20.000 đồng"
    assert summary["1.001193"] == "Theo mức do HĐND cấp tỉnh quy định"
    assert summary["1.000894"] == "Chưa có mức thu cụ thể"
    assert summary["2.000815"] == "2.000 đồng; Chưa có mức thu cụ thể"


def test_a_version_without_fees_says_there_is_no_information(imported: None) -> None:
    version = ProcedureVersion.objects.get(procedure__code="1.004222")
    ProcedureFee.objects.filter(method__version=version).delete()

    assert version_fee_summary(version=version) == "Chưa có thông tin"


def test_levels_come_from_the_listed_procedures_in_vietnamese_order(imported: None) -> None:
    assert procedure_levels() == ["Cấp bộ", "Cấp xã", "Cơ quan khác"]


def test_listing_units_are_those_in_force_that_list_something(imported: None) -> None:
    ward = UnitFactory(code="00145", name="Phường Long Biên")
    ended = UnitFactory(code="00146", name="Phường Cũ", expired=True)
    UnitFactory(code="00147", name="Phường Không Niêm Yết")
    procedure = Procedure.objects.get(code="1.004222")
    ProcedureUnit.objects.create(procedure=procedure, unit=ward)
    ProcedureUnit.objects.create(procedure=procedure, unit=ended)

    assert procedure_listing_units() == [ward]
    assert procedure_listing_unit_get(key="00145") == ward
    assert procedure_listing_unit_get(key=str(ward.pk)) == ward
    for key in ("00146", "00147", "abc", "9" * 40, ""):
        with pytest.raises(NotFound):
            procedure_listing_unit_get(key=key)


def test_an_official_code_wins_over_an_id(imported: None) -> None:
    first = UnitFactory(code="AAA", name="Đơn vị A")
    second = UnitFactory(code=str(first.pk), name="Đơn vị có mã trùng số")
    procedure = Procedure.objects.get(code="1.004222")
    ProcedureUnit.objects.bulk_create(
        [
            ProcedureUnit(procedure=procedure, unit=first),
            ProcedureUnit(procedure=procedure, unit=second),
        ]
    )

    assert procedure_listing_unit_get(key=str(first.pk)) == second


def test_qr_svg_is_inline_sized_by_css_and_named_for_screen_readers() -> None:
    svg = str(qr_svg("http://testserver/thu-tuc/1.004222/", title="Đăng ký <thường> trú"))

    assert svg.startswith('<svg role="img" viewBox="0 0 ')
    assert "width=" not in svg.split(">")[0]
    assert "<title>Đăng ký &lt;thường&gt; trú</title>" in svg
    assert str(qr_svg("x")).startswith('<svg aria-hidden="true" focusable="false" ')
