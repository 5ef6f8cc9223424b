"""The internal process (quy trình nội bộ): checking step shares and a default process.

Shares are in working days or working hours, halves allowed. For checking,
one working day counts as eight working hours (the catalog is the same for
every unit; each unit's calendar turns shares into deadlines).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.accounts.constants import Role, UnitKind
from motcua.catalog.constants import ShareUnit
from motcua.core.exceptions import ValidationFailed
from motcua.core.formatting import number_vi
from motcua.workcalendar.engine import Period, PeriodUnit

HOURS_PER_DAY = Decimal(8)
HALF = Decimal("0.5")


@dataclass(frozen=True)
class StepSpec:
    """A step of the internal process before it is stored."""

    name: str
    share_value: Decimal
    share_unit: str = ShareUnit.WORKING_DAYS
    responsible_unit_kind: str = ""
    responsible_role: str = ""
    runs_in_other_agency: bool = False
    agency_name: str = ""
    is_signing: bool = False

    @property
    def hours(self) -> Decimal:
        if self.share_unit == ShareUnit.WORKING_HOURS:
            return self.share_value
        return self.share_value * HOURS_PER_DAY


def legal_hours(period: Period) -> Decimal | None:
    """The legal time in working hours (8 a day), or None for calendar days and months."""
    if period.unit == PeriodUnit.WORKING_DAYS:
        return period.value * HOURS_PER_DAY
    if period.unit == PeriodUnit.WORKING_HOURS:
        return period.value
    if period.unit == PeriodUnit.SAME_DAY:
        return HOURS_PER_DAY
    # Calendar days and months do not convert to working time exactly.
    return None


def _as_period_text(hours: Decimal, like: Period) -> str:
    if like.unit == PeriodUnit.WORKING_HOURS or hours < HOURS_PER_DAY:
        return _("%(n)s giờ làm việc") % {"n": number_vi(hours)}
    return _("%(n)s ngày làm việc") % {"n": number_vi(hours / HOURS_PER_DAY)}


def process_validate(*, steps: Sequence[StepSpec], period: Period | None) -> None:
    """Refuse an internal process whose shares do not add up to the legal time.

    The error names the step that is off: the first step at which the running
    total passes the legal time, or the last step when time is left over.
    """
    if not steps:
        raise ValidationFailed(_("Quy trình nội bộ cần ít nhất một bước."), field="steps")
    for position, step in enumerate(steps, start=1):
        if not step.name.strip():
            raise ValidationFailed(
                _("Bước %(n)s chưa có tên.") % {"n": position}, field="steps", step=position
            )
        if step.share_value <= 0 or (step.share_value / HALF) % 1 != 0:
            raise ValidationFailed(
                _("Bước %(n)s «%(name)s»: thời gian phải là bội số của 0,5 và lớn hơn 0.")
                % {"n": position, "name": step.name},
                field="steps",
                step=position,
            )
        if step.runs_in_other_agency and not step.agency_name.strip():
            raise ValidationFailed(
                _("Bước %(n)s «%(name)s» thực hiện liên thông: cần ghi tên cơ quan phối hợp.")
                % {"n": position, "name": step.name},
                field="steps",
                step=position,
            )
    if period is None:
        raise ValidationFailed(
            _("Chưa xác định được thời hạn giải quyết của thủ tục; cần rà soát thời hạn trước."),
            field="steps",
        )
    legal = legal_hours(period)
    if legal is None:
        return
    running = Decimal(0)
    for position, step in enumerate(steps, start=1):
        running += step.hours
        if running > legal:
            raise ValidationFailed(
                _(
                    "Bước %(n)s «%(name)s» làm vượt thời hạn: cộng dồn đến bước này là "
                    "%(total)s, thời hạn giải quyết là %(legal)s."
                )
                % {
                    "n": position,
                    "name": step.name,
                    "total": _as_period_text(running, period),
                    "legal": _as_period_text(legal, period),
                },
                field="steps",
                step=position,
            )
    if running < legal:
        raise ValidationFailed(
            _(
                "Các bước mới phân bổ %(total)s trên thời hạn %(legal)s: còn thiếu %(missing)s "
                "(bước cuối là bước %(n)s «%(name)s»)."
            )
            % {
                "total": _as_period_text(running, period),
                "legal": _as_period_text(legal, period),
                "missing": _as_period_text(legal - running, period),
                "n": len(steps),
                "name": steps[-1].name,
            },
            field="steps",
            step=len(steps),
        )


def default_process(period: Period | None) -> list[StepSpec]:
    """A commune's usual process for a statutory period: receipt → processing → signing → return.

    Used for imported procedures until the unit approves its own process.
    """
    receipt = _("Tiếp nhận, kiểm tra và chuyển hồ sơ")
    processing = _("Thẩm định, xử lý hồ sơ")
    signing = _("Lãnh đạo xem xét, ký duyệt")
    returning = _("Vào sổ, trả kết quả")
    hours = legal_hours(period) if period is not None else None
    if period is not None and hours is None:
        # Calendar days and months: an approximate working-day budget (five
        # working days a week, twenty a month); the checker does not compare
        # such periods with the legal time.
        per_unit = Decimal(5) / 7 if period.unit == PeriodUnit.CALENDAR_DAYS else Decimal(20)
        days = (period.value * per_unit / HALF).to_integral_value(rounding="ROUND_FLOOR") * HALF
        hours = max(Decimal(2), days) * HOURS_PER_DAY
    if hours is None:
        hours = HOURS_PER_DAY
    counter = (UnitKind.SERVICE_CENTRE, Role.COUNTER_OFFICER)
    specialist = (UnitKind.DEPARTMENT, Role.SPECIALIST)
    leader = (UnitKind.COMMUNE, Role.LEADER)

    def step(name: str, value: Decimal, unit: str, who: tuple[str, str]) -> StepSpec:
        return StepSpec(
            name,
            value,
            unit,
            responsible_unit_kind=who[0],
            responsible_role=who[1],
            is_signing=who is leader,
        )

    if hours >= 2 * HOURS_PER_DAY:
        days = hours / HOURS_PER_DAY
        return [
            step(receipt, HALF, ShareUnit.WORKING_DAYS, counter),
            step(processing, days - 3 * HALF, ShareUnit.WORKING_DAYS, specialist),
            step(signing, HALF, ShareUnit.WORKING_DAYS, leader),
            step(returning, HALF, ShareUnit.WORKING_DAYS, counter),
        ]
    if hours >= 4:
        return [
            step(receipt, HALF, ShareUnit.WORKING_HOURS, counter),
            step(processing, hours - 2, ShareUnit.WORKING_HOURS, specialist),
            step(signing, Decimal(1), ShareUnit.WORKING_HOURS, leader),
            step(returning, HALF, ShareUnit.WORKING_HOURS, counter),
        ]
    return [step(processing, hours, ShareUnit.WORKING_HOURS, specialist)]
