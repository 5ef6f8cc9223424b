"""Django admin for notifications: the outbox read-only, with a retry action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.notifications.constants import Status
from motcua.notifications.models import Notification, NotificationPreference, WebhookSubscription
from motcua.notifications.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox: who was told what, on which channel, and how delivery went."""

    list_display = (
        "created_at",
        "event_key",
        "channel",
        "recipient_key",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "event_key")
    search_fields = ("source", "recipient_key", "address", "subject", "=key")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    actions = ("retry",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Gửi lại các thông báo đã thất bại"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = 0
        for notification in queryset.filter(status=Status.FAILED):
            notification_retry(notification=notification)
            count += 1
        self.message_user(
            request,
            _("Đã đưa %(count)d thông báo vào hàng gửi lại.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "sms", "zalo", "updated_at")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)
