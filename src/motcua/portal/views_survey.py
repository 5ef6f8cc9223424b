"""The satisfaction survey by QR (đánh giá mức độ hài lòng), and the counter QR sheet for staff.

Thin: read the signed link through :mod:`motcua.feedback.selectors`, call
:func:`~motcua.feedback.services.survey_response_submit`, render. A link is a
``django.core.signing`` token (``/danh-gia/<token>/``): a forged or altered
one is "not found", and links cannot be enumerated.
"""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import Unit, UnitQuerySet, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import units_in_scope
from motcua.backoffice.access import officer_required
from motcua.catalog.qr import qr_png_data_uri, qr_svg
from motcua.core.exceptions import Conflict, NotFound, ValidationFailed
from motcua.core.pdf import render_pdf
from motcua.dossiers.forms_pdf import public_base_url
from motcua.feedback.constants import CRITERIA, Rating
from motcua.feedback.selectors import SurveySubject, survey_subject_get
from motcua.feedback.services import COMMENT_MAX_LENGTH, survey_response_submit
from motcua.feedback.signing import survey_token_for_unit
from motcua.portal.views_lookup import survey_limited, throttled_message


class SurveyForm(forms.Form):
    """Overall satisfaction (required), the five SIPAS criteria (optional), a comment."""

    overall = forms.ChoiceField(
        label=gettext_lazy("Nhìn chung, ông/bà có hài lòng không?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Vui lòng chọn mức độ hài lòng chung.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in CRITERIA:
            self.fields[name] = forms.ChoiceField(
                label=str(label),  # built per request: in the active language
                choices=Rating.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["comment"] = forms.CharField(
            label=gettext_lazy("Góp ý thêm (không bắt buộc)"),
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def criteria_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in CRITERIA]


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _invalid(request: HttpRequest, message: str) -> HttpResponse:
    return _no_store(
        render(request, "portal/survey/invalid.html", {"message": message}, status=404)
    )


def _page(
    request: HttpRequest,
    subject: SurveySubject,
    form: SurveyForm,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {"subject": subject, "form": form, "error": error}
    return _no_store(render(request, "portal/survey/form.html", context, status=status))


def _answered(request: HttpRequest, subject: SurveySubject, *, status: int) -> HttpResponse:
    return _no_store(
        render(request, "portal/survey/answered.html", {"subject": subject}, status=status)
    )


@require_GET
def survey_home(request: HttpRequest) -> HttpResponse:
    """``/danh-gia/``: how to rate the service (the counter QR, the receipt QR, the lookup)."""
    return render(request, "portal/survey/home.html")


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """``/danh-gia/<token>/``: the short survey; once per dossier ("đã ghi nhận" after)."""
    try:
        subject = survey_subject_get(token=token)
    except NotFound as exc:
        return _invalid(request, exc.message)
    if subject.already_answered:
        return _answered(request, subject, status=200)
    if request.method != "POST":
        return _page(request, subject, SurveyForm())
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return _page(request, subject, form, status=400)
    wait = survey_limited(request)
    if wait is not None:
        response = _page(request, subject, form, status=429, error=throttled_message(wait))
        response["Retry-After"] = str(wait)
        return response
    data = form.cleaned_data
    try:
        survey_response_submit(
            token=token,
            overall=data["overall"],
            criteria={name: data.get(name) or "" for name, _label in CRITERIA},
            comment=data.get("comment") or "",
        )
    except Conflict:
        return _answered(request, subject, status=200)
    except ValidationFailed as exc:
        return _page(request, subject, form, status=400, error=exc.message)
    except NotFound as exc:
        return _invalid(request, exc.message)
    return _no_store(render(request, "portal/survey/thanks.html", {"subject": subject}))


# --- staff: the counter QR ---------------------------------------------------------------


def survey_url_for_unit(request: HttpRequest, unit: Unit) -> str:
    """The public address of a unit's counter survey (MOTCUA_PUBLIC_URL when set)."""
    path = reverse("portal:survey_answer", args=[survey_token_for_unit(unit_id=unit.pk)])
    return public_base_url(request).rstrip("/") + path


@officer_required
@require_GET
def counter_qr_sheet(request: HttpRequest) -> HttpResponse:
    """``/can-bo/danh-gia/ma-qr/``: the printable counter QR of a unit in the officer's scope
    (``?don-vi=<id>``; ``&pdf=1`` for an A4 PDF to post at the counter)."""
    user = cast(User, request.user)
    in_scope = cast(UnitQuerySet, units_in_scope(user, Perm.UNIT_VIEW))
    units = list(in_scope.in_force().order_by("name"))
    officer = getattr(user, "officer", None)
    chosen = request.GET.get("don-vi", "")
    unit: Unit | None = None
    if chosen.isdigit():
        unit = next((item for item in units if item.pk == int(chosen)), None)
        if unit is None:
            return render(
                request,
                "portal/survey/counter_qr.html",
                {"units": units, "unit": None, "error": _("Không tìm thấy đơn vị.")},
                status=404,
            )
    elif officer is not None:
        unit = next((item for item in units if item.pk == officer.unit_id), None)
    if unit is None and units:
        unit = units[0]
    context: dict[str, object] = {"units": units, "unit": unit}
    if unit is not None:
        url = survey_url_for_unit(request, unit)
        context["survey_url"] = url
        title = _("Đánh giá mức độ hài lòng — %(unit)s") % {"unit": unit.name}
        if request.GET.get("pdf") == "1":
            pdf = render_pdf(
                template="portal/survey/counter_qr_pdf.html",
                context={"unit": unit, "survey_url": url, "qr": qr_png_data_uri(url)},
                request=request,
            )
            scope = re.sub(r"[^0-9A-Za-z.-]", "", unit.code) or str(unit.pk)
            name = f"ma-qr-danh-gia-{scope}-{timezone.localdate():%Y%m%d}.pdf"
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}"'
            return response
        context["qr"] = qr_svg(url, title=title, css_class="qr survey-qr__code")
    return render(request, "portal/survey/counter_qr.html", context)
