"""The appointment rules with real dates, through ``python -m motcua calendar due``.

Each case is worked by hand from the official schedules (domain.md section 4.3)
and the counting rules (R5–R7); the comment beside it shows the count.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def due(*args: str) -> str:
    out = StringIO()
    call_command("calendar", "due", *args, stdout=out)
    return out.getvalue().strip()


pytestmark = pytest.mark.django_db

CASES = [
    # --- the issue's own example: Tết Bính Ngọ 2026 (off Sat 14/2 – Sun 22/2) ---
    # Thu 12/2 → Fri 13/2 (1), Mon 23/2 (2) … Thu 26/2 (5).
    (
        "tet_2026_example",
        ["--received", "2026-02-12T09:30", "--days", "5"],
        "2026-02-26T17:00:00+07:00",
    ),
    # Fri 13/2 afternoon, 1 day → the first working day after Tết is Mon 23/2.
    (
        "tet_2026_one_day",
        ["--received", "2026-02-13T14:00", "--days", "1"],
        "2026-02-23T17:00:00+07:00",
    ),
    # --- Tết Ất Tỵ 2025 (off Sat 25/1 – Sun 2/2) ---
    # Fri 24/1 → Mon 3/2 (1), Tue 4/2 (2), Wed 5/2 (3).
    ("tet_2025", ["--received", "2025-01-24T10:00", "--days", "3"], "2025-02-05T17:00:00+07:00"),
    # Thu 23/1 → Fri 24/1 (1), Mon 3/2 (2), Tue 4/2 (3).
    (
        "tet_2025_before",
        ["--received", "2025-01-23T10:00", "--days", "3"],
        "2025-02-04T17:00:00+07:00",
    ),
    # --- 30/4 – 1/5 2025: Fri 2/5 swapped for the make-up Saturday 26/4 ---
    # Fri 25/4 → Sat 26/4 make-up (1), Mon 28/4 (2).
    (
        "makeup_saturday_2025",
        ["--received", "2025-04-25T09:00", "--days", "2"],
        "2025-04-28T17:00:00+07:00",
    ),
    # … Tue 29/4 (3); Wed 30/4, Thu 1/5 holidays, Fri 2/5 swapped off → Mon 5/5 (4).
    (
        "swapped_friday_2025",
        ["--received", "2025-04-25T09:00", "--days", "4"],
        "2025-05-05T17:00:00+07:00",
    ),
    # Hours across the make-up Saturday: Fri 16:00–17:00 (1 h), Sat 26/4 08:00–11:00 (3 h).
    (
        "makeup_saturday_hours",
        ["--received", "2025-04-25T16:00", "--hours", "4"],
        "2025-04-26T11:00:00+07:00",
    ),
    # A same-day procedure received on the make-up Saturday is due that evening.
    (
        "makeup_saturday_same_day",
        ["--received", "2025-04-26T10:00", "--same-day"],
        "2025-04-26T17:00:00+07:00",
    ),
    # --- Giỗ Tổ 2026 falls on Sunday 26/4: compensatory Monday 27/4 ---
    # Fri 24/4 → Mon 27/4 off → Tue 28/4 (1).
    (
        "gio_to_2026_sunday",
        ["--received", "2026-04-24T09:00", "--days", "1"],
        "2026-04-28T17:00:00+07:00",
    ),
    # Tue 28/4 (1), Wed 29/4 (2); Thu 30/4, Fri 1/5 holidays → Mon 4/5 (3).
    (
        "gio_to_and_30_4_2026",
        ["--received", "2026-04-24T09:00", "--days", "3"],
        "2026-05-04T17:00:00+07:00",
    ),
    # --- Quốc khánh 2026: off Sat 29/8 – Wed 2/9, Mon 31/8 swapped for Sat 22/8 ---
    # Fri 28/8 → Thu 3/9 (1).
    (
        "quoc_khanh_2026",
        ["--received", "2026-08-28T10:00", "--days", "1"],
        "2026-09-03T17:00:00+07:00",
    ),
    # Fri 21/8 → Sat 22/8 make-up (1), Mon 24 (2) … Thu 27/8 (5).
    (
        "quoc_khanh_2026_makeup",
        ["--received", "2026-08-21T10:00", "--days", "5"],
        "2026-08-27T17:00:00+07:00",
    ),
    # Fri 28/8 → Thu 3/9 (1), Fri 4/9 (2).
    (
        "quoc_khanh_2026_two_days",
        ["--received", "2026-08-28T10:00", "--days", "2"],
        "2026-09-04T17:00:00+07:00",
    ),
    # --- the 15:00 rule for same-day procedures (R6) ---
    (
        "same_day_before_cutoff",
        ["--received", "2026-11-17T14:59", "--same-day"],
        "2026-11-17T17:00:00+07:00",
    ),
    (
        "same_day_at_cutoff",
        ["--received", "2026-11-17T15:00", "--same-day"],
        "2026-11-17T17:00:00+07:00",
    ),
    (
        "same_day_after_cutoff",
        ["--received", "2026-11-17T15:01", "--same-day"],
        "2026-11-18T17:00:00+07:00",
    ),
    # Friday after 15:00 → Monday.
    (
        "same_day_friday_late",
        ["--received", "2026-11-13T15:30", "--same-day"],
        "2026-11-16T17:00:00+07:00",
    ),
    # Friday before Tết after 15:00 → the first working day after Tết.
    (
        "same_day_before_tet",
        ["--received", "2026-02-13T15:30", "--same-day"],
        "2026-02-23T17:00:00+07:00",
    ),
    # Giỗ Tổ 2026: Fri 24/4 after 15:00 → Tue 28/4 (Mon 27/4 is compensatory).
    (
        "same_day_gio_to",
        ["--received", "2026-04-24T15:30", "--same-day"],
        "2026-04-28T17:00:00+07:00",
    ),
    # --- online receipt outside working sessions ---
    # Scenario 4: Sat 21:40 → received Mon 23/11 08:00; 8 working hours → Mon 17:00.
    (
        "online_saturday_night_hours",
        ["--received", "2026-11-21T21:40", "--hours", "8", "--online"],
        "2026-11-23T17:00:00+07:00",
    ),
    # Received Mon 23/11 08:00; Tue 24/11 is Vietnam Culture Day → Wed 25/11 (1), Thu 26/11 (2).
    (
        "online_saturday_night_days",
        ["--received", "2026-11-21T21:40", "--days", "2", "--online"],
        "2026-11-26T17:00:00+07:00",
    ),
    # Tue 19:00 → received Wed 08:00 → 8 h → Wed 17:00.
    (
        "online_evening_hours",
        ["--received", "2025-09-30T19:00", "--hours", "8", "--online"],
        "2025-10-01T17:00:00+07:00",
    ),
    # Over lunch: 12:30 counts from 13:00; a same-day procedure is due at 17:00.
    (
        "online_lunch_same_day",
        ["--received", "2026-11-17T12:30", "--same-day", "--online"],
        "2026-11-17T17:00:00+07:00",
    ),
    # Online at 06:00 on Tết Eve 2026 → received Mon 23/2 08:00 → 4 h → 12:00.
    (
        "online_during_tet_hours",
        ["--received", "2026-02-16T06:00", "--hours", "4", "--online"],
        "2026-02-23T12:00:00+07:00",
    ),
    # Online 21:00 on a weekday, same-day → received next morning → due that evening.
    (
        "online_night_same_day",
        ["--received", "2026-11-17T21:00", "--same-day", "--online"],
        "2026-11-18T17:00:00+07:00",
    ),
    # --- periods in working hours ---
    # 09:10 + 4 h: 09:10–12:00 (2 h 50), 13:00–14:10 (1 h 10).
    (
        "hours_over_lunch",
        ["--received", "2026-11-17T09:10", "--hours", "4"],
        "2026-11-17T14:10:00+07:00",
    ),
    # Wed 29/4 14:00 + 8 h: 3 h on Wed; 30/4–3/5 off; Mon 4/5 08:00–12:00, 13:00–14:00.
    (
        "hours_over_holidays",
        ["--received", "2026-04-29T14:00", "--hours", "8"],
        "2026-05-04T14:00:00+07:00",
    ),
    # Exactly to the close: 08:00 + 8 h is 17:00 the same day, not 08:00 the next.
    (
        "hours_to_close",
        ["--received", "2026-11-17T08:00", "--hours", "8"],
        "2026-11-17T17:00:00+07:00",
    ),
    # Half a working day is 4 working hours.
    ("half_day", ["--received", "2026-11-17T09:10", "--days", "0.5"], "2026-11-17T14:10:00+07:00"),
    # --- Saturday reception on and off (R7) ---
    # A same-day procedure at a Saturday reception session is handled on the spot.
    (
        "saturday_on_same_day",
        ["--received", "2026-11-21T09:00", "--same-day", "--saturday-reception"],
        "2026-11-21T12:00:00+07:00",
    ),
    # Without Saturday reception it waits for the next working day.
    (
        "saturday_off_same_day",
        ["--received", "2026-11-21T09:00", "--same-day", "--no-saturday-reception"],
        "2026-11-23T17:00:00+07:00",
    ),
    # Saturday is not a processing day: day 1 is Monday either way.
    (
        "saturday_on_days",
        ["--received", "2026-11-21T09:00", "--days", "1", "--saturday-reception"],
        "2026-11-23T17:00:00+07:00",
    ),
    (
        "saturday_off_days",
        ["--received", "2026-11-21T09:00", "--days", "1", "--no-saturday-reception"],
        "2026-11-23T17:00:00+07:00",
    ),
    # Hours received on Saturday start on Monday morning.
    (
        "saturday_on_hours",
        ["--received", "2026-11-21T09:00", "--hours", "2", "--saturday-reception"],
        "2026-11-23T10:00:00+07:00",
    ),
    # After the Saturday session closes, same-day waits for Monday.
    (
        "saturday_on_after_session",
        ["--received", "2026-11-21T12:30", "--same-day", "--saturday-reception"],
        "2026-11-23T17:00:00+07:00",
    ),
    # No Saturday reception inside the Tết block (Sat 14/2/2026 is a day off).
    (
        "saturday_on_during_tet",
        ["--received", "2026-02-14T09:00", "--same-day", "--saturday-reception"],
        "2026-02-23T17:00:00+07:00",
    ),
    # --- other period units of the catalog ---
    # 15 calendar days from Fri 6/2/2026 → Sat 21/2 (Tết) → next working day Mon 23/2.
    (
        "calendar_days",
        ["--received", "2026-02-06T10:00", "--calendar-days", "15"],
        "2026-02-23T17:00:00+07:00",
    ),
    # One month from 31/1/2026 → 28/2/2026 is a Saturday → Mon 2/3.
    ("months", ["--received", "2026-01-31T10:00", "--months", "1"], "2026-03-02T17:00:00+07:00"),
    # An explicit offset is honoured: 02:30 UTC is 09:30 in Hà Nội.
    (
        "utc_input",
        ["--received", "2026-02-12T02:30+00:00", "--days", "5"],
        "2026-02-26T17:00:00+07:00",
    ),
]


@pytest.mark.parametrize(("args", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_due_command(args: list[str], expected: str) -> None:
    assert due(*args) == expected


def test_due_command_prints_only_the_instant() -> None:
    out = StringIO()
    call_command("calendar", "due", "--received", "2026-02-12T09:30", "--days", "5", stdout=out)
    assert out.getvalue() == "2026-02-26T17:00:00+07:00\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--received", "12/02/2026", "--days", "5"],
        ["--received", "2026-02-12T09:30", "--days", "abc"],
        ["--received", "2026-02-12T09:30", "--days", "0"],
        ["--received", "2026-02-12T09:30", "--days", "-3"],
    ],
)
def test_due_command_refuses_bad_input_with_a_message(args: list[str]) -> None:
    with pytest.raises(CommandError) as excinfo:
        due(*args)
    assert str(excinfo.value)


def test_days_command_lists_days_off_and_makeup_days_2026() -> None:
    out = StringIO()
    call_command("calendar", "days", "--year", "2026", stdout=out)
    text = out.getvalue()
    assert "đã xác nhận" in text.splitlines()[0]
    assert "2026-01-02" in text  # swapped Friday (dispatch 12729/VPCP-KGVX)
    assert "2026-01-10" in text and "+ Ngày làm bù" in text  # its make-up Saturday
    assert "2026-04-27" in text  # Giỗ Tổ compensatory Monday
    culture_day = next(line for line in text.splitlines() if line.startswith("2026-11-24"))
    assert "tạm tính" in culture_day  # legal basis awaiting confirmation


def test_days_command_marks_a_year_without_schedule_provisional() -> None:
    out = StringIO()
    call_command("calendar", "days", "--year", "2027", stdout=out)
    lines = out.getvalue().splitlines()
    assert "TẠM TÍNH" in lines[0]
    assert any(line.startswith("2027-02-08") for line in lines)  # Tết Đinh Mùi, lunar
    assert all("tạm tính" in line for line in lines[1:])


def test_due_command_uses_the_units_saturday_reception() -> None:
    from motcua.accounts.tests.factories import UnitFactory

    hanoi = UnitFactory(code="01", name="Thành phố Hà Nội", kind="province")
    UnitFactory(
        code="00145",
        name="Phường Long Biên",
        kind="commune",
        parent=hanoi,
        valid_from="2025-07-01",
        saturday_reception=True,
    )
    UnitFactory(code="10273", name="Xã Phú Xuyên", kind="commune", parent=hanoi)
    saturday = ["--received", "2026-11-21T09:00", "--same-day"]

    assert due(*saturday, "--unit", "00145") == "2026-11-21T12:00:00+07:00"
    assert due(*saturday, "--unit", "10273") == "2026-11-23T17:00:00+07:00"
    with pytest.raises(CommandError):
        due(*saturday, "--unit", "99999")
