"""Django admin for support staff; evaluators work on the staff screens instead."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.evaluation.models import Criterion, Cycle, Reopening, Scheme, Sheet


class CriterionInline(admin.TabularInline[Criterion, Scheme]):
    model = Criterion
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin[Scheme]):
    list_display = ("code", "name", "kind", "valid_from", "valid_to")
    inlines = [CriterionInline]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin[Cycle]):
    list_display = ("unit", "year", "month", "scheme", "status")
    list_filter = ("status", "year")
    # Changes go through the services (audited); the admin only reads.
    readonly_fields = [field.name for field in Cycle._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin[Sheet]):
    list_display = ("officer", "cycle", "status", "final_total", "final_grade")
    list_filter = ("status", "final_grade")
    readonly_fields = [field.name for field in Sheet._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Reopening)
class ReopeningAdmin(admin.ModelAdmin[Reopening]):
    list_display = ("cycle", "at", "by", "reason")
    readonly_fields = ("cycle", "at", "by", "reason")
