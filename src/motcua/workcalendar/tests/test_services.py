"""Editing the calendar: unit days, confirmation of a provisional year, audit, warnings."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.accounts.constants import Role, UnitKind
from motcua.accounts.models import AuditEvent, Officer, OfficerRole, Unit, User
from motcua.accounts.services import unit_refresh_path
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.workcalendar import selectors as calendar_selectors
from motcua.workcalendar.constants import DayKind, YearStatus
from motcua.workcalendar.engine import TZ, Period, PeriodUnit
from motcua.workcalendar.models import CalendarDay, CalendarYear
from motcua.workcalendar.selectors import (
    calendar_days_for_year,
    calendar_for_unit,
    calendar_warnings,
)
from motcua.workcalendar.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_load_official,
    calendar_year_confirm,
)

pytestmark = pytest.mark.django_db


def make_unit(code: str, name: str, parent: Unit | None = None, **fields: object) -> Unit:
    kind = UnitKind.PROVINCE if parent is None else UnitKind.COMMUNE
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, **fields)
    unit_refresh_path(unit=unit)
    return unit


def make_officer(username: str, unit: Unit, *roles: str) -> User:
    user = User.objects.create_user(username, "mat-khau-rat-dai-2026", full_name=username)
    officer = Officer.objects.create(user=user, unit=unit)
    for role in roles:
        OfficerRole.objects.create(officer=officer, role=role)
    return user


def local_day_off(admin: User, day: dt.date, unit: Unit) -> None:
    calendar_day_set(
        actor=admin, day=day, kind=DayKind.LOCAL_DAY_OFF, name="Nghỉ bầu cử bổ sung", unit=unit
    )


@pytest.fixture
def hanoi() -> Unit:
    return make_unit("01", "Thành phố Hà Nội")


@pytest.fixture
def long_bien(hanoi: Unit) -> Unit:
    return make_unit("00145", "Phường Long Biên", hanoi, valid_from=dt.date(2025, 7, 1))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_the_official_schedules_are_loaded_by_migration_and_loading_again_changes_nothing():
    assert CalendarYear.objects.filter(status=YearStatus.CONFIRMED).count() == 3
    assert CalendarDay.objects.filter(date=dt.date(2026, 1, 10)).get().kind == (
        DayKind.MAKEUP_WORKDAY
    )
    assert calendar_load_official() == {"years": 0, "days": 0}


def test_a_unit_day_off_applies_to_the_unit_and_below_but_not_elsewhere(hanoi, long_bien):
    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    other = make_unit("00367", "Phường Thanh Xuân", hanoi, valid_from=dt.date(2025, 7, 1))
    received = at("2026-11-16T10:00")  # Monday; Tue 17/11 becomes a local day off
    assert calendar_for_unit(unit=long_bien).due_in_working_days(received, 1) == at(
        "2026-11-17T17:00"
    )

    local_day_off(admin, dt.date(2026, 11, 17), long_bien)

    assert calendar_for_unit(unit=long_bien).due_in_working_days(received, 1) == at(
        "2026-11-18T17:00"
    )
    assert calendar_for_unit(unit=other).due_in_working_days(received, 1) == at("2026-11-17T17:00")
    event = AuditEvent.objects.get(action="calendar.day_set")
    assert event.actor == admin and event.unit == long_bien


def test_removing_a_day_restores_the_ordinary_week(hanoi):
    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    culture_day = CalendarDay.objects.get(date=dt.date(2026, 11, 24), unit=None)
    received = at("2026-11-23T09:00")
    assert calendar_for_unit().due_in_working_days(received, 1) == at("2026-11-25T17:00")

    calendar_day_remove(actor=admin, day=culture_day)

    assert calendar_for_unit().due_in_working_days(received, 1) == at("2026-11-24T17:00")
    assert AuditEvent.objects.filter(action="calendar.day_remove").count() == 1


def test_unit_working_sessions_and_saturday_reception_come_from_the_unit(hanoi):
    ward = make_unit(
        "10273",
        "Xã Phú Xuyên",
        hanoi,
        valid_from=dt.date(2025, 7, 1),
        working_sessions=[["07:30", "11:30"], ["13:30", "17:00"]],
        saturday_reception=True,
    )
    centre = make_unit("10273-TT", "Trung tâm PVHCC xã Phú Xuyên", ward)
    calendar = calendar_for_unit(unit=centre)  # inherits from the commune

    assert calendar.due(at("2026-11-17T09:00"), Period.of(1, PeriodUnit.WORKING_DAYS)) == at(
        "2026-11-18T17:00"
    )
    # 07:40–11:30 is 3 h 50; the last 10 minutes run from 13:30.
    assert calendar.due(at("2026-11-17T07:40"), Period.of(4, PeriodUnit.WORKING_HOURS)) == at(
        "2026-11-17T13:40"
    )
    assert calendar.due(at("2026-11-21T09:00"), Period.of(0, PeriodUnit.SAME_DAY)) == at(
        "2026-11-21T12:00"
    )


def test_confirming_a_provisional_year_stores_it_and_removes_the_warning(hanoi):
    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    today = dt.date(2026, 11, 21)
    warnings = calendar_warnings(user=admin, today=today)
    assert any("2027" in warning for warning in warnings)
    assert all(day.provisional for day in calendar_days_for_year(year=2027))

    calendar_year_confirm(actor=admin, year=2027, legal_basis="Thông báo lịch nghỉ năm 2027")

    assert not any("2027" in warning for warning in calendar_warnings(user=admin, today=today))
    assert CalendarDay.objects.filter(date__year=2027, unit=None).count() > 5
    assert not any(day.provisional for day in calendar_days_for_year(year=2027))
    assert AuditEvent.objects.filter(action="calendar.year_confirm").count() == 1


def test_confirmation_needs_a_legal_basis(hanoi):
    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    with pytest.raises(ValidationFailed):
        calendar_year_confirm(actor=admin, year=2027, legal_basis="  ")


def test_warnings_name_a_day_awaiting_legal_confirmation(hanoi):
    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    warnings = calendar_warnings(user=admin, today=dt.date(2026, 11, 21))
    assert any("24/11/2026" in warning for warning in warnings)


def test_officers_without_the_administrator_role_see_no_warning_and_cannot_edit(long_bien):
    specialist = make_officer("cv.longbien", long_bien, Role.SPECIALIST)
    assert calendar_warnings(user=specialist, today=dt.date(2026, 11, 21)) == []
    with pytest.raises(PermissionDenied):
        calendar_day_set(
            actor=specialist,
            day=dt.date(2026, 12, 31),
            kind=DayKind.LOCAL_DAY_OFF,
            name="Nghỉ",
            unit=long_bien,
        )


def test_a_ward_administrator_cannot_edit_the_national_calendar(long_bien):
    ward_admin = make_officer("qt.longbien", long_bien, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        calendar_day_set(
            actor=ward_admin, day=dt.date(2027, 1, 2), kind=DayKind.HOLIDAY, name="Nghỉ"
        )


def test_a_makeup_workday_must_fall_on_a_weekend(hanoi):
    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    with pytest.raises(ValidationFailed) as excinfo:
        calendar_day_set(
            actor=admin, day=dt.date(2027, 1, 4), kind=DayKind.MAKEUP_WORKDAY, name="Làm bù"
        )
    assert "04/01/2027" in excinfo.value.message


def test_a_units_calendar_is_kept_on_it_until_its_settings_or_the_calendar_change(
    hanoi, long_bien, monkeypatch
):
    resolved = []
    resolve = calendar_selectors._schedule_for
    monkeypatch.setattr(
        calendar_selectors,
        "_schedule_for",
        lambda *args: resolved.append(args) or resolve(*args),
    )
    first = calendar_for_unit(unit=long_bien)
    assert calendar_for_unit(unit=long_bien) is first
    assert len(resolved) == 1  # the unit's settings are not resolved again

    long_bien.working_sessions = [["07:00", "11:00"], ["13:00", "16:00"]]  # not saved yet
    edited = calendar_for_unit(unit=long_bien)
    assert edited is not first
    assert edited.due(at("2026-11-17T09:00"), Period.of(1, PeriodUnit.WORKING_DAYS)) == at(
        "2026-11-18T16:00"
    )
    assert calendar_for_unit(unit=long_bien, saturday_reception=True) is not edited

    admin = make_officer("qt.hanoi", hanoi, Role.ADMINISTRATOR)
    local_day_off(admin, dt.date(2026, 11, 18), long_bien)
    assert calendar_for_unit(unit=long_bien).due(
        at("2026-11-17T09:00"), Period.of(1, PeriodUnit.WORKING_DAYS)
    ) == at("2026-11-19T16:00")
