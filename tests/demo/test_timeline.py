"""The shapes in time behind the archetypes, and the draws the generators share."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountable.demo.archetypes import BY_KEY, Behaviour
from accountable.demo.draws import Dither, poisson
from accountable.demo.generator import DEMO_CALENDAR
from accountable.demo.segments import HOLIDAY_SHARE, KICKOFF_SHARE, YEAR_END_SHARE, segment_of
from accountable.demo.timeline import RAMP_FLOOR, RepTimeline

TODAY = date(2026, 3, 16)
LONG_AGO = date(2023, 1, 2)


def timeline(behaviour: Behaviour, *, start: date = LONG_AGO, today: date = TODAY) -> RepTimeline:
    return RepTimeline(behaviour=behaviour, start_date=start, today=today, calendar=DEMO_CALENDAR)


def test_a_steady_rep_is_the_baseline_every_ordinary_day():
    steady = timeline(BY_KEY["steady"].behaviour)
    for day in (date(2023, 5, 9), TODAY - timedelta(days=150), TODAY):
        assert steady.activity(day) == steady.opportunities(day) == 1.0
        assert steady.win_rate(day) == steady.deal_size(day) == steady.cycle(day) == 1.0
        assert steady.prospects(day)


def test_the_year_has_a_holiday_month_quiet_weeks_and_a_kickoff():
    steady = timeline(BY_KEY["steady"].behaviour)
    assert steady.activity(date(2025, 8, 12)) == pytest.approx(HOLIDAY_SHARE)
    assert steady.activity(date(2025, 12, 29)) == pytest.approx(YEAR_END_SHARE)
    # 2026's kickoff: the week from Monday 5 January.
    assert steady.activity(date(2026, 1, 6)) == pytest.approx(KICKOFF_SHARE)
    assert steady.activity(date(2026, 1, 13)) == 1.0
    # Deal sizes and win rates do not take holidays.
    assert steady.deal_size(date(2025, 8, 12)) == steady.win_rate(date(2025, 8, 12)) == 1.0


def test_segments_sell_alike_within_and_differently_across():
    large = RepTimeline(
        behaviour=BY_KEY["steady"].behaviour,
        start_date=LONG_AGO,
        today=TODAY,
        calendar=DEMO_CALENDAR,
        segment=segment_of("North — Enterprise"),
    )
    small = replace(large, segment=segment_of("North — SMB"))
    assert large.deal_size(TODAY) > 10 * small.deal_size(TODAY)
    assert large.cycle(TODAY) == 4 * small.cycle(TODAY)
    assert large.opportunities(TODAY) < small.opportunities(TODAY) / 3
    assert segment_of("North — Mid-Market").key == "mid"


def test_nobody_sells_before_they_join():
    rep = timeline(Behaviour(), start=date(2026, 2, 2))
    assert rep.activity(date(2026, 1, 30)) == rep.opportunities(date(2026, 1, 30)) == 0
    assert not rep.prospects(date(2026, 1, 30))
    assert rep.activity(date(2026, 2, 2)) == 1.0


def test_a_slump_falls_by_a_third_and_stays_there():
    slump = timeline(BY_KEY["slump"].behaviour)  # -35% over two weeks, four weeks ago
    assert slump.activity(TODAY - timedelta(weeks=7)) == 1.0
    assert slump.activity(TODAY - timedelta(weeks=5)) == pytest.approx(0.825)
    assert slump.activity(TODAY - timedelta(weeks=4)) == pytest.approx(0.65)
    assert slump.activity(TODAY) == pytest.approx(0.65)


def test_shrinking_deals_fall_a_third_and_cycles_lengthen_by_most_of_a_half():
    shrinking = timeline(BY_KEY["shrinking_deals"].behaviour)
    assert shrinking.deal_size(TODAY - timedelta(weeks=30)) == 1.0
    assert shrinking.deal_size(TODAY - timedelta(weeks=22)) == pytest.approx(2 / 3)
    assert shrinking.deal_size(TODAY) == pytest.approx(2 / 3)
    long_cycles = timeline(BY_KEY["long_cycles"].behaviour)
    assert long_cycles.cycle(TODAY - timedelta(weeks=41)) == pytest.approx(1.0)
    assert long_cycles.cycle(TODAY - timedelta(weeks=20)) == pytest.approx(1.4)
    assert long_cycles.cycle(TODAY) == pytest.approx(1.8)


def test_losing_their_touch_halves_the_win_rate_for_two_quarters():
    losing = timeline(BY_KEY["losing_touch"].behaviour)
    assert losing.win_rate(TODAY - timedelta(weeks=40)) == 1.0
    assert losing.win_rate(TODAY - timedelta(weeks=32)) == pytest.approx(0.5)
    assert losing.win_rate(TODAY) == pytest.approx(0.5)


def test_a_new_hire_ramps_from_a_third_to_full_in_four_months():
    start = date(2026, 1, 12)
    hire = timeline(BY_KEY["new_hire"].behaviour, start=start)
    assert hire.ramp(start) == pytest.approx(RAMP_FLOOR)
    assert hire.ramp(start + timedelta(days=61)) == pytest.approx(2 / 3, abs=0.01)
    assert hire.ramp(start + timedelta(days=200)) == 1.0
    assert hire.win_rate(start) == pytest.approx(0.8 * RAMP_FLOOR)
    assert hire.ramped_on == start + timedelta(days=122)
    # Their revenue target starts a sales cycle after they do.
    assert hire.revenue_ramp(start + timedelta(days=30)) == 0


def test_prospecting_stops_after_week_three_of_this_quarter():
    stopper = timeline(BY_KEY["stopped_prospecting"].behaviour)
    assert stopper.prospecting_stopped_on == date(2026, 1, 22)
    assert stopper.prospects(date(2026, 1, 21))
    assert not stopper.prospects(date(2026, 1, 22))
    assert not stopper.prospects(TODAY)
    assert stopper.opportunities(TODAY) == 0
    assert stopper.activity(TODAY) == 1.0  # still busy, with customers
    assert stopper.facts()["prospecting_stopped_in"] == "2026-Q1"


def test_a_stop_too_recent_to_show_is_placed_in_the_quarter_before():
    stopper = timeline(BY_KEY["stopped_prospecting"].behaviour, today=date(2026, 2, 10))
    assert stopper.prospecting_stopped_on == date(2025, 10, 22)
    assert stopper.facts()["prospecting_stopped_in"] == "2025-Q4"


def test_facts_name_the_dates_of_each_pattern():
    assert set(timeline(BY_KEY["steady"].behaviour).facts()) == {"start_date", "segment"}
    assert timeline(BY_KEY["slump"].behaviour).facts()["activity_falling_since"] == "2026-02-02"
    assert "deal_size_falling_since" in timeline(BY_KEY["shrinking_deals"].behaviour).facts()
    assert "cycle_lengthening_since" in timeline(BY_KEY["long_cycles"].behaviour).facts()
    assert "ramped_on" in timeline(BY_KEY["new_hire"].behaviour, start=date(2026, 1, 5)).facts()


@given(st.floats(min_value=0, max_value=3), st.integers(min_value=0, max_value=2**32))
def test_dithered_counts_add_up_to_what_is_expected(mean, seed):
    dither = Dither(random.Random(seed))
    total = sum(dither.count(mean) for _ in range(200))
    assert abs(total - 200 * mean) <= 1.5


@given(st.floats(min_value=0, max_value=1), st.integers(min_value=0, max_value=2**32))
def test_dithered_chances_happen_as_often_as_they_should(chance, seed):
    dither = Dither(random.Random(seed))
    happened = sum(dither.happens(chance) for _ in range(200))
    assert abs(happened - 200 * chance) <= 1.5


@pytest.mark.parametrize("mean", [0.4, 4.0, 60.0])
def test_poisson_counts_average_their_mean(mean):
    rng = random.Random(1)
    draws = [poisson(rng, mean) for _ in range(4000)]
    assert sum(draws) / len(draws) == pytest.approx(mean, rel=0.05)
    assert min(draws) >= 0
