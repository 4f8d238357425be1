"""Quarterly targets for the demo: revenue, calls and meetings for every rep in
every quarter of the current fiscal year and the one before, and the same for
every team as the sum of the reps in it.

Targets are set the way a sales organisation sets them — by role, not by who
the manager thinks will make it: every ramped rep carries the quota a typical
rep (`BASELINE`) reaches, so steady reps land near 100%, the star far above
and the planted problems below. A rep who joined during a quarter, or is still
ramping, carries that quarter's target in proportion to their ramp.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from accountable.demo.activities import (
    FOLLOW_UP_TOUCHES,
    PROSPECTING_SHARE,
    PROSPECTING_TOUCHES,
)
from accountable.demo.archetypes import BASELINE
from accountable.demo.deals import OPPORTUNITIES_PER_DAY
from accountable.demo.segments import Segment, season
from accountable.demo.timeline import RepTimeline
from accountable.org.calendar import FiscalCalendar, Kind, Period
from accountable.targets.models import Target

__all__ = ["QUOTA_METRICS", "quarters", "rep_targets", "targets_create", "team_targets"]


def _call_share(templates: Sequence[tuple[str, str, str, int]]) -> float:
    weights = sum(t[3] for t in templates)
    return sum(t[3] for t in templates if t[0] == "call") / weights


# What a typical rep does in a working day: revenue won, calls made (touches
# plus about one negotiation call a week), and meetings held (first meetings,
# half of which open a deal, and a second meeting on most deals).
REVENUE_PER_DAY = OPPORTUNITIES_PER_DAY * BASELINE.win_rate * BASELINE.deal_size
CALLS_PER_DAY = (
    BASELINE.weekly_touches
    * (
        PROSPECTING_SHARE * _call_share(PROSPECTING_TOUCHES)
        + (1 - PROSPECTING_SHARE) * _call_share(FOLLOW_UP_TOUCHES)
    )
    + 1.0
) / 5
SECOND_MEETING_SHARE = 0.75
MEETINGS_PER_DAY = OPPORTUNITIES_PER_DAY * (1 / BASELINE.opportunity_rate + SECOND_MEETING_SHARE)
# metric → (per working day of a ramped rep, rounded to)
QUOTA_METRICS: dict[str, tuple[float, int]] = {
    "revenue": (REVENUE_PER_DAY, 5_000),
    "calls": (CALLS_PER_DAY, 10),
    "meetings": (MEETINGS_PER_DAY, 5),
}


def quarters(calendar: FiscalCalendar, today: date, *, since: date) -> list[Period]:
    """Every quarter of the fiscal year holding `today` and of the year before,
    from the first one that starts on or after `since` (where the data begins)."""
    year = calendar.period(Kind.YEAR, today)
    every = year.previous().children(Kind.QUARTER) + year.children(Kind.QUARTER)
    return [quarter for quarter in every if quarter.start >= since]


def _ramp_share(timeline: RepTimeline, quarter: Period, *, revenue: bool) -> float:
    """The rep's average ramp over the quarter's working days (0 before they
    joined), each day as busy as the season makes it (a holiday month, the kickoff
    week); for revenue, their ramp and the season a sales cycle earlier, when the deals
    closing that day were opened."""
    ramp = timeline.revenue_ramp if revenue else timeline.ramp
    cycle = timedelta(days=round(BASELINE.cycle_days * timeline.segment.cycle))
    calendar, total, days = timeline.calendar, 0.0, 0
    day = quarter.start
    while day <= quarter.end:
        if calendar.is_working_day(day):
            total += ramp(day) * season(day - cycle if revenue else day)
            days += 1
        day += timedelta(days=1)
    return total / days if days else 0.0


def _segment_share(segment: Segment, metric: str) -> float:
    """What a typical rep of the segment does of each metric, against `BASELINE`'s."""
    if metric == "revenue":
        return segment.revenue
    if metric == "meetings":
        return segment.activity * segment.meeting_rate
    return segment.activity


def rep_targets(timeline: RepTimeline, periods: Sequence[Period]) -> dict[tuple[str, str], Decimal]:
    """(metric, period label) → target, for the periods the rep was employed in: what a
    typical rep of their segment does in the quarter's working days, by their ramp and
    the season."""
    targets = {}
    for quarter in periods:
        if quarter.end < timeline.start_date:
            continue
        for metric, (per_day, step) in QUOTA_METRICS.items():
            share = _ramp_share(timeline, quarter, revenue=metric == "revenue")
            share *= _segment_share(timeline.segment, metric)
            value = per_day * quarter.working_days * share
            targets[(metric, quarter.label)] = Decimal(max(step, round(value / step) * step))
    return targets


def team_targets(
    rep_values: Mapping[str, Mapping[tuple[str, str], Decimal]],
    rep_team: Mapping[str, str],
    parents: Mapping[str, str | None],
) -> dict[str, dict[tuple[str, str], Decimal]]:
    """Each team's targets: the sum of the targets of every rep in it or below it."""
    sums: dict[str, dict[tuple[str, str], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for rep, values in rep_values.items():
        team: str | None = rep_team[rep]
        while team is not None:
            for key, value in values.items():
                sums[team][key] += value
            team = parents[team]
    return {team: dict(values) for team, values in sums.items()}


def targets_create(
    *,
    rep_values: Mapping[int, Mapping[tuple[str, str], Decimal]],
    team_values: Mapping[int, Mapping[tuple[str, str], Decimal]],
    periods: Sequence[Period],
) -> int:
    """Store the reps' and the teams' targets; returns how many were written."""
    bounds = {period.label: period for period in periods}

    def target(owner: dict[str, int], metric: str, label: str, value: Decimal) -> Target:
        period = bounds[label]
        return Target(
            **owner,
            metric=metric,
            period=label,
            period_start=period.start,
            period_end=period.end,
            value=value,
        )

    rows = [
        target({"person_id": person}, metric, label, value)
        for person, values in rep_values.items()
        for (metric, label), value in values.items()
    ]
    rows += [
        target({"team_id": team}, metric, label, value)
        for team, values in team_values.items()
        for (metric, label), value in values.items()
    ]
    Target.objects.bulk_create(rows, batch_size=1_000)
    return len(rows)
