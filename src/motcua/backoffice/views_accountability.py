"""Accountability for delay on the dossier page (issue 5): the banner, explanation, apology.

Thin: the dossier through the officer's scope, a form, one service of
:mod:`motcua.dossiers.services_accountability`, back to the dossier with a
message. What blocks the dossier and who must act comes from
:func:`motcua.dossiers.accountability.dossier_accountability`, the same
answer the API gives.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.permissions import Action as Perm
from motcua.backoffice.accountability_ui import ApologyForm, ExplanationForm
from motcua.backoffice.views_dossiers import staff_view
from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get_for_officer
from motcua.dossiers.services_accountability import dossier_apologise, step_explain


def _back(dossier: Dossier) -> HttpResponse:
    return redirect(reverse("backoffice:dossier_detail", args=[dossier.label]))


def _errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@staff_view(Perm.DOSSIER_VIEW, ("POST",))
def dossier_explain(request: HttpRequest, code: str) -> HttpResponse:
    """The responsible officer records why the open step is late."""
    user = cast(User, request.user)
    dossier = dossier_get_for_officer(user=user, code=code)
    form = ExplanationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back(dossier)
    try:
        step_explain(dossier=dossier, actor=user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi giải trình; có thể chuyển bước tiếp theo."))
    return _back(dossier)


@staff_view(Perm.DOSSIER_VIEW, ("POST",))
def dossier_apologise_view(request: HttpRequest, code: str) -> HttpResponse:
    """The head of the late unit signs the apology slip with a new appointment (R11–R13)."""
    user = cast(User, request.user)
    dossier = dossier_get_for_officer(user=user, code=code)
    form = ApologyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back(dossier)
    try:
        slip = dossier_apologise(
            dossier=dossier,
            actor=user,
            reason=form.cleaned_data["reason"],
            extension_days=form.cleaned_data["extension_days"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã lập phiếu xin lỗi số %(number)s; hẹn trả kết quả mới: %(date)s.")
            % {
                "number": slip.number,
                "date": timezone.localtime(slip.new_appointment).strftime("%H:%M %d/%m/%Y"),
            },
        )
    return _back(dossier)
