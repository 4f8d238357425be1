"""Splitting and allocating targets: hand-worked examples first, then properties.

Working days of 2026 on a Monday-to-Friday calendar, used throughout (1 January 2026 is
a Thursday): Q1 64 (Jan 22, Feb 20, Mar 22), Q2 65, Q3 66, Q4 66 — 261 in the year.
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accountable.goals.splits import (
    Split,
    SplitError,
    allocate,
    prorate,
    ramp_factor,
    split_by_seasonality,
    split_by_weights,
    split_by_working_days,
    split_evenly,
    suggest_target,
)
from accountable.org.calendar import DEFAULT_CALENDAR, FiscalCalendar, Kind

D = Decimal
CAL = DEFAULT_CALENDAR
Y2026 = CAL.parse("2026")
QUARTERS = Y2026.children(Kind.QUARTER)
Q1 = CAL.parse("2026-Q1")


def values(split: Split) -> list[str]:
    return [str(v) for v in split.values.values()]


# ---- hand-worked splits -------------------------------------------------------------


def test_a_year_by_working_days_into_quarters():
    assert [q.working_days for q in QUARTERS] == [64, 65, 66, 66]
    split = split_by_working_days(D("1000000.00"), QUARTERS)
    # 1,000,000 * 64/261 = 245,210.7279…, * 65/261 = 249,042.1455…, * 66/261 = 252,873.5632…
    # Rounded down they sum to 999,999.98; the two cents go to the largest remainders,
    # Q1 (.79) and Q2 (.56).
    assert split.values == {
        "2026-Q1": D("245210.73"),
        "2026-Q2": D("249042.15"),
        "2026-Q3": D("252873.56"),
        "2026-Q4": D("252873.56"),
    }
    assert split.total == D("1000000.00")
    assert (split.method, split.note) == ("working_days", "")


def test_one_hundred_three_ways():
    split = split_evenly(D("100.00"), QUARTERS[:3])
    assert values(split) == ["33.34", "33.33", "33.33"]
    assert split.method == "even"


def test_ties_go_to_the_earlier_period():
    assert values(split_evenly(D("0.02"), QUARTERS[:3])) == ["0.01", "0.01", "0.00"]
    assert values(split_evenly(D("0.05"), QUARTERS)) == ["0.02", "0.01", "0.01", "0.01"]


def test_counts_split_in_whole_units():
    split = split_evenly(10, QUARTERS[:3], places=0)
    assert split.values == {"2026-Q1": 4, "2026-Q2": 3, "2026-Q3": 3}
    assert values(split) == ["4", "3", "3"]


def test_by_weights():
    # 16.666…, 33.333…, 50 → 16.66 + 33.33 + 50.00 = 99.99; the cent goes to "a" (.666).
    split = split_by_weights(D("100.00"), {"a": 1, "b": 2, "c": 3})
    assert split.values == {"a": D("16.67"), "b": D("33.33"), "c": D("50.00")}
    assert split.method == "weights"


def test_float_weights_read_as_written():
    split = split_by_weights(D("30.00"), {"a": 0.1, "b": 0.2})
    assert split.values == {"a": D("10.00"), "b": D("20.00")}


def test_zero_weight_gets_nothing_and_all_zero_is_even():
    assert split_by_weights(D("9.99"), {"a": 0, "b": 1}).values == {
        "a": D("0.00"),
        "b": D("9.99"),
    }
    split = split_by_weights(D("10.00"), {"a": 0, "b": 0.0, "c": D(0)})
    assert values(split) == ["3.34", "3.33", "3.33"]
    assert split.method == "even"
    assert split.note == "All the weights are zero, so the total is split evenly."


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (D("10.00"), {"a": -1, "b": 2}, 'A weight can\'t be negative: "a" has -1.'),
        (D("10.00"), {}, "There is nothing to split the total into."),
        (D("10.005"), {"a": 1}, "The total to split must be given in 2 decimal places"),
        (D("-10.00"), {"a": 1}, "The total to split can't be negative"),
        (D("10.00"), {"a": float("nan")}, 'The weight of "a" must be a number'),
        ("10", {"a": 1}, "The total to split must be a number"),
    ],
)
def test_bad_splits_say_why(total, weights, message):
    with pytest.raises(SplitError, match="^" + message.replace("(", r"\(")):
        split_by_weights(total, weights)


def test_a_period_can_appear_once():
    with pytest.raises(SplitError, match="repeated: 2026-Q1"):
        split_evenly(D("10.00"), [QUARTERS[0], QUARTERS[0]])


def test_weeks_straddling_a_month_count_only_their_days_inside_it():
    january = CAL.parse("2026-01")
    weeks = january.children(Kind.WEEK)
    assert [w.label for w in weeks] == [f"2026-W0{n}" for n in range(1, 6)]
    # W01 runs 29 Dec to 4 Jan: 2 working days in January; W05 runs 26 Jan to 1 Feb: 5.
    inside = split_by_working_days(D("2200.00"), weeks, within=january)
    assert values(inside) == ["200.00", "500.00", "500.00", "500.00", "500.00"]
    assert inside.note == (
        "2026-W01 and 2026-W05 cross the edge of 2026-01; "
        "only their working days inside 2026-01 count."
    )
    # Without `within`, W01 counts all five of its days.
    assert set(split_by_working_days(D("2200.00"), weeks).values.values()) == {D("440.00")}


def test_a_holiday_week_gets_nothing_and_no_working_days_at_all_is_even():
    week = CAL.parse("2026-W10")
    closed = FiscalCalendar(holidays=frozenset(week.start + timedelta(days=i) for i in range(7)))
    weeks = closed.parse("2026-03").children(Kind.WEEK)
    split = split_by_working_days(D("100.00"), weeks)
    assert split.values["2026-W10"] == 0
    assert split.total == D("100.00")

    only = [closed.parse("2026-W10")]
    fallback = split_by_working_days(D("100.00"), only)
    assert fallback.values == {"2026-W10": D("100.00")}
    assert fallback.method == "even"
    assert fallback.note == "None of these periods has a working day, so the total is split evenly."


LAST_YEAR = {
    "2025-Q1": D("150000"),
    "2025-Q2": D("250000"),
    "2025-Q3": D("200000"),
    "2025-Q4": D("400000"),
}


def test_seasonality_from_last_years_table():
    split = split_by_seasonality(D("1200000.00"), QUARTERS, LAST_YEAR)
    assert split.values == {
        "2026-Q1": D("180000.00"),
        "2026-Q2": D("300000.00"),
        "2026-Q3": D("240000.00"),
        "2026-Q4": D("480000.00"),
    }
    assert split.method == "seasonality"
    assert split.note == "In proportion to last year's results (2025-Q1 to 2025-Q4)."


def test_seasonality_with_remainders_and_a_quiet_quarter():
    # 1,000.00 * 1/3 and * 2/3 → 333.33 + 666.66 = 999.99; the cent goes to Q3 (.666…).
    table = {"2025-Q1": 0, "2025-Q2": 1, "2025-Q3": 2, "2025-Q4": 0}
    split = split_by_seasonality(D("1000.00"), QUARTERS, table)
    assert values(split) == ["0.00", "333.33", "666.67", "0.00"]


def test_seasonality_falls_back_to_working_days_when_last_year_is_empty():
    zeros = dict.fromkeys(LAST_YEAR, 0)
    split = split_by_seasonality(D("1000000.00"), QUARTERS, zeros)
    assert split.values == split_by_working_days(D("1000000.00"), QUARTERS).values
    assert split.method == "working_days"
    assert split.note == (
        "Last year's figures add up to zero, so the total is split by working days instead."
    )


def test_seasonality_falls_back_when_a_period_has_no_figure():
    partial = {k: v for k, v in LAST_YEAR.items() if k != "2025-Q1"}
    split = split_by_seasonality(D("1000000.00"), QUARTERS, partial)
    assert split.method == "working_days"
    assert split.note == (
        "There are no figures for 2025-Q1, so the total is split by working days instead."
    )
    assert split_by_seasonality(D("10.00"), QUARTERS, {}).note.startswith(
        "There are no figures for 2025-Q1, 2025-Q2, 2025-Q3 and 2025-Q4, so"
    )


def test_seasonality_rejects_negative_history():
    with pytest.raises(SplitError, match="2025-Q2 is below zero"):
        split_by_seasonality(D("10.00"), QUARTERS, {**LAST_YEAR, "2025-Q2": D("-5")})


# ---- allocation ---------------------------------------------------------------------

TEAM = ["Ana", "Ben", "Cy"]


def test_allocate_evenly():
    result = allocate(D("100.00"), TEAM, "even")
    assert result.values == {"Ana": D("33.34"), "Ben": D("33.33"), "Cy": D("33.33")}
    assert (result.allocated_total, result.difference, result.status) == (
        D("100.00"),
        D("0.00"),
        "exact",
    )


def test_allocate_by_last_years_share():
    result = allocate(D("1000.00"), TEAM, "share", shares={"Ana": 300, "Ben": 100, "Zed": 999})
    assert result.values == {"Ana": D("750.00"), "Ben": D("250.00"), "Cy": D("0.00")}
    assert result.status == "exact"
    assert result.note == (
        "Cy had no results last year, so gets no share; adjust by hand if they should carry quota."
    )


def test_allocate_by_share_with_no_history_is_even():
    result = allocate(D("90.00"), TEAM, "share", shares={})
    assert set(result.values.values()) == {D("30.00")}
    assert result.method == "even"
    assert result.note.startswith("No one on the team sold anything last year")


@pytest.mark.parametrize(
    ("manual", "allocated", "difference", "status"),
    [
        ({"Ana": 400, "Ben": 300, "Cy": 300}, "1000.00", "0.00", "exact"),
        ({"Ana": 400, "Ben": 400, "Cy": 300}, "1100.00", "100.00", "over"),
        ({"Ana": D("400.00"), "Ben": D("299.99")}, "699.99", "-300.01", "under"),
    ],
)
def test_allocate_by_hand_reports_over_and_under(manual, allocated, difference, status):
    result = allocate(D("1000.00"), TEAM, "manual", manual=manual)
    assert result.allocated_total == D(allocated)
    assert result.difference == D(difference)
    assert result.status == status


def test_manual_allocation_names_who_was_left_out():
    result = allocate(D("1000.00"), TEAM, "manual", manual={"Ana": 1000})
    assert result.values["Cy"] == 0
    assert result.note == "No amount for Ben and Cy, counted as 0."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "manual", "manual": {"Zed": 5}}, "Zed is not on this team."),
        ({"method": "manual", "manual": {"Ana": -5}}, "The amount for Ana can't be negative"),
        ({"method": "share", "shares": {"Ana": -5}}, "Ana is below zero"),
        ({"method": "lottery"}, 'not "lottery"'),
    ],
)
def test_bad_allocations_say_why(kwargs, message):
    with pytest.raises(SplitError, match=message):
        allocate(D("1000.00"), TEAM, **kwargs)


def test_allocate_needs_people_once_each():
    with pytest.raises(SplitError, match="no one on the team"):
        allocate(D("1.00"), [], "even")
    with pytest.raises(SplitError, match="once"):
        allocate(D("1.00"), ["Ana", "Ana"], "even")


# ---- ramp and proration -------------------------------------------------------------

RAMP = [D("0.25"), D("0.5"), D("0.75")]


def test_ramp_for_someone_starting_mid_quarter():
    # Starts Monday 16 Feb 2026. Month 1 (16 Feb-15 Mar) has 20 working days in Q1 at
    # 25%; month 2 (16 Mar-15 Apr) has 12 in Q1 (16-31 Mar) at 50%: (5 + 6) / 32 = 11/32.
    start = date(2026, 2, 16)
    assert ramp_factor(start, Q1, RAMP) == D("0.34375")
    # Next quarter: 16 Mar-15 Apr at 50% holds 11 of Q2's days (1-15 Apr), 16 Apr-15 May at
    # 75% holds 22, the remaining 32 are at 100%: (5.5 + 16.5 + 32) / 65 = 54/65.
    assert ramp_factor(start, CAL.parse("2026-Q2"), RAMP) == D(54) / 65
    # With proration for the half of Q1 before the start: 100,000 * 11/32 * 32/64.
    quota = D("100000.00")
    target = prorate(quota * ramp_factor(start, Q1, RAMP), Q1, active_from=start)
    assert target == D("17187.50")


def test_ramp_started_before_the_period():
    # Month 1 (15 Dec-14 Jan) at 50% covers 10 of Q1's working days; the other 54 are full.
    assert ramp_factor(date(2025, 12, 15), Q1, [D("0.5")]) == D(59) / 64
    assert ramp_factor(date(2025, 12, 1), Q1, [D("0.5")]) == 1
    assert ramp_factor(date(2020, 1, 1), Q1, RAMP) == 1


def test_ramp_edges():
    assert ramp_factor(date(2026, 4, 1), Q1, RAMP) == 0  # not there yet
    assert ramp_factor(date(2026, 3, 31), Q1, RAMP) == D("0.25")
    assert ramp_factor(date(2026, 3, 28), Q1, []) == 1  # no ramp: full quota
    # Start on 31 Jan 2025: month 2 begins on Friday 28 Feb (there is no 31st), so
    # February has 19 working days at 25% and one at 50%.
    assert (
        ramp_factor(date(2025, 1, 31), CAL.parse("2025-02"), RAMP)
        == (D("0.25") * 19 + D("0.5") * 1) / 20
    )
    with pytest.raises(SplitError, match="from 0 to 1"):
        ramp_factor(date(2026, 1, 1), Q1, [D("1.5")])


def test_prorate_joiners_leavers_and_movers():
    value = D("30000.00")
    assert prorate(value, Q1) == value
    assert prorate(value, Q1, active_from=date(2026, 2, 16)) == D("15000.00")  # 32 of 64
    assert prorate(value, Q1, active_to=date(2026, 1, 31)) == D("10312.50")  # 22 of 64
    # Moved in on 1 Feb and out after 28 Feb: February's 20 working days of 64.
    assert prorate(value, Q1, date(2026, 2, 1), date(2026, 2, 28)) == D("9375.00")
    assert prorate(value, Q1, active_from=date(2026, 4, 1)) == D("0.00")
    assert prorate(value, Q1, active_to=date(2025, 12, 31)) == D("0.00")
    # 100.00 * 1/64 = 1.5625 → 1.56; counts round to whole units, half up.
    assert prorate(D("100.00"), Q1, active_to=date(2026, 1, 1)) == D("1.56")
    assert prorate(10, Q1, active_from=date(2026, 2, 16), places=0) == 5
    with pytest.raises(SplitError, match="before the first"):
        prorate(value, Q1, date(2026, 3, 1), date(2026, 2, 1))


def test_prorate_a_period_without_working_days_by_calendar_days():
    week = CAL.parse("2026-W10")
    closed = FiscalCalendar(
        holidays=frozenset(week.start + timedelta(days=i) for i in range(7))
    ).parse("2026-W10")
    assert prorate(D("70.00"), closed, active_from=closed.start + timedelta(days=5)) == D("20.00")


# ---- suggestion ---------------------------------------------------------------------


def test_suggest_the_80th_percentile_scaled_to_the_period():
    weeks = [D(n * 10) for n in range(1, 13)]  # 10 … 120
    # Position 11 * 0.8 = 8.8 between the 9th (90) and 10th (100) → 98 a week; * 13 weeks.
    assert suggest_target(weeks, 13) == D("1274.00")
    assert suggest_target(list(reversed(weeks)), 13) == D("1274.00")
    # Only the trailing 12 weeks count.
    assert suggest_target([D(10**6)] * 5 + weeks, 13) == D("1274.00")
    assert suggest_target(weeks, 4.3, percentile=50) == D("279.50")  # 65 * 4.3


def test_suggest_nothing_from_too_little_history():
    assert suggest_target([D(5), D(6), D(7)], 13) is None
    assert suggest_target([D(5), D(6), D(7), D(8)], 13) is not None
    with pytest.raises(SplitError, match="above zero"):
        suggest_target([D(1)] * 5, 0)


# ---- properties ---------------------------------------------------------------------

cents = st.integers(0, 10**11).map(lambda c: D(c).scaleb(-2))  # 0.00 to 10^9
weight = st.one_of(
    st.decimals(0, 10**6, places=3),
    st.floats(0, 1e6, allow_nan=False),
    st.integers(0, 10**6),
    st.just(0),
)
weight_maps = st.dictionaries(st.text(min_size=1, max_size=4), weight, min_size=1, max_size=15)


def check_split(split: Split, total: Decimal, places: int = 2) -> None:
    assert split.total == total
    assert all(v >= 0 for v in split.values.values())
    assert all(v == v.quantize(D(1).scaleb(-places)) for v in split.values.values())


@settings(max_examples=200, deadline=None)
@given(cents, weight_maps)
def test_every_weighted_split_adds_back_to_the_cent(total, weights):
    split = split_by_weights(total, weights)
    check_split(split, total)
    assert list(split.values) == list(weights)
    if any(weights.values()):
        assert all(split.values[k] == 0 for k, w in weights.items() if w == 0)
        # Each share is within one cent of its exact proportion.
        whole = sum(D(str(w)) if isinstance(w, float) else D(w) for w in weights.values())
        for key, w in weights.items():
            exact = total * (D(str(w)) if isinstance(w, float) else D(w)) / whole
            assert abs(split.values[key] - exact) < D("0.01")


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10**9), weight_maps)
def test_whole_unit_splits_add_back(total, weights):
    check_split(split_by_weights(total, weights, places=0), total, places=0)


calendars = st.builds(
    FiscalCalendar,
    fiscal_year_start_month=st.integers(1, 12),
    week_start=st.integers(0, 6),
    working_days=st.frozensets(st.integers(0, 6), min_size=1),
    holidays=st.frozensets(st.dates(date(2025, 1, 1), date(2031, 12, 31)), max_size=40),
)


@st.composite
def period_sets(draw):
    cal = draw(calendars)
    parent = cal.parse(str(draw(st.integers(2026, 2030))))
    kind = draw(st.sampled_from([Kind.QUARTER, Kind.MONTH, Kind.WEEK]))
    children = parent.children(kind)
    if draw(st.booleans()):
        parent = draw(st.sampled_from([p for p in children if p.kind is Kind.QUARTER] or [parent]))
        children = parent.children(Kind.MONTH if kind is Kind.QUARTER else kind)
    return parent, children


@settings(max_examples=200, deadline=None)
@given(cents, period_sets(), st.booleans())
def test_every_working_day_split_adds_back(total, periods, inside):
    parent, children = periods
    split = split_by_working_days(total, children, within=parent if inside else None)
    check_split(split, total)
    assert list(split.values) == [p.label for p in children]
    check_split(split_evenly(total, children), total)


@settings(max_examples=200, deadline=None)
@given(cents, period_sets(), st.data())
def test_every_seasonal_split_adds_back(total, periods, data):
    _, children = periods
    table = {
        p.same_period_last_year().label: data.draw(weight)
        for p in children
        if data.draw(st.integers(0, 9))  # now and then a period has no figure
    }
    check_split(split_by_seasonality(total, children, table), total)


@settings(max_examples=200, deadline=None)
@given(
    cents,
    st.lists(st.text(min_size=1, max_size=3), min_size=1, max_size=10, unique=True),
    st.data(),
)
def test_allocation_is_exact_iff_it_adds_up(total, people, data):
    for method in ("even", "share"):
        shares = {p: data.draw(weight) for p in people}
        result = allocate(total, people, method, shares=shares)
        assert result.status == "exact"
        check_split(Split(result.values, method), total)
    manual = {p: data.draw(cents) for p in people if data.draw(st.booleans())}
    result = allocate(total, people, "manual", manual=manual)
    added = sum(manual.values(), D(0))
    assert result.allocated_total == added
    assert result.difference == added - total
    assert (result.status == "exact") == (added == total)
    assert (result.status == "over") == (added > total)


@settings(max_examples=200, deadline=None)
@given(
    cents,
    st.sampled_from(["2026", "2026-Q2", "2026-07", "2026-W33"]),
    calendars,
    st.one_of(st.none(), st.dates(date(2025, 6, 1), date(2027, 6, 1))),
    st.one_of(st.none(), st.dates(date(2025, 6, 1), date(2027, 6, 1))),
)
def test_prorate_never_exceeds_the_value(value, label, cal, first, last):
    if first and last and last < first:
        first, last = last, first
    period = cal.parse(label)
    result = prorate(value, period, first, last)
    assert D(0) <= result <= value
    assert result == result.quantize(D("0.01"))


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    st.lists(st.decimals(0, 1, places=2), max_size=6),
    st.sampled_from(["2026", "2026-Q1", "2026-05", "2026-W20"]),
)
def test_ramp_factor_stays_between_the_smallest_step_and_one(start, ramp, label):
    period = CAL.parse(label)
    factor = ramp_factor(start, period, ramp)
    if start > period.end:
        assert factor == 0
    else:
        assert min([*ramp, D(1)]) <= factor <= 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.decimals(0, 10**6, places=2), min_size=4, max_size=20),
    st.integers(1, 99),
)
def test_percentile_matches_the_standard_library(weeks, p):
    recent = weeks[-12:]
    expected = statistics.quantiles(recent, n=100, method="inclusive")[p - 1]
    assert suggest_target(weeks, 1, percentile=p) == expected.quantize(D("0.01"), ROUND_HALF_UP)
