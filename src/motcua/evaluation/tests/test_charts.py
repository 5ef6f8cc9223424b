"""Trend charts: the geometry of ``evaluation.charts`` and the SVG on the staff pages."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Officer
from motcua.dossiers.tests.conftest import at
from motcua.evaluation import charts, services
from motcua.evaluation.constants import Grade, SheetStatus
from motcua.evaluation.models import Cycle, Sheet
from motcua.evaluation.tests.conftest import Office

SERIES = ["excellent", "good", "completed", "not_completed"]
MONTHS = [f"T{month}" for month in range(1, 13)]

# --- geometry (no database) ----------------------------------------------------------


def test_an_empty_year_has_twelve_empty_bars_and_no_quota() -> None:
    """Twelve columns without cycles draw no segment and no quota line; the axis still runs 0–1."""
    chart = charts.stacked_bars(
        columns=[(label, [0, 0, 0, 0]) for label in MONTHS],
        series=SERIES,
        quota=[None] * 12,
    )
    assert len(chart.bars) == 12
    assert all(bar.segments == () and bar.total == 0 for bar in chart.bars)
    assert chart.quota == () and chart.quota_path == ""
    assert chart.top_value == 1
    assert [tick.value for tick in chart.ticks] == [0, 1]
    # Bars sit in order, inside the plot, evenly spaced.
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs) and xs[0] > chart.plot.left
    assert chart.bars[-1].x + chart.bars[-1].width < chart.plot.right


def test_no_columns_at_all_is_an_empty_chart() -> None:
    chart = charts.stacked_bars(columns=[], series=SERIES)
    assert chart.bars == () and chart.quota == ()


def test_one_month_stacks_from_the_baseline_in_series_order() -> None:
    """1 excellent, 3 good, 0 completed, 1 not completed on a 0–5 axis: 20 %, 60 %, 20 %."""
    chart = charts.stacked_bars(columns=[("T11", [1, 3, 0, 1])], series=SERIES, quota=[0])
    (bar,) = chart.bars
    plot = chart.plot
    assert chart.top_value == 5 and bar.total == 5
    assert [segment.series for segment in bar.segments] == ["excellent", "good", "not_completed"]
    excellent, good, not_completed = bar.segments
    assert excellent.y + excellent.height == pytest.approx(plot.bottom)
    assert excellent.height == pytest.approx(plot.height * 0.2)
    assert good.y + good.height == pytest.approx(excellent.y)
    assert good.height == pytest.approx(plot.height * 0.6)
    assert not_completed.y == pytest.approx(plot.top)
    assert bar.label == "T11" and bar.label_x == pytest.approx(plot.left + plot.width / 2)


def test_all_grades_zero_in_a_cycle_draws_no_segment_but_keeps_the_quota_at_zero() -> None:
    """A month opened but not decided yet: nothing stacked, the quota line on the baseline."""
    chart = charts.stacked_bars(columns=[("T1", [0, 0, 0, 0])], series=SERIES, quota=[0])
    assert chart.bars[0].segments == ()
    (mark,) = chart.quota
    assert mark.value == 0 and mark.y == pytest.approx(chart.plot.bottom)


def test_the_quota_line_sits_at_the_cap_and_stretches_the_axis() -> None:
    """Cap 2 over a bar of 4 on a 0–5 axis is at 40 % height; a cap of 12 lifts the axis to 20."""
    chart = charts.stacked_bars(
        columns=[("T1", [1, 3, 0, 0]), ("T2", [0, 0, 0, 0])], series=SERIES, quota=[2, None]
    )
    (mark,) = chart.quota
    plot = chart.plot
    assert chart.top_value == 5
    assert mark.y == pytest.approx(plot.bottom - plot.height * 2 / 5)
    assert (mark.x1, mark.x2) == (
        pytest.approx(plot.left),
        pytest.approx(plot.left + plot.width / 2),
    )
    assert chart.quota_path == f"M{mark.x1:g},{mark.y:g} H{mark.x2:g}"

    stretched = charts.stacked_bars(columns=[("T1", [1, 3, 0, 0])], series=SERIES, quota=[12])
    assert stretched.top_value == 20
    assert stretched.quota[0].y == pytest.approx(plot.bottom - plot.height * 12 / 20)


def test_ticks_are_whole_even_steps() -> None:
    def ticks(highest: int) -> list[int]:
        chart = charts.stacked_bars(columns=[("T1", [highest, 0, 0, 0])], series=SERIES)
        return [tick.value for tick in chart.ticks]

    assert ticks(2) == [0, 1, 2]
    assert ticks(4) == [0, 1, 2, 3, 4, 5]
    assert ticks(9) == [0, 2, 4, 6, 8, 10]
    assert ticks(35) == [0, 10, 20, 30, 40, 50]


def test_the_quota_line_breaks_at_a_month_without_a_cycle() -> None:
    chart = charts.stacked_bars(
        columns=[("T1", [0, 1, 0, 0]), ("T2", [0, 1, 0, 0]), ("T3", [0, 0, 0, 0])],
        series=SERIES,
        quota=[0, None, 1],
    )
    assert [mark.value for mark in chart.quota] == [0, 1]
    assert chart.quota_path.count("M") == 2 and "L" not in chart.quota_path
    adjacent = charts.stacked_bars(
        columns=[("T1", [0, 1, 0, 0]), ("T2", [0, 1, 0, 0])], series=SERIES, quota=[0, 1]
    )
    assert adjacent.quota_path.count("M") == 1 and adjacent.quota_path.count("L") == 1


def test_nice_top_rounds_up_to_1_2_5() -> None:
    assert [charts.nice_top(value) for value in (0, 1, 3, 7, 11, 40, 101)] == [
        1,
        1,
        5,
        10,
        20,
        50,
        200,
    ]


def test_a_score_line_skips_undecided_months_and_uses_a_0_100_scale() -> None:
    values: list[tuple[str, float | None]] = [(label, None) for label in MONTHS]
    values[0] = ("T1", 100.0)
    values[2] = ("T3", 50.0)
    chart = charts.line_points(values=values)
    plot = chart.plot
    assert chart.top_value == 100 and len(chart.labels) == 12
    first, third = chart.points
    assert first.y == pytest.approx(plot.top) and third.y == pytest.approx(
        plot.top + plot.height / 2
    )
    assert third.x - first.x == pytest.approx(2 * plot.width / 12, abs=0.02)
    assert chart.path == f"M{first.x:g},{first.y:g} L{third.x:g},{third.y:g}"


def test_an_empty_score_year_has_labels_but_no_line() -> None:
    chart = charts.line_points(values=[(label, None) for label in MONTHS])
    assert chart.points == () and chart.path == "" and len(chart.labels) == 12


# --- the pages ------------------------------------------------------------------------


def client_for(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def open_month(office: Office, month: int) -> Cycle:
    with time_machine.travel(at(f"2026-{month:02d}-25T09:00"), tick=False):
        return services.cycle_open(unit=office.office, year=2026, month=month)


def decide(cycle: Cycle, officer: Officer, grade: Grade, total: str) -> None:
    # Constructed state: the workflow itself is covered by test_services_cycle.
    Sheet.objects.filter(cycle=cycle, officer=officer).update(
        status=SheetStatus.DECIDED, final_grade=grade, final_total=Decimal(total)
    )


@pytest.mark.django_db
def test_the_summary_page_draws_a_bar_per_month_and_a_segment_per_level(office: Office) -> None:
    """March: 1 excellent + 2 good; June: 1 good + 1 not completed (one pending) → 4 segments."""
    march = open_month(office, 3)
    decide(march, office.specialist, Grade.EXCELLENT, "95")
    decide(march, office.specialist2, Grade.GOOD, "85")
    decide(march, office.head, Grade.GOOD, "80")
    june = open_month(office, 6)
    decide(june, office.specialist, Grade.GOOD, "88")
    decide(june, office.specialist2, Grade.NOT_COMPLETED, "40")

    page = client_for(office.evaluator).get(
        reverse("backoffice:evaluation_summary"), {"nam": 2026}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('role="img"') == 1 and "<title" in html
    assert html.count('class="chart__bar"') == 12
    assert len(re.findall(r'class="chart__seg chart__seg--', html)) == 4
    assert html.count("chart__seg chart__seg--excellent") == 1
    # Decree 335: excellent ≤ 20 % of good → 2 good allows 0, the quota is drawn for 2 months.
    assert '<path class="chart__quota"' in html
    assert not re.search(r' (?:x|y|width|height)="\d+,', html)
    # The same numbers for screen readers: March's row in the hidden table.
    assert re.search(r'<th scope="row">3</th><td>1</td><td>2</td><td>0</td><td>0</td>', html)

    me = client_for(office.specialist).get(reverse("backoffice:evaluation"))
    assert me.status_code == 200


@pytest.mark.django_db
def test_the_officers_year_shows_their_scores_as_a_line(office: Office) -> None:
    march = open_month(office, 3)
    decide(march, office.specialist, Grade.EXCELLENT, "95")
    june = open_month(office, 6)
    decide(june, office.specialist, Grade.GOOD, "88.5")

    with time_machine.travel(at("2026-11-25T09:00"), tick=False):
        html = client_for(office.specialist).get(reverse("backoffice:evaluation")).content.decode()
    assert 'role="img"' in html and '<path class="chart__line" d="M' in html
    assert html.count('class="chart__point"') == 2
    # Coordinates keep the decimal point; the table reads the Vietnamese way.
    assert not re.search(r' (?:cx|cy|y1)="\d+,', html)
    assert "<td>88,50</td>" in html
