"""Base models shared by every app, and the scheduler's run ledger."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change instants."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only row."""


class AppendOnlyModel(models.Model):
    """A row that is written once and never edited or deleted (R39)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


class ScheduledRun(models.Model):
    """One firing of a periodic job; the unique slot stops two schedulers enqueuing twice."""

    job = models.CharField(_("công việc định kỳ"), max_length=200)
    slot = models.DateTimeField(_("thời điểm theo lịch"))
    enqueued_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("lần chạy định kỳ")
        verbose_name_plural = _("các lần chạy định kỳ")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_scheduledrun_unique_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
