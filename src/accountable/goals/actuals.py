"""What people actually did, per metric and period, from the sales data (SPEC §3).

Targets are split by last year's seasons, allocated by last year's shares, suggested
from recent weeks and checked for achievability against past periods: all of that
reads actuals. Each function here runs ONE aggregate query per metric over the whole
span asked for, grouped by person and day, and buckets the rows into periods in
Python — never a query per period.

Which date decides the period: a won deal's `closed_on` (revenue, deals won, units),
a deal's `created_on` (opportunities and pipeline created), an activity's
`occurred_at`. A deal credits its owner, or its split people by share
(`crm.credit`), as on the scorecards.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from django.db.models import Count, Q

from accountable.core.local_day import day_start, local_day
from accountable.crm import credit
from accountable.crm.models import Activity, ActivityKind, Deal, DealStatus
from accountable.org.calendar import Period

ZERO = Decimal(0)

# metric -> (model, date field, aggregate, extra filter)
_DEAL_METRICS = {
    "revenue": ("closed_on", "sum", Q(status=DealStatus.WON)),
    "deals_won": ("closed_on", "count", Q(status=DealStatus.WON)),
    "units": ("closed_on", "quantity", Q(status=DealStatus.WON)),
    "renewals": ("closed_on", "count", Q(status=DealStatus.WON, type="renewal")),
    "opportunities_created": ("created_on", "count", Q()),
    "pipeline_created": ("created_on", "sum", Q()),
}
_ACTIVITY_METRICS = {
    "calls": Q(kind=ActivityKind.CALL),
    "emails": Q(kind=ActivityKind.EMAIL),
    "meetings": Q(kind=ActivityKind.MEETING),
    "first_meetings": Q(kind=ActivityKind.MEETING, meeting_number=1),
    "second_meetings": Q(kind=ActivityKind.MEETING, meeting_number=2),
    "prospecting_activities": Q(is_prospecting=True),
}
COMPUTED = frozenset(_DEAL_METRICS) | frozenset(_ACTIVITY_METRICS)


class ActualsError(ValueError):
    """A metric whose actuals Accountable does not compute; the message says which do."""


def is_computed(metric: str) -> bool:
    return metric in COMPUTED


def daily_by_person(
    metric: str,
    people: Iterable[int],
    start: date,
    end: date,
    *,
    product_line: str = "",
    deal_type: str = "",
) -> list[tuple[int, date, Decimal]]:
    """(person id, day, amount) rows for `metric` from `start` to `end` inclusive: one query."""
    ids = list(people)
    if metric in _DEAL_METRICS:
        field, how, extra = _DEAL_METRICS[metric]
        deals = Deal.objects.filter(extra, **{f"{field}__gte": start, f"{field}__lte": end})
        if product_line:
            deals = deals.filter(product__product_line__iexact=product_line)
        if deal_type:
            deals = deals.filter(type=deal_type)
        if how == "quantity":
            return _credited_quantities(deals, ids, field)
        # Credited by split share, as on the scorecards (`crm.credit`).
        return list(credit.credited_totals(deals, ids, field, how))
    elif metric in _ACTIVITY_METRICS:
        acts = Activity.objects.filter(
            _ACTIVITY_METRICS[metric],
            person_id__in=ids,
            occurred_at__gte=day_start(start),
            occurred_at__lt=day_start(end + timedelta(days=1)),
        )
        rows = (
            acts.order_by()
            .annotate(day=local_day("occurred_at", start, end))
            .values_list("person_id", "day")
            .annotate(v=Count("pk"))
        )
    else:
        known = ", ".join(sorted(COMPUTED))
        raise ActualsError(
            f'Accountable does not compute "{metric}" from the data; it does {known}.'
        )
    return [(pid, day, Decimal(v or 0)) for pid, day, v in rows]


def _credited_quantities(deals, ids: list[int], field: str) -> list[tuple[int, date, Decimal]]:
    """(person id, day, units) rows: each deal's quantity credited by split share, as its
    amount is (a 10-unit deal split 60/40 is 6 and 4 units)."""
    totals: dict[tuple[int, date], Decimal] = defaultdict(lambda: ZERO)
    for person_id, share, day, quantity in credit.credited_rows(deals, ids, [field, "quantity"]):
        totals[(person_id, day)] += Decimal(quantity) * Decimal(share) / 100
    return [(pid, day, value) for (pid, day), value in totals.items()]


def _bucketer(periods: Sequence[Period]):
    ordered = sorted(periods, key=lambda p: p.start)
    starts = [p.start for p in ordered]

    def find(day: date) -> Period | None:
        i = bisect_right(starts, day) - 1
        if i >= 0 and ordered[i].contains(day):
            return ordered[i]
        return None

    return find


def by_person_and_period(
    metric: str, people: Iterable[int], periods: Sequence[Period], **narrow: str
) -> dict[int, dict[str, Decimal]]:
    """{person id: {period label: actual}} over `periods` (every label present, 0 if none)."""
    ids = list(people)
    result: dict[int, dict[str, Decimal]] = {pid: {p.label: ZERO for p in periods} for pid in ids}
    if not periods or not ids:
        return result
    find = _bucketer(periods)
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    for pid, day, value in daily_by_person(metric, ids, start, end, **narrow):
        period = find(day)
        if period is not None:
            result[pid][period.label] += value
    return result


def by_period(
    metric: str, people: Iterable[int], periods: Sequence[Period], **narrow: str
) -> dict[str, Decimal]:
    """{period label: the people's combined actual}."""
    totals = {p.label: ZERO for p in periods}
    for values in by_person_and_period(metric, people, periods, **narrow).values():
        for label, value in values.items():
            totals[label] += value
    return totals


def total(metric: str, people: Iterable[int], start: date, end: date, **narrow: str) -> Decimal:
    """The people's combined actual from `start` to `end` inclusive."""
    if end < start:
        return ZERO
    return sum((v for _, _, v in daily_by_person(metric, people, start, end, **narrow)), ZERO)


def trailing_weeks(
    metric: str, person_id: int, this_week: Period, weeks: int = 12
) -> list[Decimal]:
    """The person's actual in each of the `weeks` full weeks before `this_week`, oldest first."""
    periods = [this_week.shift(-n) for n in range(weeks, 0, -1)]
    values = by_person_and_period(metric, [person_id], periods)[person_id]
    return [values[p.label] for p in periods]


@dataclass(frozen=True)
class History:
    """Best single periods and the median, for the A of SMART."""

    person_best: tuple[Decimal, str] | None
    team_best: tuple[Decimal, str] | None
    team_median: Decimal | None


def history(
    metric: str,
    person_id: int | None,
    team_ids: Sequence[int],
    periods: Sequence[Period],
    higher_is_better: bool = True,
) -> History:
    """The person's best period, the best any team member had, and the team's median period."""
    ids = list(dict.fromkeys([*team_ids, *([person_id] if person_id else [])]))
    table = by_person_and_period(metric, ids, periods)
    pick = max if higher_is_better else min

    def best(rows: dict[int, dict[str, Decimal]]) -> tuple[Decimal, str] | None:
        cells = [(v, label) for values in rows.values() for label, v in values.items() if v]
        return pick(cells, key=lambda c: c[0]) if cells else None

    mine = best({person_id: table[person_id]}) if person_id in table else None
    team = best({pid: table[pid] for pid in team_ids if pid in table})
    team_cells = [v for pid in team_ids for v in table.get(pid, {}).values() if v]
    return History(mine, team, Decimal(median(team_cells)) if team_cells else None)


def funnel_counts(people: Iterable[int], start: date, end: date) -> dict[str, Decimal | int]:
    """What funnel.rates_from_counts needs: two queries (deals, activities)."""
    ids = list(people)
    # A deal credits its owner or its split people (`crm.credit`): money by share, and
    # a deal shared by several of the people counts once for them together.
    won = Deal.objects.filter(status=DealStatus.WON, closed_on__gte=start, closed_on__lte=end)
    won_amount = sum((v for _, _, v in credit.credited_totals(won, ids, "status", "sum")), ZERO)
    deals = (
        Deal.objects.filter(pk__in=Deal.objects.filter(credit.credits_people(ids)).values("pk"))
        .order_by()
        .aggregate(
            won=Count(
                "pk", filter=Q(status=DealStatus.WON, closed_on__gte=start, closed_on__lte=end)
            ),
            lost=Count(
                "pk", filter=Q(status=DealStatus.LOST, closed_on__gte=start, closed_on__lte=end)
            ),
            opportunities=Count("pk", filter=Q(created_on__gte=start, created_on__lte=end)),
        )
    )
    acts = (
        Activity.objects.filter(
            person_id__in=ids,
            occurred_at__gte=day_start(start),
            occurred_at__lt=day_start(end + timedelta(days=1)),
        )
        .order_by()
        .aggregate(
            meetings=Count("pk", filter=Q(kind=ActivityKind.MEETING)),
            calls=Count("pk", filter=Q(kind=ActivityKind.CALL)),
            emails=Count("pk", filter=Q(kind=ActivityKind.EMAIL)),
        )
    )
    return {
        "won_amount": won_amount,
        "won": deals["won"],
        "lost": deals["lost"],
        "opportunities": deals["opportunities"],
        "meetings": acts["meetings"],
        "calls": acts["calls"],
        "emails": acts["emails"],
    }


def per_person_totals(
    metric: str, people: Iterable[int], start: date, end: date, **narrow: str
) -> dict[int, Decimal]:
    """{person id: actual} over one span: for allocating by last year's share."""
    ids = list(people)
    result = defaultdict(lambda: ZERO, {pid: ZERO for pid in ids})
    for pid, _, value in daily_by_person(metric, ids, start, end, **narrow):
        result[pid] += value
    return dict(result)
