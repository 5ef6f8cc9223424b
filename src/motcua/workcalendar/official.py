"""The calendar data motcua ships and the statutory fallback for other years.

* ``data/official_vn.json`` holds the announced schedules (confirmed years).
* For a year with no schedule in the database, the statutory holidays that the
  ``holidays`` package knows (it computes the Vietnamese lunar dates correctly)
  form a *provisional* calendar, and administrators are warned until someone
  confirms the year (product decision 3 in domain.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays

from motcua.workcalendar.constants import DayKind

OFFICIAL_FILE = Path(__file__).resolve().parent / "data" / "official_vn.json"


@dataclass(frozen=True)
class DayEntry:
    """One special date, whatever its source."""

    date: dt.date
    kind: str
    name: str
    legal_basis: str = ""
    needs_confirmation: bool = False

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.MAKEUP_WORKDAY


@lru_cache(maxsize=1)
def official_schedules() -> dict[int, dict[str, Any]]:
    """The bundled official schedules by year: ``{year: {"status", "legal_basis", "days"}}``."""
    raw = json.loads(OFFICIAL_FILE.read_text(encoding="utf-8"))
    result: dict[int, dict[str, Any]] = {}
    for year, body in raw["years"].items():
        days = [
            DayEntry(
                date=dt.date.fromisoformat(item["date"]),
                kind=item["kind"],
                name=item["name"],
                legal_basis=item.get("legal_basis", ""),
                needs_confirmation=bool(item.get("needs_confirmation", False)),
            )
            for item in body["days"]
        ]
        result[int(year)] = {
            "status": body["status"],
            "legal_basis": body.get("legal_basis", ""),
            "days": days,
        }
    return result


@lru_cache(maxsize=64)
def statutory_days(year: int) -> tuple[DayEntry, ...]:
    """The provisional days of ``year`` from the ``holidays`` package (never lunar maths here)."""
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    entries = []
    for day, name in sorted(calendar.items()):
        lowered = name.lower()
        if "nghỉ bù" in lowered:
            kind = DayKind.COMPENSATORY
        elif lowered.startswith("ngày nghỉ (thay cho"):
            kind = DayKind.SWAP_DAY_OFF
        else:
            kind = DayKind.HOLIDAY
        entries.append(
            DayEntry(date=day, kind=kind, name=name, legal_basis="Bộ luật Lao động 2019, Điều 112")
        )
    for day in sorted(calendar.weekend_workdays):
        if day.year == year:
            entries.append(
                DayEntry(
                    date=day,
                    kind=DayKind.MAKEUP_WORKDAY,
                    name="Ngày làm bù",
                    legal_basis="Bộ luật Lao động 2019, Điều 112",
                )
            )
    return tuple(sorted(entries, key=lambda entry: entry.date))
