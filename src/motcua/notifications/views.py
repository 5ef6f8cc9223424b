"""The officer's in-app notifications in the staff area (mounted at /can-bo/thong-bao/).

Views only parse, check access, call one service or selector and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

# The staff area's own gate (officers only, citizens sent to the portal).
from motcua.backoffice.access import officer_required
from motcua.core.exceptions import NotFound
from motcua.notifications.selectors import notification_inbox, notification_unread_count
from motcua.notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 30


@require_GET
@officer_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in officer's notifications, newest first, unread marked."""
    user = request.user
    page = Paginator(notification_inbox(user=user), PAGE_SIZE).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    unread = notification_unread_count(user=user)  # type: ignore[arg-type]
    # The bell in the header shows the same figure: count once per request.
    request._motcua_unread_notifications = unread  # type: ignore[attr-defined]
    return render(
        request,
        "backoffice/notifications/list.html",
        {"page_obj": page, "rows": page.object_list, "unread": unread},
    )


@require_POST
@officer_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then go back (or to the list)."""
    try:
        notification_mark_read(user=request.user, pk=pk)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(error.message) from None
    return _back(request)


@require_POST
@officer_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the officer read."""
    count = notification_mark_all_read(user=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(
            request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count}
        )
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("backoffice:notifications")
