"""A person's pace counts their own working days: the organisation's, net of their time off.

The `sales` fixture's 2026-Q3 as of Monday 17 August: 34 of the quarter's 66 working
days are gone. Rita is away Mon 3 - Fri 7 August (gone) and Mon 7 - Fri 11 September
(to come): her quarter has 56 working days, 29 of them gone. Won so far: 3,000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accountable.org import services
from accountable.org.calendar import DEFAULT_CALENDAR
from accountable.scorecards import metrics as m
from accountable.scorecards import personal, selectors
from tests.scorecards.conftest import Q3
from tests.scorecards.test_selectors import AUG17, row_of, target

pytestmark = pytest.mark.django_db

MONTHS = [DEFAULT_CALENDAR.parse(label) for label in ("2026-07", "2026-08", "2026-09")]
OWN_PACE = 29 / 56
WORKING_DAYS_PACE = 34 / 66


@pytest.fixture
def away(sales):
    for first, last in (
        (date(2026, 8, 3), date(2026, 8, 7)),
        (date(2026, 9, 7), date(2026, 9, 11)),
    ):
        services.time_off_record(actor=None, person=sales.rep, first_day=first, last_day=last)
    return sales


def test_pace_expected_and_required_weekly_count_the_persons_working_days(away):
    target(away.rep, "revenue", "10000")
    target(away.rep2, "revenue", "10000")
    row = row_of(away.manager, away.rep)
    assert row.pace == pytest.approx(OWN_PACE)
    assert row.expected_to_date == Decimal("5178.57")  # 10,000 * 29/56
    # 7,000 still to go in 27 working days left of hers: 5.4 working weeks.
    assert row.required_weekly == Decimal("1296.30")
    other = row_of(away.manager, away.rep2)  # no time off: the organisation's days
    assert other.pace == pytest.approx(WORKING_DAYS_PACE)
    assert other.required_weekly == Decimal(10000 - other.won_amount) / Decimal("6.4")


def test_a_team_expects_the_sum_of_what_its_people_do(away):
    target(away.rep, "revenue", "10000")
    target(away.rep2, "revenue", "6000")
    rows = selectors.scorecard_rows(away.manager, period=Q3, as_of=AUG17, team=away.north_field)
    summary = selectors.team_summary(away.manager, team=away.north_field, period=Q3, as_of=AUG17)
    assert summary.target == Decimal("16000.00")
    expected = sum(r.expected_to_date for r in rows if r.expected_to_date is not None)
    assert summary.expected_to_date == pytest.approx(expected, abs=Decimal("0.01"))


def test_a_target_split_by_months_takes_time_off_out_of_each_month(away):
    target(away.rep, "revenue", "4000")
    for month, value in zip(MONTHS, ["1000", "1000", "2000"], strict=True):
        target(away.rep, "revenue", value, period=month)
    # July in full; of August's 16 days of hers, 6 gone; none of September.
    split_pace = (1000 + 1000 * 6 / 16) / 4000
    assert row_of(away.manager, away.rep).pace == pytest.approx(split_pace)
    calls = selectors.metric_summary(
        away.manager, metric="revenue", period=Q3, as_of=AUG17, person=away.rep
    )
    assert calls.pace == pytest.approx(split_pace)


def test_the_personal_tiles_and_any_metric_pace_the_same(away):
    target(away.rep, "calls", "56")
    summary = selectors.metric_summary(
        away.manager, metric="calls", period=Q3, as_of=AUG17, person=away.rep
    )
    assert (summary.pace, summary.expected) == (pytest.approx(OWN_PACE), Decimal("29.00"))
    counts = m.counts([away.rep.pk], Q3.start, AUG17)
    [tile] = [t for t in personal.tiles(away.rep, Q3, AUG17, counts, {}) if t.metric == "calls"]
    assert (tile.pace, tile.expected) == (pytest.approx(OWN_PACE), Decimal("29.00"))


def test_time_off_outside_the_period_changes_nothing(sales):
    services.time_off_record(
        actor=None, person=sales.rep, first_day=date(2026, 6, 1), last_day=date(2026, 6, 30)
    )
    target(sales.rep, "revenue", "10000")
    assert row_of(sales.manager, sales.rep).pace == pytest.approx(WORKING_DAYS_PACE)
    assert m.own_periods([sales.rep.pk], Q3) == {}
