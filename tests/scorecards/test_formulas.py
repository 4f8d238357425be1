"""The scorecard arithmetic, worked by hand (scorecards/formulas.py, no database).

Calendars are Monday-to-Friday without holidays. Working days per month, counted by
hand from the weekday of the 1st (4 whole weeks = 20 days, plus the weekdays among the
days left over):

2026-Q3: Jul (1st a Wed, 31 d: +Wed Thu Fri) 23, Aug (Sat, 31 d: +Mon) 21,
         Sep (Tue, 30 d: +Tue Wed) 22                                     = 66
2028 (leap year): Jan (Sat: +Mon) 21, Feb (Tue, 29 d: +Tue) 21, Mar (Wed: +3) 23,
         Apr (Sat, 30 d: +0) 20
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountable.org.calendar import FiscalCalendar
from accountable.scorecards import formulas as f

D = Decimal
JAN = FiscalCalendar()
Q3 = JAN.parse("2026-Q3")


# --- pace, projection and required run rate through 2026-Q3 (target 66,000) ---------------


def test_before_the_period_starts():
    day = date(2026, 6, 30)
    assert f.pace(Q3, day) == 0.0
    assert f.expected_to_date(D(66000), f.pace(Q3, day)) == D("0.00")
    assert f.projection(D(0), Q3, day) is None  # no working day gone: no run rate yet
    # 66 working days left = 13.2 weeks; 66,000 / 13.2 = 5,000 a week
    assert f.required_weekly(D(66000), D(0), Q3, day) == D("5000.00")


def test_on_the_first_day():
    day = date(2026, 7, 1)
    assert f.pace(Q3, day) == pytest.approx(1 / 66)
    # 1,000 won on day 1 of 66 would project to 66,000: one deal says too little yet
    assert f.projection(D(1000), Q3, day) is None
    assert f.too_early_to_project(Q3, day)
    assert f.run_rate_weekly(D(1000), Q3, day) == D("5000.00")  # 1,000 a day, 5 days a week
    # 65,000 to go over 65 days = 13 weeks: 5,000 a week
    assert f.required_weekly(D(66000), D(1000), Q3, day) == D("5000.00")


def test_in_the_middle():
    day = date(2026, 8, 17)  # Monday of week 8: July's 23 + Aug 3-7, 10-14, 17 = 34 days
    fraction = f.pace(Q3, day)
    assert fraction == pytest.approx(34 / 66)
    # expected 66,000 * 34/66 = 34,000; won 30,000 is 4,000 behind pace
    expected = f.expected_to_date(D(66000), fraction)
    assert expected == D("34000.00")
    assert f.gap_to_pace(D(30000), expected) == D("-4000.00")
    # run rate 30,000 / 34 days * 66 days = 1,980,000 / 34 = 58,235.294…
    assert f.projection(D(30000), Q3, day) == D("58235.29")
    # 36,000 to go; 66 - 34 = 32 days left = 6.4 weeks; 36,000 / 6.4 = 5,625
    assert f.required_weekly(D(66000), D(30000), Q3, day) == D("5625.00")
    # with 2,000 of weighted pipeline still to close: 30,000 + 2,000
    assert f.projection_with_pipeline(D(30000), D(2000), Q3, day) == D("32000.00")


def test_with_less_than_a_week_left_all_of_it_is_needed_this_week():
    day = date(2026, 9, 29)  # one working day (Wed 30) left = 0.2 weeks
    assert f.working_days_left(Q3, day) == 1
    assert f.required_weekly(D(66000), D(30000), Q3, day) == D("36000.00")


@pytest.mark.parametrize("day", [date(2026, 9, 30), date(2026, 10, 5)])
def test_on_the_last_day_and_after_the_period_is_over(day):
    assert f.pace(Q3, day) == 1.0
    assert f.projection(D(30000), Q3, day) == D("30000.00")  # the actual, nothing more
    assert f.projection_with_pipeline(D(30000), D(2000), Q3, day) == D("30000.00")
    assert f.working_days_left(Q3, day) == 0
    assert not f.too_early_to_project(Q3, day)


def test_on_the_last_day_the_whole_shortfall_is_needed_and_after_it_nothing():
    assert f.required_weekly(D(66000), D(30000), Q3, date(2026, 9, 30)) == D("36000.00")
    assert f.required_weekly(D(66000), D(30000), Q3, date(2026, 10, 5)) is None


def test_no_required_rate_once_the_target_is_met_or_without_target():
    assert f.required_weekly(D(66000), D(66000), Q3, date(2026, 8, 17)) is None
    assert f.required_weekly(D(66000), D(70000), Q3, date(2026, 8, 17)) is None
    assert f.required_weekly(None, D(0), Q3, date(2026, 8, 17)) is None


# --- leap years and fiscal years that do not start in January -----------------------------


def test_a_leap_day_counts_as_a_working_day():
    february = JAN.parse("2028-02")
    assert february.working_days == 21  # 20 + Tuesday 29 February
    assert f.pace(february, date(2028, 2, 28)) == pytest.approx(20 / 21)  # Monday 28th
    assert f.pace(february, date(2028, 2, 29)) == 1.0
    q1 = JAN.parse("2028-Q1")  # 21 + 21 + 23 = 65 working days
    assert q1.working_days == 65
    # as of 29 Feb: Jan 21 + Feb 21 = 42 of 65; 42,000 won -> run rate 1,000/day -> 65,000
    assert f.pace(q1, date(2028, 2, 29)) == pytest.approx(42 / 65)
    assert f.projection(D(42000), q1, date(2028, 2, 29)) == D("65000.00")
    # target 65,000: 23,000 to go over March's 23 days = 4.6 weeks: 5,000 a week
    assert f.required_weekly(D(65000), D(42000), q1, date(2028, 2, 29)) == D("5000.00")


def test_fiscal_year_from_april_over_a_leap_year():
    april = FiscalCalendar(fiscal_year_start_month=4)
    fy = april.parse("2027")  # 1 Apr 2027 .. 31 Mar 2028, 29 Feb 2028 inside
    assert (fy.start, fy.end) == (date(2027, 4, 1), date(2028, 3, 31))
    # Apr 22, May 21, Jun 22, Jul 22, Aug 22, Sep 22, Oct 21, Nov 22, Dec 23 = 197
    # + Jan 21 + Feb 21 = 239 by 29 Feb; + Mar 23 = 262
    assert fy.working_days == 262
    day = date(2028, 2, 29)
    assert f.pace(fy, day) == pytest.approx(239 / 262)
    # target 262,000, won 239,000: exactly on pace (expected 262,000 * 239/262 = 239,000)
    expected = f.expected_to_date(D(262000), f.pace(fy, day))
    assert expected == D("239000.00")
    assert f.gap_to_pace(D(239000), expected) == D("0.00")
    assert f.projection(D(239000), fy, day) == D("262000.00")
    # 23,000 to go over 23 days = 4.6 weeks: 5,000 a week
    assert f.required_weekly(D(262000), D(239000), fy, day) == D("5000.00")
    # its last quarter is Q4, January to March 2028
    assert april.parse("2027-Q4").start == date(2028, 1, 1)


def test_fiscal_year_from_february_leap_day_in_its_first_month():
    february = FiscalCalendar(fiscal_year_start_month=2)
    q1 = february.parse("2028-Q1")  # Feb 21 + Mar 23 + Apr 20 = 64 working days
    assert (q1.start, q1.end, q1.working_days) == (date(2028, 2, 1), date(2028, 4, 30), 64)
    day = date(2028, 2, 29)
    assert f.pace(q1, day) == pytest.approx(21 / 64)  # 0.328125
    # 10,000 / 21 days * 64 = 30,476.190…
    assert f.projection(D(10000), q1, day) == D("30476.19")
    # 54,000 to go over 43 days = 8.6 weeks: 6,279.069…
    assert f.required_weekly(D(64000), D(10000), q1, day) == D("6279.07")


def test_seasonal_pace_weights_each_month():
    months = JAN.parse("2026-Q1").children("month")  # Jan 22, Feb 20, Mar 22 working days
    weights = list(zip(months, [1.0, 1.0, 2.0], strict=True))
    # 13 Feb (Fri): January whole (1 * 1.0), February 10 of 20 days (1 * 0.5), March none
    # (1.0 + 0.5 + 0) / 4 = 0.375
    assert f.seasonal_pace(weights, date(2026, 2, 13)) == pytest.approx(0.375)
    assert f.seasonal_pace(weights, date(2026, 3, 31)) == pytest.approx(1.0)
    # all-zero weights: back to working days (Jan 22 + Feb 10 of 64)
    zero = [(m, 0.0) for m in months]
    assert f.seasonal_pace(zero, date(2026, 2, 13)) == pytest.approx(32 / 64)


# --- coverage, conversion, benchmarks, score ----------------------------------------------


def test_coverage_is_pipeline_over_what_is_still_to_go():
    # 60,000 closing in the period against 100,000 - 70,000 = 30,000 to go: 2x
    assert f.coverage(D(60000), D(100000), D(70000)) == pytest.approx(2.0)
    assert f.coverage(D(60000), D(100000), D(100000)) is None  # nothing left to go
    assert f.coverage(D(60000), None, D(0)) is None


def test_win_rates_and_deal_size():
    assert f.win_rate(3, 1) == 0.75
    assert f.win_rate(0, 0) is None  # no closed deal: undefined, not 0 %
    assert f.win_rate_value(D(3000), D(1000)) == 0.75
    assert f.average_deal_size(D(3000), 2) == D("1500.00")
    assert f.average_deal_size(D(0), 0) is None
    # 10 opportunities * 0.25 * 4,000 / 50 days = 200 a day
    assert f.velocity(10, 0.25, D(4000), 50) == D("200.00")
    assert f.velocity(10, None, D(4000), 50) is None


def test_median_and_quartiles():
    assert f.median([5, 1, 3]) == 3
    assert f.median([1, 2, 3, 4]) == 2.5
    assert f.median([]) is None
    # inclusive method on 1..5: q1 = 2, median 3, q3 = 4
    assert f.quartiles([5, 4, 3, 2, 1]) == f.Quartiles(2.0, 3.0, 4.0)
    assert f.quartiles([7]) == f.Quartiles(7.0, 7.0, 7.0)
    assert f.trailing_mean([10, 20, 30, 40]) == 25


def test_weighted_score_caps_each_metric_and_normalises_weights():
    # revenue at 200 % is capped at 150 %: (1.5 * 3 + 0.5 * 1) / 4 = 1.25 -> 125
    parts = [f.Scored(2.0, 3), f.Scored(0.5, 1)]
    assert f.weighted_score(parts) == pytest.approx(125.0)
    # a metric without target is left out, the others' weights renormalised
    assert f.weighted_score([f.Scored(1.0, 1), f.Scored(None, 5)]) == pytest.approx(100.0)
    assert f.weighted_score([f.Scored(None, 1)]) is None


# --- properties -------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2031, 12, 31))
months = st.integers(min_value=1, max_value=12)
kinds = st.sampled_from(["year", "quarter", "month", "week"])


@given(days, days, months, kinds)
def test_pace_grows_with_time_from_zero_to_one(a, b, start_month, kind):
    calendar = FiscalCalendar(fiscal_year_start_month=start_month)
    period = calendar.period(kind, a)
    early, late = sorted([a, b])
    assert 0.0 <= f.pace(period, early) <= f.pace(period, late) <= 1.0
    assert f.pace(period, period.start - timedelta(days=1)) == 0.0
    assert f.pace(period, period.end) == 1.0


@given(days, months, st.integers(min_value=1, max_value=10**7), st.integers(0, 10**7))
def test_required_rate_times_weeks_left_closes_the_gap(day, start_month, target, actual):
    period = FiscalCalendar(fiscal_year_start_month=start_month).period("quarter", day)
    needed = f.required_weekly(D(target), D(actual), period, day)
    weeks = f.weeks_left(period, day)
    if actual >= target or day > period.end:
        assert needed is None
    else:
        assert needed > 0
        # over the weeks left (at least one) the rate brings in what is missing, to the cent
        assert abs(needed * D(str(max(weeks, 1.0))) - (target - actual)) <= D("0.01") * 53


@given(days, months, st.integers(0, 10**7))
def test_on_pace_projects_the_target(day, start_month, target):
    """Whoever is exactly on pace is projected to finish on the target."""
    period = FiscalCalendar(fiscal_year_start_month=start_month).period("month", day)
    expected = f.expected_to_date(D(target), f.pace(period, day))
    projected = f.projection(expected, period, day)
    if projected is not None and period.working_days:
        assert abs(projected - D(target)) <= D(period.working_days)


@given(st.lists(st.tuples(st.floats(0, 10), st.integers(1, 100)), min_size=1, max_size=8))
def test_a_score_lies_between_zero_and_the_cap(parts):
    score = f.weighted_score([f.Scored(a, w) for a, w in parts])
    assert 0 <= score <= 100 * f.SCORE_CAP + 1e-9


@given(days, months, st.integers(1, 10**7), st.lists(st.floats(0, 5), min_size=3, max_size=3))
def test_on_a_seasonal_pace_the_projection_is_exactly_the_target(day, start_month, target, w):
    """A rep exactly on a seasonal pace (a quarter's target split by month weights)
    projects to 100 % of the target, to the cent, once it is not too early."""
    calendar = FiscalCalendar(fiscal_year_start_month=start_month)
    quarter = calendar.period("quarter", day)
    months = [calendar.period("month", quarter.start)]
    while len(months) < 3:
        months.append(months[-1].shift(1))
    fraction = f.seasonal_pace(list(zip(months, w, strict=True)), day)
    expected = D(target) * D(str(fraction))  # exactly on pace, unrounded
    projected = f.projection(expected, quarter, day, fraction)
    if f.too_early_to_project(quarter, day, fraction):
        assert projected is None
    elif day < quarter.end:
        assert abs(projected - D(target)) <= D("0.01")


@given(st.integers(1, 1000), st.integers(1, 999), st.integers(1, 999))
def test_attainment_of_a_lower_is_better_metric_improves_as_it_falls(target, a, b):
    better, worse = sorted([a, b])
    lower = f.attainment(D(better), D(target), higher_is_better=False)
    higher = f.attainment(D(worse), D(target), higher_is_better=False)
    assert lower >= higher
    assert f.attainment(D(target), D(target), higher_is_better=False) == 1.0


def test_a_sales_cycle_twice_the_target_is_half_attained():
    assert f.attainment(D(60), D(30), higher_is_better=False) == 0.5
    assert f.attainment(D(0), D(30), higher_is_better=False) is None


@given(days, months, st.integers(1, 10**7), st.integers(0, 10**7))
def test_the_required_weekly_rate_on_the_last_day_is_the_shortfall(day, start_month, t, a):
    period = FiscalCalendar(fiscal_year_start_month=start_month).period("quarter", day)
    needed = f.required_weekly(D(t), D(a), period, period.end)
    assert needed == (f.money(D(t) - D(a)) if t > a else None)
