"""The metrics engine: every catalogue metric for any people and period, as of a day.

Each function here takes person ids (never a viewer: scoping is the selectors' job)
and answers with a few set-based queries whatever the number of people:

* `counts` reads the rollups — months, weeks and days that tile the span — so a
  quarter for a thousand reps reads a few thousand rows, never the raw activities;
* `pipeline` reads open deals (two aggregate queries: deals credited to their owner,
  and split deals credited by share); for a past day, the deals open then, with the
  amounts, close dates and stages they had then (`crm.deal_history`);
* `cycle_days` reads the won deals of the span (deals are few next to activities);
* `deal_flags` counts slipped, stale and incomplete open deals per owner.

Which date decides the period: an activity's `occurred_at`; a won or lost deal's
`closed_on`; a deal's `created_on` for opportunities and pipeline created; open
pipeline, the day's own end (today's: the deals as they are now).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from decimal import Context, Decimal
from functools import cached_property
from operator import attrgetter

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from accountable.core.local_day import day_start
from accountable.crm import credit, deal_history
from accountable.crm.chunks import in_chunks
from accountable.crm.models import (
    Activity,
    Deal,
    DealChange,
    DealMilestone,
    DealSplit,
    DealStageChange,
    DealStatus,
    Milestone,
)
from accountable.org.calendar import Kind, Period
from accountable.org.models import Person, Role
from accountable.org.selectors import time_off_spans
from accountable.org.time_off import own_period
from accountable.scorecards import formulas as f
from accountable.scorecards.models import (
    ACTIVITY_COLUMNS,
    OUTCOME_COLUMNS,
    ActivityRollup,
    Grain,
    MetricKind,
    OutcomeRollup,
    RoleScorecard,
)
from accountable.targets.catalogue import BY_KEY, Unit
from accountable.targets.models import Target

ZERO = Decimal(0)
ONE = Decimal(1)  # the share of a deal credited to its owner in full
STALE_DAYS = 30
People = Iterable[int] | QuerySet

# The default weighted scorecard of each role when the admin has configured none:
# (metric, kind, weight). Managers are scored on their own numbers like reps.
DEFAULT_SCORECARDS: dict[str, list[tuple[str, str, int]]] = {
    Role.REP: [
        ("revenue", MetricKind.OUTCOME, 100),
        ("calls", MetricKind.ACTIVITY, 30),
        ("meetings", MetricKind.ACTIVITY, 40),
        ("prospecting_activities", MetricKind.ACTIVITY, 30),
    ],
    Role.MANAGER: [
        ("revenue", MetricKind.OUTCOME, 100),
        ("meetings", MetricKind.ACTIVITY, 100),
    ],
}


def stale_days() -> int:
    """Days without a stage change or an activity after which an open deal is stale
    (setting SCORECARD_STALE_DAYS, default 30)."""
    return int(getattr(settings, "SCORECARD_STALE_DAYS", STALE_DAYS))


# --- counts from the rollups -----------------------------------------------------------


@dataclass
class Counts:
    """A person's (or a team's) sums over a span: activities and deal outcomes."""

    calls: int = 0
    emails: int = 0
    meetings: int = 0
    first_meetings: int = 0
    second_meetings: int = 0
    prospecting: int = 0
    total: int = 0
    won_amount: Decimal = ZERO
    won_count: int = 0
    won_renewals: int = 0
    lost_amount: Decimal = ZERO
    lost_count: int = 0
    created_amount: Decimal = ZERO
    created_count: int = 0
    won_units: Decimal = ZERO

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{k.name: getattr(self, k.name) + getattr(other, k.name) for k in fields(self)}
        )


_count_values = attrgetter(*(f.name for f in fields(Counts)))


def counts_sum(many: Iterable[Counts]) -> Counts:
    """The sum of many Counts, field by field: what adding them one by one gives, faster."""
    rows = [_count_values(c) for c in many]
    if not rows:
        return Counts()
    columns = zip(*rows, strict=True)
    return Counts(
        *(sum(col, zero) for col, zero in zip(columns, _count_values(Counts()), strict=True))
    )


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def tiles(start: date, end: date) -> tuple[list[date], list[date], list[tuple[date, date]]]:
    """Cut [start, end] into whole calendar months, whole Monday weeks at the edges, and
    day ranges for the rest: (month starts, week starts, day ranges)."""
    if end < start:
        return [], [], []
    months: list[date] = []
    first = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    cursor = first
    while _month_end(cursor) <= end:
        months.append(cursor)
        cursor = _month_end(cursor) + timedelta(days=1)
    edges = [(start, end)] if not months else [(start, months[0] - timedelta(1)), (cursor, end)]
    weeks: list[date] = []
    days: list[tuple[date, date]] = []
    for a, b in edges:
        if b < a:
            continue
        monday = a + timedelta(days=(7 - a.weekday()) % 7)
        if monday + timedelta(days=6) > b:
            days.append((a, b))
            continue
        if monday > a:
            days.append((a, monday - timedelta(1)))
        while monday + timedelta(days=6) <= b:
            weeks.append(monday)
            monday += timedelta(days=7)
        if monday <= b:
            days.append((monday, b))
    return months, weeks, days


def _tile_q(start: date, end: date) -> Q:
    """The rollup rows that tile [start, end]: its months, weeks and days."""
    months, weeks, days = tiles(start, end)
    where = Q(pk__in=[])
    if months:
        where |= Q(grain=Grain.MONTH, start__in=months)
    if weeks:
        where |= Q(grain=Grain.WEEK, start__in=weeks)
    for a, b in days:
        where |= Q(grain=Grain.DAY, start__gte=a, start__lte=b)
    return where


def counts(people: People | None, start: date, end: date) -> dict[int, Counts]:
    """{person id: Counts} from `start` to `end` inclusive (None: everyone). Two queries."""
    return _counts_by(people, False, start, end)


def counts_by_team(people: People, start: date, end: date) -> dict[int, Counts]:
    """{team id: Counts} of `people` from `start` to `end` inclusive, each person counted
    in their own team: the sums of `counts` over each team's people, added up by the
    database (amounts in whole cents, so the sum is the same either way). Two queries."""
    return _counts_by(people, True, start, end)


def _counts_by(people: People | None, by_team: bool, start: date, end: date) -> dict[int, Counts]:
    result: dict[int, Counts] = defaultdict(Counts)
    if end < start:
        return result
    sums: list[dict[int, list]] = []
    for model, names in ((ActivityRollup, ACTIVITY_COLUMNS), (OutcomeRollup, OUTCOME_COLUMNS)):
        amounts = [i for i, n in enumerate(names) if n in AMOUNT_COLUMNS]
        found = {}
        for owner, *values in _rollup_sums(model, names, by_team, people, start, end):
            for i in amounts:
                values[i] = _from_cents(values[i])
            found[owner] = values
        sums.append(found)
    activity, outcome = sums
    none = _count_values(Counts())
    nothing = (none[: len(ACTIVITY_COLUMNS)], none[len(ACTIVITY_COLUMNS) :])
    for owner in activity.keys() | outcome.keys():
        result[owner] = Counts(*activity.get(owner, nothing[0]), *outcome.get(owner, nothing[1]))
    return result


# The rollup columns that hold amounts (two decimal places), summed in whole cents.
AMOUNT_COLUMNS = frozenset({"won_amount", "lost_amount", "created_amount", "won_units"})


def _rollup_sums(
    model, names: list[str], by_team: bool, people: People | None, start: date, end: date
) -> list[tuple]:
    """(person or team id, the sum of each of `names`) over the rollup rows that tile
    [start, end] (`tiles`), as the database gives them: amounts in whole cents, added as
    integers (SQLite keeps decimals as floats; cents add up exactly whatever their
    number). Written out rather than built by the ORM: building these two queries took
    a third of their time, for a roll-up that reads them for a thousand people."""
    where, params = _tiles_where(start, end)
    if not where:
        return []
    if people is not None:
        if isinstance(people, QuerySet):
            chosen, chosen_params = people.order_by().values("pk").query.sql_with_params()
        else:
            ids = list(people)
            if not ids:
                return []
            chosen, chosen_params = ", ".join(["%s"] * len(ids)), ids
        where += f" AND r.person_id IN ({chosen})"
        params += chosen_params
    columns = [model._meta.get_field(name).column for name in names]
    sums = ", ".join(
        f"COALESCE(SUM(CAST(ROUND(r.{column} * 100) AS BIGINT)), 0)"
        if name in AMOUNT_COLUMNS
        else f"COALESCE(SUM(r.{column}), 0)"
        for name, column in zip(names, columns, strict=True)
    )
    key, join = "r.person_id", ""
    if by_team:
        key, join = "p.team_id", f" JOIN {Person._meta.db_table} p ON p.id = r.person_id"
    # Our own table and column names; every value is a parameter.
    sql = f"SELECT {key}, {sums} FROM {model._meta.db_table} r{join} WHERE {where} GROUP BY {key}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tiles_where(start: date, end: date) -> tuple[str, list]:
    """The SQL condition (on rollup rows `r`) for the tiles of [start, end], with its
    parameters; "" when there are none."""
    months, weeks, days = tiles(start, end)
    day = connection.ops.adapt_datefield_value
    parts, params = [], []
    for grain, starts in ((Grain.MONTH, months), (Grain.WEEK, weeks)):
        if starts:
            parts.append(f"(r.grain = %s AND r.start IN ({', '.join(['%s'] * len(starts))}))")
            params += [grain.value, *(day(d) for d in starts)]
    for a, b in days:
        parts.append("(r.grain = %s AND r.start >= %s AND r.start <= %s)")
        params += [Grain.DAY.value, day(a), day(b)]
    return ("(" + " OR ".join(parts) + ")" if parts else ""), params


def _from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _fetched(rows: QuerySet) -> list[tuple]:
    """The rows of a values_list query of whole numbers, as the database gives them: the
    ORM's per-value conversion is most of the time of reading a thousand people's sums."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def counts_by_span(people: People, spans: list[tuple[date, date]]) -> list[dict[int, Counts]]:
    """[{person id: Counts}] for each of several disjoint spans, in two queries: the rows
    that tile all the spans are read at once and each is put in the span holding it."""
    result: list[dict[int, Counts]] = [defaultdict(Counts) for _ in spans]
    if not spans:
        return result
    for model, names in ((ActivityRollup, ACTIVITY_COLUMNS), (OutcomeRollup, OUTCOME_COLUMNS)):
        where = Q(pk__in=[])
        for start, end in spans:
            where |= _tile_q(start, end)
        rows = model.objects.order_by().filter(where, person_id__in=people)
        for person_id, start, *values in rows.values_list("person_id", "start", *names):
            for index, (first, last) in enumerate(spans):
                if first <= start <= last:
                    counted = result[index][person_id]
                    for name, value in zip(names, values, strict=True):
                        setattr(counted, name, getattr(counted, name) + value)
                    break
    return result


def daily(people: People, start: date, end: date) -> dict[int, dict[date, Counts]]:
    """{person id: {day: Counts}} from the day rollups: for sparklines (a few weeks)."""
    result: dict[int, dict[date, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for model, names in ((ActivityRollup, ACTIVITY_COLUMNS), (OutcomeRollup, OUTCOME_COLUMNS)):
        rows = model.objects.filter(
            grain=Grain.DAY, person_id__in=people, start__gte=start, start__lte=end
        ).values_list("person_id", "start", *names)
        for person_id, day, *values in rows:
            counted = result[person_id][day]
            for name, value in zip(names, values, strict=True):
                setattr(counted, name, value)
    return result


def daily_column(
    column: str, people: People, start: date, end: date
) -> list[tuple[int, date, Decimal]]:
    """(person id, day, value) of one rollup column from `start` to `end` inclusive, from
    the day rollups (one query): what goals, suggestions and history read, day by day, so
    they count exactly what the board counts."""
    model = ActivityRollup if column in ACTIVITY_COLUMNS else OutcomeRollup
    if column not in ACTIVITY_COLUMNS and column not in OUTCOME_COLUMNS:
        raise KeyError(f"No rollup column {column!r}.")
    rows = (
        model.objects.order_by()
        .filter(grain=Grain.DAY, person_id__in=people, start__gte=start, start__lte=end)
        .exclude(**{column: 0})
        .values_list("person_id", "start", column)
    )
    return [(pid, day, Decimal(value)) for pid, day, value in rows]


# --- open pipeline -----------------------------------------------------------------------


@dataclass
class Pipeline:
    """A person's open deals, credited by split share.

    `open_amount`: every open deal; `in_window`: those expected to close from the as-of
    day to the end of the period (what coverage counts); `weighted_in_window`: the same
    at amount * stage probability, what the pipeline projection adds.
    """

    open_amount: Decimal = ZERO
    open_count: int = 0
    weighted: Decimal = ZERO
    in_window: Decimal = ZERO
    weighted_in_window: Decimal = ZERO


def _money(expression) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=DecimalField(max_digits=20, decimal_places=4))


# How Django's SQLite backend reads a decimal the database computed: SQLite holds 15
# significant digits, so the float's digits beyond them are dropped.
_FROM_SQLITE = Context(prec=15).create_decimal_from_float


def _db_decimal(value) -> Decimal:
    """A decimal sum as the database gave it (PostgreSQL: a Decimal; SQLite: an int or
    a float), read as the ORM would read it; None (no rows) is zero."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else _FROM_SQLITE(value)


def pipeline(
    people: People | None, window: tuple[date, date], on: date | None = None
) -> dict[int, Pipeline]:
    """{person id: Pipeline} of open deals; two aggregate queries. `on`, a past day: the
    deals open at its end, with the amounts, close dates and stages they had then
    (`_pipeline_on`); today or None: the deals open now."""
    if deal_history.is_past(on):
        return _pipeline_on(people, window, on)
    a, b = window
    in_window = Q(expected_close_on__gte=a, expected_close_on__lte=b)
    result: dict[int, Pipeline] = defaultdict(Pipeline)
    whole = credit.unsplit(Deal.objects.order_by().filter(status=DealStatus.OPEN))
    if people is not None:
        whole = whole.filter(owner_id__in=people)
    # Products only, divided here: SQLite would divide whole amounts as integers.
    weighted = _money(F("amount") * F("stage__probability"))
    sums = ("o", "n", "w", "iw", "wiw")
    rows = whole.values("owner_id").annotate(
        o=Sum("amount"),
        n=Count("pk"),
        w=Sum(weighted),
        iw=Sum("amount", filter=in_window),
        wiw=Sum(weighted, filter=in_window),
    )
    split = DealSplit.objects.order_by().filter(deal__status=DealStatus.OPEN)
    if people is not None:
        split = split.filter(person_id__in=people)
    share = _money(F("deal__amount") * F("share"))
    weighted_share = _money(F("deal__amount") * F("share") * F("deal__stage__probability"))
    split_window = Q(deal__expected_close_on__gte=a, deal__expected_close_on__lte=b)
    split_rows = split.values("person_id").annotate(
        o=Sum(share),
        n=Count("pk"),
        w=Sum(weighted_share),
        iw=Sum(share, filter=split_window),
        wiw=Sum(weighted_share, filter=split_window),
    )
    # (credited person, rows, divisor of o and iw, divisor of w and wiw)
    for key, source, per, weighted_per in (
        ("owner_id", rows, 1, 100),
        ("person_id", split_rows, 100, 10000),
    ):
        # Read as they come: the ORM's conversion of each value took as long as the query.
        for person_id, o, n, w, iw, wiw in _fetched(source.values_list(key, *sums)):
            p = result[person_id]
            p.open_amount += _db_decimal(o) / per
            p.open_count += n or 0
            p.weighted += _db_decimal(w) / weighted_per
            p.in_window += _db_decimal(iw) / per
            p.weighted_in_window += _db_decimal(wiw) / weighted_per
    return _in_money(result)


def pipelines_sum(many: Iterable[Pipeline]) -> Pipeline:
    """The sum of several people's (or teams') pipelines."""
    total = Pipeline()
    for p in many:
        total.open_amount += p.open_amount
        total.open_count += p.open_count
        total.weighted += p.weighted
        total.in_window += p.in_window
        total.weighted_in_window += p.weighted_in_window
    return total


def _in_money(pipes: dict[int, Pipeline]) -> dict[int, Pipeline]:
    """Each pipeline's sums rounded to money, as they are shown."""
    money = f.money
    for p in pipes.values():
        p.open_amount = money(p.open_amount)
        p.weighted = money(p.weighted)
        p.in_window = money(p.in_window)
        p.weighted_in_window = money(p.weighted_in_window)
    return pipes


def _pipeline_on(
    people: People | None, window: tuple[date, date], day: date
) -> dict[int, Pipeline]:
    """The pipeline as it stood at the end of a past day, from the deals' history
    (`crm.deal_history`): the deals not changed since are summed by the database
    (`deal_history.sums_on`); those changed since (a few dozen for a recent day) are
    rebuilt one by one and summed here."""
    deals = deal_history.open_on(day)
    wanted = None if people is None else {getattr(p, "pk", p) for p in people}
    if wanted is not None:
        split_to = DealSplit.objects.filter(person_id__in=wanted).values("deal_id")
        deals = deals.filter(Q(owner_id__in=wanted) | Q(pk__in=split_to))
    result: dict[int, Pipeline] = defaultdict(Pipeline)
    summed = deal_history.sums_on(deals, day, window)
    if summed is not None:
        sums, left_out = summed
        for row in sums:
            if wanted is not None and row.person_id not in wanted:
                continue
            # Whole cents, and cents times percent: exact, and so is each share of them.
            amount, weighted = _from_cents(row.cents), Decimal(row.weighted).scaleb(-4)
            if row.share is not None:
                amount, weighted = amount * row.share / 100, weighted * row.share / 100
            _add_open(result[row.person_id], row.deals, amount, weighted, row.closing)
    pieces = (
        [deals]
        if summed is None
        else [Deal.objects.filter(pk__in=chunk) for chunk in in_chunks(left_out)]
    )
    for piece in pieces:
        _add_deal_by_deal(result, piece, day, window, wanted)
    return _in_money(result)


def _add_deal_by_deal(
    result: dict[int, Pipeline],
    deals: QuerySet[Deal],
    day: date,
    window: tuple[date, date],
    wanted: set[int] | None,
) -> None:
    """Add `deals` as they stood at the end of `day` (`states_on`) to each pipeline of
    `result` they credit, among `wanted` (None: anyone)."""
    a, b = window
    then = deal_history.states_on(deals, day)
    shares: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    splits = DealSplit.objects.filter(deal_id__in=deals.order_by().values("pk"))
    for deal_id, person_id, share in splits.values_list("deal_id", "person_id", "share"):
        shares[deal_id].append((person_id, share / 100))
    # The deals are added up by whom they credit, at which share, in which stage and
    # whether they close in the window; each sum is multiplied out once. Decimal sums and
    # products of amounts are exact, so this is what adding deal by deal gives.
    groups: dict[tuple[int, Decimal, int, bool], list] = {}
    for deal_id, owner_id, amount, expected_close_on, stage in then:
        closing = expected_close_on is not None and a <= expected_close_on <= b
        # A deal with a split credits its split people; else its owner, in full.
        for person_id, share in shares.get(deal_id) or ((owner_id, ONE),):
            if wanted is not None and person_id not in wanted:
                continue
            key = (person_id, share, stage.probability, closing)
            group = groups.get(key)
            if group is None:
                groups[key] = [amount, 1]
            else:
                group[0] += amount
                group[1] += 1
    for (person_id, share, probability, closing), (amount, n) in groups.items():
        credited = amount if share is ONE else amount * share
        weighted = amount * probability / 100
        weighted = weighted if share is ONE else weighted * share
        _add_open(result[person_id], n, credited, weighted, closing)


def _add_open(p: Pipeline, deals: int, amount: Decimal, weighted: Decimal, closing: bool) -> None:
    """Add `deals` open deals, their amount and weighted amount as credited, to `p`;
    `closing`: they close in the window too."""
    p.open_count += deals
    p.open_amount += amount
    p.weighted += weighted
    if closing:
        p.in_window += amount
        p.weighted_in_window += weighted


def split_closes(people: list[int] | None, start: date, end: date) -> dict[int, tuple[str, list]]:
    """{deal id: (status, [person ids credited])} of the split deals won or lost in the
    span that credit any of `people` (None: anyone): what a team needs to count a deal
    shared by several of its people once."""
    closed = (DealStatus.WON, DealStatus.LOST)
    rows: list[tuple[int, int, str]] = []
    if people is None:
        in_span = DealSplit.objects.filter(
            deal__status__in=closed, deal__closed_on__gte=start, deal__closed_on__lte=end
        )
        rows = list(in_span.values_list("deal_id", "person_id", "deal__status"))
    else:
        # Each person's splits (a few hundred at most), their deals' status and close
        # date checked here: asked for in the query, SQLite's planner starts from every
        # deal closed in the span and looks each up for each person.
        for chunk in in_chunks(people):
            for deal_id, person_id, status, closed_on in DealSplit.objects.filter(
                person_id__in=chunk
            ).values_list("deal_id", "person_id", "deal__status", "deal__closed_on"):
                if status in closed and closed_on is not None and start <= closed_on <= end:
                    rows.append((deal_id, person_id, status))
    found: dict[int, tuple[str, list]] = {}
    for deal_id, person_id, status in rows:
        found.setdefault(deal_id, (status, []))[1].append(person_id)
    return found


def team_overlaps(
    closes: dict[int, tuple[str, list]], teams_of: Mapping[int, Sequence[int]]
) -> dict[int, tuple[int, int]]:
    """{team id: (won, lost)}: how many deals more than it closed a team would count if
    each split deal of `closes` (`split_closes`) counted once for every person of the
    team it credits. `teams_of` gives each person's teams (theirs and those above)."""
    extra: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for status, credited in closes.values():
        if len(credited) < 2:
            continue
        within: dict[int, int] = defaultdict(int)
        for person_id in credited:
            for team_id in teams_of.get(person_id, ()):
                within[team_id] += 1
        for team_id, n in within.items():
            if n > 1:
                extra[team_id][0 if status == DealStatus.WON else 1] += n - 1
    return {team_id: (won, lost) for team_id, (won, lost) in extra.items()}


def once_per_team(c: Counts, members: set[int], closes: dict[int, tuple[str, list]]) -> Counts:
    """A team's counts with each split deal counted once, however many of its people
    it credits (its money is already credited by share, and adds up)."""
    team = 0  # the members taken together, as one team
    return less_overlap(c, team_overlaps(closes, dict.fromkeys(members, (team,))).get(team))


def less_overlap(c: Counts, overlap: tuple[int, int] | None) -> Counts:
    """A team's counts less its (won, lost) overlap from `team_overlaps`."""
    if overlap is None:
        return c
    extra_won, extra_lost = overlap
    return replace(c, won_count=c.won_count - extra_won, lost_count=c.lost_count - extra_lost)


def credited_deals(people: People, **filters) -> QuerySet:
    """Deals credited to any of `people`: owned without a split, or split to them."""
    return Deal.objects.filter(credit.credits_people(people), **filters).distinct()


def open_deals_of(person_id: int, on: date | None = None) -> list[tuple[Deal, Decimal]]:
    """The person's open deals with their share (1 for an owned deal without split).
    `on`, a past day: the deals open at its end, each with the amount, expected close
    and stage it had then (set on the instance, never saved)."""
    past = deal_history.is_past(on)
    open_deals = deal_history.open_on(on) if past else Deal.objects.filter(status=DealStatus.OPEN)
    deals = credited_deals([person_id]).filter(pk__in=open_deals.values("pk"))
    shares = dict(
        DealSplit.objects.filter(person_id=person_id, deal__in=deals.values("pk")).values_list(
            "deal_id", "share"
        )
    )
    then = deal_history.deals_on(deals, on) if past else {}
    result: list[tuple[Deal, Decimal]] = []
    for deal in deals.select_related("stage", "account"):
        if deal.pk in then:
            state = then[deal.pk]
            deal.amount, deal.expected_close_on, deal.stage = (
                state.amount,
                state.expected_close_on,
                state.stage,
            )
        result.append((deal, shares.get(deal.pk, Decimal(100)) / 100))
    return result


# --- conversion from deals ---------------------------------------------------------------


def cycle_start(deal_created: date, engaged: date | None) -> date:
    """When a deal's sales cycle starts: the day it was engaged, else the day it was created."""
    return engaged or deal_created


def cycle_days(people: People, start: date, end: date) -> dict[int, list[int]]:
    """{person id: [days from engagement (or creation) to close, per deal won in the span]}."""
    return cycle_days_by_span(people, [(start, end)])[0]


def cycle_days_once(people: People, start: date, end: date) -> list[int]:
    """Days from engagement (or creation) to close of each deal won in the span that
    credits any of `people`, each deal once: a team's cycles (a deal split between two
    of its people is one sale, not two)."""
    credited = Deal.objects.filter(credit.credits_people(people)).values("pk")
    won = Deal.objects.filter(
        status=DealStatus.WON, closed_on__gte=start, closed_on__lte=end, pk__in=credited
    )
    return [
        (closed - cycle_start(created, engaged)).days
        for created, engaged, closed in won.values_list("created_on", "engaged_on", "closed_on")
    ]


def cycle_days_by_span(
    people: People, spans: list[tuple[date, date]]
) -> list[dict[int, list[int]]]:
    """`cycle_days` for each of several disjoint spans, in one query."""
    result: list[dict[int, list[int]]] = [defaultdict(list) for _ in spans]
    if not spans:
        return result
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    won = Deal.objects.filter(status=DealStatus.WON, closed_on__gte=first, closed_on__lte=last)
    fields = ["created_on", "engaged_on", "closed_on"]
    for person_id, _, created, engaged, closed in credit.credited_rows(won, people, fields):
        for index, (start, end) in enumerate(spans):
            if start <= closed <= end:
                result[index][person_id].append((closed - cycle_start(created, engaged)).days)
    return result


def counted_together(people: list[int], start: date, end: date) -> tuple[Counts, list[int]]:
    """What `people` did over a span taken together, as the board reads a person or a
    team: their counts summed (money by split share), a deal shared by several of them
    counted once, and the cycle of each deal won, each deal once. Every figure of a span
    — goal progress, a key result, a metric's summary — is read from this."""
    if end < start or not people:
        return Counts(), []
    counted = counts_sum(counts(people, start, end).values())
    if len(people) > 1:
        counted = once_per_team(counted, set(people), split_closes(people, start, end))
        return counted, cycle_days_once(people, start, end)
    return counted, cycle_days(people, start, end).get(people[0], [])


# --- deal hygiene ---------------------------------------------------------------------


def slipped_q(period: Period, as_of: date) -> Q:
    """An open deal has slipped when its expected close is past (before the as-of day),
    or when its expected close was moved later during the period."""
    pushed = DealChange.objects.filter(
        deal_id=OuterRef("pk"),
        field=DealChange.Field.EXPECTED_CLOSE,
        changed_at__gte=day_start(period.start),
        changed_at__lt=day_start(as_of + timedelta(days=1)),
        new_value__gt=F("old_value"),
    ).exclude(old_value="")
    return Q(expected_close_on__lt=as_of) | Q(Exists(pushed))


def stale_q(as_of: date, days: int | None = None) -> Q:
    """An open deal is stale when nothing moved for `days` (default setting): no stage
    change and no activity on it since, and it is older than that."""
    cutoff = as_of - timedelta(days=days if days is not None else stale_days())
    moved = DealStageChange.objects.filter(deal_id=OuterRef("pk"), changed_on__gt=cutoff)
    touched = Activity.objects.filter(
        deal_id=OuterRef("pk"), occurred_at__gte=day_start(cutoff + timedelta(1))
    )
    return Q(created_on__lte=cutoff) & ~Q(Exists(moved)) & ~Q(Exists(touched))


def missing_milestones_q() -> Q:
    """An open deal misses milestones when a checklist item of its current stage is not done."""
    done = DealMilestone.objects.filter(
        deal_id=OuterRef(OuterRef("pk")), milestone_id=OuterRef("pk")
    )
    missing = Milestone.objects.filter(stage_id=OuterRef("stage_id")).exclude(Exists(done))
    return Q(Exists(missing))


@dataclass
class Flags:
    slipped: int = 0
    stale: int = 0
    missing_milestones: int = 0


def deal_flags(people: People | None, period: Period, as_of: date) -> dict[int, Flags]:
    """{owner id: Flags} over open deals (flags go to the owner, whose deal it is to keep)."""
    result: dict[int, Flags] = defaultdict(Flags)
    deals = Deal.objects.order_by().filter(status=DealStatus.OPEN)
    if people is not None:
        deals = deals.filter(owner_id__in=people)
    for name, condition in (
        ("slipped", slipped_q(period, as_of)),
        ("stale", stale_q(as_of)),
        ("missing_milestones", missing_milestones_q()),
    ):
        for owner_id, n in (
            deals.filter(condition)
            .values("owner_id")
            .annotate(n=Count("pk"))
            .values_list("owner_id", "n")
        ):
            setattr(result[owner_id], name, n)
    return result


# --- targets --------------------------------------------------------------------------


def person_targets(people: People | None, period: Period) -> dict[int, dict[str, Decimal]]:
    """{person id: {metric: target}} for the period (overall targets, not per product line);
    `people` None: everyone's."""
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = Target.objects.filter(
        person__isnull=False, period=period.label, product_line="", deal_type=""
    )
    if people is not None:
        rows = rows.filter(person_id__in=people)
    rows = rows.values_list("person_id", "metric", "value")
    for person_id, metric, value in rows:
        result[person_id][metric] = value
    return result


def team_targets(team_ids: Iterable[int], period: Period) -> dict[int, dict[str, Decimal]]:
    """{team id: {metric: target}} set on the teams themselves."""
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = Target.objects.filter(
        team_id__in=list(team_ids), period=period.label, product_line="", deal_type=""
    ).values_list("team_id", "metric", "value")
    for team_id, metric, value in rows:
        result[team_id][metric] = value
    return result


# Parts a target can be split into that tile their period exactly (weeks straddle months).
PART_KINDS = {Kind.YEAR: (Kind.MONTH, Kind.QUARTER), Kind.QUARTER: (Kind.MONTH,)}


def target_paces(
    owner: str,
    ids: Iterable[int] | None,
    period: Period,
    as_of: date,
    periods: dict[int, Period] | None = None,
) -> dict[int, dict[str, float]]:
    """{owner id: {metric: pace}} for the targets of `period` that are split into parts:
    a target for each of its months (or quarters), the same owner and metric. Such a
    target paces by its parts (`formulas.seasonal_pace`): the parts gone are expected
    in full, the current one by its working days gone, each weighing its own target.
    Split by last year's seasons, that is pace by seasonality; a target with no parts
    paces by the period's working days (`formulas.pace`), and is not in the result.
    `owner` is "person_id" or "team_id". The finest complete set of parts wins.
    `periods`: the period in a person's own working days (`own_periods`), so that
    inside each part their time off is not a day they are expected to sell on. `ids`
    None: every owner's."""
    labels = part_labels(period)
    if not labels:
        return {}
    rows = Target.objects.filter(
        **{f"{owner}__isnull": False}, period__in=labels, product_line="", deal_type=""
    )
    if ids is not None:
        rows = rows.filter(**{f"{owner}__in": list(ids)})
    return paces_from_parts(
        rows.values_list(owner, "metric", "period", "value"), period, as_of, periods
    )


def part_labels(period: Period) -> list[str]:
    """The labels of the parts a target of `period` may be split into (`PART_KINDS`)."""
    return [
        part.label for kind in PART_KINDS.get(period.kind, ()) for part in period.children(kind)
    ]


def paces_from_parts(
    rows: Iterable[tuple[int, str, str, Decimal]],
    period: Period,
    as_of: date,
    periods: dict[int, Period] | None = None,
) -> dict[int, dict[str, float]]:
    """`target_paces` from the targets of the parts, (owner id, metric, part label,
    value) each, however they were read."""
    kinds = PART_KINDS.get(period.kind, ())
    periods = periods or {}
    parts = {kind: period.children(kind) for kind in kinds}
    kind_of = {part.label: kind for kind, periods in parts.items() for part in periods}
    found: dict[tuple[int, str, Kind], dict[str, Decimal]] = defaultdict(dict)
    for owner_id, metric, label, value in rows:
        found[(owner_id, metric, kind_of[label])][label] = value
    result: dict[int, dict[str, float]] = defaultdict(dict)
    for kind in kinds:  # finest first
        for (owner_id, metric, of_kind), values in found.items():
            if of_kind != kind or metric in result[owner_id]:
                continue
            if len(values) == len(parts[kind]):
                own = periods.get(owner_id)
                theirs = own.children(kind) if own is not None else parts[kind]
                weighted = [(part, float(values[part.label])) for part in theirs]
                result[owner_id][metric] = f.seasonal_pace(weighted, as_of)
    return result


@dataclass(frozen=True)
class TeamTargets:
    """The targets on one metric a roll-up adds up, each (target, its pace): the ones
    set on teams, and each person's (paced by their own working days and parts)."""

    teams: dict[int, tuple[Decimal, float]]
    people: dict[int, tuple[Decimal, float]]


def team_targets_with_people(
    team_ids: Iterable[int], people: list[int] | None, period: Period, as_of: date, metric: str
) -> TeamTargets:
    """The targets on `metric` for `period` of the teams `team_ids` and of `people`
    (None: everyone), with their paces: what `team_targets`, `person_targets`,
    `target_paces` and `person_paces` give, in one query of targets and one of time off."""
    wanted = set(team_ids)
    owners = Q(team__isnull=False) | (
        Q(person__isnull=False) if people is None else Q(person_id__in=people)
    )
    rows = (
        Target.objects.order_by()
        .filter(
            owners,
            metric=metric,
            period__in=[period.label, *part_labels(period)],
            product_line="",
            deal_type="",
        )
        .values_list("person_id", "team_id", "period", "value")
    )
    wholes: tuple[dict[int, Decimal], dict[int, Decimal]] = ({}, {})
    parts: tuple[list, list] = ([], [])
    for person_id, team_id, label, value in rows:
        if person_id is None and team_id not in wanted:
            continue
        of_team = person_id is None
        owner = team_id if of_team else person_id
        if label == period.label:
            wholes[of_team][owner] = value
        else:
            parts[of_team].append((owner, metric, label, value))
    periods = own_periods(people, period)
    paces = PersonPaces(period, as_of, periods, paces_from_parts(parts[0], period, as_of, periods))
    by_team = paces_from_parts(parts[1], period, as_of)
    fraction = f.pace(period, as_of)
    return TeamTargets(
        teams={
            team_id: (value, by_team.get(team_id, {}).get(metric, fraction))
            for team_id, value in wholes[1].items()
        },
        people={
            person_id: (value, paces.of(person_id, metric))
            for person_id, value in wholes[0].items()
        },
    )


def own_periods(ids: Iterable[int] | None, period: Period) -> dict[int, Period]:
    """{person id: `period` counted in their own working days} for the people with time
    off in it (`org.time_off.own_period`); one query. Everyone else's pace, required
    weekly rate and working weeks left are the period's own."""
    spans = time_off_spans(ids, period.start, period.end)
    return {person_id: own_period(period, theirs) for person_id, theirs in spans.items()}


@dataclass(frozen=True)
class PersonPaces:
    """Where each person should be in `period` at the end of `as_of`: by the working
    days they had — the organisation's, net of their time off — or, for a target split
    into parts, by those parts (`target_paces`), each part's days net of it too."""

    period: Period
    as_of: date
    periods: dict[int, Period]
    by_target: dict[int, dict[str, float]]

    def period_of(self, person_id: int) -> Period:
        """The period in the person's own working days (the period itself without time off)."""
        return self.periods.get(person_id, self.period)

    def fraction(self, person_id: int) -> float:
        """The share of the person's working days in the period gone."""
        own = self.periods.get(person_id)
        return self.common_fraction if own is None else f.pace(own, self.as_of)

    @cached_property
    def common_fraction(self) -> float:
        """The share gone for everyone without time off in the period: the period's own."""
        return f.pace(self.period, self.as_of)

    def of(self, person_id: int, metric: str) -> float:
        """The pace of the person's target on `metric`."""
        paced = self.by_target.get(person_id, {})
        return paced[metric] if metric in paced else self.fraction(person_id)


def person_paces(ids: Iterable[int] | None, period: Period, as_of: date) -> PersonPaces:
    """Each person's pace on `period` as of a day: two queries whatever their number
    (`ids` None: everyone's)."""
    ids = list(ids) if ids is not None else None
    periods = own_periods(ids, period)
    by_target = target_paces("person_id", ids, period, as_of, periods)
    return PersonPaces(period, as_of, periods, by_target)


def team_target(
    own: Decimal | None, own_pace: float, people: list[tuple[Decimal, float]], fraction: float
) -> tuple[Decimal | None, float]:
    """A team's target on a metric and its pace: the team's own, paced as it is; else the
    sum of its people's, each (target, its pace), paced as theirs are; else None at the
    period's pace `fraction`."""
    return team_target_of(own, own_pace, targets_sum(people), fraction)


@dataclass(frozen=True)
class TargetsSum:
    """Targets added up: their total, what they expect by now (each target times its
    pace), and how many were added (none: there is no sum of targets)."""

    total: Decimal = ZERO
    expected: Decimal = ZERO
    count: int = 0

    def __add__(self, other: TargetsSum) -> TargetsSum:
        return TargetsSum(
            self.total + other.total, self.expected + other.expected, self.count + other.count
        )


def targets_sum(targets: Iterable[tuple[Decimal, float]]) -> TargetsSum:
    """The sum of targets, each (target, its pace)."""
    total, expected, count = ZERO, ZERO, 0
    for target, pace in targets:
        total += target
        expected += target * Decimal(str(pace))
        count += 1
    return TargetsSum(total, expected, count)


def team_target_of(
    own: Decimal | None, own_pace: float, people: TargetsSum, fraction: float
) -> tuple[Decimal | None, float]:
    """`team_target` with its people's targets already added up (`targets_sum`)."""
    if own is not None:
        return own, own_pace
    if not people.count:
        return None, fraction
    return people.total, pace_of(people, fraction)


def pace_of(targets: TargetsSum, fallback: float) -> float:
    """The pace of a target that is the sum of others: the sum of what each expects by
    now, over the sum of the targets."""
    if not targets.total:
        return fallback
    return float(targets.expected / targets.total)


# --- metric values ------------------------------------------------------------------


PACED_UNITS = {Unit.MONEY, Unit.COUNT}  # sums that grow through the period
RATIO_METRICS = {"win_rate", "avg_deal_size", "cycle_days", "revenue_growth"}  # not paced


def same_stretch_last_year(period: Period, end: date) -> tuple[date, date]:
    """What revenue growth compares with: the same stretch of the same period a year
    before, from its start to the same day of it (`end` within the period), or all of it
    once the period is over."""
    before = period.same_period_last_year()
    stop = before.start + (end - period.start) if end < period.end else before.end
    return before.start, min(stop, before.end)


def metric_pace(metric: str, owner: str, owner_id: int, period: Period, as_of: date) -> float:
    """The share of a target on `metric` expected by the end of `as_of`, as the board
    paces it: a sum by the target's parts when it is split into them (`target_paces`),
    else by the working days — a person's own, net of their time off (`person_paces`),
    a team's the period's (`formulas.pace`); a ratio is not paced (1.0: the target
    itself is expected now). `owner` is "person_id" or "team_id"."""
    meta = BY_KEY.get(metric)
    if metric in RATIO_METRICS or meta is None or meta.unit not in PACED_UNITS:
        return 1.0
    if owner == "person_id":
        return person_paces([owner_id], period, as_of).of(owner_id, metric)
    paces = target_paces(owner, [owner_id], period, as_of)
    return paces.get(owner_id, {}).get(metric, f.pace(period, as_of))


def metric_value(
    metric: str, c: Counts, *, cycle: list[int] | None = None, last_year: Counts | None = None
) -> Decimal | float | None:
    """A catalogue metric's value from a span's counts, in the catalogue's unit
    (percent metrics as 0-100). None for what the data cannot say (custom, new accounts)."""
    simple = {
        "revenue": c.won_amount,
        "units": c.won_units,
        "deals_won": c.won_count,
        "renewals": c.won_renewals,
        "pipeline_created": c.created_amount,
        "opportunities_created": c.created_count,
        "calls": c.calls,
        "emails": c.emails,
        "meetings": c.meetings,
        "first_meetings": c.first_meetings,
        "second_meetings": c.second_meetings,
        "prospecting_activities": c.prospecting,
    }
    if metric in simple:
        return simple[metric]
    if metric == "win_rate":
        rate = f.win_rate(c.won_count, c.lost_count)
        return None if rate is None else 100 * rate
    if metric == "avg_deal_size":
        return f.average_deal_size(c.won_amount, c.won_count)
    if metric == "cycle_days":
        return f.median(cycle) if cycle else None
    if metric == "revenue_growth" and last_year is not None:
        growth = f.ratio(c.won_amount - last_year.won_amount, last_year.won_amount)
        return None if growth is None else 100 * growth
    return None


def score_attainment(metric: str, actual, target, fraction: float) -> float | None:
    """A metric's attainment for the weighted score (1.0 = on target): against pace for
    sums, against the target itself for rates, inverted when lower is better."""
    if actual is None or target is None or target <= 0:
        return None
    meta = BY_KEY.get(metric)
    if meta is not None and not meta.higher_is_better:
        return f.attainment(actual, target, higher_is_better=False)
    if metric in RATIO_METRICS:
        return f.attainment(actual, target)
    if fraction <= 0:
        return None
    expected = Decimal(str(target)) * Decimal(str(fraction))
    return float(Decimal(str(actual)) / expected) if expected else None


def role_scorecards() -> dict[str, list[tuple[str, str, int]]]:
    """Each role's weighted scorecard: (metric, kind, weight), the admin's or the default."""
    configured: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for item in RoleScorecard.objects.order_by("role", "pk"):
        configured[item.role].append((item.metric, item.kind, item.weight))
    return {
        role: configured.get(role) or list(DEFAULT_SCORECARDS.get(role, [])) for role in Role.values
    }


@dataclass
class Scores:
    activity_target: Decimal | None = None
    activity_actual: int = 0
    activity_attainment: float | None = None
    activity_score: float | None = None
    outcome_score: float | None = None
    parts: list[tuple[str, str, float | None]] = field(default_factory=list)


def scores(
    card: list[tuple[str, str, int]],
    c: Counts,
    targets: dict[str, Decimal],
    fraction: float,
    cycle: list[int] | None = None,
    paces: dict[str, float] | None = None,
) -> Scores:
    """The activity and outcome scores of one person from their role's scorecard.

    `fraction` is the period's pace; `paces` that of each target split into parts
    (`target_paces`). `activity_target` sums the targets of the scorecard's activity
    metrics that have one (and `activity_actual` their counts, shown beside it);
    `activity_attainment` weighs each of those activities against its own target: the
    mean of each one's actual ÷ expected to date, by the scorecard's weights (1.0 = on
    pace). A prospecting call is one call and one prospecting touch, each against its
    own target, never two of one raw count."""
    paces = paces or {}
    result = Scores()
    by_kind: dict[str, list[f.Scored]] = {MetricKind.ACTIVITY: [], MetricKind.OUTCOME: []}
    activity_target = ZERO
    activity_actual = 0
    has_activity_target = False
    for metric, kind, weight in card:
        actual = metric_value(metric, c, cycle=cycle)
        target = targets.get(metric)
        part = score_attainment(metric, actual, target, paces.get(metric, fraction))
        by_kind.setdefault(kind, []).append(f.Scored(part, weight))
        result.parts.append((metric, kind, part))
        if kind == MetricKind.ACTIVITY and target is not None and actual is not None:
            has_activity_target = True
            activity_target += target
            activity_actual += int(actual)
    result.activity_score = f.weighted_score(by_kind[MetricKind.ACTIVITY])
    result.outcome_score = f.weighted_score(by_kind[MetricKind.OUTCOME])
    if has_activity_target:
        result.activity_target = activity_target
        result.activity_actual = activity_actual
        # The activity score's weighted mean, without its cap.
        uncapped = f.weighted_score(by_kind[MetricKind.ACTIVITY], cap=math.inf)
        result.activity_attainment = None if uncapped is None else uncapped / 100
    return result
