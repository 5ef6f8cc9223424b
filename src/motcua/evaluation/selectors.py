"""Reads of the monthly evaluation, permission-scoped by level (own / team / unit / all).

An officer sees their own sheets; a supervisor the sheets of their team; a
head or leader the sheets of their unit and below (``evaluation.review``);
the evaluator (Nội vụ) every unit of their administrative area, read-only
(``evaluation.view_all``). Missing and "not yours" are the same
:class:`NotFound`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action, can, units_in_scope
from motcua.core.exceptions import NotFound
from motcua.dossiers.selectors_figures import officer_dossier_figures, officer_figure_dossiers
from motcua.evaluation.constants import (
    DOSSIER_FIGURES,
    GRADE_ORDER,
    CycleStatus,
    Figure,
    Grade,
    SheetStatus,
)
from motcua.evaluation.models import Cycle, Scheme, Sheet, WorkPlan, WorkTask
from motcua.evaluation.scoring import QuotaCheck, Thresholds, quota_check
from motcua.workcalendar.engine import TZ

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

# --- periods -------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """[first instant, first instant of the next month) in Vietnam time."""
    start = dt.datetime(year, month, 1, tzinfo=TZ)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=TZ)
    return start, end


def thresholds_of(scheme: Scheme) -> Thresholds:
    return Thresholds(
        excellent=scheme.excellent_from, good=scheme.good_from, completed=scheme.completed_from
    )


def scheme_in_force(*, on: dt.date, kind: str | None = None) -> Scheme | None:
    """The scheme in force on ``on`` (the latest to start), of ``kind`` when given."""
    schemes = Scheme.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on
    )
    if kind:
        schemes = schemes.filter(kind=kind)
    return schemes.order_by("-valid_from", "code").first()


def scheme_list() -> QuerySet[Scheme]:
    """Every scheme, newest first, with its criteria."""
    return Scheme.objects.prefetch_related("criteria")


# --- access --------------------------------------------------------------------------


def _officer(user: User) -> Officer | None:
    return getattr(user, "officer", None) if getattr(user, "is_officer", False) else None


@dataclass(frozen=True)
class SheetAccess:
    """What ``user`` may do with one sheet; ``view`` false means "not found"."""

    view: bool = False
    own: bool = False
    review: bool = False
    decide: bool = False
    writable: bool = False


def sheet_access(*, user: User, sheet: Sheet) -> SheetAccess:
    """The user's rights on ``sheet`` by level; nothing is writable in a closed month."""
    officer = _officer(user)
    unit = sheet.officer.unit
    own = officer is not None and sheet.officer_id == officer.pk
    supervisor = officer is not None and sheet.supervisor_id == officer.pk
    if sheet.decided_by_leader:
        decide = officer is not None and officer.has_role(Role.LEADER)
    else:
        decide = officer is not None and (
            officer.has_role(Role.HEAD) or officer.has_role(Role.LEADER)
        )
    decide = decide and not own and can(user, Action.EVALUATION_DECIDE, unit)
    if getattr(user, "is_superuser", False) and not own:
        decide = True
    # Without a named supervisor the decider comments too (a one-level unit).
    review = supervisor or (sheet.supervisor_id is None and decide)
    view = (
        own
        or review
        or decide
        or can(user, Action.EVALUATION_REVIEW, unit)
        or can(user, Action.EVALUATION_VIEW_ALL, unit)
    )
    writable = sheet.cycle.status == CycleStatus.OPEN
    return SheetAccess(view=view, own=own, review=review, decide=decide, writable=writable)


def sheet_get_for_user(*, user: User, pk: int) -> tuple[Sheet, SheetAccess]:
    """One sheet with the user's rights; :class:`NotFound` if missing or not visible."""
    sheet = (
        Sheet.objects.select_related(
            "cycle__scheme",
            "cycle__unit",
            "officer__user",
            "officer__unit",
            "supervisor__user",
            "reviewed_by__user",
            "decided_by__user",
        )
        .filter(pk=pk)
        .first()
    )
    access = sheet_access(user=user, sheet=sheet) if sheet is not None else SheetAccess()
    if sheet is None or not access.view:
        raise NotFound(_("Không tìm thấy phiếu đánh giá."))
    return sheet, access


def _cycle_viewer(user: User, cycle: Cycle) -> bool:
    if can(user, Action.EVALUATION_REVIEW, cycle.unit) or can(
        user, Action.EVALUATION_VIEW_ALL, cycle.unit
    ):
        return True
    officer = _officer(user)
    return (
        officer is not None
        and cycle.sheets.filter(Q(officer=officer) | Q(supervisor=officer)).exists()
    )


def cycle_get_for_user(*, user: User, pk: int) -> Cycle:
    """One cycle the user may see (a member, a supervisor in it, the unit or evaluator)."""
    cycle = Cycle.objects.select_related("scheme", "unit", "closed_by__user").filter(pk=pk).first()
    if cycle is None or not _cycle_viewer(user, cycle):
        raise NotFound(_("Không tìm thấy kỳ đánh giá."))
    return cycle


def cycles_for_user(*, user: User) -> QuerySet[Cycle]:
    """Cycles of the units the user reviews or reads, and those where they have a sheet."""
    units = units_in_scope(user, Action.EVALUATION_REVIEW) | units_in_scope(
        user, Action.EVALUATION_VIEW_ALL
    )
    condition = Q(unit__in=units.values("pk"))
    officer = _officer(user)
    if officer is not None:
        condition |= Q(sheets__officer=officer) | Q(sheets__supervisor=officer)
    return (
        Cycle.objects.filter(condition)
        .distinct()
        .select_related("scheme", "unit")
        .order_by("-year", "-month", "unit__path")
    )


def sheets_of_cycle(*, user: User, cycle: Cycle) -> list[tuple[Sheet, SheetAccess]]:
    """The sheets of ``cycle`` the user may see, each with the user's rights."""
    sheets = cycle.sheets.select_related(
        "officer__user", "officer__unit", "supervisor__user", "cycle__scheme"
    ).order_by("officer__user__full_name", "pk")
    result = []
    for sheet in sheets:
        sheet.cycle = cycle
        access = sheet_access(user=user, sheet=sheet)
        if access.view:
            result.append((sheet, access))
    return result


def my_sheets(*, user: User) -> QuerySet[Sheet]:
    """The user's own sheets, newest month first."""
    officer = _officer(user)
    if officer is None:
        return Sheet.objects.none()
    return (
        Sheet.objects.filter(officer=officer)
        .select_related("cycle__unit", "cycle__scheme")
        .order_by("-cycle__year", "-cycle__month")
    )


def sheets_to_act_on(*, user: User) -> list[Sheet]:
    """Open sheets waiting for the user as supervisor (to comment) or decider."""
    officer = _officer(user)
    if officer is None:
        return []
    waiting = Sheet.objects.filter(
        cycle__status=CycleStatus.OPEN,
        status__in=[SheetStatus.SELF_ASSESSED, SheetStatus.REVIEWED],
    ).select_related(
        "officer__user", "officer__unit", "cycle__unit", "cycle__scheme", "supervisor"
    )
    result = []
    for sheet in waiting.exclude(officer=officer):
        access = sheet_access(user=user, sheet=sheet)
        if (sheet.status == SheetStatus.SELF_ASSESSED and access.review) or (
            sheet.status == SheetStatus.REVIEWED and access.decide
        ):
            result.append(sheet)
    return result


# --- figures from real work ---------------------------------------------------------------


@dataclass(frozen=True)
class FigureLine:
    """One pre-filled figure with its explanation and, for dossier figures, a link."""

    key: str
    label: str
    value: int
    explanation: str
    links_dossiers: bool


EXPLANATIONS: dict[str, Promise] = {
    Figure.STEPS_FINISHED: gettext_lazy(
        "Số bước xử lý hồ sơ được giao cho cán bộ, hoàn thành trong tháng."
    ),
    Figure.STEPS_EARLY: gettext_lazy(
        "Trong đó hoàn thành trước hạn của bước (theo lịch làm việc)."
    ),
    Figure.STEPS_ON_TIME: gettext_lazy("Trong đó hoàn thành đúng hạn của bước."),
    Figure.STEPS_LATE: gettext_lazy(
        "Trong đó hoàn thành sau hạn của bước; mỗi bước phải có giải trình."
    ),
    Figure.OPEN_OVERDUE: gettext_lazy(
        "Bước được giao còn chưa xong vào cuối tháng mà đã quá hạn."
    ),
    Figure.EXPLANATIONS: gettext_lazy(
        "Giải trình do cán bộ ghi cho bước xử lý quá hạn, trong tháng."
    ),
    Figure.APOLOGIES_CAUSED: gettext_lazy(
        "Phiếu xin lỗi, hẹn lại ngày trả kết quả ký trong tháng mà bước quá hạn là của cán bộ."
    ),
    Figure.SUPPLEMENT_REQUESTS: gettext_lazy(
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ do cán bộ lập trong tháng."
    ),
    Figure.REFUSALS: gettext_lazy(
        "Từ chối tiếp nhận hoặc từ chối giải quyết do cán bộ thực hiện trong tháng."
    ),
    Figure.SATISFACTION_ANSWERS: gettext_lazy(
        "Phiếu đánh giá của người dân gắn với cán bộ (trả hoặc nhận hồ sơ) trong tháng."
    ),
    Figure.NOT_SATISFIED: gettext_lazy("Trong đó số phiếu không hài lòng."),
    Figure.TASKS_DONE: gettext_lazy("Nhiệm vụ trong kế hoạch công tác hoàn thành trong tháng."),
    Figure.TASKS_DONE_ON_TIME: gettext_lazy("Trong đó hoàn thành không muộn hơn thời hạn."),
    Figure.TASKS_OVERDUE: gettext_lazy("Nhiệm vụ đã quá hạn vào cuối tháng mà chưa hoàn thành."),
}


def _task_figures(
    officer_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = {pk: {} for pk in officer_ids}
    done = WorkTask.objects.filter(
        owner_id__in=officer_ids, completed_at__gte=start, completed_at__lt=end
    )
    for owner_id, completed_at, deadline in done.values_list(
        "owner_id", "completed_at", "deadline"
    ):
        row = result[owner_id]
        row[Figure.TASKS_DONE] = row.get(Figure.TASKS_DONE, 0) + 1
        if completed_at is not None and completed_at <= deadline:
            row[Figure.TASKS_DONE_ON_TIME] = row.get(Figure.TASKS_DONE_ON_TIME, 0) + 1
    overdue = WorkTask.objects.filter(
        Q(completed_at__isnull=True) | Q(completed_at__gte=end),
        owner_id__in=officer_ids,
        deadline__lt=end,
    )
    for owner_id in overdue.values_list("owner_id", flat=True):
        result[owner_id][Figure.TASKS_OVERDUE] = result[owner_id].get(Figure.TASKS_OVERDUE, 0) + 1
    return result


def _satisfaction(
    officer_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, int]]:
    """Answers about each officer, from ``feedback.selectors`` when the app is installed."""
    try:
        from motcua.feedback.selectors import satisfaction_by_officer
    except ImportError:  # pragma: no cover - feedback is part of the project
        return {}
    wanted = set(officer_ids)
    return {
        row.id: {
            Figure.SATISFACTION_ANSWERS: row.total,
            Figure.NOT_SATISFIED: row.not_satisfied,
        }
        for row in satisfaction_by_officer(start=start, end=end)
        if row.id in wanted
    }


def month_figures(
    *, officers: Iterable[Officer | int], year: int, month: int
) -> dict[int, dict[str, int]]:
    """Every figure of :class:`Figure` for each officer in a month (set-based queries)."""
    ids = [officer if isinstance(officer, int) else officer.pk for officer in officers]
    start, end = month_bounds(year, month)
    dossier = officer_dossier_figures(officers=ids, start=start, end=end)
    tasks = _task_figures(ids, start, end)
    satisfaction = _satisfaction(ids, start, end)
    result: dict[int, dict[str, int]] = {}
    for pk in ids:
        figures = dossier[pk]
        row: dict[str, int] = {
            Figure.STEPS_FINISHED: figures.steps_finished,
            Figure.STEPS_EARLY: figures.steps_early,
            Figure.STEPS_ON_TIME: figures.steps_on_time,
            Figure.STEPS_LATE: figures.steps_late,
            Figure.OPEN_OVERDUE: figures.open_overdue,
            Figure.EXPLANATIONS: figures.explanations,
            Figure.APOLOGIES_CAUSED: figures.apologies_caused,
            Figure.SUPPLEMENT_REQUESTS: figures.supplement_requests,
            Figure.REFUSALS: figures.refusals,
            Figure.SATISFACTION_ANSWERS: 0,
            Figure.NOT_SATISFIED: 0,
            Figure.TASKS_DONE: 0,
            Figure.TASKS_DONE_ON_TIME: 0,
            Figure.TASKS_OVERDUE: 0,
        }
        row.update(tasks.get(pk, {}))
        row.update(satisfaction.get(pk, {}))
        result[pk] = {str(key): value for key, value in row.items()}
    return result


def figure_lines(*, sheet: Sheet) -> list[FigureLine]:
    """The sheet's figures as the form shows them, in the order of :class:`Figure`."""
    return [
        FigureLine(
            key=figure.value,
            label=str(figure.label),
            value=sheet.figure(figure),
            explanation=str(EXPLANATIONS[figure]),
            links_dossiers=figure in DOSSIER_FIGURES,
        )
        for figure in Figure
    ]


def figure_dossiers(*, sheet: Sheet, figure: str) -> QuerySet[Dossier]:
    """The dossiers behind one figure of a sheet (caller has checked the sheet's access)."""
    if figure not in DOSSIER_FIGURES:
        raise NotFound(_("Số liệu này không tính từ hồ sơ."))
    start, end = month_bounds(sheet.cycle.year, sheet.cycle.month)
    return officer_figure_dossiers(officer=sheet.officer, figure=figure, start=start, end=end)


# --- quota and summaries -------------------------------------------------------------------


def quota_percent(cycle: Cycle) -> Decimal:
    scheme = cycle.scheme
    return scheme.quota_percent_exceptional if cycle.exceptional_unit else scheme.quota_percent


def cycle_quota(*, cycle: Cycle, grades: Sequence[str] | None = None) -> QuotaCheck:
    """The quota of ``cycle`` on its decided (or given) levels."""
    if grades is None:
        grades = [grade for grade in cycle.sheets.values_list("final_grade", flat=True) if grade]
    return quota_check(
        [Grade(grade) for grade in grades],
        base=cycle.scheme.quota_base,
        percent=quota_percent(cycle),
    )


@dataclass
class SummaryRow:
    """Level counts of one unit over a period."""

    unit: Unit
    periods: list[str] = field(default_factory=list)
    rated: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in GRADE_ORDER})
    pending: int = 0
    # Quota use summed over the period's months: holders of the top level / allowed.
    top: int = 0
    cap: int = 0

    @property
    def ordered_counts(self) -> list[int]:
        return [self.counts[g.value] for g in GRADE_ORDER]


def period_months(*, year: int, month: int | None = None, quarter: int | None = None) -> list[int]:
    if month:
        return [month]
    if quarter:
        return [3 * (quarter - 1) + offset for offset in (1, 2, 3)]
    return list(range(1, 13))


def summary(
    *, user: User, year: int, month: int | None = None, quarter: int | None = None
) -> list[SummaryRow]:
    """Level counts per unit the user may read, for a month, a quarter or a year."""
    months = period_months(year=year, month=month, quarter=quarter)
    cycles = cycles_for_user(user=user).filter(year=year, month__in=months)
    rows: dict[int, SummaryRow] = {}
    for cycle in cycles:
        if not (
            can(user, Action.EVALUATION_REVIEW, cycle.unit)
            or can(user, Action.EVALUATION_VIEW_ALL, cycle.unit)
        ):
            continue
        row = rows.setdefault(cycle.unit_id, SummaryRow(unit=cycle.unit))
        row.periods.append(f"{cycle.month:02d}/{cycle.year}")
        grades = list(cycle.sheets.values_list("final_grade", flat=True))
        for grade in grades:
            if grade:
                row.rated += 1
                row.counts[grade] += 1
            else:
                row.pending += 1
        quota = cycle_quota(cycle=cycle, grades=[grade for grade in grades if grade])
        row.top += quota.top
        row.cap += quota.cap
    return sorted(rows.values(), key=lambda row: row.unit.path)


@dataclass
class MonthTrend:
    """Level counts of one unit in one month; ``cap`` is ``None`` without a cycle."""

    month: int
    counts: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in GRADE_ORDER})
    cap: int | None = None

    @property
    def ordered_counts(self) -> list[int]:
        return [self.counts[g.value] for g in GRADE_ORDER]


@dataclass
class UnitTrend:
    """The twelve months of ``year`` for one unit, for the trend chart."""

    unit: Unit
    months: list[MonthTrend]


def summary_trend(*, user: User, year: int) -> list[UnitTrend]:
    """Decided levels per month of ``year`` for each unit the user may read, with the quota."""
    cycles = [
        cycle
        for cycle in cycles_for_user(user=user).filter(year=year)
        if can(user, Action.EVALUATION_REVIEW, cycle.unit)
        or can(user, Action.EVALUATION_VIEW_ALL, cycle.unit)
    ]
    # One grouped query for every cycle instead of one per cycle.
    counted: dict[int, dict[str, int]] = {cycle.pk: {} for cycle in cycles}
    for cycle_id, grade, number in (
        Sheet.objects.filter(cycle__in=[cycle.pk for cycle in cycles])
        .exclude(final_grade="")
        .values_list("cycle_id", "final_grade")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        counted[cycle_id][grade] = number
    trends: dict[int, UnitTrend] = {}
    for cycle in cycles:
        trend = trends.setdefault(
            cycle.unit_id,
            UnitTrend(unit=cycle.unit, months=[MonthTrend(month=m) for m in range(1, 13)]),
        )
        month = trend.months[cycle.month - 1]
        for grade, number in counted[cycle.pk].items():
            month.counts[grade] += number
        grades = [grade for grade, number in counted[cycle.pk].items() for _ in range(number)]
        month.cap = cycle_quota(cycle=cycle, grades=grades).cap
    return sorted(trends.values(), key=lambda trend: trend.unit.path)


def annual_rollup(*, officer: Officer, year: int) -> dict[str, Any]:
    """An officer's months of ``year`` and their level counts, for the yearly rating."""
    sheets = list(
        Sheet.objects.filter(officer=officer, cycle__year=year)
        .exclude(final_grade="")
        .order_by("cycle__month")
        .values("cycle__month", "final_grade", "final_total")
    )
    counts = {grade.value: 0 for grade in GRADE_ORDER}
    for row in sheets:
        counts[row["final_grade"]] += 1
    return {
        "year": year,
        "months": sheets,
        "counts": [(grade.label, counts[grade.value]) for grade in GRADE_ORDER],
        "decided": len(sheets),
    }


# --- work plans --------------------------------------------------------------------------


def work_plans_for_user(*, user: User) -> QuerySet[WorkPlan]:
    """Plans of the user's units (by review scope) and the user's own plans."""
    officer = _officer(user)
    units = units_in_scope(user, Action.EVALUATION_REVIEW) | units_in_scope(
        user, Action.EVALUATION_VIEW_ALL
    )
    condition = Q(unit__in=units.values("pk"))
    if officer is not None:
        condition |= (
            Q(officer=officer)
            | Q(tasks__owner=officer)
            | Q(unit=officer.unit, officer__isnull=True)
        )
    return (
        WorkPlan.objects.filter(condition)
        .distinct()
        .select_related("unit", "officer__user")
        .order_by("-starts_on", "title")
    )


def work_plan_get_for_user(*, user: User, pk: int) -> WorkPlan:
    plan = work_plans_for_user(user=user).filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("Không tìm thấy kế hoạch công tác."))
    return plan


def work_tasks_overdue(*, user: User, now: dt.datetime | None = None) -> QuerySet[WorkTask]:
    """Unfinished tasks past their deadline, in the plans the user may see."""
    now = now or timezone.now()
    return (
        WorkTask.objects.filter(
            plan__in=work_plans_for_user(user=user).values("pk"),
            completed_at__isnull=True,
            deadline__lt=now,
        )
        .select_related("plan", "owner__user")
        .order_by("deadline")
    )
