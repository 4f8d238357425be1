"""The three rights, per rep and period (SPEC §5), each pass, warn or fail with evidence —
or unknown, when there is not enough data to judge it.

- **Right thing**: enough prospecting (share of touches that look for new
  business), and selling what the company prioritises (share of won value in
  priority products, against the team).
- **Right way**: the channels and steps that work — phone share of cold
  outreach, first meetings per 100 prospecting touches, win rate — against the
  team's top performers; and customers who are not complaining.
- **Right time**: pipeline created early enough, given the median sales cycle,
  to land next period's target (open pipeline against a quarter's target, new
  opportunities lately); commitments due in the last 91 days met on their dates.

Each right is made of parts (prospecting and product mix; outcomes, channels and
customers; pipeline and commitments). A part with no figure to judge is
`unknown`, never a pass; a right is the worst of its known parts, and `unknown`
when none is known. Someone with not enough history at all
(`evidence.not_enough_data`: started too recently, or no activity and no closed
deal) is `unknown` on all three — except that complaints still make right way
warn or fail, and missed commitments right time. Messages say only what is known: a missing
figure is named as missing, never written as "—".

Pure: figures in, `Rights` out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from accountable.signals.evidence import Benchmarks, Figures, not_enough_data
from accountable.signals.rules import TIMES
from accountable.signals.thresholds import DEFAULTS, Thresholds

__all__ = ["FAIL", "PASS", "STATUSES", "UNKNOWN", "WARN", "Right", "Rights", "rights_assess"]

PASS, WARN, FAIL, UNKNOWN = "pass", "warn", "fail", "unknown"
STATUSES = (PASS, WARN, FAIL, UNKNOWN)
_RANK = {PASS: 0, WARN: 1, FAIL: 2}


@dataclass(frozen=True)
class Right:
    status: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rights:
    thing: Right
    way: Right
    time: Right

    def as_dict(self) -> dict[str, dict[str, Any]]:
        named = (("right_thing", self.thing), ("right_way", self.way), ("right_time", self.time))
        return {
            name: {"status": r.status, "message": r.message, "evidence": r.evidence}
            for name, r in named
        }


def _worst(*statuses: str) -> str:
    """The worst of the known statuses; `unknown` when none is known."""
    known = [s for s in statuses if s != UNKNOWN]
    return max(known, key=_RANK.__getitem__) if known else UNKNOWN


def _ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _grade(ratio: float | None, warn: float, fail: float) -> str:
    if ratio is None:
        return UNKNOWN
    if ratio >= warn:
        return PASS
    return WARN if ratio >= fail else FAIL


def _sentence(status: str, parts: list[str]) -> str:
    """The parts as one sentence; "Not enough data to judge: …" when nothing is known."""
    text = "; ".join(parts)
    if status == UNKNOWN:
        return f"Not enough data to judge: {text}."
    return f"{text[0].upper()}{text[1:]}."


def right_thing(
    fig: Figures, bench: Benchmarks, warnings: Collection[str], t: Thresholds = DEFAULTS
) -> Right:
    share = _ratio(fig.prospecting_recent, fig.touches_recent)
    if "late_prospecting" in warnings or (share is not None and share < t.prospecting_share_fail):
        prospecting = FAIL
    elif share is not None:
        prospecting = WARN if share < t.prospecting_share_warn else PASS
    else:
        prospecting = UNKNOWN
    team_mix = bench.team["priority_share"]
    mix_ratio = _ratio(fig.priority_share, team_mix)
    mix = FAIL if "wrong_product_mix" in warnings else _grade(mix_ratio, 0.8, t.product_mix_ratio)
    parts = []
    if share is not None:
        parts.append(f"{_pct(share)} of touches are prospecting over the last 4 weeks")
    elif fig.touches_recent == 0:
        parts.append("no touches logged over the last 4 weeks")
    else:
        parts.append("too few weeks of activity to judge prospecting")
    if fig.priority_share is not None:
        versus = f" against a team median of {_pct(team_mix)}" if team_mix is not None else ""
        parts.append(f"{_pct(fig.priority_share)} of won value in priority products{versus}")
    else:
        parts.append("no deals won in the last 26 weeks to judge the product mix")
    status = _worst(prospecting, mix)
    return Right(
        status=status,
        message=_sentence(status, parts),
        evidence={
            "prospecting_share": _round(share),
            "prospecting": prospecting,
            "priority_share": _round(fig.priority_share),
            "team_priority_share": _round(team_mix),
            "product_mix": mix,
        },
    )


def right_way(
    fig: Figures, bench: Benchmarks, warnings: Collection[str], t: Thresholds = DEFAULTS
) -> Right:
    top = bench.top
    meetings = _ratio(fig.meetings_per_100_touches, top["meetings_per_100_touches"])
    phone = _ratio(fig.phone_share, top["phone_share"])
    win_rate = None if fig.in_ramp else _ratio(fig.win_rate_recent, top["win_rate_recent"])
    outcomes = _grade(
        min((r for r in (meetings, win_rate) if r is not None), default=None),
        t.right_way_warn,
        t.right_way_fail,
    )
    channels = WARN if "channel_mix" in warnings else _grade(phone, t.right_way_warn, 0)
    # No complaint is good news only next to something else known: on its own it
    # would grade someone with no data as a pass.
    customers = UNKNOWN
    if "complaints" in warnings:
        customers = FAIL
    elif fig.complaints_recent:
        customers = WARN
    parts = []
    if fig.phone_share is not None:
        versus = (
            f" (top performers {_pct(top['phone_share'])})"
            if top["phone_share"] is not None
            else ""
        )
        parts.append(f"{_pct(fig.phone_share)} of prospecting by phone{versus}")
        versus = (
            f" (top {_n(top['meetings_per_100_touches'])})"
            if top["meetings_per_100_touches"] is not None
            else ""
        )
        parts.append(
            f"{_n(fig.meetings_per_100_touches or 0.0)} first meetings per 100 prospecting "
            f"touches{versus}"
        )
    else:
        parts.append("too few prospecting touches in 12 weeks to judge channels and meetings")
    if fig.win_rate_recent is not None:
        versus = (
            f" (top {_pct(top['win_rate_recent'])})" if top["win_rate_recent"] is not None else ""
        )
        ramping = ", not judged while ramping" if fig.in_ramp else ""
        parts.append(f"win rate {_pct(fig.win_rate_recent)} over 26 weeks{versus}{ramping}")
    else:
        parts.append("no deals closed in 26 weeks for a win rate")
    complaints = fig.complaints_recent
    parts.append(
        f"{complaints} complaint{'' if complaints == 1 else 's'} in 91 days"
        if complaints
        else "no complaints in 91 days"
    )
    status = _worst(outcomes, channels, customers)
    return Right(
        status=status,
        message=_sentence(status, parts),
        evidence={
            "phone_share": _round(fig.phone_share),
            "top_phone_share": _round(top["phone_share"]),
            "meetings_per_100_touches": _round(fig.meetings_per_100_touches, 1),
            "top_meetings_per_100_touches": _round(top["meetings_per_100_touches"], 1),
            "win_rate": _round(fig.win_rate_recent),
            "top_win_rate": _round(top["win_rate_recent"]),
            "complaints_91d": fig.complaints_recent,
            "top_performers": list(bench.top_names),
        },
    )


def right_time(
    fig: Figures, bench: Benchmarks, warnings: Collection[str], t: Thresholds = DEFAULTS
) -> Right:
    cycle = bench.team["cycle_recent"]
    if "late_prospecting" in warnings or "low_coverage" in warnings:
        pipeline = FAIL
    elif fig.coverage is not None:
        pipeline = WARN if fig.coverage < t.low_coverage_ratio else PASS
    else:
        pipeline = UNKNOWN
    if "missed_commitments" in warnings:
        commitments = FAIL
    elif fig.commitments_missed:
        commitments = WARN
    else:
        commitments = PASS if fig.commitments_due else UNKNOWN
    parts = [
        f"pipeline-to-quota {_cov(fig.coverage)} (open pipeline against a quarter's target)"
        if fig.coverage is not None
        else "no quarter's target to measure the open pipeline against"
    ]
    since = fig.weeks_since_opportunity
    if since is None:
        opportunity = "no new opportunity yet"
    elif since == 0:
        opportunity = "last new opportunity this week"
    else:
        opportunity = f"last new opportunity {since} week{'' if since == 1 else 's'} ago"
    if cycle is not None:
        opportunity += f", with a {_n(cycle)}-day median sales cycle"
    parts.append(opportunity)
    parts.append(
        f"{fig.commitments_due - fig.commitments_missed} of {fig.commitments_due} commitments "
        "met on time"
        if fig.commitments_due
        else "no commitments due in the last 91 days"
    )
    status = _worst(pipeline, commitments)
    return Right(
        status=status,
        message=_sentence(status, parts),
        evidence={
            "pipeline_to_quota": _round(fig.coverage, 2),
            "team_pipeline_to_quota": _round(bench.team["coverage"], 2),
            "weeks_since_opportunity": since,
            "median_cycle_days": cycle,
            "commitments_due": fig.commitments_due,
            "commitments_missed": fig.commitments_missed,
        },
    )


def rights_assess(
    fig: Figures, bench: Benchmarks, warnings: Collection[str] = (), t: Thresholds = DEFAULTS
) -> Rights:
    """The three rights of one rep; all three `unknown` when there is not enough data
    to judge them (each keeps its evidence)."""
    rights = Rights(
        thing=right_thing(fig, bench, warnings, t),
        way=right_way(fig, bench, warnings, t),
        time=right_time(fig, bench, warnings, t),
    )
    gap = not_enough_data(fig, t, bench)
    if not gap:
        return rights
    # Events still count without a history: complaints (right way) and commitments
    # missed (right time) are facts, not missing numbers.
    complaints = fig.complaints_recent
    way = FAIL if "complaints" in warnings else WARN if complaints else UNKNOWN
    missed = fig.commitments_missed
    time = FAIL if "missed_commitments" in warnings else WARN if missed else UNKNOWN
    events = {
        "way": f"; {complaints} complaint{'' if complaints == 1 else 's'} in 91 days"
        if complaints
        else "",
        "time": f"; {missed} of {fig.commitments_due} commitments missed" if missed else "",
    }
    return Rights(
        thing=Right(UNKNOWN, f"Not enough data to judge yet: {gap}.", rights.thing.evidence),
        way=Right(way, f"Not enough data to judge yet: {gap}{events['way']}.", rights.way.evidence),
        time=Right(
            time, f"Not enough data to judge yet: {gap}{events['time']}.", rights.time.evidence
        ),
    )


def _cov(value: float) -> str:
    return f"{value:.1f}{TIMES}"


def _n(value: float) -> str:
    # Callers say only what is known: a sentence never carries "—" for a number.
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
