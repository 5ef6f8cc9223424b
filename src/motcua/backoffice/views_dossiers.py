"""Dossier screens of the staff area: counter intake, my inbox, the head's view, the dossier
page and search.

Thin: parse the request, authorize (the officer's rights from
:mod:`motcua.accounts.permissions`, the dossier through
:func:`~motcua.dossiers.selectors.dossier_get_for_officer`, which answers
"not found" for dossiers of other units), call one service of
:mod:`motcua.dossiers.services`, render. A rule a service refuses is shown on
its form with the service's Vietnamese message, never as a server error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer, OfficerRole, Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import can, units_in_scope
from motcua.backoffice import forms_dossiers as f
from motcua.backoffice import navigation
from motcua.backoffice.access import domain_view
from motcua.backoffice.accountability_ui import (
    STATE_PARAM,
    accountability_context,
    inbox_by_state,
    inbox_state_links,
)
from motcua.catalog.models import (
    Procedure,
    ProcedureBundle,
    ProcedureUnit,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.selectors import (
    period_label,
    procedure_search,
    procedure_version_in_force,
    version_period,
)
from motcua.core.exceptions import DomainError
from motcua.core.formatting import number_vi
from motcua.core.pagination import BoundedCountPaginator
from motcua.core.text import fold
from motcua.dossiers import services
from motcua.dossiers.constants import Action, Outcome, ReturnChannel, Status
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.notify import care_letters
from motcua.dossiers.selectors import (
    Deadline,
    TimeState,
    deadline_state,
    dossier_calendar,
    dossier_control_slip,
    dossier_get_for_officer,
    dossier_inbox,
    dossier_search,
    dossier_timeline,
    dossier_unit_work,
    dossiers_for_officer,
)
from motcua.dossiers.workflow import TERMINAL, TransitionNotAllowed, allowed_actions, target_status
from motcua.workcalendar.engine import CalendarError, WorkingCalendar
from motcua.workcalendar.selectors import calendar_for_unit

PAGE_SIZE = 25
PROCEDURES_LISTED = 20
# R15: a supplement request during processing, within 3 working days of receipt.
SUPPLEMENT_WINDOW_DAYS = services.SUPPLEMENT_WINDOW_WORKING_DAYS
# The roles that work on dossiers; inspectors read them, others do not see them.
WORKING_ROLES = frozenset({Role.COUNTER_OFFICER, Role.SPECIALIST, Role.HEAD, Role.LEADER})

View = Callable[..., HttpResponse]

# Access keys of the counter screens, documented on each page (Alt + key).
SEARCH_KEYS = [("T", gettext_lazy("Ô tìm thủ tục")), ("Enter", gettext_lazy("Mở thủ tục theo mã"))]
FORM_KEYS = [
    ("A", gettext_lazy("Đánh dấu đã nhận đủ thành phần bắt buộc")),
    ("N", gettext_lazy("Ô họ tên người nộp")),
    ("X", gettext_lazy("Xem ngày hẹn và xác nhận (cũng là Enter)")),
    ("H", gettext_lazy("Hướng dẫn hoàn thiện (Mẫu 02)")),
    ("R", gettext_lazy("Từ chối tiếp nhận (Mẫu 03)")),
]
CONFIRM_KEYS = [
    ("T", gettext_lazy("Tiếp nhận hồ sơ (cũng là Enter)")),
    ("S", gettext_lazy("Sửa lại")),
    ("H", gettext_lazy("Hướng dẫn hoàn thiện (Mẫu 02)")),
    ("R", gettext_lazy("Từ chối tiếp nhận (Mẫu 03)")),
]
DONE_KEYS = [
    ("I", gettext_lazy("In giấy tiếp nhận (cũng là Enter)")),
    ("M", gettext_lazy("Tiếp nhận hồ sơ mới")),
]

STATUS_TONES = {
    Status.SUBMITTED: "info",
    Status.AWAITING_COMPLETION: "warning",
    Status.INTAKE_REFUSED: "danger",
    Status.IN_PROGRESS: "info",
    Status.SUPPLEMENT_REQUESTED: "warning",
    Status.AT_OTHER_AGENCY: "info",
    Status.RESULT_READY: "success",
    Status.RETURNED: "success",
    Status.REFUSED: "danger",
    Status.STOPPED: "",
}
DEADLINE_TONES = {
    TimeState.LATE: "danger",
    TimeState.DUE_SOON: "warning",
    TimeState.ON_TIME: "success",
    TimeState.NONE: "",
}
DEADLINE_LABELS = {
    TimeState.LATE: gettext_lazy("Quá hạn"),
    TimeState.DUE_SOON: gettext_lazy("Sắp đến hạn"),
    TimeState.ON_TIME: gettext_lazy("Còn hạn"),
    TimeState.NONE: gettext_lazy("Không hẹn"),
}
OUTCOME_TONES = {Outcome.EARLY: "success", Outcome.ON_TIME: "info", Outcome.LATE: "danger"}


# --- access ------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _officer_of(user: Any) -> Officer | None:
    return getattr(user, "officer", None)


def _officer(request: HttpRequest) -> Officer:
    officer = _officer_of(request.user)
    if officer is None:
        raise DjangoPermissionDenied(_("Tài khoản này chưa gắn với cán bộ của đơn vị nào."))
    return officer


def may(user: Any, action: Perm) -> bool:
    """May ``user`` do ``action`` in their own unit (what the side navigation asks too)."""
    return navigation.may(action)(user)


def staff_view(action: Perm, methods: Sequence[str] = ("GET",)) -> Callable[[View], View]:
    """Officers with ``action`` in their unit only (403 page otherwise), for these methods.

    A dossier that is missing or not the officer's gives the 404 page; a
    permission the service refuses, the 403 page.
    """
    return domain_view(
        methods,
        allowed=lambda user: may(user, action) and _officer_of(user) is not None,
        action=action,
    )


def works_on_dossiers(user: User) -> bool:
    """Counter officers, specialists, heads and leaders act on dossiers; inspectors only read."""
    if user.is_superuser:
        return True
    officer = _officer_of(user)
    return officer is not None and bool(officer.role_set() & WORKING_ROLES)


# --- presenting ---------------------------------------------------------------------


def when(instant: dt.datetime | None) -> str:
    """ "17:00 27/11/2026" in Hà Nội time, or "—"."""
    if instant is None:
        return "—"
    return timezone.localtime(instant).strftime("%H:%M %d/%m/%Y")


def optional_url(name: str, *args: Any) -> str:
    """The URL of a screen built elsewhere (the PDF forms), or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class DeadlineView:
    """A deadline for people: the instant, a coloured badge and "còn …" / "quá …"."""

    due: dt.datetime | None
    state: str
    label: str
    badge: str
    tone: str

    @classmethod
    def of(
        cls, due: dt.datetime | None, calendar: WorkingCalendar, *, paused: bool = False
    ) -> DeadlineView:
        if paused:
            return cls(due, "paused", _("Tạm dừng tính thời hạn"), _("Chờ bổ sung"), "")
        deadline: Deadline = deadline_state(due=due, calendar=calendar)
        return cls(
            due,
            deadline.state,
            deadline.label,
            str(DEADLINE_LABELS[deadline.state]),
            DEADLINE_TONES[deadline.state],
        )


class Calendars:
    """The working calendar of each receiving unit, looked up once per request."""

    def __init__(self) -> None:
        self._by_unit: dict[int, WorkingCalendar] = {}

    def of(self, unit: Unit) -> WorkingCalendar:
        if unit.pk not in self._by_unit:
            self._by_unit[unit.pk] = calendar_for_unit(unit=unit)
        return self._by_unit[unit.pk]


def area_tabs(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """The tabs of the dossier area, those the user may open."""
    user = request.user
    tabs = [
        ("my_dossiers", _("Hồ sơ của tôi"), Perm.DOSSIER_VIEW),
        ("unit_work", _("Phân công xử lý"), Perm.DOSSIER_ASSIGN),
        ("intake_queue", _("Hồ sơ trực tuyến chờ tiếp nhận"), Perm.DOSSIER_RECEIVE),
        ("dossier_search", _("Tìm hồ sơ"), Perm.DOSSIER_VIEW),
    ]
    return [
        {"label": label, "url": reverse(f"backoffice:{name}"), "current": name == current}
        for name, label, action in tabs
        if may(user, action)
    ]


def _next_url(request: HttpRequest) -> str:
    """A safe ``next`` inside the staff area, or ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/can-bo/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _detail_url(dossier: Dossier) -> str:
    return reverse("backoffice:dossier_detail", args=[dossier.label])


# --- counter intake ----------------------------------------------------------------------


def _intake_procedures(unit: Unit, query: str) -> QuerySet[Procedure]:
    """Listed procedures carried out at ``unit`` or a unit above it, matching ``query``."""
    listed_here = ProcedureUnit.objects.filter(unit_id__in=unit.ancestor_ids or [unit.pk])
    return procedure_search(query=query).filter(pk__in=listed_here.values("procedure_id"))


def _intake_bundles(unit: Unit, query: str) -> list[ProcedureBundle]:
    """Active bundles ("một hồ sơ – hai kết quả") whose procedures are all carried out here."""
    listed_here = set(
        ProcedureUnit.objects.filter(unit_id__in=unit.ancestor_ids or [unit.pk]).values_list(
            "procedure_id", flat=True
        )
    )
    folded = fold(query)
    bundles = []
    for bundle in ProcedureBundle.objects.filter(is_active=True).prefetch_related(
        "items__procedure"
    ):
        items = list(bundle.items.all())
        if not items or any(item.procedure_id not in listed_here for item in items):
            continue
        if folded and folded not in fold(bundle.name) and folded not in fold(bundle.code):
            continue
        bundles.append(bundle)
    return bundles


@staff_view(Perm.DOSSIER_RECEIVE)
def intake(request: HttpRequest) -> HttpResponse:
    """Step 1 at the counter: find the procedure (search as you type) or a bundle."""
    officer = _officer(request)
    form = f.SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    procedures = _intake_procedures(officer.unit, query)
    htmx = getattr(request, "htmx", False) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    if query and not htmx:
        exact = procedures.filter(code=query).first()
        if exact is not None:
            return redirect("backoffice:intake_form", exact.code)
    listed = list(procedures[: PROCEDURES_LISTED + 1])
    context = {
        "form": form,
        "query": query,
        "procedures": listed[:PROCEDURES_LISTED],
        "more": len(listed) > PROCEDURES_LISTED,
        "keys": SEARCH_KEYS,
        "bundles": _intake_bundles(officer.unit, query),
        "queue_count": _online_queue(_user(request)).count(),
        "tracking_book_url": optional_url("backoffice:tracking_book"),
        "tabs": area_tabs(request, "intake"),
    }
    template = "backoffice/dossiers/_intake_results.html" if htmx else None
    response = render(request, template or "backoffice/dossiers/intake.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@dataclass(frozen=True)
class IntakeTarget:
    procedure: Procedure
    version: ProcedureVersion
    bundle: ProcedureBundle | None


def _intake_target(unit: Unit, code: str, *, bundle: bool) -> IntakeTarget:
    """The procedure (or bundle) to receive for, with the version in force; 404 otherwise."""
    chosen = None
    if bundle:
        chosen = next((b for b in _intake_bundles(unit, "") if b.code == code), None)
        if chosen is None:
            raise Http404(_("Không có nhóm thủ tục %(code)s tại đơn vị.") % {"code": code})
        procedure = chosen.items.all()[0].procedure
    else:
        found = _intake_procedures(unit, "").filter(code=code).first()
        if found is None:
            raise Http404(_("Đơn vị không thực hiện thủ tục %(code)s.") % {"code": code})
        procedure = found
    version = procedure_version_in_force(procedure=procedure)
    if version is None:
        raise Http404(
            _("Thủ tục %(code)s không có phiên bản đang có hiệu lực.") % {"code": procedure.code}
        )
    return IntakeTarget(procedure=procedure, version=version, bundle=chosen)


@dataclass(frozen=True)
class AppointmentPreview:
    """The appointment if the dossier were received now (the service computes it again)."""

    at: dt.datetime
    due: dt.datetime | None
    period: str
    outside_hours: bool
    problem: str = ""


def _appointment_preview(
    unit: Unit, version: ProcedureVersion, channel: str
) -> AppointmentPreview:
    now = timezone.now()
    calendar = calendar_for_unit(unit=unit)
    period = version_period(version=version, channel=channel) or version_period(version=version)
    due, problem = None, ""
    if period is None:
        problem = _(
            "Thủ tục chưa có thời hạn giải quyết rõ ràng nên chưa tính được ngày hẹn; "
            "đề nghị quản trị viên rà soát thủ tục."
        )
    else:
        try:
            due = calendar.due(now, period)
        except CalendarError as exc:
            problem = str(exc)
    return AppointmentPreview(
        at=now,
        due=due,
        period=period_label(period),
        outside_hours=not calendar.is_in_session(now),
        problem=problem,
    )


def _intake_initial(form: f.IntakeForm, data: QueryDict) -> None:
    """Show ``data`` again without errors (after "edit" or the "all received" shortcut)."""
    for name, bound_field in form.fields.items():
        form.initial[name] = bound_field.widget.value_from_datadict(data, {}, name)


def _show_error(form: f.ServiceForm, exc: DomainError) -> None:
    form.add_error(form.field_for(exc.params.get("field")), exc.message)


@staff_view(Perm.DOSSIER_RECEIVE, ("GET", "POST"))
def intake_form(request: HttpRequest, code: str, bundle: bool = False) -> HttpResponse:
    """Steps 2–4 at the counter: checklist, applicant, fees; the appointment; receive.

    The POST's ``step`` says which button was pressed: ``all`` (tick every
    required component), ``preview`` (see the appointment), ``edit`` (back),
    ``receive`` (the service), ``complete`` / ``complete_confirm`` (Form 02),
    ``refuse`` / ``refuse_confirm`` (Form 03). Everything typed travels in the
    form itself, so the screens work without JavaScript.
    """
    user, officer = _user(request), _officer(request)
    target = _intake_target(officer.unit, code, bundle=bundle)
    components = list(target.version.documents.all())
    fee_rows = f.fee_rows_for(target.version)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    context: dict[str, Any] = {
        "target": target,
        "procedure": target.procedure,
        "version": target.version,
        "bundle": target.bundle,
        "period": period_label(version_period(version=target.version)),
        "tabs": area_tabs(request, "intake"),
    }

    if step in ("", "all", "edit"):
        form = f.IntakeForm(components=components, fee_rows=fee_rows)
        if request.method == "POST":
            data: QueryDict = request.POST
            if step == "all":
                data = f.IntakeForm.with_all_required(request.POST, components)
            _intake_initial(form, data)
        return _intake_edit(request, form, context)

    form = f.IntakeForm(request.POST, components=components, fee_rows=fee_rows)
    if not form.is_valid():
        return _intake_edit(request, form, context)
    context["form"] = form

    if step == "preview":
        context["preview"] = _appointment_preview(
            officer.unit, target.version, form.cleaned_data["channel"]
        )
        context["missing"] = form.missing()
        context["return_channel_label"] = ReturnChannel(form.cleaned_data["return_channel"]).label
        context["keys"] = CONFIRM_KEYS
        return render(request, "backoffice/dossiers/intake_confirm.html", context)

    if step == "receive":
        try:
            dossier = services.dossier_receive(
                actor=user,
                unit=officer.unit,
                procedure=target.procedure,
                applicant=form.applicant(),
                documents=form.documents(),
                fees=form.fees(),
                channel=form.cleaned_data["channel"],
                return_channel=form.cleaned_data["return_channel"],
                bundle=target.bundle,
                idempotency_key=f"counter:{user.pk}:{form.cleaned_data['idempotency_key']}",
            )
        except DomainError as exc:
            _show_error(form, exc)
            context["missing_ids"] = exc.params.get("missing") or []
            return _intake_edit(request, form, context)
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả %(when)s.")
            % {"code": dossier.code, "when": when(dossier.appointment)},
        )
        return redirect("backoffice:intake_done", dossier.label)

    if step in ("complete", "complete_confirm"):
        components_form = f.ComponentsForm(
            request.POST if step == "complete_confirm" else None,
            prefix="f02",
            version=target.version,
            preselect=[component.pk for component in form.missing()],
        )
        if step == "complete_confirm" and components_form.is_valid():
            try:
                dossier = services.dossier_ask_to_complete(
                    actor=user,
                    items=components_form.supplement_items(),
                    reason=components_form.cleaned_data["reason"],
                    unit=officer.unit,
                    procedure=target.procedure,
                    applicant=form.applicant(),
                )
            except DomainError as exc:
                if form.field_for(exc.params.get("field")):
                    _show_error(form, exc)
                    return _intake_edit(request, form, context)
                _show_error(components_form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Đã lập phiếu hướng dẫn bổ sung, hoàn thiện hồ sơ (Mẫu 02); hồ sơ chưa "
                        "được tiếp nhận."
                    ),
                )
                return redirect("backoffice:intake_done", dossier.label)
        components_form.focus_first()
        context["components_form"] = components_form
        return render(request, "backoffice/dossiers/intake_complete.html", context)

    if step in ("refuse", "refuse_confirm"):
        refuse_form = f.IntakeRefuseForm(
            request.POST if step == "refuse_confirm" else None, prefix="f03"
        )
        if step == "refuse_confirm" and refuse_form.is_valid():
            try:
                dossier = services.dossier_refuse_intake(
                    actor=user,
                    reason=refuse_form.cleaned_data["reason"],
                    unit=officer.unit,
                    procedure=target.procedure,
                    applicant=form.applicant(),
                )
            except DomainError as exc:
                if form.field_for(exc.params.get("field")):
                    _show_error(form, exc)
                    return _intake_edit(request, form, context)
                _show_error(refuse_form, exc)
            else:
                messages.success(request, _("Đã lập phiếu từ chối tiếp nhận hồ sơ (Mẫu 03)."))
                return redirect("backoffice:intake_done", dossier.label)
        refuse_form.focus_first()
        context["refuse_form"] = refuse_form
        return render(request, "backoffice/dossiers/intake_refuse.html", context)

    return _intake_edit(request, form, context)


def _intake_edit(
    request: HttpRequest, form: f.IntakeForm, context: dict[str, Any]
) -> HttpResponse:
    form.focus_first()
    context["form"] = form
    context["keys"] = FORM_KEYS
    context.setdefault("missing_ids", [])
    return render(request, "backoffice/dossiers/intake_form.html", context)


@staff_view(Perm.DOSSIER_RECEIVE)
def intake_done(request: HttpRequest, key: str) -> HttpResponse:
    """After the counter acted: the code, the appointment, the receipt to print, the next step."""
    user = _user(request)
    dossier = dossier_get_for_officer(user=user, code=key)
    situation = Situation.of(user, dossier)
    handover = None
    if situation.offers(Action.HANDOVER):
        handover = Panel.build(situation, BY_ACTION[Action.HANDOVER], primary=True)
    return render(
        request,
        "backoffice/dossiers/intake_done.html",
        {
            "dossier": dossier,
            "status_tone": STATUS_TONES.get(Status(dossier.status), ""),
            "handover": handover,
            "forms": form_links(dossier),
            "receipt_url": optional_url("backoffice:dossier_form_pdf", dossier.label, "receipt")
            if dossier.code
            else "",
            "tabs": area_tabs(request, "intake"),
            "keys": DONE_KEYS,
        },
    )


def _online_queue(user: User) -> QuerySet[Dossier]:
    units = units_in_scope(user, Perm.DOSSIER_RECEIVE).values("pk")
    return dossiers_for_officer(user=user).filter(
        status=Status.SUBMITTED, receiving_unit__in=units
    )


@staff_view(Perm.DOSSIER_RECEIVE)
def intake_queue(request: HttpRequest) -> HttpResponse:
    """Online submissions waiting for intake at the officer's unit, the oldest first."""
    submissions = (
        _online_queue(_user(request))
        .select_related("procedure_version")
        .order_by("submitted_at", "id")
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/dossiers/intake_queue.html",
        {"page_obj": page, "tabs": area_tabs(request, "intake_queue")},
    )


# --- one dossier: what the officer may do ---------------------------------------------------


@dataclass
class Situation:
    """A dossier as the signed-in officer finds it: its open step and what they may do there.

    ``permitted`` repeats the services' own permission rules so that only the
    forms a person may use are shown; the services still decide.
    """

    user: User
    officer: Officer
    dossier: Dossier
    step: DossierStep | None

    @classmethod
    def of(cls, user: User, dossier: Dossier) -> Situation:
        step = (
            dossier.steps.filter(finished_at__isnull=True)
            .select_related(
                "assignee__user", "assignee__unit", "unit", "process_step", "handed_over_by__user"
            )
            .first()
        )
        officer = _officer_of(user)
        if officer is None:
            raise DjangoPermissionDenied(_("Tài khoản này chưa gắn với cán bộ của đơn vị nào."))
        return cls(user=user, officer=officer, dossier=dossier, step=step)

    # --- the internal process ----------------------------------------------------------

    @cached_property
    def process_steps(self) -> list[ProcessStep]:
        return list(self.dossier.procedure_version.process_steps.order_by("position"))

    def _after(self, process_step_id: int | None) -> ProcessStep | None:
        steps = self.process_steps
        if process_step_id is None:
            return steps[0] if steps else None
        ids = [step.pk for step in steps]
        if process_step_id not in ids:
            return None
        index = ids.index(process_step_id) + 1
        return steps[index] if index < len(steps) else None

    @cached_property
    def next_step(self) -> ProcessStep | None:
        """The step of the internal process after the open one (handover goes there)."""
        if self.step is None:
            return None
        return self._after(self.step.process_step_id)

    @cached_property
    def back_step(self) -> ProcessStep | None:
        """The step that follows when an inter-agency part comes back (receive back)."""
        step = self.step
        if step is None:
            return None
        if step.process_step_id is not None:
            return self._after(step.process_step_id)
        giver = (
            self.dossier.steps.filter(sequence__lt=step.sequence)
            .order_by("-sequence")
            .select_related("process_step")
            .first()
        )
        return giver.process_step if giver is not None else None

    @cached_property
    def has_previous_step(self) -> bool:
        step = self.step
        if step is None:
            return False
        return (
            self.dossier.steps.filter(sequence__lt=step.sequence, assignee__isnull=False)
            .exclude(process_step=step.process_step)
            .exists()
        )

    @property
    def signing(self) -> bool:
        step = self.step
        return step is not None and step.process_step is not None and step.process_step.is_signing

    @property
    def receipt_step(self) -> bool:
        step = self.step
        first = self.process_steps[0] if self.process_steps else None
        return step is not None and first is not None and step.process_step_id == first.pk

    # --- permissions --------------------------------------------------------------------

    def _can(self, action: Perm, target: Any) -> bool:
        return can(self.user, action, target)

    @cached_property
    def works(self) -> bool:
        return works_on_dossiers(self.user)

    def permitted(self, action: str) -> bool:
        """May the officer do ``action`` on this dossier (its state aside)?"""
        if not self.works:
            return False
        dossier, step, me = self.dossier, self.step, self.officer.pk
        receiving, processing = dossier.receiving_unit, dossier.processing_unit
        step_unit = (step.unit or processing) if step is not None else processing
        assignee = step is not None and step.assignee_id == me
        if action in (Action.ACCEPT_ONLINE, Action.ASK_TO_COMPLETE, Action.REFUSE_INTAKE):
            return self._can(Perm.DOSSIER_RECEIVE, receiving)
        if action in (
            Action.HANDOVER,
            Action.SEND_BACK,
            Action.REQUEST_SUPPLEMENT,
            Action.TRANSFER,
        ):
            return step is not None and (
                assignee
                or self._can(Perm.DOSSIER_ASSIGN, step_unit)
                or self._can(Perm.DOSSIER_SIGN_RESULT, step_unit)
            )
        if action == Action.ASSIGN:
            return step is not None and self._can(Perm.DOSSIER_ASSIGN, step_unit)
        if action == Action.RECEIVE_SUPPLEMENT:
            return step is not None and (assignee or self._can(Perm.DOSSIER_RECEIVE, receiving))
        if action == Action.RECEIVE_BACK:
            return step is not None and (
                self._can(Perm.DOSSIER_RECEIVE, receiving)
                or self._can(Perm.DOSSIER_ASSIGN, processing)
                or step.handed_over_by_id == me
            )
        if action in (Action.REFUSE, Action.RESULT_READY):
            return step is not None and (
                (self.signing and assignee) or self._can(Perm.DOSSIER_SIGN_RESULT, processing)
            )
        if action == Action.STOP:
            return (
                self._can(Perm.DOSSIER_SIGN_RESULT, processing)
                or self._can(Perm.DOSSIER_ASSIGN, processing)
                or self._can(Perm.DOSSIER_RECEIVE, receiving)
            )
        if action == Action.RETURN_RESULT:
            return assignee or self._can(Perm.DOSSIER_RETURN_RESULT, receiving)
        return action == Action.NOTE

    def sensible(self, action: str) -> bool:
        """Whether to offer ``action`` now: a form that would only be refused is not shown."""
        next_step = self.next_step
        external_next = next_step is not None and next_step.runs_in_other_agency
        if action == Action.HANDOVER:
            return next_step is not None and not external_next and not self.signing
        if action == Action.TRANSFER:
            return external_next or not (self.signing or self.receipt_step)
        if action == Action.SEND_BACK:
            return self.has_previous_step
        if action == Action.REQUEST_SUPPLEMENT:
            # R16: once only; the page says so instead of offering the form.
            return (
                not self.signing
                and not self.receipt_step
                and self.dossier.supplement_requests == 0
            )
        return True

    def offers(self, action: str) -> bool:
        return (
            action in allowed_actions(self.dossier.status)
            and self.permitted(action)
            and self.sensible(action)
        )

    # --- what the forms need -----------------------------------------------------------------

    def _candidates(self, unit: Unit, process_step: ProcessStep | None) -> f.ActionContext:
        role = process_step.responsible_role if process_step is not None else ""
        context = f.ActionContext(
            dossier=self.dossier,
            version=self.dossier.procedure_version,
            candidates=f.officers_within(unit, role=role),
        )
        if process_step is not None:
            where = self.dossier.processing_unit.name
            if role:
                context.candidates_help = _(
                    "Cán bộ thuộc %(unit)s có vai trò «%(role)s» — bước «%(step)s»."
                ) % {"unit": where, "role": Role(role).label, "step": process_step.name}
            else:
                context.candidates_help = _("Cán bộ thuộc %(unit)s — bước «%(step)s».") % {
                    "unit": where,
                    "step": process_step.name,
                }
        return context

    def context_for(self, action: str) -> f.ActionContext:
        dossier = self.dossier
        context = f.ActionContext(dossier=dossier, version=dossier.procedure_version)
        if action == Action.HANDOVER:
            return self._candidates(dossier.processing_unit, self.next_step)
        if action == Action.RECEIVE_BACK:
            return self._candidates(dossier.processing_unit, self.back_step)
        if action == Action.ASSIGN and self.step is not None:
            unit = self.step.unit or dossier.processing_unit
            context = self._candidates(unit, self.step.process_step)
            if context.candidates is not None and self.step.assignee_id:
                context.candidates = context.candidates.exclude(pk=self.step.assignee_id)
            return context
        if action == Action.RECEIVE_SUPPLEMENT:
            request = (
                dossier.supplement_request_rows.filter(received_at__isnull=True)
                .order_by("-requested_at")
                .first()
            )
            context.asked = list(request.items) if request is not None else []
        elif action == Action.RESULT_READY:
            if dossier.bundle_id:
                items = dossier.bundle.items.select_related("procedure")  # type: ignore[union-attr]
                context.procedures = [item.procedure for item in items]
            else:
                context.procedures = [dossier.procedure_version.procedure]
            context.results = list(dossier.procedure_version.results.all())
        elif action == Action.TRANSFER:
            next_step = self.next_step
            if next_step is not None and next_step.runs_in_other_agency:
                context.agency_name = next_step.agency_name
        return context


@dataclass(frozen=True)
class ActionSpec:
    """One action form of the dossier page: the service it calls and how it is labelled."""

    action: Action
    slug: str
    form: type[f.ActionForm]
    title: str | Promise
    button: str | Promise
    danger: bool = False
    hint: str | Promise = ""


SPECS = [
    ActionSpec(
        Action.ACCEPT_ONLINE,
        "tiep-nhan",
        f.AcceptOnlineForm,
        gettext_lazy("Tiếp nhận hồ sơ trực tuyến"),
        gettext_lazy("Tiếp nhận, cấp mã hồ sơ"),
        hint=gettext_lazy(
            "Hồ sơ được tính là tiếp nhận vào đầu buổi làm việc kế tiếp sau khi nộp; ngày hẹn "
            "được tính khi tiếp nhận."
        ),
    ),
    ActionSpec(
        Action.ASK_TO_COMPLETE,
        "huong-dan-hoan-thien",
        f.AskToCompleteForm,
        gettext_lazy("Hướng dẫn bổ sung, hoàn thiện (Mẫu 02)"),
        gettext_lazy("Gửi hướng dẫn hoàn thiện"),
    ),
    ActionSpec(
        Action.REFUSE_INTAKE,
        "tu-choi-tiep-nhan",
        f.RefuseIntakeForm,
        gettext_lazy("Từ chối tiếp nhận (Mẫu 03)"),
        gettext_lazy("Từ chối tiếp nhận"),
        danger=True,
    ),
    ActionSpec(
        Action.HANDOVER,
        "chuyen-buoc",
        f.HandoverForm,
        gettext_lazy("Chuyển bước xử lý"),
        gettext_lazy("Chuyển hồ sơ"),
    ),
    ActionSpec(
        Action.RESULT_READY,
        "co-ket-qua",
        f.ResultReadyForm,
        gettext_lazy("Ký duyệt, có kết quả"),
        gettext_lazy("Ghi nhận kết quả"),
    ),
    ActionSpec(
        Action.RECEIVE_BACK,
        "nhan-lien-thong",
        f.ReceiveBackForm,
        gettext_lazy("Nhận lại hồ sơ liên thông"),
        gettext_lazy("Nhận lại hồ sơ"),
    ),
    ActionSpec(
        Action.RECEIVE_SUPPLEMENT,
        "nhan-bo-sung",
        f.ReceiveSupplementForm,
        gettext_lazy("Nhận hồ sơ bổ sung"),
        gettext_lazy("Nhận hồ sơ bổ sung"),
        hint=gettext_lazy(
            "Thời hạn giải quyết tính tiếp từ lúc nhận đủ, giữ nguyên thời gian đã sử dụng."
        ),
    ),
    ActionSpec(
        Action.RETURN_RESULT,
        "tra-ket-qua",
        f.ReturnResultForm,
        gettext_lazy("Trả kết quả"),
        gettext_lazy("Trả kết quả"),
    ),
    ActionSpec(
        Action.ASSIGN,
        "phan-cong",
        f.AssignForm,
        gettext_lazy("Phân công lại người xử lý"),
        gettext_lazy("Phân công"),
        hint=gettext_lazy("Hạn xử lý của bước giữ nguyên."),
    ),
    ActionSpec(
        Action.SEND_BACK,
        "tra-lai",
        f.SendBackForm,
        gettext_lazy("Trả lại bước trước"),
        gettext_lazy("Trả lại"),
    ),
    ActionSpec(
        Action.REQUEST_SUPPLEMENT,
        "yeu-cau-bo-sung",
        f.RequestSupplementForm,
        gettext_lazy("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
        gettext_lazy("Gửi yêu cầu bổ sung"),
        hint=gettext_lazy(
            "Chỉ yêu cầu bổ sung một lần, trong 3 ngày làm việc kể từ ngày tiếp nhận; thời hạn "
            "giải quyết tạm dừng đến khi nhận đủ hồ sơ bổ sung."
        ),
    ),
    ActionSpec(
        Action.TRANSFER,
        "chuyen-lien-thong",
        f.TransferForm,
        gettext_lazy("Chuyển liên thông"),
        gettext_lazy("Chuyển liên thông"),
    ),
    ActionSpec(
        Action.REFUSE,
        "tu-choi-giai-quyet",
        f.RefuseForm,
        gettext_lazy("Từ chối giải quyết"),
        gettext_lazy("Từ chối giải quyết"),
        danger=True,
        hint=gettext_lazy("Văn bản từ chối phải nêu rõ lý do và được ban hành trước ngày hẹn."),
    ),
    ActionSpec(
        Action.STOP,
        "dung-giai-quyet",
        f.StopForm,
        gettext_lazy("Dừng giải quyết (Mẫu 05)"),
        gettext_lazy("Dừng giải quyết"),
        danger=True,
    ),
    ActionSpec(
        Action.NOTE,
        "ghi-chu",
        f.NoteForm,
        gettext_lazy("Ghi chú"),
        gettext_lazy("Lưu ghi chú"),
    ),
]
BY_SLUG = {spec.slug: spec for spec in SPECS}
BY_ACTION = {spec.action: spec for spec in SPECS}
# The first of these the officer may do is the page's main action, shown open.
PRIMARY_ORDER = (
    Action.ACCEPT_ONLINE,
    Action.RESULT_READY,
    Action.HANDOVER,
    Action.RECEIVE_BACK,
    Action.RECEIVE_SUPPLEMENT,
    Action.RETURN_RESULT,
    Action.TRANSFER,
)


@dataclass
class Panel:
    """An action form on the dossier page."""

    spec: ActionSpec
    form: f.ActionForm
    url: str
    primary: bool = False
    open: bool = False

    @classmethod
    def build(
        cls,
        situation: Situation,
        spec: ActionSpec,
        *,
        form: f.ActionForm | None = None,
        primary: bool = False,
    ) -> Panel:
        if form is None:
            form = spec.form(context=situation.context_for(spec.action))
        url = reverse("backoffice:dossier_action", args=[situation.dossier.label, spec.slug])
        return cls(spec=spec, form=form, url=url, primary=primary, open=primary or form.is_bound)


def _run(action: str, form: Any, situation: Situation, user: User) -> str:
    """Call the one service of ``action``; the success message for people."""
    dossier = situation.dossier
    data = form.cleaned_data
    code = dossier.label
    if action == Action.ACCEPT_ONLINE:
        dossier = services.dossier_accept_online(dossier=dossier, actor=user)
        return _("Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả %(when)s.") % {
            "code": dossier.code,
            "when": when(dossier.appointment),
        }
    if action == Action.ASK_TO_COMPLETE:
        services.dossier_ask_to_complete(
            actor=user, dossier=dossier, items=form.supplement_items(), reason=data["reason"]
        )
        return _("Đã gửi hướng dẫn bổ sung, hoàn thiện hồ sơ %(code)s (Mẫu 02).") % {"code": code}
    if action == Action.REFUSE_INTAKE:
        services.dossier_refuse_intake(actor=user, dossier=dossier, reason=data["reason"])
        return _("Đã từ chối tiếp nhận hồ sơ %(code)s (Mẫu 03).") % {"code": code}
    if action == Action.HANDOVER:
        services.dossier_handover(
            dossier=dossier, actor=user, to_assignee=data["to_assignee"], note=data["note"]
        )
        return _("Đã chuyển hồ sơ %(code)s cho %(name)s.") % {
            "code": code,
            "name": data["to_assignee"].full_name,
        }
    if action == Action.ASSIGN:
        services.dossier_assign(
            dossier=dossier, actor=user, to_assignee=data["to_assignee"], note=data["note"]
        )
        return _("Đã phân công hồ sơ %(code)s cho %(name)s.") % {
            "code": code,
            "name": data["to_assignee"].full_name,
        }
    if action == Action.SEND_BACK:
        services.dossier_send_back(dossier=dossier, actor=user, reason=data["reason"])
        return _("Đã trả hồ sơ %(code)s về bước trước.") % {"code": code}
    if action == Action.REQUEST_SUPPLEMENT:
        services.dossier_request_supplement(
            dossier=dossier,
            actor=user,
            items=form.supplement_items(),
            reason=data["reason"],
            sector_rule=data["sector_rule"],
        )
        return _(
            "Đã yêu cầu bổ sung hồ sơ %(code)s; thời hạn giải quyết tạm dừng đến khi nhận đủ "
            "hồ sơ bổ sung."
        ) % {"code": code}
    if action == Action.RECEIVE_SUPPLEMENT:
        dossier = services.dossier_receive_supplement(
            dossier=dossier, actor=user, documents=form.documents()
        )
        return _("Đã nhận hồ sơ bổ sung; hẹn trả kết quả %(when)s.") % {
            "when": when(dossier.appointment)
        }
    if action == Action.TRANSFER:
        services.dossier_transfer(
            dossier=dossier,
            actor=user,
            agency_name=data["agency_name"],
            share_days=data["share_days"],
            note=data["note"],
        )
        return _("Đã chuyển liên thông hồ sơ %(code)s.") % {"code": code}
    if action == Action.RECEIVE_BACK:
        services.dossier_receive_back(
            dossier=dossier, actor=user, to_assignee=data["to_assignee"], note=data["note"]
        )
        return _("Đã nhận lại hồ sơ %(code)s và giao cho %(name)s.") % {
            "code": code,
            "name": data["to_assignee"].full_name,
        }
    if action == Action.REFUSE:
        services.dossier_refuse(
            dossier=dossier, actor=user, reason=data["reason"], legal_basis=data["legal_basis"]
        )
        return _("Đã từ chối giải quyết hồ sơ %(code)s.") % {"code": code}
    if action == Action.STOP:
        services.dossier_stop(
            dossier=dossier,
            actor=user,
            cause=data["cause"],
            decision=data["decision"],
            requested_at=data["requested_at"],
            fee_handling=data["fee_handling"],
        )
        return _("Đã dừng giải quyết hồ sơ %(code)s.") % {"code": code}
    if action == Action.RESULT_READY:
        dossier = services.dossier_result_ready(
            dossier=dossier,
            actor=user,
            results=form.result_documents(),
            location=data["location"],
        )
        if dossier.outcome == Outcome.EARLY:
            return _("Hồ sơ %(code)s đã có kết quả trước hạn, chờ trả cho người dân.") % {
                "code": code
            }
        return _("Hồ sơ %(code)s đã có kết quả, chờ trả cho người dân.") % {"code": code}
    if action == Action.RETURN_RESULT:
        services.dossier_return_result(
            dossier=dossier,
            actor=user,
            channel=data["channel"],
            recipient_name=data["recipient_name"],
            recipient_id_number=data["recipient_id_number"],
            postal_tracking_number=data["postal_tracking_number"],
            acknowledgement=data["acknowledgement"],
        )
        return _("Đã trả kết quả hồ sơ %(code)s.") % {"code": code}
    services.dossier_note(
        dossier=dossier, actor=user, text=data["text"], internal=data["internal"]
    )
    return _("Đã ghi chú vào hồ sơ %(code)s.") % {"code": code}


@staff_view(Perm.DOSSIER_VIEW, ("POST",))
def dossier_action(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """One action on one dossier: parse its form, call its one service, go back to the dossier."""
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404(_("Không có thao tác này."))
    user = _user(request)
    dossier = dossier_get_for_officer(user=user, code=code)
    situation = Situation.of(user, dossier)
    if not situation.works:
        raise DjangoPermissionDenied(_("Bạn chỉ được xem hồ sơ, không thao tác trên hồ sơ."))
    try:
        target_status(spec.action, dossier.status)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        return redirect(_detail_url(dossier))
    if not situation.permitted(spec.action):
        raise DjangoPermissionDenied(
            _("Bạn không thực hiện được thao tác «%(action)s» trên hồ sơ này.")
            % {"action": spec.title}
        )
    form = spec.form(request.POST, request.FILES, context=situation.context_for(spec.action))
    if form.is_valid():
        try:
            message = _run(spec.action, form, situation, user)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(_next_url(request) or _detail_url(dossier))
    return _render_detail(request, situation, bound=(spec, form))


# --- the dossier page --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    at: dt.datetime
    actor: str
    unit: str
    action: str
    from_label: str
    to_label: str
    reason: str
    detail: str
    legal_basis: str
    internal: bool


def _timeline(dossier: Dossier) -> list[TimelineRow]:
    rows = []
    for event in dossier_timeline(dossier=dossier, include_internal=True):
        data = event.data or {}
        details = []
        if data.get("to_name"):
            details.append(_("Người nhận: %(name)s") % {"name": data["to_name"]})
        if data.get("agency"):
            details.append(_("Cơ quan phối hợp: %(agency)s") % {"agency": data["agency"]})
        if data.get("outcome"):
            details.append(str(Outcome(data["outcome"]).label))
        if data.get("items"):
            details.append("; ".join(item.get("name", "")[:80] for item in data["items"]))
        rows.append(
            TimelineRow(
                at=event.at,
                actor=event.actor.full_name if event.actor else _("Hệ thống / người dân"),
                unit=event.unit.name if event.unit else "",
                action=str(Action(event.action).label) if event.action in Action.values else "",
                from_label=str(Status(event.from_status).label) if event.from_status else "",
                to_label=str(Status(event.to_status).label) if event.to_status else "",
                reason=event.reason,
                detail=" · ".join(details),
                legal_basis=event.legal_basis if event.action == Action.REFUSE else "",
                internal=event.internal,
            )
        )
    return rows


@dataclass(frozen=True)
class FormLink:
    label: str
    url: str


def form_links(dossier: Dossier) -> list[FormLink]:
    """The official forms this dossier has, linked when the PDF screen exists."""
    wanted: list[tuple[str, str]] = []
    if dossier.code:
        wanted.append(("receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)")))
    if dossier.supplement_requests or dossier.status == Status.AWAITING_COMPLETION:
        wanted.append(
            ("supplement_request", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"))
        )
    if dossier.status == Status.INTAKE_REFUSED:
        wanted.append(("intake_refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)")))
    if dossier.status == Status.STOPPED:
        wanted.append(("stop_notice", _("Thông báo dừng giải quyết hồ sơ")))
    if dossier.code:
        wanted.append(("control_slip", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")))
    links = [
        FormLink(
            label=label,
            url=optional_url("backoffice:dossier_form_pdf", dossier.label, name),
        )
        for name, label in wanted
    ]
    if dossier.code:
        # Care letters attached to the procedure (thanks, congratulations, condolences).
        links += [
            FormLink(
                label=template.title,
                url=optional_url("backoffice:dossier_letter_pdf", dossier.label, template.pk),
            )
            for template in care_letters(dossier)
        ]
    return links


def _notices(situation: Situation, calendar: WorkingCalendar) -> list[str]:
    """What the officer should know before acting (R15, R16)."""
    dossier = situation.dossier
    notices = []
    if dossier.status == Status.IN_PROGRESS and situation.permitted(Action.REQUEST_SUPPLEMENT):
        if dossier.supplement_requests >= 1:
            notices.append(
                _(
                    "Hồ sơ đã được yêu cầu bổ sung một lần; quy định chỉ cho phép yêu cầu bổ "
                    "sung một lần trong quá trình giải quyết."
                )
            )
        elif dossier.received_at is not None:
            used = calendar.working_days_between(
                timezone.localtime(dossier.received_at).date(), timezone.localdate()
            )
            if used > SUPPLEMENT_WINDOW_DAYS:
                notices.append(
                    _(
                        "Đã quá %(days)s ngày làm việc kể từ ngày tiếp nhận (%(used)s ngày): chỉ "
                        "yêu cầu bổ sung khi luật chuyên ngành quy định khác, và phải ghi rõ căn "
                        "cứ đó."
                    )
                    % {"days": SUPPLEMENT_WINDOW_DAYS, "used": used}
                )
    return notices


def _render_detail(
    request: HttpRequest,
    situation: Situation,
    *,
    bound: tuple[ActionSpec, f.ActionForm] | None = None,
) -> HttpResponse:
    dossier = situation.dossier
    calendar = dossier_calendar(dossier=dossier)
    panels = []
    primary_taken = False
    # ``?thao-tac=<slug>`` opens that form (links from the intake queue).
    wanted = request.GET.get("thao-tac", "") if bound is None else ""
    for spec in SPECS:
        form = bound[1] if bound is not None and bound[0].action == spec.action else None
        if form is None and not situation.offers(spec.action):
            continue
        primary = (
            not primary_taken and spec.action in PRIMARY_ORDER and bound is None and not wanted
        )
        primary_taken = primary_taken or primary
        panel = Panel.build(situation, spec, form=form, primary=primary)
        panel.open = panel.open or spec.slug == wanted
        panels.append(panel)
    if bound is not None:
        bound[1].focus_first()
    paused = dossier.status == Status.SUPPLEMENT_REQUESTED
    step = situation.step
    open_status = dossier.status not in TERMINAL
    documents = list(dossier.documents.select_related("required_document").order_by("id"))
    fees = list(dossier.fees.order_by("id"))
    context = {
        "dossier": dossier,
        "status_label": Status(dossier.status).label,
        "status_tone": STATUS_TONES.get(Status(dossier.status), ""),
        "appointment": DeadlineView.of(dossier.appointment, calendar, paused=paused)
        if open_status and dossier.appointment
        else None,
        "appointment_moved": dossier.appointment_original
        and dossier.appointment
        and dossier.appointment != dossier.appointment_original,
        "outcome_label": Outcome(dossier.outcome).label if dossier.outcome else "",
        "outcome_tone": OUTCOME_TONES.get(Outcome(dossier.outcome), "") if dossier.outcome else "",
        "step": step,
        "step_deadline": DeadlineView.of(step.due_at, calendar, paused=paused) if step else None,
        "panels": panels,
        "notices": _notices(situation, calendar),
        "timeline": _timeline(dossier),
        "slip": [
            (
                row,
                OUTCOME_TONES.get(Outcome(row.outcome), "") if row.outcome else "",
                DeadlineView.of(row.due_at, calendar, paused=paused)
                if row.finished_at is None
                else None,
            )
            for row in dossier_control_slip(dossier=dossier)
        ],
        "documents": documents,
        "fees": fees,
        "fees_total": number_vi(sum(fee.amount for fee in fees)),
        "results": list(dossier.results.select_related("signer__user", "procedure")),
        "delivery": getattr(dossier, "delivery", None) if dossier.returned_at else None,
        "stop_notice": getattr(dossier, "stop_notice", None)
        if dossier.status == Status.STOPPED
        else None,
        "supplements": list(
            dossier.supplement_request_rows.select_related("requested_by__user").order_by(
                "requested_at"
            )
        ),
        "forms": form_links(dossier),
        "works": situation.works,
        "tabs": area_tabs(request, ""),
        # Issue 5: the blocked banner, explanation and apology forms.
        **accountability_context(_user(request), dossier),
    }
    return render(request, "backoffice/dossiers/detail.html", context)


@staff_view(Perm.DOSSIER_VIEW)
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier page: header, open step, the actions allowed now, history, control slip."""
    user = _user(request)
    dossier = dossier_get_for_officer(user=user, code=code)
    return _render_detail(request, Situation.of(user, dossier))


# --- lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    step: DossierStep
    dossier: Dossier
    deadline: DeadlineView
    choices: list[Officer] = field(default_factory=list)


@staff_view(Perm.DOSSIER_VIEW)
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """My open steps, the most urgent first, with their state and the working time left."""
    user = _user(request)
    steps = dossier_inbox(user=user).select_related("unit")
    # Issue 5: on time / due soon / late, through the indexed alarm columns.
    steps = inbox_by_state(steps, request.GET.get(STATE_PARAM, ""))
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    calendars = Calendars()
    rows = [
        StepRow(
            step=step,
            dossier=step.dossier,
            deadline=DeadlineView.of(
                step.due_at,
                calendars.of(step.dossier.receiving_unit),
                paused=step.dossier.status == Status.SUPPLEMENT_REQUESTED,
            ),
        )
        for step in page.object_list
    ]
    late = (
        dossier_inbox(user=user)
        .filter(due_at__lt=timezone.now())
        .exclude(dossier__status=Status.SUPPLEMENT_REQUESTED)
        .count()
    )
    return render(
        request,
        "backoffice/dossiers/inbox.html",
        {
            "rows": rows,
            "page_obj": page,
            "late": late,
            "tabs": area_tabs(request, "my_dossiers"),
            "state_links": inbox_state_links(request),
            "state_param": STATE_PARAM,
        },
    )


def _assignable(officers: list[Officer], step: DossierStep) -> list[Officer]:
    """The officers a head may give ``step`` to: of its unit, holding its role."""
    unit = step.unit
    role = step.process_step.responsible_role if step.process_step else ""
    return [
        officer
        for officer in officers
        if unit is not None
        and (officer.unit_id == unit.pk or officer.unit.is_within(unit))
        and (not role or officer.has_role(role))
        and officer.pk != step.assignee_id
    ]


@staff_view(Perm.DOSSIER_ASSIGN)
def unit_work(request: HttpRequest) -> HttpResponse:
    """The head's view: open steps in the units they assign in; filter; (re)assign."""
    user = _user(request)
    officer = _officer(request)
    units = units_in_scope(user, Perm.DOSSIER_ASSIGN).values("pk")
    officers = list(
        Officer.objects.filter(unit__in=units, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name")
    )
    roles: dict[int, set[str]] = {}
    for officer_id, role in OfficerRole.objects.filter(officer__in=officers).values_list(
        "officer_id", "role"
    ):
        roles.setdefault(officer_id, set()).add(role)
    for candidate in officers:
        candidate._role_cache = frozenset(roles.get(candidate.pk, ()))  # type: ignore[attr-defined]

    form = f.UnitWorkFilterForm(request.GET, officers=officers)
    steps = dossier_unit_work(user=user).select_related("process_step")
    if form.is_valid():
        if form.cleaned_data["officer"]:
            steps = steps.filter(assignee_id=form.cleaned_data["officer"])
        state = form.cleaned_data["state"]
        if state:
            now = timezone.now()
            calendar = calendar_for_unit(unit=officer.unit)
            soon = calendar.due_in_working_seconds(now, calendar.day_length)
            if state == TimeState.LATE:
                steps = steps.filter(due_at__lt=now)
            elif state == TimeState.DUE_SOON:
                steps = steps.filter(due_at__gte=now, due_at__lte=soon)
            else:
                steps = steps.filter(due_at__gt=soon)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    calendars = Calendars()
    rows = [
        StepRow(
            step=step,
            dossier=step.dossier,
            deadline=DeadlineView.of(
                step.due_at,
                calendars.of(step.dossier.receiving_unit),
                paused=step.dossier.status == Status.SUPPLEMENT_REQUESTED,
            ),
            choices=_assignable(officers, step),
        )
        for step in page.object_list
    ]
    return render(
        request,
        "backoffice/dossiers/unit_work.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "filtered": bool(request.GET.get("officer") or request.GET.get("state")),
            "assign_slug": BY_ACTION[Action.ASSIGN].slug,
            "tabs": area_tabs(request, "unit_work"),
        },
    )


@staff_view(Perm.DOSSIER_VIEW)
def dossier_search_view(request: HttpRequest) -> HttpResponse:
    """Find a dossier by code, applicant name without diacritics, ID number or phone."""
    user = _user(request)
    form = f.SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    dossiers = dossier_search(user=user, query=query)
    if query:
        exact = dossiers.filter(code=query).first() or dossiers.filter(reference=query).first()
        if exact is not None:
            return redirect(_detail_url(exact))
    page = BoundedCountPaginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/dossiers/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "rows": [
                (dossier, STATUS_TONES.get(Status(dossier.status), ""))
                for dossier in page.object_list
            ],
            "tabs": area_tabs(request, "dossier_search"),
        },
    )
