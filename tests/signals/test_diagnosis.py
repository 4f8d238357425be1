"""The diagnosis walks the funnel: the first weak step is the cause; effort apart."""

from __future__ import annotations

from accountable.demo.archetypes import CAUSES, EFFORTS
from accountable.signals import diagnosis
from accountable.signals.diagnosis import diagnose, effort_of
from accountable.signals.evidence import QuarterResult
from tests.signals.builders import benchmarks, figures

WEAK = [QuarterResult("2026-Q2", 150_000, 100_000, 1.0)]
# 44 touches a week for the last 4 weeks, after 12 weeks of 70.
DROPPED = dict(
    touches_recent=44.0,
    touches_baseline=70.0,
    touches_weeks_recent=[44.0] * 4,
    touches_weeks_baseline=[70.0] * 12,
)


def test_the_vocabulary_is_the_ground_truths():
    assert diagnosis.CAUSES == CAUSES
    assert diagnosis.EFFORTS == EFFORTS


def test_a_typical_rep_has_nothing_to_fix():
    found = diagnose(figures(), benchmarks())
    assert (found.cause, found.effort) == ("none", "normal")
    assert found.message.startswith("No funnel problem found; 55 touches a week")
    assert "recognise" in found.next_step


def test_too_few_meetings_from_too_little_effort_is_prospecting_and_low_effort():
    fig = figures(
        touches_recent=28.0, first_meetings_recent=2.0, opportunities_recent=1.0, quarters=WEAK
    )
    found = diagnose(fig, benchmarks(), {"low_activity"})
    assert (found.cause, found.effort) == ("prospecting", "low")
    assert "Too few meetings: 2.0 first meetings and 1.0 new opportunities" in found.message
    assert "accountability conversation" in found.message
    assert found.next_step.startswith("Accountability conversation")


def test_busy_but_stopped_prospecting_is_prospecting_with_normal_effort():
    fig = figures(touches_recent=70.0, prospecting_recent=0.0, opportunities_recent=0.0)
    found = diagnose(fig, benchmarks(), {"late_prospecting"})
    assert (found.cause, found.effort) == ("prospecting", "normal")
    assert found.next_step.startswith("Coaching")


def test_meetings_low_against_the_team_needs_opportunities_low_too():
    edge = 4.0 * 0.65
    one = figures(first_meetings_recent=edge - 0.1, opportunities_recent=2.2)
    assert diagnose(one, benchmarks()).cause == "none"
    both = figures(first_meetings_recent=edge - 0.1, opportunities_recent=2.2 * 0.65 - 0.1)
    assert diagnose(both, benchmarks()).cause == "prospecting"


def test_enough_meetings_but_few_wins_is_conversion_a_coaching_opportunity():
    fig = figures(touches_recent=75.0, win_rate_recent=0.1, quarters=WEAK)
    found = diagnose(fig, benchmarks(), {"quota_miss_streak"})
    assert (found.cause, found.effort) == ("conversion", "normal")
    assert "win rate of 10% over 26 weeks against a team median of 25%" in found.message
    assert "coaching opportunity" in found.message


def test_results_based_causes_need_weak_results():
    fig = figures(win_rate_recent=0.1)  # the last quarter 100%, this one projects to 97%
    assert diagnose(fig, benchmarks()).cause == "none"


def test_normal_win_rate_but_small_deals_is_deal_size():
    fig = figures(deal_size_recent=15_000.0, quarters=WEAK)
    found = diagnose(fig, benchmarks())
    assert found.cause == "deal_size"
    # the win rate says its window: the scorecard's own win rate is the period's
    assert found.message.startswith("A normal win rate (25% over 26 weeks) but small deals")
    edge = figures(deal_size_recent=24_000 * 0.8, quarters=WEAK)
    assert diagnose(edge, benchmarks()).cause == "none"


def test_long_cycles_is_cycle():
    fig = figures(cycle_recent=90.0, quarters=WEAK)
    found = diagnose(fig, benchmarks())
    assert found.cause == "cycle"
    assert "Pipeline review" in found.next_step


def test_a_new_hire_is_not_judged_on_conversion_while_ramping():
    fig = figures(in_ramp=True, ramp_now=0.5, win_rate_recent=0.05, quarters=WEAK)
    found = diagnose(fig, benchmarks())
    assert found.cause == "none"
    assert "ramping, judged at 50% of full quota" in found.message


def test_effort_is_low_below_the_team_or_well_below_own_baseline():
    assert effort_of(figures(touches_recent=55 * 0.75), benchmarks()) == "normal"
    assert effort_of(figures(touches_recent=55 * 0.75 - 0.1), benchmarks()) == "low"
    dropped = figures(**DROPPED)
    assert effort_of(dropped, benchmarks()) == "low"
    ramping = figures(**DROPPED, in_ramp=True)
    assert effort_of(ramping, benchmarks()) == "normal"


def test_the_words_say_when_effort_is_low_against_the_persons_usual_week():
    found = diagnose(figures(**DROPPED, quarters=WEAK), benchmarks())
    assert found.effort == "low"
    said = "44 touches a week against a team median of 55 (own earlier 70), down to 63% of their"
    assert f"{said} usual week" in found.message
    # Low against the team alone: nothing about their own weeks.
    below_team = diagnose(figures(touches_recent=30.0, touches_baseline=31.0), benchmarks())
    assert below_team.effort == "low"
    assert "usual week" not in below_team.message
