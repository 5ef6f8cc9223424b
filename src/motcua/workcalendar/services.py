"""Writes to the working calendar. Every edit is audited (R39) and bumps the revision."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit, User
from motcua.accounts.services import audit_record
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.workcalendar.constants import DayKind, DaySource, YearStatus
from motcua.workcalendar.models import CalendarDay, CalendarRevision, CalendarYear
from motcua.workcalendar.official import official_schedules, statutory_days
from motcua.workcalendar.selectors import forget_cached_calendars

LEGAL_BASIS_CALENDAR = "Bộ luật Lao động 2019, Điều 111–112"


def _bump_revision() -> None:
    updated = CalendarRevision.objects.update(number=F("number") + 1)
    if not updated:
        CalendarRevision.objects.create(number=1)
    # Now for this transaction's own reads, and again once other processes'
    # readers can see the committed change.
    forget_cached_calendars()
    transaction.on_commit(forget_cached_calendars)


def calendar_may_edit(*, actor: User | None, unit: Unit | None) -> bool:
    """National days: superusers and administrators of a top-level unit; unit days: scope."""
    if actor is None or actor.is_superuser:
        return True
    from motcua.accounts.permissions import Action, can

    if unit is not None:
        return can(actor, Action.CALENDAR_MANAGE, unit)
    officer = getattr(actor, "officer", None)
    return (
        officer is not None
        and officer.unit.parent_id is None
        and can(actor, Action.CALENDAR_MANAGE, officer.unit)
    )


def _ensure_may_edit(*, actor: User | None, unit: Unit | None) -> None:
    if not calendar_may_edit(actor=actor, unit=unit):
        raise PermissionDenied(_("Bạn không có quyền sửa lịch làm việc này."))


@transaction.atomic
def calendar_load_official(*, actor: User | None = None) -> dict[str, int]:
    """Load the shipped official schedules; idempotent, never overrides an administrator's edit.

    Returns counts: ``{"years": created years, "days": created days}``.
    """
    created_years = created_days = 0
    for year, body in official_schedules().items():
        year_row, created = CalendarYear.objects.get_or_create(
            year=year,
            defaults={"status": body["status"], "legal_basis": body["legal_basis"]},
        )
        created_years += int(created)
        if (
            not created
            and year_row.status != YearStatus.CONFIRMED
            and body["status"] == (YearStatus.CONFIRMED)
        ):
            year_row.status = YearStatus.CONFIRMED
            year_row.legal_basis = body["legal_basis"]
            year_row.save(update_fields=["status", "legal_basis", "updated_at"])
        for entry in body["days"]:
            _, day_created = CalendarDay.objects.get_or_create(
                date=entry.date,
                unit=None,
                defaults={
                    "kind": entry.kind,
                    "name": entry.name,
                    "legal_basis": entry.legal_basis,
                    "needs_confirmation": entry.needs_confirmation,
                    "source": DaySource.OFFICIAL_BUNDLE,
                },
            )
            created_days += int(day_created)
    if created_years or created_days:
        _bump_revision()
        audit_record(
            actor=actor,
            action="calendar.load_official",
            obj=CalendarRevision.objects.first(),
            summary=_("Nạp lịch nghỉ chính thức: %(years)s năm, %(days)s ngày.")
            % {"years": created_years, "days": created_days},
            legal_basis=LEGAL_BASIS_CALENDAR,
        )
    return {"years": created_years, "days": created_days}


def _ensure_year_row(*, year: int, actor: User | None) -> CalendarYear:
    """Materialise a year that so far existed only as statutory rules, as provisional data."""
    year_row = CalendarYear.objects.filter(year=year).first()
    if year_row is not None:
        return year_row
    year_row = CalendarYear.objects.create(year=year, status=YearStatus.PROVISIONAL)
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=entry.date,
                kind=entry.kind,
                name=entry.name,
                legal_basis=entry.legal_basis,
                source=DaySource.HOLIDAYS_PACKAGE,
            )
            for entry in statutory_days(year)
        ]
    )
    audit_record(
        actor=actor,
        action="calendar.year_materialise",
        obj=year_row,
        summary=_("Tạo lịch tạm tính năm %(year)s theo quy định.") % {"year": year},
        legal_basis=LEGAL_BASIS_CALENDAR,
    )
    return year_row


def calendar_day_validate(*, day: dt.date, kind: str, name: str) -> None:
    """Refuse a special day that makes no sense (e.g. a make-up day on a weekday)."""
    if kind not in DayKind.values:
        raise ValidationFailed(_("Loại ngày không hợp lệ."), field="kind")
    if not name.strip():
        raise ValidationFailed(_("Vui lòng nhập tên ngày nghỉ hoặc ngày làm bù."), field="name")
    if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ValidationFailed(
            _("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật (%(date)s là ngày làm việc thường).")
            % {"date": day.strftime("%d/%m/%Y")},
            field="date",
        )


@transaction.atomic
def calendar_day_set(
    *,
    actor: User | None,
    day: dt.date,
    kind: str,
    name: str,
    unit: Unit | None = None,
    legal_basis: str = "",
    needs_confirmation: bool = False,
) -> CalendarDay:
    """Create or change a special day (nationwide, or for ``unit`` and the units below it)."""
    _ensure_may_edit(actor=actor, unit=unit)
    calendar_day_validate(day=day, kind=kind, name=name)
    if unit is None:
        _ensure_year_row(year=day.year, actor=actor)
    existing = CalendarDay.objects.select_for_update().filter(date=day, unit=unit).first()
    before = None
    if existing is None:
        row = CalendarDay(date=day, unit=unit)
    else:
        row = existing
        before = {"kind": row.kind, "name": row.name, "legal_basis": row.legal_basis}
    row.kind, row.name, row.legal_basis = kind, name.strip(), legal_basis.strip()
    row.needs_confirmation = needs_confirmation
    row.source = DaySource.ADMIN
    row.save()
    _bump_revision()
    audit_record(
        actor=actor,
        action="calendar.day_set",
        obj=row,
        unit=unit,
        summary=_("%(date)s: %(kind)s — %(name)s")
        % {"date": day.strftime("%d/%m/%Y"), "kind": DayKind(kind).label, "name": row.name},
        data={"before": before, "after": {"kind": kind, "name": row.name}},
        legal_basis=row.legal_basis,
    )
    return row


@transaction.atomic
def calendar_day_remove(*, actor: User | None, day: CalendarDay) -> None:
    """Remove a special day: the date goes back to the ordinary week."""
    _ensure_may_edit(actor=actor, unit=day.unit)
    audit_record(
        actor=actor,
        action="calendar.day_remove",
        obj=day,
        unit=day.unit,
        summary=_("Xóa ngày %(date)s — %(name)s")
        % {"date": day.date.strftime("%d/%m/%Y"), "name": day.name},
        data={"kind": day.kind, "name": day.name, "date": day.date.isoformat()},
    )
    day.delete()
    _bump_revision()


@transaction.atomic
def calendar_year_confirm(*, actor: User | None, year: int, legal_basis: str) -> CalendarYear:
    """Confirm a year's schedule against the official announcement; the warning disappears."""
    _ensure_may_edit(actor=actor, unit=None)
    if not legal_basis.strip():
        raise ValidationFailed(
            _("Vui lòng ghi căn cứ pháp lý (số, ngày thông báo lịch nghỉ chính thức)."),
            field="legal_basis",
        )
    year_row = _ensure_year_row(year=year, actor=actor)
    year_row.status = YearStatus.CONFIRMED
    year_row.legal_basis = legal_basis.strip()
    year_row.confirmed_by = actor
    year_row.confirmed_at = timezone.now()
    year_row.save()
    _bump_revision()
    audit_record(
        actor=actor,
        action="calendar.year_confirm",
        obj=year_row,
        summary=_("Xác nhận lịch nghỉ năm %(year)s.") % {"year": year},
        legal_basis=year_row.legal_basis,
    )
    return year_row
