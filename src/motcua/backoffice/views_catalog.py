"""The procedure catalog in the staff area: list, review queue, versions, drafts, publishing.

Thin: parse the request, authorize (``catalog.view`` to read, ``catalog.manage``
to change), call one selector or service from :mod:`motcua.catalog`, render.
Domain errors are shown on the form or as a message, never as a server error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit, User
from motcua.accounts.permissions import Action, units_in_scope
from motcua.backoffice import navigation
from motcua.backoffice.access import domain_view
from motcua.backoffice.forms_catalog import (
    DocumentFormSet,
    FeeFormSet,
    MethodForm,
    ProcedureCreateForm,
    ProcedureFilterForm,
    ProcedureUnitsForm,
    PublishForm,
    RowFormSet,
    StepFormSet,
    VersionGeneralForm,
    WithdrawForm,
    apply_row_op,
    document_rows,
    fee_rows,
    method_initial,
    parse_row_op,
    read_form,
    read_rows,
    step_rows,
    steps_from_rows,
)
from motcua.catalog.constants import Channel, VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep
from motcua.catalog.process import StepSpec, default_process, process_validate
from motcua.catalog.selectors import (
    ProcessBudget,
    method_period,
    period_label,
    procedure_counts,
    procedure_fields,
    procedure_get,
    procedure_list_for_staff,
    procedure_page_versions,
    procedure_version_get,
    procedure_version_in_force,
    procedure_versions,
    process_budget,
    version_period,
)
from motcua.catalog.services import (
    MethodSpec,
    procedure_create,
    procedure_mark_reviewed,
    procedure_set_units,
    procedure_version_discard,
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_set_documents,
    procedure_version_set_methods,
    procedure_version_set_process,
    procedure_version_update,
    procedure_version_withdraw,
)
from motcua.core.exceptions import DomainError

PAGE_SIZE = 25
# Above this many units in scope, the units page asks for a search first.
UNITS_LISTED_AT_ONCE = 300
UNITS_SEARCH_LIMIT = 100

View = Callable[..., HttpResponse]


# --- access ------------------------------------------------------------------------


def may(user: Any, action: Action) -> bool:
    """Catalog rights are checked in the officer's own unit: the catalog is the same everywhere."""
    return navigation.may(action)(user)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def catalog_view(action: Action, methods: Sequence[str] = ("GET",)) -> Callable[[View], View]:
    """Officers only, with ``action`` in their unit (403 page otherwise), for these methods."""
    return domain_view(methods, allowed=lambda user: may(user, action), action=action)


def _procedure(code: str) -> Procedure:
    return procedure_get(code=code)


def _version(code: str, number: int, *, with_children: bool = False) -> ProcedureVersion:
    procedure = _procedure(code)
    version = procedure_version_get(
        procedure=procedure, number=number, with_children=with_children
    )
    version.procedure = procedure
    return version


def _show_domain_error(
    form: forms.BaseForm | None, request: HttpRequest, exc: DomainError
) -> None:
    """Put a service's refusal on the field it names, on the form, or in the messages."""
    if form is None:
        messages.error(request, exc.message)
        return
    name = exc.params.get("field")
    form.add_error(name if name in form.fields else None, exc.message)


def _procedure_url(procedure: Procedure) -> str:
    return reverse("backoffice:procedure_detail", args=[procedure.code])


def _not_a_draft(request: HttpRequest, version: ProcedureVersion) -> HttpResponse | None:
    """A redirect with an explanation when ``version`` can no longer be edited."""
    if version.is_draft:
        return None
    messages.warning(
        request,
        _(
            "Phiên bản %(n)s không còn là bản nháp (đã được công bố) nên không sửa được. "
            "Bấm «Sửa» để soạn phiên bản mới."
        )
        % {"n": version.number},
    )
    return redirect(_procedure_url(version.procedure))


# --- presenting versions -------------------------------------------------------------


@dataclass(frozen=True)
class VersionState:
    label: str
    tone: str


def version_state(
    version: ProcedureVersion, in_force: ProcedureVersion | None, today: dt.date
) -> VersionState:
    """How a version stands today, for people: in force, upcoming, replaced, withdrawn, draft."""
    if version.status == VersionStatus.DRAFT:
        return VersionState(_("Đang soạn"), "info")
    if in_force is not None and version.pk == in_force.pk:
        if version.status == VersionStatus.WITHDRAWN and version.withdrawn_on:
            return VersionState(
                _("Có hiệu lực đến hết %(date)s")
                % {"date": (version.withdrawn_on - dt.timedelta(days=1)).strftime("%d/%m/%Y")},
                "warning",
            )
        return VersionState(_("Đang có hiệu lực"), "success")
    if version.status == VersionStatus.WITHDRAWN:
        return VersionState(_("Đã ngừng công khai"), "danger")
    if version.effective_from and version.effective_from > today:
        return VersionState(_("Sắp có hiệu lực"), "warning")
    return VersionState(_("Đã được thay thế"), "neutral")


def review_versions(
    procedure: Procedure, versions: Sequence[ProcedureVersion]
) -> list[ProcedureVersion]:
    """The versions whose review matters now: the draft and the newest published one.

    Older versions keep their flags for the dossiers pinned to them; they
    are shown only when the procedure is flagged and nothing newer is.
    """
    draft = next((v for v in versions if v.is_draft), None)
    latest = next((v for v in versions if not v.is_draft), None)
    current = [v for v in (draft, latest) if v is not None and v.needs_review]
    if current or not procedure.needs_review:
        return current
    return [v for v in versions if v.needs_review]


@dataclass(frozen=True)
class ProcedureRow:
    procedure: Procedure
    draft: ProcedureVersion | None
    review_versions: list[ProcedureVersion]


def _tabs(current: str, version: ProcedureVersion) -> list[dict[str, Any]]:
    args = [version.procedure.code, version.number]
    tabs = [
        ("general", _("Thông tin chung"), "backoffice:version_edit"),
        ("methods", _("Hình thức nộp, thời hạn, phí"), "backoffice:version_methods"),
        ("documents", _("Thành phần hồ sơ"), "backoffice:version_documents"),
        ("process", _("Quy trình nội bộ"), "backoffice:version_process"),
        ("publish", _("Công bố"), "backoffice:version_publish"),
    ]
    return [
        {"key": key, "label": label, "url": reverse(name, args=args), "current": key == current}
        for key, label, name in tabs
    ]


def _edit_context(request: HttpRequest, version: ProcedureVersion, tab: str) -> dict[str, Any]:
    return {
        "procedure": version.procedure,
        "version": version,
        "tabs": _tabs(tab, version),
        "can_manage": True,
    }


# --- list and review queue ----------------------------------------------------------------


@catalog_view(Action.CATALOG_VIEW)
def procedure_list(request: HttpRequest, *, review: bool = False) -> HttpResponse:
    """Every procedure, listed or not, with search and filters; ``review`` is the queue."""
    form = ProcedureFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    needs_review = True if review else form.as_flag(filters.get("review", ""))
    procedures = procedure_list_for_staff(
        query=filters.get("q", ""),
        field=filters.get("field", ""),
        listed=form.as_flag(filters.get("listed", "")),
        needs_review=needs_review,
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    versions = procedure_page_versions(procedures=items)
    rows = [
        ProcedureRow(
            procedure=procedure,
            draft=next((v for v in versions.get(procedure.pk, []) if v.is_draft), None),
            review_versions=review_versions(procedure, versions.get(procedure.pk, [])),
        )
        for procedure in items
    ]
    filtered = any(filters.get(name) for name in ("q", "field", "listed", "review"))
    return render(
        request,
        "backoffice/catalog/list.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "counts": procedure_counts(),
            "fields": procedure_fields(listed_only=False),
            "review": review,
            "filtered": filtered,
            "can_manage": may(request.user, Action.CATALOG_MANAGE),
        },
    )


# --- one procedure ------------------------------------------------------------------------


@catalog_view(Action.CATALOG_VIEW)
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The version in force, the draft, upcoming versions, the history and the units."""
    procedure = _procedure(code)
    today = timezone.localdate()
    versions = list(procedure_versions(procedure=procedure))
    in_force = procedure_version_in_force(procedure=procedure, on=today)
    if in_force is not None:
        in_force = next((v for v in versions if v.pk == in_force.pk), in_force)
    history = [(v, version_state(v, in_force, today)) for v in versions]
    draft = next((v for v in versions if v.is_draft), None)
    upcoming = [
        v
        for v in versions
        if v.status == VersionStatus.PUBLISHED and v.effective_from and v.effective_from > today
    ]
    return render(
        request,
        "backoffice/catalog/detail.html",
        {
            "procedure": procedure,
            "in_force": in_force,
            "in_force_period": period_label(version_period(version=in_force)) if in_force else "",
            "draft": draft,
            "upcoming": upcoming,
            "history": history,
            "review_versions": review_versions(procedure, versions),
            "units": procedure.units.order_by("path", "name"),
            "can_manage": may(request.user, Action.CATALOG_MANAGE),
        },
    )


@catalog_view(Action.CATALOG_VIEW)
def procedure_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Any version, read-only, as a dossier pinned to it sees it."""
    version = _version(code, number, with_children=True)
    today = timezone.localdate()
    in_force = procedure_version_in_force(procedure=version.procedure, on=today)
    methods = [(method, period_label(method_period(method))) for method in version.methods.all()]
    return render(
        request,
        "backoffice/catalog/version.html",
        {
            "procedure": version.procedure,
            "version": version,
            "state": version_state(version, in_force, today),
            "methods": methods,
            "period": period_label(version_period(version=version)),
            "can_manage": may(request.user, Action.CATALOG_MANAGE),
        },
    )


# --- creating and preparing a draft -------------------------------------------------------


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def procedure_create_view(request: HttpRequest) -> HttpResponse:
    """A new procedure by code and name; it starts as a first draft."""
    form = ProcedureCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = procedure_create(
                actor=_actor(request),
                code=form.cleaned_data["code"].strip(),
                name=form.cleaned_data["name"].strip(),
            )
        except DomainError as exc:
            _show_domain_error(form, request, exc)
        else:
            messages.success(
                request,
                _(
                    "Đã tạo thủ tục %(code)s với bản nháp phiên bản 1. Hoàn thiện các mục rồi "
                    "công bố để thủ tục được công khai."
                )
                % {"code": procedure.code},
            )
            return redirect("backoffice:version_edit", procedure.code, 1)
    return render(request, "backoffice/catalog/create.html", {"form": form})


@catalog_view(Action.CATALOG_MANAGE, ("POST",))
def procedure_prepare(request: HttpRequest, code: str) -> HttpResponse:
    """«Sửa»: prepare a draft, or reopen the one being prepared; the current stays in force."""
    procedure = _procedure(code)
    try:
        draft = procedure_version_prepare(procedure=procedure, actor=_actor(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_procedure_url(procedure))
    messages.info(
        request,
        _(
            "Bạn đang sửa bản nháp phiên bản %(n)s. Phiên bản đang có hiệu lực không thay đổi "
            "cho đến khi bản nháp được công bố và đến ngày có hiệu lực."
        )
        % {"n": draft.number},
    )
    return redirect("backoffice:version_edit", procedure.code, draft.number)


# --- editing a draft ---------------------------------------------------------------------


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_edit(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The draft's general information."""
    version = _version(code, number)
    if (response := _not_a_draft(request, version)) is not None:
        return response
    form = VersionGeneralForm(
        request.POST or None, initial=VersionGeneralForm.initial_for(version)
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changed_values(version)
        if not changes:
            messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect("backoffice:version_edit", code, number)
        try:
            procedure_version_update(version=version, actor=_actor(request), **changes)
        except DomainError as exc:
            _show_domain_error(form, request, exc)
        else:
            messages.success(request, _("Đã lưu thông tin chung của bản nháp."))
            return redirect("backoffice:version_edit", code, number)
    context = _edit_context(request, version, "general")
    context["form"] = form
    return render(request, "backoffice/catalog/edit_general.html", context)


@dataclass
class MethodSection:
    """One channel on the methods page: its form and its fees."""

    channel: str
    label: str
    form: MethodForm
    fees: RowFormSet
    focus: int | None = None

    @property
    def fee_prefix(self) -> str:
        return str(self.fees.prefix)


def _method_sections(
    version: ProcedureVersion,
    data: Any = None,
    operating: bool = False,
    op: tuple[str, str, int | None] | None = None,
) -> list[MethodSection]:
    existing = {method.channel: method for method in version.methods.all()}
    sections = []
    for channel, label in Channel.choices:
        prefix, fee_prefix = f"m-{channel}", f"fee-{channel}"
        focus = None
        if data is None:
            form = MethodForm(prefix=prefix, initial=method_initial(existing.get(channel)))
            fees = FeeFormSet(prefix=fee_prefix, initial=fee_rows(existing.get(channel)))
        elif operating:
            form = MethodForm(prefix=prefix, initial=read_form(data, MethodForm, prefix))
            rows = read_rows(data, FeeFormSet.form, fee_prefix)
            if op is not None and op[1] == fee_prefix:
                rows, focus = apply_row_op(rows, op[0], op[2])
            fees = FeeFormSet(prefix=fee_prefix, initial=rows)
        else:
            form = MethodForm(data, prefix=prefix)
            fees = FeeFormSet(data, prefix=fee_prefix)
        sections.append(MethodSection(channel, str(label), form, fees, focus))
    return sections


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_methods(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Submission channels of the draft, each with its time limit and fees."""
    version = _version(code, number)
    if (response := _not_a_draft(request, version)) is not None:
        return response
    operating, op = _row_op(request, [f"fee-{channel}" for channel in Channel.values])
    data = request.POST if request.method == "POST" else None
    sections = _method_sections(version, data, operating, op)
    page_error = ""
    if data is not None and not operating:
        specs: list[MethodSpec] = []
        valid = True
        for section in sections:
            section.form.is_valid()
            if not section.form.cleaned_data.get("enabled"):
                continue  # an unticked channel is dropped with whatever was typed in it
            if not (section.form.is_valid() and section.fees.is_valid()):
                valid = False
                continue
            method = section.form.cleaned_data
            specs.append(
                MethodSpec(
                    channel=section.channel,
                    time_value=method["time_value"],
                    time_unit=method["time_unit"],
                    time_text=method["time_text"],
                    description=method["description"],
                    fees=[fee.to_fee() for fee in section.fees.kept_forms()],  # type: ignore[attr-defined]
                )
            )
        if valid and not specs:
            page_error = _("Chọn ít nhất một hình thức nộp hồ sơ.")
        elif valid:
            try:
                procedure_version_set_methods(
                    version=version, actor=_actor(request), methods=specs
                )
            except DomainError as exc:
                page_error = exc.message
            else:
                messages.success(
                    request,
                    _("Đã lưu hình thức nộp, thời hạn và phí, lệ phí. Thời hạn giải quyết: %(p)s.")
                    % {"p": period_label(version_period(version=version))},
                )
                return redirect("backoffice:version_methods", code, number)
    edited = next((s for s in sections if op is not None and s.fee_prefix == op[1]), None)
    if edited is not None and op is not None:
        _focus_row(edited.fees, edited.focus, op[0], "kind")
    context = _edit_context(request, version, "methods")
    context.update(
        {
            "sections": sections,
            "section": edited,
            "page_error": page_error,
            "invalid": data is not None and not operating,
        }
    )
    return _render_editor(
        request,
        "backoffice/catalog/edit_methods.html",
        context,
        partial_template="backoffice/catalog/_fees_editor.html",
        partial=edited is not None,
    )


def _render_editor(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial_template: str = "",
    partial: bool = False,
) -> HttpResponse:
    """The whole page, or only the edited list when htmx asked for a row operation."""
    if partial and partial_template and getattr(request, "htmx", False):
        template = partial_template
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _row_op(
    request: HttpRequest, prefixes: Sequence[str]
) -> tuple[bool, tuple[str, str, int | None] | None]:
    """Whether the POST asks for a row operation (not a save), and which one if it is valid."""
    raw = request.POST.get("op", "") if request.method == "POST" else ""
    op = parse_row_op(raw)
    if op is not None and op[1] not in prefixes:
        op = None
    return bool(raw), op


def _focus_row(formset: RowFormSet, index: int | None, verb: str, first_field: str) -> None:
    """After a row operation, put the keyboard focus back where the officer was working."""
    if index is None or not 0 <= index < len(formset.forms):
        return
    form = formset.forms[index]
    if verb in ("up", "down"):
        form.focus_verb = verb  # type: ignore[attr-defined]  # read by _row_actions.html
    else:
        form.fields[first_field].widget.attrs["autofocus"] = True


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_documents(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The dossier components of the draft, in order."""
    version = _version(code, number)
    if (response := _not_a_draft(request, version)) is not None:
        return response
    prefix = "docs"
    operating, op = _row_op(request, [prefix])
    focus = None
    page_error = ""
    if request.method == "GET":
        formset = DocumentFormSet(prefix=prefix, initial=document_rows(version.documents.all()))
    elif operating:
        rows = read_rows(request.POST, DocumentFormSet.form, prefix)
        if op is not None:
            rows, focus = apply_row_op(rows, op[0], op[2])
        formset = DocumentFormSet(prefix=prefix, initial=rows)
    else:
        formset = DocumentFormSet(request.POST, prefix=prefix)
        if formset.is_valid():
            documents = [form.to_document() for form in formset.kept_forms()]  # type: ignore[attr-defined]
            try:
                procedure_version_set_documents(
                    version=version, actor=_actor(request), documents=documents
                )
            except DomainError as exc:
                page_error = exc.message
            else:
                messages.success(
                    request,
                    _("Đã lưu %(n)s thành phần hồ sơ.") % {"n": len(documents)},
                )
                return redirect("backoffice:version_documents", code, number)
    if op is not None:
        _focus_row(formset, focus, op[0], "name")
    context = _edit_context(request, version, "documents")
    context.update({"formset": formset, "page_error": page_error})
    return _render_editor(
        request,
        "backoffice/catalog/edit_documents.html",
        context,
        partial_template="backoffice/catalog/_documents_editor.html",
        partial=operating,
    )


@dataclass
class StepRow:
    form: forms.Form
    cumulative: str = ""
    over: bool = False
    error_id: str = ""


@dataclass
class ProcessEditor:
    formset: RowFormSet
    rows: list[StepRow] = field(default_factory=list)
    budget: ProcessBudget | None = None
    summary: str = ""
    tone: str = "info"


def _process_editor(
    formset: RowFormSet, raw_rows: list[dict[str, Any]], period: Any
) -> ProcessEditor:
    """The running total of the steps as typed, against the legal time."""
    editor = ProcessEditor(formset=formset)
    budget = process_budget(steps=steps_from_rows(raw_rows), period=period)
    editor.budget = budget
    running = Decimal(0)
    for index, form in enumerate(formset.forms):
        row = raw_rows[index] if index < len(raw_rows) else {}
        steps = steps_from_rows([row])
        step_row = StepRow(form=form, error_id=f"{formset.prefix}-{index}-error")
        if steps:
            running += steps[0].hours
            step_row.cumulative = budget.as_text(running)
            step_row.over = budget.legal_hours is not None and running > budget.legal_hours
        editor.rows.append(step_row)
    allocated = budget.as_text(budget.allocated_hours)
    if period is None:
        editor.summary = _(
            "Chưa xác định được thời hạn giải quyết: hãy khai số và đơn vị thời hạn ở mục "
            "«Hình thức nộp, thời hạn, phí» trước."
        )
        editor.tone = "warning"
    elif budget.legal_hours is None:
        editor.summary = _(
            "Các bước đã phân bổ %(allocated)s. Thời hạn %(legal)s tính theo ngày hoặc tháng "
            "nên không so sánh được với giờ làm việc."
        ) % {"allocated": allocated, "legal": period_label(period)}
    else:
        legal = budget.as_text(budget.legal_hours)
        difference = budget.difference or Decimal(0)
        values = {
            "allocated": allocated,
            "legal": legal,
            "rest": budget.as_text(abs(difference)),
        }
        if difference > 0:
            editor.summary = (
                _("Đã phân bổ %(allocated)s trên thời hạn %(legal)s: còn thiếu %(rest)s.") % values
            )
            editor.tone = "warning"
        elif difference < 0:
            editor.summary = (
                _("Đã phân bổ %(allocated)s, vượt thời hạn %(legal)s là %(rest)s.") % values
            )
            editor.tone = "danger"
        else:
            editor.summary = _("Đã phân bổ đủ %(legal)s.") % values
            editor.tone = "success"
    return editor


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_process(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The internal-process editor: ordered steps whose shares add up to the legal time.

    POST ``op`` = ``add:steps``, ``remove:steps:N``, ``up:steps:N``,
    ``down:steps:N``, ``default`` (fill the default process) or ``recalc``
    shows the editor again with the change, nothing saved; no ``op`` saves.
    """
    version = _version(code, number)
    if (response := _not_a_draft(request, version)) is not None:
        return response
    prefix = "steps"
    period = version_period(version=version)
    action = request.POST.get("op", "") if request.method == "POST" else ""
    operating, op = _row_op(request, [prefix])
    page_error = page_error_anchor = ""
    if request.method == "GET":
        rows = step_rows(version.process_steps.all())
        formset = StepFormSet(prefix=prefix, initial=rows)
    elif action == "default":
        rows = step_rows(default_process(period))
        formset = StepFormSet(prefix=prefix, initial=rows)
    elif operating:  # a row operation, "recalc" or anything unknown: show, never save
        rows = read_rows(request.POST, StepFormSet.form, prefix)
        focus = None
        if op is not None:
            rows, focus = apply_row_op(rows, op[0], op[2])
        formset = StepFormSet(prefix=prefix, initial=rows)
        if op is not None:
            _focus_row(formset, focus, op[0], "name")
    else:
        rows = read_rows(request.POST, StepFormSet.form, prefix)
        formset = StepFormSet(request.POST, prefix=prefix)
        if formset.is_valid():
            kept = formset.kept_forms()
            try:
                procedure_version_set_process(
                    version=version,
                    actor=_actor(request),
                    steps=[form.to_step() for form in kept],  # type: ignore[attr-defined]
                )
            except DomainError as exc:
                page_error = exc.message
                step = exc.params.get("step")
                if isinstance(step, int) and 1 <= step <= len(kept):
                    kept[step - 1].add_error(None, exc.message)
                    page_error_anchor = kept[step - 1].prefix or ""
            else:
                messages.success(
                    request, _("Đã lưu quy trình nội bộ gồm %(n)s bước.") % {"n": len(kept)}
                )
                return redirect("backoffice:version_process", code, number)
    editor = _process_editor(formset, rows, period)
    for step_row in editor.rows:
        if step_row.form.is_bound and step_row.form.non_field_errors():
            # The step's name field is read with the reason the step is off.
            name = step_row.form["name"]
            described = " ".join(filter(None, [step_row.error_id, name.aria_describedby]))
            name.field.widget.attrs["aria-describedby"] = described
    if action == "default":
        editor.summary = (
            _("Đã điền quy trình mặc định theo thời hạn %(p)s; kiểm tra rồi bấm «Lưu quy trình». ")
            % {"p": period_label(period)}
            + editor.summary
        )
    context = _edit_context(request, version, "process")
    context.update(
        {
            "editor": editor,
            "formset": formset,
            "period": period,
            "period_label": period_label(period),
            "page_error": page_error,
            "page_error_anchor": page_error_anchor,
        }
    )
    return _render_editor(
        request,
        "backoffice/catalog/edit_process.html",
        context,
        partial_template="backoffice/catalog/_process_editor.html",
        partial=operating,
    )


# --- publishing, withdrawing, discarding, reviewing ---------------------------------------------


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_publish(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Publish the draft from an effective date; the current version stays in force until then."""
    version = _version(code, number)
    if (response := _not_a_draft(request, version)) is not None:
        return response
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        effective_from = form.cleaned_data["effective_from"]
        try:
            procedure_version_publish(
                version=version, actor=_actor(request), effective_from=effective_from
            )
        except DomainError as exc:
            _show_domain_error(form, request, exc)
        else:
            if effective_from > timezone.localdate():
                messages.success(
                    request,
                    _(
                        "Đã công bố phiên bản %(n)s, có hiệu lực từ %(date)s. Đến ngày đó, "
                        "phiên bản hiện hành vẫn có hiệu lực."
                    )
                    % {"n": version.number, "date": effective_from.strftime("%d/%m/%Y")},
                )
            else:
                messages.success(
                    request,
                    _("Đã công bố phiên bản %(n)s, có hiệu lực từ %(date)s.")
                    % {"n": version.number, "date": effective_from.strftime("%d/%m/%Y")},
                )
            return redirect(_procedure_url(version.procedure))
    today = timezone.localdate()
    in_force = procedure_version_in_force(procedure=version.procedure, on=today)
    period = version_period(version=version)
    steps = list(version.process_steps.all())
    process_error = ""
    if steps:
        # A preview of the check publishing makes (it fills a default process when empty).
        try:
            process_validate(steps=_step_specs(steps), period=period)
        except DomainError as exc:
            process_error = exc.message
    context = _edit_context(request, version, "publish")
    context.update(
        {
            "form": form,
            "in_force": in_force,
            "period_label": period_label(period),
            "period_known": period is not None,
            "method_count": version.methods.count(),
            "document_count": version.documents.count(),
            "step_count": len(steps),
            "process_error": process_error,
        }
    )
    return render(request, "backoffice/catalog/publish.html", context)


def _step_specs(steps: Sequence[ProcessStep]) -> list[StepSpec]:
    return [
        StepSpec(
            name=step.name,
            share_value=step.share_value,
            share_unit=step.share_unit,
            runs_in_other_agency=step.runs_in_other_agency,
            agency_name=step.agency_name,
        )
        for step in steps
    ]


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_discard(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Delete the draft after confirmation; the published versions are untouched."""
    version = _version(code, number)
    if (response := _not_a_draft(request, version)) is not None:
        return response
    if request.method == "POST":
        try:
            procedure_version_discard(version=version, actor=_actor(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã huỷ bản nháp phiên bản %(n)s.") % {"n": number})
        return redirect(_procedure_url(version.procedure))
    return render(
        request,
        "backoffice/catalog/confirm.html",
        {
            "procedure": version.procedure,
            "version": version,
            "title": _("Huỷ bản nháp phiên bản %(n)s") % {"n": number},
            "explanation": _(
                "Mọi thay đổi trong bản nháp sẽ bị xoá. Các phiên bản đã công bố không bị ảnh "
                "hưởng."
            ),
            "blocked": _("Không xoá được phiên bản đầu tiên; hãy sửa nội dung của nó.")
            if version.number == 1
            else "",
            "confirm_label": _("Huỷ bản nháp"),
            "danger": True,
        },
    )


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_withdraw(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Stop listing a published version from a date, with the reason."""
    version = _version(code, number)
    if version.status != VersionStatus.PUBLISHED:
        messages.warning(request, _("Chỉ ngừng công khai được phiên bản đã công bố."))
        return redirect(_procedure_url(version.procedure))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure_version_withdraw(
                version=version,
                actor=_actor(request),
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _show_domain_error(form, request, exc)
        else:
            messages.success(
                request,
                _("Đã ngừng công khai phiên bản %(n)s từ ngày %(date)s.")
                % {
                    "n": version.number,
                    "date": form.cleaned_data["withdrawn_on"].strftime("%d/%m/%Y"),
                },
            )
            return redirect(_procedure_url(version.procedure))
    return render(
        request,
        "backoffice/catalog/withdraw.html",
        {"procedure": version.procedure, "version": version, "form": form},
    )


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def version_mark_reviewed(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Record that the points the import flagged were checked."""
    version = _version(code, number)
    if request.method == "POST":
        try:
            procedure_mark_reviewed(version=version, actor=_actor(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã ghi nhận rà soát phiên bản %(n)s của thủ tục %(code)s.")
                % {"n": number, "code": code},
            )
        target = request.POST.get("next", "")
        if target == "queue":
            return redirect("backoffice:procedures_review")
        return redirect(_procedure_url(version.procedure))
    return render(
        request,
        "backoffice/catalog/confirm.html",
        {
            "procedure": version.procedure,
            "version": version,
            "title": _("Xác nhận đã rà soát phiên bản %(n)s") % {"n": number},
            "explanation": _(
                "Xác nhận bạn đã đối chiếu các nội dung dưới đây với quyết định công bố và đã "
                "sửa những gì chưa đúng."
            ),
            "reasons": version.review_reasons,
            "confirm_label": _("Đã rà soát"),
            "next": request.GET.get("next", ""),
        },
    )


# --- units ------------------------------------------------------------------------------


def _units_to_show(scope: Any, current_ids: set[int], query: str) -> tuple[list[Unit], bool]:
    """The units whose boxes the page shows, and whether a search is needed to see more."""
    ordered = scope.order_by("path", "name")
    if query:
        found = ordered.filter(Q(name__icontains=query) | Q(code__iexact=query))
        return list(
            ordered.filter(
                Q(pk__in=current_ids) | Q(pk__in=found.values("pk")[:UNITS_SEARCH_LIMIT])
            )
        ), False
    if scope.count() <= UNITS_LISTED_AT_ONCE:
        return list(ordered), False
    return list(ordered.filter(pk__in=current_ids)), True


@catalog_view(Action.CATALOG_MANAGE, ("GET", "POST"))
def procedure_units(request: HttpRequest, code: str) -> HttpResponse:
    """The units that carry out and list the procedure, among those the officer manages.

    Only the boxes shown are applied: units outside the officer's scope, and
    units of the scope the page did not show, keep their assignment.
    """
    procedure = _procedure(code)
    scope = units_in_scope(request.user, Action.CATALOG_MANAGE).in_force()  # type: ignore[attr-defined]
    current = list(procedure.units.order_by("path", "name"))
    current_ids = {unit.pk for unit in current}
    form = None
    selected = current_ids
    if request.method == "POST":
        form = ProcedureUnitsForm(request.POST, scope=scope)
        if form.is_valid():
            try:
                procedure_set_units(
                    procedure=procedure, actor=_actor(request), units=form.units_after(current)
                )
            except DomainError as exc:
                _show_domain_error(form, request, exc)
            else:
                messages.success(request, _("Đã lưu các đơn vị thực hiện thủ tục."))
                return redirect(_procedure_url(procedure))
        selected = {int(pk) for pk in request.POST.getlist("units") if pk.isdigit()}
    query = request.GET.get("q", "").strip()[:100]
    shown, needs_search = _units_to_show(scope, current_ids, query)
    in_scope = set(scope.filter(pk__in=current_ids).values_list("pk", flat=True))
    return render(
        request,
        "backoffice/catalog/units.html",
        {
            "procedure": procedure,
            "form": form,
            "shown": shown,
            "selected": selected,
            "query": query,
            "needs_search": needs_search,
            "others": [unit for unit in current if unit.pk not in in_scope],
        },
    )
