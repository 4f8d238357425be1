"""The three rights, per rep and period (SPEC §5), each pass, warn or fail with evidence.

- **Right thing**: enough prospecting (share of touches that look for new
  business), and selling what the company prioritises (share of won value in
  priority products, against the team).
- **Right way**: the channels and steps that work — phone share of cold
  outreach, first meetings per 100 prospecting touches, win rate — against the
  team's top performers; and customers who are not complaining.
- **Right time**: pipeline created early enough, given the median sales cycle,
  to land next period's target (open pipeline against a quarter's target, new
  opportunities lately); commitments met on their dates (none are recorded
  until the reviews app arrives).

Pure: figures in, `Rights` out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from accountable.signals.evidence import Benchmarks, Figures
from accountable.signals.rules import TIMES
from accountable.signals.thresholds import DEFAULTS, Thresholds

__all__ = ["Right", "Rights", "rights_assess"]

PASS, WARN, FAIL = "pass", "warn", "fail"
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
    return max(statuses, key=_RANK.__getitem__)


def _ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _grade(ratio: float | None, warn: float, fail: float) -> str:
    if ratio is None or ratio >= warn:
        return PASS
    return WARN if ratio >= fail else FAIL


def right_thing(
    fig: Figures, bench: Benchmarks, warnings: Collection[str], t: Thresholds = DEFAULTS
) -> Right:
    share = _ratio(fig.prospecting_recent, fig.touches_recent)
    prospecting = PASS
    if "late_prospecting" in warnings or (share is not None and share < t.prospecting_share_fail):
        prospecting = FAIL
    elif share is not None and share < t.prospecting_share_warn:
        prospecting = WARN
    mix_ratio = _ratio(fig.priority_share, bench.team["priority_share"])
    mix = FAIL if "wrong_product_mix" in warnings else _grade(mix_ratio, 0.8, t.product_mix_ratio)
    return Right(
        status=_worst(prospecting, mix),
        message=(
            f"{_pct(share)} of touches are prospecting over the last 4 weeks; "
            f"{_pct(fig.priority_share)} of won value in priority products against a team "
            f"median of {_pct(bench.team['priority_share'])}."
        ),
        evidence={
            "prospecting_share": _round(share),
            "prospecting": prospecting,
            "priority_share": _round(fig.priority_share),
            "team_priority_share": _round(bench.team["priority_share"]),
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
    customers = PASS
    if "complaints" in warnings:
        customers = FAIL
    elif fig.complaints_recent:
        customers = WARN
    return Right(
        status=_worst(outcomes, channels, customers),
        message=(
            f"{_pct(fig.phone_share)} of prospecting by phone (top performers "
            f"{_pct(top['phone_share'])}); {_n(fig.meetings_per_100_touches)} first meetings per "
            f"100 prospecting touches (top {_n(top['meetings_per_100_touches'])}); win rate "
            f"{_pct(fig.win_rate_recent)} (top {_pct(top['win_rate_recent'])}); "
            f"{fig.complaints_recent} complaints in 91 days."
        ),
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
    pipeline = PASS
    if "late_prospecting" in warnings or "low_coverage" in warnings:
        pipeline = FAIL
    elif fig.coverage is not None and fig.coverage < t.low_coverage_ratio:
        pipeline = WARN
    commitments = PASS
    if "missed_commitments" in warnings:
        commitments = FAIL
    elif fig.commitments_missed:
        commitments = WARN
    kept = (
        f"{fig.commitments_due - fig.commitments_missed} of {fig.commitments_due} commitments "
        "met on time"
        if fig.commitments_due
        else "no commitments recorded yet"
    )
    since = fig.weeks_since_opportunity
    return Right(
        status=_worst(pipeline, commitments),
        message=(
            f"Open pipeline covers {_cov(fig.coverage)} a quarter's target; last new "
            f"opportunity {since if since is not None else '—'} weeks ago, with a "
            f"{_n(cycle)}-day median sales cycle; {kept}."
        ),
        evidence={
            "coverage": _round(fig.coverage, 2),
            "team_coverage": _round(bench.team["coverage"], 2),
            "weeks_since_opportunity": since,
            "median_cycle_days": cycle,
            "commitments_due": fig.commitments_due,
            "commitments_missed": fig.commitments_missed,
        },
    )


def rights_assess(
    fig: Figures, bench: Benchmarks, warnings: Collection[str] = (), t: Thresholds = DEFAULTS
) -> Rights:
    return Rights(
        thing=right_thing(fig, bench, warnings, t),
        way=right_way(fig, bench, warnings, t),
        time=right_time(fig, bench, warnings, t),
    )


def _cov(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}{TIMES}"


def _n(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
