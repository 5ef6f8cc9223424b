"""Printed forms in the staff area: a dossier's official forms (PDF) and the tracking book
(PDF or Excel).

Thin: parse the request, authorize — the dossier through
:func:`~motcua.dossiers.selectors.dossier_get_for_officer`, so that another
unit's dossier is "not found" (404), never "forbidden"; the book's unit among
``units_in_scope(user, DOSSIER_VIEW)`` — call :mod:`motcua.dossiers.forms_pdf`
or :mod:`motcua.dossiers.tracking_book`, respond. A form that does not fit the
dossier's state is a 409 page saying why; bad parameters are a form with
errors (400), never a server error.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.accounts.constants import UnitKind
from motcua.accounts.models import Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import units_in_scope
from motcua.backoffice.access import officer_required
from motcua.core.exceptions import NotFound, ValidationFailed
from motcua.dossiers import forms_pdf, tracking_book
from motcua.dossiers.models import Dossier
from motcua.dossiers.notify import care_letter_values, care_letters
from motcua.dossiers.selectors import dossier_get_for_officer
from motcua.letters.pdf import letter_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Units that keep a book: one-stop units, and any unit that has received dossiers.
BOOK_UNIT_KINDS = (UnitKind.SERVICE_CENTRE, UnitKind.BRANCH)


def _unavailable(
    request: HttpRequest, message: str, *, status: int, dossier: Dossier | None = None
) -> HttpResponse:
    """A page that says in Vietnamese why there is nothing to print."""
    return render(
        request,
        "backoffice/forms/unavailable.html",
        {"message": message, "dossier": dossier, "status": status},
        status=status,
    )


def _file(content: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's history cache.
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
@require_GET
def dossier_form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """``GET /can-bo/ho-so/<code>/bieu-mau/<form>.pdf``: one official form of one dossier.

    ``code`` is the dossier code, or the reference of a dossier not yet
    received (supplement request and refusal before receipt).
    """
    user = cast(User, request.user)
    if form not in forms_pdf.Form.values:
        return _unavailable(
            request,
            _("Không có biểu mẫu «%(form)s». Các biểu mẫu in được: %(forms)s.")
            % {
                "form": form[:40],
                "forms": "; ".join(
                    "%s (%s)" % (value, str(label).lower())  # noqa: UP031
                    for value, label in forms_pdf.Form.choices
                ),
            },
            status=404,
        )
    try:
        dossier = dossier_get_for_officer(user=user, code=code)
    except NotFound as exc:
        return _unavailable(request, exc.message, status=404)
    try:
        pdf = forms_pdf.dossier_form_pdf(dossier=dossier, form=form, request=request)
    except forms_pdf.FormNotApplicable as exc:
        return _unavailable(request, exc.message, status=409, dossier=dossier)
    return _file(
        pdf,
        content_type="application/pdf",
        filename=forms_pdf.form_filename(dossier=dossier, form=form),
        inline=True,
    )


@officer_required
@require_GET
def dossier_letter_pdf(request: HttpRequest, code: str, letter: int) -> HttpResponse:
    """``GET /can-bo/ho-so/<code>/thu/<letter>.pdf``: a care letter filled for this dossier.

    Scenario 1: the congratulation letter printed with the birth certificate.
    Only the letters attached to the dossier's procedure; the date is today's.
    """
    user = cast(User, request.user)
    try:
        dossier = dossier_get_for_officer(user=user, code=code)
    except NotFound as exc:
        return _unavailable(request, exc.message, status=404)
    template = next((t for t in care_letters(dossier) if t.pk == letter), None)
    if template is None:
        return _unavailable(
            request,
            _("Thủ tục của hồ sơ này không có mẫu thư này."),
            status=404,
            dossier=dossier,
        )
    values = care_letter_values(dossier, timezone.localdate())
    values["parent_unit_name"] = ""
    pdf = letter_pdf(template=template, context=values, request=request)
    return _file(
        pdf,
        content_type="application/pdf",
        filename=f"thu-{dossier.label}-{template.pk}.pdf",
        inline=True,
    )


def book_units(user: User) -> QuerySet[Unit]:
    """The units whose book ``user`` may print: in scope for viewing dossiers, and keeping a
    book (a one-stop unit, or one that has received dossiers)."""
    received = Dossier.objects.filter(receiving_unit=OuterRef("pk"))
    return (
        units_in_scope(user, Perm.DOSSIER_VIEW)
        .filter(Q(kind__in=BOOK_UNIT_KINDS) | Q(Exists(received)))
        .order_by("path", "name")
    )


class TrackingBookForm(forms.Form):
    """Which book: unit, period (inclusive), PDF or Excel."""

    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị tiếp nhận"),
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Vui lòng chọn đơn vị."),
            "invalid_choice": gettext_lazy(
                "Đơn vị đã chọn không có hoặc bạn không được xem sổ của đơn vị này."
            ),
        },
    )
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Vui lòng nhập ngày bắt đầu."),
            "invalid": gettext_lazy(
                "Ngày không hợp lệ (định dạng năm-tháng-ngày, ví dụ 2026-11-01)."
            ),
        },
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Vui lòng nhập ngày kết thúc."),
            "invalid": gettext_lazy(
                "Ngày không hợp lệ (định dạng năm-tháng-ngày, ví dụ 2026-11-30)."
            ),
        },
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[
            ("pdf", gettext_lazy("PDF (in khổ A4 ngang)")),
            ("xlsx", gettext_lazy("Excel (.xlsx)")),
        ],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Vui lòng chọn định dạng."),
            "invalid_choice": gettext_lazy("Định dạng phải là PDF hoặc Excel."),
        },
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
        unit_field.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
            elif (end - start).days + 1 > tracking_book.BOOK_MAX_DAYS:
                self.add_error(
                    "end",
                    _("Mỗi lần in tối đa %(days)s ngày (một quyển sổ); hãy chọn kỳ ngắn hơn.")
                    % {"days": tracking_book.BOOK_MAX_DAYS},
                )
        return data


# The form's fields have English names; the URL speaks the brief's words.
_PARAMS = {"unit": "unit", "from": "start", "to": "end", "format": "format"}


def _initial(user: User, units: QuerySet[Unit]) -> dict[str, Any]:
    today = timezone.localdate()
    officer = getattr(user, "officer", None)
    own = units.filter(pk=officer.unit_id).first() if officer is not None else None
    return {
        "unit": own or units.first(),
        "start": today.replace(day=1),
        "end": today,
        "format": "pdf",
    }


@officer_required
@require_GET
def tracking_book_view(request: HttpRequest) -> HttpResponse:
    """``GET /can-bo/ho-so/so-theo-doi/?unit=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&format=pdf|xlsx``.

    Without parameters: the form to choose. With them: the book as a file,
    or the form again with what to change.
    """
    user = cast(User, request.user)
    units = book_units(user)
    context: dict[str, Any] = {
        "max_days": tracking_book.BOOK_MAX_DAYS,
        "max_rows_pdf": tracking_book.BOOK_MAX_ROWS_PDF,
        "max_rows_xlsx": tracking_book.BOOK_MAX_ROWS_XLSX,
    }
    if not any(name in request.GET for name in _PARAMS):
        context["form"] = TrackingBookForm(initial=_initial(user, units), units=units)
        context["no_units"] = not units.exists()
        return render(request, "backoffice/forms/tracking_book.html", context)
    data = {field: request.GET.get(param, "") for param, field in _PARAMS.items()}
    form = TrackingBookForm(data, units=units)
    context["form"] = form
    if not form.is_valid():
        return render(request, "backoffice/forms/tracking_book.html", context, status=400)
    as_pdf = form.cleaned_data["format"] == "pdf"
    try:
        book = tracking_book.tracking_book(
            unit=form.cleaned_data["unit"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            max_rows=(
                tracking_book.BOOK_MAX_ROWS_PDF if as_pdf else tracking_book.BOOK_MAX_ROWS_XLSX
            ),
        )
    except ValidationFailed as exc:
        form.add_error("end" if exc.params.get("field") == "to" else None, exc.message)
        return render(request, "backoffice/forms/tracking_book.html", context, status=400)
    if as_pdf:
        return _file(
            tracking_book.tracking_book_pdf(book=book, request=request),
            content_type="application/pdf",
            filename=tracking_book.tracking_book_filename(book=book, extension="pdf"),
            inline=True,
        )
    return _file(
        tracking_book.tracking_book_xlsx(book=book),
        content_type=XLSX,
        filename=tracking_book.tracking_book_filename(book=book, extension="xlsx"),
        inline=False,
    )
