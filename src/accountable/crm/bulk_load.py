"""Writing a file of activities with a few SQL statements instead of row by row: the
CRM's bulk path into its activities table, used by the file import.

The rows `imports.fast_rows` staged go to a temporary table of the import's own
connection — `executemany` on SQLite, `COPY` on PostgreSQL — inside the import's
one transaction. Then, in SQL:

1. duplicates (one external id on two lines of the file) are found with GROUP BY,
   so no set of millions of ids is held in Python;
2. activities that exist and differ from their row are updated, with one
   UPDATE … FROM;
3. the rows with no activity yet are inserted, with one INSERT … SELECT.

created = rows inserted, updated = rows updated, unchanged = the other rows.
Rolling the transaction back (a rejected row, a dry run) undoes all of it, the
temporary tables included; they are dropped when the import is done.

A staged row carries the number of its *combination* of kind, channel, outcome,
is_prospecting and meeting_number, stored once in a second table: a row then
binds 7 values instead of 11, and in `executemany` each bound value costs about
0.1 µs per row. The combination also says which optional columns the row sets:
a column the file leaves out keeps the stored value (`sets_… = false`).

A daily batch writes into the table with its indexes kept up to date. A file with
at least as many rows as the table holds (a first load, a reload) is written with
the table's indexes, and on PostgreSQL its foreign keys, set aside and built again
afterwards (`core.bulk_indexes`): on PostgreSQL that halves the import of a million
activities into an empty table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import QuerySet

from accountable.core import changes
from accountable.core.bulk_indexes import indexes_set_aside, worth_setting_aside

TABLE = "crm_activity"
STAGED = "import_activity"
COMBINATIONS = "import_activity_combination"

# Staged row: as built by fast_rows.ActivityRows (same order).
STAGED_COLUMNS = {
    "line": "bigint NOT NULL",
    "external_id": "text NOT NULL",
    "occurred_at": "{moment} NOT NULL",  # UTC, as text on SQLite
    "person_id": "bigint NOT NULL",
    "account_id": "bigint",
    "deal_id": "bigint",
    "combination": "integer NOT NULL",
}
# Filled in SQL before the apply: the id of the activity a row's external id names, if
# any. The update, the insert and the days touched then join on it, and the unique
# index of external ids is searched once per row instead of three times.
FOUND_COLUMN = {"activity_id": "bigint"}
# Combination: the key of fast_rows.ActivityRows.combinations, then its number.
COMBINATION_COLUMNS = {
    "kind": "text NOT NULL",
    "channel": "text NOT NULL",
    "outcome": "text NOT NULL",
    "is_prospecting": "boolean NOT NULL",
    "meeting_number": "integer",
    "sets_outcome": "boolean NOT NULL",
    "sets_account": "boolean NOT NULL",
    "sets_deal": "boolean NOT NULL",
    "sets_is_prospecting": "boolean NOT NULL",
    "sets_meeting_number": "boolean NOT NULL",
    "id": "integer PRIMARY KEY",
}

# Each column of crm_activity as the row gives it; `a` is the stored activity, so a
# column the file leaves out keeps its value. On insert there is no stored value:
# the staged value is then the model's default (see fast_rows.ActivityRows.checked).
NEW_VALUES = {
    "person_id": "s.person_id",
    "occurred_at": "{occurred_at}",
    "kind": "c.kind",
    "channel": "c.channel",
    "outcome": "CASE WHEN c.sets_outcome THEN c.outcome ELSE a.outcome END",
    "is_prospecting": (
        "CASE WHEN c.sets_is_prospecting THEN c.is_prospecting ELSE a.is_prospecting END"
    ),
    "account_id": "CASE WHEN c.sets_account THEN s.account_id ELSE a.account_id END",
    "deal_id": "CASE WHEN c.sets_deal THEN s.deal_id ELSE a.deal_id END",
    "meeting_number": (
        "CASE WHEN c.sets_meeting_number THEN c.meeting_number ELSE a.meeting_number END"
    ),
}
INSERTED_VALUES = {
    "external_id": "s.external_id",
    "person_id": "s.person_id",
    "occurred_at": "{occurred_at}",
    "kind": "c.kind",
    "channel": "c.channel",
    "outcome": "c.outcome",
    "is_prospecting": "c.is_prospecting",
    "account_id": "s.account_id",
    "deal_id": "s.deal_id",
    "meeting_number": "c.meeting_number",
}


@dataclass(frozen=True)
class Dialect:
    """What differs between SQLite and PostgreSQL here."""

    moment: str  # the staged occurred_at column's type
    occurred_at: str  # the staged occurred_at as the activity's value
    distinct: str  # null-safe "differs"
    temporary: str  # after CREATE TEMPORARY TABLE …(…)
    insert_order: str  # ORDER BY of the INSERT … SELECT


SQLITE = Dialect(
    moment="text",
    occurred_at="s.occurred_at",  # Django keeps UTC datetimes as this very text
    distinct="IS NOT",
    temporary="",
    # In person and time order, the B-trees an activity goes into (the table, person +
    # time, deal) grow at one end instead of all over (a million rows into the indexed
    # table: 4 s instead of 6.4 s), and a person's activities lie together for the
    # rollups and the scorecards that read them person by person.
    insert_order="ORDER BY s.person_id, s.occurred_at",
)
POSTGRESQL = Dialect(
    moment="timestamp",
    occurred_at="(s.occurred_at AT TIME ZONE 'UTC')",
    distinct="IS DISTINCT FROM",
    temporary="ON COMMIT DROP",
    # The file's order: sorting a million rows by person spilled to disk and made the
    # insert slower (21 s against 14 to 16 s), the indexes being bound by shared buffers.
    insert_order="",
)

# SQLite's page caches during an import (KiB), put back afterwards. Inserting a million
# activities touches six B-trees (the table and its indexes): with the default 2 MB
# cache the import took twice as long (pages read back from the WAL again and again);
# 16 MB was as fast as 256 MB, because rows are inserted in index order (see
# SQLITE.insert_order), and keeps memory low — the sorter takes as much again. The staging
# table, in the temporary database, is written and read in order: a small cache will do.
SQLITE_CACHE_KIB = 16 * 1024
SQLITE_TEMP_CACHE_KIB = 8 * 1024


def tune(cursor) -> list[str]:
    """Set the connection up for writing many rows; returns the statements that put it
    back, to run when the write is done (PostgreSQL's setting ends with the transaction)."""
    if connection.vendor == "postgresql":
        # For this transaction only: the sorts and hash joins stay in memory.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        return []
    # Connection settings, not transactional: put back when the import is done.
    restore = []
    for pragma, value in (
        ("cache_size", -SQLITE_CACHE_KIB),
        ("temp.cache_size", -SQLITE_TEMP_CACHE_KIB),
    ):
        cursor.execute(f"PRAGMA {pragma}")
        restore.append(f"PRAGMA {pragma} = {cursor.fetchone()[0]}")
        cursor.execute(f"PRAGMA {pragma} = {value}")
    return restore


@dataclass
class Applied:
    """What the apply did: activities created, updated, and staged rows left as stored."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ActivityStaging:
    """The staged rows of one import, in temporary tables of the current connection.

    Use as a context manager inside the import's transaction: `add` batches, look
    for `duplicates` and `forget_duplicates`, then `apply`. On leaving, the tables
    are dropped (after an error, the rollback takes them away).
    """

    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"
        self.dialect = POSTGRESQL if self.postgresql else SQLITE
        self.staged = 0
        self._found = False
        self._restore: list[str] = []

    def __enter__(self) -> ActivityStaging:
        with connection.cursor() as cursor:
            self._restore = tune(cursor)
            staged = {**STAGED_COLUMNS, **FOUND_COLUMN}
            for table, columns in ((STAGED, staged), (COMBINATIONS, COMBINATION_COLUMNS)):
                definition = ", ".join(
                    f"{name} {kind.format(moment=self.dialect.moment)}"
                    for name, kind in columns.items()
                )
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {table} ({definition}) {self.dialect.temporary}"
                )
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        with connection.cursor() as cursor:
            if error_type is None:
                cursor.execute(f"DROP TABLE {STAGED}")
                cursor.execute(f"DROP TABLE {COMBINATIONS}")
            for statement in self._restore:
                cursor.execute(statement)

    # --- loading ----------------------------------------------------------------------

    def add(self, rows: list[tuple]) -> None:
        """Stage a batch of rows (see STAGED_COLUMNS)."""
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.copy(f"COPY {STAGED} ({', '.join(STAGED_COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(_insert_values(STAGED, STAGED_COLUMNS), rows)
        self.staged += len(rows)

    # --- duplicates -------------------------------------------------------------------

    def has_duplicates(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {STAGED} GROUP BY external_id HAVING count(*) > 1 LIMIT 1"  # noqa: S608 - our table names; values are bound
            )
            return cursor.fetchone() is not None

    def duplicates(self) -> Iterator[tuple[int, str, int]]:
        """(line, external id, line of its first row) for every row after the first
        with its external id, in line order; streamed, as there may be millions."""
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"{LATER_DUPLICATES} ORDER BY s.line")
            while rows := cursor.fetchmany(2000):
                yield from rows

    def forget_duplicates(self) -> None:
        """Unstage the rows after the first of each external id (they are rejected)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {STAGED} WHERE line IN (SELECT line FROM ({LATER_DUPLICATES}) AS d)"  # noqa: S608 - our table names; values are bound
            )
            self.staged -= cursor.rowcount

    # --- whose activities the rows touch ------------------------------------------------

    def find(self) -> None:
        """Note on each staged row the activity its external id names, if any (once)."""
        if self._found:
            return
        with connection.cursor() as cursor:
            if self.postgresql:
                # Temporary tables are never analysed on their own; without row counts
                # the planner may join a million rows with nested loops.
                cursor.execute(f"ANALYZE {STAGED}")
            cursor.execute(FIND)
        self._found = True

    def out_of_reach(self, people: QuerySet) -> list[tuple[int, str]]:
        """(line, external id) of the rows naming an existing activity of someone not
        among `people` (the importer's reach), in line order; those rows are unstaged."""
        self.find()
        sql, params = people.values("pk").query.sql_with_params()
        foreign = (
            f"SELECT s.line, s.external_id FROM {STAGED} AS s "  # noqa: S608 - our table names; values are bound
            f"JOIN {TABLE} AS a ON a.id = s.activity_id WHERE a.person_id NOT IN ({sql})"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"{foreign} ORDER BY s.line", params)
            found = [(line, external_id) for line, external_id in cursor.fetchall()]
            if found:
                cursor.execute(
                    f"DELETE FROM {STAGED} WHERE line IN (SELECT line FROM ({foreign}) AS f)",  # noqa: S608 - our table names; values are bound
                    params,
                )
                self.staged -= cursor.rowcount
        return found

    # --- applying ---------------------------------------------------------------------

    def apply(self, combinations: dict[tuple, int]) -> Applied:
        """Update the activities that differ from their row, then insert the new ones."""
        with connection.cursor() as cursor:
            rows = [(*key, number) for key, number in combinations.items()]
            if rows:
                cursor.executemany(_insert_values(COMBINATIONS, COMBINATION_COLUMNS), rows)
        self.find()
        with connection.cursor() as cursor:
            touched = _touched_runs(cursor)
        # A first load (as many rows as the table holds) is written with the table's
        # indexes built afterwards; a daily batch keeps them up to date.
        rebuild = worth_setting_aside(TABLE, self.staged)
        with indexes_set_aside(TABLE, when=rebuild), connection.cursor() as cursor:
            cursor.execute(_update_sql(self.dialect))
            updated = cursor.rowcount
            cursor.execute(_insert_sql(self.dialect))
            created = cursor.rowcount
        if rebuild and self.postgresql:
            # The table is at least twice what the planner last saw: what it knows is
            # wrong for the rollups' refresh below and for every page after it.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {TABLE}")
        # Every person and day the rows touch, before and after.
        changes.announce(
            changes.Changed(runs=tuple(touched), tables=(changes.ACTIVITIES,), everyone=rebuild)
        )
        return Applied(created, updated, self.staged - created - updated)


def _touched_runs(cursor) -> list[tuple[int, date, date]]:
    """Per person, the span of (UTC) days of their staged rows and of the activities
    those replace, with a day either side: whatever the time zone, the local day is in
    it. One row per person, worked out in SQL: a million rows never become a million
    keys in memory. (A person's span runs from their first touched day to their last;
    recomputing the days between costs little, their rollups are read whole anyway.)"""
    cursor.execute(TOUCHED)
    one = timedelta(days=1)
    return [
        (
            person_id,
            date.fromisoformat(str(first)[:10]) - one,
            date.fromisoformat(str(last)[:10]) + one,
        )
        for person_id, first, last in cursor.fetchall()
    ]


# The rows after the first of each external id that is staged more than once.
LATER_DUPLICATES = f"""
    SELECT s.line, s.external_id, d.first_line
    FROM {STAGED} AS s JOIN (
        SELECT external_id, min(line) AS first_line FROM {STAGED}
        GROUP BY external_id HAVING count(*) > 1
    ) AS d ON d.external_id = s.external_id
    WHERE s.line > d.first_line
"""  # noqa: S608 - our table names; values are bound
_JOINED = f"{STAGED} AS s JOIN {COMBINATIONS} AS c ON c.id = s.combination"
_DAY = "substr(CAST({} AS text), 1, 10)"  # the UTC day of a stored moment, on both databases
FIND = f"""
    UPDATE {STAGED} AS s SET activity_id = a.id FROM {TABLE} AS a
    WHERE a.external_id = s.external_id
"""  # noqa: S608 - our table names
TOUCHED = f"""
    SELECT person_id, min(day), max(day) FROM (
        SELECT person_id, {_DAY.format("occurred_at")} AS day FROM {STAGED}
        UNION ALL
        SELECT a.person_id, {_DAY.format("a.occurred_at")}
        FROM {STAGED} AS s JOIN {TABLE} AS a ON a.id = s.activity_id
    ) AS touched
    GROUP BY person_id
"""  # noqa: S608 - our table names


def _insert_values(table: str, columns: dict[str, str]) -> str:
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our table names; values are bound


def _update_sql(dialect: Dialect) -> str:
    new = {
        name: value.format(occurred_at=dialect.occurred_at) for name, value in NEW_VALUES.items()
    }
    assignments = ", ".join(f"{name} = {value}" for name, value in new.items())
    differs = " OR ".join(f"a.{name} {dialect.distinct} {value}" for name, value in new.items())
    where = f"a.id = s.activity_id AND ({differs})"
    return f"UPDATE {TABLE} AS a SET {assignments} FROM {_JOINED} WHERE {where}"  # noqa: S608 - our names


def _insert_sql(dialect: Dialect) -> str:
    values = {
        name: value.format(occurred_at=dialect.occurred_at)
        for name, value in INSERTED_VALUES.items()
    }
    columns, selected = ", ".join(values), ", ".join(values.values())
    new = "s.activity_id IS NULL"
    return f"INSERT INTO {TABLE} ({columns}) SELECT {selected} FROM {_JOINED} WHERE {new} {dialect.insert_order}"  # noqa: S608, E501 - our names
