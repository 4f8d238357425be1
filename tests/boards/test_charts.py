"""The product's own SVG charts: values land where they must, text is escaped, and
the edge cases (nothing, zero, over 100%) draw something honest."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from accountable.boards import charts
from accountable.boards.charts import Bar, FunnelStage

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """The chart as XML: it must be well-formed, whatever it was given."""
    return ET.fromstring(str(markup))  # noqa: S314 -- our own output, under test


def svg_of(markup: str | ET.Element) -> ET.Element:
    root = markup if isinstance(markup, ET.Element) else parse(markup)
    return root if root.tag == f"{SVG}svg" else root.find(f"{SVG}svg")


def find(root: ET.Element, css: str) -> list[ET.Element]:
    return [el for el in root.iter() if css in (el.get("class") or "").split()]


def accessible(svg: ET.Element) -> str:
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == svg.get("aria-label")
    return svg.get("aria-label")


# ---- formatting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0, "0"), (940, "940"), (2.5, "2.5"), (48_200, "48.2k"), (165_000, "165k")],
)
def test_compact_numbers(value, text):
    assert charts.compact(value) == text


def test_compact_millions_and_percent():
    assert charts.compact(Decimal("1210000")) == "1.21M"
    assert charts.percent(0.473) == "47%" and charts.percent(None) == "—"
    assert charts.percent(float("nan")) == "—"


# ---- attainment bar ---------------------------------------------------------------------


def test_attainment_bar_places_fill_and_pace_mark_and_writes_the_percentage():
    root = parse(charts.attainment_bar(0.47, 0.52))
    svg = svg_of(root)
    (fill,) = find(svg, "fill")
    (pace,) = find(svg, "pace")
    assert fill.get("width") == "47%"
    assert pace.get("x") == "52%"
    assert "behind" in fill.get("class")  # short of pace: hatched, not just another colour
    assert fill.get("fill").startswith("url(#")
    label = accessible(svg)
    assert "47% of target" in label and "pace 52%" in label and "behind pace" in label
    assert root.find("span").text == "47%"


def test_attainment_bar_ahead_of_pace_is_solid():
    svg = svg_of(charts.attainment_bar(0.78, 0.52, subject="Omar Reyes"))
    (fill,) = find(svg, "fill")
    assert "ahead" in fill.get("class") and not fill.get("fill").startswith("url(")
    assert accessible(svg).startswith("Omar Reyes: 78% of target")


def test_attainment_bar_zero_has_no_fill_but_keeps_the_pace_mark():
    root = parse(charts.attainment_bar(0, 0.3))
    svg = svg_of(root)
    assert find(svg, "fill") == [] and find(svg, "pace")[0].get("x") == "30%"
    assert root.find("span").text == "0%"


def test_attainment_bar_over_target_is_capped_with_an_arrow():
    root = parse(charts.attainment_bar(1.32, 0.9))
    svg = svg_of(root)
    assert find(svg, "fill")[0].get("width") == "100%"
    assert find(svg, "over"), "an arrow says the bar goes on"
    assert root.find("span").text == "132%"
    assert "beyond the chart" in accessible(svg)


def test_attainment_bar_on_a_wider_scale_marks_the_target():
    svg = svg_of(charts.attainment_bar(1.2, 0.6, scale=1.5))
    assert find(svg, "fill")[0].get("width") == "80%"
    assert find(svg, "pace")[0].get("x") == "40%"
    assert find(svg, "target")[0].get("x1") == "66.67%"
    assert not find(svg, "over")


def test_attainment_bar_without_target_says_so():
    root = parse(charts.attainment_bar(None, 0.5))
    svg = svg_of(root)
    assert find(svg, "fill") == [] and find(svg, "pace") == []
    assert root.find("span").text == "—"
    assert "no target" in accessible(svg)


def test_attainment_bar_without_pace_has_no_mark():
    svg = svg_of(charts.attainment_bar(0.4))
    assert find(svg, "pace") == [] and "ahead" in find(svg, "fill")[0].get("class")


def test_pace_mark_clamps_to_the_track():
    assert find(svg_of(charts.attainment_bar(0.2, 1.7)), "pace")[0].get("x") == "100%"
    assert find(svg_of(charts.attainment_bar(0.2, -0.1)), "pace")[0].get("x") == "0%"


def test_text_is_escaped():
    markup = str(charts.attainment_bar(0.5, 0.5, subject='<script>"x"</script>'))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    parse(markup)
    markup = str(charts.bar_chart([Bar("R&D <West>", 0.5, 0.4)]))
    assert "R&amp;D &lt;West&gt;" in markup
    parse(markup)
    markup = str(charts.funnel_bars([FunnelStage("Calls & e-mails", 3, 4)]))
    assert "Calls &amp; e-mails" in markup
    parse(markup)


# ---- sparkline --------------------------------------------------------------------------


def points(line: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()]


def test_sparkline_draws_thirteen_weeks_left_to_right_highest_on_top():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    svg = svg_of(charts.sparkline(values))
    (line,) = find(svg, "line")
    pts = points(line)
    assert len(pts) == 13
    assert [x for x, _ in pts] == sorted(x for x, _ in pts)
    assert pts[-1][1] < pts[0][1]  # bigger is higher (smaller y)
    assert pts[-1][1] == charts.SPARK_PAD  # the top of the chart
    (dot,) = find(svg, "latest")
    assert float(dot.get("cx")) == pts[-1][0]
    label = accessible(svg)
    assert "13 weeks" in label and label.endswith("13")


def test_sparkline_team_median_and_baseline():
    svg = svg_of(charts.sparkline([0, 10, 20], median=10, baseline=5, subject="Revenue"))
    (line,) = find(svg, "line")
    (median,) = find(svg, "median")
    (tick,) = find(svg, "median-tick")
    (base,) = find(svg, "baseline")
    y_of_10 = points(line)[1][1]
    assert {y for _, y in points(median)} == {y_of_10}
    assert float(tick.get("y1")) == y_of_10
    assert median.get("stroke-dasharray") and base.get("stroke-dasharray")  # not colour alone
    assert float(base.get("y1")) > y_of_10  # 5 sits below 10
    label = accessible(svg)
    assert "team median 10" in label and "baseline 5" in label


def test_sparkline_gaps_split_the_line():
    svg = svg_of(charts.sparkline([1, 2, None, 4, 5]))
    assert len(find(svg, "line")) == 2
    assert "no figure" in accessible(svg)


def test_sparkline_of_zeros_is_a_flat_line_on_the_axis():
    svg = svg_of(charts.sparkline([0] * 13))
    (line,) = find(svg, "line")
    assert {y for _, y in points(line)} == {charts.SPARK_H - charts.SPARK_PAD}


def test_sparkline_with_nothing_says_so():
    for values in ([], [None] * 13):
        svg = svg_of(charts.sparkline(values))
        assert find(svg, "line") == [] and "no weekly figures" in accessible(svg)


def test_sparkline_marks_a_week_still_running():
    svg = svg_of(charts.sparkline([4, 5, 6, 1], partial=True))
    assert len(points(find(svg, "line")[0])) == 3  # the finished weeks, solid
    (so_far,) = [el for el in find(svg, "so-far") if el.tag == f"{SVG}line"]
    assert so_far.get("stroke-dasharray")
    (dot,) = find(svg, "latest")
    assert "so-far" in dot.get("class") and dot.get("fill") == "#fff"
    assert "this week so far" in accessible(svg)


def test_sparkline_single_week():
    svg = svg_of(charts.sparkline([5]))
    assert find(svg, "latest") and len(points(find(svg, "line")[0])) == 2


# ---- benchmark strip --------------------------------------------------------------------


def test_benchmark_strip_places_quartiles_median_and_person():
    svg = svg_of(charts.benchmark_strip(50, q1=25, median=40, q3=75, low=0, high=100))
    (box,) = find(svg, "quartiles")
    (median,) = find(svg, "median")
    mark = find(svg, "mark")[0]
    usable = charts.STRIP_W - 12

    def at(v):
        return 6 + v / 100 * usable

    assert float(box.get("x")) == pytest.approx(at(25), abs=0.01)
    assert float(box.get("width")) == pytest.approx(at(75) - at(25), abs=0.01)
    assert float(median.get("x")) + 1.25 == pytest.approx(at(40), abs=0.01)
    assert float(mark.get("x")) + 1 == pytest.approx(at(50), abs=0.01)
    label = accessible(svg)
    assert label.startswith("50") and "25 to 75" in label and "median 40" in label


def test_benchmark_strip_rings_the_persons_own_usual_figure():
    svg = svg_of(charts.benchmark_strip(50, q1=25, median=40, q3=75, low=0, high=100, baseline=60))
    (ring,) = find(svg, "baseline")
    assert float(ring.get("cx")) == pytest.approx(6 + 0.6 * (charts.STRIP_W - 12), abs=0.01)
    assert ring.get("fill") == "#fff"  # hollow: not the person's mark, not the median
    assert "own usual 60" in accessible(svg)


def test_benchmark_strip_clamps_a_value_off_the_scale_and_works_without_team():
    svg = svg_of(charts.benchmark_strip(500, q1=1, median=2, q3=3, low=0, high=10))
    assert float(find(svg, "mark")[0].get("x")) + 1 == pytest.approx(charts.STRIP_W - 6)
    svg = svg_of(charts.benchmark_strip(7, q1=None, median=None, q3=None))
    assert find(svg, "mark") and not find(svg, "quartiles")
    svg = svg_of(charts.benchmark_strip(None, q1=None, median=None, q3=None))
    assert "no figures" in accessible(svg)


# ---- funnel -----------------------------------------------------------------------------


def test_funnel_draws_conversion_from_the_step_before_on_one_scale():
    stages = [
        FunnelStage("Touches", 400, 2000),
        FunnelStage("Meetings", 40, 400),
        FunnelStage("Wins", 0, 4),
    ]
    svg = svg_of(charts.funnel_bars(stages, subject="Kai"))
    person = find(svg, "person")
    team = find(svg, "team")
    rects = [el for el in person + team if el.tag == f"{SVG}rect"]
    widths = [float(r.get("width")) for r in rects]
    # 10% of touches and 20% of the team's; 0 wins has no bar; 1% of the team's meetings.
    assert widths == pytest.approx(
        [0.1 * charts.FUNNEL_TRACK, 0.2 * charts.FUNNEL_TRACK, 0.01 * charts.FUNNEL_TRACK]
    )
    texts = [t.text for t in find(svg, "rate")]
    assert texts == ["10% you", "20% team", "0% you", "1% team"]
    counts = [t.text for t in find(svg, "count")]
    assert counts[0] == "400 you · 2,000 team"
    label = accessible(svg)
    assert label.startswith("Kai: Touches 400, team 2,000;")
    assert "Meetings 40, team 400 (10% of touches, team 20%)" in label


def test_funnel_without_team_or_earlier_stage_says_dash():
    svg = svg_of(charts.funnel_bars([FunnelStage("Calls", 0, None), FunnelStage("Wins", 1)]))
    assert [t.text for t in find(svg, "rate")] == ["— you", "— team"]
    assert svg_of(charts.funnel_bars([])).get("class") == "chart funnel none"


# ---- roll-up bar chart ------------------------------------------------------------------


def test_bar_chart_one_scale_for_all_teams():
    svg = svg_of(
        charts.bar_chart([Bar("North", 0.5, 0.5), Bar("South", 1.2, 0.5), Bar("West", None)])
    )
    fills = find(svg, "fill")
    assert len(fills) == 2  # West has no target: a track and a dash
    # one scale, to 125%: widths are shares of the plot, which is 88% of the chart
    assert [f.get("width") for f in fills] == ["40%", "96%"]
    assert [p.get("x") for p in find(svg, "pace")] == ["40%", "40%"]
    assert find(svg, "target")[0].get("x1") == "80%"
    assert find(svg, "plot")[0].get("width") == f"{charts.CHART_BARS}%"
    ticks = [t.text for t in find(svg, "tick")]
    assert ticks == ["0%", "25%", "50%", "75%", "100%", "125%"]
    assert [t.text for t in find(svg, "pct")] == ["50%", "120%", "—"]
    assert [t.text for t in find(svg, "name")] == ["North", "South", "West"]
    label = accessible(svg)
    assert "North 50%, pace 50%, on or ahead of pace" in label and "West —" in label


def test_bar_chart_caps_the_scale_and_hatches_teams_behind_pace():
    svg = svg_of(charts.bar_chart([Bar("A team", 9.0, 0.9), Bar("B team", 0.2, 0.6)]))
    assert [t.text for t in find(svg, "tick")][-1] == "200%"
    fills = find(svg, "fill")
    assert fills[0].get("width") == "100%" and "ahead" in fills[0].get("class")
    assert "behind" in fills[1].get("class") and fills[1].get("fill").startswith("url(#")
    assert "B team 20%, pace 60%, behind pace" in accessible(svg)


def test_bar_chart_empty():
    assert "no teams" in accessible(svg_of(charts.bar_chart([])))


def test_every_chart_is_well_formed_xml_with_a_unique_pattern_per_content():
    a = str(charts.attainment_bar(0.1, 0.5))
    b = str(charts.attainment_bar(0.2, 0.5))
    ids = [re.search(r'pattern id="(\w+)"', m).group(1) for m in (a, b)]
    assert ids[0] != ids[1]
    assert str(charts.attainment_bar(0.1, 0.5)) == a  # deterministic
