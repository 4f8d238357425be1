"""What the scorecard selectors return: frozen rows with an `as_dict()` JSON form.

Money is Decimal (a string with two decimals in JSON); ratios are floats rounded to
four places in JSON, None where undefined; dates are ISO strings in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = [
    "FunnelStep",
    "MetricSummary",
    "MetricTile",
    "PersonScorecard",
    "ScoreRow",
    "TeamSummary",
]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Json:
    def as_dict(self) -> dict[str, Any]:
        return {item.name: _plain(getattr(self, item.name)) for item in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class ScoreRow(_Json):
    """One person's scorecard for a period as of a day: the row of the team board.

    Revenue figures (target, attainment, pace, projections, coverage) are about the
    revenue metric (won amount, credited by split share). `pace` is the share of the
    target expected by now: of the period's working days gone, or by the target's parts
    (`metrics.target_paces`); `expected_to_date` = target * pace; `gap_to_pace` =
    won - expected (negative: behind). `projected` divides what is won by that pace (the
    finish at the pace so far; None while less than a fifth of the period is gone by its
    pace, too early to project: `run_rate_weekly` says what came in a week so far);
    `projected_with_pipeline` adds the weighted pipeline expected to close in the rest
    of the period to what is won. `required_weekly` is what must be won per working
    week left to reach the target (None when met, or no working day is left).
    `coverage` = open pipeline expected to close by the period end ÷ target still to go.
    Activity figures count what happened from the period start to the as-of day.
    """

    person: str
    person_id: int
    name: str
    team: str
    role: str
    period: str
    as_of: date
    target: Decimal | None
    won_amount: Decimal
    won_count: int
    lost_count: int
    win_rate: float | None
    win_rate_value: float | None
    avg_deal_size: Decimal | None
    cycle_days_median: float | None
    velocity: Decimal | None
    open_pipeline: Decimal
    pipeline_in_period: Decimal
    weighted_pipeline: Decimal
    coverage: float | None
    attainment: float | None
    pace: float
    expected_to_date: Decimal | None
    gap_to_pace: Decimal | None
    projected: Decimal | None
    projected_with_pipeline: Decimal | None
    required_weekly: Decimal | None
    calls: int
    emails: int
    meetings: int
    first_meetings: int
    second_meetings: int
    prospecting_activities: int
    activities: int
    opportunities_created: int
    pipeline_created: Decimal
    first_to_second_meeting: float | None
    activity_to_meeting: float | None
    activity_target: Decimal | None
    activity_attainment: float | None
    activity_score: float | None
    outcome_score: float | None
    slipped_deals: int
    stale_deals: int
    deals_missing_milestones: int
    # Won per working week so far: shown while it is too early to project.
    run_rate_weekly: Decimal | None = None
    # Units sold: the quantity of the deals won, credited by split share.
    won_units: Decimal = Decimal(0)


@dataclass(frozen=True)
class TeamSummary(_Json):
    """A team's totals for the board header and the executive roll-up: the sums of its
    people (the whole subtree) and the team's revenue target — set on the team, else the
    sum of its people's targets."""

    team: str
    team_id: int
    period: str
    as_of: date
    people: int
    target: Decimal | None
    won_amount: Decimal
    won_count: int
    lost_count: int
    win_rate: float | None
    avg_deal_size: Decimal | None
    open_pipeline: Decimal
    pipeline_in_period: Decimal
    weighted_pipeline: Decimal
    coverage: float | None
    attainment: float | None
    pace: float
    expected_to_date: Decimal | None
    gap_to_pace: Decimal | None
    projected: Decimal | None
    projected_with_pipeline: Decimal | None
    required_weekly: Decimal | None
    calls: int
    emails: int
    meetings: int
    first_meetings: int
    second_meetings: int
    prospecting_activities: int
    activities: int
    opportunities_created: int
    pipeline_created: Decimal
    run_rate_weekly: Decimal | None = None


@dataclass(frozen=True)
class MetricTile(_Json):
    """One goal tile of the personal scorecard: a metric to date against its target,
    with its 13-week trend and benchmarks (team median and quartiles of the same metric
    to date, and the person's mean over their previous four periods of the same kind)."""

    metric: str
    label: str
    unit: str
    kind: str
    weight: int
    actual: Decimal | float | int | None
    target: Decimal | None
    attainment: float | None
    pace: float
    expected: Decimal | None
    gap: Decimal | None
    score_attainment: float | None
    sparkline: list[Any]
    sparkline_weeks: list[str]
    team_median: float | None
    team_q1: float | None
    team_q3: float | None
    baseline: float | None


@dataclass(frozen=True)
class FunnelStep(_Json):
    """A step of the funnel (touches → meetings → opportunities → wins): the person's
    count and conversion from the step before, beside the team's."""

    step: str
    count: float
    rate: float | None
    team_count: float
    team_rate: float | None


@dataclass(frozen=True)
class PersonScorecard(_Json):
    """Everything the personal scorecard shows for one person, period and as-of day."""

    row: ScoreRow
    tiles: list[MetricTile]
    funnel: list[FunnelStep]
    pipeline_by_stage: list[dict[str, Any]]
    pipeline_by_category: list[dict[str, Any]]
    stage_conversion: list[dict[str, Any]]
    slipped: list[dict[str, Any]]
    stale: list[dict[str, Any]]
    missing_milestones: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["row"] = self.row.as_dict()
        out["tiles"] = [t.as_dict() for t in self.tiles]
        out["funnel"] = [s.as_dict() for s in self.funnel]
        return out


@dataclass(frozen=True)
class MetricSummary(_Json):
    """Any catalogue metric for a person or a team, one period, as of a day.

    `actual` is in the metric's unit (percent metrics as 0-100). Sums (money, counts)
    are paced: `expected` = target * pace, `projected` at the run rate to date,
    `required_weekly` for the working weeks left. Rates (win rate, average deal size,
    cycle length, growth) are not: they are compared with the target as they stand,
    and have no projection. `None` where a number means nothing (no target, no data,
    a metric entered by hand)."""

    metric: str
    label: str
    unit: str
    higher_is_better: bool
    owner: str
    period: str
    as_of: date
    actual: Decimal | float | int | None
    target: Decimal | None
    attainment: float | None
    pace: float
    expected: Decimal | None
    gap: Decimal | None
    projected: Decimal | None
    required_weekly: Decimal | None
