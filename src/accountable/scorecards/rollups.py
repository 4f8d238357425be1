"""Keeping the scorecard rollups (`scorecards.models`) equal to the sales data.

Everything is set-based, on SQLite and PostgreSQL alike:

1. day rows are computed from the raw tables with one INSERT … SELECT … GROUP BY per
   table (activities: the SELECT is built by the ORM, so the day is cut in the current
   time zone exactly as `goals.actuals` cuts it; deals: their dates are already days);
2. week and month rows are computed from the day rows with one INSERT … SELECT … GROUP
   BY each (`TruncWeek`, `TruncMonth`).

`rebuild()` does this for everything; `refresh_runs(runs)` for the people and days a
write touched: their day rows between the first and the last day touched, and the
weeks and months around them. The writers do not call it: every write to the sales
data announces what it touched (`core.changes`) inside its own transaction, and the
scorecards follow (`scorecards.tasks.rollups_follow`, subscribed in the app's
configuration). So a scorecard is fresh as soon as the data is committed, and a
rolled-back import leaves the rollups as they were.

Rows are written in the order of the rollups' unique key (day, then person), so that
its index grows at one end. A refresh as big as the rollup table (the first load of
years of activities) builds the table's other indexes afterwards (`core.bulk_indexes`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth, TruncWeek

from accountable.core import changes
from accountable.core.bulk_indexes import indexes_set_aside, rows_about, worth_setting_aside
from accountable.core.local_day import day_start, local_day, needs_days
from accountable.core.planner import planner_statistics_refresh
from accountable.crm import credit
from accountable.crm.models import Activity, ActivityKind
from accountable.org.models import Person
from accountable.scorecards.models import (
    ACTIVITY_COLUMNS,
    OUTCOME_COLUMNS,
    ActivityRollup,
    Grain,
    OutcomeRollup,
)

__all__ = ["rebuild", "refresh_runs", "refresh_span"]

CHUNK = 500  # people per statement: far under SQLite's 999 bound variables
LONG_SPAN_DAYS = 62  # touched days all within this: one span for everyone touched
Progress = Callable[[int, int], None]


def _insert(model, columns: list[str], queryset: QuerySet) -> int:
    """INSERT INTO the model's table (person_id, grain, start, *columns) the queryset's rows."""
    sql, params = queryset.query.sql_with_params()
    names = ", ".join(["person_id", "grain", "start", *columns])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) {sql}", params)
        return cursor.rowcount


def _day_of(field: str, start: date | None, end: date | None):
    """The day of an activity's moment in the current time zone (the organisation's,
    `org.zone`), cut in SQL on SQLite too (`core.local_day`). Over all time it needs
    the data's own first and last days, read only where the zone makes them matter."""
    if start is None and needs_days():
        bounds = Activity.objects.aggregate(first=Min(field), last=Max(field))
        if bounds["first"] is not None:
            start, end = bounds["first"].date(), bounds["last"].date()
    return local_day(field, start, end)


def _activity_days(people: list[int] | None, start: date | None, end: date | None) -> QuerySet:
    """SELECT person, 'd', day, counts… FROM crm_activity GROUP BY person, day."""
    acts = Activity.objects.order_by().annotate(day=_day_of("occurred_at", start, end))
    if people is not None:
        acts = acts.filter(person_id__in=people)
    if start is not None and people is None:
        # Everyone over a long span: filtered on the day itself, so the table is read
        # in one pass rather than person by person through an index.
        acts = acts.filter(day__range=(start, end))
    elif start is not None:
        acts = acts.filter(
            occurred_at__gte=day_start(start), occurred_at__lt=day_start(end + timedelta(1))
        )
    meeting = Q(kind=ActivityKind.MEETING)
    return (
        acts.annotate(g=Value(Grain.DAY.value))
        .values("g", "day", "person_id")
        .annotate(
            calls=Count("pk", filter=Q(kind=ActivityKind.CALL)),
            emails=Count("pk", filter=Q(kind=ActivityKind.EMAIL)),
            meetings=Count("pk", filter=meeting),
            first_meetings=Count("pk", filter=meeting & Q(meeting_number=1)),
            second_meetings=Count("pk", filter=meeting & Q(meeting_number=2)),
            prospecting=Count("pk", filter=Q(is_prospecting=True)),
            total=Count("pk"),
        )
        .values_list("person_id", "g", "day", *ACTIVITY_COLUMNS)
        .order_by("day", "person_id")
    )


def _credited(amount: str, units: str) -> dict[str, list[str]]:
    """The outcome columns a deal adds on its close day and on its created day."""
    won, lost = "d.status = 'won'", "d.status = 'lost'"
    return {
        "closed_on": [
            f"CASE WHEN {won} THEN {amount} ELSE 0 END",
            f"CASE WHEN {won} THEN 1 ELSE 0 END",
            f"CASE WHEN {won} AND d.type = 'renewal' THEN 1 ELSE 0 END",
            f"CASE WHEN {lost} THEN {amount} ELSE 0 END",
            f"CASE WHEN {lost} THEN 1 ELSE 0 END",
            "0",
            "0",
            f"CASE WHEN {won} THEN {units} ELSE 0 END",
        ],
        "created_on": ["0", "0", "0", "0", "0", amount, "1", "0"],
    }


def _outcome_days_sql(people: list[int] | None, start: date | None, end: date | None):
    """SELECT person, 'd', day, sums… of deals won, lost (on closed_on) and created
    (on created_on), each credited by share. Deal dates are days: plain SQL will do."""
    branches: list[str] = []
    params: list = []
    # Every deal credits its split people by share, or its owner in full when it has no
    # split (`crm.credit`): two sources, each a plain join the planner can serve from
    # the indexes.
    for tables, person, share, condition in credit.SQL_SOURCES:
        units = credit.sql_credited_units(share)
        for column, values in _credited(credit.sql_credited_amount(share), units).items():
            where = [f"d.{column} IS NOT NULL"] + ([condition] if condition else [])
            if column == "closed_on":
                where.append("d.status IN ('won', 'lost')")
            if start is not None:
                where.append(f"d.{column} BETWEEN %s AND %s")
                params += [start, end]
            if people is not None:
                where.append(f"{person} IN ({', '.join(['%s'] * len(people))})")
                params += list(people)
            named = ", ".join(
                f"{value} AS {name}" for value, name in zip(values, OUTCOME_COLUMNS, strict=True)
            )
            branches.append(
                f"SELECT {person} AS person_id, d.{column} AS day, {named} "  # noqa: S608 - our names
                f"FROM {tables} WHERE {' AND '.join(where)}"
            )
    sums = ", ".join(f"SUM({name})" for name in OUTCOME_COLUMNS)
    sql = (
        f"SELECT person_id, '{Grain.DAY.value}', day, {sums} "  # noqa: S608 - our names; values bound
        f"FROM ({' UNION ALL '.join(branches)}) AS credited GROUP BY person_id, day"
    )
    return sql, params


def _insert_outcome_days(people, start, end) -> int:
    sql, params = _outcome_days_sql(people, start, end)
    names = ", ".join(["person_id", "grain", "start", *OUTCOME_COLUMNS])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {OutcomeRollup._meta.db_table} ({names}) {sql}", params)
        return cursor.rowcount


def _bucket_of(grain: str, field: str):
    """The Monday of a day's week, or the first of its month. On SQLite, in SQL: Django's
    TruncWeek and TruncMonth call a Python function for every day row."""
    if connection.vendor != "sqlite":
        return (TruncWeek if grain == Grain.WEEK else TruncMonth)(field, output_field=DateField())
    if grain == Grain.WEEK:
        # 'weekday 0' moves on to the Sunday (a Sunday stays); six days back is its Monday.
        expression = Func(F(field), Value("weekday 0"), Value("-6 days"), function="date")
    else:
        expression = Func(
            Func(F(field), Value(1), Value(7), function="substr"),
            Value("-01"),
            function="",
            arg_joiner=" || ",
        )
    return ExpressionWrapper(expression, output_field=DateField())


def _coarse(model, columns: list[str], grain: str, people, start, end) -> QuerySet:
    """SELECT person, grain, bucket, sums… FROM the day rows GROUP BY person, bucket."""
    days = model.objects.order_by().filter(grain=Grain.DAY)
    if people is not None:
        days = days.filter(person_id__in=people)
    if start is not None:
        days = days.filter(start__gte=start, start__lte=end)
    return (
        days.annotate(bucket=_bucket_of(grain, "start"), g=Value(str(grain)))
        .values("g", "bucket", "person_id")
        .annotate(**{f"s_{c}": Sum(c) for c in columns})
        .values_list("person_id", "g", "bucket", *[f"s_{c}" for c in columns])
        .order_by("bucket", "person_id")
    )


def _bounds(grain: str, start: date, end: date) -> tuple[date, date]:
    """The first and last day of the weeks (or months) that hold `start` and `end`."""
    if grain == Grain.WEEK:
        first = start - timedelta(days=start.weekday())
        last = end + timedelta(days=6 - end.weekday())
        return first, last
    first = start.replace(day=1)
    following = (end.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


_TABLES = {
    "activities": (ActivityRollup, ACTIVITY_COLUMNS),
    "outcomes": (OutcomeRollup, OUTCOME_COLUMNS),
}


def refresh_span(
    people: Iterable[int] | None,
    start: date | None,
    end: date | None,
    *,
    tables: Iterable[str] = changes.TABLES,
    everyone: bool = False,
) -> None:
    """Recompute the rollups of `people` (None: everyone) from `start` to `end` inclusive
    (None: all time): their day rows in the span, then the weeks and months around it.
    Four statements per table and 500 people: a delete, an insert of the days, of the
    weeks, of the months. `tables` narrows it to the activity or the outcome rollups
    (a write of activities leaves the deals' as they are).

    `everyone`: the write was as big as the table (a first load), so the span is
    recomputed for everyone in one pass over the table rather than 500 people at a
    time through an index (recomputing the others' rows gives the rows they have): on
    PostgreSQL, 6.5 s instead of 15 s for a million activities. A rewrite as big as
    the rollup table itself builds the table's indexes afterwards."""
    ids = None if people is None or everyone else sorted(set(people))
    chunks = [None] if ids is None else [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    spans = {Grain.DAY: (start, end)}
    for grain in (Grain.WEEK, Grain.MONTH):
        spans[grain] = _bounds(grain, start, end) if start is not None else (None, None)
    days = {"activities": _insert_activity_days, "outcomes": _insert_outcome_days}
    rewritten = _rows_rewritten(ids, start, end)
    with transaction.atomic(savepoint=False):
        for table in tables:
            model, columns = _TABLES[table]
            name = model._meta.db_table
            with indexes_set_aside(name, when=worth_setting_aside(name, rewritten)):
                for chunk in chunks:
                    where = Q()
                    for grain, (first, last) in spans.items():
                        bounded = {} if first is None else {"start__range": (first, last)}
                        where |= Q(grain=grain, **bounded)
                    stored = model.objects.filter(where)
                    if chunk is not None:
                        stored = stored.filter(person_id__in=chunk)
                    stored._raw_delete(stored.db)
                    days[table](chunk, start, end)
                    for grain in (Grain.WEEK, Grain.MONTH):
                        coarse = _coarse(model, columns, grain, chunk, *spans[grain])
                        _insert(model, columns, coarse)


def _rows_rewritten(people: list[int] | None, start: date | None, end: date | None) -> int:
    """At most how many day rows a refresh writes: a row per person and day."""
    if start is None:  # all time: a row per activity at most
        return rows_about(Activity._meta.db_table)
    count = len(people) if people is not None else Person.objects.count()
    return count * ((end - start).days + 1)


def _insert_activity_days(people, start, end) -> int:
    return _insert(ActivityRollup, ACTIVITY_COLUMNS, _activity_days(people, start, end))


def refresh_runs(
    runs: Iterable[tuple[int, date, date]],
    *,
    tables: Iterable[str] = changes.TABLES,
    everyone: bool = False,
) -> None:
    """Recompute the rollups for runs of days, (person id, first day, last day): what a
    write touched, however many rows it had (a bulk import streams its runs here
    rather than every (person, day) it touched). `everyone`: see `refresh_span`."""
    tables = tuple(tables)
    spans: dict[tuple[date, date], list[int]] = defaultdict(list)
    people: set[int] = set()
    first = last = None
    for person_id, start, end in runs:
        # Whole months: people whose days fall in the same months share a span, and
        # the month rows are recomputed whole anyway.
        spans[_bounds(Grain.MONTH, start, end)].append(person_id)
        people.add(person_id)
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    if not people:
        return
    # One span for everyone touched when all days fall in a short window (the common
    # case: a daily import touching yesterday and today for many people), or for
    # everyone at all after a first load.
    if everyone or (last - first).days <= LONG_SPAN_DAYS:
        refresh_span(sorted(people), first, last, tables=tables, everyone=everyone)
        return
    for (start, end), members in spans.items():
        refresh_span(members, start, end, tables=tables)


def rebuild(progress: Progress | None = None) -> dict[str, int]:
    """Throw the rollups away and compute them again from the sales data, in one
    transaction (readers see the old rollups until it commits). Returns row counts."""
    steps = 4
    with transaction.atomic():
        if progress:
            progress(0, steps)
        ActivityRollup.objects.all()._raw_delete(ActivityRollup.objects.db)
        OutcomeRollup.objects.all()._raw_delete(OutcomeRollup.objects.db)
        if progress:
            progress(1, steps)
        _insert(ActivityRollup, ACTIVITY_COLUMNS, _activity_days(None, None, None))
        if progress:
            progress(2, steps)
        _insert_outcome_days(None, None, None)
        if progress:
            progress(3, steps)
        for grain in (Grain.WEEK, Grain.MONTH):
            for model, columns in (
                (ActivityRollup, ACTIVITY_COLUMNS),
                (OutcomeRollup, OUTCOME_COLUMNS),
            ):
                _insert(model, columns, _coarse(model, columns, grain, None, None, None))
        if progress:
            progress(steps, steps)
    planner_statistics_refresh(bulk=True)
    names = {ActivityRollup: "activity", OutcomeRollup: "outcome"}
    return {
        f"{names[model]} {grain.name.lower()}s": model.objects.filter(grain=grain).count()
        for model in (ActivityRollup, OutcomeRollup)
        for grain in Grain
    }
