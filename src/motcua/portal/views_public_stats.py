"""The portal home with public statistics, news, hotlines and officers on duty.

Thin: read through :mod:`motcua.feedback.selectors_public` (the statistics
are cached there), shape the figures into bars for a server-rendered SVG
chart (no JavaScript, no CDN; each chart has a table for screen readers),
render.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.feedback.selectors_public import (
    PublicStatistics,
    UnitStatistics,
    duty_today,
    hotlines,
    news_get,
    news_latest,
    public_statistics,
)

# Geometry of the timeliness chart (SVG user units; it scales with the page).
BAR_LEFT = 0
BAR_WIDTH = 100


@dataclass(frozen=True)
class BarSegment:
    """One coloured part of a unit's bar: x and width in per cent of the bar."""

    kind: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class UnitBar:
    """A unit's row in the charts."""

    stats: UnitStatistics
    segments: list[BarSegment]
    satisfaction_width: float


def _segments(stats: UnitStatistics) -> list[BarSegment]:
    segments = []
    x = 0.0
    for kind, count in (("early", stats.early), ("on_time", stats.on_time), ("late", stats.late)):
        width = 100.0 * count / stats.resolved if stats.resolved else 0.0
        segments.append(BarSegment(kind=kind, x=round(x, 2), width=round(width, 2), count=count))
        x += width
    return segments


def _bars(stats: PublicStatistics) -> list[UnitBar]:
    return [
        UnitBar(
            stats=unit,
            segments=_segments(unit),
            satisfaction_width=float(unit.satisfaction_pct or Decimal(0)),
        )
        for unit in stats.units
    ]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The portal home: search, quick links, statistics per unit, news, hotlines, duty roster."""
    stats = public_statistics()
    context = {
        "stats": stats,
        "bars": _bars(stats),
        "total_segments": _segments(stats.total),
        "news": news_latest(limit=5),
        "hotlines": hotlines(),
        "duty": duty_today(),
    }
    return render(request, "portal/home.html", context)


@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """``/tin-tuc/<id>/``: one news item about administrative reform."""
    item = news_get(pk=pk)
    if item is None:
        raise Http404
    return render(request, "portal/feedback/news_detail.html", {"item": item})
