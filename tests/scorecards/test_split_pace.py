"""A target split into its months (or quarters) paces by them: pace by seasonality.

The `sales` fixture's 2026-Q3 as of Monday 17 August: July's 23 working days are
gone, 11 of August's 21, none of September's 22 — 34 of the quarter's 66. Split
1,000 / 1,000 / 2,000, a 4,000 quarter expects by now 1,000 for July and 11/21 of
August's 1,000: 1,523.81, a pace of 0.381 instead of 34/66 = 0.515.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from accountable.org.calendar import DEFAULT_CALENDAR
from accountable.scorecards import metrics, personal, selectors
from accountable.scorecards import metrics as m
from tests.scorecards.conftest import Q3
from tests.scorecards.test_selectors import AUG17, row_of, target

pytestmark = pytest.mark.django_db

MONTHS = [DEFAULT_CALENDAR.parse(label) for label in ("2026-07", "2026-08", "2026-09")]
SPLIT_PACE = (1000 + 1000 * 11 / 21) / 4000
WORKING_DAYS_PACE = 34 / 66


def split(owner, metric: str, values: list[str], total: str = "4000") -> None:
    target(owner, metric, total)
    for month, value in zip(MONTHS, values, strict=False):
        target(owner, metric, value, period=month)


def test_a_quarter_split_by_its_months_paces_by_them(sales):
    split(sales.rep, "revenue", ["1000", "1000", "2000"])
    row = row_of(sales.manager, sales.rep)
    assert row.pace == pytest.approx(SPLIT_PACE)
    assert row.expected_to_date == Decimal("1523.81")
    assert row.gap_to_pace == Decimal("1476.19")  # 3,000 won: ahead of this pace
    other = row_of(sales.manager, sales.rep2)
    assert other.pace == pytest.approx(WORKING_DAYS_PACE)  # no target: the period's pace


def test_months_that_do_not_cover_the_quarter_are_not_its_parts(sales):
    split(sales.rep, "revenue", ["1000", "1000"])  # no September
    assert row_of(sales.manager, sales.rep).pace == pytest.approx(WORKING_DAYS_PACE)


def test_a_team_of_people_targets_paces_as_they_do(sales):
    split(sales.rep, "revenue", ["1000", "1000", "2000"])
    target(sales.rep2, "revenue", "6000")  # not split: working days
    summary = selectors.team_summary(sales.manager, team=sales.north_field, period=Q3, as_of=AUG17)
    assert summary.target == Decimal("10000.00")
    assert summary.pace == pytest.approx((4000 * SPLIT_PACE + 6000 * WORKING_DAYS_PACE) / 10000)
    target(sales.north_field, "revenue", "12000")  # the team's own target, not split
    summary = selectors.team_summary(sales.manager, team=sales.north_field, period=Q3, as_of=AUG17)
    assert summary.pace == pytest.approx(WORKING_DAYS_PACE)


def test_any_metric_and_the_personal_tiles_pace_by_the_parts(sales):
    split(sales.rep, "calls", ["10", "10", "20"], total="40")
    calls = selectors.metric_summary(
        sales.manager, metric="calls", period=Q3, as_of=AUG17, person=sales.rep
    )
    assert calls.pace == pytest.approx(SPLIT_PACE)
    assert calls.expected == Decimal("15.24")  # 40 * 0.381
    team = selectors.metric_summary(
        sales.manager, metric="calls", period=Q3, as_of=AUG17, team=sales.north_field
    )
    assert team.pace == pytest.approx(SPLIT_PACE)  # the only target under the team
    counts = m.counts([sales.rep.pk], Q3.start, AUG17)
    tiles = personal.tiles(sales.rep, Q3, AUG17, counts, {})
    [tile] = [t for t in tiles if t.metric == "calls"]
    assert (tile.pace, tile.expected) == (pytest.approx(SPLIT_PACE), Decimal("15.24"))


def test_the_finest_complete_parts_win_and_teams_own_theirs(sales):
    year = DEFAULT_CALENDAR.parse("2026")
    target(sales.rep, "revenue", "12000", period=year)
    for quarter, value in zip(
        year.children("quarter"), ["1000", "1000", "1000", "9000"], strict=True
    ):
        target(sales.rep, "revenue", value, period=quarter)
    by_quarters = metrics.target_paces("person_id", [sales.rep.pk], year, AUG17)
    # Q1 and Q2 gone, Q3 34 of 66 working days: (1,000 + 1,000 + 1,000 * 34/66) / 12,000
    assert by_quarters[sales.rep.pk]["revenue"] == pytest.approx((2000 + 1000 * 34 / 66) / 12000)
    for month in year.children("month"):
        target(sales.rep, "revenue", "1000", period=month)
    by_months = metrics.target_paces("person_id", [sales.rep.pk], year, AUG17)
    expected = (7 * 1000 + 1000 * 11 / 21) / 12000  # even months: the months win
    assert by_months[sales.rep.pk]["revenue"] == pytest.approx(expected)
    split(sales.north_field, "revenue", ["1000", "1000", "2000"])
    teams = metrics.target_paces("team_id", [sales.north_field.pk], Q3, AUG17)
    assert teams == {sales.north_field.pk: {"revenue": pytest.approx(SPLIT_PACE)}}
    month = metrics.target_paces("person_id", [sales.rep.pk], MONTHS[1], AUG17)
    assert month == {}  # weeks straddle months: a month has no parts


def test_the_pace_of_a_sum():
    assert metrics.pace_of(metrics.targets_sum([]), 0.5) == 0.5
    pairs = [(Decimal("4000"), 0.25), (Decimal("6000"), 0.5)]
    assert metrics.pace_of(metrics.targets_sum(pairs), 0.9) == pytest.approx(0.4)


def test_activity_attainment_weighs_each_activity_against_its_own_target():
    """Half the calls and twice the meetings asked for, weighed alike, is 125 %: not the
    70 of 110 a raw count of calls and meetings together would make of it."""
    from decimal import Decimal

    from accountable.scorecards import metrics as m

    card = [("calls", "activity", 50), ("meetings", "activity", 50)]
    counted = m.Counts(calls=50, meetings=20, total=70)
    targets = {"calls": Decimal(100), "meetings": Decimal(10)}
    scored = m.scores(card, counted, targets, fraction=1.0)
    assert scored.activity_attainment == 1.25
    assert (scored.activity_target, scored.activity_actual) == (Decimal(110), 70)
