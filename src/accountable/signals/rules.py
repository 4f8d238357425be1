"""The warning rules: one small function per warning kind, over plain numbers.

Each rule takes the figures it needs (already ramp-adjusted, see `evidence`)
and the thresholds, and returns a `Finding` — kind, severity, a message in
plain words with the numbers, and the evidence it used (the numbers, the
baseline and the benchmark) — or None when there is nothing to warn about.
The rules that compare someone with their own past (activity drop, win rate,
deal size, cycle) test whether the change is larger than that person's own
noise (`stats`) and say how often a change that large happens by chance; when
the sample cannot tell a change that matters from chance they return
`NotEnoughData` — neither a warning nor a pass.
No database, no dates beyond labels: every edge can be tested directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from accountable.signals.stats import (
    Test,
    binomial_lower,
    chance_in_words,
    fisher_lower,
    poisson_lower,
    proportion_drop,
    rank_shift,
    rank_shift_detectable,
    rate_drop,
    robust_level,
    simes,
    z_for,
)
from accountable.signals.thresholds import DEFAULTS, Thresholds

TIMES = "\u00d7"  # the multiplication sign, as in "coverage 2.1 times"
# What an activity drop's message says when its weeks were read against the organisation's.
ADJUSTED = ", each week measured against what everyone did that week"

__all__ = [
    "KINDS",
    "THRESHOLD_OF",
    "Finding",
    "NotEnoughData",
    "activity_drop",
    "channel_mix",
    "complaints",
    "cycle_lengthening",
    "deal_size_decline",
    "late_prospecting",
    "low_activity",
    "low_coverage",
    "missed_commitments",
    "quota_miss_streak",
    "threshold_of",
    "win_rate_decline",
    "wrong_product_mix",
]

# Exactly these names, in JSON and the API (SPEC §5; the demo's ground truth uses them).
KINDS = (
    "quota_miss_streak",
    "low_activity",
    "activity_drop",
    "win_rate_decline",
    "cycle_lengthening",
    "deal_size_decline",
    "low_coverage",
    "late_prospecting",
    "wrong_product_mix",
    "channel_mix",
    "complaints",
    "missed_commitments",
)
LOW, MEDIUM, HIGH = "low", "medium", "high"


@dataclass(frozen=True)
class NotEnoughData:
    """A rule that could not judge with the confidence asked for: too few deals or weeks,
    or numbers that vary too much to tell a change that matters from chance. Neither a
    warning nor a pass: shown with the person's signals as "not enough data" and why."""

    kind: str
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A warning the rules found: what, how bad, in words, and on which numbers.
    `period` is left blank when the finding is about the current period."""

    kind: str
    severity: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    period: str = ""


# The setting each warning's evidence gives as its "threshold" (`thresholds.INFO`), so a
# page can say it in its own unit: a share, a multiple or a count.
THRESHOLD_OF = {
    "quota_miss_streak": "quota_miss_attainment",
    "low_activity": "low_activity_ratio",
    "activity_drop": "activity_drop_ratio",
    "win_rate_decline": "win_rate_decline_ratio",
    "cycle_lengthening": "cycle_lengthening_ratio",
    "deal_size_decline": "deal_size_decline_ratio",
    "low_coverage": "low_coverage_ratio",
    "late_prospecting": "late_prospecting_ratio",
    "wrong_product_mix": "product_mix_ratio",
    "channel_mix": "channel_mix_ratio",
    "complaints": "complaints_count",
    "missed_commitments": "missed_commitments_count",
}


def threshold_of(kind: str, t: Thresholds) -> float | int:
    """The value of the setting a warning of `kind` is judged against."""
    return getattr(t, THRESHOLD_OF[kind])


# The fewest weeks a person must have been there, of the recent 4 and of the 12
# before, for a figure a week of theirs to be read (time off and new starts leave
# weeks out).
MIN_RECENT_WEEKS = 3
MIN_BASELINE_WEEKS = 6


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _below(value: float, reference: float) -> str:
    """ "41% below" — how far `value` falls short of `reference`."""
    return f"{1 - value / reference:.0%} below" if reference else "below"


def _n(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def _ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def quota_miss_streak(
    *, quarters: Sequence[tuple[str, float, bool]], t: Thresholds = DEFAULTS
) -> Finding | None:
    """Missed quota in consecutive quarters — a pattern, not one bad month.

    `quarters` are (label, attainment, settled) oldest first, attainment
    against the (ramped) target: actual for completed quarters, the run-rate
    projection for the current one. Settled: the quarter is over, or the revenue
    already won reaches the line (it can no longer be missed). The streak is
    counted back from the latest; a quarter still under way can extend a streak
    but ends it only once settled.
    """
    streak: list[tuple[str, float]] = []
    under_way = False  # the streak ends with the quarter under way
    for label, attainment, settled in reversed(quarters):
        if attainment >= t.quota_miss_attainment:
            if settled:
                break
            continue
        if not streak:
            under_way = not settled
        streak.insert(0, (label, attainment))
    if len(streak) < t.quota_miss_periods:
        return None
    average = sum(a for _, a in streak) / len(streak)
    high = len(streak) >= t.quota_miss_high_periods or average < t.quota_miss_high_attainment
    shown = ", ".join(f"{label} {_pct(a)}" for label, a in streak)
    if under_way:
        shown += "; the quarter under way by its run rate"
    return Finding(
        kind="quota_miss_streak",
        severity=HIGH if high else MEDIUM,
        message=(
            f"Below {_pct(t.quota_miss_attainment)} of the revenue target "
            f"{len(streak)} quarters running ({shown})."
        ),
        evidence={
            "quarters": [{"period": label, "attainment": round(a, 3)} for label, a in streak],
            "threshold": threshold_of("quota_miss_streak", t),
        },
        period=streak[-1][0],
    )


def low_activity(
    *,
    recent: float | None,
    quarter: float | None,
    team_median: float | None,
    t: Thresholds = DEFAULTS,
) -> Finding | None:
    """Touches a week well below the team median, for the last 12 weeks and still now
    (a habit, not a bad week). Figures are ramp-adjusted for new hires."""
    ratio_q, ratio_r = _ratio(quarter, team_median), _ratio(recent, team_median)
    if ratio_q is None or ratio_r is None:
        return None
    if ratio_q > t.low_activity_ratio or ratio_r > t.low_activity_ratio:
        return None
    return Finding(
        kind="low_activity",
        severity=HIGH if max(ratio_q, ratio_r) <= t.low_activity_high_ratio else MEDIUM,
        message=(
            f"Touches {_below(quarter, team_median)} the team median over the last 12 weeks "
            f"({_n(quarter)}/wk vs {_n(team_median)}/wk; last 4 weeks {_n(recent)}/wk)."
        ),
        evidence={
            "touches_per_week_12w": round(quarter, 1),
            "touches_per_week_4w": round(recent, 1),
            "team_median": round(team_median, 1),
            "threshold": threshold_of("low_activity", t),
        },
    )


def _chance(p: float) -> str:
    """ "a drop this large happens by chance about 1 time in 50" — the words for p."""
    return chance_in_words(p)


def _sure(p: float, t: Thresholds) -> bool:
    return p <= 1 - t.confidence


def activity_drop(
    *,
    recent_weeks: Sequence[float],
    baseline_weeks: Sequence[float],
    team_median: float | None,
    logged: float | None = None,
    t: Thresholds = DEFAULTS,
) -> Finding | NotEnoughData | None:
    """Touches a week over the last 4 weeks down against the person's usual week: the
    median of the 12 weeks before (a holiday month there does not drag it down), with
    their own week-to-week variation as the band a normal week stays in (`stats.rate_drop`).
    Weeks away or before the person started are left out (see `evidence`).
    `logged`: the touches a week over the recent weeks as logged, given when the weeks
    were measured against the organisation's week (`evidence.calendar_adjusted`): the
    drop is judged on those, the message says so, and the team median — of the same
    weeks — is compared with what was logged."""
    if len(recent_weeks) < MIN_RECENT_WEEKS or len(baseline_weeks) < MIN_BASELINE_WEEKS:
        return NotEnoughData(
            "activity_drop",
            f"only {len(recent_weeks)} of the last 4 weeks and {len(baseline_weeks)} of the 12 "
            f"before to compare (time off, or new): at least {MIN_RECENT_WEEKS} and "
            f"{MIN_BASELINE_WEEKS} are needed",
            {"weeks_recent": len(recent_weeks), "weeks_baseline": len(baseline_weeks)},
        )
    level, spread = robust_level(baseline_weeks)
    if level <= 0:
        return None  # nothing to drop from
    test = rate_drop(recent_weeks, baseline_weeks)
    recent = sum(recent_weeks) / len(recent_weeks)
    adjusted = logged is not None
    shown = logged if logged is not None else recent
    ratio = test.effect
    standard_error = spread * math.sqrt(1 / len(recent_weeks) + (math.pi / 2) / len(baseline_weeks))
    evidence = {
        "touches_per_week_4w": round(shown, 1),
        "usual_week": round(level, 1),
        "usual_variation": round(spread, 1),
        "weeks_recent": len(recent_weeks),
        "weeks_baseline": len(baseline_weeks),
        "team_median": round(team_median, 1) if team_median else None,
        "chance": round(test.p, 4),
        "threshold": threshold_of("activity_drop", t),
        "confidence": t.confidence,
    }
    if adjusted:
        # The weeks the drop is judged on: each against what everyone did that week.
        evidence["touches_per_week_4w_in_ordinary_weeks"] = round(recent, 1)
    if ratio > t.activity_drop_ratio:
        detectable = (1 - t.activity_drop_ratio) * level / standard_error >= z_for(t.confidence)
        if detectable or ratio >= 1:
            return None
        return NotEnoughData(
            "activity_drop",
            f"their weeks vary too much (usual {_n(level)} a week, give or take {_n(spread)}) "
            f"to tell a drop to {_pct(t.activity_drop_ratio)} from an ordinary month",
            evidence,
        )
    if not _sure(test.p, t):
        return NotEnoughData(
            "activity_drop",
            f"touches at {_n(recent)} a week against a usual {_n(level)}, but their weeks vary "
            f"so much that a dip like it happens by chance {_chance(test.p)}",
            evidence,
        )
    team = ""
    if team_median and shown < team_median:
        team = f"; {_below(shown, team_median)} the team median of {_n(team_median)}"
    return Finding(
        kind="activity_drop",
        severity=HIGH if ratio <= t.activity_drop_high_ratio else MEDIUM,
        message=(
            f"Touches {_below(recent, level)} their usual week: {_n(recent)} a week over the "
            f"last {len(recent_weeks)} weeks against {_n(level)} (give or take {_n(spread)}) "
            f"over the {len(baseline_weeks)} before"
            f"{f'{ADJUSTED} ({_n(shown)} a week as logged)' if adjusted else ''}{team}. "
            f"A drop this large happens by chance {_chance(test.p)}."
        ),
        evidence=evidence,
    )


def win_rate_decline(
    *,
    wins_recent: int,
    closed_recent: int,
    wins_baseline: int,
    closed_baseline: int,
    team_median: float | None = None,
    t: Thresholds = DEFAULTS,
) -> Finding | NotEnoughData | None:
    """Win rate of the last 26 weeks down against the 26 weeks before, by more than the
    luck of that many deals explains (Fisher's exact test, `stats.proportion_drop`)."""
    if not closed_recent and not closed_baseline:
        return None
    evidence: dict[str, Any] = {
        "win_rate_26w": round(wins_recent / closed_recent, 3) if closed_recent else None,
        "closed_recent": closed_recent,
        "own_baseline": round(wins_baseline / closed_baseline, 3) if closed_baseline else None,
        "closed_baseline": closed_baseline,
        "team_median": round(team_median, 3) if team_median is not None else None,
        "threshold": threshold_of("win_rate_decline", t),
        "confidence": t.confidence,
    }
    if min(closed_recent, closed_baseline) < t.win_rate_min_closed:
        return NotEnoughData(
            "win_rate_decline",
            f"{closed_recent} deals closed in the last 26 weeks and {closed_baseline} in the 26 "
            f"before: at least {t.win_rate_min_closed} in each are needed to judge the win rate",
            evidence,
        )
    if not wins_baseline:
        return None  # nothing won before: no rate to fall from
    recent, baseline = wins_recent / closed_recent, wins_baseline / closed_baseline
    test = proportion_drop(wins_recent, closed_recent, wins_baseline, closed_baseline)
    evidence["chance"] = round(test.p, 4)
    if recent >= baseline:
        return None
    if test.effect > t.win_rate_decline_ratio or not _sure(test.p, t):
        # Could a drop to the threshold have been told from chance with these deals?
        edge = math.floor(baseline * t.win_rate_decline_ratio * closed_recent)
        could = _sure(fisher_lower(edge, closed_recent, wins_baseline, closed_baseline), t)
        if could and test.effect > t.win_rate_decline_ratio:
            return None
        return NotEnoughData(
            "win_rate_decline",
            f"win rate {_pct(recent)} over {closed_recent} closed deals against "
            f"{_pct(baseline)} over {closed_baseline} before: with so few deals a drop like "
            f"this happens by chance {_chance(test.p)}, too often to call it a decline",
            evidence,
        )
    team = f" Team median {_pct(team_median)}." if team_median is not None else ""
    return Finding(
        kind="win_rate_decline",
        severity=MEDIUM,
        message=(
            f"Win rate {_pct(recent)} over {closed_recent} closed deals in the last 26 weeks, "
            f"against {_pct(baseline)} over {closed_baseline} in the 26 before: a drop this "
            f"large happens by chance {_chance(test.p)}.{team}"
        ),
        evidence=evidence,
    )


def _two_samples(
    kind: str,
    now: Sequence[float],
    before: Sequence[float],
    *,
    lower: bool,
    ratio: float,
    minimum: int,
    what: str,
    t: Thresholds,
) -> tuple[Test | None, NotEnoughData | None]:
    """The rank test of `now` against `before` on a log scale, or why it cannot judge."""
    if min(len(now), len(before)) < minimum:
        return None, NotEnoughData(
            kind,
            f"{len(now)} deals won in the last 26 weeks and {len(before)} in the 26 before: at "
            f"least {minimum} in each are needed to compare {what}",
            {"won_recent": len(now), "won_baseline": len(before)},
        )
    test = rank_shift(now, before, lower=lower)
    moved = test.effect <= ratio if lower else test.effect >= ratio
    if moved and _sure(test.p, t):
        return test, None
    if not moved and rank_shift_detectable(now, before, ratio=ratio, confidence=t.confidence):
        return test, None
    if not moved and (test.effect >= 1 if lower else test.effect <= 1):
        return test, None  # moved the other way: no sign of it at all
    return test, NotEnoughData(
        kind,
        f"{what} of {len(now)} deals won in the last 26 weeks against {len(before)} before "
        f"vary too much to tell a change {'to' if lower else 'of'} "
        f"{_pct(ratio) if lower else f'{ratio:.2g}{TIMES}'} from chance "
        f"(typically {_pct(test.effect)} of before; by chance {_chance(test.p)})",
        {"won_recent": len(now), "won_baseline": len(before), "chance": round(test.p, 4)},
    )


def cycle_lengthening(
    *,
    cycles_recent: Sequence[float],
    cycles_baseline: Sequence[float],
    team_median: float | None = None,
    open_age: float | None = None,
    team_open_age: float | None = None,
    t: Thresholds = DEFAULTS,
) -> Finding | NotEnoughData | None:
    """Deals taking longer to win than the person's own deals did half a year earlier:
    days from created to won of the deals won in the last 26 weeks against those of the
    26 weeks before, compared by rank on a log scale (`stats.rank_shift`), so one deal
    that dragged on for a year is one rank, not a doubled average. The team's median
    (of peers who sell alike) and the age of the deals still open are shown."""
    test, unknown = _two_samples(
        "cycle_lengthening",
        cycles_recent,
        cycles_baseline,
        lower=False,
        ratio=t.cycle_lengthening_ratio,
        minimum=t.cycle_min_won,
        what="the sales cycles",
        t=t,
    )
    if unknown or test is None:
        return unknown
    if test.effect < t.cycle_lengthening_ratio or not _sure(test.p, t):
        return None
    recent, baseline = median(cycles_recent), median(cycles_baseline)
    team = f"; team median {_n(team_median)} days" if team_median else ""
    still_open = (
        f"; deals still open have been open {_n(open_age)} days (median)"
        + (f" against the team's {_n(team_open_age)}" if team_open_age else "")
        if open_age is not None
        else ""
    )
    return Finding(
        kind="cycle_lengthening",
        severity=MEDIUM,
        message=(
            f"Deals take longer to win: {_n(recent)} days (median) over {len(cycles_recent)} "
            f"deals won in the last 26 weeks, against {_n(baseline)} over "
            f"{len(cycles_baseline)} in the 26 before (typically {test.effect:.1f}{TIMES} as "
            f"long){team}{still_open}. A change this large happens by chance "
            f"{_chance(test.p)}."
        ),
        evidence={
            "cycle_days": recent,
            "won_deals": len(cycles_recent),
            "own_baseline": baseline,
            "won_baseline": len(cycles_baseline),
            "typical_ratio": round(test.effect, 2),
            "team_median": team_median,
            "open_deal_age_days": open_age,
            "team_open_deal_age_days": team_open_age,
            "chance": round(test.p, 4),
            "threshold": threshold_of("cycle_lengthening", t),
            "confidence": t.confidence,
        },
    )


def deal_size_decline(
    *,
    amounts_recent: Sequence[float],
    amounts_baseline: Sequence[float],
    team_median: float | None = None,
    t: Thresholds = DEFAULTS,
) -> Finding | NotEnoughData | None:
    """Won deals smaller than the person's own half a year earlier: the deals won in the
    last 26 weeks against those of the 26 weeks before, compared by rank on a log scale
    (`stats.rank_shift`) — the only large deal of a year, in either window, is one rank,
    not a third of the average. The team's median (of peers who sell alike) is shown."""
    test, unknown = _two_samples(
        "deal_size_decline",
        amounts_recent,
        amounts_baseline,
        lower=True,
        ratio=t.deal_size_decline_ratio,
        minimum=t.deal_size_min_won,
        what="deal sizes",
        t=t,
    )
    if unknown or test is None:
        return unknown
    if test.effect > t.deal_size_decline_ratio or not _sure(test.p, t):
        return None
    recent, baseline = median(amounts_recent), median(amounts_baseline)
    team = f"; team median {_n(team_median)}" if team_median else ""
    return Finding(
        kind="deal_size_decline",
        severity=MEDIUM,
        message=(
            f"Won deals typically {_below(test.effect, 1)} their own half a year ago: median "
            f"{_n(recent)} over {len(amounts_recent)} deals won in the last 26 weeks, against "
            f"{_n(baseline)} over {len(amounts_baseline)} in the 26 before{team}. A drop this "
            f"large happens by chance {_chance(test.p)}."
        ),
        evidence={
            "median_deal": round(recent),
            "won_deals": len(amounts_recent),
            "own_baseline": round(baseline),
            "won_baseline": len(amounts_baseline),
            "typical_ratio": round(test.effect, 2),
            "team_median": round(team_median) if team_median else None,
            "chance": round(test.p, 4),
            "threshold": threshold_of("deal_size_decline", t),
            "confidence": t.confidence,
        },
    )


def low_coverage(
    *,
    coverage: float | None,
    open_pipeline: float,
    quarter_target: float,
    new_pipeline: float | None,
    team_new_pipeline: float | None,
    cycle_days: float | None,
    team_coverage: float | None = None,
    opportunities: tuple[float | None, float | None, float | None] | None = None,
    t: Thresholds = DEFAULTS,
) -> Finding | NotEnoughData | None:
    """Too little pipeline for the target, now or a sales cycle from now.

    Pipeline-to-quota is all open pipeline ÷ a quarter's (ramped) target — not the
    board's coverage, which counts only the pipeline closing in the period against the
    target still to go; the two are named apart wherever they are shown. It is low when it is
    below `low_coverage_ratio` and new pipeline (a week, last 4 weeks) is below
    `low_coverage_refill_ratio` of the team's — or when the pipeline the person
    is opening would only sustain `low_coverage_projected_ratio` of a quarter's
    target one median sales cycle from now (by then the deals open today have
    closed): new pipeline a week, times the cycle in weeks, over the target.
    """
    if coverage is None or not quarter_target or new_pipeline is None:
        return None
    refill = _ratio(new_pipeline, team_new_pipeline)
    projected = new_pipeline * cycle_days / 7 / quarter_target if cycle_days else None
    # Only someone not refilling their pipeline as their peers do is warned: pipeline
    # against a quarter's target depends on the segment's cycle (short cycles, little
    # open pipeline), so the edges alone would warn a whole short-cycle team.
    if refill is None or refill >= t.low_coverage_refill_ratio:
        return None
    now_low = coverage < t.low_coverage_ratio
    later_low = projected is not None and projected < t.low_coverage_projected_ratio
    if not now_low and not later_low:
        return None
    chance = _fewer_opportunities(opportunities)
    if chance is not None and not _sure(chance, t):
        # A month of new deals is a handful: fewer than the team's may be luck.
        return NotEnoughData(
            "low_coverage",
            f"new pipeline at {_pct(refill)} of the team's, but so few opportunities are "
            f"opened in a month that fewer than the team's happen by chance {_chance(chance)}",
            {"chance": round(chance, 4), "pipeline_to_quota": round(coverage, 2)},
        )
    team = f"; team median {team_coverage:.1f}{TIMES}" if team_coverage else ""
    later = (
        f"; at {_n(new_pipeline)}/wk of new pipeline (team {_n(team_new_pipeline or 0)}/wk) "
        f"it would be {projected:.1f}{TIMES} one {_n(cycle_days)}-day sales cycle from now"
        if projected is not None
        else ""
    )
    severe = min(coverage, projected if projected is not None else coverage)
    return Finding(
        kind="low_coverage",
        severity=HIGH if severe < t.low_coverage_high_ratio else MEDIUM,
        message=(
            f"Pipeline-to-quota is {coverage:.1f}{TIMES}: open pipeline "
            f"{_n(open_pipeline)} against a quarter's target of {_n(quarter_target)}"
            f"{team}{later}."
        ),
        evidence={
            "pipeline_to_quota": round(coverage, 2),
            "projected_pipeline_to_quota": round(projected, 2) if projected is not None else None,
            "open_pipeline": round(open_pipeline),
            "quarter_target": round(quarter_target),
            "new_pipeline_per_week": round(new_pipeline),
            "team_new_pipeline_per_week": round(team_new_pipeline) if team_new_pipeline else None,
            "median_cycle_days": cycle_days,
            "team_pipeline_to_quota": round(team_coverage, 2) if team_coverage else None,
            "threshold": threshold_of("low_coverage", t),
            "projected_threshold": t.low_coverage_projected_ratio,
            "chance": round(chance, 4) if chance is not None else None,
        },
    )


def _fewer_opportunities(
    opportunities: tuple[float | None, float | None, float | None] | None,
) -> float | None:
    """The chance of opening as few opportunities as the person did, at the team's rate
    (Poisson), looked at over the last 4 weeks and over the 16 (the 12 before too) — a
    recent stop and a long habit both show — and the two looks taken together (Simes),
    so that two chances to be unlucky do not warn twice as often. None when not known."""
    if opportunities is None:
        return None
    recent, baseline, team = opportunities
    if recent is None or not team:
        return None
    chances = [poisson_lower(round(recent * 4), team * 4)]
    if baseline is not None:
        chances.append(poisson_lower(round(recent * 4 + baseline * 12), team * 16))
    return simes(chances)


def late_prospecting(
    *,
    recent: float | None,
    team_median: float | None,
    baseline: float | None,
    weeks_since_opportunity: int | None,
    cycle_days: float | None,
    t: Thresholds = DEFAULTS,
) -> Finding | None:
    """Hardly any prospecting over the last 4 weeks: with a sales cycle of N days,
    no prospecting now means no deals to close N days from now (right time)."""
    ratio = _ratio(recent, team_median)
    if ratio is None or ratio >= t.late_prospecting_ratio:
        return None
    cycle = f" With a {_n(cycle_days)}-day median sales cycle" if cycle_days else " Without it"
    since = (
        f"; no new opportunity for {weeks_since_opportunity} weeks"
        if weeks_since_opportunity
        else ""
    )
    touches = f"{_n(recent)} prospecting touches a week" if recent else "No prospecting touches"
    return Finding(
        kind="late_prospecting",
        severity=HIGH if ratio < t.late_prospecting_ratio / 2 else MEDIUM,
        message=(
            f"{touches} over the last 4 weeks against a team median of {_n(team_median)} a "
            f"week{since}.{cycle}, next period's deals are not "
            "being opened."
        ),
        evidence={
            "prospecting_per_week_4w": round(recent, 1),
            "team_median": round(team_median, 1),
            "own_baseline": round(baseline, 1) if baseline is not None else None,
            "weeks_since_opportunity": weeks_since_opportunity,
            "median_cycle_days": cycle_days,
            "threshold": threshold_of("late_prospecting", t),
        },
    )


def wrong_product_mix(
    *,
    priority_share: float | None,
    won_deals: int,
    team_median: float | None,
    priority_won: int | None = None,
    team_deal_share: float | None = None,
    t: Thresholds = DEFAULTS,
) -> Finding | NotEnoughData | None:
    """Selling mostly what the company does not prioritise (right thing): the share of
    won value in priority products below `product_mix_ratio` of the team's median — and,
    where the team's share of deals won in them is known, fewer such deals than chance
    gives at that share (binomial): with a handful of deals won, a low share may be luck,
    and then it is not enough data — as it is, without a test, below the fewest deals
    won the organisation asks for (`product_mix_min_won`)."""
    if priority_share is None or not team_median or not won_deals:
        return None
    if priority_share >= team_median * t.product_mix_ratio:
        return None
    if won_deals < t.product_mix_min_won:
        return NotEnoughData(
            "wrong_product_mix",
            f"{_pct(priority_share)} of won value in the priority products against a team "
            f"median of {_pct(team_median)}, but over only {won_deals} deals won in the last "
            f"26 weeks: at least {t.product_mix_min_won} are needed to judge the product mix",
            {"priority_share": round(priority_share, 3), "won_deals": won_deals},
        )
    chance = None
    if priority_won is not None and team_deal_share:
        chance = binomial_lower(priority_won, won_deals, team_deal_share)
        if not _sure(chance, t):
            return NotEnoughData(
                "wrong_product_mix",
                f"{priority_won} of {won_deals} deals won in the priority products against "
                f"{_pct(team_deal_share)} of the team's, but with so few deals won a share "
                f"this low happens by chance {_chance(chance)}",
                {"chance": round(chance, 4), "priority_share": round(priority_share, 3)},
            )
    odds = f" So few happen by chance {_chance(chance)}." if chance is not None else ""
    return Finding(
        kind="wrong_product_mix",
        severity=MEDIUM,
        message=(
            f"{_pct(priority_share)} of won value over the last 26 weeks is in the priority "
            f"products, against a team median of {_pct(team_median)} ({won_deals} deals won"
            f"{_of_them(priority_won)}).{odds}"
        ),
        evidence={
            "priority_share": round(priority_share, 3),
            "won_deals": won_deals,
            "priority_deals_won": priority_won,
            "team_median": round(team_median, 3),
            "team_priority_deal_share": (
                round(team_deal_share, 3) if team_deal_share is not None else None
            ),
            "threshold": threshold_of("wrong_product_mix", t),
            "chance": round(chance, 4) if chance is not None else None,
            "confidence": t.confidence,
        },
    )


def _of_them(priority_won: int | None) -> str:
    return "" if priority_won is None else f", {priority_won} of them in priority products"


def channel_mix(
    *,
    phone_share: float | None,
    meetings_per_100: float | None,
    top_phone_share: float | None,
    top_meetings_per_100: float | None,
    t: Thresholds = DEFAULTS,
) -> Finding | None:
    """Cold outreach through channels that do not work for this team: less phone
    than the top performers AND fewer first meetings per touch (right way)."""
    phone = _ratio(phone_share, top_phone_share)
    meetings = _ratio(meetings_per_100, top_meetings_per_100)
    if phone is None or meetings is None:
        return None
    if phone >= t.channel_mix_ratio or meetings >= t.channel_mix_ratio:
        return None
    return Finding(
        kind="channel_mix",
        severity=LOW,
        message=(
            f"{_pct(phone_share)} of prospecting by phone against {_pct(top_phone_share)} for "
            f"the team's top performers, and {_n(meetings_per_100)} first meetings per 100 "
            f"prospecting touches against their {_n(top_meetings_per_100)}."
        ),
        evidence={
            "phone_share": round(phone_share, 3),
            "meetings_per_100_touches": round(meetings_per_100, 1),
            "top_phone_share": round(top_phone_share, 3),
            "top_meetings_per_100_touches": round(top_meetings_per_100, 1),
            "threshold": threshold_of("channel_mix", t),
        },
    )


def complaints(
    *, recent: int, last_on: str | None = None, t: Thresholds = DEFAULTS
) -> Finding | None:
    """Customer complaints over the last 91 days."""
    if recent < t.complaints_count:
        return None
    last = f", the latest on {last_on}" if last_on else ""
    return Finding(
        kind="complaints",
        severity=HIGH if recent >= t.complaints_high_count else MEDIUM,
        message=f"{recent} customer complaints in the last 91 days{last}.",
        evidence={
            "complaints_91d": recent,
            "latest": last_on,
            "threshold": threshold_of("complaints", t),
        },
    )


def missed_commitments(*, due: int, missed: int, t: Thresholds = DEFAULTS) -> Finding | None:
    """Commitments due in the last 91 days and not met on time (`commitments`: decided
    by their data or their manager; partly met is not met)."""
    if not due or missed < t.missed_commitments_count:
        return None
    if missed / due < t.missed_commitments_share:
        return None
    return Finding(
        kind="missed_commitments",
        severity=HIGH if missed == due else MEDIUM,
        message=f"{missed} of {due} commitments due in the last 91 days were not met on time.",
        evidence={"due": due, "missed": missed, "threshold": threshold_of("missed_commitments", t)},
    )
