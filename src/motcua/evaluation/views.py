"""Staff screens of the monthly evaluation under ``/can-bo/danh-gia-can-bo/``.

Thin: parse, authorize through the selectors (the same 404 for "missing" and
"not yours"), call one service, render. Domain errors from a service come
back as a message on the same page. URL names live in the ``backoffice``
namespace (included from ``backoffice/urls.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, User
from motcua.accounts.permissions import Action, can
from motcua.backoffice import navigation
from motcua.backoffice.access import domain_view
from motcua.core.exceptions import DomainError, NotFound, PermissionDenied
from motcua.evaluation import charts, export, selectors, services
from motcua.evaluation.constants import (
    GRADE_ORDER,
    CriterionGroup,
    DisputeStatus,
    Figure,
    PlanPeriod,
    SheetStatus,
)
from motcua.evaluation.models import FigureDispute, Scheme, WorkTask

View = Callable[..., HttpResponse]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _officer(request: HttpRequest) -> Officer | None:
    return getattr(request.user, "officer", None)


def staff_view(methods: Sequence[str] = ("GET",)) -> Callable[[View], View]:
    """Officers only; missing or not visible → 404, refused → 403."""
    return domain_view(methods)


def _attempt(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run one service call; its domain error becomes the page's error message."""
    try:
        call()
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _scores(request: HttpRequest, scheme: Scheme, prefix: str) -> dict[str, str]:
    return {
        item.code: request.POST.get(f"{prefix}{item.code}", "").strip()
        for item in scheme.criteria.all()
    }


# --- trend charts (geometry in ``charts``, drawing in the templates) -----------------------


def _month_label(month: int) -> str:
    # Translators: the short month under a chart column, "T3" for tháng 3.
    return _("T%(month)d") % {"month": month}


def _grade_chart(trend: selectors.UnitTrend) -> dict[str, Any]:
    """One unit's stacked bars with the months' numbers for the accessible table."""
    chart = charts.stacked_bars(
        columns=[(_month_label(month.month), month.ordered_counts) for month in trend.months],
        series=[grade.value for grade in GRADE_ORDER],
        quota=[month.cap for month in trend.months],
    )
    return {"unit": trend.unit, "chart": chart, "months": trend.months}


def _score_chart(rollup: dict[str, Any]) -> charts.LineChart:
    """The officer's decided total per month of the rollup's year."""
    totals = {row["cycle__month"]: row["final_total"] for row in rollup["months"]}
    return charts.line_points(
        values=[
            (
                _month_label(month),
                float(totals[month]) if totals.get(month) is not None else None,
            )
            for month in range(1, 13)
        ]
    )


# --- home ------------------------------------------------------------------------


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    """My sheets, sheets waiting for me, the cycles I may see, and opening a month."""
    user = _user(request)
    officer = _officer(request)
    today = timezone.localdate()
    can_open = officer is not None and can(user, Action.EVALUATION_DECIDE, officer.unit)
    rollup = (
        selectors.annual_rollup(officer=officer, year=today.year) if officer is not None else None
    )
    return render(
        request,
        "backoffice/evaluation/home.html",
        {
            "my_sheets": list(selectors.my_sheets(user=user)[:12]),
            "rollup": rollup,
            "score_chart": _score_chart(rollup) if rollup and rollup["decided"] else None,
            "to_act": selectors.sheets_to_act_on(user=user),
            "cycles": list(selectors.cycles_for_user(user=user)[:40]),
            "overdue_tasks": list(selectors.work_tasks_overdue(user=user)[:20]),
            "can_open": can_open,
            "can_manage_schemes": navigation.may(Action.EVALUATION_MANAGE_SCHEME)(user),
            "open_year": today.year,
            "open_month": today.month,
            "months": range(1, 13),
        },
    )


@staff_view(("POST",))
def cycle_open_view(request: HttpRequest) -> HttpResponse:
    """A head opens their unit's month (the periodic job does it on the configured day)."""
    officer = _officer(request)
    if officer is None:
        raise Http404
    year = _int(request.POST.get("year"), timezone.localdate().year)
    month = _int(request.POST.get("month"), timezone.localdate().month)
    created: list[Any] = []
    ok = _attempt(
        request,
        lambda: created.append(
            services.cycle_open(unit=officer.unit, year=year, month=month, actor=_user(request))
        ),
        _("Đã mở đánh giá tháng %(period)s.") % {"period": f"{month:02d}/{year}"},
    )
    if ok:
        return redirect("backoffice:evaluation_cycle", created[0].pk)
    return redirect("backoffice:evaluation")


# --- a cycle --------------------------------------------------------------------


@staff_view()
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The month of a unit: every visible sheet, the quota and the closing buttons."""
    user = _user(request)
    cycle = selectors.cycle_get_for_user(user=user, pk=pk)
    rows = selectors.sheets_of_cycle(user=user, cycle=cycle)
    may_decide = can(user, Action.EVALUATION_DECIDE, cycle.unit)
    return render(
        request,
        "backoffice/evaluation/cycle.html",
        {
            "cycle": cycle,
            "rows": [
                {
                    "sheet": sheet,
                    "access": access,
                    "grade": cycle.scheme.grade_label(sheet.final_grade)
                    if sheet.final_grade
                    else "",
                }
                for sheet, access in rows
            ],
            "quota": selectors.cycle_quota(cycle=cycle),
            "quota_percent": selectors.quota_percent(cycle),
            "may_decide": may_decide,
            "reopenings": list(cycle.reopenings.select_related("by__user")),
            "may_export": may_decide
            or can(user, Action.EVALUATION_VIEW_ALL, cycle.unit)
            or can(user, Action.EVALUATION_REVIEW, cycle.unit),
        },
    )


@staff_view(("POST",))
def cycle_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get_for_user(user=_user(request), pk=pk)
    _attempt(
        request,
        lambda: services.cycle_close(cycle=cycle, actor=_user(request)),
        _("Đã chốt kết quả đánh giá tháng."),
    )
    return redirect("backoffice:evaluation_cycle", pk)


@staff_view(("POST",))
def cycle_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get_for_user(user=_user(request), pk=pk)
    _attempt(
        request,
        lambda: services.cycle_reopen(
            cycle=cycle, actor=_user(request), reason=request.POST.get("reason", "")
        ),
        _("Đã mở lại kỳ đánh giá; lý do đã được ghi nhận."),
    )
    return redirect("backoffice:evaluation_cycle", pk)


@staff_view(("POST",))
def cycle_exceptional_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get_for_user(user=_user(request), pk=pk)
    _attempt(
        request,
        lambda: services.cycle_set_exceptional(
            cycle=cycle, actor=_user(request), exceptional=request.POST.get("exceptional") == "1"
        ),
        _("Đã cập nhật."),
    )
    return redirect("backoffice:evaluation_cycle", pk)


def _ensure_export(request: HttpRequest, pk: int) -> Any:
    user = _user(request)
    cycle = selectors.cycle_get_for_user(user=user, pk=pk)
    if not (
        can(user, Action.EVALUATION_DECIDE, cycle.unit)
        or can(user, Action.EVALUATION_REVIEW, cycle.unit)
        or can(user, Action.EVALUATION_VIEW_ALL, cycle.unit)
    ):
        raise NotFound(_("Không tìm thấy kỳ đánh giá."))
    return cycle


def _file(content: bytes, content_type: str, name: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@staff_view()
def cycle_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _ensure_export(request, pk)
    name = f"tong-hop-danh-gia-{cycle.year}-{cycle.month:02d}.pdf"
    return _file(export.cycle_pdf(cycle=cycle, request=request), "application/pdf", name)


@staff_view()
def cycle_summary_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _ensure_export(request, pk)
    name = f"tong-hop-danh-gia-{cycle.year}-{cycle.month:02d}.xlsx"
    return _file(export.cycle_xlsx(cycle=cycle), XLSX, name, inline=False)


# --- a sheet --------------------------------------------------------------------


@staff_view()
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One officer's form: figures with links, the three columns, the forms the user may use."""
    sheet, access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    context = export.sheet_context(sheet)
    status = sheet.status
    context.update(
        {
            "access": access,
            "may_self": access.writable
            and access.own
            and status in (SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED),
            "may_review": access.writable
            and access.review
            and status in (SheetStatus.SELF_ASSESSED, SheetStatus.REVIEWED),
            "may_decide": access.writable
            and access.decide
            and (
                status in (SheetStatus.REVIEWED, SheetStatus.DECIDED)
                or (status == SheetStatus.SELF_ASSESSED and sheet.supervisor_id is None)
            ),
            "disputes": list(sheet.disputes.select_related("resolved_by__user")),
            "figure_choices": [(figure.value, figure.label) for figure in Figure],
            "dispute_open": DisputeStatus.OPEN,
            "criteria_groups": CriterionGroup,
        }
    )
    return render(request, "backoffice/evaluation/sheet.html", context)


@staff_view(("POST",))
def sheet_self_view(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    _attempt(
        request,
        lambda: services.sheet_self_assess(
            sheet=sheet,
            actor=_user(request),
            scores=_scores(request, sheet.cycle.scheme, "self_"),
            evidence=request.POST.get("evidence", ""),
            comment=request.POST.get("comment", ""),
        ),
        _("Đã gửi phiếu tự đánh giá."),
    )
    return redirect("backoffice:evaluation_sheet", pk)


@staff_view(("POST",))
def sheet_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    _attempt(
        request,
        lambda: services.sheet_review(
            sheet=sheet,
            actor=_user(request),
            comment=request.POST.get("comment", ""),
            scores=_scores(request, sheet.cycle.scheme, "proposed_"),
        ),
        _("Đã ghi nhận xét và đề xuất."),
    )
    return redirect("backoffice:evaluation_sheet", pk)


@staff_view(("POST",))
def sheet_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    ok = _attempt(
        request,
        lambda: services.sheet_decide(
            sheet=sheet,
            actor=_user(request),
            scores=_scores(request, sheet.cycle.scheme, "final_"),
            disqualifiers=request.POST.getlist("disqualifiers"),
            comment=request.POST.get("comment", ""),
        ),
        _("Đã quyết định xếp loại."),
    )
    if ok:
        return redirect("backoffice:evaluation_cycle", sheet.cycle_id)
    return redirect("backoffice:evaluation_sheet", pk)


@staff_view(("POST",))
def sheet_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    if not (access.own or access.review or access.decide):
        raise PermissionDenied(_("Bạn không có quyền cập nhật số liệu của phiếu này."))
    _attempt(
        request,
        lambda: services.sheet_refresh_figures(sheet=sheet, actor=_user(request)),
        _("Đã tính lại số liệu từ công việc thực tế."),
    )
    return redirect("backoffice:evaluation_sheet", pk)


@staff_view()
def sheet_figure(request: HttpRequest, pk: int, figure: str) -> HttpResponse:
    """The dossiers behind one figure of a sheet."""
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    dossiers = list(selectors.figure_dossiers(sheet=sheet, figure=figure)[:200])
    label = dict(Figure.choices).get(figure, figure)
    return render(
        request,
        "backoffice/evaluation/figure.html",
        {"sheet": sheet, "label": label, "dossiers": dossiers, "value": sheet.figure(figure)},
    )


@staff_view(("POST",))
def dispute_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    claimed = request.POST.get("claimed_value", "").strip()
    _attempt(
        request,
        lambda: services.figure_dispute_open(
            sheet=sheet,
            actor=_user(request),
            figure=request.POST.get("figure", ""),
            reason=request.POST.get("reason", ""),
            claimed_value=int(claimed) if claimed.isdigit() else None,
        ),
        _("Đã gửi đề nghị xem lại số liệu cho quản lý trực tiếp."),
    )
    return redirect("backoffice:evaluation_sheet", pk)


@staff_view(("POST",))
def dispute_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = FigureDispute.objects.filter(pk=pk).first()
    if dispute is None:
        raise Http404
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=dispute.sheet_id)
    value = request.POST.get("value", "").strip()
    _attempt(
        request,
        lambda: services.figure_dispute_resolve(
            dispute=dispute,
            actor=_user(request),
            accept=request.POST.get("accept") == "1",
            resolution=request.POST.get("resolution", ""),
            value=int(value) if value.isdigit() else None,
        ),
        _("Đã giải quyết đề nghị xem lại số liệu."),
    )
    return redirect("backoffice:evaluation_sheet", sheet.pk)


@staff_view()
def sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    name = f"phieu-danh-gia-{sheet.cycle.year}-{sheet.cycle.month:02d}-{sheet.officer_id}.pdf"
    return _file(export.sheet_pdf(sheet=sheet, request=request), "application/pdf", name)


@staff_view()
def sheet_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _access = selectors.sheet_get_for_user(user=_user(request), pk=pk)
    name = f"phieu-danh-gia-{sheet.cycle.year}-{sheet.cycle.month:02d}-{sheet.officer_id}.xlsx"
    return _file(export.sheet_xlsx(sheet=sheet), XLSX, name, inline=False)


# --- summaries ------------------------------------------------------------------


@staff_view()
def summary_view(request: HttpRequest) -> HttpResponse:
    """Level counts per unit for a month, a quarter or a year."""
    today = timezone.localdate()
    year = _int(request.GET.get("nam"), today.year)
    month = _int(request.GET.get("thang"), 0) or None
    quarter = _int(request.GET.get("quy"), 0) or None
    if month and not 1 <= month <= 12:
        month = None
    if quarter and not 1 <= quarter <= 4:
        quarter = None
    rows = selectors.summary(user=_user(request), year=year, month=month, quarter=quarter)
    totals = [sum(row.ordered_counts[index] for row in rows) for index in range(len(GRADE_ORDER))]
    trends = [
        _grade_chart(trend) for trend in selectors.summary_trend(user=_user(request), year=year)
    ]
    return render(
        request,
        "backoffice/evaluation/summary.html",
        {
            "rows": rows,
            "grades": [grade.label for grade in GRADE_ORDER],
            "totals": totals,
            "trends": trends,
            "legend": [(grade.value, grade.label) for grade in GRADE_ORDER],
            "year": year,
            "month": month,
            "quarter": quarter,
            "months": range(1, 13),
            "quarters": range(1, 5),
        },
    )


# --- schemes (the evaluator manages, everyone reads) ------------------------------------------


@staff_view()
def scheme_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/evaluation/schemes.html",
        {
            "schemes": list(selectors.scheme_list()),
            "can_manage": navigation.may(Action.EVALUATION_MANAGE_SCHEME)(request.user),  # type: ignore[arg-type]
        },
    )


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None


@staff_view(("GET", "POST"))
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scheme's thresholds, quota and criteria; the evaluator edits them here."""
    scheme = Scheme.objects.prefetch_related("criteria").filter(pk=pk).first()
    if scheme is None:
        raise Http404
    user = _user(request)
    can_manage = navigation.may(Action.EVALUATION_MANAGE_SCHEME)(user)
    if request.method == "POST":
        if not can_manage:
            raise DjangoPermissionDenied(
                _("Bạn không có quyền %(action)s.")
                % {"action": Action.EVALUATION_MANAGE_SCHEME.label}
            )
        form = request.POST.get("form")
        if form == "scheme":
            changes: dict[str, Any] = {}
            for name in (
                "excellent_from",
                "good_from",
                "completed_from",
                "quota_percent",
                "quota_percent_exceptional",
                "error_penalty_percent",
                "delay_penalty_percent",
            ):
                value = _decimal(request.POST.get(name, ""))
                if value is not None:
                    changes[name] = value
            _attempt(
                request,
                lambda: services.scheme_update(scheme=scheme, actor=user, changes=changes),
                _("Đã lưu bộ tiêu chí."),
            )
        elif form == "criterion":
            points = _decimal(request.POST.get("max_points", "")) or Decimal(-1)
            _attempt(
                request,
                lambda: services.criterion_save(
                    scheme=scheme,
                    actor=user,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    group=request.POST.get("group", ""),
                    max_points=points,
                    order=_int(request.POST.get("order"), 0),
                ),
                _("Đã lưu tiêu chí."),
            )
        elif form == "version":
            try:
                valid_from = dt.date.fromisoformat(request.POST.get("valid_from", ""))
            except ValueError:
                messages.error(request, _("Ngày hiệu lực không hợp lệ."))
            else:
                _attempt(
                    request,
                    lambda: services.scheme_new_version(
                        scheme=scheme,
                        actor=user,
                        code=request.POST.get("code", ""),
                        valid_from=valid_from,
                    ),
                    _("Đã tạo phiên bản mới của bộ tiêu chí."),
                )
        return redirect("backoffice:evaluation_scheme", pk)
    return render(
        request,
        "backoffice/evaluation/scheme.html",
        {
            "scheme": scheme,
            "criteria": list(scheme.criteria.all()),
            "groups": CriterionGroup.choices,
            "can_manage": can_manage,
            "total_points": sum(item.max_points for item in scheme.criteria.all()),
        },
    )


# --- work plans -------------------------------------------------------------------


@staff_view(("GET", "POST"))
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans the user may see, overdue tasks first; a head or the officer creates plans."""
    user = _user(request)
    officer = _officer(request)
    if request.method == "POST" and officer is not None:
        created: list[Any] = []
        personal = request.POST.get("personal") == "1"
        try:
            starts_on = dt.date.fromisoformat(request.POST.get("starts_on", ""))
            ends_on = dt.date.fromisoformat(request.POST.get("ends_on", ""))
        except ValueError:
            messages.error(request, _("Ngày không hợp lệ."))
            return redirect("backoffice:evaluation_plans")
        ok = _attempt(
            request,
            lambda: created.append(
                services.work_plan_create(
                    actor=user,
                    unit=officer.unit,
                    period=request.POST.get("period", ""),
                    starts_on=starts_on,
                    ends_on=ends_on,
                    title=request.POST.get("title", ""),
                    officer=officer if personal else None,
                )
            ),
            _("Đã lập kế hoạch công tác."),
        )
        if ok:
            return redirect("backoffice:evaluation_plan", created[0].pk)
        return redirect("backoffice:evaluation_plans")
    return render(
        request,
        "backoffice/evaluation/plans.html",
        {
            "plans": list(selectors.work_plans_for_user(user=user)[:100]),
            "overdue": list(selectors.work_tasks_overdue(user=user)[:100]),
            "periods": PlanPeriod.choices,
            "may_unit_plan": officer is not None
            and can(user, Action.EVALUATION_REVIEW, officer.unit),
        },
    )


@staff_view(("GET", "POST"))
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's tasks; the head (or the plan's officer) adds tasks."""
    user = _user(request)
    plan = selectors.work_plan_get_for_user(user=user, pk=pk)
    if request.method == "POST":
        owner = Officer.objects.filter(pk=_int(request.POST.get("owner"), 0)).first()
        try:
            deadline_on = dt.date.fromisoformat(request.POST.get("deadline_on", ""))
        except ValueError:
            deadline_on = None
        if owner is None or deadline_on is None:
            messages.error(request, _("Vui lòng chọn người thực hiện và thời hạn."))
        else:
            _attempt(
                request,
                lambda: services.work_task_create(
                    plan=plan,
                    actor=user,
                    title=request.POST.get("title", ""),
                    owner=owner,
                    deadline_on=deadline_on,
                    expected_product=request.POST.get("expected_product", ""),
                    weight=_decimal(request.POST.get("weight", "1")) or Decimal(0),
                ),
                _("Đã giao nhiệm vụ."),
            )
        return redirect("backoffice:evaluation_plan", pk)
    now = timezone.now()
    tasks = list(plan.tasks.select_related("owner__user").order_by("deadline", "pk"))
    return render(
        request,
        "backoffice/evaluation/plan.html",
        {
            "plan": plan,
            "tasks": [
                {"task": task, "overdue": task.completed_at is None and task.deadline < now}
                for task in tasks
            ],
            "owners": list(
                Officer.objects.filter(unit=plan.unit, user__is_active=True).select_related("user")
            ),
            "may_manage": can(user, Action.EVALUATION_REVIEW, plan.unit)
            or (plan.officer is not None and plan.officer.user_id == user.pk),
            "may_complete": can(user, Action.EVALUATION_REVIEW, plan.unit),
        },
    )


@staff_view(("POST",))
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress (the owner) or completion with quality (the head or supervisor)."""
    user = _user(request)
    task = WorkTask.objects.select_related("plan").filter(pk=pk).first()
    if task is None:
        raise Http404
    plan = selectors.work_plan_get_for_user(user=user, pk=task.plan_id)
    if request.POST.get("action") == "complete":
        _attempt(
            request,
            lambda: services.work_task_complete(
                task=task,
                actor=user,
                meets_requirements=request.POST.get("meets_requirements") == "1",
                major_errors=_int(request.POST.get("major_errors"), 0),
                quality_note=request.POST.get("quality_note", ""),
            ),
            _("Đã nghiệm thu nhiệm vụ."),
        )
    else:
        _attempt(
            request,
            lambda: services.work_task_progress(
                task=task,
                actor=user,
                progress=_int(request.POST.get("progress"), -1),
                note=request.POST.get("note", ""),
            ),
            _("Đã cập nhật tiến độ."),
        )
    return redirect("backoffice:evaluation_plan", plan.pk)
