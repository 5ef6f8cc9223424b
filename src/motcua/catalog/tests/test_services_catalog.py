"""The catalog's rules: import, versioning and pinning, the internal process, search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine

from motcua.accounts.models import AuditEvent
from motcua.catalog.constants import CareLetter, Channel, ShareUnit, TimeUnit, VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.process import StepSpec, default_process, legal_hours, process_validate
from motcua.catalog.selectors import (
    period_label,
    procedure_search,
    procedure_version_in_force,
    version_period,
)
from motcua.catalog.services import (
    MethodSpec,
    catalog_import,
    catalog_refresh_listings,
    procedure_create,
    procedure_mark_reviewed,
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_set_methods,
    procedure_version_set_process,
    procedure_version_update,
    procedure_version_withdraw,
)
from motcua.core.exceptions import Conflict, ValidationFailed
from motcua.workcalendar.engine import Period, PeriodUnit

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "dvcqg_sample.jsonl"

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported() -> None:
    report = catalog_import(path=SAMPLE)
    assert report.summary() == "created=8 updated=0 unchanged=0 rejected=0"


def in_force(code: str, on: dt.date | None = None) -> ProcedureVersion:
    version = procedure_version_in_force(procedure=Procedure.objects.get(code=code), on=on)
    assert version is not None
    return version


# --- import -------------------------------------------------------------------


def test_importing_again_changes_nothing(imported: None) -> None:
    versions = ProcedureVersion.objects.count()
    report = catalog_import(path=SAMPLE)
    assert report.summary() == "created=0 updated=0 unchanged=8 rejected=0"
    assert ProcedureVersion.objects.count() == versions


def test_permanent_residence_is_seven_working_days_and_20000_in_person(imported: None) -> None:
    version = in_force("1.004222")
    methods = {method.channel: method for method in version.methods.all()}
    assert methods[Channel.IN_PERSON].time_value == 7
    assert methods[Channel.IN_PERSON].time_unit == TimeUnit.WORKING_DAYS
    assert [fee.amount for fee in methods[Channel.IN_PERSON].fees.all()] == [20000]
    assert [fee.amount for fee in methods[Channel.ONLINE].fees.all()] == [10000]
    assert period_label(version_period(version=version)) == "7 ngày làm việc"
    assert version.name == "Đăng ký thường trú"


def test_an_imported_procedure_gets_a_default_process_that_adds_up(imported: None) -> None:
    version = in_force("1.004222")
    steps = list(version.process_steps.all())
    assert [step.share_value for step in steps] == [
        Decimal("0.5"),
        Decimal("5.5"),
        Decimal("0.5"),
        Decimal("0.5"),
    ]
    assert steps[2].is_signing


def test_free_birth_registration_with_a_council_fee_needs_review(imported: None) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.needs_review
    assert in_force("1.001193").review_reasons


def test_care_letters_follow_the_procedure(imported: None) -> None:
    assert in_force("1.001193").care_letter == CareLetter.CONGRATULATIONS  # khai sinh
    assert in_force("1.000894").care_letter == CareLetter.CONGRATULATIONS  # kết hôn
    assert in_force("1.000656").care_letter == CareLetter.CONDOLENCES  # khai tử
    assert in_force("1.004222").care_letter == CareLetter.NONE


def test_a_bad_row_is_rejected_and_the_rest_imports(tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", lines[1]]) + "\n", encoding="utf-8")
    report = catalog_import(path=broken)
    assert (report.created, report.rejected) == (2, 1)
    assert report.rejections[0][0] == 2


def test_a_changed_source_becomes_a_new_version_and_the_old_one_stays(
    imported: None, tmp_path: Path
) -> None:
    line = next(
        line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if '"1.004222"' in line
    )
    changed = tmp_path / "changed.jsonl"
    changed.write_text(line.replace("Đăng ký thường trú", "Đăng ký thường trú (sửa đổi)"), "utf-8")
    report = catalog_import(path=changed)
    assert report.summary() == "created=0 updated=1 unchanged=0 rejected=0"
    procedure = Procedure.objects.get(code="1.004222")
    assert procedure.versions.count() == 2
    assert procedure.name == "Đăng ký thường trú (sửa đổi)"
    assert procedure.versions.get(number=1).name == "Đăng ký thường trú"


# --- versioning ------------------------------------------------------------------


def test_editing_prepares_a_draft_and_the_current_version_stays_in_force(imported: None) -> None:
    procedure = Procedure.objects.get(code="1.004222")
    current = in_force("1.004222")
    draft = procedure_version_prepare(procedure=procedure, actor=None)
    procedure_version_update(version=draft, actor=None, name="Đăng ký thường trú (mới)")

    assert draft.number == current.number + 1
    assert draft.methods.count() == current.methods.count()
    assert in_force("1.004222") == current
    assert Procedure.objects.get(code="1.004222").name == "Đăng ký thường trú"
    assert procedure_version_prepare(procedure=procedure, actor=None) == draft  # one draft


def test_publishing_with_a_future_date_switches_on_that_date_and_pinned_dossiers_keep_theirs(
    imported: None,
) -> None:
    procedure = Procedure.objects.get(code="1.004222")
    old = in_force("1.004222")
    pinned_version_id = old.pk  # what a dossier received today stores
    draft = procedure_version_prepare(procedure=procedure, actor=None)
    procedure_version_set_methods(
        version=draft,
        actor=None,
        methods=[
            MethodSpec(Channel.IN_PERSON, Decimal(5), TimeUnit.WORKING_DAYS, "5 Ngày làm việc"),
        ],
    )
    procedure_version_set_process(
        version=draft, actor=None, steps=default_process(Period.of(5, PeriodUnit.WORKING_DAYS))
    )
    start = dt.date.today() + dt.timedelta(days=10)
    procedure_version_publish(version=draft, actor=None, effective_from=start)

    assert in_force("1.004222") == old
    assert in_force("1.004222", on=start) == draft
    assert version_period(version=ProcedureVersion.objects.get(pk=pinned_version_id)) == Period.of(
        7, PeriodUnit.WORKING_DAYS
    )
    with time_machine.travel(start + dt.timedelta(hours=12)):
        catalog_refresh_listings()
    assert AuditEvent.objects.filter(action="catalog.version_publish").count() == 1


def test_a_published_version_cannot_be_edited(imported: None) -> None:
    with pytest.raises(Conflict):
        procedure_version_update(version=in_force("1.004222"), actor=None, name="Sửa trực tiếp")


def test_withdrawing_unlists_the_procedure_from_that_date(imported: None) -> None:
    version = in_force("1.004222")
    today = dt.date.today()
    procedure_version_withdraw(
        version=version, actor=None, withdrawn_on=today, reason="Thủ tục bị bãi bỏ"
    )
    assert procedure_version_in_force(procedure=version.procedure) is None
    assert not Procedure.objects.get(code="1.004222").is_listed
    assert version.procedure.versions.get().status == VersionStatus.WITHDRAWN


def test_a_new_procedure_needs_a_time_limit_before_it_is_published() -> None:
    procedure = procedure_create(actor=None, code="1.999999", name="Thủ tục thử nghiệm")
    draft = procedure.versions.get()
    with pytest.raises(ValidationFailed) as excinfo:
        procedure_version_publish(version=draft, actor=None, effective_from=dt.date.today())
    assert excinfo.value.params["field"] == "methods"
    assert not Procedure.objects.get(code="1.999999").is_listed


def test_marking_reviewed_clears_the_queue(imported: None) -> None:
    version = in_force("1.001193")
    procedure_mark_reviewed(version=version, actor=None)
    assert not Procedure.objects.get(code="1.001193").needs_review


def test_procedure_codes_are_validated() -> None:
    with pytest.raises(ValidationFailed):
        procedure_create(actor=None, code="abc", name="Sai mã")


# --- the internal process ---------------------------------------------------------


def steps(*shares: tuple[str, str, str]) -> list[StepSpec]:
    return [StepSpec(name, Decimal(value), unit) for name, value, unit in shares]


DAYS, HOURS = ShareUnit.WORKING_DAYS, ShareUnit.WORKING_HOURS


def test_shares_that_add_up_to_the_legal_time_are_accepted() -> None:
    shares = steps(("Tiếp nhận", "0.5", DAYS), ("Xử lý", "1.5", DAYS), ("Ký", "4", HOURS))
    period = Period.of("2.5", PeriodUnit.WORKING_DAYS)
    assert sum(step.hours for step in shares) == legal_hours(period) == 20
    process_validate(steps=shares, period=period)
    # The same shares against half an hour less are refused: the check is real.
    with pytest.raises(ValidationFailed):
        process_validate(steps=shares, period=Period.of("19.5", PeriodUnit.WORKING_HOURS))


def test_too_much_time_names_the_step_that_goes_over() -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        process_validate(
            steps=steps(("Tiếp nhận", "0.5", DAYS), ("Thẩm định", "2", DAYS), ("Ký", "1", DAYS)),
            period=Period.of(2, PeriodUnit.WORKING_DAYS),
        )
    assert excinfo.value.params["step"] == 2
    assert "Bước 2 «Thẩm định»" in excinfo.value.message


def test_too_little_time_says_what_is_missing_and_names_the_last_step() -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        process_validate(
            steps=steps(("Tiếp nhận", "0.5", DAYS), ("Ký", "0.5", DAYS)),
            period=Period.of(3, PeriodUnit.WORKING_DAYS),
        )
    assert "còn thiếu 2 ngày làm việc" in excinfo.value.message
    assert "«Ký»" in excinfo.value.message


def test_shares_must_be_halves() -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        process_validate(
            steps=steps(("Tiếp nhận", "0.3", DAYS)), period=Period.of(1, PeriodUnit.WORKING_DAYS)
        )
    assert excinfo.value.params["step"] == 1


def test_an_inter_agency_step_names_its_agency() -> None:
    step = StepSpec("Cấp thẻ BHYT", Decimal(1), DAYS, runs_in_other_agency=True)
    with pytest.raises(ValidationFailed):
        process_validate(steps=[step], period=Period.of(1, PeriodUnit.WORKING_DAYS))


@pytest.mark.parametrize(
    "period",
    [
        Period.of(1, PeriodUnit.WORKING_DAYS),
        Period.of(2, PeriodUnit.WORKING_DAYS),
        Period.of(15, PeriodUnit.WORKING_DAYS),
        Period.of("0.5", PeriodUnit.WORKING_DAYS),
        Period.of(8, PeriodUnit.WORKING_HOURS),
        Period.of(0, PeriodUnit.SAME_DAY),
        Period.of(4, PeriodUnit.WORKING_HOURS),
    ],
    ids=str,
)
def test_the_default_process_always_adds_up(period: Period) -> None:
    shares = default_process(period)
    process_validate(steps=shares, period=period)
    assert shares and sum(step.hours for step in shares) == legal_hours(period)


# --- search --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("dang ky thuong tru", "1.004222"),
        ("ĐĂNG KÝ THƯỜNG TRÚ", "1.004222"),
        ("Dang Ky Khai Sinh", "1.001193"),
        ("ket hon", "1.000894"),
        ("khai tử", "1.000656"),
        ("ho kinh doanh", "1.001612"),
        ("1.004222", "1.004222"),
        ("1.0011", "1.001193"),
    ],
)
def test_search_ignores_case_and_diacritics_and_finds_codes(
    imported: None, query: str, code: str
) -> None:
    assert procedure_search(query=query).first().code == code


def test_search_needs_every_word(imported: None) -> None:
    assert not procedure_search(query="thuong tru khai sinh ket hon").exists()


def test_unlisted_procedures_are_not_found_publicly(imported: None) -> None:
    procedure_create(actor=None, code="1.999999", name="Đăng ký thường trú nháp")
    assert [p.code for p in procedure_search(query="thuong tru")] == ["1.004222"]
    assert procedure_search(query="thuong tru", listed_only=False).count() == 2


# --- the other source shapes ---------------------------------------------------------


def test_the_structured_bqp_export_imports_with_time_limits() -> None:
    report = catalog_import(path=DATA / "bqp_sample.json")
    assert report.summary() == "created=3 updated=0 unchanged=0 rejected=0"
    version = in_force("1.013124")
    assert period_label(version_period(version=version)) == "30 ngày làm việc"
    assert catalog_import(path=DATA / "bqp_sample.json").unchanged == 3


def test_a_ministry_list_adds_drafts_to_complete_not_public_listings() -> None:
    report = catalog_import(path=DATA / "toa-an-nhan-dan.xlsx")
    assert report.created == 3
    for procedure in Procedure.objects.all():
        assert not procedure.is_listed
        assert procedure.needs_review
        assert procedure.versions.get().status == VersionStatus.DRAFT


def test_a_ministry_list_never_replaces_a_detailed_version(imported: None, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"])
    sheet.append(["1.004222", "Đăng ký thường trú", "Bộ Công an", "Công an cấp xã", "Cư trú"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)

    report = catalog_import(path=path)

    assert report.summary() == "created=0 updated=0 unchanged=1 rejected=0"
    assert Procedure.objects.get(code="1.004222").versions.count() == 1


def test_marking_reviewed_also_clears_a_draft_that_only_copied_the_same_points(
    imported: None,
) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    draft = procedure_version_prepare(procedure=procedure, actor=None)
    assert draft.needs_review

    procedure_mark_reviewed(version=in_force("1.001193"), actor=None)

    draft.refresh_from_db()
    assert not draft.needs_review
    assert not Procedure.objects.get(code="1.001193").needs_review
