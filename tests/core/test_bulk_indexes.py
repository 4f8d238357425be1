"""Indexes set aside for a big write come back exactly as they were, whatever happens."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from accountable.core import bulk_indexes
from accountable.core.bulk_indexes import indexes_set_aside, rows_about, worth_setting_aside
from accountable.crm.models import Activity

pytestmark = pytest.mark.django_db

TABLE = Activity._meta.db_table


def schema() -> tuple[list, list]:
    """(index definitions, foreign key definitions) of the activities table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "ORDER BY name",
                [TABLE],
            )
            indexes = cursor.fetchall()
            cursor.execute(f"PRAGMA foreign_key_list({TABLE})")
            return indexes, sorted(cursor.fetchall())
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
            [TABLE],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY conname",
            [TABLE],
        )
        return indexes, cursor.fetchall()


def activity(org, number: int) -> Activity:
    return Activity(
        external_id=f"X-{number}",
        person=org.rep,
        kind="call",
        channel="phone",
        occurred_at=datetime(2026, 3, 2, 10, number % 60, tzinfo=UTC),
    )


def test_indexes_are_gone_inside_and_back_after(org):
    before = schema()
    assert len(before[0]) >= 4  # unique external id, person + time, account, deal
    with indexes_set_aside(TABLE) as set_aside:
        assert set_aside
        inside = schema()
        Activity.objects.bulk_create([activity(org, n) for n in range(20)])
    # Only the indexes of constraints stay: the primary key's, the unique external id's.
    left = [name for name, _ in inside[0]]
    assert left and len(left) < len(before[0])
    assert all(
        name.startswith("sqlite_autoindex") or name.endswith(("_pkey", "_uniq")) for name in left
    )
    if (
        connection.vendor == "postgresql"
    ):  # its foreign keys are off too (SQLite's are in the table)
        assert not [d for _, d in inside[1] if d.startswith("FOREIGN KEY")]
        assert [d for _, d in before[1] if d.startswith("FOREIGN KEY")]
    assert schema() == before
    assert Activity.objects.count() == 20


def test_a_failure_inside_brings_the_indexes_back_and_writes_nothing(org):
    before = schema()
    with pytest.raises(IntegrityError), indexes_set_aside(TABLE):
        Activity.objects.bulk_create([activity(org, 1)])
        Activity.objects.bulk_create([activity(org, 1)])  # the same external id again
    assert schema() == before
    assert not Activity.objects.exists()  # and the outer transaction goes on


def test_foreign_keys_are_checked_when_they_come_back(org):
    """A row naming a person who does not exist cannot slip in while the checks are off."""
    with pytest.raises(IntegrityError), transaction.atomic():
        with indexes_set_aside(TABLE):
            row = activity(org, 1)
            row.person_id = 999_999
            Activity.objects.bulk_create([row])
        # SQLite checks its (deferred) foreign keys at the commit of the savepoint's
        # outer transaction: ask now.
        if connection.vendor == "sqlite":
            connection.check_constraints(table_names=[TABLE])


def test_not_asked_it_leaves_them(org):
    before = schema()
    with indexes_set_aside(TABLE, when=False) as set_aside:
        assert not set_aside
        assert schema() == before


def test_worth_it_for_many_rows_into_a_smaller_table(org, monkeypatch):
    assert not worth_setting_aside(TABLE, bulk_indexes.MIN_ROWS - 1)
    assert worth_setting_aside(TABLE, bulk_indexes.MIN_ROWS)
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 2)
    Activity.objects.bulk_create([activity(org, n) for n in range(5)])
    assert rows_about(TABLE) == 5
    assert not worth_setting_aside(TABLE, 4)
    assert worth_setting_aside(TABLE, 5)
