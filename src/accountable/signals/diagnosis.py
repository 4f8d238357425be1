"""The diagnosis: walk the funnel and name the most likely cause, in plain words.

Touches → first meetings → opportunities → wins → deal size → cycle, each
against the team median and the person's own baseline (SPEC §5):

- not enough meetings or new opportunities → `prospecting`;
- enough meetings but a low win rate → `conversion` (selling skill);
- a normal win rate but small deals → `deal_size` (targeting);
- deals that take much longer than the team's → `cycle` (deal progression);
- otherwise `none`.

The first step that fails is the cause: a rep with too few meetings also wins
less, but the meetings are where to start. Results-based causes (conversion,
deal size, cycle) are only named when results are weak — a star with a slow
quarter has nothing to fix — and not while a new hire ramps.

Effort is judged separately, from touches a week against the team median and
the person's own baseline: `low` effort makes it an accountability
conversation; `normal` effort with weak results is a coaching opportunity.

Pure: figures in, a `Diagnosis` out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from accountable.signals.evidence import (
    Benchmarks,
    Figures,
    not_enough_data,
    touches_against_own,
)
from accountable.signals.thresholds import DEFAULTS, Thresholds

__all__ = ["CAUSES", "EFFORTS", "UNKNOWN", "Diagnosis", "diagnose", "effort_of"]

# The causes and efforts the funnel can name (the demo's ground truth uses the same).
CAUSES = ("prospecting", "conversion", "deal_size", "cycle", "none")
EFFORTS = ("low", "normal")
# Cause and effort when there is not enough data to judge (`evidence.not_enough_data`):
# never `none`, which would read as "nothing wrong".
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Diagnosis:
    cause: str
    effort: str
    message: str
    next_step: str
    evidence: dict[str, Any] = field(default_factory=dict)


def _ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def _n(value: float) -> str:
    # Callers say only what is known: a sentence never carries "—" for a number.
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def effort_of(fig: Figures, bench: Benchmarks, t: Thresholds = DEFAULTS) -> str:
    """`low` when touches a week fall well below the team median, or have dropped
    well below the person's own baseline — each week against the organisation's, as
    the activity drop reads them, so a holiday month is nobody's lack of effort; else
    `normal`."""
    return _effort(fig, bench, t)[0]


def _effort(fig: Figures, bench: Benchmarks, t: Thresholds) -> tuple[str, float | None]:
    """`effort_of`, with the drop against the person's own baseline when that is what
    makes it low (None otherwise), for the words to say so."""
    against_team = _ratio(fig.touches_recent, bench.team["touches_recent"])
    # A new hire's own baseline is their first weeks: not a fair comparison.
    against_self = None if fig.in_ramp else touches_against_own(fig, bench.week_index)
    dropped = (
        against_self if against_self is not None and against_self < t.effort_drop_ratio else None
    )
    if against_team is not None and against_team < t.effort_low_ratio:
        return "low", dropped
    return ("low" if dropped is not None else "normal"), dropped


def _weak_results(fig: Figures, warnings: Collection[str], t: Thresholds) -> bool:
    attainment = fig.recent_attainment
    return "quota_miss_streak" in warnings or (
        attainment is not None and attainment < t.weak_results
    )


def _known(*pairs: tuple[float | None, str]) -> str:
    """ "1.5 first meetings and 1.0 new opportunities": the figures that are known."""
    return " and ".join(f"{_n(value)} {label}" for value, label in pairs if value is not None)


def _team(*values: float | None) -> str:
    """ ", against a team median of 4.2 and 2.2" when every one is known, else ""."""
    if not values or any(v is None for v in values):
        return ""
    return ", against a team median of " + " and ".join(_n(v) for v in values)


def _prospecting_words(fig: Figures, team: dict[str, float | None]) -> str:
    mine = _known(
        (fig.first_meetings_recent, "first meetings"),
        (fig.opportunities_recent, "new opportunities"),
    )
    if not mine:
        return "Too few meetings: prospecting has fallen off (see the warnings)"
    shown = [
        team[key]
        for value, key in (
            (fig.first_meetings_recent, "first_meetings_recent"),
            (fig.opportunities_recent, "opportunities_recent"),
        )
        if value is not None
    ]
    own = (
        f" (own earlier rate {_n(fig.first_meetings_baseline)} meetings a week)"
        if fig.first_meetings_baseline is not None
        else ""
    )
    return f"Too few meetings: {mine} a week over the last 4 weeks{_team(*shown)}{own}"


def _cause(
    fig: Figures, bench: Benchmarks, warnings: Collection[str], t: Thresholds
) -> tuple[str, str]:
    team = bench.team
    meetings = _ratio(fig.first_meetings_recent, team["first_meetings_recent"])
    opportunities = _ratio(fig.opportunities_recent, team["opportunities_recent"])
    own_meetings = _ratio(fig.first_meetings_recent, fig.first_meetings_baseline)
    low_vs_team = (
        meetings is not None
        and opportunities is not None
        and meetings < t.prospecting_ratio
        and opportunities < t.prospecting_ratio
    )
    low_vs_self = (
        own_meetings is not None
        and own_meetings < t.prospecting_ratio
        and opportunities is not None
        and opportunities < t.prospecting_ratio
    )
    # Touches are the top of the funnel: too few of them is too few meetings.
    activity = {"low_activity", "activity_drop", "late_prospecting"} & set(warnings)
    if activity or low_vs_team or low_vs_self:
        return "prospecting", _prospecting_words(fig, team)
    if fig.in_ramp or not _weak_results(fig, warnings, t):
        return "none", ""
    win_rate = _ratio(fig.win_rate_recent, team["win_rate_recent"])
    if win_rate is not None and win_rate < t.conversion_ratio:
        meetings_words = ""
        if fig.first_meetings_recent is not None:
            versus = (
                f", team {_n(team['first_meetings_recent'])}"
                if team["first_meetings_recent"] is not None
                else ""
            )
            meetings_words = f" ({_n(fig.first_meetings_recent)} a week{versus})"
        return "conversion", (
            f"Enough meetings{meetings_words} but a win rate of "
            f"{fig.win_rate_recent:.0%} over 26 weeks against a team median of "
            f"{team['win_rate_recent']:.0%}"
        )
    size = _ratio(fig.deal_size_recent, team["deal_size_recent"])
    if "deal_size_decline" in warnings or (size is not None and size < t.deal_size_ratio):
        rate = (
            f" ({_pct(fig.win_rate_recent)} over 26 weeks)"
            if fig.win_rate_recent is not None
            else ""
        )
        words = f"A normal win rate{rate} but small deals"
        if fig.deal_size_recent is not None:
            words += f": {_n(fig.deal_size_recent)} on average last quarter"
            if team["deal_size_recent"] is not None:
                words += f" against a team median of {_n(team['deal_size_recent'])}"
            if fig.deal_size_baseline is not None:
                words += f" (own {_n(fig.deal_size_baseline)} half a year ago)"
        return "deal_size", words
    cycle = _ratio(fig.cycle_recent, team["cycle_recent"])
    if "cycle_lengthening" in warnings or (cycle is not None and cycle > t.cycle_ratio):
        words = "Deals take longer to win than the team's"
        if fig.cycle_recent is not None:
            words = f"Deals take {_n(fig.cycle_recent)} days to win (median, last quarter)"
            if team["cycle_recent"] is not None:
                words += f" against a team median of {_n(team['cycle_recent'])}"
            if fig.cycle_baseline is not None:
                words += f" (own {_n(fig.cycle_baseline)} half a year ago)"
        return "cycle", words + ": revenue slips into later periods"
    return "none", ""


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _effort_words(fig: Figures, bench: Benchmarks, dropped: float | None) -> str:
    """ "31 touches a week against a team median of 54 (own earlier 51)", from what is
    known; with `dropped`, how far below their usual week ("down to 58 % of their
    usual week, each week against what everyone did that week": the figure effort is
    judged on, the activity drop's, which a holiday month in the earlier weeks does
    not flatter). "" when their touches a week are not known."""
    if fig.touches_recent is None:
        return ""
    team = bench.team
    words = f"{_n(fig.touches_recent)} touches a week"
    if team["touches_recent"] is not None:
        words += f" against a team median of {_n(team['touches_recent'])}"
    if fig.touches_baseline is not None:
        words += f" (own earlier {_n(fig.touches_baseline)})"
    if dropped is not None:
        words += f", down to {dropped:.0%} of their usual week"
        if bench.week_index:
            words += ", each week against what everyone did that week"
    return words


NEXT_STEPS = {
    ("prospecting", "low"): (
        "Accountability conversation: agree a weekly number of touches and first meetings "
        "at the team's level, and check it at every 1:1 until it holds."
    ),
    ("prospecting", "normal"): (
        "Coaching: put prospecting back in the diary — two blocks a week for new business — "
        "and track first meetings and new opportunities weekly."
    ),
    ("conversion", "low"): (
        "Accountability conversation first (activity), then review lost deals together."
    ),
    ("conversion", "normal"): (
        "Coaching opportunity: review the last lost deals together (discovery, qualification, "
        "closing) and role-play the next proposal."
    ),
    ("deal_size", "low"): "Accountability conversation on activity, then on account targeting.",
    ("deal_size", "normal"): (
        "Coaching on targeting: aim new opportunities at tier A and B accounts, sell the "
        "full bundle, and agree a discount limit."
    ),
    ("cycle", "low"): "Accountability conversation on activity, then a deal-by-deal review.",
    ("cycle", "normal"): (
        "Pipeline review: go through each stalled deal, agree the next step and its date, "
        "and check the stage's checklist milestones."
    ),
    ("none", "low"): (
        "Results are holding, but activity is down: ask what changed before the pipeline feels it."
    ),
    ("none", "normal"): "Nothing to fix in the funnel: keep the rhythm and recognise the results.",
    (UNKNOWN, UNKNOWN): (
        "Nothing to judge yet: check that their activities and deals are being logged, agree "
        "what their first weeks should look like, and look again once there is some history."
    ),
}


def diagnose(
    fig: Figures,
    bench: Benchmarks,
    warnings: Collection[str] = (),
    t: Thresholds = DEFAULTS,
) -> Diagnosis:
    """The most likely cause, the effort, the words and the next step for one rep;
    cause and effort `unknown` when there is not enough data to judge them."""
    team = bench.team
    evidence = _evidence(fig, team)
    gap = not_enough_data(fig, t, bench)
    if gap:
        return Diagnosis(
            cause=UNKNOWN,
            effort=UNKNOWN,
            message=f"Not enough history to judge yet: {gap}.",
            next_step=NEXT_STEPS[(UNKNOWN, UNKNOWN)],
            evidence={**evidence, "weeks_employed": fig.weeks_employed},
        )
    cause, why = _cause(fig, bench, warnings, t)
    effort, dropped = _effort(fig, bench, t)
    effort_words = _effort_words(fig, bench, dropped)
    if cause == "none":
        message = (
            "No funnel problem found"
            + (f" (ramping, judged at {fig.ramp_now:.0%} of full quota)" if fig.in_ramp else "")
            + (f"; {effort_words}." if effort_words else ".")
        )
    else:
        kind = (
            "lack of effort — an accountability conversation"
            if effort == "low"
            else "effort is normal — a coaching opportunity"
        )
        said = f"{effort_words}: {kind}" if effort_words else kind
        message = f"{why}. {said[0].upper()}{said[1:]}."
    return Diagnosis(
        cause=cause,
        effort=effort,
        message=message,
        next_step=NEXT_STEPS[(cause, effort)],
        evidence=evidence,
    )


def _evidence(fig: Figures, team: dict[str, float | None]) -> dict[str, Any]:
    return {
        "touches_per_week": _round(fig.touches_recent),
        "team_touches_per_week": _round(team["touches_recent"]),
        "first_meetings_per_week": _round(fig.first_meetings_recent),
        "team_first_meetings_per_week": _round(team["first_meetings_recent"]),
        "opportunities_per_week": _round(fig.opportunities_recent),
        "team_opportunities_per_week": _round(team["opportunities_recent"]),
        "win_rate": _round(fig.win_rate_recent, 3),
        "team_win_rate": _round(team["win_rate_recent"], 3),
        "average_deal": _round(fig.deal_size_recent, 0),
        "team_average_deal": _round(team["deal_size_recent"], 0),
        "cycle_days": fig.cycle_recent,
        "team_cycle_days": team["cycle_recent"],
        "attainment": _round(fig.recent_attainment, 3),
        "in_ramp": fig.in_ramp,
    }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)
