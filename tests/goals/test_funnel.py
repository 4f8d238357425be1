"""Working a goal back through the funnel: hand-worked plans first, then properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accountable.goals.funnel import (
    STAGES,
    FunnelError,
    FunnelRates,
    adjust,
    choose_rates,
    plain_number,
    rates_from_counts,
    work_back,
)

D = Decimal
# An average deal of 23,500, 5 of 16 closed deals won (31.25%), 2 of 5 meetings opening
# an opportunity and 2 of 25 calls or e-mails leading to a meeting.
RATES = FunnelRates(D(23500), D("0.3125"), D("0.4"), D("0.08"))


def totals(plan):
    return {s.key: s.total for s in plan.stages}


def weekly(plan):
    return {s.key: s.per_week for s in plan.stages}


# ---- rates --------------------------------------------------------------------------


def test_rates_from_counts():
    rates = rates_from_counts(D("94000"), won=4, lost=6, opportunities=30, meetings=60, touches=750)
    assert rates.avg_deal_size == D(23500)
    assert rates.win_rate == D("0.4")
    assert rates.meeting_to_opportunity == D("0.5")
    assert rates.touch_to_meeting == D("0.08")
    assert rates.sample == {
        "won": 4,
        "lost": 6,
        "closed": 10,
        "opportunities": 30,
        "meetings": 60,
        "touches": 750,
    }


def test_rates_with_nothing_behind_them_are_none():
    rates = rates_from_counts(0, won=0, lost=0, opportunities=3, meetings=0, touches=0)
    assert (rates.avg_deal_size, rates.win_rate) == (None, None)
    assert (rates.meeting_to_opportunity, rates.touch_to_meeting) == (None, None)
    lost_only = rates_from_counts(0, won=0, lost=4, opportunities=0, meetings=5, touches=50)
    assert lost_only.win_rate == 0
    assert lost_only.meeting_to_opportunity == 0


def test_counts_must_be_whole_and_not_negative():
    with pytest.raises(FunnelError, match="Deals lost must be a whole number"):
        rates_from_counts(0, won=1, lost=-1, opportunities=0, meetings=0, touches=0)
    with pytest.raises(FunnelError, match="Meetings must be a whole number"):
        rates_from_counts(0, won=1, lost=1, opportunities=0, meetings=2.5, touches=0)


TEAM = rates_from_counts(
    D("1000000"), won=40, lost=60, opportunities=200, meetings=500, touches=10000
)


def test_choose_the_persons_rates_when_they_have_the_history():
    person = rates_from_counts(
        D("150000"), won=6, lost=4, opportunities=30, meetings=25, touches=400
    )
    rates, sources = choose_rates(person, TEAM)
    assert sources == dict.fromkeys(
        ["avg_deal_size", "win_rate", "meeting_to_opportunity", "touch_to_meeting"], "person"
    )
    assert rates.avg_deal_size == D(25000)
    assert rates.win_rate == D("0.6")
    assert rates.sample == person.sample


def test_fall_back_to_the_team_per_rate():
    # 4 closed deals (fewer than 5) but 25 meetings: deal rates from the team, meeting
    # rates their own.
    person = rates_from_counts(
        D("90000"), won=3, lost=1, opportunities=10, meetings=25, touches=500
    )
    rates, sources = choose_rates(person, TEAM)
    assert sources == {
        "avg_deal_size": "team",
        "win_rate": "team",
        "meeting_to_opportunity": "person",
        "touch_to_meeting": "person",
    }
    assert (rates.avg_deal_size, rates.win_rate) == (D(25000), D("0.4"))
    assert (rates.meeting_to_opportunity, rates.touch_to_meeting) == (D("0.4"), D("0.05"))
    # The thresholds are parameters.
    _, lenient = choose_rates(person, TEAM, min_closed=4, min_meetings=30)
    assert lenient["win_rate"] == "person"
    assert lenient["meeting_to_opportunity"] == "team"


def test_a_zero_rate_of_ones_own_cannot_be_worked_back_through():
    person = rates_from_counts(0, won=0, lost=8, opportunities=0, meetings=30, touches=600)
    _, sources = choose_rates(person, TEAM)
    assert sources["win_rate"] == "team"
    assert sources["meeting_to_opportunity"] == "team"
    assert sources["touch_to_meeting"] == "person"


# ---- working back -------------------------------------------------------------------


def test_work_back_a_revenue_goal():
    plan = work_back(D("410000"), RATES, 13)
    # 410,000 / 23,500 = 17.4 → 18 deals; 18 / 0.3125 = 57.6 → 58 opportunities;
    # 58 / 0.4 = 145 meetings; 145 / 0.08 = 1,812.5 → 1,813 calls and e-mails.
    assert totals(plan) == {"deals": 18, "opportunities": 58, "meetings": 145, "touches": 1813}
    # Per week over 13 weeks, rounded up: 1.4 → 2, 4.5 → 5, 11.2 → 12, 139.5 → 140.
    assert weekly(plan) == {"deals": 2, "opportunities": 5, "meetings": 12, "touches": 140}
    assert plan.lines == (
        "To win 410,000 at an average deal of 23,500 you need 18 deals.",
        "At a 31% win rate that is 58 opportunities.",
        "If 40% of first meetings lead to an opportunity, that is 145 first meetings.",
        "If 8% of calls and e-mails lead to a first meeting, that is 1,813 calls and e-mails.",
        "Each week for 13 weeks: 2 deals, 5 opportunities, 12 "
        "first meetings and 140 calls and e-mails.",
    )
    assert plan.complete and plan.missing == ()
    assert not any(s.adjusted for s in plan.stages)


def test_each_stage_starts_from_the_whole_number_before_it():
    # Every rate is one in three. 410,000 / 23,500 → 18 deals; 18 * 3 = 54 opportunities
    # (not 53 from 17.4 * 3, and not 55 from the last-digit noise of 0.333…).
    rates = rates_from_counts(D("70500"), won=3, lost=6, opportunities=1, meetings=3, touches=9)
    plan = work_back(D("410000"), rates, 13)
    assert totals(plan) == {"deals": 18, "opportunities": 54, "meetings": 162, "touches": 486}
    assert plan.lines[1] == "At a 33% win rate that is 54 opportunities."


def test_borrowed_rates_are_named_in_the_explanation():
    person = rates_from_counts(
        D("90000"), won=3, lost=1, opportunities=10, meetings=25, touches=500
    )
    rates, sources = choose_rates(person, TEAM)
    plan = work_back(D("100000"), rates, 13, sources=sources)
    assert plan.lines[0] == (
        "To win 100,000 at the team's average deal of 25,000 "
        "(too little history of your own yet) you need 4 deals."
    )
    assert plan.lines[1] == (
        "At the team's 40% win rate (too little history of your own yet) that is 10 opportunities."
    )
    assert (
        plan.lines[2]
        == "If 40% of first meetings lead to an opportunity, that is 25 first meetings."
    )
    assert plan.lines[3] == (
        "If 5% of calls and e-mails lead to a first meeting, that is 500 calls and e-mails."
    )
    assert plan.sources == sources


def test_a_deals_won_goal_enters_at_deals():
    plan = work_back(12, RATES, 12, metric="deals_won")
    assert totals(plan) == {"deals": 12, "opportunities": 39, "meetings": 98, "touches": 1225}
    assert plan.lines[0] == "The goal is 12 deals won."
    assert plan.lines[-1] == (
        "Each week for 12 weeks: 1 deal, 4 opportunities, 9 "
        "first meetings and 103 calls and e-mails."
    )


def test_what_is_already_done_comes_off_the_weekly_figures():
    plan = work_back(D("410000"), RATES, 9, already={"deals": 5, "opportunities": 60})
    deals, opportunities = plan.stage("deals"), plan.stage("opportunities")
    assert (deals.total, deals.done, deals.remaining, deals.per_week) == (18, 5, 13, 2)
    assert (opportunities.remaining, opportunities.per_week) == (0, 0)
    assert plan.lines[-2] == "Already done: 5 deals and 60 opportunities."
    assert plan.lines[-1] == (
        "Each week for 9 weeks: 2 deals, 0 opportunities, 17 "
        "first meetings and 202 calls and e-mails."
    )


def test_a_missing_rate_stops_the_chain_and_says_what_data_is_missing():
    rates = FunnelRates(D(23500), None, D("0.4"), D("0.08"))
    plan = work_back(D("410000"), rates, 13)
    assert totals(plan) == {"deals": 18, "opportunities": None, "meetings": None, "touches": None}
    assert plan.missing == ("win_rate",)
    assert not plan.complete
    assert plan.lines == (
        "To win 410,000 at an average deal of 23,500 you need 18 deals.",
        "The opportunities needed can't be worked out: no deals have closed (won or lost) "
        "yet, so there is no win rate. To complete the plan, log closed deals, won and "
        "lost, or set the figures by hand.",
        "Each week for 13 weeks: 2 deals.",
    )


def test_a_zero_rate_stops_the_chain_too():
    rates = rates_from_counts(0, won=0, lost=4, opportunities=0, meetings=0, touches=0)
    plan = work_back(D("410000"), rates, 13)
    assert plan.missing == ("avg_deal_size",)
    assert plan.lines == (
        "The deals needed can't be worked out: no deals have been won yet, so there is no "
        "average deal size. To complete the plan, log won deals with their amounts, or set "
        "the figures by hand.",
    )
    deals_goal = work_back(10, rates, 13, metric="deals_won")
    assert deals_goal.missing == ("win_rate",)
    assert "no closed deal has been won yet, so the win rate is 0%" in deals_goal.lines[1]


def test_the_manager_adjusts_a_stage_and_the_rest_follows():
    plan = adjust(work_back(D("410000"), RATES, 13), {"opportunities": 70})
    assert totals(plan) == {"deals": 18, "opportunities": 70, "meetings": 175, "touches": 2188}
    opportunities = plan.stage("opportunities")
    assert opportunities.adjusted and opportunities.derived == 58
    assert not plan.stage("deals").adjusted
    assert plan.lines[1] == "Opportunities: 70, set by the manager (the funnel works out 58)."
    # Later adjustments add to earlier ones.
    again = adjust(plan, {"touches": 2000})
    assert totals(again)["opportunities"] == 70
    assert totals(again)["touches"] == 2000
    assert again.overrides == {"opportunities": 70, "touches": 2000}


def test_an_adjustment_fills_a_gap_in_the_data():
    rates = FunnelRates(D(23500), None, D("0.4"), D("0.08"))
    plan = adjust(work_back(D("410000"), rates, 13), {"opportunities": 60})
    assert plan.complete and plan.missing == ()
    assert totals(plan) == {"deals": 18, "opportunities": 60, "meetings": 150, "touches": 1875}
    assert plan.lines[1] == "Opportunities: 60, set by the manager."


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: work_back(-1, RATES, 13), "The target must be 0 or more"),
        (lambda: work_back(1, RATES, 0), "The number of weeks must be above zero"),
        (lambda: work_back(1, RATES, 13, already={"calls": 3}), "unknown stage calls"),
        (lambda: work_back(1, RATES, 13, metric="calls"), 'not "calls"'),
        (lambda: adjust(work_back(1, RATES, 13), {"deals": -2}), "0 or more"),
    ],
)
def test_bad_requests_say_why(call, message):
    with pytest.raises(FunnelError, match=message):
        call()


def test_plain_numbers():
    assert plain_number(D("410000")) == "410,000"
    assert plain_number(D("23456.5")) == "23,456.50"
    assert plain_number(D("23456.5"), 0) == "23,457"
    assert plain_number(1813) == "1,813"


# ---- properties ---------------------------------------------------------------------

rate = st.one_of(st.none(), st.decimals(D("0.001"), D("1.5"), places=3))


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(0, 10**9, places=2),
    st.one_of(st.none(), st.decimals(1, 10**6, places=2)),
    rate,
    rate,
    rate,
    st.floats(0.1, 60, allow_nan=False),
    st.dictionaries(st.sampled_from(STAGES), st.integers(0, 10**4), max_size=4),
    st.sampled_from(["revenue", "deals_won"]),
)
def test_per_week_times_weeks_covers_what_remains(
    target, deal, win, meeting, touch, weeks, already, metric
):
    if metric == "deals_won":
        target = target.quantize(D(1)) % 10**5
    rates = FunnelRates(deal, win, meeting, touch)
    plan = work_back(target, rates, weeks, already, metric=metric)
    reached = [s for s in plan.stages if s.total is not None]
    # The chain runs until the first missing rate, then stops.
    assert [s.key for s in reached] == list(STAGES[: len(reached)])
    assert bool(plan.missing) == (len(reached) < len(STAGES))
    for stage in reached:
        assert stage.remaining == max(stage.total - stage.done, 0)
        span = Fraction(D(str(weeks)))
        assert stage.per_week * span >= stage.remaining
        if stage.per_week:  # and no more than needed
            assert (stage.per_week - 1) * span < stage.remaining


# ---- from what is still to go, and when it would close ----------------------------------


def test_mid_period_the_chain_starts_from_what_is_still_to_go():
    done = {"deals": 10, "opportunities": 40, "meetings": 90, "touches": 1000}
    plan = work_back(D("410000"), RATES, 6, done, won=D("300000"))
    # 110,000 still to go / 23,500 = 4.7 → 5 deals more; / 0.3125 = 16 opportunities;
    # / 0.4 = 40 first meetings; / 0.08 = 500 calls and e-mails — each on top of what is done.
    assert {s.key: s.remaining for s in plan.stages} == {
        "deals": 5,
        "opportunities": 16,
        "meetings": 40,
        "touches": 500,
    }
    assert totals(plan) == {"deals": 15, "opportunities": 56, "meetings": 130, "touches": 1500}
    assert weekly(plan) == {"deals": 1, "opportunities": 3, "meetings": 7, "touches": 84}
    assert plan.to_go == D(110000)
    assert plan.lines[0] == "Still to go: 110,000 of 410,000 (300,000 won so far)."
    assert plan.lines[1] == "To win 110,000 at an average deal of 23,500 you need 5 deals more."


def test_a_target_already_reached_needs_nothing_more():
    plan = work_back(D("100000"), RATES, 6, {"deals": 5}, won=D("120000"))
    assert {s.key: s.remaining for s in plan.stages} == dict.fromkeys(STAGES, 0)


def test_prospecting_is_spread_over_the_weeks_a_first_meeting_still_closes_in_time():
    plan = work_back(D("110000"), RATES, 10, won=D(0), prospecting_weeks=4)
    assert weekly(plan) == {"deals": 1, "opportunities": 4, "meetings": 10, "touches": 125}
    assert plan.lines[-2:] == (
        "Each week for 10 weeks: 1 deal.",
        "Each week for the 4 weeks in which a first meeting still closes in time: "
        "4 opportunities, 10 first meetings and 125 calls and e-mails.",
    )


def test_the_managers_adjustment_still_works_from_what_is_still_to_go():
    plan = work_back(D("410000"), RATES, 6, {"opportunities": 40}, won=D("300000"))
    adjusted = adjust(plan, {"opportunities": 70})
    opportunities = adjusted.stage("opportunities")
    assert (opportunities.total, opportunities.remaining, opportunities.adjusted) == (70, 30, True)
    # The 30 still to open follow through: 30 / 0.4 = 75 first meetings.
    assert adjusted.stage("meetings").remaining == 75
    assert adjusted.won == D("300000")


def test_too_late_says_so_with_the_figures():
    from datetime import date

    from accountable.goals.funnel import timing

    late = timing(date(2026, 9, 1), "2026-Q3", date(2026, 9, 30), 47, 12, who="Rita's")
    assert late.too_late and late.close_on == date(2026, 10, 18)
    assert late.words == (
        "It is already too late for 2026-Q3 to be won from new prospecting. At Rita's "
        "median sales cycle of 47 days, a first meeting held today (1 Sep 2026) would close "
        "around 18 Oct 2026, after 2026-Q3 ends on 30 Sep 2026: what is still to go has to "
        "come from deals already open."
    )
    early = timing(date(2026, 7, 6), "2026-Q3", date(2026, 9, 30), 47, 12, who="Rita's")
    assert not early.too_late and early.last_first_meeting == date(2026, 8, 14)
    assert "first meetings held after 14 Aug 2026 would close too late" in early.words
    thin = timing(date(2026, 7, 6), "2026-Q3", date(2026, 9, 30), 30, 3, who="Rita's")
    assert thin.cycle_days is None and not thin.too_late
    assert "rests on 3 deals won, too few (5 needed)" in thin.words


def test_too_few_closed_deals_anywhere_are_said_not_guessed():
    person = rates_from_counts(D(9000), won=1, lost=1, opportunities=4, meetings=25, touches=300)
    team = rates_from_counts(D(9000), won=2, lost=1, opportunities=30, meetings=90, touches=900)
    rates, sources = choose_rates(person, team)
    assert sources["win_rate"] == sources["avg_deal_size"] == "thin"
    assert rates.win_rate is None and rates.avg_deal_size is None
    plan = work_back(D(50000), rates, 10, sources=sources)
    assert plan.missing == ("avg_deal_size",)
    assert "too few deals have closed, yours or the team's" in plan.lines[0]
    assert "the plan does not guess" in plan.lines[0]


@settings(max_examples=60, deadline=None)
@given(
    target=st.integers(min_value=0, max_value=2_000_000),
    won=st.integers(min_value=0, max_value=2_000_000),
    more=st.integers(min_value=0, max_value=500_000),
)
def test_more_still_to_go_never_needs_less_activity(target, won, more):
    """Monotonic: a bigger target (or less won so far) never asks for fewer of anything."""
    less = work_back(D(target), RATES, 8, won=D(won))
    bigger = work_back(D(target + more), RATES, 8, won=D(won))
    for a, b in zip(less.stages, bigger.stages, strict=True):
        assert b.remaining >= a.remaining and b.per_week >= a.per_week
