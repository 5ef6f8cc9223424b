"""Read-only views of the announcements for support: they are written through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.announcements.models import Announcement, ReadReceipt


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Publishing and reading are audited services; the admin only looks."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Announcement)
class AnnouncementAdmin(_ReadOnlyAdmin):
    list_display = ("title", "priority", "sender", "sender_unit", "effective_from", "expires_at")
    list_filter = ("priority",)
    search_fields = ("title",)
    list_select_related = ("sender", "sender_unit")


@admin.register(ReadReceipt)
class ReadReceiptAdmin(_ReadOnlyAdmin):
    list_display = ("announcement", "officer", "read_at")
    list_select_related = ("announcement", "officer__user")
    raw_id_fields = ("announcement", "officer")
