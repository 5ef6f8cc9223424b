"""Django admin, read-only: survey answers and PAKN (citizens' words are never edited), the
portal's news and duty roster (edited through the audited staff screen)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.feedback.models import DutyAssignment, Feedback, News, SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin[SurveyResponse]):
    list_display = ["answered_at", "source", "unit", "officer", "dossier", "overall"]
    list_filter = ["source", "overall", "unit"]
    date_hierarchy = "answered_at"
    list_select_related = ["unit", "officer__user", "dossier"]
    raw_id_fields = ["unit", "officer", "dossier"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- PAKN (read-only here: they change through the staff screens' services) -------


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    list_display = ["code", "status", "category", "unit", "submitted_at", "due_at", "outcome"]
    list_filter = ["status", "category", "outcome"]
    search_fields = ["code", "title"]
    date_hierarchy = "submitted_at"
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "addressed_unit", "dossier", "procedure", "answered_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- the portal's news and duty roster: read-only here; they change through the staff
# screen /can-bo/cong-thong-tin/ (feedback.services, audited).


class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(News)
class NewsAdmin(_ReadOnlyAdmin):
    list_display = ["title", "unit", "published_at"]
    search_fields = ["title"]
    date_hierarchy = "published_at"


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(_ReadOnlyAdmin):
    list_display = ["day", "unit", "session", "officer", "desk"]
    list_filter = ["session"]
    date_hierarchy = "day"
