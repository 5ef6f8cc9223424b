"""Reads of the working calendar: the calendar of a unit, a year's special days, warnings."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit, User
from motcua.accounts.working_settings import SETTING_FIELDS
from motcua.workcalendar.constants import DayKind, YearStatus
from motcua.workcalendar.engine import Schedule, WorkingCalendar
from motcua.workcalendar.models import CalendarDay, CalendarRevision, CalendarYear
from motcua.workcalendar.official import DayEntry, statutory_days

# perf: building an index reads the special days once and costs ~50 ms; the
# built calendar is cached per (revision, schedule, unit chain). The revision
# counter is re-read at most every REVISION_TTL seconds per process.
REVISION_TTL = 2.0
_CACHE_SIZE = 128
_cache: OrderedDict[tuple[object, ...], WorkingCalendar] = OrderedDict()
_lock = threading.Lock()
_revision: dict[str, float] = {"number": -1.0, "read_at": 0.0}
_CALENDAR_MEMO = "_working_calendar_memo"


def calendar_revision() -> int:
    """The calendar data's revision number (bumped by every edit)."""
    now = time.monotonic()
    if now - _revision["read_at"] > REVISION_TTL:
        number = CalendarRevision.objects.values_list("number", flat=True).first() or 0
        _revision["number"], _revision["read_at"] = float(number), now
    return int(_revision["number"])


def forget_cached_calendars() -> None:
    """Drop this process's cached calendars (called after an edit)."""
    with _lock:
        _cache.clear()
        _revision["read_at"] = 0.0


def _schedule_for(unit: Unit | None, saturday_reception: bool | None) -> Schedule:
    if unit is None:
        schedule = Schedule()
    else:
        from motcua.accounts.selectors import unit_resolve_settings

        resolved = unit_resolve_settings(unit=unit)
        schedule = Schedule(
            weekdays=frozenset(resolved.working_weekdays),
            sessions=tuple(tuple(pair) for pair in resolved.working_sessions),  # type: ignore[misc]
            saturday_reception=resolved.saturday_reception,
            saturday_sessions=tuple(tuple(pair) for pair in resolved.saturday_sessions),  # type: ignore[misc]
            same_day_cutoff=resolved.same_day_cutoff,
        )
    if saturday_reception is not None:
        schedule = Schedule(
            weekdays=schedule.weekdays,
            sessions=schedule.sessions,
            saturday_reception=saturday_reception,
            saturday_sessions=schedule.saturday_sessions,
            same_day_cutoff=schedule.same_day_cutoff,
        )
    return schedule


@dataclass(frozen=True)
class _DayData:
    """Everything the index needs, read from the database in two queries."""

    years_in_db: frozenset[int]
    national: Mapping[int, Mapping[dt.date, bool]]
    per_unit: tuple[Mapping[dt.date, bool], ...]

    def overrides(self, year: int) -> dict[dt.date, bool]:
        if year in self.years_in_db:
            merged = dict(self.national.get(year, {}))
        else:
            merged = {entry.date: entry.is_working for entry in statutory_days(year)}
        for layer in self.per_unit:
            merged.update({day: working for day, working in layer.items() if day.year == year})
        return merged


def _day_data(unit_chain: tuple[int, ...]) -> _DayData:
    years_in_db = frozenset(CalendarYear.objects.values_list("year", flat=True))
    national: dict[int, dict[dt.date, bool]] = {}
    layers: dict[int, dict[dt.date, bool]] = {unit_id: {} for unit_id in unit_chain}
    rows = CalendarDay.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=unit_chain))
    for day, kind, unit_id in rows.values_list("date", "kind", "unit_id"):
        working = kind == DayKind.MAKEUP_WORKDAY
        if unit_id is None:
            national.setdefault(day.year, {})[day] = working
        else:
            layers[unit_id][day] = working
    return _DayData(
        years_in_db=years_in_db,
        national=national,
        per_unit=tuple(layers[unit_id] for unit_id in unit_chain),
    )


def calendar_for_unit(
    *, unit: Unit | None = None, saturday_reception: bool | None = None
) -> WorkingCalendar:
    """The working calendar of ``unit`` (the national default when ``None``).

    Days set for the unit or any unit above it override the national days;
    ``saturday_reception`` overrides the unit's setting (for the CLI).
    """
    revision = calendar_revision()
    if unit is None:
        return _calendar_of(None, saturday_reception, revision)
    # perf: an intake asks for the receiving unit's calendar five times (code,
    # appointment, step deadline, alarms, answer); it is kept on the instance
    # while the unit's own settings, its chain and the calendar data are the
    # same (the chain's rows are kept on it too: accounts.selectors).
    wanted = (
        revision,
        saturday_reception,
        tuple(unit.ancestor_ids or ()),
        [getattr(unit, name) for name in SETTING_FIELDS],
    )
    memo = unit.__dict__.get(_CALENDAR_MEMO)
    if memo is not None and memo[0] == wanted:
        return memo[1]
    calendar = _calendar_of(unit, saturday_reception, revision)
    unit.__dict__[_CALENDAR_MEMO] = (wanted, calendar)
    return calendar


def _calendar_of(
    unit: Unit | None, saturday_reception: bool | None, revision: int
) -> WorkingCalendar:
    schedule = _schedule_for(unit, saturday_reception)
    unit_chain = tuple(unit.ancestor_ids) if unit is not None else ()
    key = (revision, schedule, unit_chain)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    data = _day_data(unit_chain)
    this_year = timezone.localdate().year
    calendar = WorkingCalendar(
        schedule=schedule,
        overrides=data.overrides,
        first_year=min(2015, this_year - 1),
        last_year=max(this_year + 5, *data.years_in_db, this_year),
    )
    with _lock:
        _cache[key] = calendar
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return calendar


@dataclass(frozen=True)
class YearDay:
    """A special day of a year as shown to people: with its source and status."""

    date: dt.date
    kind: str
    name: str
    legal_basis: str
    provisional: bool
    unit_name: str = ""

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.MAKEUP_WORKDAY

    @property
    def kind_label(self) -> str:
        return str(DayKind(self.kind).label)


def calendar_year_is_confirmed(*, year: int) -> bool:
    """True when an administrator (or the shipped official data) confirmed ``year``."""
    return CalendarYear.objects.filter(year=year, status=YearStatus.CONFIRMED).exists()


def calendar_days_for_year(*, year: int, unit: Unit | None = None) -> list[YearDay]:
    """The special days of ``year`` for ``unit``: days off and make-up working days.

    Days come from the database when the year is there, else provisionally
    from the statutory rules; a day is marked provisional when its year is not
    confirmed or its legal basis needs confirmation.
    """
    year_row = CalendarYear.objects.filter(year=year).first()
    year_provisional = year_row is None or year_row.status != YearStatus.CONFIRMED
    merged: dict[dt.date, YearDay] = {}
    if year_row is None:
        entries: list[DayEntry] = list(statutory_days(year))
        for entry in entries:
            merged[entry.date] = YearDay(
                entry.date, entry.kind, entry.name, entry.legal_basis, provisional=True
            )
    chain = unit.ancestor_ids if unit is not None else []
    rows = (
        CalendarDay.objects.filter(date__year=year)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=chain))
        .select_related("unit")
        .order_by("unit__depth", "date")
    )
    for row in rows:
        if row.unit_id is None and year_row is None:
            continue
        merged[row.date] = YearDay(
            row.date,
            row.kind,
            row.name,
            row.legal_basis,
            provisional=year_provisional or row.needs_confirmation,
            unit_name=row.unit.name if row.unit else "",
        )
    return sorted(merged.values(), key=lambda day: day.date)


def _may_manage_calendar(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from motcua.accounts.permissions import Action, can

    officer = getattr(user, "officer", None)
    return officer is not None and can(user, Action.CALENDAR_MANAGE, officer.unit)


def calendar_warnings(*, user: User, today: dt.date | None = None) -> list[str]:
    """Warnings for administrators: provisional years and days awaiting confirmation."""
    if not _may_manage_calendar(user):
        return []
    today = today or timezone.localdate()
    years = (today.year, today.year + 1)
    confirmed = set(
        CalendarYear.objects.filter(year__in=years, status=YearStatus.CONFIRMED).values_list(
            "year", flat=True
        )
    )
    warnings = [
        _(
            "Lịch nghỉ năm %(year)s đang là lịch tạm tính theo quy định chung; "
            "đề nghị đối chiếu thông báo chính thức và xác nhận."
        )
        % {"year": year}
        for year in years
        if year not in confirmed
    ]
    pending = CalendarDay.objects.filter(date__year__in=years, needs_confirmation=True)
    for day in pending.order_by("date"):
        warnings.append(
            _("Ngày %(date)s (%(name)s) chưa được xác nhận căn cứ pháp lý.")
            % {"date": day.date.strftime("%d/%m/%Y"), "name": day.name}
        )
    return warnings
