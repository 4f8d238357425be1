"""Benchmark cases for imports: a million activities, side by side with the database's own
loader, and (opt-in) the memory a ten-million-row file takes.

The acceptance target ("sales data in"): 1,000,000 generic activity rows imported
into SQLite in at most twice the time `sqlite3`'s `.import` takes to load the same
file into a bare table; on PostgreSQL in at most three times the time of `COPY`; peak
memory below 300 MB for a 10,000,000-row file.

Both cases run in the current (scratch) database: they add 1,000 reps
(rep0…rep999@bench.test) and 3,000 accounts ("Account 0"…) when missing, write a
deterministic CSV to a temporary folder, and delete it afterwards.

Peak memory is the resident set of the whole process — Python, Django, SQLite's
page cache — at its highest during the import: on Linux the high-water mark
(VmHWM) is reset just before the import and read just after; elsewhere it is
`ru_maxrss`, the peak of the process's whole life, and `import_rss_method` says so.

Beside the import, `import_speed` times the least any import could do after the
database's own loader has read the file: the loaded rows written into the
activities table with one INSERT … SELECT, nothing checked and no rollups kept
(`unchecked_load_s`, and its ratio to the loader: `unchecked_ratio`). When that
ratio exceeds a target, no import reading the file with the loader can meet it.
"""

from __future__ import annotations

import csv
import random
import resource
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.db import connection, transaction

from accountable.core.bulk_indexes import indexes_set_aside
from accountable.crm.bulk_load import TABLE, tune
from accountable.crm.models import Account
from accountable.crm.names import name_key
from accountable.imports.formats import field_names
from accountable.imports.models import ImportRun
from accountable.imports.pipeline import import_file
from accountable.org.models import Person, Role

Figures = dict[str, float | int | str]

REPS = 1_000
ACCOUNTS = 3_000
SQLITE_CLI = "/usr/bin/sqlite3"
BARE = "bench_bare_activities"  # the loader's table of text columns
HEADER = list(field_names("activities"))  # the generic activities format
KINDS = ["call", "email", "meeting", "demo"]
CHANNELS = ["phone", "email", "video", "in_person"]
OUTCOMES = ["connected", "no_answer", "replied", "meeting_booked", "held"]


def import_speed(options: dict) -> Figures:
    """Time `import_file` on `import_rows` generic activity rows (default 1,000,000), the
    database's own bulk loader on the same file, and that load written on unchecked into
    the activities table (`_unchecked_write_seconds`)."""
    rows = int(options.get("import_rows") or 1_000_000)
    bench_people_and_accounts()
    postgresql = connection.vendor == "postgresql"
    loader = ""  # how SQLite's reference load was made, when not by the sqlite3 CLI
    with tempfile.TemporaryDirectory(prefix="accountable-bench-import-") as folder:
        path = Path(folder) / "activities.csv"
        write_activities(path, rows)
        if postgresql:
            with _postgresql_copied(path) as (load, source):
                write = _unchecked_write_seconds(source)
        else:
            bare = Path(folder) / "bare.sqlite3"
            load, loader = _sqlite_import_seconds(path, bare)
            with _attached(bare) as source:
                write = _unchecked_write_seconds(source)
        seconds, peak, method = _timed_import(path, rows)
    prefix = "pg_" if postgresql else ""
    figures: Figures = {
        "import_rows": rows,
        "import_s": round(seconds, 2),
        "pg_copy_s" if postgresql else "sqlite_import_s": round(load, 2),
        f"{prefix}import_ratio": round(seconds / load, 2),
        f"{prefix}unchecked_load_s": round(load + write, 2),
        f"{prefix}unchecked_ratio": round((load + write) / load, 2),
        "import_peak_rss_mb": peak,
    }
    if loader:
        figures["sqlite_import_method"] = loader
    if method:
        figures["import_rss_method"] = method
    return figures


def import_memory(options: dict) -> Figures:
    """Peak memory importing a streamed file of `memory_rows` activities (10,000,000 for
    the target; some 900 MB on disk). Opt-in: without `memory_rows` it does nothing."""
    rows = int(options.get("memory_rows") or 0)
    if not rows:
        return {}
    bench_people_and_accounts()
    with tempfile.TemporaryDirectory(prefix="accountable-bench-memory-") as folder:
        path = Path(folder) / "activities.csv"
        write_activities(path, rows, prefix="M")
        size_mb = path.stat().st_size / 2**20
        seconds, peak, method = _timed_import(path, rows)
    figures: Figures = {
        "memory_rows": rows,
        "memory_file_mb": round(size_mb),
        "memory_import_s": round(seconds, 1),
        "memory_peak_rss_mb": peak,
    }
    if method:
        figures["memory_rss_method"] = method
    return figures


# --- the data --------------------------------------------------------------------------


def bench_people_and_accounts() -> None:
    """The reps and accounts the generated rows name, created when missing."""
    have = set(Person.objects.filter(email__endswith="@bench.test").values_list("email", flat=True))
    people = []
    for number in range(REPS):
        email = f"rep{number}@bench.test"
        if email not in have:
            person = Person(email=email, name=f"Bench Rep {number}", role=Role.REP)
            person.set_unusable_password()
            people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    names = set(Account.objects.filter(name__startswith="Account ").values_list("name", flat=True))
    accounts = [
        Account(name=f"Account {n}", key=name_key(f"Account {n}"))
        for n in range(ACCOUNTS)
        if f"Account {n}" not in names
    ]
    Account.objects.bulk_create(accounts, batch_size=500)


def write_activities(path: Path, rows: int, *, prefix: str = "A", seed: int = 7) -> None:
    """A generic activities CSV, the same for the same arguments; streamed to disk."""
    draw = random.Random(seed)
    start = datetime(2026, 1, 1, 9, 0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for number in range(rows):
            kind = draw.choice(KINDS)
            writer.writerow(
                [
                    f"{prefix}{number:08d}",
                    f"rep{number % REPS}@bench.test",
                    kind,
                    draw.choice(CHANNELS),
                    draw.choice(OUTCOMES),
                    (start + timedelta(minutes=number)).isoformat(timespec="minutes"),
                    f"Account {number % ACCOUNTS}",
                    "",
                    "true" if draw.random() < 0.5 else "false",
                    "1" if kind == "meeting" else "",
                ]
            )


# --- the measurements ------------------------------------------------------------------


def _timed_import(path: Path, rows: int) -> tuple[float, float, str]:
    exact = _reset_peak_rss()
    start = time.perf_counter()
    result = import_file(kind="activities", path=path, actor=None, source=ImportRun.Source.CLI)
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb() if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not result.applied or result.summary["rejected"]:
        raise RuntimeError(f"the benchmark import was not applied: {result.summary}")
    if result.summary["created"] + result.summary["updated"] + result.summary["unchanged"] != rows:
        raise RuntimeError(f"the benchmark import counted other rows: {result.summary}")
    return seconds, round(peak, 1), "" if exact else "ru_maxrss (peak of the whole process life)"


def _sqlite_import_seconds(path: Path, database: Path) -> tuple[float, str]:
    """`sqlite3 DB -cmd ".mode csv" ".import FILE TABLE"` into a fresh bare table (the
    CLI's own time, start to end); without the CLI, Python's sqlite3 with executemany,
    and the second value says so."""
    if shutil.which(SQLITE_CLI):
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 - a fixed program, our own temporary files
            [SQLITE_CLI, str(database), "-cmd", ".mode csv", f".import {path} {BARE}"], check=True
        )
        return time.perf_counter() - start, ""
    start = time.perf_counter()
    bare = sqlite3.connect(database)
    with path.open(encoding="utf-8", newline="") as handle, bare:
        reader = csv.reader(handle)
        columns = next(reader)
        definition = ", ".join(f"{column} TEXT" for column in columns)
        bare.execute(f"CREATE TABLE {BARE} ({definition})")
        marks = ", ".join("?" * len(columns))
        bare.executemany(f"INSERT INTO {BARE} VALUES ({marks})", reader)  # noqa: S608 - our file
    bare.close()
    return time.perf_counter() - start, "python sqlite3 executemany (no sqlite3 CLI)"


@contextmanager
def _postgresql_copied(path: Path) -> Iterator[tuple[float, str]]:
    """COPY of the same file into a bare table of text columns, through psycopg (the file
    is sent by the client, as an import's would be); yields its time and the table, which
    is dropped afterwards."""
    columns = ", ".join(f"{column} text" for column in HEADER)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE}")
        cursor.execute(f"CREATE TABLE {BARE} ({columns})")
        start = time.perf_counter()
        with (
            cursor.copy(f"COPY {BARE} FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - start
        cursor.execute(f"ANALYZE {BARE}")  # as an import analyses its staged rows
    try:
        yield seconds, BARE
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {BARE}")


@contextmanager
def _attached(database: Path) -> Iterator[str]:
    """The bare table `.import` wrote, attached to the connection (`bare.` + BARE)."""
    with connection.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS bare", [str(database)])
    try:
        yield f"bare.{BARE}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DETACH DATABASE bare")


def _unchecked_write_seconds(source: str) -> float:
    """Writing the loaded rows into the activities table with one INSERT … SELECT, in
    the least an import could do: owners and accounts found by a join, nothing
    checked, times not converted from the organisation's zone, no rollups — with the
    table's indexes set aside and built again, as a first load does. Rolled back.

    The database's loader plus this is a lower bound for any import that reads the
    file with that loader: the ratio targets cannot be met when it exceeds them."""
    moment = (
        "CAST(a.occurred_at AS timestamp) AT TIME ZONE 'UTC'"
        if connection.vendor == "postgresql"
        else "replace(a.occurred_at, 'T', ' ') || ':00'"
    )
    sql = (
        f"INSERT INTO {TABLE} (external_id, person_id, occurred_at, kind, channel, "  # noqa: S608 - our names
        "outcome, is_prospecting, account_id, deal_id, meeting_number) "
        f"SELECT a.external_id, p.id, {moment}, a.kind, a.channel, a.outcome, "
        "a.is_prospecting = 'true', c.id, NULL, CAST(NULLIF(a.meeting_number, '') AS integer) "
        f"FROM {source} AS a JOIN org_person AS p ON p.email = a.owner_email "
        "LEFT JOIN crm_account AS c ON c.name = a.account"
    )
    with transaction.atomic():
        start = time.perf_counter()
        with connection.cursor() as cursor:
            restore = tune(cursor)  # as an import does
            with indexes_set_aside(TABLE):
                cursor.execute(sql)
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
        # Leave nothing of the write for the import timed next: PostgreSQL's dead rows,
        # SQLite's log of the pages it wrote.
        cursor.execute(
            f"VACUUM {TABLE}"
            if connection.vendor == "postgresql"
            else "PRAGMA wal_checkpoint(TRUNCATE)"
        )
    return seconds


def _reset_peak_rss() -> bool:
    """Reset the process's resident-set high-water mark (Linux ≥ 4.0); False elsewhere."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
