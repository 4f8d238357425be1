"""Writing many rows into a table, with its indexes built afterwards.

An insert keeps every index of its table up to date, one entry at a time, each in
its own place in the B-tree. When a write adds as many rows as the table already
holds, building the indexes afresh once the rows are in is much faster: the
database sorts the keys and writes each index in one pass. A million activities
went into SQLite's activities table in 2.6 s so, against 5.8 s with the indexes
in place.

`indexes_set_aside(table)` drops the table's secondary indexes (and, on
PostgreSQL, its foreign keys, whose per-row checks would otherwise all run at
commit) and creates them again, exactly as they were defined, when the block
ends. It runs in a savepoint: if the block fails, the rollback brings the
indexes back with everything else. Indexes that back a constraint (primary key,
unique) stay: the writes rely on them.

Readers are not disturbed on SQLite: in WAL mode they read the last committed
state, indexes included, until the write commits. PostgreSQL takes the table for
the write (an exclusive lock): queries that read it wait until the commit. That
is why `worth_setting_aside` asks for both many rows and a write at least as big
as the table: a first load, or a reload, not a daily batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

MIN_ROWS = 50_000  # below this, keeping the indexes up to date costs little anyway


def worth_setting_aside(table: str, rows: int) -> bool:
    """Whether writing `rows` rows into `table` is faster with its indexes rebuilt."""
    return rows >= MIN_ROWS and rows >= rows_about(table)


def rows_about(table: str) -> int:
    """The rows of `table`, from its id range: two index lookups rather than a count
    (an upper bound, as rows may have been deleted). Each is its own subquery: SQLite
    reads `max(id) - min(id)` in one SELECT by scanning the table (1 s for 10 million
    activities), and each alone from the end of the index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT max(id) FROM {table}) - (SELECT min(id) FROM {table}) + 1"  # noqa: S608 - our table names
        )
        return cursor.fetchone()[0] or 0


@contextmanager
def indexes_set_aside(table: str, *, when: bool = True) -> Iterator[bool]:
    """Drop `table`'s secondary indexes (and foreign keys on PostgreSQL) for the block,
    then create them again; yields whether it did (`when`)."""
    if not when:
        yield False
        return
    with transaction.atomic(), connection.cursor() as cursor:
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            indexes, drops = _postgresql_definitions(cursor, table)
            # A table with checks still pending cannot be altered: run them now (they
            # were due at commit anyway), and defer the ones to come, as before.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # For this transaction only: the sorts of the index builds stay in memory.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        else:
            indexes, drops = _sqlite_definitions(cursor, table)
        for statement in drops:
            cursor.execute(statement)
        yield True
        for statement in indexes:
            cursor.execute(statement)


def _sqlite_definitions(cursor, table: str) -> tuple[list[str], list[str]]:
    """(CREATE statements, DROP statements) of the indexes created by name; those SQLite
    made for a UNIQUE or PRIMARY KEY constraint have no SQL of their own and stay."""
    cursor.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
        [table],
    )
    rows = cursor.fetchall()
    return [sql for _, sql in rows], [f'DROP INDEX "{name}"' for name, _ in rows]


def _postgresql_definitions(cursor, table: str) -> tuple[list[str], list[str]]:
    """(statements that create, statements that drop) the indexes that back no
    constraint, and the foreign keys: indexes are built before the keys are checked."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index AS x "
        "JOIN pg_class AS i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    keys = cursor.fetchall()
    create = [definition for _, definition in indexes] + [
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}' for name, definition in keys
    ]
    drop = [f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"' for name, _ in keys] + [
        f'DROP INDEX "{name}"' for name, _ in indexes
    ]
    return create, drop
