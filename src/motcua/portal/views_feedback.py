"""Feedback and petitions (phản ánh, kiến nghị — PAKN) on the portal, and published answers.

Thin: parse the form, check the rate limit, call
:func:`~motcua.feedback.services.feedback_submit` (or ``feedback_vote``),
render. ``/phan-anh/`` takes a PAKN and gives its code; ``/phan-anh/da-tra-loi/``
lists the published answers, each with likes and dislikes (one per browser
session, rate-limited per client address).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.constants import ADMINISTRATIVE_KINDS, UnitKind
from motcua.accounts.models import Unit
from motcua.core.exceptions import Conflict, NotFound, ValidationFailed
from motcua.feedback.constants import FeedbackAbout, FeedbackCategory, Vote
from motcua.feedback.selectors import feedback_published, feedback_published_get
from motcua.feedback.services import (
    MAX_ATTACHMENTS,
    FeedbackAttachmentIn,
    FeedbackIn,
    feedback_submit,
    feedback_vote,
)
from motcua.portal.views_lookup import client_ip, parse_rate

PAGE_SIZE = 10
_PUBLIC_KINDS = (*ADMINISTRATIVE_KINDS, UnitKind.SERVICE_CENTRE)


def _limited(name: str, setting: str, request: HttpRequest) -> int | None:
    """Count one request of ``name`` from this client; seconds to wait when over the limit."""
    rate = parse_rate(getattr(settings, setting, ""))
    if rate is None:
        return None
    window = int(time.time() // rate.seconds)
    key = "motcua:rl:%s:%s:%d:%d" % (name, client_ip(request), rate.seconds, window)  # noqa: UP031
    cache.add(key, 0, rate.seconds + 1)
    try:
        count = int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, rate.seconds + 1)
        count = 1
    if count > rate.count:
        return max(1, rate.seconds - int(time.time()) % rate.seconds)
    return None


def _throttled(wait: int) -> str:
    return _("Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau %(wait)s giây.") % {"wait": wait}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by the service."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return single(data, initial)


class FeedbackForm(forms.Form):
    """What a citizen writes; the rules themselves are checked by the service."""

    unit = forms.ModelChoiceField(
        label=gettext_lazy("Gửi đến cơ quan, đơn vị"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— Chọn đơn vị —"),
        error_messages={"required": gettext_lazy("Vui lòng chọn đơn vị nhận phản ánh.")},
    )
    about = forms.ChoiceField(
        label=gettext_lazy("Phản ánh về"),
        choices=FeedbackAbout.choices,
        initial=FeedbackAbout.GENERAL,
        widget=forms.RadioSelect,
    )
    dossier_code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ (nếu có)"), required=False, max_length=60
    )
    procedure_code = forms.CharField(
        label=gettext_lazy("Mã thủ tục hành chính (nếu có)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Ví dụ 1.001193 — ghi trên trang thủ tục."),
    )
    officer_name = forms.CharField(
        label=gettext_lazy("Tên hoặc quầy của cán bộ (nếu phản ánh về cán bộ)"),
        required=False,
        max_length=150,
    )
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    sender_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    sender_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.CharField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy("Để lại số điện thoại hoặc thư điện tử để nhận câu trả lời."),
    )
    sender_address = forms.CharField(label=gettext_lazy("Địa chỉ"), required=False, max_length=255)
    attachments = MultipleFileField(
        label=gettext_lazy("Tệp đính kèm (không bắt buộc)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=gettext_lazy("Tối đa 3 tệp PDF, JPG hoặc PNG, mỗi tệp không quá 10 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.in_force().filter(kind__in=_PUBLIC_KINDS).order_by("name")
        )
        for name in ("title", "content", "sender_name"):
            self.fields[name].error_messages["required"] = _("Vui lòng nhập mục này.")

    def data_in(self) -> FeedbackIn:
        data = self.cleaned_data
        return FeedbackIn(
            title=data["title"],
            content=data["content"],
            sender_name=data["sender_name"],
            sender_phone=data.get("sender_phone") or "",
            sender_email=data.get("sender_email") or "",
            sender_address=data.get("sender_address") or "",
            about=data.get("about") or FeedbackAbout.GENERAL,
            dossier_code=data.get("dossier_code") or "",
            procedure_code=data.get("procedure_code") or "",
            officer_name=data.get("officer_name") or "",
        )


def _uploads(request: HttpRequest) -> list[UploadedFile]:
    return list(request.FILES.getlist("attachments"))


@require_http_methods(["GET", "HEAD", "POST"])
def feedback_home(request: HttpRequest) -> HttpResponse:
    """``/phan-anh/``: the form; on success, a redirect to the page with the PAKN code."""
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if request.GET.get("ho-so"):
            initial = {"dossier_code": request.GET["ho-so"][:60], "about": FeedbackAbout.DOSSIER}
        if request.GET.get("don-vi", "").isdigit():
            initial["unit"] = int(request.GET["don-vi"])
        return render(
            request, "portal/feedback/form.html", {"form": FeedbackForm(initial=initial)}
        )
    form = FeedbackForm(request.POST, request.FILES)
    error = ""
    status = 400
    if form.is_valid():
        uploads = _uploads(request)
        wait = _limited("feedback", "MOTCUA_FEEDBACK_RATE_PER_IP", request)
        if wait is not None:
            error, status = _throttled(wait), 429
        elif len(uploads) > MAX_ATTACHMENTS:
            form.add_error(
                "attachments", _("Tối đa %(max)s tệp đính kèm.") % {"max": MAX_ATTACHMENTS}
            )
        else:
            try:
                feedback = feedback_submit(
                    unit=form.cleaned_data["unit"],
                    data=form.data_in(),
                    attachments=[
                        FeedbackAttachmentIn(
                            name=upload.name or "", content=upload, size=upload.size or 0
                        )
                        for upload in uploads
                    ],
                )
            except ValidationFailed as exc:
                field = exc.params.get("field")
                if field in form.fields:
                    form.add_error(field, exc.message)
                else:
                    error = exc.message
            else:
                return redirect(reverse("portal:feedback_sent") + "?ma=" + feedback.code)
    response = render(
        request, "portal/feedback/form.html", {"form": form, "error": error}, status=status
    )
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


@require_GET
def feedback_sent(request: HttpRequest) -> HttpResponse:
    """``/phan-anh/da-gui/?ma=…``: the code to keep (nothing personal is shown)."""
    code = request.GET.get("ma", "")[:60]
    return render(request, "portal/feedback/sent.html", {"code": code})


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    """``/phan-anh/da-tra-loi/``: published answers, newest first, searchable by code or title."""
    query = request.GET.get("q", "")[:100]
    page = Paginator(feedback_published(query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/feedback/published_list.html",
        {"page_obj": page, "query": query, "categories": dict(FeedbackCategory.choices)},
    )


def _voter(request: HttpRequest, code: str) -> str:
    """A key for this browser session and answer (the session id itself is never stored)."""
    if not request.session.session_key:
        request.session["feedback_voter"] = True
        request.session.save()
    raw = f"{request.session.session_key}:{code}:{settings.SECRET_KEY}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _voted(request: HttpRequest) -> dict[str, int]:
    votes = request.session.get("feedback_votes", {})
    return votes if isinstance(votes, dict) else {}


@require_GET
def published_detail(request: HttpRequest, code: str) -> HttpResponse:
    """``/phan-anh/da-tra-loi/<code>/``: one answer with its likes and dislikes."""
    try:
        feedback = feedback_published_get(code=code)
    except NotFound as exc:
        return render(
            request, "portal/feedback/not_found.html", {"message": exc.message}, status=404
        )
    return render(
        request,
        "portal/feedback/published_detail.html",
        {
            "feedback": feedback,
            "voted": _voted(request).get(feedback.code),
            "categories": dict(FeedbackCategory.choices),
        },
    )


@require_POST
def published_vote(request: HttpRequest, code: str) -> HttpResponse:
    """Like or dislike an answer (``value`` = 1 or -1), once per browser session."""
    value = request.POST.get("value", "")
    detail = reverse("portal:feedback_published_detail", args=[code[:60]])
    wait = _limited("feedback-vote", "MOTCUA_FEEDBACK_VOTE_RATE_PER_IP", request)
    if wait is not None:
        response = render(
            request, "portal/feedback/not_found.html", {"message": _throttled(wait)}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        number = int(value)
        feedback = feedback_vote(code=code[:60], voter=_voter(request, code[:60]), value=number)
    except (ValueError, ValidationFailed):
        return redirect(detail)
    except NotFound as exc:
        return render(
            request, "portal/feedback/not_found.html", {"message": exc.message}, status=404
        )
    except Conflict:
        return redirect(detail)
    votes = _voted(request)
    votes[feedback.code] = number
    request.session["feedback_votes"] = votes
    return redirect(detail + ("#thanks-like" if number == Vote.LIKE else "#thanks-dislike"))
