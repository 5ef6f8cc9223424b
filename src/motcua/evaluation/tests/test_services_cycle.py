"""The monthly cycle: self → supervisor → head (leader for heads), quota, close, reopen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.accounts.models import AuditEvent
from motcua.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from motcua.dossiers.tests.conftest import at
from motcua.evaluation import selectors, services
from motcua.evaluation.constants import CycleStatus, DisputeStatus, Figure, Grade, SheetStatus
from motcua.evaluation.models import Cycle, Scheme, Sheet
from motcua.evaluation.tests.conftest import Office, scores
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db


def open_november(office: Office) -> Cycle:
    with time_machine.travel(at("2026-11-25T09:00"), tick=False):
        return services.cycle_open(unit=office.office, year=2026, month=11, actor=office.head.user)


def sheet_of(cycle: Cycle, officer: object) -> Sheet:
    return cycle.sheets.get(officer=officer)


def run_to_decision(office: Office, cycle: Cycle, totals: dict[str, int]) -> None:
    """Each of the office's three officers self-assesses, is reviewed, and decided."""
    scheme = cycle.scheme
    for name, total in totals.items():
        officer = getattr(office, name)
        sheet = sheet_of(cycle, officer)
        services.sheet_self_assess(
            sheet=sheet, actor=officer.user, scores=scores(scheme, total), evidence="Sổ theo dõi"
        )
        reviewer = office.leader if name == "head" else office.head
        services.sheet_review(
            sheet=sheet,
            actor=reviewer.user,
            comment="Hoàn thành tốt",
            scores=scores(scheme, total),
        )
        decider = office.leader if name == "head" else office.head
        services.sheet_decide(sheet=sheet, actor=decider.user, scores=scores(scheme, total))


def test_opening_pins_the_scheme_in_force_and_sets_working_day_deadlines(office: Office) -> None:
    cycle = open_november(office)
    assert cycle.scheme.code == "ND-335-2026"
    # Wed 25/11 + 2 working days → Fri 27/11; then Tue 1/12; then Thu 3/12.
    assert cycle.self_deadline == at("2026-11-27T17:00")
    assert cycle.review_deadline == at("2026-12-01T17:00")
    assert cycle.decision_deadline == at("2026-12-03T17:00")
    sheets = {sheet.officer_id: sheet for sheet in cycle.sheets.all()}
    assert set(sheets) == {office.specialist.pk, office.specialist2.pk, office.head.pk}
    assert sheets[office.specialist.pk].supervisor == office.head
    assert sheets[office.head.pk].decided_by_leader
    assert AuditEvent.objects.filter(action="evaluation.cycle_open").count() == 1
    with pytest.raises(Conflict):
        open_november(office)


def test_before_2026_the_hanoi_scheme_applies_with_a_b_c_d(office: Office) -> None:
    with time_machine.travel(at("2025-11-25T09:00"), tick=False):
        cycle = services.cycle_open(unit=office.office, year=2025, month=11)
    assert cycle.scheme.code == "HN-3814-2018"
    assert cycle.scheme.grade_label(Grade.EXCELLENT).startswith("A — ")
    assert sum(item.max_points for item in cycle.scheme.criteria.all()) == 100


def test_a_whole_month_with_the_quota_refused_then_met(office: Office) -> None:
    """335: one excellent among two good is over 20 % of good; one must move, then it closes."""
    cycle = open_november(office)
    run_to_decision(office, cycle, {"specialist": 95, "specialist2": 80, "head": 80})
    sheet = sheet_of(cycle, office.specialist)
    assert (sheet.final_total, sheet.final_grade) == (Decimal("95.00"), Grade.EXCELLENT)

    with pytest.raises(Conflict) as excinfo:
        services.cycle_close(cycle=cycle, actor=office.head.user)
    assert excinfo.value.code == "evaluation_quota_exceeded"
    assert excinfo.value.params["must_move"] == 1
    assert "Cần chuyển 1 người" in excinfo.value.message

    services.sheet_decide(
        sheet=sheet, actor=office.head.user, scores=scores(cycle.scheme, 88), comment="Theo tỷ lệ"
    )
    services.cycle_close(cycle=cycle, actor=office.head.user)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED and cycle.closed_by == office.head
    for period in ({"month": 11}, {"quarter": 4}, {}):
        rows = selectors.summary(user=office.evaluator.user, year=2026, **period)
        assert [
            (row.unit, row.rated, row.counts[Grade.GOOD], row.top, row.cap) for row in rows
        ] == [(office.office, 3, 3, 0, 0)]
    assert selectors.summary(user=office.specialist.user, year=2026) == []
    rollup = selectors.annual_rollup(officer=office.specialist, year=2026)
    assert rollup["decided"] == 1 and ("Hoàn thành tốt nhiệm vụ", 1) in rollup["counts"]

    # Read-only once closed, until a recorded reopening.
    with pytest.raises(Conflict) as excinfo:
        services.sheet_decide(sheet=sheet, actor=office.head.user, scores=scores(cycle.scheme, 95))
    assert excinfo.value.code == "evaluation_cycle_closed"
    with pytest.raises(ValidationFailed):
        services.cycle_reopen(cycle=cycle, actor=office.head.user, reason=" ")
    services.cycle_reopen(cycle=cycle, actor=office.head.user, reason="Sai sót khi nhập điểm")
    assert cycle.reopenings.get().reason == "Sai sót khi nhập điểm"
    actions = list(
        AuditEvent.objects.filter(action__startswith="evaluation.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("evaluation.decide") == 4
    assert {"evaluation.cycle_close", "evaluation.cycle_reopen"} <= set(actions)


def test_closing_waits_for_every_decision(office: Office) -> None:
    cycle = open_november(office)
    with pytest.raises(Conflict) as excinfo:
        services.cycle_close(cycle=cycle, actor=office.head.user)
    assert excinfo.value.params["pending"] == 3


def test_who_comments_and_who_decides(office: Office) -> None:
    cycle = open_november(office)
    scheme = cycle.scheme
    sheet = sheet_of(cycle, office.specialist)
    head_sheet = sheet_of(cycle, office.head)
    with pytest.raises(PermissionDenied):  # someone else's sheet
        services.sheet_self_assess(sheet=sheet, actor=office.specialist2.user, scores={})
    with pytest.raises(ValidationFailed):  # a line over its maximum
        services.sheet_self_assess(
            sheet=sheet, actor=office.specialist.user, scores={**scores(scheme, 90), "6": "71"}
        )
    services.sheet_self_assess(
        sheet=sheet, actor=office.specialist.user, scores=scores(scheme, 90)
    )
    with pytest.raises(PermissionDenied):  # a colleague is not the supervisor
        services.sheet_review(
            sheet=sheet, actor=office.specialist2.user, comment="x", scores=scores(scheme, 90)
        )
    with pytest.raises(Conflict):  # the head decides after the supervisor's review
        services.sheet_decide(sheet=sheet, actor=office.head.user, scores=scores(scheme, 90))

    services.sheet_self_assess(sheet=head_sheet, actor=office.head.user, scores=scores(scheme, 92))
    services.sheet_review(
        sheet=head_sheet, actor=office.leader.user, comment="Tốt", scores=scores(scheme, 92)
    )
    with pytest.raises(PermissionDenied):  # a head never decides their own level
        services.sheet_decide(sheet=head_sheet, actor=office.head.user, scores=scores(scheme, 92))
    with pytest.raises(PermissionDenied):  # nor does the evaluator, who only reads
        services.sheet_decide(
            sheet=head_sheet, actor=office.evaluator.user, scores=scores(scheme, 92)
        )
    services.sheet_decide(
        sheet=head_sheet,
        actor=office.leader.user,
        scores=scores(scheme, 92),
        disqualifiers=["discipline"],
    )
    head_sheet.refresh_from_db()
    assert head_sheet.final_grade == Grade.NOT_COMPLETED  # 92 points, but disciplined


def test_a_disputed_figure_is_resolved_by_the_supervisor_before_the_review(
    office: Office,
) -> None:
    cycle = open_november(office)
    sheet = sheet_of(cycle, office.specialist)
    services.sheet_self_assess(
        sheet=sheet, actor=office.specialist.user, scores=scores(cycle.scheme, 85)
    )
    dispute = services.figure_dispute_open(
        sheet=sheet,
        actor=office.specialist.user,
        figure=Figure.STEPS_LATE,
        claimed_value=0,
        reason="Hồ sơ được chuyển cho tôi khi đã quá hạn",
    )
    with pytest.raises(Conflict):
        services.sheet_review(
            sheet=sheet, actor=office.head.user, comment="x", scores=scores(cycle.scheme, 85)
        )
    with pytest.raises(PermissionDenied):
        services.figure_dispute_resolve(
            dispute=dispute, actor=office.specialist2.user, accept=True, resolution="ok"
        )
    services.figure_dispute_resolve(
        dispute=dispute, actor=office.head.user, accept=True, resolution="Đúng, sửa lại", value=0
    )
    dispute.refresh_from_db()
    sheet.refresh_from_db()
    assert dispute.status == DisputeStatus.ACCEPTED and sheet.figure(Figure.STEPS_LATE) == 0
    services.sheet_review(
        sheet=sheet, actor=office.head.user, comment="Đồng ý", scores=scores(cycle.scheme, 85)
    )
    assert Sheet.objects.get(pk=sheet.pk).status == SheetStatus.REVIEWED


def test_access_by_level(office: Office) -> None:
    cycle = open_november(office)
    sheet = sheet_of(cycle, office.specialist)
    own = selectors.sheet_access(user=office.specialist.user, sheet=sheet)
    colleague = selectors.sheet_access(user=office.specialist2.user, sheet=sheet)
    head = selectors.sheet_access(user=office.head.user, sheet=sheet)
    evaluator = selectors.sheet_access(user=office.evaluator.user, sheet=sheet)
    outsider = selectors.sheet_access(user=office.other_counter.user, sheet=sheet)
    assert own.view and own.own and not own.decide
    assert not colleague.view and not outsider.view
    assert head.view and head.review and head.decide
    assert evaluator.view and not (evaluator.review or evaluator.decide)
    mine = selectors.sheets_of_cycle(user=office.specialist2.user, cycle=cycle)
    assert [item.officer for item, _ in mine] == [office.specialist2]
    assert len(selectors.sheets_of_cycle(user=office.evaluator.user, cycle=cycle)) == 3


def test_the_evaluator_edits_a_scheme_until_a_month_is_closed_under_it(office: Office) -> None:
    scheme = Scheme.objects.get(code="ND-335-2026")
    with pytest.raises(PermissionDenied):
        services.scheme_update(
            scheme=scheme, actor=office.head.user, changes={"quota_percent": Decimal(25)}
        )
    services.scheme_update(
        scheme=scheme, actor=office.evaluator.user, changes={"quota_percent_exceptional": 30}
    )
    services.criterion_save(
        scheme=scheme,
        actor=office.evaluator.user,
        code="2",
        name="Năng lực chuyên môn, nghiệp vụ",
        group="general",
        max_points=Decimal(6),
    )
    cycle = open_november(office)
    run_to_decision(office, cycle, {"specialist": 85, "specialist2": 80, "head": 80})
    services.cycle_close(cycle=cycle, actor=office.head.user)
    with pytest.raises(Conflict):
        services.scheme_update(
            scheme=scheme, actor=office.evaluator.user, changes={"good_from": Decimal(75)}
        )
    newer = services.scheme_new_version(
        scheme=scheme,
        actor=office.evaluator.user,
        code="ND-335-2027",
        valid_from=dt.date(2027, 1, 1),
    )
    assert newer.criteria.count() == 6
    assert selectors.scheme_in_force(on=dt.date(2026, 12, 1)) == scheme
    assert selectors.scheme_in_force(on=dt.date(2027, 1, 1)) == newer


def test_reminders_go_to_whoever_the_sheet_waits_for_once_a_day(office: Office) -> None:
    cycle = open_november(office)
    with time_machine.travel(at("2026-11-26T07:30"), tick=False):
        sent = services.evaluation_remind()
        assert services.evaluation_remind() == sent  # same rows, nothing new
    recipients = set(
        Notification.objects.filter(event_key="evaluation.reminder").values_list(
            "user_id", flat=True
        )
    )
    assert recipients == {
        office.specialist.user_id,
        office.specialist2.user_id,
        office.head.user_id,
    }
    assert cycle.pk


def test_the_month_opens_on_the_configured_day(office: Office, settings: object) -> None:
    settings.EVALUATION_OPEN_DAY = 25  # type: ignore[attr-defined]
    with time_machine.travel(at("2026-11-24T07:30"), tick=False):
        assert services.cycles_open_due() == []
    with time_machine.travel(at("2026-11-25T07:30"), tick=False):
        opened = services.cycles_open_due()
    assert office.office.pk in {cycle.unit_id for cycle in opened}


def test_the_timetable_is_registered_to_run_every_morning() -> None:
    from motcua.core.scheduling import autodiscover, get_job

    autodiscover()
    job = get_job("evaluation.open_and_remind")
    assert job.cron == "30 7 * * *"
    assert job.task.module_path == "motcua.evaluation.tasks.open_and_remind"
