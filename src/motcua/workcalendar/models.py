"""Holidays, compensatory and swapped days as data (domain.md section 4, R8).

*Ngày nghỉ bù* = compensatory day; *nghỉ hoán đổi / làm bù* = swapped day off
and its make-up working Saturday. Working sessions and Saturday reception are
per-unit settings on :class:`motcua.accounts.models.Unit`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.workcalendar.constants import DayKind, DaySource, YearStatus


class CalendarYear(TimeStampedModel):
    """A year's nationwide schedule: provisional until an administrator confirms it."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=YearStatus.choices, default=YearStatus.PROVISIONAL
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch năm")
        verbose_name_plural = _("lịch các năm")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_confirmed(self) -> bool:
        return self.status == YearStatus.CONFIRMED


class CalendarDay(TimeStampedModel):
    """A date that differs from the ordinary week: a day off, or a make-up working day.

    Rows with no unit apply nationwide; rows with a unit apply to that unit and
    the units below it.
    """

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại ngày"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống: áp dụng toàn quốc."),
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=20, choices=DaySource.choices, default=DaySource.ADMIN
    )
    needs_confirmation = models.BooleanField(
        _("cần xác nhận"),
        default=False,
        help_text=_("Căn cứ pháp lý chưa chắc chắn; quản trị viên cần kiểm tra."),
    )

    class Meta:
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("ngày đặc biệt")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(unit__isnull=True), name="workcalendar_day_national"
            ),
            models.UniqueConstraint(
                fields=["date", "unit"],
                condition=Q(unit__isnull=False),
                name="workcalendar_day_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind in DayKind.days_off()


class CalendarRevision(models.Model):
    """A single counter bumped by every calendar edit, so cached indexes know to rebuild."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = _("phiên bản lịch")

    def __str__(self) -> str:
        return str(self.number)
