"""Feedback and petitions (PAKN) in the staff area: the list, one PAKN, its actions.

Thin: parse, authorize (``feedback.view`` to read; the services check
``feedback.handle`` / ``feedback.publish`` on the PAKN's unit), call one
selector or service from :mod:`motcua.feedback`, render. Domain errors come
back as messages on the detail page, never as a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action, can, units_in_scope
from motcua.backoffice.access import officer_required
from motcua.core.exceptions import DomainError, NotFound
from motcua.dossiers.selectors import Deadline, TimeState
from motcua.feedback.constants import DutySession, FeedbackCategory, FeedbackStatus
from motcua.feedback.models import DutyAssignment, Feedback, News
from motcua.feedback.selectors import (
    LIST_FILTERS,
    feedback_actions_for,
    feedback_deadline,
    feedback_get_for_officer,
    feedback_list,
    feedback_timeline,
)
from motcua.feedback.services import (
    duty_assign,
    duty_remove,
    feedback_answer,
    feedback_ask_info,
    feedback_classify,
    feedback_publish,
    feedback_reject,
    feedback_route,
    feedback_supplement,
    feedback_thank,
    news_save,
)

PAGE_SIZE = 25
FILTER_LABELS = {
    "open": gettext_lazy("Đang xử lý"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "late": gettext_lazy("Quá hạn"),
    **dict(FeedbackStatus.choices),
    "all": gettext_lazy("Tất cả"),
}
TONES = {TimeState.LATE: "danger", TimeState.DUE_SOON: "warning", TimeState.ON_TIME: "success"}
BADGES = {
    TimeState.LATE: gettext_lazy("Quá hạn"),
    TimeState.DUE_SOON: gettext_lazy("Sắp đến hạn"),
    TimeState.ON_TIME: gettext_lazy("Trong hạn"),
}


@dataclass(frozen=True)
class Row:
    feedback: Feedback
    deadline: Deadline
    tone: str
    badge: str


def _row(feedback: Feedback) -> Row:
    deadline = feedback_deadline(feedback=feedback)
    return Row(
        feedback=feedback,
        deadline=deadline,
        tone=TONES.get(deadline.state, ""),
        badge=str(BADGES.get(deadline.state, "")),
    )


@officer_required
@require_GET
def feedback_staff_list(request: HttpRequest) -> HttpResponse:
    """``/can-bo/phan-anh/``: PAKN of the officer's units, by state, nearest deadline first."""
    user = cast(User, request.user)
    state = request.GET.get("loc", "open")
    if state not in LIST_FILTERS:
        state = "open"
    page = Paginator(feedback_list(user=user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "backoffice/feedback/list.html",
        {
            "page_obj": page,
            "rows": [_row(item) for item in page.object_list],
            "state": state,
            "filters": [(key, FILTER_LABELS[key]) for key in LIST_FILTERS],
        },
    )


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Phân loại"), choices=FeedbackCategory.choices)


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Chuyển đến đơn vị"), queryset=Unit.objects.none()
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.in_force().order_by("name")  # type: ignore[attr-defined]


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(TextForm):
    led_to_fix = forms.BooleanField(
        label=gettext_lazy("Phản ánh đã dẫn đến sửa đổi, khắc phục (gửi thư cảm ơn)"),
        required=False,
    )


def _detail_context(request: HttpRequest, feedback: Feedback) -> dict[str, Any]:
    actions = feedback_actions_for(user=cast(User, request.user), feedback=feedback)
    return {
        "feedback": feedback,
        "row": _row(feedback),
        "events": list(feedback_timeline(feedback=feedback)),
        "actions": actions,
        "classify_form": ClassifyForm(initial={"category": feedback.category}),
        "route_form": RouteForm(),
        "text_form": TextForm(),
        "answer_form": AnswerForm(),
    }


def _get(request: HttpRequest, code: str) -> Feedback:
    try:
        return feedback_get_for_officer(user=cast(User, request.user), code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@officer_required
@require_GET
def feedback_staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    """``/can-bo/phan-anh/<code>/``: the PAKN, its deadlines, timeline and actions."""
    feedback = _get(request, code)
    return render(request, "backoffice/feedback/detail.html", _detail_context(request, feedback))


Handler = Callable[[HttpRequest, Feedback, User], "Feedback | str"]


def _classify(request: HttpRequest, feedback: Feedback, user: User) -> Feedback | str:
    form = ClassifyForm(request.POST)
    if not form.is_valid():
        return _("Vui lòng chọn phân loại.")
    return feedback_classify(feedback=feedback, actor=user, category=form.cleaned_data["category"])


def _route(request: HttpRequest, feedback: Feedback, user: User) -> Feedback | str:
    form = RouteForm(request.POST)
    if not form.is_valid():
        return _("Vui lòng chọn đơn vị.")
    return feedback_route(
        feedback=feedback,
        actor=user,
        to_unit=form.cleaned_data["unit"],
        note=form.cleaned_data.get("note") or "",
    )


def _text(request: HttpRequest) -> str | None:
    form = TextForm(request.POST)
    return form.cleaned_data["text"] if form.is_valid() else None


def _with_text(
    service: Callable[..., Feedback], keyword: str
) -> Callable[[HttpRequest, Feedback, User], Feedback | str]:
    def handler(request: HttpRequest, feedback: Feedback, user: User) -> Feedback | str:
        text = _text(request)
        if text is None:
            return _("Vui lòng nhập nội dung.")
        return service(feedback=feedback, actor=user, **{keyword: text})

    return handler


def _answer(request: HttpRequest, feedback: Feedback, user: User) -> Feedback | str:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _("Vui lòng nhập nội dung trả lời.")
    return feedback_answer(
        feedback=feedback,
        actor=user,
        answer=form.cleaned_data["text"],
        led_to_fix=form.cleaned_data["led_to_fix"],
    )


HANDLERS: dict[str, Callable[[HttpRequest, Feedback, User], Feedback | str]] = {
    "classify": _classify,
    "route": _route,
    "ask_info": _with_text(feedback_ask_info, "request"),
    "supplement": _with_text(feedback_supplement, "text"),
    "reject": _with_text(feedback_reject, "reason"),
    "answer": _answer,
    "publish": lambda request, feedback, user: feedback_publish(feedback=feedback, actor=user),
    "thank": lambda request, feedback, user: feedback_thank(feedback=feedback, actor=user),
}
DONE = {
    "classify": gettext_lazy("Đã phân loại phản ánh."),
    "route": gettext_lazy("Đã chuyển phản ánh đến đơn vị xử lý."),
    "ask_info": gettext_lazy("Đã đề nghị người gửi bổ sung thông tin."),
    "supplement": gettext_lazy("Đã ghi nhận thông tin bổ sung."),
    "reject": gettext_lazy("Đã từ chối tiếp nhận phản ánh."),
    "answer": gettext_lazy("Đã ghi câu trả lời; chờ lãnh đạo duyệt công khai."),
    "publish": gettext_lazy("Đã công khai câu trả lời."),
    "thank": gettext_lazy("Đã gửi thư cảm ơn."),
}


@officer_required
@require_POST
def feedback_staff_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """POST ``/can-bo/phan-anh/<code>/<action>/``: one service call, then back to the detail."""
    handler = HANDLERS.get(action)
    if handler is None:
        raise Http404
    feedback = _get(request, code)
    user = cast(User, request.user)
    try:
        result = handler(request, feedback, user)
    except DomainError as exc:
        messages.error(request, exc.message)
        result = feedback
    else:
        if isinstance(result, str):
            messages.error(request, result)
        else:
            messages.success(request, str(DONE[action]))
    if not can(user, Action.FEEDBACK_VIEW, Feedback.objects.get(pk=feedback.pk)):
        # Routed out of the officer's scope: back to the list.
        return redirect("backoffice:feedback")
    return redirect("backoffice:feedback_detail", code=feedback.code)


# --- the portal's news and duty roster ------------------------------------------------


class DutyForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=Unit.objects.none())
    day = forms.DateField(
        label=gettext_lazy("Ngày trực"), widget=forms.DateInput({"type": "date"})
    )
    session = forms.ChoiceField(label=gettext_lazy("Buổi"), choices=DutySession.choices)
    officer = forms.ModelChoiceField(
        label=gettext_lazy("Cán bộ trực"), queryset=Officer.objects.none()
    )
    desk = forms.CharField(label=gettext_lazy("Quầy, lĩnh vực"), required=False, max_length=120)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["officer"].queryset = (  # type: ignore[attr-defined]
            Officer.objects.filter(unit__in=units, user__is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )


class NewsForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị đăng"), queryset=Unit.objects.none())
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=255)
    summary = forms.CharField(label=gettext_lazy("Tóm tắt"), required=False, max_length=500)
    body = forms.CharField(
        label=gettext_lazy("Nội dung"), max_length=20000, widget=forms.Textarea({"rows": 5})
    )
    publish = forms.BooleanField(label=gettext_lazy("Đăng ngay"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


@officer_required
def portal_content(request: HttpRequest) -> HttpResponse:
    """``/can-bo/cong-thong-tin/``: the duty roster of the coming days and the news, for the
    units where the officer may publish on the portal (head, leader, administrator)."""
    user = cast(User, request.user)
    units = units_in_scope(user, Action.PORTAL_PUBLISH).in_force().order_by("name")  # type: ignore[attr-defined]
    if not units.exists():
        raise Http404
    duty_form = DutyForm(units=units, initial={"day": timezone.localdate()})
    news_form = NewsForm(units=units)
    if request.method == "POST":
        kind = request.POST.get("form", "")
        try:
            if kind == "duty":
                duty_form = DutyForm(request.POST, units=units)
                if duty_form.is_valid():
                    data = duty_form.cleaned_data
                    duty_assign(
                        actor=user,
                        unit=data["unit"],
                        officer=data["officer"],
                        day=data["day"],
                        session=data["session"],
                        desk=data.get("desk") or "",
                    )
                    messages.success(request, _("Đã thêm cán bộ vào lịch trực."))
                    return redirect("backoffice:portal_content")
            elif kind == "duty_remove":
                raw_id = request.POST.get("id", "")
                assignment = DutyAssignment.objects.filter(
                    pk=int(raw_id) if raw_id.isdigit() else 0, unit__in=units
                ).first()
                if assignment is not None:
                    duty_remove(actor=user, assignment=assignment)
                    messages.success(request, _("Đã bỏ cán bộ khỏi lịch trực."))
                return redirect("backoffice:portal_content")
            elif kind == "news":
                news_form = NewsForm(request.POST, units=units)
                if news_form.is_valid():
                    data = news_form.cleaned_data
                    news_save(
                        actor=user,
                        unit=data["unit"],
                        title=data["title"],
                        summary=data.get("summary") or "",
                        body=data["body"],
                        published_at=timezone.now() if data.get("publish") else None,
                    )
                    messages.success(request, _("Đã lưu tin."))
                    return redirect("backoffice:portal_content")
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Dữ liệu không hợp lệ.")))
    today = timezone.localdate()
    duty = (
        DutyAssignment.objects.filter(unit__in=units, day__gte=today)
        .select_related("unit", "officer__user")
        .order_by("day", "unit__name", "session")[:100]
    )
    news = (
        News.objects.filter(unit__in=units)
        .select_related("unit")
        .order_by(F("published_at").desc(nulls_first=True), "-id")[:20]
    )
    return render(
        request,
        "backoffice/feedback/portal_content.html",
        {"duty": duty, "news": news, "duty_form": duty_form, "news_form": news_form},
    )
