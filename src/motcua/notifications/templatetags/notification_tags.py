"""The bell in the staff header: unread in-app notifications of the signed-in officer."""

from __future__ import annotations

from django import template

from motcua.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_unread(context: template.Context) -> int | None:
    """Unread count for the bell; ``None`` when nobody, or no officer, is signed in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return None
    if not getattr(user, "is_officer", False):
        return None
    # One COUNT on a partial index per page; cached for the request.
    if not hasattr(request, "_motcua_unread_notifications"):
        request._motcua_unread_notifications = notification_unread_count(user=user)
    count: int = request._motcua_unread_notifications
    return count
