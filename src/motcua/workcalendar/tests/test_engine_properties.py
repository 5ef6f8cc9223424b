"""Properties of the working calendar that must hold for every instant and period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.workcalendar.engine import TZ, Period, PeriodUnit, Schedule, WorkingCalendar
from motcua.workcalendar.official import official_schedules, statutory_days


def shipped_overrides(year: int) -> dict[dt.date, bool]:
    """The days the database holds after migration: shipped years, else statutory rules."""
    body = official_schedules().get(year)
    entries = body["days"] if body else statutory_days(year)
    return {entry.date: entry.is_working for entry in entries}


CALENDARS = {
    "standard": WorkingCalendar(overrides=shipped_overrides, first_year=2023, last_year=2029),
    "saturday_reception": WorkingCalendar(
        schedule=Schedule(saturday_reception=True),
        overrides=shipped_overrides,
        first_year=2023,
        last_year=2029,
    ),
    "early_hours": WorkingCalendar(
        schedule=Schedule(
            sessions=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))),
            same_day_cutoff=dt.time(15, 30),
        ),
        overrides=shipped_overrides,
        first_year=2023,
        last_year=2029,
    ),
}

calendars = st.sampled_from(sorted(CALENDARS))
instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31)
).map(lambda value: value.replace(microsecond=0, tzinfo=TZ))
periods = st.one_of(
    st.integers(1, 60).map(lambda n: Period.of(n, PeriodUnit.WORKING_DAYS)),
    st.integers(1, 60).map(lambda n: Period.of(Decimal(n) / 2, PeriodUnit.WORKING_DAYS)),
    st.integers(1, 200).map(lambda n: Period.of(n, PeriodUnit.WORKING_HOURS)),
    st.just(Period.of(0, PeriodUnit.SAME_DAY)),
    st.integers(1, 90).map(lambda n: Period.of(n, PeriodUnit.CALENDAR_DAYS)),
    st.integers(1, 12).map(lambda n: Period.of(n, PeriodUnit.MONTHS)),
)


@settings(max_examples=400, deadline=None)
@given(name=calendars, received=instants, period=periods, online=st.booleans())
def test_an_appointment_never_falls_outside_a_working_session(
    name: str, received: dt.datetime, period: Period, online: bool
) -> None:
    calendar = CALENDARS[name]
    due = calendar.due(received, period, online=online)
    assert calendar.is_in_session(due), (received, period, due)
    assert due > received or (due == received and period.unit == PeriodUnit.SAME_DAY)


@settings(max_examples=400, deadline=None)
@given(name=calendars, received=instants, days=st.integers(1, 250))
def test_adding_n_working_days_then_counting_gives_back_n(
    name: str, received: dt.datetime, days: int
) -> None:
    calendar = CALENDARS[name]
    due = calendar.due_in_working_days(received, days)
    assert calendar.working_days_between(received.date(), due.date()) == days
    assert calendar.is_working_day(due.date())


@settings(max_examples=300, deadline=None)
@given(name=calendars, received=instants, hours=st.integers(1, 400))
def test_working_hours_added_are_the_working_time_between(
    name: str, received: dt.datetime, hours: int
) -> None:
    calendar = CALENDARS[name]
    start = calendar.next_session_start(received)
    due = calendar.due_in_working_hours(start, hours)
    assert calendar.working_seconds_between(start, due) == hours * 3600


@settings(max_examples=300, deadline=None)
@given(name=calendars, received=instants, days=st.integers(2, 40), pause_day=st.integers(0, 30))
def test_pausing_for_a_whole_non_working_stretch_changes_nothing(
    name: str, received: dt.datetime, days: int, pause_day: int
) -> None:
    calendar = CALENDARS[name]
    deadline = calendar.due_in_working_days(received, days)
    # Pause at the close of some working day before the deadline and resume at
    # the opening of the next working day: only non-working time lies between.
    first = calendar.next_working_day(received.date())
    paused_day = calendar.working_days(first, deadline.date())[min(pause_day, days - 2)]
    paused_at = calendar.close_of(paused_day)
    resumed_at = calendar.next_session_start(paused_at + dt.timedelta(seconds=1))
    assert calendar.working_seconds_between(paused_at, resumed_at) == 0
    assert calendar.resume(deadline, paused_at=paused_at, resumed_at=resumed_at) == deadline


@settings(max_examples=300, deadline=None)
@given(
    name=calendars,
    received=instants,
    days=st.integers(1, 30),
    pause=st.integers(0, 200 * 3600),
    wait=st.integers(0, 40 * 24 * 3600),
)
def test_a_pause_moves_the_deadline_by_exactly_the_working_time_paused(
    name: str, received: dt.datetime, days: int, pause: int, wait: int
) -> None:
    calendar = CALENDARS[name]
    deadline = calendar.due_in_working_days(received, days)
    paused_at = received + dt.timedelta(seconds=pause)
    assume(paused_at < deadline)
    resumed_at = paused_at + dt.timedelta(seconds=wait)
    new_deadline = calendar.resume(deadline, paused_at=paused_at, resumed_at=resumed_at)
    used = calendar.working_seconds_between(received, paused_at)
    left = calendar.working_seconds_between(resumed_at, new_deadline)
    total = calendar.working_seconds_between(received, deadline)
    assert used + left == total
    assert new_deadline >= deadline


def test_the_index_grows_beyond_its_initial_years() -> None:
    calendar = WorkingCalendar(overrides=shipped_overrides, first_year=2026, last_year=2026)
    received = dt.datetime(2031, 3, 2, 9, tzinfo=TZ)
    assert calendar.due_in_working_days(received, 1) == dt.datetime(2031, 3, 3, 17, tzinfo=TZ)
    before = dt.datetime(2020, 3, 2, 9, tzinfo=TZ)
    assert calendar.due_in_working_days(before, 1) == dt.datetime(2020, 3, 3, 17, tzinfo=TZ)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError):
        CALENDARS["standard"].due_in_working_days(dt.datetime(2026, 1, 5, 9), 1)


def test_overlapping_sessions_are_refused() -> None:
    with pytest.raises(ValueError):
        Schedule(sessions=((dt.time(8), dt.time(12)), (dt.time(11), dt.time(17))))
