"""`accountable backup` and `accountable restore`, on whichever database the suite runs
on (SQLite, or PostgreSQL when DATABASE_URL names one): a backup restored after the
data has moved on gives back every row of every table and every figure of the
board; a file that is not a backup of the right kind changes nothing.

These tests need real transactions: pg_dump reads committed data from its own
session, and SQLite restores into a connection outside any transaction.
"""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from accountable.core import backup as backups
from accountable.crm.models import ActivityKind, Deal
from accountable.crm.upsert import activities_upsert, deals_upsert
from accountable.scorecards import selectors
from accountable.targets.models import Target
from tests.crm.factories import AccountFactory, FeedbackFactory, ProductFactory
from tests.factories import PersonFactory
from tests.scorecards.conftest import Q3, activity, at, deal

pytestmark = pytest.mark.django_db(transaction=True)
AUG17 = date(2026, 8, 17)
FUTURE = ("org", "9999_from_a_newer_version")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, in a stable order (SQLite's own statistics aside)."""
    tables = [
        name for name in connection.introspection.table_names() if not name.startswith("sqlite_")
    ]
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def figures(org) -> dict:
    """What the board and the roll-up show: each rep's row, the team totals."""
    args = {"period": Q3, "as_of": AUG17}
    return {
        "rows": [
            row.as_dict()
            for row in selectors.scorecard_rows(org.manager, team=org.north_field, **args)
        ],
        "north_field": selectors.team_summary(org.manager, team=org.north_field, **args).as_dict(),
        "rollup": [summary.as_dict() for summary in selectors.exec_rollup(org.executive, **args)],
    }


def target(person, value: str) -> Target:
    return Target.objects.create(
        person=person,
        metric="revenue",
        period=Q3.label,
        period_start=Q3.start,
        period_end=Q3.end,
        value=Decimal(value),
    )


@pytest.fixture
def sales(org):
    """North Field and South Field with deals, activities, targets and feedback."""
    account = AccountFactory(name="Globex")
    ProductFactory(name="Widgets")
    deals_upsert(
        [
            deal("W1", org.rep, amount="1000", account=account),
            deal("W2", org.rep, amount="2000"),
            deal("L1", org.rep, stage_name="Lost", amount="500"),
            deal("O1", org.rep, stage_name="Proposal", amount="4000"),
            deal("W3", org.rep2, amount="3000"),
            deal("X1", org.other_rep, amount="9000"),
        ]
    )
    activities_upsert(
        [activity(f"C{i}", org.rep, at(3 + i)) for i in range(5)]
        + [activity("M1", org.rep, at(10), ActivityKind.MEETING, meeting_number=1)]
        + [activity("E1", org.rep2, at(4), ActivityKind.EMAIL)]
    )
    target(org.rep, "10000")
    target(org.rep2, "8000")
    FeedbackFactory(person=org.rep)
    return org


def move_on(org) -> None:
    """Everything a day's work might change: amounts, new activities, deleted rows."""
    deals_upsert([deal("W1", org.rep, amount="7500"), deal("W4", org.rep2, amount="600")])
    activities_upsert([activity(f"N{i}", org.rep2, at(12 + i)) for i in range(3)])
    Target.objects.filter(person=org.rep2).delete()
    Deal.objects.filter(external_id="X1").delete()
    PersonFactory(email="newcomer@acme.test", team=org.north_field)


def test_a_restore_brings_back_every_row_and_every_figure(sales, tmp_path):
    before, board = snapshot(), figures(sales)
    path = tmp_path / "accountable.backup"

    out = run("backup", str(path))
    size = path.stat().st_size
    assert f"to {path} (" in out and f"{size:,} bytes" in out
    assert size > 0
    assert path.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    assert not list(tmp_path.glob(".*partial"))

    move_on(sales)
    assert snapshot() != before  # the test can fail: the data has really moved on
    assert figures(sales) != board
    cache.set("scorecards:an-answer-from-before", "stale")

    out = run("restore", str(path), "--noinput")
    assert f"from {path} (" in out and f"{size:,} bytes" in out
    assert "migrate" not in out  # same version: nothing to apply

    assert snapshot() == before
    assert figures(sales) == board
    assert cache.get("scorecards:an-answer-from-before") is None


def test_the_backup_file_is_of_the_databases_kind(org, tmp_path):
    path = tmp_path / "backup"
    backups.backup_write(path)
    if connection.vendor == "sqlite":
        # one self-contained SQLite file: no WAL beside it, readable on its own
        with sqlite3.connect(path) as copy:
            assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            (people,) = copy.execute("SELECT COUNT(*) FROM org_person").fetchone()
        assert people == 10
    else:
        assert path.read_bytes().startswith(b"PGDMP")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup"]


def test_a_backup_replaces_an_older_file_only_when_complete(org, tmp_path):
    path = tmp_path / "backup"
    path.write_bytes(b"yesterday's backup")
    backups.backup_write(path)
    assert backups.backup_inspect(path).size == path.stat().st_size
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", str(tmp_path / "no-such-folder" / "backup"))


def other_kind(path: Path) -> str:
    """A file of the kind this database is not; the kind's name."""
    if connection.vendor == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        return "PostgreSQL"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE django_migrations (app, name)")
        other.execute("INSERT INTO django_migrations VALUES ('org', '0001_initial')")
    return "SQLite"


def not_ours(path: Path) -> None:
    """A backup of this database's kind, but of some other database."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE invoices (id, amount)")
        return
    # an archive of one table that is not the migrations table
    pg_dump = backups._pg_tool("pg_dump")
    subprocess.run(  # noqa: S603 - the client tool, our own arguments
        [pg_dump, "--format=custom", "--table=django_content_type", f"--file={path}"],
        env=backups._pg_environment(),
        check=True,
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.write_text("name,amount\nGlobex,1000\n"), "is not a backup"),
        (lambda path: path.write_bytes(b""), "is not a backup"),
        (other_kind, "but this is a"),
        (not_ours, "not of an Accountable database"),
    ],
    ids=["csv", "empty", "other-kind", "not-accountable"],
)
def test_restore_refuses_what_is_not_a_backup_of_ours_and_changes_nothing(
    sales, tmp_path, make, message
):
    path = tmp_path / "suspect"
    make(path)
    before = snapshot()
    with pytest.raises(CommandError, match=message) as refused:
        run("restore", str(path), "--noinput")
    assert "Nothing was changed" in str(refused.value)
    assert snapshot() == before
    with pytest.raises(CommandError, match="does not exist"):
        run("restore", str(tmp_path / "missing"), "--noinput")


@pytest.fixture
def migrations_kept():
    """The migrations table as it was before the test, whatever the test did to it
    (a flush between tests leaves that table alone)."""
    recorder = MigrationRecorder(connection)
    kept = set(recorder.migration_qs.values_list("app", "name"))
    yield recorder
    now = set(recorder.migration_qs.values_list("app", "name"))
    for app, name in now - kept:
        recorder.migration_qs.filter(app=app, name=name).delete()
    for app, name in kept - now:
        recorder.record_applied(app, name)


def test_restore_refuses_a_backup_from_a_newer_version(sales, tmp_path, migrations_kept):
    migrations_kept.record_applied(*FUTURE)
    backups.backup_write(tmp_path / "newer")
    migrations_kept.record_unapplied(*FUTURE)
    before = snapshot()
    with pytest.raises(CommandError, match=r"newer version .*org\.9999_from_a_newer_version"):
        run("restore", str(tmp_path / "newer"), "--noinput")
    assert snapshot() == before


def test_an_older_backup_is_restored_and_migrate_is_asked_for(sales, tmp_path, migrations_kept):
    # the newest migration applied (the people's app has only one: it stays)
    last = migrations_kept.migration_qs.exclude(app="org").order_by("-id").first()
    last.delete()
    backups.backup_write(tmp_path / "older")
    migrations_kept.record_applied(last.app, last.name)
    out = run("restore", str(tmp_path / "older"), "--noinput")
    assert f"from {tmp_path / 'older'}" in out
    assert "predates 1 migration(s)" in out and "accountable migrate" in out


@pytest.mark.parametrize(("answer", "restored"), [("no", False), ("", False), ("yes", True)])
def test_restore_asks_first(sales, tmp_path, monkeypatch, answer, restored):
    path = tmp_path / "backup"
    backups.backup_write(path)
    PersonFactory(email="newcomer@acme.test")
    before = snapshot()
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    if restored:
        run("restore", str(path))
        assert snapshot() != before
    else:
        with pytest.raises(CommandError, match="cancelled: nothing was changed"):
            run("restore", str(path))
        assert snapshot() == before
    (prompt,) = asked
    assert f"with the backup {path}" in prompt and "Type 'yes'" in prompt


def test_which_migrations_a_backup_lacks_or_does_not_know():
    known = {"org": {"0001_initial", "0002_more"}, "crm": {"0001_initial"}}
    applied = {("org", "0001_initial"), ("org", "0003_newer"), ("gone", "0001_initial")}
    unknown, pending = backups.migrations_compare(applied, known)
    assert unknown == ["org.0003_newer"]  # an app this version no longer has is neither
    assert pending == ["crm.0001_initial", "org.0002_more"]
