"""Every warning rule, triggered and not, at the edges of its thresholds."""

from __future__ import annotations

import math

import pytest

from accountable.demo.archetypes import WARNING_KINDS
from accountable.signals import rules
from accountable.signals.engine import outcomes_for
from accountable.signals.evidence import QuarterResult
from accountable.signals.thresholds import DEFAULTS as T
from accountable.signals.thresholds import INFO
from tests.signals.builders import benchmarks, figures


def test_the_kinds_are_exactly_the_ones_the_ground_truth_uses():
    assert rules.KINDS == WARNING_KINDS
    assert all(callable(getattr(rules, kind)) for kind in rules.KINDS)


# --- quota_miss_streak -------------------------------------------------------------------


def test_two_missed_quarters_in_a_row_warn():
    found = rules.quota_miss_streak(
        quarters=[("2026-Q1", 1.1, True), ("2026-Q2", 0.84, True), ("2026-Q3", 0.7, True)]
    )
    assert found.kind == "quota_miss_streak"
    assert found.severity == "medium"
    assert found.period == "2026-Q3"
    assert [q["period"] for q in found.evidence["quarters"]] == ["2026-Q2", "2026-Q3"]
    assert "2026-Q2 84%" in found.message
    assert found.message.endswith("(2026-Q2 84%, 2026-Q3 70%).")  # no quarter under way


def test_a_streak_says_when_it_ends_with_the_quarter_under_way():
    found = rules.quota_miss_streak(quarters=[("2026-Q2", 0.8, True), ("2026-Q3", 0.6, False)])
    assert "2026-Q3 60%; the quarter under way by its run rate)" in found.message
    # the quarter under way on pace leaves the streak of completed quarters alone
    past = [("Q1", 0.7, True), ("Q2", 0.8, True), ("Q3", 1.3, False)]
    assert "under way" not in rules.quota_miss_streak(quarters=past).message


def test_at_the_threshold_a_quarter_is_not_missed():
    edge = T.quota_miss_attainment
    assert rules.quota_miss_streak(quarters=[("Q1", edge, True), ("Q2", 0.5, True)]) is None
    assert rules.quota_miss_streak(quarters=[("Q1", edge - 0.001, True), ("Q2", 0.5, True)])


def test_one_bad_quarter_is_not_a_pattern():
    assert rules.quota_miss_streak(quarters=[("Q1", 1.0, True), ("Q2", 0.3, True)]) is None


def test_the_quarter_under_way_extends_a_streak_but_does_not_end_it():
    extends = [("Q2", 0.8, True), ("Q3", 0.6, False)]
    assert rules.quota_miss_streak(quarters=extends).evidence["quarters"][-1]["period"] == "Q3"
    lucky = [("Q1", 0.7, True), ("Q2", 0.8, True), ("Q3", 1.3, False)]
    assert rules.quota_miss_streak(quarters=lucky).period == "Q2"


def test_a_quarter_under_way_already_won_to_the_line_ends_the_streak():
    # Two quarters missed, and the one under way: a third of it gone and 90 % of its
    # target already won — it can no longer be missed, so the pattern is over.
    missed = [QuarterResult("2026-Q1", 100_000, 50_000, 1.0)]
    missed.append(QuarterResult("2026-Q2", 100_000, 60_000, 1.0))

    def streak(now: QuarterResult):
        found, _ = outcomes_for(figures(quarters=[*missed, now]), benchmarks(), T)
        return next((f for f in found if f.kind == "quota_miss_streak"), None)

    assert streak(QuarterResult("2026-Q3", 100_000, 90_000, 0.3)) is None
    assert streak(QuarterResult("2026-Q3", 100_000, 131_000, 0.7)) is None
    # On pace by its run rate but not yet won to the line: the streak stands
    lucky = streak(QuarterResult("2026-Q3", 100_000, 60_000, 0.6))
    assert lucky is not None and lucky.period == "2026-Q2"
    # Too early to judge by its run rate, and far from the line: the streak stands
    assert streak(QuarterResult("2026-Q3", 100_000, 10_000, 0.3)).period == "2026-Q2"


def test_three_quarters_or_a_deep_miss_is_high():
    three = [("Q1", 0.8, True), ("Q2", 0.8, True), ("Q3", 0.8, True)]
    assert rules.quota_miss_streak(quarters=three).severity == "high"
    deep = [("Q1", 0.5, True), ("Q2", 0.6, True)]
    assert rules.quota_miss_streak(quarters=deep).severity == "high"


# --- low_activity ------------------------------------------------------------------------


def test_low_activity_needs_both_the_quarter_and_the_last_weeks_low():
    edge = 50 * T.low_activity_ratio
    found = rules.low_activity(recent=edge, quarter=edge, team_median=50)
    assert found.kind == "low_activity"
    assert "30% below the team median" in found.message
    assert rules.low_activity(recent=edge + 0.1, quarter=edge, team_median=50) is None
    assert rules.low_activity(recent=edge, quarter=edge + 0.1, team_median=50) is None


def test_low_activity_severity_and_missing_data():
    assert rules.low_activity(recent=20, quarter=20, team_median=50).severity == "high"
    assert rules.low_activity(recent=None, quarter=20, team_median=50) is None
    assert rules.low_activity(recent=20, quarter=20, team_median=None) is None


# activity_drop, win_rate_decline, cycle_lengthening and deal_size_decline test a change
# against the person's own noise: see test_statistical_rules.py.


# --- low_coverage ------------------------------------------------------------------------


def _coverage(coverage, new=50_000, team_new=50_000, cycle=None, opportunities=None):
    return rules.low_coverage(
        coverage=coverage,
        open_pipeline=(coverage or 0) * 150_000,
        quarter_target=150_000,
        new_pipeline=new,
        team_new_pipeline=team_new,
        cycle_days=cycle,
        opportunities=opportunities,
    )


def test_low_coverage_now_and_not_being_rebuilt():
    refill_edge = 50_000 * T.low_coverage_refill_ratio
    assert _coverage(1.0, new=refill_edge - 1).kind == "low_coverage"
    assert _coverage(1.0, new=refill_edge) is None
    assert _coverage(T.low_coverage_ratio, new=10_000) is None
    assert _coverage(0.4, new=10_000).severity == "high"


def test_low_coverage_a_sales_cycle_from_now():
    # 20,000 a week for 56 days (8 weeks) is 160,000: 1.07 of the 150,000 target.
    found = _coverage(2.0, new=20_000, team_new=50_000, cycle=56)
    assert found.evidence["projected_pipeline_to_quota"] == pytest.approx(1.07, abs=0.01)
    edge = 150_000 * T.low_coverage_projected_ratio / 8
    assert _coverage(2.0, new=edge, team_new=50_000, cycle=56) is None
    assert _coverage(2.0, new=edge - 1, team_new=50_000, cycle=56) is not None


def test_low_coverage_is_not_a_whole_short_cycle_team():
    # A team selling small deals on short cycles holds little open pipeline against a
    # quarter's target; someone refilling theirs as their peers do is not warned.
    assert _coverage(0.9, new=20_000, team_new=21_000, cycle=27) is None


def test_low_coverage_takes_its_two_looks_at_new_opportunities_together():
    # No opportunity in 4 weeks where the team opens one a week happens by chance
    # 1 time in 55 (e^-4); over 16 weeks, 12 where 16 are usual, about 1 time in 5.
    # Either look alone would pass 1 in 50; two looks must pass it together (Simes).
    lucky = _coverage(0.5, new=0, opportunities=(0.0, 1.0, 1.0))
    assert isinstance(lucky, rules.NotEnoughData)
    assert lucky.evidence["chance"] == pytest.approx(2 * math.exp(-4), abs=1e-4)
    # The same month after twelve weeks of opening a quarter of the team's: 3 in 16
    # weeks where 16 are usual is no luck, and the two looks together still say so.
    habit = _coverage(0.5, new=0, opportunities=(0.0, 0.25, 1.0))
    assert habit.kind == "low_coverage"
    assert habit.evidence["chance"] < 0.001


def test_low_coverage_needs_a_target():
    assert _coverage(None) is None


# --- late_prospecting --------------------------------------------------------------------


def _late(recent, team=30.0):
    return rules.late_prospecting(
        recent=recent, team_median=team, baseline=28, weeks_since_opportunity=6, cycle_days=55
    )


def test_late_prospecting_at_the_edge():
    edge = 30 * T.late_prospecting_ratio
    assert _late(edge) is None
    found = _late(edge - 0.1)
    assert found.kind == "late_prospecting"
    assert "no new opportunity for 6 weeks" in found.message
    assert "55-day median sales cycle" in found.message
    assert _late(0).severity == "high"
    assert _late(0, team=None) is None


# --- wrong_product_mix -------------------------------------------------------------------


def test_wrong_product_mix_at_the_edge():
    edge = 0.6 * T.product_mix_ratio
    found = rules.wrong_product_mix(priority_share=edge - 0.01, won_deals=6, team_median=0.6)
    assert found.kind == "wrong_product_mix"
    assert rules.wrong_product_mix(priority_share=edge, won_deals=6, team_median=0.6) is None
    few = T.product_mix_min_won - 1
    # Too few deals won to judge a low share: not enough data, neither a warning nor a pass.
    unknown = rules.wrong_product_mix(priority_share=0.1, won_deals=few, team_median=0.6)
    assert isinstance(unknown, rules.NotEnoughData)
    assert f"only {few} deals won" in unknown.reason
    assert f"at least {T.product_mix_min_won} are needed" in unknown.reason
    # A share that is fine needs no more deals; nothing won, no mix at all.
    assert rules.wrong_product_mix(priority_share=0.6, won_deals=few, team_median=0.6) is None
    assert rules.wrong_product_mix(priority_share=0.0, won_deals=0, team_median=0.6) is None


# --- channel_mix -------------------------------------------------------------------------


def test_channel_mix_needs_both_channel_and_outcome_behind_the_top():
    edge = T.channel_mix_ratio

    def mix(phone, meetings):
        return rules.channel_mix(
            phone_share=phone,
            meetings_per_100=meetings,
            top_phone_share=1.0,
            top_meetings_per_100=10.0,
        )

    found = mix(edge - 0.01, 10 * edge - 0.1)
    assert found.kind == "channel_mix"
    assert found.severity == "low"
    assert mix(edge, 1.0) is None
    assert mix(0.1, 10 * edge) is None
    assert mix(None, 1.0) is None


# --- complaints --------------------------------------------------------------------------


def test_complaints_at_the_edges():
    assert rules.complaints(recent=T.complaints_count - 1) is None
    found = rules.complaints(recent=T.complaints_count, last_on="2026-08-10")
    assert found.severity == "medium"
    assert found.message == "2 customer complaints in the last 91 days, the latest on 2026-08-10."
    assert rules.complaints(recent=T.complaints_high_count).severity == "high"


# --- missed_commitments ------------------------------------------------------------------


def test_missed_commitments_at_the_edges():
    assert rules.missed_commitments(due=0, missed=0) is None
    assert rules.missed_commitments(due=5, missed=T.missed_commitments_count - 1) is None
    assert rules.missed_commitments(due=5, missed=2) is None  # 40%, under half
    found = rules.missed_commitments(due=4, missed=2)
    assert found.kind == "missed_commitments"
    assert found.severity == "medium"
    assert rules.missed_commitments(due=3, missed=3).severity == "high"


def test_every_warning_kind_names_the_setting_its_evidence_gives_as_threshold():
    assert set(rules.THRESHOLD_OF) == set(rules.KINDS)
    assert all(name in INFO for name in rules.THRESHOLD_OF.values())
    assert rules.threshold_of("complaints", T) == T.complaints_count
