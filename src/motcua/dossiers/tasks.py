"""Background work of the dossiers app (thin wrappers around services)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from motcua.core.scheduling import periodic
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_remind
from motcua.dossiers.services_accountability import accountability_sweep
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import calendar_for_unit


def reminder_policy() -> list[int]:
    """Working days after the result is ready at which to remind the applicant (R21)."""
    return sorted(int(day) for day in settings.MOTCUA_RESULT_REMINDER_DAYS)


def dossiers_due_for_reminder() -> list[Dossier]:
    """Results waiting past the next reminder day of the policy."""
    policy = reminder_policy()
    today = timezone.localdate()
    due = []
    waiting = Dossier.objects.filter(
        status=Status.RESULT_READY, reminders_sent__lt=len(policy), processed_at__isnull=False
    ).select_related("receiving_unit")
    for dossier in waiting.iterator(chunk_size=500):
        calendar = calendar_for_unit(unit=dossier.receiving_unit)
        waited = calendar.working_days_between(
            timezone.localtime(dossier.processed_at, TZ).date(), today
        )
        if waited >= policy[dossier.reminders_sent]:
            due.append(dossier)
    return due


@periodic(cron="5 8 * * mon-fri", name="dossiers.remind_uncollected_results")
@task()
def remind_uncollected_results() -> int:
    """Each working morning: record a reminder for results nobody has collected yet."""
    reminded = 0
    for dossier in dossiers_due_for_reminder():
        dossier_remind(dossier=dossier, note="Nhắc nhận kết quả theo lịch nhắc tự động")
        reminded += 1
    return reminded


@periodic(cron="*/5 * * * *", name="dossiers.accountability_sweep")
@task()
def sweep_deadlines() -> int:
    """Every five minutes: record steps and dossiers that became due soon or late (issue 5)."""
    return accountability_sweep().total
