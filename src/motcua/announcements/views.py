"""Staff screens of the announcements channel under ``/can-bo/thong-bao-chi-dao/``.

Thin: parse, authorize through the selectors (the same 404 for "missing" and
"not yours"), call one service, render. The URL names live in the
``backoffice`` namespace (included from ``backoffice/urls.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.permissions import Action
from motcua.announcements import selectors, services
from motcua.announcements.export import read_status_xlsx
from motcua.announcements.forms import AnnouncementForm
from motcua.backoffice import navigation
from motcua.backoffice.access import domain_view
from motcua.core.exceptions import DomainError, NotFound, PermissionDenied

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def may_publish(user: Any) -> bool:
    """May the user send announcements from their own unit."""
    return navigation.may(Action.ANNOUNCEMENT_PUBLISH)(user)


def staff_view(
    methods: Sequence[str] = ("GET",), *, publisher: bool = False
) -> Callable[[View], View]:
    """Officers only (publishers only with ``publisher``); domain errors become 404/403."""
    return domain_view(
        methods,
        allowed=may_publish if publisher else None,
        action=Action.ANNOUNCEMENT_PUBLISH,
    )


# --- the officer's side ------------------------------------------------------------------


@staff_view()
def inbox(request: HttpRequest) -> HttpResponse:
    """Announcements addressed to the officer, unread first, paginated."""
    include_expired = request.GET.get("het-hieu-luc") == "1"
    queryset = selectors.announcement_inbox(user=_user(request), include_expired=include_expired)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/announcements/inbox.html",
        {
            "page_obj": page,
            "announcements": list(page.object_list),
            "unread_count": selectors.announcement_unread_count(user=_user(request)),
            "include_expired": include_expired,
            "can_publish": may_publish(request.user),
        },
    )


@staff_view()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One announcement addressed to the officer, with the button to confirm reading."""
    announcement = selectors.announcement_get_for_recipient(user=_user(request), pk=pk)
    return render(
        request,
        "backoffice/announcements/detail.html",
        {"announcement": announcement, "attachments": list(announcement.attachments.all())},
    )


@staff_view(("POST",))
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm reading (idempotent) and go back to the list."""
    announcement = selectors.announcement_get_for_recipient(user=_user(request), pk=pk)
    services.read_receipt_create(announcement=announcement, actor=_user(request))
    messages.success(
        request,
        _("Đã xác nhận đọc thông báo «%(title)s».") % {"title": announcement.title},
    )
    return redirect("backoffice:announcements")


@staff_view()
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment, for recipients and for those who may read the receipts."""
    item = selectors.announcement_attachment_get(
        user=_user(request), announcement_pk=pk, pk=attachment_pk
    )
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    # A streaming response; the staff-area decorators are typed for HttpResponse.
    return cast(HttpResponse, response)


# --- the sender's side ------------------------------------------------------------------


@staff_view(publisher=True)
def sent(request: HttpRequest) -> HttpResponse:
    """Announcements sent from the user's scope, with how many have read them."""
    queryset = selectors.announcements_sent(user=_user(request))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/announcements/sent.html",
        {"page_obj": page, "announcements": list(page.object_list)},
    )


@staff_view(("GET", "POST"), publisher=True)
def create(request: HttpRequest) -> HttpResponse:
    """Write and send a directive."""
    user = _user(request)
    units = selectors.publish_units(user=user)
    form = AnnouncementForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.announcement_publish(
                actor=user,
                title=data["title"],
                body=data["body"],
                priority=data["priority"],
                targets=[
                    services.TargetSpec(unit=unit, include_below=data["include_below"])
                    for unit in data["units"]
                ],
                audience_roles=data["audience_roles"],
                effective_from=data["effective_from"],
                expires_at=data["expires_at"],
                attachments=[data["attachment"]] if data["attachment"] else [],
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            name = exc.params.get("field")
            form.add_error(name if name in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Đã gửi thông báo tới %(count)d cán bộ.")
                % {"count": announcement.recipients.count()},
            )
            return redirect("backoffice:announcement_receipts", pk=announcement.pk)
    return render(request, "backoffice/announcements/create.html", {"form": form})


@staff_view()
def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has read the announcement and who has not, by unit; printable."""
    announcement = selectors.announcement_get_for_sender(user=_user(request), pk=pk)
    status = selectors.announcement_read_status(announcement=announcement)
    return render(
        request,
        "backoffice/announcements/receipts.html",
        {
            "announcement": announcement,
            "status": status,
            "attachments": list(announcement.attachments.all()),
        },
    )


@staff_view()
def receipts_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The same list as an Excel workbook."""
    announcement = selectors.announcement_get_for_sender(user=_user(request), pk=pk)
    status = selectors.announcement_read_status(announcement=announcement)
    content = read_status_xlsx(announcement=announcement, status=status)
    response = HttpResponse(content, content_type=XLSX)
    name = slugify(announcement.title)[:60] or "thong-bao"
    response["Content-Disposition"] = f'attachment; filename="doc-thong-bao-{pk}-{name}.xlsx"'
    return response
