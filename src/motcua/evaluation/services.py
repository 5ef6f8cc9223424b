"""Every change to the monthly evaluation: one function each, one transaction, audited.

The cycle: :func:`cycle_open` (on the configured day, or by a head) creates a
sheet per officer with the month's figures; the officer self-assesses
(:func:`sheet_self_assess`), the direct supervisor comments and proposes
(:func:`sheet_review`), the head of the unit — the leader for heads —
decides (:func:`sheet_decide`); :func:`cycle_close` refuses while the quota
is exceeded and names how many must move; a closed month changes only after
:func:`cycle_reopen`, which records who and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action, can, ensure_can
from motcua.accounts.services import audit_record
from motcua.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from motcua.evaluation import selectors
from motcua.evaluation.constants import (
    CriterionGroup,
    CycleStatus,
    DisputeStatus,
    Figure,
    Grade,
    PlanPeriod,
    SheetStatus,
)
from motcua.evaluation.models import (
    Criterion,
    Cycle,
    FigureDispute,
    Reopening,
    Scheme,
    Sheet,
    WorkPlan,
    WorkTask,
)
from motcua.evaluation.scoring import classify, sheet_total
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import calendar_for_unit

LEGAL_BASIS_3814 = "Quyết định 3814-QĐ/TU ngày 16/5/2018 của Ban Thường vụ Thành ủy Hà Nội"


def _officer(actor: User) -> Officer:
    officer = getattr(actor, "officer", None) if getattr(actor, "is_officer", False) else None
    if officer is None:
        raise PermissionDenied(_("Chỉ cán bộ, công chức mới thực hiện được thao tác này."))
    return officer


def _ensure_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise Conflict(
            _("Kỳ đánh giá tháng %(period)s đã chốt; chỉ xem được, muốn sửa phải mở lại kỳ.")
            % {"period": f"{cycle.month:02d}/{cycle.year}"},
            code="evaluation_cycle_closed",
        )


def _lock_sheet(sheet: Sheet) -> Sheet:
    locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
    cycle = Cycle.objects.select_related("scheme").get(pk=locked.cycle_id)
    locked.cycle = cycle
    _ensure_open(cycle)
    return locked


def _plain(value: Decimal) -> str:
    """70.00 → "70", 12.50 → "12.5" (``normalize()`` alone gives "7E+1")."""
    return format(value.normalize(), "f")


def _period(cycle: Cycle) -> str:
    return f"{cycle.month:02d}/{cycle.year}"


# --- schemes (the evaluator) -------------------------------------------------------


def _ensure_scheme_manager(actor: User) -> Officer | None:
    officer = getattr(actor, "officer", None)
    if not can(actor, Action.EVALUATION_MANAGE_SCHEME, officer.unit if officer else None):
        raise PermissionDenied(
            _("Bạn không có quyền %(action)s.")
            % {"action": Action.EVALUATION_MANAGE_SCHEME.label},
            action=str(Action.EVALUATION_MANAGE_SCHEME),
        )
    return officer


def _ensure_scheme_editable(scheme: Scheme) -> None:
    if scheme.cycles.filter(status=CycleStatus.CLOSED).exists():
        raise Conflict(
            _(
                "Bộ tiêu chí đã dùng cho kỳ đánh giá đã chốt; hãy tạo phiên bản mới có hiệu lực "
                "từ ngày khác để không làm thay đổi kết quả cũ."
            ),
            code="evaluation_scheme_in_use",
        )


SCHEME_FIELDS = (
    "name",
    "legal_basis",
    "valid_to",
    "excellent_from",
    "good_from",
    "completed_from",
    "quota_percent",
    "quota_percent_exceptional",
    "error_penalty_percent",
    "delay_penalty_percent",
    "disqualifiers",
    "grade_labels",
)


@transaction.atomic
def scheme_update(*, scheme: Scheme, actor: User, changes: Mapping[str, Any]) -> Scheme:
    """Change thresholds, quota, penalties or disqualifiers of a scheme not yet used in a
    closed month (evaluator only)."""
    _ensure_scheme_manager(actor)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _ensure_scheme_editable(scheme)
    unknown = set(changes) - set(SCHEME_FIELDS)
    if unknown:
        raise ValidationFailed(_("Trường không sửa được: %(f)s.") % {"f": ", ".join(unknown)})
    before = {name: str(getattr(scheme, name)) for name in changes}
    for name, value in changes.items():
        setattr(scheme, name, value)
    if not (scheme.excellent_from > scheme.good_from > scheme.completed_from):
        raise ValidationFailed(
            _("Ngưỡng điểm phải giảm dần: xuất sắc > tốt > hoàn thành."), field="good_from"
        )
    scheme.save()
    audit_record(
        actor=actor,
        action="evaluation.scheme_update",
        obj=scheme,
        summary=_("Sửa bộ tiêu chí %(name)s") % {"name": scheme.name},
        data={"before": before, "after": {name: str(getattr(scheme, name)) for name in changes}},
    )
    return scheme


@transaction.atomic
def scheme_new_version(
    *, scheme: Scheme, actor: User, code: str, valid_from: dt.date, name: str = ""
) -> Scheme:
    """A copy of ``scheme`` with its criteria, in force from ``valid_from``; the old one ends
    the day before (effective-dated: past months keep the scheme they were rated under)."""
    _ensure_scheme_manager(actor)
    if valid_from <= scheme.valid_from:
        raise ValidationFailed(
            _("Phiên bản mới phải có hiệu lực sau ngày %(day)s.")
            % {"day": scheme.valid_from.strftime("%d/%m/%Y")},
            field="valid_from",
        )
    if Scheme.objects.filter(code=code).exists():
        raise ValidationFailed(_("Mã bộ tiêu chí đã có."), field="code")
    criteria = list(scheme.criteria.all())
    old_valid_to = scheme.valid_to
    Scheme.objects.filter(pk=scheme.pk).update(valid_to=valid_from - dt.timedelta(days=1))
    copy = Scheme.objects.get(pk=scheme.pk)
    copy.pk = None
    copy.code = code
    copy.name = name or scheme.name
    copy.valid_from = valid_from
    copy.valid_to = old_valid_to
    copy.save()
    Criterion.objects.bulk_create(
        Criterion(
            scheme=copy,
            group=item.group,
            code=item.code,
            name=item.name,
            max_points=item.max_points,
            order=item.order,
        )
        for item in criteria
    )
    audit_record(
        actor=actor,
        action="evaluation.scheme_new_version",
        obj=copy,
        summary=_("Phiên bản mới của bộ tiêu chí %(name)s") % {"name": copy.name},
        data={"from": scheme.code, "valid_from": valid_from.isoformat()},
    )
    return copy


@transaction.atomic
def criterion_save(
    *,
    scheme: Scheme,
    actor: User,
    code: str,
    name: str,
    group: str,
    max_points: Decimal,
    order: int = 0,
) -> Criterion:
    """Add or change a criterion (by code) of a scheme not yet used in a closed month."""
    _ensure_scheme_manager(actor)
    _ensure_scheme_editable(scheme)
    if group not in CriterionGroup.values:
        raise ValidationFailed(_("Nhóm tiêu chí không hợp lệ."), field="group")
    if not code.strip() or not name.strip():
        raise ValidationFailed(_("Vui lòng nhập mã và tên tiêu chí."), field="name")
    if max_points < 0:
        raise ValidationFailed(_("Điểm tối đa không được âm."), field="max_points")
    criterion, created = Criterion.objects.update_or_create(
        scheme=scheme,
        code=code.strip(),
        defaults={"name": name.strip(), "group": group, "max_points": max_points, "order": order},
    )
    audit_record(
        actor=actor,
        action="evaluation.criterion_save",
        obj=criterion,
        summary=_("%(verb)s tiêu chí %(code)s của %(scheme)s")
        % {"verb": _("Thêm") if created else _("Sửa"), "code": criterion.code, "scheme": scheme},
        data={"max_points": str(max_points), "group": group},
    )
    return criterion


# --- the cycle ---------------------------------------------------------------------


def _decided_by_leader(officer: Officer) -> bool:
    # Heads (and leaders) are rated by the level above them (3814; domain.md 5.1).
    return officer.has_role(Role.HEAD) or officer.has_role(Role.LEADER)


@transaction.atomic
def cycle_open(
    *,
    unit: Unit,
    year: int,
    month: int,
    actor: User | None = None,
    exceptional_unit: bool = False,
    scheme: Scheme | None = None,
) -> Cycle:
    """Open a unit's month: pin the scheme in force, set the stage deadlines on the unit's
    working calendar and give every officer of the unit a sheet pre-filled with figures."""
    if actor is not None and not (
        can(actor, Action.EVALUATION_DECIDE, unit)
        or can(actor, Action.EVALUATION_MANAGE_SCHEME, unit)
    ):
        ensure_can(actor, Action.EVALUATION_DECIDE, unit)
    if not 1 <= month <= 12:
        raise ValidationFailed(_("Tháng không hợp lệ."), field="month")
    # A month years away is a typing slip, and dates stop at year 9999.
    today = timezone.localdate()
    if not today.year - 5 <= year <= today.year + 1:
        raise ValidationFailed(
            _("Năm %(year)s không hợp lệ: chỉ mở đánh giá từ năm %(first)s đến năm %(last)s.")
            % {"year": year, "first": today.year - 5, "last": today.year + 1},
            field="year",
        )
    if Cycle.objects.filter(unit=unit, year=year, month=month).exists():
        raise Conflict(
            _("Đơn vị đã mở đánh giá tháng %(period)s.") % {"period": f"{month:02d}/{year}"},
            code="evaluation_cycle_exists",
        )
    first_day = dt.date(year, month, 1)
    if scheme is not None and not scheme.is_in_force(first_day):
        raise ValidationFailed(
            _("Bộ tiêu chí %(name)s không áp dụng cho tháng %(period)s.")
            % {"name": scheme.name, "period": f"{month:02d}/{year}"},
            field="scheme",
        )
    scheme = scheme or selectors.scheme_in_force(on=first_day)
    if scheme is None:
        raise ValidationFailed(
            _("Chưa có bộ tiêu chí đánh giá áp dụng cho tháng %(period)s.")
            % {"period": f"{month:02d}/{year}"}
        )
    now = timezone.now()
    calendar = calendar_for_unit(unit=unit)
    days = max(1, settings.EVALUATION_STAGE_WORKING_DAYS)
    self_deadline = calendar.due_in_working_days(now, days)
    review_deadline = calendar.due_in_working_days(self_deadline, days)
    decision_deadline = calendar.due_in_working_days(review_deadline, days)
    cycle = Cycle.objects.create(
        unit=unit,
        year=year,
        month=month,
        scheme=scheme,
        exceptional_unit=exceptional_unit,
        opened_at=now,
        self_deadline=self_deadline,
        review_deadline=review_deadline,
        decision_deadline=decision_deadline,
    )
    officers = list(
        Officer.objects.filter(unit=unit, user__is_active=True)
        .select_related("user")
        .prefetch_related("roles")
    )
    figures = selectors.month_figures(officers=officers, year=year, month=month)
    Sheet.objects.bulk_create(
        Sheet(
            cycle=cycle,
            officer=officer,
            supervisor_id=officer.supervisor_id,
            decided_by_leader=_decided_by_leader(officer),
            figures=figures[officer.pk],
            figures_at=now,
        )
        for officer in officers
    )
    audit_record(
        actor=actor,
        action="evaluation.cycle_open",
        obj=cycle,
        unit=unit,
        summary=_("Mở đánh giá cán bộ tháng %(period)s") % {"period": _period(cycle)},
        data={"scheme": scheme.code, "sheets": len(officers)},
        legal_basis=scheme.legal_basis,
    )
    return cycle


def _parse_scores(scheme: Scheme, scores: Mapping[str, Any]) -> dict[str, str]:
    """Scores by criterion code, each a number within [0, its maximum]."""
    maxima = {item.code: item.max_points for item in scheme.criteria.all()}
    parsed: dict[str, str] = {}
    for code, maximum in maxima.items():
        raw = scores.get(code, "")
        if raw in ("", None):
            raise ValidationFailed(
                _("Vui lòng chấm điểm tiêu chí %(code)s.") % {"code": code}, field=code
            )
        try:
            value = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            raise ValidationFailed(
                _("Điểm tiêu chí %(code)s phải là số.") % {"code": code}, field=code
            ) from None
        if not value.is_finite() or value < 0 or value > maximum:
            raise ValidationFailed(
                _("Điểm tiêu chí %(code)s phải từ 0 đến %(max)s.")
                % {"code": code, "max": _plain(maximum)},
                field=code,
            )
        parsed[code] = str(value)
    return parsed


def _score(
    scheme: Scheme, scores: Mapping[str, str], disqualified: bool = False
) -> tuple[Decimal, Grade]:
    maxima = {item.code: item.max_points for item in scheme.criteria.all()}
    total = sheet_total({code: Decimal(value) for code, value in scores.items()}, maxima)
    return total, classify(total, selectors.thresholds_of(scheme), disqualified=disqualified)


@transaction.atomic
def sheet_self_assess(
    *,
    sheet: Sheet,
    actor: User,
    scores: Mapping[str, Any],
    evidence: str = "",
    comment: str = "",
) -> Sheet:
    """The officer scores their own month with evidence (again, until the supervisor acts)."""
    sheet = _lock_sheet(sheet)
    ensure_can(actor, Action.EVALUATION_SELF_ASSESS, sheet)
    if sheet.officer.user_id != actor.pk:
        raise PermissionDenied(_("Chỉ cán bộ được đánh giá mới tự đánh giá."))
    if sheet.status not in (SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED):
        raise Conflict(
            _("Quản lý đã nhận xét phiếu này; không sửa được phần tự đánh giá."),
            code="evaluation_sheet_reviewed",
        )
    parsed = _parse_scores(sheet.cycle.scheme, scores)
    sheet.self_total, grade = _score(sheet.cycle.scheme, parsed)
    sheet.self_scores = parsed
    sheet.self_grade = grade
    sheet.evidence = evidence.strip()
    sheet.self_comment = comment.strip()
    sheet.self_assessed_at = timezone.now()
    sheet.status = SheetStatus.SELF_ASSESSED
    sheet.save()
    audit_record(
        actor=actor,
        action="evaluation.self_assess",
        obj=sheet,
        unit=sheet.officer.unit,
        summary=_("Tự đánh giá tháng %(period)s: %(total)s điểm")
        % {"period": _period(sheet.cycle), "total": sheet.self_total},
        data={"scores": parsed, "grade": grade},
    )
    return sheet


@transaction.atomic
def sheet_review(*, sheet: Sheet, actor: User, comment: str, scores: Mapping[str, Any]) -> Sheet:
    """The direct supervisor comments and proposes scores and a level."""
    sheet = _lock_sheet(sheet)
    access = selectors.sheet_access(user=actor, sheet=sheet)
    if not access.review:
        raise PermissionDenied(_("Chỉ quản lý trực tiếp của cán bộ mới nhận xét phiếu này."))
    if sheet.status not in (SheetStatus.SELF_ASSESSED, SheetStatus.REVIEWED):
        raise Conflict(
            _("Phiếu chưa tự đánh giá hoặc đã có quyết định."), code="evaluation_sheet_state"
        )
    if not comment.strip():
        raise ValidationFailed(_("Vui lòng ghi nhận xét."), field="comment")
    if sheet.disputes.filter(status=DisputeStatus.OPEN).exists():
        raise Conflict(
            _("Còn đề nghị xem lại số liệu chưa giải quyết."), code="evaluation_dispute_open"
        )
    parsed = _parse_scores(sheet.cycle.scheme, scores)
    sheet.proposed_total, sheet.proposed_grade = _score(sheet.cycle.scheme, parsed)
    sheet.proposed_scores = parsed
    sheet.review_comment = comment.strip()
    sheet.reviewed_by = _officer(actor)
    sheet.reviewed_at = timezone.now()
    sheet.status = SheetStatus.REVIEWED
    sheet.save()
    audit_record(
        actor=actor,
        action="evaluation.review",
        obj=sheet,
        unit=sheet.officer.unit,
        summary=_("Nhận xét, đề xuất %(total)s điểm cho %(name)s")
        % {"total": sheet.proposed_total, "name": sheet.officer.full_name},
        data={"scores": parsed, "grade": sheet.proposed_grade},
    )
    return sheet


@transaction.atomic
def sheet_decide(
    *,
    sheet: Sheet,
    actor: User,
    scores: Mapping[str, Any],
    disqualifiers: Sequence[str] = (),
    comment: str = "",
) -> Sheet:
    """The head of the unit (the leader for a head) decides the points and the level."""
    sheet = _lock_sheet(sheet)
    access = selectors.sheet_access(user=actor, sheet=sheet)
    if not access.decide:
        if sheet.decided_by_leader:
            raise PermissionDenied(
                _("Xếp loại của người đứng đầu do lãnh đạo cấp trên quyết định.")
            )
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị mới quyết định xếp loại."))
    allowed = [SheetStatus.REVIEWED, SheetStatus.DECIDED]
    if sheet.supervisor_id is None:
        allowed.append(SheetStatus.SELF_ASSESSED)
    if sheet.status not in allowed:
        raise Conflict(
            _("Phiếu chưa được quản lý trực tiếp nhận xét."), code="evaluation_sheet_state"
        )
    known = {item["code"] for item in sheet.cycle.scheme.disqualifiers or []}
    unknown = [code for code in disqualifiers if code not in known]
    if unknown:
        raise ValidationFailed(
            _("Trường hợp không hoàn thành không hợp lệ."), field="disqualifiers"
        )
    parsed = _parse_scores(sheet.cycle.scheme, scores)
    sheet.final_total, sheet.final_grade = _score(
        sheet.cycle.scheme, parsed, disqualified=bool(disqualifiers)
    )
    sheet.final_scores = parsed
    sheet.disqualifiers = list(disqualifiers)
    sheet.decision_comment = comment.strip()
    sheet.decided_by = _officer(actor)
    sheet.decided_at = timezone.now()
    sheet.status = SheetStatus.DECIDED
    sheet.save()
    audit_record(
        actor=actor,
        action="evaluation.decide",
        obj=sheet,
        unit=sheet.officer.unit,
        summary=_("Quyết định xếp loại %(name)s: %(grade)s")
        % {
            "name": sheet.officer.full_name,
            "grade": sheet.cycle.scheme.grade_label(sheet.final_grade),
        },
        data={"scores": parsed, "grade": sheet.final_grade, "disqualifiers": list(disqualifiers)},
        legal_basis=sheet.cycle.scheme.legal_basis,
    )
    return sheet


@transaction.atomic
def cycle_set_exceptional(*, cycle: Cycle, actor: User, exceptional: bool) -> Cycle:
    """Mark the unit exceptional for the month (the higher cap applies)."""
    cycle = Cycle.objects.select_for_update().select_related("scheme", "unit").get(pk=cycle.pk)
    _ensure_open(cycle)
    ensure_can(actor, Action.EVALUATION_DECIDE, cycle.unit)
    cycle.exceptional_unit = exceptional
    cycle.save(update_fields=["exceptional_unit", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.cycle_exceptional",
        obj=cycle,
        unit=cycle.unit,
        summary=_("Đơn vị hoàn thành xuất sắc tháng %(period)s: %(value)s")
        % {"period": _period(cycle), "value": _("có") if exceptional else _("không")},
    )
    return cycle


@transaction.atomic
def cycle_close(*, cycle: Cycle, actor: User) -> Cycle:
    """Close the month once every sheet is decided and the quota holds; read-only after."""
    cycle = Cycle.objects.select_for_update().select_related("scheme", "unit").get(pk=cycle.pk)
    _ensure_open(cycle)
    ensure_can(actor, Action.EVALUATION_DECIDE, cycle.unit)
    pending = cycle.sheets.exclude(status=SheetStatus.DECIDED).count()
    if pending:
        raise Conflict(
            _("Còn %(count)s phiếu chưa có quyết định xếp loại; chưa chốt được tháng.")
            % {"count": pending},
            code="evaluation_sheets_pending",
            pending=pending,
        )
    quota = selectors.cycle_quota(cycle=cycle)
    if not quota.ok:
        top = cycle.scheme.grade_label(Grade.EXCELLENT)
        raise Conflict(
            _(
                "Vượt tỷ lệ %(top)s: có %(count)s người, tối đa %(cap)s (%(percent)s%% %(base)s). "
                "Cần chuyển %(move)s người xuống mức thấp hơn trước khi chốt."
            )
            % {
                "top": top,
                "count": quota.top,
                "cap": quota.cap,
                "percent": _plain(selectors.quota_percent(cycle)),
                "base": cycle.scheme.get_quota_base_display(),
                "move": quota.must_move,
            },
            code="evaluation_quota_exceeded",
            must_move=quota.must_move,
        )
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.closed_by = _officer(actor)
    cycle.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.cycle_close",
        obj=cycle,
        unit=cycle.unit,
        summary=_("Chốt đánh giá cán bộ tháng %(period)s") % {"period": _period(cycle)},
        data={"top": quota.top, "cap": quota.cap},
        legal_basis=cycle.scheme.legal_basis,
    )
    return cycle


@transaction.atomic
def cycle_reopen(*, cycle: Cycle, actor: User, reason: str) -> Cycle:
    """Open a closed month again, recording who and why (the only way to change it)."""
    cycle = Cycle.objects.select_for_update().select_related("unit").get(pk=cycle.pk)
    ensure_can(actor, Action.EVALUATION_DECIDE, cycle.unit)
    if cycle.status != CycleStatus.CLOSED:
        raise Conflict(_("Kỳ đánh giá đang mở."), code="evaluation_cycle_open")
    if not reason.strip():
        raise ValidationFailed(_("Vui lòng ghi lý do mở lại kỳ đánh giá."), field="reason")
    officer = _officer(actor)
    Reopening.objects.create(cycle=cycle, at=timezone.now(), by=officer, reason=reason.strip())
    cycle.status = CycleStatus.OPEN
    cycle.closed_at = None
    cycle.closed_by = None
    cycle.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.cycle_reopen",
        obj=cycle,
        unit=cycle.unit,
        summary=_("Mở lại đánh giá tháng %(period)s") % {"period": _period(cycle)},
        data={"reason": reason.strip()},
    )
    return cycle


# --- figures and disputes --------------------------------------------------------------


@transaction.atomic
def sheet_refresh_figures(*, sheet: Sheet, actor: User | None) -> Sheet:
    """Recompute the month's figures (accepted disputes keep their corrected value)."""
    sheet = _lock_sheet(sheet)
    fresh = selectors.month_figures(
        officers=[sheet.officer_id], year=sheet.cycle.year, month=sheet.cycle.month
    )[sheet.officer_id]
    for dispute in sheet.disputes.filter(status=DisputeStatus.ACCEPTED):
        if dispute.resolved_value is not None:
            fresh[dispute.figure] = dispute.resolved_value
    sheet.figures = fresh
    sheet.figures_at = timezone.now()
    sheet.save(update_fields=["figures", "figures_at", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.figures_refresh",
        obj=sheet,
        unit=sheet.officer.unit,
        summary=_("Cập nhật số liệu tháng %(period)s") % {"period": _period(sheet.cycle)},
    )
    return sheet


@transaction.atomic
def figure_dispute_open(
    *, sheet: Sheet, actor: User, figure: str, reason: str, claimed_value: int | None = None
) -> FigureDispute:
    """The officer disputes one pre-filled figure of their own sheet."""
    sheet = _lock_sheet(sheet)
    if sheet.officer.user_id != actor.pk:
        raise PermissionDenied(_("Chỉ cán bộ được đánh giá mới đề nghị xem lại số liệu."))
    if figure not in Figure.values:
        raise ValidationFailed(_("Số liệu không hợp lệ."), field="figure")
    if not reason.strip():
        raise ValidationFailed(_("Vui lòng ghi lý do đề nghị xem lại."), field="reason")
    if sheet.disputes.filter(figure=figure, status=DisputeStatus.OPEN).exists():
        raise Conflict(_("Số liệu này đang chờ giải quyết."), code="evaluation_dispute_open")
    dispute = FigureDispute.objects.create(
        sheet=sheet,
        figure=figure,
        value=sheet.figure(figure),
        claimed_value=claimed_value,
        reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action="evaluation.dispute_open",
        obj=dispute,
        unit=sheet.officer.unit,
        summary=_("Đề nghị xem lại số liệu: %(figure)s")
        % {"figure": dispute.get_figure_display()},
        data={"value": dispute.value, "claimed": claimed_value},
    )
    return dispute


@transaction.atomic
def figure_dispute_resolve(
    *,
    dispute: FigureDispute,
    actor: User,
    accept: bool,
    resolution: str,
    value: int | None = None,
) -> FigureDispute:
    """The supervisor keeps the figure or corrects it, with a written answer."""
    dispute = FigureDispute.objects.select_for_update().get(pk=dispute.pk)
    sheet = _lock_sheet(dispute.sheet)
    if not selectors.sheet_access(user=actor, sheet=sheet).review:
        raise PermissionDenied(_("Chỉ quản lý trực tiếp của cán bộ mới giải quyết đề nghị này."))
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict(_("Đề nghị đã được giải quyết."), code="evaluation_dispute_resolved")
    if not resolution.strip():
        raise ValidationFailed(_("Vui lòng ghi ý kiến giải quyết."), field="resolution")
    if accept:
        value = value if value is not None else dispute.claimed_value
        if value is None or value < 0:
            raise ValidationFailed(_("Vui lòng nhập số liệu đúng."), field="value")
        figures = dict(sheet.figures)
        figures[dispute.figure] = value
        sheet.figures = figures
        sheet.save(update_fields=["figures", "updated_at"])
    dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
    dispute.resolved_value = value if accept else dispute.value
    dispute.resolution = resolution.strip()
    dispute.resolved_by = _officer(actor)
    dispute.resolved_at = timezone.now()
    dispute.save()
    audit_record(
        actor=actor,
        action="evaluation.dispute_resolve",
        obj=dispute,
        unit=sheet.officer.unit,
        summary=_("Giải quyết đề nghị xem lại số liệu: %(status)s")
        % {"status": dispute.get_status_display()},
        data={"value": dispute.value, "resolved": dispute.resolved_value},
    )
    return dispute


# --- work plans --------------------------------------------------------------------


def _deadline(unit: Unit, day: dt.date) -> dt.datetime:
    """The close of ``day``, or of the next working day when ``day`` is a day off."""
    calendar = calendar_for_unit(unit=unit)
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    return calendar.close_of(day)


def _ensure_plan_manager(actor: User, plan_unit: Unit, officer: Officer | None) -> None:
    me = getattr(actor, "officer", None)
    if officer is not None and me is not None and officer.pk == me.pk:
        return  # an officer keeps their own plan
    ensure_can(actor, Action.EVALUATION_REVIEW, plan_unit)


@transaction.atomic
def work_plan_create(
    *,
    actor: User,
    unit: Unit,
    period: str,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str,
    officer: Officer | None = None,
) -> WorkPlan:
    """A weekly, monthly or quarterly plan of a unit (head) or of an officer (self or head)."""
    _ensure_plan_manager(actor, unit, officer)
    if period not in PlanPeriod.values:
        raise ValidationFailed(_("Kỳ kế hoạch không hợp lệ."), field="period")
    if ends_on < starts_on:
        raise ValidationFailed(_("Ngày kết thúc phải sau ngày bắt đầu."), field="ends_on")
    if not title.strip():
        raise ValidationFailed(_("Vui lòng nhập tên kế hoạch."), field="title")
    if officer is not None and officer.unit_id != unit.pk:
        raise ValidationFailed(_("Cán bộ không thuộc đơn vị này."), field="officer")
    plan = WorkPlan.objects.create(
        unit=unit,
        officer=officer,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        title=title.strip(),
        created_by=_officer(actor),
    )
    audit_record(
        actor=actor, action="evaluation.plan_create", obj=plan, unit=unit, summary=plan.title
    )
    return plan


@transaction.atomic
def work_task_create(
    *,
    plan: WorkPlan,
    actor: User,
    title: str,
    owner: Officer,
    deadline_on: dt.date,
    expected_product: str = "",
    weight: Decimal = Decimal(1),
) -> WorkTask:
    """A task with owner, deadline (end of a working day), expected product and weight."""
    _ensure_plan_manager(actor, plan.unit, plan.officer)
    if not title.strip():
        raise ValidationFailed(_("Vui lòng nhập nhiệm vụ."), field="title")
    if owner.unit_id != plan.unit_id and not owner.unit.is_within(plan.unit):
        raise ValidationFailed(
            _("Người thực hiện không thuộc đơn vị của kế hoạch."), field="owner"
        )
    if weight <= 0:
        raise ValidationFailed(_("Trọng số phải lớn hơn 0."), field="weight")
    task = WorkTask.objects.create(
        plan=plan,
        title=title.strip(),
        owner=owner,
        deadline=_deadline(plan.unit, deadline_on),
        expected_product=expected_product.strip(),
        weight=weight,
    )
    audit_record(
        actor=actor,
        action="evaluation.task_create",
        obj=task,
        unit=plan.unit,
        summary=task.title[:200],
        data={"owner": owner.pk, "deadline": task.deadline.isoformat()},
    )
    return task


@transaction.atomic
def work_task_progress(*, task: WorkTask, actor: User, progress: int, note: str = "") -> WorkTask:
    """The owner (or the head) reports progress in per cent."""
    task = (
        WorkTask.objects.select_for_update().select_related("plan__unit", "owner").get(pk=task.pk)
    )
    if task.owner.user_id != actor.pk:
        ensure_can(actor, Action.EVALUATION_REVIEW, task.plan.unit)
    if task.completed_at is not None:
        raise Conflict(_("Nhiệm vụ đã hoàn thành."), code="evaluation_task_done")
    if not 0 <= progress <= 100:
        raise ValidationFailed(_("Tiến độ từ 0 đến 100%."), field="progress")
    task.progress = progress
    task.progress_note = note.strip()
    task.save(update_fields=["progress", "progress_note", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.task_progress",
        obj=task,
        unit=task.plan.unit,
        summary=_("Tiến độ %(p)s%%") % {"p": progress},
    )
    return task


@transaction.atomic
def work_task_complete(
    *,
    task: WorkTask,
    actor: User,
    meets_requirements: bool,
    major_errors: int = 0,
    quality_note: str = "",
    completed_at: dt.datetime | None = None,
) -> WorkTask:
    """The head (or the owner's supervisor) records completion with its quality."""
    task = (
        WorkTask.objects.select_for_update().select_related("plan__unit", "owner").get(pk=task.pk)
    )
    me = getattr(actor, "officer", None)
    if not (me is not None and task.owner.supervisor_id == me.pk):
        ensure_can(actor, Action.EVALUATION_REVIEW, task.plan.unit)
    if me is not None and task.owner_id == me.pk:
        raise PermissionDenied(_("Người thực hiện không tự nghiệm thu nhiệm vụ của mình."))
    if task.completed_at is not None:
        raise Conflict(_("Nhiệm vụ đã hoàn thành."), code="evaluation_task_done")
    if major_errors < 0:
        raise ValidationFailed(_("Số lỗi không được âm."), field="major_errors")
    task.completed_at = completed_at or timezone.now()
    task.progress = 100
    task.meets_requirements = meets_requirements
    task.major_errors = major_errors
    task.quality_note = quality_note.strip()
    task.save()
    audit_record(
        actor=actor,
        action="evaluation.task_complete",
        obj=task,
        unit=task.plan.unit,
        summary=task.title[:200],
        data={"on_time": task.on_time, "errors": major_errors},
    )
    return task


# --- the monthly timetable ----------------------------------------------------------------


def cycles_open_due(*, today: dt.date | None = None) -> list[Cycle]:
    """On the configured day, open the month for every unit in force that has officers."""
    today = today or timezone.localdate()
    if today.day != settings.EVALUATION_OPEN_DAY:
        return []
    unit_ids = (
        Officer.objects.filter(user__is_active=True).values_list("unit_id", flat=True).distinct()
    )
    opened = []
    for unit in Unit.objects.in_force(today).filter(pk__in=list(unit_ids)):
        if Cycle.objects.filter(unit=unit, year=today.year, month=today.month).exists():
            continue
        if selectors.scheme_in_force(on=today.replace(day=1)) is None:
            break
        opened.append(cycle_open(unit=unit, year=today.year, month=today.month))
    return opened


def _waiting_for(sheet: Sheet) -> tuple[list[Officer], str, dt.datetime] | None:
    cycle = sheet.cycle
    if sheet.status == SheetStatus.DRAFT:
        return [sheet.officer], _("tự đánh giá"), cycle.self_deadline
    if sheet.status == SheetStatus.SELF_ASSESSED and sheet.supervisor is not None:
        return [sheet.supervisor], _("nhận xét, đề xuất xếp loại"), cycle.review_deadline
    if sheet.status in (SheetStatus.SELF_ASSESSED, SheetStatus.REVIEWED):
        role = Role.LEADER if sheet.decided_by_leader else Role.HEAD
        unit = sheet.officer.unit
        deciders = [
            officer
            for officer in Officer.objects.filter(
                roles__role=role, unit_id__in=unit.ancestor_ids
            ).select_related("user")
            if officer.pk != sheet.officer_id
        ]
        return deciders, _("quyết định xếp loại"), cycle.decision_deadline
    return None


def evaluation_remind(*, now: dt.datetime | None = None) -> int:
    """Tell whoever a sheet waits for when its stage ends within a working day (or has ended).

    Idempotent per sheet, stage and day (the notification source), so the
    job may run several times a day.
    """
    from motcua.evaluation.events import REMINDER
    from motcua.notifications.services import Recipient, notify

    now = now or timezone.now()
    sent = 0
    sheets = Sheet.objects.filter(
        cycle__status=CycleStatus.OPEN,
        status__in=[SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED, SheetStatus.REVIEWED],
    ).select_related("cycle__unit", "officer__user", "officer__unit", "supervisor__user")
    for sheet in sheets:
        waiting = _waiting_for(sheet)
        if waiting is None:
            continue
        people, task_name, deadline = waiting
        calendar = calendar_for_unit(unit=sheet.cycle.unit)
        local_today = timezone.localtime(now, TZ).date()
        if calendar.working_days_between(local_today, timezone.localtime(deadline, TZ).date()) > 1:
            continue
        with transaction.atomic():
            rows = notify(
                REMINDER,
                source=f"evaluation-sheet:{sheet.pk}:{sheet.status}:{local_today.isoformat()}",
                context={
                    "period": _period(sheet.cycle),
                    "task": task_name,
                    "deadline": deadline,
                    "unit_name": sheet.cycle.unit.name,
                },
                recipients=[Recipient(user=person.user) for person in people],
                webhooks=False,
            )
        sent += len(rows)
    return sent
