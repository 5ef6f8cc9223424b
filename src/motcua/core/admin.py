"""Admin for the scheduler's ledger: read-only, it is written only by ``scheduler``."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.core.models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ("job", "slot", "enqueued_at", "task_result_id")
    list_filter = ("job",)
    date_hierarchy = "slot"
    search_fields = ("job", "task_result_id")
    ordering = ("-slot",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ScheduledRun | None = None) -> bool:
        return False
