"""Django admin for the organisation and its people, in Vietnamese.

Thin: every save goes through a service (paths, validation, audit); the
audit log itself is read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import (
    AuditEvent,
    Citizen,
    Officer,
    OfficerRole,
    Unit,
    UnitSuccession,
    User,
)
from motcua.accounts.services import audit_record, unit_save, unit_validate
from motcua.core.exceptions import ValidationFailed


class _AuditedAdmin(admin.ModelAdmin):
    """Records every admin change in the audit log (R39), besides Django's own log."""

    def _audit(self, request: HttpRequest, obj: Any, verb: str, changed: list[str]) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.model_name}.{verb}",
            obj=obj,
            unit=getattr(obj, "unit", None) if not isinstance(obj, Unit) else obj,
            summary=str(obj),
            data={"changed": sorted(changed), "via": "admin"},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "update" if change else "create", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, "delete", [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, obj, "delete", [])
        super().delete_queryset(request, queryset)


# --- units ----------------------------------------------------------------------


class InForceFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("yes", _("Đang có hiệu lực")),
            ("ended", _("Đã hết hiệu lực")),
            ("future", _("Chưa có hiệu lực")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Unit]) -> QuerySet[Unit] | None:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.in_force(today)  # type: ignore[attr-defined, no-any-return]
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return None


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def _post_clean(self) -> None:
        # The instance carries the edited values only after the model form's
        # own post-clean; the rules themselves live in the service.
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        try:
            unit_validate(unit=self.instance)
        except ValidationFailed as exc:
            field = exc.params.get("field")
            self.add_error(field if field in self.fields else None, exc.message)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("code", "name", "kind", "admin_type", "parent", "valid_from", "valid_to")
    list_filter = ("kind", InForceFilter, "admin_type")
    search_fields = ("code", "name", "short_name", "agency_code")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth", "created_at", "updated_at")
    list_select_related = ("parent",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "agency_code",
                    "name",
                    "short_name",
                    "kind",
                    "admin_type",
                    "parent",
                    ("valid_from", "valid_to"),
                )
            },
        ),
        (
            _("Liên hệ"),
            {"fields": ("address", "phone", "email", ("latitude", "longitude"))},
        ),
        (
            _("Thời gian làm việc (để trống: theo đơn vị cấp trên)"),
            {
                "fields": (
                    "working_weekdays",
                    "working_sessions",
                    "saturday_reception",
                    "saturday_sessions",
                    "same_day_cutoff",
                )
            },
        ),
        (_("Cây đơn vị"), {"fields": ("path", "depth", "created_at", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        unit_save(unit=obj, actor=request.user, changed=form.changed_data)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        # Units are ended (valid_to), never deleted: dossiers and history point at them.
        return False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(_AuditedAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on", "legal_basis")
    list_filter = ("kind", "effective_on")
    search_fields = (
        "predecessor__code",
        "predecessor__name",
        "successor__code",
        "successor__name",
    )
    raw_id_fields = ("predecessor", "successor")
    list_select_related = ("predecessor", "successor")


# --- people ---------------------------------------------------------------------


class MotcuaUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "kind")


class MotcuaUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin adapted to our fields (passwords hashed with Argon2)."""

    form = MotcuaUserChangeForm
    add_form = MotcuaUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone", "kind")}),
        (
            _("Quyền"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "kind",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("username", "full_name", "kind", "email", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if not name.startswith("password")]
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="user.update" if change else "user.create",
            obj=obj,
            summary=str(obj),
            data={"changed": sorted(changed), "via": "admin"},
        )


class OfficerRoleInline(admin.TabularInline):
    model = OfficerRole
    extra = 1
    verbose_name = _("vai trò")
    verbose_name_plural = _("vai trò")


class InForceUnitFilter(admin.SimpleListFilter):
    title = _("đơn vị còn hiệu lực")
    parameter_name = "don_vi_hieu_luc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Có")), ("no", _("Không"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Officer]
    ) -> QuerySet[Officer] | None:
        today: dt.date = timezone.localdate()
        in_force = (Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=today)) & (
            Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today)
        )
        if self.value() == "yes":
            return queryset.filter(in_force)
        if self.value() == "no":
            return queryset.exclude(in_force)
        return None


@admin.register(Officer)
class OfficerAdmin(_AuditedAdmin):
    list_display = ("__str__", "user", "unit", "position", "role_list")
    list_filter = ("roles__role", "category", InForceUnitFilter)
    search_fields = ("user__full_name", "user__username", "unit__name", "unit__code")
    raw_id_fields = ("user", "unit", "supervisor")
    list_select_related = ("user", "unit")
    inlines = (OfficerRoleInline,)

    @admin.display(description=_("vai trò"))
    def role_list(self, obj: Officer) -> str:
        return ", ".join(str(role.get_role_display()) for role in obj.roles.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Officer]:
        return super().get_queryset(request).prefetch_related("roles")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        before = set(form.instance.roles.values_list("role", flat=True)) if change else set()
        super().save_formset(request, form, formset, change)
        after = set(form.instance.roles.values_list("role", flat=True))
        if before != after:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="officer.roles_update",
                obj=form.instance,
                unit=form.instance.unit,
                summary=str(form.instance),
                data={"before": sorted(before), "after": sorted(after), "via": "admin"},
            )


@admin.register(Citizen)
class CitizenAdmin(_AuditedAdmin):
    list_display = ("__str__", "user", "citizen_id", "tax_code")
    search_fields = ("user__full_name", "user__username", "citizen_id", "tax_code")
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log: read-only, append-only (R39)."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "unit", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id", "actor__username", "actor__full_name")
    date_hierarchy = "at"
    list_select_related = ("actor", "unit")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
