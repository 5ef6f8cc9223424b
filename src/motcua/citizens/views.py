"""The citizen account pages under ``/tai-khoan/`` (included into the ``portal`` namespace).

Thin: parse, call one service or selector, render. Pages that show a
citizen's things are behind :func:`citizen_required`; every read is filtered
by the signed-in citizen in :mod:`motcua.citizens.selectors`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.constants import UserKind
from motcua.accounts.models import Citizen, User
from motcua.citizens.forms import (
    ChannelsForm,
    CitizenAuthenticationForm,
    RegisterForm,
    VerifyForm,
)
from motcua.citizens.selectors import (
    citizen_dossier_get,
    citizen_dossiers,
    citizen_drafts,
    citizen_of,
    submission_draft_get,
)
from motcua.citizens.services import (
    citizen_register,
    citizen_verification_resend,
    citizen_verify,
    submission_draft_delete,
)
from motcua.core.exceptions import NotFound, ValidationFailed
from motcua.feedback.selectors import survey_answered
from motcua.feedback.signing import survey_token_for_dossier
from motcua.notifications.selectors import notification_channels_for
from motcua.notifications.services import notification_preference_set

# The account waiting for its code, between registration and verification.
PENDING_KEY = "motcua_pending_citizen"
LOGIN_URL = reverse_lazy("portal:account_login")

View = Callable[..., HttpResponse]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def citizen_required(view: View) -> View:
    """Only a signed-in citizen; others go to the citizens' sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        citizen = citizen_of(request.user)
        if citizen is None:
            if request.user.is_authenticated:
                messages.info(request, _("Trang này dành cho tài khoản người dân, doanh nghiệp."))
            return redirect_to_login(request.get_full_path(), str(LOGIN_URL))
        return _private(view(request, citizen, *args, **kwargs))

    return wrapper


class LoginView(auth_views.LoginView):
    """Citizens sign in with phone or e-mail; django-axes locks after repeated failures."""

    template_name = "portal/account/login.html"
    authentication_form = CitizenAuthenticationForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        return self.get_redirect_url() or str(reverse("portal:account"))


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only) and return to the portal home."""

    next_page = reverse_lazy("portal:home")  # type: ignore[assignment]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Ông/bà đã đăng xuất."))
        return response


def register(request: HttpRequest) -> HttpResponse:
    """Create an account; the verification code goes to the e-mail (else the phone)."""
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                citizen = citizen_register(
                    full_name=data["full_name"],
                    password=data["password"],
                    phone=data["phone"],
                    email=data["email"],
                    citizen_id=data["citizen_id"],
                )
            except ValidationFailed as exc:
                field = str(exc.params.get("field", ""))
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                request.session[PENDING_KEY] = citizen.user_id
                return HttpResponseRedirect(reverse("portal:account_verify"))
    return _private(render(request, "portal/account/register.html", {"form": form}, status=status))


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_KEY)
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, kind=UserKind.CITIZEN, is_active=False).first()


def verify(request: HttpRequest) -> HttpResponse:
    """Enter the code sent at registration; a right code signs the citizen in."""
    user = _pending_user(request)
    if user is None:
        return HttpResponseRedirect(reverse("portal:account_login"))
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("action") == "resend":
                citizen_verification_resend(user=user)
                messages.success(request, _("Đã gửi mã xác thực mới."))
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                citizen_verify(user=user, code=form.cleaned_data["code"])
                request.session.pop(PENDING_KEY, None)
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
                messages.success(request, _("Tài khoản đã được xác thực. Chào mừng ông/bà!"))
                return HttpResponseRedirect(reverse("portal:account"))
        except ValidationFailed as exc:
            form.add_error("code" if "code" in form.fields else None, exc.message)
    address = user.username
    return _private(
        render(
            request,
            "portal/account/verify.html",
            {"form": form, "address": address, "by_email": "@" in address},
            status=status,
        )
    )


@citizen_required
def dossiers(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    """Hồ sơ của tôi: the citizen's own dossiers and drafts."""
    return render(
        request,
        "portal/account/dossiers.html",
        {
            "citizen": citizen,
            "dossiers": list(citizen_dossiers(citizen=citizen)[:200]),
            "drafts": list(citizen_drafts(citizen=citizen)),
        },
    )


@citizen_required
def dossier(request: HttpRequest, citizen: Citizen, key: str) -> HttpResponse:
    """One of the citizen's own dossiers: status and timeline (404 for anyone else's)."""
    try:
        found = citizen_dossier_get(citizen=citizen, key=key)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    # The public status page's own template: the same masked view and timeline.
    answered = found.rateable and survey_answered(dossier_id=found.id)
    token = (
        survey_token_for_dossier(dossier_id=found.id) if found.rateable and not answered else ""
    )
    return render(
        request,
        "portal/lookup/result.html",
        {"dossier": found, "survey_token": token, "survey_answered": answered},
    )


@citizen_required
def channels(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    """Choose how to be told about one's dossiers."""
    user = citizen.user
    current = sorted(str(channel) for channel in notification_channels_for(user=user))
    form = ChannelsForm(request.POST or None, initial={"channels": current})
    if request.method == "POST" and form.is_valid():
        try:
            notification_preference_set(user=user, channels=form.cleaned_data["channels"])
        except ValidationFailed as exc:
            form.add_error("channels", exc.message)
        else:
            messages.success(request, _("Đã lưu lựa chọn kênh nhận thông báo."))
            return HttpResponseRedirect(request.path)
    return render(request, "portal/account/channels.html", {"form": form, "citizen": citizen})


@citizen_required
def drafts(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    """The citizen's saved drafts, each with a link back to its form."""
    return render(
        request,
        "portal/account/drafts.html",
        {"drafts": list(citizen_drafts(citizen=citizen)), "citizen": citizen},
    )


@require_POST
@citizen_required
def draft_delete(request: HttpRequest, citizen: Citizen, pk: int) -> HttpResponse:
    """Throw one's own draft away."""
    try:
        draft = submission_draft_get(citizen=citizen, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    submission_draft_delete(draft=draft, actor=citizen.user)
    messages.success(request, _("Đã xoá hồ sơ nháp."))
    return HttpResponseRedirect(reverse("portal:account_drafts"))
