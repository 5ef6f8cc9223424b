"""Django admin for survey answers: read-only (citizens' answers are never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.feedback.models import SurveyResponse


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
