"""Django admin for the working calendar. Every change goes through the services (audit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.workcalendar.models import CalendarDay, CalendarYear
from motcua.workcalendar.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_day_validate,
    calendar_may_edit,
    calendar_year_confirm,
)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "unit", "legal_basis", "needs_confirmation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("date") or (self.instance.date if self.instance.pk else None)
        if day and data.get("kind") and data.get("name"):
            try:
                calendar_day_validate(day=day, kind=data["kind"], name=data["name"])
            except ValidationFailed as exc:
                raise ValidationError(
                    {exc.params.get("field") or NON_FIELD_ERRORS: exc.message}
                ) from exc
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "unit", "needs_confirmation", "source"]
    list_filter = ["kind", "needs_confirmation", "source", ("unit", admin.EmptyFieldListFilter)]
    search_fields = ["name", "legal_basis", "unit__name", "unit__code"]
    date_hierarchy = "date"
    raw_id_fields = ["unit"]
    readonly_fields = ["source", "created_at", "updated_at"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        names = [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu")]
        names += [_("Thứ Bảy"), _("Chủ nhật")]
        return str(names[obj.date.weekday()])

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return calendar_may_edit(actor=request.user, unit=obj.unit)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        # The date and the unit identify the row; to move a day, remove it and add another.
        return [*fields, "date", "unit"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        if not calendar_may_edit(actor=request.user, unit=obj.unit):  # type: ignore[arg-type]
            self.message_user(
                request, _("Bạn không có quyền sửa lịch làm việc này."), messages.ERROR
            )
            return
        saved = calendar_day_set(
            actor=request.user,  # type: ignore[arg-type]
            day=obj.date,
            kind=obj.kind,
            name=obj.name,
            unit=obj.unit,
            legal_basis=obj.legal_basis,
            needs_confirmation=obj.needs_confirmation,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendar_day_remove(actor=request.user, day=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        for day in queryset:
            calendar_day_remove(actor=request.user, day=day)  # type: ignore[arg-type]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "confirmed_by", "confirmed_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "confirmed_by", "confirmed_at", "created_at", "updated_at"]
    fields = ["year", "status", "legal_basis", "confirmed_by", "confirmed_at"]
    actions = ["confirm_years"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Years come from the shipped data or from editing a day of that year.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Xác nhận lịch nghỉ của các năm đã chọn"))
    def confirm_years(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        confirmed = 0
        for year in queryset:
            try:
                calendar_year_confirm(
                    actor=request.user,  # type: ignore[arg-type]
                    year=year.year,
                    legal_basis=year.legal_basis
                    or str(_("Xác nhận theo thông báo lịch nghỉ chính thức")),
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            confirmed += 1
        if confirmed:
            self.message_user(
                request,
                ngettext("Đã xác nhận %(n)d năm.", "Đã xác nhận %(n)d năm.", confirmed)
                % {"n": confirmed},
                messages.SUCCESS,
            )
