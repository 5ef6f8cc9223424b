"""Geometry of the evaluation trend charts, drawn by templates as inline SVG.

Pure functions over plain numbers: no Django, no database, no gettext (the
caller passes labels already translated). Coordinates are in SVG user units
with the origin at the top left, so a larger value has a smaller ``y``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
# Room for the value axis on the left and the month labels underneath.
LEFT = 36
RIGHT = 8
TOP = 12
BOTTOM = 28
# Share of a column's slot the bar fills; the rest is the gap between bars.
BAR_SHARE = 0.6


@dataclass(frozen=True)
class Box:
    """The plot area inside the chart."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def tick_x(self) -> float:
        """Where the value labels end, just left of the plot."""
        return self.left - 6


@dataclass(frozen=True)
class Tick:
    """A value-axis gridline."""

    value: int
    y: float


@dataclass(frozen=True)
class Segment:
    """One series' part of a stacked bar; zero counts get no segment."""

    series: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Bar:
    """One column (a month): its stacked segments and its label underneath."""

    label: str
    total: int
    x: float
    width: float
    label_x: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class QuotaMark:
    """The cap on the top level for one column, a horizontal stroke across its slot."""

    value: int
    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    plot: Box
    label_y: float
    top_value: int
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    quota: tuple[QuotaMark, ...]

    @property
    def quota_path(self) -> str:
        """The quota marks joined into one stepped SVG path (empty without a quota)."""
        parts = []
        previous: QuotaMark | None = None
        for mark in self.quota:
            # A month without a cycle has no cap: the line breaks there.
            joined = previous is not None and previous.x2 == mark.x1
            parts.append(f"{'L' if joined else 'M'}{mark.x1:g},{mark.y:g}")
            parts.append(f"H{mark.x2:g}")
            previous = mark
        return " ".join(parts)


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot: Box
    label_y: float
    top_value: int
    ticks: tuple[Tick, ...]
    # Every column's label position, whether or not it has a value.
    labels: tuple[tuple[str, float], ...]
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """The points joined in order; a month without a value is skipped, not zero."""
        return " ".join(
            f"{'M' if index == 0 else 'L'}{point.x:g},{point.y:g}"
            for index, point in enumerate(self.points)
        )


def _box(width: int, height: int) -> Box:
    return Box(left=LEFT, top=TOP, right=width - RIGHT, bottom=height - BOTTOM)


def nice_top(value: float, *, minimum: int = 1) -> int:
    """The smallest 1, 2, 5 × 10ⁿ at or above ``value`` (and ``minimum``), for round ticks."""
    value = max(value, minimum)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _ticks(box: Box, top_value: int) -> tuple[Tick, ...]:
    # At most five round, whole-number steps: counts of people have no halves.
    step = nice_top(top_value / 5)
    return tuple(
        Tick(value=value, y=_y(box, value, top_value)) for value in range(0, top_value + 1, step)
    )


def _y(box: Box, value: float, top_value: int) -> float:
    return round(box.bottom - box.height * value / top_value, 2)


def stacked_bars(
    *,
    columns: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    quota: Sequence[int | None] | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> StackedChart:
    """Stacked bars, one per ``(label, counts)`` column, counts in ``series`` order.

    ``quota`` gives, per column, the cap on the first series (``None`` where
    the column has none); the axis is stretched to show the highest cap.
    """
    box = _box(width, height)
    caps = list(quota or [])
    highest = max([sum(counts) for _, counts in columns] + [cap or 0 for cap in caps] + [0])
    top_value = nice_top(highest)
    slot = box.width / len(columns) if columns else box.width
    bar_width = round(slot * BAR_SHARE, 2)
    bars = []
    marks = []
    for index, (label, counts) in enumerate(columns):
        slot_left = box.left + slot * index
        x = round(slot_left + (slot - bar_width) / 2, 2)
        segments = []
        running = 0
        for name, count in zip(series, counts, strict=True):
            if count <= 0:
                continue
            y_top = _y(box, running + count, top_value)
            segments.append(
                Segment(
                    series=name,
                    count=count,
                    x=x,
                    y=y_top,
                    width=bar_width,
                    height=round(_y(box, running, top_value) - y_top, 2),
                )
            )
            running += count
        bars.append(
            Bar(
                label=label,
                total=running,
                x=x,
                width=bar_width,
                label_x=round(slot_left + slot / 2, 2),
                segments=tuple(segments),
            )
        )
        cap = caps[index] if index < len(caps) else None
        if cap is not None:
            marks.append(
                QuotaMark(
                    value=cap,
                    x1=round(slot_left, 2),
                    x2=round(slot_left + slot, 2),
                    y=_y(box, cap, top_value),
                )
            )
    return StackedChart(
        width=width,
        height=height,
        plot=box,
        label_y=box.bottom + 18,
        top_value=top_value,
        ticks=_ticks(box, top_value),
        bars=tuple(bars),
        quota=tuple(marks),
    )


def line_points(
    *,
    values: Sequence[tuple[str, float | None]],
    top_value: int = 100,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """A line through ``(label, value)`` columns; ``None`` values leave a column empty.

    Scores are drawn on a fixed 0–``top_value`` scale so months and officers
    compare at a glance; a higher value stretches the axis.
    """
    box = _box(width, height)
    present = [value for _, value in values if value is not None]
    top = top_value if not present or max(present) <= top_value else nice_top(max(present))
    slot = box.width / len(values) if values else box.width
    labels = []
    points = []
    for index, (label, value) in enumerate(values):
        x = round(box.left + slot * index + slot / 2, 2)
        labels.append((label, x))
        if value is not None:
            points.append(Point(label=label, value=value, x=x, y=_y(box, value, top)))
    return LineChart(
        width=width,
        height=height,
        plot=box,
        label_y=box.bottom + 18,
        top_value=top,
        ticks=_ticks(box, top),
        labels=tuple(labels),
        points=tuple(points),
    )
