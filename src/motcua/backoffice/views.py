"""The staff area. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.backoffice.access import OfficerRequiredMixin, officer_required
from motcua.backoffice.forms import StaffAuthenticationForm
from motcua.workcalendar.selectors import calendar_warnings


class LoginView(auth_views.LoginView):
    """The staff login; django-axes locks it after repeated failures."""

    template_name = "backoffice/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only) and say so on the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Bạn đã đăng xuất."))
        return response


class PasswordChangeView(OfficerRequiredMixin, auth_views.PasswordChangeView):
    """An officer changes their own password; the session stays signed in."""

    template_name = "backoffice/password_change.html"
    success_url = reverse_lazy("backoffice:password_change_done")


class PasswordChangeDoneView(OfficerRequiredMixin, auth_views.PasswordChangeDoneView):
    """Confirms the change."""

    template_name = "backoffice/password_change_done.html"


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: who is signed in, and what needs their attention."""
    user = cast(User, request.user)  # officer_required let only officers through
    # The selector itself returns nothing to users who may not manage the calendar.
    warnings = calendar_warnings(user=user)
    return render(request, "backoffice/home.html", {"warnings": warnings})
