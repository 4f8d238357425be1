"""The rules that compare someone with their own past judge a change against that
person's own noise, say how sure they are, and say "not enough data" rather than firing
or passing when the sample cannot tell a change that matters from chance.

The statistical edges: a rep with few closed deals, a rep whose only large deal falls
in one window, a holiday month in the baseline, a ramping hire.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from accountable.signals import evidence, rules, stats
from accountable.signals.diagnosis import diagnose, effort_of
from accountable.signals.engine import outcomes_for
from accountable.signals.rules import Finding, NotEnoughData
from accountable.signals.thresholds import DEFAULTS as T
from tests.signals.builders import benchmarks, figures


def _lognormal(rng: random.Random, n: int, centre: float, sigma: float) -> list[float]:
    return [round(centre * rng.lognormvariate(0, sigma), -2) for _ in range(n)]


# --- the tests themselves -----------------------------------------------------------------


def test_fisher_is_exact_on_a_small_table():
    # 0 of 3 won now, 3 of 3 before: one arrangement in C(6,3) = 20.
    assert stats.fisher_lower(0, 3, 3, 3) == pytest.approx(1 / 20)
    assert stats.fisher_lower(3, 3, 0, 3) == 1.0


def test_the_rank_test_is_exact_for_small_samples():
    # Every value now below every value before: 1 arrangement in C(6,3).
    assert stats.mann_whitney_lower([1, 2, 3], [4, 5, 6]) == pytest.approx(1 / 20)
    assert stats.mann_whitney_lower([4, 5, 6], [1, 2, 3]) == 1.0
    # Large samples use the normal approximation, which agrees with the exact one.
    rng = random.Random(3)
    xs = [rng.random() for _ in range(29)]
    ys = [rng.random() + 0.2 for _ in range(30)]
    exact = stats.mann_whitney_lower(xs[:20], ys[:20])
    assert 0 < exact < 0.2
    assert stats.mann_whitney_lower(xs, ys) < 0.05


def test_the_typical_ratio_is_on_a_log_scale():
    assert stats.hodges_lehmann_ratio([50, 100], [100, 200]) == pytest.approx(0.5)


def test_chances_in_plain_words():
    assert stats.chance_in_words(0.02) == "about 1 time in 50"
    assert stats.chance_in_words(0.0004) == "less than 1 time in 1,000"
    assert stats.chance_in_words(0.6) == "about half the time or more"


# --- win rate -----------------------------------------------------------------------------


def test_a_win_rate_drop_says_how_often_chance_does_that():
    found = rules.win_rate_decline(
        wins_recent=8, closed_recent=60, wins_baseline=21, closed_baseline=60
    )
    assert isinstance(found, Finding)
    assert found.message.startswith(
        "Win rate 13% over 60 closed deals in the last 26 weeks, against 35% over 60 in the "
        "26 before: a drop this large happens by chance"
    )
    assert found.evidence["chance"] < 1 - T.confidence


def test_few_closed_deals_are_not_enough_data_not_a_warning():
    # 18% over 11 against 36% over 11 looks like a halving, but with eleven deals a
    # drop like that happens by chance about one time in six.
    found = rules.win_rate_decline(
        wins_recent=2, closed_recent=11, wins_baseline=4, closed_baseline=11
    )
    assert isinstance(found, NotEnoughData)
    assert "by chance about 1 time in" in found.reason
    # Below the minimum sample it does not even try.
    few = rules.win_rate_decline(wins_recent=0, closed_recent=5, wins_baseline=3, closed_baseline=6)
    assert isinstance(few, NotEnoughData)
    assert f"at least {T.win_rate_min_closed} in each" in few.reason


def test_a_stable_rep_with_a_noisy_half_year_is_left_alone():
    # Ten points down on 25 deals each: the kind of move chance makes.
    found = rules.win_rate_decline(
        wins_recent=6, closed_recent=25, wins_baseline=9, closed_baseline=25
    )
    assert not isinstance(found, Finding)
    # A small dip over a hundred deals each: a drop of a quarter could still hide in
    # it (chance alone moves a 30% win rate by that much), so it is not a pass either.
    hundred = rules.win_rate_decline(
        wins_recent=27, closed_recent=100, wins_baseline=30, closed_baseline=100
    )
    assert isinstance(hundred, NotEnoughData)
    # With enough deals to rule a real decline out, the same dip passes.
    assert (
        rules.win_rate_decline(
            wins_recent=270, closed_recent=1000, wins_baseline=300, closed_baseline=1000
        )
        is None
    )


# --- deal size ----------------------------------------------------------------------------


def test_the_only_large_deal_in_one_window_is_one_rank_not_a_drop():
    rng = random.Random(7)
    before = _lognormal(rng, 10, 24_000, 0.25)
    now = _lognormal(rng, 10, 24_000, 0.25)
    # The year's one large deal closed in the half-year before: the average then is far
    # higher, and the average now looks like a drop of more than a third.
    before_with_whale = [*before[:-1], 400_000]
    average_before = sum(before_with_whale) / len(before_with_whale)
    assert sum(now) / len(now) < 0.7 * average_before
    found = rules.deal_size_decline(amounts_recent=now, amounts_baseline=before_with_whale)
    assert not isinstance(found, Finding)
    # And the other way round: the one large deal now hides nothing.
    assert (
        rules.deal_size_decline(amounts_recent=[*now[:-1], 400_000], amounts_baseline=before)
        is None
    )


def test_deals_a_third_smaller_are_found():
    rng = random.Random(11)
    before = _lognormal(rng, 14, 24_000, 0.25)
    now = _lognormal(rng, 14, 16_000, 0.25)
    found = rules.deal_size_decline(amounts_recent=now, amounts_baseline=before, team_median=23_000)
    assert isinstance(found, Finding)
    assert "over 14 deals won in the last 26 weeks" in found.message
    assert "team median 23,000" in found.message
    assert found.evidence["typical_ratio"] <= T.deal_size_decline_ratio


def test_a_few_lumpy_large_deals_are_not_enough_data():
    # Large-deal segment: four wins a half-year, sizes spread wide.
    found = rules.deal_size_decline(
        amounts_recent=[60_000, 150_000, 45_000, 90_000],
        amounts_baseline=[120_000, 80_000, 260_000, 70_000],
    )
    assert isinstance(found, NotEnoughData)
    assert "vary too much" in found.reason
    too_few = rules.deal_size_decline(amounts_recent=[50_000, 60_000], amounts_baseline=[1e5] * 5)
    assert isinstance(too_few, NotEnoughData)
    assert f"at least {T.deal_size_min_won} in each" in too_few.reason


# --- cycle --------------------------------------------------------------------------------


def test_cycles_half_as_long_again_are_found_and_a_slow_deal_is_not():
    rng = random.Random(5)
    before = [round(55 * rng.lognormvariate(0, 0.2)) for _ in range(12)]
    longer = [round(85 * rng.lognormvariate(0, 0.2)) for _ in range(12)]
    found = rules.cycle_lengthening(cycles_recent=longer, cycles_baseline=before, open_age=70)
    assert isinstance(found, Finding)
    assert "Deals take longer to win" in found.message
    same = [round(55 * rng.lognormvariate(0, 0.2)) for _ in range(11)] + [300]
    assert not isinstance(
        rules.cycle_lengthening(cycles_recent=same, cycles_baseline=before), Finding
    )


# --- activity -----------------------------------------------------------------------------


def test_a_holiday_month_in_the_baseline_does_not_hide_a_drop_or_make_one():
    usual = [52, 49, 51, 50, 48, 53, 50, 51]
    holiday = [22, 25, 20, 24]  # four weeks of summer holiday among the twelve
    baseline = usual[:4] + holiday + usual[4:]
    # The usual week is still about 50, not the mean of 43 the holiday drags it to.
    level, _spread = stats.robust_level(baseline)
    assert level == pytest.approx(50, abs=1.5)
    dropped = rules.activity_drop(
        recent_weeks=[33, 35, 34, 32], baseline_weeks=baseline, team_median=None
    )
    assert isinstance(dropped, Finding)
    assert "A drop this large happens by chance" in dropped.message
    # Back to normal after the holiday: nothing.
    assert (
        rules.activity_drop(
            recent_weeks=[50, 49, 52, 51], baseline_weeks=baseline, team_median=None
        )
        is None
    )


def test_ordinary_weekly_ups_and_downs_are_not_a_drop():
    rng = random.Random(2)
    weeks = [rng.gauss(50, 5) for _ in range(16)]
    assert (
        rules.activity_drop(recent_weeks=weeks[12:], baseline_weeks=weeks[:12], team_median=50)
        is None
    )


def test_a_drop_in_a_rep_with_wild_weeks_is_not_enough_data():
    wild = [10, 90, 15, 80, 20, 85, 12, 95, 18, 70, 25, 88]
    found = rules.activity_drop(
        recent_weeks=[30, 35, 28, 33], baseline_weeks=wild, team_median=None
    )
    assert isinstance(found, NotEnoughData)
    away = rules.activity_drop(recent_weeks=[50, 48], baseline_weeks=[50] * 12, team_median=None)
    assert isinstance(away, NotEnoughData)


def test_a_drop_to_half_is_high_severity():
    found = rules.activity_drop(
        recent_weeks=[24, 25, 23, 26], baseline_weeks=[50, 52, 48, 51, 49, 50], team_median=55
    )
    assert found.severity == "high"
    assert "below the team median of 55" in found.message


# --- the engine: a ramping hire, and not enough data shown --------------------------------


def test_a_ramping_hire_is_not_judged_on_their_own_past_and_says_so():
    fig = figures(
        in_ramp=True,
        ramp_now=0.5,
        touches_weeks_recent=[20, 21, 19, 20],
        touches_weeks_baseline=[60] * 8,
        wins_recent=1,
        wins_baseline=9,
    )
    findings, undecided = outcomes_for(fig, benchmarks(), T)
    kinds = {f.kind for f in findings}
    assert not kinds & {
        "activity_drop",
        "win_rate_decline",
        "deal_size_decline",
        "cycle_lengthening",
    }
    why = {u.kind: u.reason for u in undecided}
    assert set(why) == {
        "activity_drop",
        "win_rate_decline",
        "cycle_lengthening",
        "deal_size_decline",
    }
    assert "still ramping (carrying 50% of a full quota)" in why["win_rate_decline"]
    # Ramped, the same numbers are judged.
    ramped = replace(fig, in_ramp=False, ramp_now=1.0)
    assert "activity_drop" in {f.kind for f in outcomes_for(ramped, benchmarks(), T)[0]}


def test_a_stricter_confidence_asks_for_more():
    args = dict(wins_recent=4, closed_recent=30, wins_baseline=14, closed_baseline=30)
    assert isinstance(rules.win_rate_decline(**args), Finding)
    strict = replace(T, confidence=0.999)
    assert isinstance(rules.win_rate_decline(**args, t=strict), NotEnoughData)


# --- product mix: few priority deals against the team's share ------------------------------


def test_the_binomial_tail_is_exact():
    # 0 of 5 at a share of 0.6: 0.4 ** 5; all of them or fewer: certain.
    assert stats.binomial_lower(0, 5, 0.6) == pytest.approx(0.4**5)
    assert stats.binomial_lower(1, 2, 0.5) == pytest.approx(0.75)
    assert stats.binomial_lower(5, 5, 0.6) == pytest.approx(1.0)
    assert stats.binomial_lower(0, 0, 0.6) == 1.0
    assert stats.binomial_lower(2, 3, 1.0) == 0.0


def test_several_looks_at_one_question_keep_its_confidence():
    # Simes: the smallest of m·p(i)/i. Two looks at 0.015 and 0.3 make 0.03, not
    # 0.015; two that agree at 0.015 and 0.018 make 0.018.
    assert stats.simes([0.3, 0.015]) == pytest.approx(0.03)
    assert stats.simes([0.015, 0.018]) == pytest.approx(0.018)
    assert stats.simes([0.004]) == pytest.approx(0.004)
    assert stats.simes([0.9, 0.8]) == pytest.approx(0.9)
    assert stats.simes([]) == 1.0


def _mix(won: int, priority: int, share: float = 0.1):
    return rules.wrong_product_mix(
        priority_share=share,
        won_deals=won,
        team_median=0.6,
        priority_won=priority,
        team_deal_share=0.6,
    )


def test_a_low_product_mix_on_few_deals_is_not_enough_data():
    # 1 of 5 deals in priority products against the team's 60 %: 1 time in 11 by chance.
    found = _mix(5, 1)
    assert isinstance(found, NotEnoughData) and found.kind == "wrong_product_mix"
    assert "1 of 5 deals won in the priority products" in found.reason
    assert "by chance about 1 time in 11" in found.reason


def test_a_low_product_mix_on_enough_deals_is_a_warning_with_its_odds():
    # 1 of 12: far fewer than chance gives at the team's share.
    found = _mix(12, 1)
    assert isinstance(found, Finding)
    assert found.evidence["priority_deals_won"] == 1
    assert found.evidence["chance"] < 1 - T.confidence
    assert "12 deals won, 1 of them in priority products" in found.message
    assert "So few happen by chance" in found.message
    # A value share at or above the edge is no warning, however few the deals.
    assert _mix(12, 1, share=0.6 * T.product_mix_ratio) is None


# --- the organisation's week: a holiday month or a kickoff week everyone had ------------

# Sixteen weeks (the 12 before, then the last 4) of the sixteen steady reps and one in a
# slump, from a generated demo: the first four weeks are the August holiday month, when
# everyone works at about 60 %; the slump is a third fewer touches over the last month.
STEADY_WEEKS = [
    [33, 28, 30, 35, 46, 47, 45, 44, 39, 42, 37, 40, 40, 45, 48, 36],
    [25, 24, 28, 28, 34, 36, 44, 31, 41, 39, 31, 34, 38, 41, 36, 38],
    [31, 30, 30, 22, 43, 41, 39, 42, 43, 50, 38, 35, 41, 39, 39, 43],
    [28, 23, 31, 29, 36, 43, 43, 36, 37, 38, 40, 37, 40, 41, 40, 41],
    [35, 35, 37, 34, 61, 49, 54, 59, 53, 49, 61, 52, 56, 54, 59, 49],
    [48, 32, 39, 38, 54, 57, 62, 62, 58, 53, 57, 54, 60, 52, 57, 67],
    [45, 42, 37, 41, 72, 64, 69, 74, 73, 67, 69, 68, 73, 78, 73, 69],
    [46, 44, 35, 48, 66, 62, 67, 61, 61, 63, 62, 71, 77, 69, 62, 74],
    [57, 44, 39, 43, 63, 77, 72, 70, 67, 73, 75, 66, 86, 73, 76, 76],
    [28, 23, 23, 27, 33, 42, 44, 43, 43, 38, 37, 38, 45, 44, 34, 41],
    [25, 33, 21, 19, 31, 41, 44, 33, 37, 31, 44, 39, 41, 44, 46, 41],
    [29, 21, 31, 25, 31, 42, 38, 50, 41, 41, 39, 46, 35, 35, 39, 42],
    [29, 34, 28, 34, 46, 49, 56, 53, 60, 48, 45, 51, 63, 58, 55, 54],
    [35, 35, 36, 35, 52, 56, 49, 53, 47, 54, 51, 59, 49, 55, 66, 51],
    [40, 41, 37, 32, 50, 46, 52, 56, 50, 52, 60, 51, 48, 61, 47, 61],
    [36, 36, 34, 34, 53, 53, 63, 58, 50, 57, 49, 56, 49, 51, 53, 50],
]
SLUMP_WEEKS = [32, 30, 32, 34, 43, 58, 59, 49, 49, 56, 51, 37, 40, 36, 37, 35]


def _weeks_rep(person_id: int, weeks: list[float], **changes):
    earlier, recent = [float(w) for w in weeks[:12]], [float(w) for w in weeks[12:]]
    values = {
        "touches_by_week": [*earlier, *recent],
        "touches_weeks_baseline": earlier,
        "touches_weeks_recent": recent,
        "touches_baseline": sum(earlier) / len(earlier),
        "touches_recent": sum(recent) / len(recent),
    }
    return figures(person_id=person_id, **{**values, **changes})


def _drop(fig, index) -> Finding | NotEnoughData | None:
    found, undecided = outcomes_for(fig, replace(benchmarks(), week_index=index), T)
    return next((f for f in [*found, *undecided] if f.kind == "activity_drop"), None)


def test_the_organisations_week_reads_a_holiday_month_from_everyone():
    team = [_weeks_rep(i, w) for i, w in enumerate([*STEADY_WEEKS, SLUMP_WEEKS], 1)]
    index = evidence.week_index(team)
    assert len(index) == 16
    assert sum(index) / 16 == pytest.approx(1.0)
    assert all(0.6 < week < 0.85 for week in index[:4])  # the holiday month
    assert all(0.85 < week < 1.2 for week in index[4:])
    # Too few people to say, and people who logged nothing or are ramping, read nothing.
    assert evidence.week_index(team[:4]) == ()
    quiet = [_weeks_rep(20 + i, [0] * 16) for i in range(5)]
    ramping = [_weeks_rep(30 + i, [5] * 16, in_ramp=True) for i in range(5)]
    assert evidence.week_index([*team[:4], *quiet, *ramping]) == ()
    # A week in which most people logged nothing is missing data, not a calendar.
    gap = [_weeks_rep(40 + i, [*w[:15], 0]) for i, w in enumerate(STEADY_WEEKS)]
    assert evidence.week_index(gap) == ()


def test_a_slump_the_holiday_month_hid_is_found_against_the_organisations_week():
    team = [_weeks_rep(i, w) for i, w in enumerate([*STEADY_WEEKS, SLUMP_WEEKS], 1)]
    index = evidence.week_index(team)
    slump = team[-1]
    # On the raw weeks the holiday month makes the usual week look as wild as the drop.
    assert not isinstance(_drop(slump, ()), Finding)
    found = _drop(slump, index)
    assert isinstance(found, Finding)
    assert found.evidence["touches_per_week_4w"] == pytest.approx(37.0)  # as logged
    assert found.evidence["touches_per_week_4w_in_ordinary_weeks"] < 37.0
    assert "over the 12 before, each week measured against what everyone did that week" in (
        found.message
    )
    # The steady reps, measured the same way, are left alone.
    assert not any(isinstance(_drop(fig, index), Finding) for fig in team[:-1])


def test_a_holiday_month_everyone_is_in_now_is_not_a_drop():
    # The same weeks a season later: the last four are a holiday month for everyone.
    later = [[*w[4:16], *(round(x * 0.6) for x in w[8:12])] for w in STEADY_WEEKS]
    team = [_weeks_rep(i, w) for i, w in enumerate(later, 1)]
    raw = [_drop(fig, ()) for fig in team]
    assert sum(isinstance(f, Finding) for f in raw) >= 12  # a month at 60 %, on its own
    index = evidence.week_index(team)
    assert not any(isinstance(_drop(fig, index), Finding) for fig in team)


def test_a_holiday_month_everyone_is_in_now_is_nobodys_lack_of_effort():
    later = [[*w[4:16], *(round(x * 0.6) for x in w[8:12])] for w in STEADY_WEEKS]
    team = [_weeks_rep(i, w) for i, w in enumerate(later, 1)]
    bench = benchmarks(touches_recent=None)
    # Against their own earlier weeks as they are, everyone's effort dropped.
    assert all(effort_of(fig, bench) == "low" for fig in team)
    calendar = replace(bench, week_index=evidence.week_index(team))
    assert all(effort_of(fig, calendar) == "normal" for fig in team)
    # A drop of the person's own still shows through the organisation's week.
    own = _weeks_rep(99, [*later[0][:12], *(round(x * 0.6) for x in later[0][12:])])
    assert effort_of(own, calendar) == "low"
    # And the diagnosis says it is their own weeks, read against everyone's, that fell —
    # by as much as the activity drop says.
    said = diagnose(own, calendar).message
    assert "of their usual week, each week against what everyone did that week" in said
    drop = _drop(own, calendar.week_index)
    assert isinstance(drop, Finding)
    below = int(re.search(r"Touches (\d+)% below their usual week", drop.message)[1])
    down_to = int(re.search(r"down to (\d+)% of their usual week", said)[1])
    assert below + down_to == 100
