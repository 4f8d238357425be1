"""The parts of the personal scorecard beyond the person's row: goal tiles with trend
and benchmarks, the funnel against the team, stage-to-stage conversion, the pipeline by
stage and forecast category, and the deals that need attention. Called by
`selectors.person_scorecard`, which decides who may see whom.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from accountable.crm.models import Deal, DealStageChange, ForecastCategory, Stage
from accountable.org.calendar import Kind, Period
from accountable.org.models import Person, Role
from accountable.scorecards import formulas as f
from accountable.scorecards import metrics as m
from accountable.scorecards.rows import FunnelStep, MetricTile
from accountable.targets.catalogue import BY_KEY

SPARK_WEEKS = 13
BASELINE_PERIODS = 4


def tiles(
    person: Person,
    period: Period,
    as_of: date,
    team_counts: dict[int, m.Counts],
    team_cycles: dict[int, list[int]],
) -> list[MetricTile]:
    """A goal tile per metric of the person's role scorecard: to date against target and
    pace, a 13-week trend, the team's median and quartiles, the person's own baseline.
    `team_counts` and `team_cycles` are the team's to date, the person among them."""
    card = m.role_scorecards().get(person.role) or m.DEFAULT_SCORECARDS[Role.REP]
    team_ids = list(team_counts)
    end = min(as_of, period.end)
    paces = m.person_paces([person.pk], period, as_of)
    fraction = paces.fraction(person.pk)  # their own working days, net of time off
    mine_targets = m.person_targets([person.pk], period).get(person.pk, {})
    mine_paces = paces.by_target.get(person.pk, {})
    own = team_counts.get(person.pk) or m.Counts()
    own_cycle = team_cycles.get(person.pk, [])
    # 13 weeks of the organisation's calendar, ending with the as-of week.
    this_week = period.calendar.period(Kind.WEEK, end)
    weeks = [this_week.shift(-n) for n in range(SPARK_WEEKS - 1, -1, -1)]
    days = m.daily([person.pk], weeks[0].start, weeks[-1].end).get(person.pk, {})
    previous = [period.shift(-n) for n in range(1, BASELINE_PERIODS + 1)]
    history = [
        spans.get(person.pk) or m.Counts()
        for spans in m.counts_by_span([person.pk], [(p.start, p.end) for p in previous])
    ]
    result = []
    for metric, kind, weight in card:
        meta = BY_KEY.get(metric)
        actual = m.metric_value(metric, own, cycle=own_cycle)
        target = mine_targets.get(metric)
        paced = metric not in m.RATIO_METRICS
        metric_pace = mine_paces.get(metric, fraction)
        pace = metric_pace if paced else 1.0
        expected = f.expected_to_date(target, pace)
        gap = (
            f.gap_to_pace(Decimal(str(actual)), expected)
            if expected is not None and actual is not None
            else None
        )
        spark = []
        for week in weeks:
            c = sum(
                (v for d, v in days.items() if week.start <= d <= min(week.end, end)), m.Counts()
            )
            spark.append(m.metric_value(metric, c) if week.start <= end else None)
        values = [
            m.metric_value(metric, team_counts.get(i) or m.Counts(), cycle=team_cycles.get(i))
            for i in team_ids
        ]
        values = [v for v in values if v is not None]
        quart = f.quartiles(values)
        past = [m.metric_value(metric, c) for c in history]
        result.append(
            MetricTile(
                metric=metric,
                label=meta.label if meta else metric,
                unit=str(meta.unit) if meta else "count",
                kind=str(kind),
                weight=weight,
                actual=actual,
                target=target,
                attainment=f.attainment(actual, target) if actual is not None else None,
                pace=pace,
                expected=expected,
                gap=gap,
                score_attainment=m.score_attainment(metric, actual, target, metric_pace),
                sparkline=spark,
                sparkline_weeks=[w.label for w in weeks],
                team_median=quart.median if quart else None,
                team_q1=quart.q1 if quart else None,
                team_q3=quart.q3 if quart else None,
                baseline=f.trailing_mean([v for v in past if v is not None]),
            )
        )
    return result


def funnel(own: m.Counts, team: m.Counts) -> list[FunnelStep]:
    """Touches (activities other than meetings) -> meetings -> opportunities -> wins, each
    with its conversion from the step before, for the person and the team."""
    steps = [
        ("touches", own.total - own.meetings, team.total - team.meetings),
        ("meetings", own.meetings, team.meetings),
        ("opportunities", own.created_count, team.created_count),
        ("wins", own.won_count, team.won_count),
    ]
    result = []
    for i, (name, mine, theirs) in enumerate(steps):
        before = steps[i - 1] if i else None
        result.append(
            FunnelStep(
                step=name,
                count=mine,
                rate=f.ratio(mine, before[1]) if before else None,
                team_count=theirs,
                team_rate=f.ratio(theirs, before[2]) if before else None,
            )
        )
    return result


def _deal_item(deal, share: Decimal, reason: str = "") -> dict[str, Any]:
    return {
        "id": deal.pk,
        "external_id": deal.external_id,
        "name": str(deal),
        "account": deal.account.name if deal.account_id else "",
        "stage": deal.stage.name,
        "amount": f.money(deal.amount * share),
        "expected_close_on": deal.expected_close_on,
        "reason": reason,
    }


def stage_conversion(person: Person, period: Period, as_of: date) -> list[dict[str, Any]]:
    """Stage-to-stage conversion of the person's deals that moved in the period: of the
    deals that reached a stage by the as-of day, the share that reached the next one by
    then (won counts as the last stage; lost deals stop where they were)."""
    stages = list(Stage.objects.order_by("order"))
    ordered = [s for s in stages if not s.is_lost]
    order = {s.pk: s.order for s in stages}
    lost = {s.pk for s in stages if s.is_lost}
    reached: dict[int, int] = {}
    end = min(as_of, period.end)
    changes = (
        DealStageChange.objects.filter(
            deal__owner=person,
            deal__stage_changes__changed_on__range=(period.start, end),
            changed_on__lte=end,  # where they had got to by then
        )
        .distinct()
        .values_list("deal_id", "to_stage_id")
    )
    for deal_id, stage_id in changes:
        if stage_id in lost:
            reached.setdefault(deal_id, -1)
            continue
        reached[deal_id] = max(reached.get(deal_id, -1), order[stage_id])
    result = []
    for here, following in itertools.pairwise(ordered):
        entered = sum(1 for r in reached.values() if r >= here.order)
        advanced = sum(1 for r in reached.values() if r >= following.order)
        result.append(
            {
                "from_stage": here.name,
                "to_stage": following.name,
                "entered": entered,
                "advanced": advanced,
                "rate": f.ratio(advanced, entered),
            }
        )
    return result


def pipeline_breakdown(
    deals: list[tuple[Deal, Decimal]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The open deals (with the person's share) by stage and by forecast category: count,
    amount and weighted amount (amount * stage probability)."""

    def bucket(**names: Any) -> dict[str, Any]:
        return {**names, "count": 0, "amount": Decimal(0), "weighted": Decimal(0)}

    by_stage: dict[str, dict[str, Any]] = {}
    by_category = {c.value: bucket(category=c.label, key=c.value) for c in ForecastCategory}
    for deal, share in deals:
        amount = deal.amount * share
        weighted = amount * deal.stage.probability / 100
        stage = by_stage.setdefault(
            deal.stage.name,
            bucket(
                stage=deal.stage.name, order=deal.stage.order, probability=deal.stage.probability
            ),
        )
        for counted in (stage, by_category[deal.stage.forecast_category]):
            counted["count"] += 1
            counted["amount"] += amount
            counted["weighted"] += weighted
    for counted in [*by_stage.values(), *by_category.values()]:
        counted["amount"] = f.money(counted["amount"])
        counted["weighted"] = f.money(counted["weighted"])
    return sorted(by_stage.values(), key=lambda b: b["order"]), list(by_category.values())


def deals_needing_attention(
    person: Person, deals: list[tuple[Deal, Decimal]], period: Period, as_of: date
) -> dict[str, list[dict[str, Any]]]:
    """The person's own open deals that slipped, went stale or miss checklist milestones,
    each with the reason."""
    share_of = {deal.pk: share for deal, share in deals}
    owned = {deal.pk: deal for deal, _ in deals if deal.owner_id == person.pk}

    def listed(condition: Q, reason: str) -> list[dict[str, Any]]:
        ids = Deal.objects.filter(pk__in=list(owned)).filter(condition).values_list("pk", flat=True)
        return [_deal_item(owned[i], share_of[i], reason) for i in ids]

    past_due = Q(expected_close_on__lt=as_of)
    slipped = m.slipped_q(period, as_of)
    return {
        "slipped": listed(slipped & past_due, "past its expected close")
        + listed(slipped & ~past_due, "expected close moved later"),
        "stale": listed(m.stale_q(as_of), f"no stage change or activity for {m.stale_days()} days"),
        "missing_milestones": listed(
            m.missing_milestones_q(), "checklist items of its stage not done"
        ),
    }
