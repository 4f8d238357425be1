"""Deals as they stood at the end of a past day, rebuilt from their history.

A deal was open on a day when it had been created by then and was not yet closed
(it is still open, or it closed later). What it counted with that day:

- amount and expected close: every change is in the change log (`DealChange`) with
  the value before it. A deal changed after the day had, that day, the old value of
  its first change after it; a deal not changed since has the value it has now.
- stage (and so its probability and forecast category): the stage history
  (`DealStageChange`) — the stage it entered last on or before the day. When its
  history starts after the day, the stage its first recorded change left. When
  that is not on record, or is a closed stage, the pipeline's first open stage: a
  deal imported already closed has no earlier stage on record.

Splits keep no history: a deal's current split credits it on any day.

A reader summing a whole organisation's pipeline lets the database add up the deals
not changed since (`sums_on`, in whole cents) and rebuilds only the others one by one
(`states_on`).
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accountable.core.local_day import day_start
from accountable.crm.chunks import in_chunks
from accountable.crm.credit import CENT, has_split
from accountable.crm.models import (
    Deal,
    DealChange,
    DealSplit,
    DealStageChange,
    DealStatus,
    Stage,
)


@dataclass(frozen=True)
class DealOn:
    """A deal's figures on the day asked for."""

    owner_id: int
    amount: Decimal
    expected_close_on: date | None
    stage: Stage


def is_past(day: date | None) -> bool:
    """Whether `day` ended before today (the organisation's): its deals are history."""
    return day is not None and day < timezone.localdate()


def open_on(day: date) -> QuerySet[Deal]:
    """Deals open at the end of `day`: created by then, closed (if at all) after it. A
    closed deal without a close date cannot be placed and is left out, as today."""
    return Deal.objects.filter(created_on__lte=day).filter(
        Q(status=DealStatus.OPEN) | Q(closed_on__gt=day)
    )


def deals_on(deals: QuerySet[Deal], day: date) -> dict[int, DealOn]:
    """{deal id: DealOn} for `deals` (say, `open_on(day)` narrowed to some people) at
    the end of `day`, in the organisation's time zone."""
    return {pk: DealOn(*state) for pk, *state in states_on(deals, day)}


State = tuple[int, int, Decimal, date | None, Stage]


def states_on(deals: QuerySet[Deal], day: date) -> list[State]:
    """(deal id, owner id, amount, expected close, stage) of `deals` at the end of
    `day`: `deals_on` as plain rows, for readers that sum thousands. One query reads
    the deals with the stage each was in that day and whether it changed since,
    through the history's deal indexes; a second reads the changes of those that did
    (few for a recent day)."""
    stages, first_open, counts_in = _stages()
    after = day_start(day + timedelta(days=1))
    rows = list(
        deals.order_by()
        .annotate(entered=_stage_then(day), changed=changed_after(day))
        .values_list(
            "pk", "owner_id", "amount", "expected_close_on", "stage_id", "entered", "changed"
        )
    )
    amounts, closes = _values_then([row[0] for row in rows if row[6]], after)
    found: list[State] = []
    for pk, owner_id, amount, expected_close_on, stage_id, entered, changed in rows:
        # No history: the stage it is in; UNKNOWN (not a stage): its history does not
        # say. With no open stage at all, the stage it is in.
        stage = counts_in.get(stage_id if entered is None else entered, first_open)
        if changed:
            amount = amounts.get(pk, amount)
            expected_close_on = closes.get(pk, expected_close_on)
        found.append((pk, owner_id, amount, expected_close_on, stage or stages[stage_id]))
    return found


def _stages() -> tuple[dict[int, Stage], Stage | None, dict[int, Stage | None]]:
    """Every stage by id; the pipeline's first open stage; and the stage a deal counts
    in by the stage its history gives: an open deal was in no closed stage, so a closed
    one (or none on record) is the first open stage."""
    stages = {stage.pk: stage for stage in Stage.objects.all()}
    first_open = next((s for s in stages.values() if not s.is_closed), None)
    counts_in = {pk: first_open if stage.is_closed else stage for pk, stage in stages.items()}
    return stages, first_open, counts_in


@dataclass(frozen=True)
class Sums:
    """Deals summed by the database (`sums_on`): those crediting `person_id` at `share`
    percent (None: their owner, in full) and expected to close in the window or not."""

    person_id: int
    share: Decimal | None
    closing: bool
    deals: int
    cents: int  # their amounts, in cents
    weighted: int  # their amounts in cents times their probability in percent


def sums_on(
    deals: QuerySet[Deal], day: date, window: tuple[date, date]
) -> tuple[list[Sums], list[int]] | None:
    """`deals` (say, `open_on(day)` narrowed to some people) at the end of `day`, summed
    in the database by the person they credit, at which share (`crm.credit`), and
    whether they were expected to close in `window`; with the ids of the deals it leaves
    to `states_on`: those whose amount, expected close or owner changed since
    (`changed_after`). Whole numbers, so exactly what adding the deals one by one gives,
    in one query where `states_on` reads and converts each deal. None when there is no
    open stage (then `states_on` knows which stage each deal counts in), or when the
    database cannot be told to read the deals first (SQLite before 3.35)."""
    stages, first_open, counts_in = _stages()
    if first_open is None or not _materializes():
        return None
    a, b = window
    closing = Case(
        When(expected_close_on__gte=a, expected_close_on__lte=b, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    then = Coalesce(_stage_then(day), F("stage_id"), output_field=IntegerField())
    inner, params = (
        deals.order_by()
        .annotate(stage_then=then, closing=closing, split=has_split(), changed=changed_after(day))
        .values_list("id", "owner_id", "amount", "stage_then", "closing", "split", "changed")
        .query.sql_with_params()
    )
    probability = [(pk, (counts_in[pk] or first_open).probability) for pk in stages]
    when = " ".join("WHEN %s THEN %s" for _ in probability)
    # Our own SQL around the ORM's; every value is a parameter. The deals are read once,
    # as the ORM would list them (MATERIALIZED: merged into the sums, SQLite reads every
    # deal by owner to group them, five times slower), then summed or left out.
    sql = (
        f"WITH s AS MATERIALIZED ({inner}),"  # noqa: S608
        " t AS (SELECT s.id, s.owner_id, s.closing, s.split, s.changed,"
        " CAST(ROUND(s.amount * 100) AS BIGINT) AS cents,"
        f" CASE s.stage_then {when} ELSE %s END AS p FROM s)"
        " SELECT t.owner_id, CAST(NULL AS NUMERIC), t.closing, COUNT(*), SUM(t.cents),"
        " SUM(t.cents * t.p), CAST(NULL AS BIGINT) FROM t"
        " WHERE NOT t.split AND NOT t.changed GROUP BY t.owner_id, t.closing"
        " UNION ALL SELECT c.person_id, c.share, t.closing, COUNT(*), SUM(t.cents),"
        f" SUM(t.cents * t.p), NULL FROM t JOIN {DealSplit._meta.db_table} c"
        " ON c.deal_id = t.id WHERE t.split AND NOT t.changed"
        " GROUP BY c.person_id, c.share, t.closing"
        " UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, t.id FROM t WHERE t.changed"
    )
    sums: list[Sums] = []
    left_out: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*params, *itertools.chain.from_iterable(probability), first_open.probability]
        )
        for person_id, share, in_window, n, cents, weighted, pk in cursor.fetchall():
            if pk is not None:
                left_out.append(pk)
                continue
            sums.append(
                Sums(
                    person_id,
                    None if share is None else _share(share),
                    bool(in_window),
                    int(n),
                    int(cents),
                    int(weighted),
                )
            )
    return sums, left_out


def _materializes() -> bool:
    """Whether the database takes `WITH … AS MATERIALIZED` (PostgreSQL 12, SQLite 3.35)."""
    if connection.vendor != "sqlite":
        return True
    return sqlite3.sqlite_version_info >= (3, 35)


def _share(value) -> Decimal:
    """A split's share as the database gives it (SQLite: a float), to its two places."""
    return Decimal(value).quantize(CENT) if isinstance(value, float) else Decimal(value)


UNKNOWN = 0  # no stage has this id: "its history starts after the day, from no stage"


def _stage_then(day: date) -> Coalesce:
    """For a deal with a stage history (`DealStageChange`), the stage it was in at the
    end of `day`: the stage it entered last on or before the day; when its history
    starts after the day, the stage its first change left (UNKNOWN when that is not on
    record). None for a deal without history. Two correlated lookups by deal id, in the
    order the history happened (day, then the moment it was recorded)."""
    history = DealStageChange.objects.filter(deal_id=OuterRef("pk"))
    entered = history.filter(changed_on__lte=day).order_by("-changed_on", "-recorded_at", "-pk")
    first = history.order_by("changed_on", "recorded_at", "pk")
    left = Coalesce("from_stage_id", Value(UNKNOWN))
    return Coalesce(
        Subquery(entered.values("to_stage_id")[:1]),
        Subquery(first.annotate(left=left).values("left")[:1]),
        output_field=IntegerField(),
    )


def changed_after(day: date) -> Exists:
    """Whether a deal's amount, expected close or owner changed after `day` (then its
    figures that day are not those it has now)."""
    after = day_start(day + timedelta(days=1))
    return Exists(DealChange.objects.filter(deal_id=OuterRef("pk"), changed_at__gte=after))


def _values_then(
    ids: list[int], after: datetime
) -> tuple[dict[int, Decimal], dict[int, date | None]]:
    """The amount and expected close of the deals changed since `after` (the end of the
    day), as they were: the old value of each field's first change since."""
    amounts: dict[int, Decimal] = {}
    closes: dict[int, date | None] = {}
    changes = (
        DealChange.objects.filter(deal_id__in=chunk, changed_at__gte=after)
        .order_by("deal_id", "field", "changed_at", "pk")
        .values_list("deal_id", "field", "old_value")
        for chunk in in_chunks(ids)
    )
    for deal_id, field, old_value in itertools.chain.from_iterable(changes):
        if field == DealChange.Field.AMOUNT and deal_id not in amounts:
            value = _amount(old_value)
            if value is not None:
                amounts[deal_id] = value
        elif field == DealChange.Field.EXPECTED_CLOSE and deal_id not in closes:
            closes[deal_id] = _day(old_value)
    return amounts, closes


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
