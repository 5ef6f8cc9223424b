"""Per-unit working settings: defaults, parsing and validation.

A unit stores its own working week, sessions, Saturday reception and
same-day cut-off, or leaves them empty to inherit them from the unit above
(:func:`motcua.accounts.selectors.unit_resolve_settings`). The values are
stored as JSON (``[["08:00", "12:00"], ...]``); this module turns them into
:class:`datetime.time` values and says, in Vietnamese, what is wrong with
bad input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.exceptions import ValidationFailed

Session = tuple[dt.time, dt.time]

SETTING_FIELDS = (
    "working_weekdays",
    "working_sessions",
    "saturday_reception",
    "saturday_sessions",
    "same_day_cutoff",
)

# Monday to Friday, 8:00–12:00 and 13:00–17:00; Saturday reception off (it is
# a per-unit choice, not a working day); same-day procedures received after
# 15:00 are returned the next working day (Decree 61/2018 Art. 19).
DEFAULT_WORKING_WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
DEFAULT_WORKING_SESSIONS: tuple[Session, ...] = (
    (dt.time(8, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(17, 0)),
)
DEFAULT_SATURDAY_RECEPTION = False
DEFAULT_SATURDAY_SESSIONS: tuple[Session, ...] = ((dt.time(8, 0), dt.time(12, 0)),)
DEFAULT_SAME_DAY_CUTOFF = dt.time(15, 0)

_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class UnitWorkingSettings:
    """The working settings in force for a unit, after inheritance and defaults.

    ``working_weekdays`` uses Python's numbering (0 = Monday … 6 = Sunday);
    sessions are ordered, non-overlapping ``(start, end)`` pairs.
    """

    working_weekdays: tuple[int, ...] = DEFAULT_WORKING_WEEKDAYS
    working_sessions: tuple[Session, ...] = DEFAULT_WORKING_SESSIONS
    saturday_reception: bool = DEFAULT_SATURDAY_RECEPTION
    saturday_sessions: tuple[Session, ...] = DEFAULT_SATURDAY_SESSIONS
    same_day_cutoff: dt.time = DEFAULT_SAME_DAY_CUTOFF


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, field=field)


def parse_time(value: Any, *, field: str) -> dt.time:
    """``"08:00"`` or a :class:`datetime.time` → time (whole minutes, within the day)."""
    if isinstance(value, dt.time):
        if value.second or value.microsecond:
            raise _fail(_("Giờ phải tính tròn phút, ví dụ 08:00."), field)
        return value.replace(tzinfo=None)
    match = _HHMM.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise _fail(
            _("“%(value)s” không phải là giờ dạng GG:PP, ví dụ 08:00.") % {"value": value},
            field,
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise _fail(
            _("Giờ “%(value)s” nằm ngoài một ngày (00:00 đến 23:59).") % {"value": value},
            field,
        )
    return dt.time(hour, minute)


def format_time(value: dt.time) -> str:
    """time → ``"HH:MM"`` as stored."""
    return value.strftime("%H:%M")


def parse_weekdays(value: Any, *, field: str = "working_weekdays") -> tuple[int, ...]:
    """A non-empty list of distinct weekday numbers 0–6 → sorted tuple."""
    if not isinstance(value, list | tuple) or not value:
        raise _fail(_("Cần ít nhất một ngày làm việc trong tuần."), field)
    days: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 6:
            raise _fail(
                _("Ngày “%(value)s” không hợp lệ: dùng số từ 0 (thứ Hai) đến 6 (Chủ nhật).")
                % {"value": item},
                field,
            )
        if item in days:
            raise _fail(_("Ngày %(value)s được nhập hai lần.") % {"value": item}, field)
        days.append(item)
    return tuple(sorted(days))


def parse_sessions(value: Any, *, field: str) -> tuple[Session, ...]:
    """A non-empty list of ``[start, end]`` pairs, in order and not overlapping."""
    if not isinstance(value, list | tuple) or not value:
        raise _fail(_("Cần ít nhất một buổi làm việc."), field)
    sessions: list[Session] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Sequence) or isinstance(item, str) or len(item) != 2:
            raise _fail(
                _("Buổi thứ %(number)d phải gồm giờ bắt đầu và giờ kết thúc.")
                % {"number": number},
                field,
            )
        start, end = parse_time(item[0], field=field), parse_time(item[1], field=field)
        if start >= end:
            raise _fail(
                _("Buổi thứ %(number)d: giờ kết thúc %(end)s phải sau giờ bắt đầu %(start)s.")
                % {"number": number, "start": format_time(start), "end": format_time(end)},
                field,
            )
        if sessions and start < sessions[-1][1]:
            raise _fail(
                _(
                    "Buổi thứ %(number)d (từ %(start)s) phải bắt đầu sau khi buổi trước "
                    "kết thúc (%(previous_end)s): các buổi phải theo thứ tự và không chồng nhau."
                )
                % {
                    "number": number,
                    "start": format_time(start),
                    "previous_end": format_time(sessions[-1][1]),
                },
                field,
            )
        sessions.append((start, end))
    return tuple(sessions)


def sessions_to_json(sessions: tuple[Session, ...]) -> list[list[str]]:
    """Sessions → the stored JSON shape ``[["08:00", "12:00"], ...]``."""
    return [[format_time(start), format_time(end)] for start, end in sessions]


def parse_setting(name: str, value: Any) -> Any:
    """Validate one setting and return it in its stored form (``None`` = inherit)."""
    if value is None:
        return None
    if name == "working_weekdays":
        return list(parse_weekdays(value, field=name))
    if name in ("working_sessions", "saturday_sessions"):
        return sessions_to_json(parse_sessions(value, field=name))
    if name == "saturday_reception":
        if not isinstance(value, bool):
            raise _fail(_("Tiếp nhận thứ Bảy phải là có hoặc không."), name)
        return value
    if name == "same_day_cutoff":
        return parse_time(value, field=name)
    raise _fail(_("Không có thiết lập “%(name)s”.") % {"name": name}, name)


def parse_stored(name: str, value: Any) -> Any:
    """A stored (non-null) value → its resolved form (tuples of times, bool, time)."""
    if name == "working_weekdays":
        return parse_weekdays(value, field=name)
    if name in ("working_sessions", "saturday_sessions"):
        return parse_sessions(value, field=name)
    if name == "saturday_reception":
        return bool(value)
    return parse_time(value, field=name)
