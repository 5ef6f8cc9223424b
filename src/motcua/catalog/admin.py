"""Django admin for the catalog, in Vietnamese (labels come from the models).

Procedures and their versions change only through the staff area
(``/can-bo/thu-tuc/``), whose services version, check and audit every edit;
here they are read-only. Bundles ("một hồ sơ – hai kết quả") are edited
here, and each save is recorded in the audit log (R39).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.accounts.services import audit_record
from motcua.catalog.models import (
    BundleItem,
    Procedure,
    ProcedureBundle,
    ProcedureMethod,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown for reference; changes go through the staff area."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _staff_link(procedure: Procedure) -> str:
    url = reverse("backoffice:procedure_detail", args=[procedure.code])
    return format_html('<a href="{}">{}</a>', url, _("Mở trong khu vực cán bộ"))


# --- procedures -------------------------------------------------------------------


class ProcedureVersionInline(ReadOnlyInline):
    model = ProcedureVersion
    fields = (
        "number",
        "status",
        "effective_from",
        "withdrawn_on",
        "published_at",
        "published_by",
        "needs_review",
        "change_note",
    )
    readonly_fields = fields
    ordering = ("-number",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureVersion]:
        return super().get_queryset(request).select_related("published_by")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Read-only: name, field and listing are copies of the version in force."""

    list_display = ("code", "name", "field", "is_listed", "needs_review", "online_level")
    list_filter = ("is_listed", "needs_review", "online_level", "field")
    # ``search_text`` is folded: "dang ky thuong tru" finds "Đăng ký thường trú".
    search_fields = ("code", "name", "search_text")
    fields = (
        "code",
        "name",
        "field",
        "levels_text",
        "online_level",
        "portal_id",
        "is_listed",
        "needs_review",
        "staff_link",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (ProcedureVersionInline,)
    list_per_page = 50

    @admin.display(description=_("quản lý"))
    def staff_link(self, obj: Procedure) -> str:
        return _staff_link(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- versions (superusers only, read-only) -----------------------------------------------


class ProcedureMethodInline(ReadOnlyInline):
    model = ProcedureMethod
    fields = ("channel", "time_value", "time_unit", "time_text")
    readonly_fields = fields


class RequiredDocumentInline(ReadOnlyInline):
    model = RequiredDocument
    fields = (
        "position",
        "name",
        "case",
        "originals",
        "copies",
        "certified_copies",
        "required",
        "reusable_from_data",
    )
    readonly_fields = fields


class ProcessStepInline(ReadOnlyInline):
    model = ProcessStep
    fields = (
        "position",
        "name",
        "share_value",
        "share_unit",
        "responsible_role",
        "runs_in_other_agency",
        "agency_name",
        "is_signing",
    )
    readonly_fields = fields


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """For support: superusers may look; nobody adds, changes or deletes here."""

    list_display = (
        "procedure",
        "number",
        "status",
        "effective_from",
        "withdrawn_on",
        "needs_review",
        "source",
    )
    list_filter = ("status", "needs_review", "source", "online_level")
    search_fields = ("procedure__code", "name")
    list_select_related = ("procedure",)
    raw_id_fields = ("procedure",)
    readonly_fields = ("review_reasons", "source_hash", "original")
    inlines = (ProcedureMethodInline, RequiredDocumentInline, ProcessStepInline)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- bundles -------------------------------------------------------------------------


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    fields = ("position", "procedure")
    autocomplete_fields = ("procedure",)
    extra = 1
    ordering = ("position",)


@admin.register(ProcedureBundle)
class ProcedureBundleAdmin(admin.ModelAdmin):
    """ "Một hồ sơ – hai kết quả": edited here, audited on every save."""

    list_display = ("code", "name", "is_active", "item_count")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "items__procedure__code")
    inlines = (BundleItemInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureBundle]:
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description=_("số thủ tục"), ordering="item_total")
    def item_count(self, obj: ProcedureBundle) -> int:
        return getattr(obj, "item_total", 0)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        bundle = form.instance
        changed = list(form.changed_data)
        changed += [
            "items" for formset in formsets if formset.has_changed() and "items" not in changed
        ]
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="catalog.bundle_update" if change else "catalog.bundle_create",
            obj=bundle,
            summary=str(bundle),
            data={
                "changed": sorted(set(changed)),
                "procedures": list(
                    bundle.items.order_by("position").values_list("procedure__code", flat=True)
                ),
                "via": "admin",
            },
        )

    def delete_model(self, request: HttpRequest, obj: ProcedureBundle) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="catalog.bundle_delete",
            obj=obj,
            summary=str(obj),
            data={"via": "admin"},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProcedureBundle]) -> None:
        for bundle in queryset:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="catalog.bundle_delete",
                obj=bundle,
                summary=str(bundle),
                data={"via": "admin"},
            )
        super().delete_queryset(request, queryset)
