"""Working-time arithmetic over a precomputed index of working days.

This module is pure Python (no Django) and is the only place that adds working
days or hours, counts working time, or moves an instant to the next working
session. Each rule is recorded in an ADR under ``docs/adr/`` (0004–0010):

* a period in working days starts on the next working day after receipt and
  ends at the close of the Nth working day (Civil Code arts. 147–148, R5);
* a period in working hours runs from the receipt instant over working
  sessions (R5);
* a same-day procedure received after the cut-off (15:00) is due at the close
  of the next working day (R6);
* an online submission outside working sessions counts as received at the
  start of the next working session;
* Saturday reception is a reception session, not a processing day (R7);
* pausing a deadline stops the clock; resuming adds back the working time
  that was left (R15).

perf: every working day has an index ``i``; the working-time position of an
instant is ``i * day_length + offset``. Lookups are list indexing, so a due
date costs a few microseconds (see ``bench/calendar_due.py`` and
docs/performance.md) instead of a day-by-day loop.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = 5
DEFAULT_FIRST_YEAR = 2015


class PeriodUnit(StrEnum):
    """The unit of a statutory time limit, as printed in procedure decisions."""

    WORKING_DAYS = "working_days"  # ngày làm việc
    CALENDAR_DAYS = "days"  # ngày
    WORKING_HOURS = "working_hours"  # giờ làm việc
    MONTHS = "months"  # tháng
    SAME_DAY = "same_day"  # trong ngày


class CalendarError(ValueError):
    """A period or instant the calendar cannot compute with."""


def _seconds(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def _clock(seconds: int) -> dt.time:
    if seconds >= 86400:
        return dt.time(23, 59, 59)
    return dt.time(seconds // 3600, (seconds // 60) % 60, seconds % 60)


@dataclass(frozen=True)
class Schedule:
    """A unit's working week: processing weekdays, sessions, Saturday reception, cut-off."""

    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    sessions: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(8), dt.time(12)),
        (dt.time(13), dt.time(17)),
    )
    saturday_reception: bool = False
    saturday_sessions: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(8), dt.time(12)),)
    same_day_cutoff: dt.time = dt.time(15)

    def __post_init__(self) -> None:
        for sessions in (self.sessions, self.saturday_sessions):
            previous_end = -1
            for start, end in sessions:
                if not _seconds(start) < _seconds(end) or _seconds(start) < previous_end:
                    raise CalendarError(
                        _("Các buổi làm việc phải theo thứ tự và không chồng lên nhau.")
                    )
                previous_end = _seconds(end)
        if not self.sessions:
            raise CalendarError(_("Lịch làm việc cần ít nhất một buổi làm việc."))


@dataclass(frozen=True)
class Period:
    """A statutory time limit: ``value`` in ``unit`` (halves of working days allowed)."""

    value: Decimal
    unit: PeriodUnit

    @classmethod
    def of(cls, value: int | float | str | Decimal, unit: PeriodUnit | str) -> Period:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except ArithmeticError as exc:
            raise CalendarError(
                _("Thời hạn không phải là số: %(value)s") % {"value": value}
            ) from exc
        if not number.is_finite() or number < 0:
            raise CalendarError(_("Thời hạn không hợp lệ: %(value)s") % {"value": value})
        return cls(number, PeriodUnit(unit))


OverrideProvider = Callable[[int], Mapping[dt.date, bool]]


def _no_overrides(year: int) -> Mapping[dt.date, bool]:
    return {}


@dataclass
class WorkingCalendar:
    """Due dates and working time for one schedule and one set of day overrides.

    ``overrides(year)`` returns ``{date: is_working}`` for the dates of that year
    that differ from the ordinary week (holidays, compensatory and swapped days
    off → ``False``; make-up working Saturdays → ``True``). The index covers
    whole years and grows when an instant falls outside it.
    """

    schedule: Schedule = field(default_factory=Schedule)
    overrides: OverrideProvider = _no_overrides
    first_year: int = DEFAULT_FIRST_YEAR
    last_year: int = 2035

    def __post_init__(self) -> None:
        self._sessions = tuple((_seconds(a), _seconds(b)) for a, b in self.schedule.sessions)
        self._sat_sessions = tuple(
            (_seconds(a), _seconds(b)) for a, b in self.schedule.saturday_sessions
        )
        self.day_length = sum(b - a for a, b in self._sessions)
        self._open = self._sessions[0][0]
        self._close = self._sessions[-1][1]
        self._cutoff = _seconds(self.schedule.same_day_cutoff)
        self._build(self.first_year, self.last_year)

    # -- index -----------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        base = dt.date(first_year, 1, 1).toordinal()
        end = dt.date(last_year, 12, 31).toordinal()
        overrides: dict[int, bool] = {}
        for year in range(first_year, last_year + 1):
            for day, working in self.overrides(year).items():
                overrides[day.toordinal()] = working
        weekdays = self.schedule.weekdays
        working_ords: list[int] = []
        day_off_ords: set[int] = set()
        for ordinal in range(base, end + 1):
            is_working = overrides.get(ordinal)
            if is_working is None:
                is_working = dt.date.fromordinal(ordinal).weekday() in weekdays
            elif not is_working:
                day_off_ords.add(ordinal)
            if is_working:
                working_ords.append(ordinal)
        # first_at_or_after[k]: index of the first working day on or after base + k.
        first_at_or_after: list[int] = []
        index = 0
        for ordinal in range(base, end + 2):
            while index < len(working_ords) and working_ords[index] < ordinal:
                index += 1
            first_at_or_after.append(index)
        self._base = base
        self._end = end
        self._working_ords = working_ords
        self._working_set = frozenset(working_ords)
        self._day_off_ords = frozenset(day_off_ords)
        self._first_at_or_after = first_at_or_after
        close = _clock(self._close)
        self._close_dt = [
            dt.datetime.combine(dt.date.fromordinal(o), close, tzinfo=TZ) for o in working_ords
        ]

    def _cover(self, ordinal: int) -> None:
        """Grow the index so that ``ordinal`` and a margin after it are covered."""
        year = dt.date.fromordinal(max(ordinal, 1)).year
        if ordinal < self._base:
            self._build(year, self.last_year)
        elif ordinal + 400 > self._end:
            self._build(self.first_year, max(year + 2, self.last_year + 5))

    def _index_on_or_after(self, ordinal: int) -> int:
        if ordinal < self._base or ordinal + 400 > self._end:
            self._cover(ordinal)
        index = self._first_at_or_after[ordinal - self._base]
        while index >= len(self._working_ords):  # pragma: no cover - margin guards this
            self._build(self.first_year, self.last_year + 5)
            index = self._first_at_or_after[ordinal - self._base]
        return index

    # -- days ------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` is a processing day (weekday or make-up day, not a day off)."""
        ordinal = day.toordinal()
        self._index_on_or_after(ordinal)
        return ordinal in self._working_set

    def is_reception_day(self, day: dt.date) -> bool:
        """True when the counter is open on ``day``: a working day or a Saturday reception."""
        if self.is_working_day(day):
            return True
        return (
            self.schedule.saturday_reception
            and day.weekday() == SATURDAY
            and day.toordinal() not in self._day_off_ords
        )

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        index = self._index_on_or_after(day.toordinal() + 1)
        return dt.date.fromordinal(self._working_ords[index])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days ``d`` with ``start < d <= end`` (negative when end precedes start)."""
        return self._index_on_or_after(end.toordinal() + 1) - self._index_on_or_after(
            start.toordinal() + 1
        )

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last`` inclusive."""
        lo = self._index_on_or_after(first.toordinal())
        hi = self._index_on_or_after(last.toordinal() + 1)
        return [dt.date.fromordinal(o) for o in self._working_ords[lo:hi]]

    # -- instants --------------------------------------------------------------

    @staticmethod
    def _local(instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None:
            raise CalendarError(_("Thời điểm phải có múi giờ."))
        return instant.astimezone(TZ)

    def _offset_in_day(self, seconds: int) -> int:
        """Working seconds of a working day that lie before the clock time ``seconds``."""
        offset = 0
        for start, end in self._sessions:
            if seconds <= start:
                break
            offset += min(seconds, end) - start
        return offset

    def position(self, instant: dt.datetime) -> int:
        """Working seconds from the start of the index to ``instant``."""
        local = self._local(instant)
        ordinal = local.toordinal()
        index = self._index_on_or_after(ordinal)
        if ordinal != self._working_ords[index]:
            return index * self.day_length
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return index * self.day_length + self._offset_in_day(seconds)

    def instant_at(self, position: int) -> dt.datetime:
        """The instant at a working-time position; a boundary maps to the earlier close."""
        index, rest = divmod(position, self.day_length)
        if rest == 0 and index > 0:
            return self._close_dt[index - 1]
        if index >= len(self._working_ords):
            self._build(self.first_year, self.last_year + 5)
        day = dt.date.fromordinal(self._working_ords[index])
        for start, end in self._sessions:
            length = end - start
            if rest <= length:
                return dt.datetime.combine(day, _clock(start + rest), tzinfo=TZ)
            rest -= length
        return self._close_dt[index]  # pragma: no cover - rest < day_length

    def is_in_session(self, instant: dt.datetime, *, reception: bool = True) -> bool:
        """True when ``instant`` lies in a working session (bounds included).

        With ``reception`` a Saturday reception session counts too.
        """
        local = self._local(instant)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        day = local.date()
        if self.is_working_day(day):
            sessions = self._sessions
        elif reception and self.is_reception_day(day):
            sessions = self._sat_sessions
        else:
            return False
        return any(start <= seconds <= end for start, end in sessions)

    def next_session_start(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` itself if inside a working session, else the next session's start."""
        local = self._local(instant)
        ordinal = local.toordinal()
        index = self._index_on_or_after(ordinal)
        if ordinal == self._working_ords[index]:
            seconds = local.hour * 3600 + local.minute * 60 + local.second
            for start, end in self._sessions:
                if seconds < start:
                    return dt.datetime.combine(local.date(), _clock(start), tzinfo=TZ)
                if seconds < end:
                    return local
            index += 1
        day = dt.date.fromordinal(self._working_ords[index])
        return dt.datetime.combine(day, _clock(self._open), tzinfo=TZ)

    def close_of(self, day: dt.date) -> dt.datetime:
        """The close of business on a working day."""
        return dt.datetime.combine(day, _clock(self._close), tzinfo=TZ)

    # -- rules -----------------------------------------------------------------

    def received_online(self, submitted: dt.datetime) -> dt.datetime:
        """An online submission outside working sessions counts from the next session's start."""
        return self.next_session_start(submitted)

    def due_in_working_days(self, received: dt.datetime, days: int) -> dt.datetime:
        """Close of the Nth working day, counting from the day after receipt (R5)."""
        if days < 1:
            raise CalendarError(_("Thời hạn theo ngày làm việc phải từ 1 ngày trở lên."))
        ordinal = self._local(received).toordinal()
        index = self._index_on_or_after(ordinal + 1) + days - 1
        if index >= len(self._close_dt):
            self._cover(self._working_ords[-1] + days * 2)
            return self.due_in_working_days(received, days)
        return self._close_dt[index]

    def due_in_working_seconds(self, received: dt.datetime, seconds: int) -> dt.datetime:
        """``seconds`` of working time after ``received``, over working sessions only."""
        if seconds < 0:
            raise CalendarError(_("Thời hạn không được âm."))
        return self.instant_at(self.position(received) + seconds)

    def due_in_working_hours(self, received: dt.datetime, hours: Decimal | int) -> dt.datetime:
        """Working hours from the receipt instant over working sessions (R5)."""
        return self.due_in_working_seconds(received, int(Decimal(hours) * 3600))

    def due_same_day(self, received: dt.datetime) -> dt.datetime:
        """Close of the receipt day; after the cut-off, close of the next working day (R6).

        On a Saturday reception session, same-day ("không chờ") procedures are
        handled on the spot and are due at the end of that session.
        """
        local = self._local(received)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        day = local.date()
        if self.is_working_day(day):
            # "Received after 15:00" — 15:00:00 itself is still the same day.
            if seconds <= self._cutoff:
                return self.close_of(day)
        elif self.is_reception_day(day):
            last_end = self._sat_sessions[-1][1]
            if seconds < last_end:
                return dt.datetime.combine(day, _clock(last_end), tzinfo=TZ)
        return self.close_of(self.next_working_day(day))

    def due_in_calendar_days(self, received: dt.datetime, days: int) -> dt.datetime:
        """Close of the Nth calendar day after receipt, moved to the next working day if needed."""
        if days < 1:
            raise CalendarError(_("Thời hạn theo ngày phải từ 1 ngày trở lên."))
        last = self._local(received).date() + dt.timedelta(days=days)
        return self._close_on_or_after(last)

    def due_in_months(self, received: dt.datetime, months: int) -> dt.datetime:
        """The same date ``months`` later (or the month's last day), then the next working day."""
        if months < 1:
            raise CalendarError(_("Thời hạn theo tháng phải từ 1 tháng trở lên."))
        day = self._local(received).date()
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        month += 1
        last_day = _stdlib_calendar.monthrange(year, month)[1]
        return self._close_on_or_after(dt.date(year, month, min(day.day, last_day)))

    def _close_on_or_after(self, day: dt.date) -> dt.datetime:
        index = self._index_on_or_after(day.toordinal())
        return self._close_dt[index]

    def due(self, received: dt.datetime, period: Period, *, online: bool = False) -> dt.datetime:
        """The appointment for a dossier received at ``received`` with a statutory ``period``.

        Fractional working days are working time (one day = the unit's day
        length), e.g. 0.5 day = 4 working hours with the default sessions.
        """
        if online:
            received = self.received_online(received)
        value, unit = period.value, period.unit
        if unit == PeriodUnit.SAME_DAY:
            return self.due_same_day(received)
        if value <= 0:
            raise CalendarError(_("Thời hạn phải lớn hơn 0."))
        if unit == PeriodUnit.WORKING_HOURS:
            return self.due_in_working_hours(received, value)
        if value != value.to_integral_value():
            if unit != PeriodUnit.WORKING_DAYS:
                raise CalendarError(
                    _("Chỉ thời hạn theo ngày làm việc mới được có phần lẻ (ví dụ 0,5 ngày).")
                )
            return self.due_in_working_seconds(received, int(value * self.day_length))
        if unit == PeriodUnit.WORKING_DAYS:
            return self.due_in_working_days(received, int(value))
        if unit == PeriodUnit.CALENDAR_DAYS:
            return self.due_in_calendar_days(received, int(value))
        return self.due_in_months(received, int(value))

    # -- pause and resume ------------------------------------------------------

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working time from ``start`` to ``end`` (negative when end precedes start)."""
        return self.position(end) - self.position(start)

    def resume(
        self, deadline: dt.datetime, *, paused_at: dt.datetime, resumed_at: dt.datetime
    ) -> dt.datetime:
        """The deadline after a pause: the working time left at the pause is added back.

        The clock stops while paused (e.g. while the applicant completes a
        supplement, R15): time already used still counts, and a pause that
        covers only non-working time changes nothing.
        """
        remaining = max(0, self.position(deadline) - self.position(paused_at))
        return self.instant_at(self.position(resumed_at) + remaining)

    def opening_working_days_before(self, deadline: dt.datetime, days: int) -> dt.datetime:
        """The opening of the working day ``days`` working days before ``deadline``'s day.

        With ``days=1`` and a deadline at Friday's close, Thursday's opening:
        the last working day on which an apology can still be sent in time
        (Decree 61/2018: at the latest one day before the due date). ``days=0``
        gives the opening of the deadline's own working day.
        """
        if days < 0:
            raise CalendarError(_("Số ngày làm việc không được âm."))
        position = self.position(deadline)
        # A deadline at a close lies at the end of its day, not the next one.
        day_index = max(0, position - 1) // self.day_length
        index = max(0, day_index - days)
        day = dt.date.fromordinal(self._working_ords[index])
        return dt.datetime.combine(day, _clock(self._open), tzinfo=TZ)

    # -- reading ---------------------------------------------------------------

    def days_off(self, year: int) -> list[dt.date]:
        """The days of ``year`` that would be working days in an ordinary week but are off."""
        self._index_on_or_after(dt.date(year, 12, 31).toordinal())
        return sorted(
            dt.date.fromordinal(o)
            for o in self._day_off_ords
            if dt.date.fromordinal(o).year == year
        )


def merge_overrides(layers: Iterable[Mapping[dt.date, bool]]) -> dict[dt.date, bool]:
    """Later layers win: national data, then each unit from the root down."""
    merged: dict[dt.date, bool] = {}
    for layer in layers:
        merged.update(layer)
    return merged
