"""Django admin for what the dossier lifecycle lets administrators set: a unit's gate mode.

Dossiers themselves are never edited here: every change to a dossier is an
action with its event (R39). A unit's accountability setting (block or only
warn, how early "due soon" starts) is edited here, audited like the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from motcua.accounts.services import audit_record
from motcua.dossiers.models import UnitAccountabilitySetting


@admin.register(UnitAccountabilitySetting)
class UnitAccountabilitySettingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("unit", "gate_mode", "due_soon_working_days", "updated_at")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    fields = ("unit", "gate_mode", "due_soon_working_days")

    @transaction.atomic
    def save_model(
        self, request: HttpRequest, obj: UnitAccountabilitySetting, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="dossiers.accountability_setting.save",
            obj=obj,
            unit=obj.unit,
            summary=f"{obj.unit}: {obj.gate_mode or '—'}, {obj.due_soon_working_days or '—'}",
            data={"gate_mode": obj.gate_mode, "due_soon_working_days": obj.due_soon_working_days},
        )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: UnitAccountabilitySetting) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="dossiers.accountability_setting.delete",
            obj=obj,
            unit=obj.unit,
            summary=str(obj.unit),
        )
        super().delete_model(request, obj)
