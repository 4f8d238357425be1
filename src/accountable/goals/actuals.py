"""What people actually did, per metric and period, from the sales data (SPEC §3).

Targets are split by last year's seasons, allocated by last year's shares, suggested
from recent weeks and checked for achievability against past periods: all of that
reads actuals. Each function here runs ONE query per metric over the whole span asked
for, by person and day, and buckets the rows into periods in Python — never a query
per period. The sums come from the scorecards' day rollups (`metrics.daily_column`), the
ratios from the board's own definitions (`metrics.metric_value`), so a goal, a key
result and the board count the same thing the same way.

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
from datetime import date
from decimal import Decimal
from statistics import median

from django.db.models import OuterRef, Q, Subquery

from accountable.crm import credit
from accountable.crm.models import Deal, DealStatus
from accountable.org.calendar import Period
from accountable.scorecards import metrics as board

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
# Activities have no product line or deal type: they are always read from the rollups.
_ACTIVITY_COLUMNS = {
    "calls": "calls",
    "emails": "emails",
    "meetings": "meetings",
    "first_meetings": "first_meetings",
    "second_meetings": "second_meetings",
    "prospecting_activities": "prospecting",
}
# The sums the scorecards keep in their rollups, by column: read from there, so a goal
# counts what the board counts. Deal sums narrowed to a product line or deal type (which
# the rollups do not keep), and new accounts, are read from the deals, credited by the
# same rule (`crm.credit`).
ROLLUP_COLUMNS = {
    "revenue": "won_amount",
    "deals_won": "won_count",
    "units": "won_units",
    "renewals": "won_renewals",
    "opportunities_created": "created_count",
    "pipeline_created": "created_amount",
    **_ACTIVITY_COLUMNS,
}
# Ratios of a span's deals, computed as the board computes them (`scorecards.metrics`):
# never a sum of daily values, so each period is worked out from its own counts.
RATIOS = frozenset({"win_rate", "avg_deal_size", "cycle_days", "revenue_growth"})
COMPUTED = frozenset(ROLLUP_COLUMNS) | RATIOS | {"new_accounts"}
# Counts of deals: a deal credited to several of a team's people counts once for the team.
_DEAL_COUNTS = frozenset({"deals_won", "renewals", "opportunities_created", "new_accounts"})


class ActualsError(ValueError):
    """A metric whose actuals Accountable does not compute; the message says which do."""


def is_computed(metric: str) -> bool:
    return metric in COMPUTED


def is_ratio(metric: str) -> bool:
    """A rate or an average (win rate, deal size, cycle, growth): worked out per span from
    the span's own counts, never added up from days or people."""
    return metric in RATIOS


def _new_account_deals(start: date, end: date):
    """The won deals, closed in the span, that were their account's first win ever (the
    earliest close, the lowest id on a tie): each is one new account for whoever it
    credits."""
    first = (
        Deal.objects.filter(status=DealStatus.WON, account_id=OuterRef("account_id"))
        .order_by("closed_on", "pk")
        .values("pk")[:1]
    )
    return Deal.objects.filter(
        status=DealStatus.WON,
        account__isnull=False,
        closed_on__gte=start,
        closed_on__lte=end,
        pk=Subquery(first),
    )


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
    narrowed = bool(product_line or deal_type) and metric in _DEAL_METRICS
    if metric in ROLLUP_COLUMNS and not narrowed:
        return board.daily_column(ROLLUP_COLUMNS[metric], ids, start, end)
    if metric == "new_accounts":
        return list(
            credit.credited_totals(_new_account_deals(start, end), ids, "closed_on", "count")
        )
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
    if metric in RATIOS:
        raise ActualsError(
            f'"{metric}" is a ratio: it is worked out per period (`by_person_and_period`, '
            "`figure`), never added up from days."
        )
    known = ", ".join(sorted(COMPUTED))
    raise ActualsError(f'Accountable does not compute "{metric}" from the data; it does {known}.')


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
    """{person id: {period label: actual}} over `periods` (every label present, 0 if none;
    for a ratio, None where the period has no figure: no deal closed, say)."""
    ids = list(people)
    result: dict[int, dict[str, Decimal]] = {pid: {p.label: ZERO for p in periods} for pid in ids}
    if not periods or not ids:
        return result
    if metric in RATIOS:
        return _ratios_by_person_and_period(metric, ids, periods)
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
    if metric in RATIOS:
        raise ActualsError(f'"{metric}" is a ratio: the people\'s figures do not add up.')
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


# ---- ratios, and deals counted once for a team ----------------------------------------


def _ratio(
    metric: str, counted: board.Counts, cycles: list[int], last_year: Decimal | None = None
) -> tuple[Decimal | None, int]:
    """The ratio as the board computes it (`metrics.metric_value`) and how many deals it
    rests on: closed deals for a win rate, won deals otherwise."""
    before = board.Counts(won_amount=last_year) if last_year is not None else None
    value = board.metric_value(metric, counted, cycle=cycles, last_year=before)
    sample = counted.won_count + (counted.lost_count if metric == "win_rate" else 0)
    return (None if value is None else Decimal(str(value))), sample


def _ratios_by_person_and_period(
    metric: str, ids: list[int], periods: Sequence[Period]
) -> dict[int, dict[str, Decimal | None]]:
    """Each person's ratio in each period, from that period's own counts in the rollups
    and its own won deals' cycles (a query each, and last year's revenue for growth)."""
    spans = [(p.start, p.end) for p in periods]
    counted = board.counts_by_span(ids, spans)
    cycles = board.cycle_days_by_span(ids, spans) if metric == "cycle_days" else [{} for _ in spans]
    before: dict[int, dict[str, Decimal]] = {}
    if metric == "revenue_growth":
        last_year = [p.same_period_last_year() for p in periods]
        revenue = by_person_and_period("revenue", ids, last_year)
        before = {
            pid: {p.label: values[ly.label] for p, ly in zip(periods, last_year, strict=True)}
            for pid, values in revenue.items()
        }
    return {
        pid: {
            p.label: _ratio(
                metric,
                counted[i].get(pid) or board.Counts(),
                cycles[i].get(pid, []),
                before.get(pid, {}).get(p.label),
            )[0]
            for i, p in enumerate(periods)
        }
        for pid in ids
    }


def _deals_once(metric: str, ids: list[int], start: date, end: date) -> Decimal:
    """How many deals of a count metric credit any of the people: each deal once."""
    if metric == "new_accounts":
        deals = _new_account_deals(start, end)
    else:
        field, _, extra = _DEAL_METRICS[metric]
        deals = Deal.objects.filter(extra, **{f"{field}__gte": start, f"{field}__lte": end})
    counted = Deal.objects.filter(pk__in=deals.filter(credit.credits_people(ids)).values("pk"))
    return Decimal(counted.count())


@dataclass(frozen=True)
class Figure:
    """A metric's value for some people over a span, taken together (a team), and how
    many deals a ratio rests on (None for sums). `value` None: no figure (`why` says)."""

    value: Decimal | None
    deals: int | None = None
    why: str = ""


_NO_FIGURE = {
    "win_rate": "no deal has closed yet (won or lost), so there is no win rate",
    "avg_deal_size": "no deal has been won yet, so there is no average deal size",
    "cycle_days": "no deal has been won yet, so there is no sales cycle",
    "revenue_growth": (
        "there was no revenue in the same stretch a year before, so there is no growth to "
        "measure: not enough data"
    ),
}


def figure(
    metric: str, people: Iterable[int], start: date, end: date, *, period: Period | None = None
) -> Figure:
    """The people's figure on `metric` from `start` to `end`, as the board reads it for a
    person or a team: sums add up (money and units by split share), a deal credited to
    several of the people counts once, and a ratio is worked out from the span's own
    deals. Revenue growth compares with the same stretch of `period` a year before."""
    ids = list(people)
    if metric in RATIOS:
        counted, cycles = board.counted_together(ids, start, end)
        last_year = None
        if metric == "revenue_growth":
            if period is None:
                raise ActualsError("Revenue growth is measured within a period.")
            a, b = board.same_stretch_last_year(period, end)
            last_year = total("revenue", ids, a, b)
        value, deals = _ratio(metric, counted, cycles, last_year)
        return Figure(value, deals, _NO_FIGURE[metric] if value is None else "")
    if end < start:
        return Figure(ZERO)
    if metric in _DEAL_COUNTS and len(ids) > 1:
        return Figure(_deals_once(metric, ids, start, end))
    return Figure(total(metric, ids, start, end))


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
    """What funnel.rates_from_counts needs, as the board counts it (`counted_together`):
    money by share, and a deal shared by several of the people once."""
    ids = list(people)
    counted, _ = board.counted_together(ids, start, end)
    opportunities = (
        _deals_once("opportunities_created", ids, start, end)
        if len(ids) > 1
        else counted.created_count
    )
    return {
        "won_amount": counted.won_amount,
        "won": counted.won_count,
        "lost": counted.lost_count,
        "opportunities": int(opportunities),
        "meetings": counted.meetings,
        "first_meetings": counted.first_meetings,
        "calls": counted.calls,
        "emails": counted.emails,
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
