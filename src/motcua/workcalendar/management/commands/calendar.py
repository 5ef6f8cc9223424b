"""``python -m motcua calendar due|days|load|confirm`` — the working calendar from the shell.

``due`` prints only the appointment as an ISO 8601 instant with offset, so that
scripts can use it: ``2026-02-26T17:00:00+07:00``.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.exceptions import DomainError
from motcua.workcalendar.engine import TZ, CalendarError, Period, PeriodUnit
from motcua.workcalendar.selectors import (
    calendar_days_for_year,
    calendar_for_unit,
    calendar_year_is_confirmed,
)

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _instant(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Thời điểm tiếp nhận không hợp lệ: %(value)s (ví dụ 2026-02-12T09:30).")
            % {"value": value}
        ) from exc
    return parsed.replace(tzinfo=TZ) if parsed.tzinfo is None else parsed


class Command(BaseCommand):
    help = "Lịch làm việc: tính ngày hẹn trả, liệt kê ngày nghỉ, nạp và xác nhận lịch."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)

        due = sub.add_parser("due", help="Tính thời điểm hẹn trả kết quả.")
        due.add_argument("--received", required=True, help="Thời điểm tiếp nhận (ISO 8601).")
        period = due.add_mutually_exclusive_group(required=True)
        period.add_argument("--days", help="Số ngày làm việc (cho phép 0.5).")
        period.add_argument("--hours", help="Số giờ làm việc.")
        period.add_argument("--same-day", action="store_true", help="Giải quyết trong ngày.")
        period.add_argument("--calendar-days", type=int, help="Số ngày (theo lịch).")
        period.add_argument("--months", type=int, help="Số tháng.")
        due.add_argument("--unit", help="Mã đơn vị (dùng lịch và giờ làm việc của đơn vị).")
        due.add_argument(
            "--online",
            action="store_true",
            help="Hồ sơ nộp trực tuyến (ngoài giờ tính từ buổi sau).",
        )
        reception = due.add_mutually_exclusive_group()
        reception.add_argument(
            "--saturday-reception",
            dest="saturday_reception",
            action="store_true",
            default=None,
            help="Có buổi tiếp nhận sáng thứ Bảy.",
        )
        reception.add_argument(
            "--no-saturday-reception",
            dest="saturday_reception",
            action="store_false",
            help="Không tiếp nhận thứ Bảy.",
        )

        days = sub.add_parser("days", help="Liệt kê ngày nghỉ và ngày làm bù của một năm.")
        days.add_argument("--year", type=int, required=True)
        days.add_argument("--unit", help="Mã đơn vị.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "due":
                self._due(options)
            else:
                self._days(options)
        except (CalendarError, DomainError) as exc:
            raise CommandError(str(exc)) from exc

    def _unit(self, code: str | None, on: dt.date) -> Any:
        if not code:
            return None
        from motcua.accounts.selectors import unit_get_by_code

        return unit_get_by_code(code=code, on=on)

    def _due(self, options: dict[str, Any]) -> None:
        received = _instant(options["received"])
        if options["same_day"]:
            period = Period.of(0, PeriodUnit.SAME_DAY)
        elif options["days"] is not None:
            period = Period.of(options["days"], PeriodUnit.WORKING_DAYS)
        elif options["hours"] is not None:
            period = Period.of(options["hours"], PeriodUnit.WORKING_HOURS)
        elif options["calendar_days"] is not None:
            period = Period.of(options["calendar_days"], PeriodUnit.CALENDAR_DAYS)
        else:
            period = Period.of(options["months"], PeriodUnit.MONTHS)
        unit = self._unit(options["unit"], received.astimezone(TZ).date())
        calendar = calendar_for_unit(unit=unit, saturday_reception=options["saturday_reception"])
        due = calendar.due(received, period, online=options["online"])
        self.stdout.write(due.isoformat())

    def _days(self, options: dict[str, Any]) -> None:
        year = options["year"]
        unit = self._unit(options["unit"], dt.date(year, 1, 1))
        confirmed = calendar_year_is_confirmed(year=year)
        status = _("đã xác nhận") if confirmed else _("TẠM TÍNH — chưa có lịch chính thức")
        self.stdout.write(
            _("Lịch nghỉ năm %(year)s: %(status)s") % {"year": year, "status": status}
        )
        for day in calendar_days_for_year(year=year, unit=unit):
            marker = " [" + _("tạm tính") + "]" if day.provisional else ""
            where = f" ({day.unit_name})" if day.unit_name else ""
            self.stdout.write(
                f"{day.date.isoformat()}  {WEEKDAYS[day.date.weekday()]:<8}  "
                f"{'+' if day.is_working else '-'} {day.kind_label:<24}  {day.name}{where}{marker}"
            )
