"""Reads for the public pages: statistics per unit, news, hotlines and officers on duty.

Everything here is anonymous and aggregate: no personal data of applicants.
The statistics are one grouped query over the dossiers received in the
period (the ``received_at`` index), one over the survey answers, cached for
``MOTCUA_PUBLIC_STATS_CACHE_SECONDS`` (perf: the portal home is the busiest
page; a year of a province's dossiers takes a few hundred milliseconds to
group, so it must not run on every view).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from motcua.accounts.constants import UnitKind
from motcua.accounts.models import Unit
from motcua.dossiers.constants import Outcome
from motcua.dossiers.models import Dossier
from motcua.feedback.constants import DutySession, Rating
from motcua.feedback.models import DutyAssignment, News, SurveyResponse
from motcua.workcalendar.engine import TZ

# Units shown on the home page's charts (the busiest first).
CHART_UNITS = 10
CACHE_VERSION = 1


@dataclass(frozen=True)
class UnitStatistics:
    """One receiving unit's dossiers in the period, with their timeliness and satisfaction."""

    unit_id: int
    name: str
    received: int
    resolved: int
    early: int
    on_time: int
    late: int
    answers: int
    satisfied: int

    def _share(self, part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def early_pct(self) -> Decimal | None:
        return self._share(self.early, self.resolved)

    @property
    def on_time_pct(self) -> Decimal | None:
        return self._share(self.on_time, self.resolved)

    @property
    def late_pct(self) -> Decimal | None:
        return self._share(self.late, self.resolved)

    @property
    def in_time_pct(self) -> Decimal | None:
        """Early or on time, over resolved (what citizens ask: "were they on time?")."""
        return self._share(self.early + self.on_time, self.resolved)

    @property
    def satisfaction_pct(self) -> Decimal | None:
        return self._share(self.satisfied, self.answers)


@dataclass(frozen=True)
class PublicStatistics:
    """The home page's figures for a period: a total and the busiest units."""

    start: dt.date
    end: dt.date
    total: UnitStatistics
    units: list[UnitStatistics]


def _period_start(today: dt.date) -> dt.date:
    return dt.date(today.year, 1, 1)


def public_statistics(*, today: dt.date | None = None, use_cache: bool = True) -> PublicStatistics:
    """Dossiers received since 1 January by receiving unit, and their outcome; cached."""
    today = today or timezone.localdate()
    key = f"motcua:public-stats:{CACHE_VERSION}:{today.isoformat()}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cast(PublicStatistics, cached)
    stats = _compute(_period_start(today), today)
    if use_cache:
        cache.set(key, stats, settings.MOTCUA_PUBLIC_STATS_CACHE_SECONDS)
    return stats


def _compute(first: dt.date, last: dt.date) -> PublicStatistics:
    start = dt.datetime.combine(first, dt.time.min, tzinfo=TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=TZ)
    rows = cast(
        "list[dict[str, Any]]",
        list(
            Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
            .values("receiving_unit_id")
            .annotate(
                received=Count("pk"),
                early=Count("pk", filter=Q(outcome=Outcome.EARLY)),
                on_time=Count("pk", filter=Q(outcome=Outcome.ON_TIME)),
                late=Count("pk", filter=Q(outcome=Outcome.LATE)),
            )
            .order_by()
        ),
    )
    answers: dict[int, dict[str, Any]] = {
        row["unit_id"]: dict(row)
        for row in SurveyResponse.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(overall__in=[Rating.VERY_SATISFIED, Rating.SATISFIED])),
        )
        .order_by()
    }
    rows.sort(key=lambda row: (-row["received"], row["receiving_unit_id"]))
    names = dict(
        Unit.objects.filter(
            pk__in=[row["receiving_unit_id"] for row in rows[:CHART_UNITS]]
        ).values_list("pk", "name")
    )
    units = []
    for row in rows[:CHART_UNITS]:
        unit_id = row["receiving_unit_id"]
        answer: dict[str, Any] = answers.get(unit_id, {})
        units.append(
            UnitStatistics(
                unit_id=unit_id,
                name=names.get(unit_id, ""),
                received=row["received"],
                resolved=row["early"] + row["on_time"] + row["late"],
                early=row["early"],
                on_time=row["on_time"],
                late=row["late"],
                answers=answer.get("total", 0),
                satisfied=answer.get("satisfied", 0),
            )
        )
    total = UnitStatistics(
        unit_id=0,
        name="",
        received=sum(row["received"] for row in rows),
        resolved=sum(row["early"] + row["on_time"] + row["late"] for row in rows),
        early=sum(row["early"] for row in rows),
        on_time=sum(row["on_time"] for row in rows),
        late=sum(row["late"] for row in rows),
        answers=sum(row["total"] for row in answers.values()),
        satisfied=sum(row["satisfied"] for row in answers.values()),
    )
    return PublicStatistics(start=first, end=last, total=total, units=units)


def news_latest(*, limit: int = 5, now: dt.datetime | None = None) -> list[News]:
    """Published news, newest first (a date in the future schedules an item)."""
    now = now or timezone.now()
    return list(
        News.objects.filter(published_at__lte=now)
        .select_related("unit")
        .order_by("-published_at", "-id")[:limit]
    )


def news_get(*, pk: int, now: dt.datetime | None = None) -> News | None:
    """One published news item, or None."""
    now = now or timezone.now()
    return News.objects.filter(pk=pk, published_at__lte=now).select_related("unit").first()


@dataclass(frozen=True)
class DutyLine:
    """An officer on duty today, as published (name, position, unit, desk)."""

    unit_name: str
    officer_name: str
    position: str
    session: str
    desk: str


def duty_today(*, day: dt.date | None = None, limit: int = 30) -> list[DutyLine]:
    """The officers on duty on ``day``, by unit (the roster published by law)."""
    day = day or timezone.localdate()
    rows = (
        DutyAssignment.objects.filter(day=day)
        .select_related("unit", "officer__user")
        .order_by("unit__name", "session", "officer__user__full_name")[:limit]
    )
    return [
        DutyLine(
            unit_name=row.unit.name,
            officer_name=row.officer.full_name,
            position=row.officer.position,
            session=str(DutySession(row.session).label),
            desk=row.desk,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Hotline:
    """A public service point's telephone."""

    name: str
    phone: str
    address: str


def hotlines(*, limit: int = 12) -> list[Hotline]:
    """Telephones of the service centres and points in force (Thông báo 190/TB-TTPVHCC)."""
    rows = (
        Unit.objects.in_force()
        .filter(kind__in=[UnitKind.SERVICE_CENTRE, UnitKind.BRANCH])
        .exclude(phone="")
        .order_by("name")
        .values_list("name", "phone", "address")[:limit]
    )
    return [Hotline(name=name, phone=phone, address=address) for name, phone, address in rows]
