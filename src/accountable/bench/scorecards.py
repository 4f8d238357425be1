"""Benchmark cases for the scorecards: rollups, the two screens that matter most,
DuckDB as the reference, freshness after a daily batch, and a load test.

They run after `demo_generation` has filled the scratch database with the demo
organisation (by default 1,000 reps and some 10 million activities over a year
and a quarter), in this order:

- `rollup_rebuild` — the rollups rebuilt from scratch;
- `scorecard_pages` — server time (median of `repeat` requests, warm) of the
  executive roll-up for everyone and of a team board, through Django's test client;
- `duckdb_reference` — the same per-rep quarterly activity aggregates computed by
  DuckDB over the raw activities table, copied into DuckDB beforehand (not timed);
- `batch_freshness` — a daily batch of 60,000 new activities imported, and the time
  until every scorecard shows it;
- `board_load` — `load_users` signed-in managers requesting their team board for
  `load_seconds` against gunicorn on 127.0.0.1, each waiting `load_think` seconds
  after every answer (a second by default: people read the board; 0 for a stress test).

The period is the quarter of the demo's last day, as a manager sees it that morning.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from accountable.bench import loadtest
from accountable.bench.timing import median_ms, page_ms
from accountable.crm.models import Activity
from accountable.imports.models import ImportRun
from accountable.imports.pipeline import import_file
from accountable.org.calendar import Kind
from accountable.org.models import Person, Role, Team
from accountable.org.services import organisation_get
from accountable.scorecards import metrics, rollups
from accountable.scorecards.selectors import exec_rollup

Figures = dict[str, float | int | str]
BATCH_ROWS = 60_000
DUCKDB_QUERY = """
    SELECT person_id,
           count(*) FILTER (WHERE kind = 'call') AS calls,
           count(*) FILTER (WHERE kind = 'email') AS emails,
           count(*) FILTER (WHERE kind = 'meeting') AS meetings,
           count(*) FILTER (WHERE kind = 'meeting' AND meeting_number = 1) AS first_meetings,
           count(*) FILTER (WHERE kind = 'meeting' AND meeting_number = 2) AS second_meetings,
           count(*) FILTER (WHERE is_prospecting) AS prospecting,
           count(*) AS activities
    FROM activity
    WHERE occurred_at >= ? AND occurred_at < ?
    GROUP BY person_id
"""


def rollup_rebuild(options: dict) -> Figures:
    start = time.perf_counter()
    rollups.rebuild()
    return {"rollup_rebuild_s": round(time.perf_counter() - start, 2)}


def scorecard_pages(options: dict) -> Figures:
    """Warm server time of the executive roll-up and of the largest team's board."""
    repeat = options["repeat"]
    period, as_of = _period()
    query = f"?period={period.label}&as_of={as_of.isoformat()}"
    executive = Person.objects.filter(role=Role.EXECUTIVE).first()
    team = _largest_team()
    rollup = f"/rollup/{query}"
    board = f"/board/{query}&team={team.pk}"
    return {
        "period": period.label,
        "as_of": as_of.isoformat(),
        "board_team_size": team.size,
        "exec_rollup_ms": page_ms(executive, rollup, repeat),
        "team_board_ms": page_ms(team.manager, board, repeat),
        "exec_rollup_selector_ms": median_ms(
            lambda: exec_rollup(executive, period=period, as_of=as_of), repeat
        ),
        # The first request after new data: nothing kept from before.
        "exec_rollup_cold_ms": page_ms(executive, rollup, repeat, cold=True),
        # The same, as the roll-up opens by default: this quarter as of today (when the
        # newest activity is yesterday's, the figure above reads a past day's pipeline).
        "exec_rollup_cold_default_ms": page_ms(executive, "/rollup/", repeat, cold=True),
        "team_board_cold_ms": page_ms(team.manager, board, repeat, cold=True),
    }


def duckdb_reference(options: dict) -> Figures:
    """Per-rep activity counts for the quarter to date, by DuckDB over the raw table."""
    try:
        import duckdb  # here, not at the top: DuckDB is an optional dependency (the bench extra)
    except ImportError:
        return {"duckdb_ms": "duckdb is not installed (pip install 'accountable[bench]')"}
    period, as_of = _period()
    start = timezone.make_aware(datetime.combine(period.start, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), datetime.min.time()))
    with tempfile.TemporaryDirectory(prefix="accountable-bench-duckdb-") as folder:
        dump = Path(folder) / "activity.csv"
        load_start = time.perf_counter()
        _dump_activities(dump)
        database = duckdb.connect()
        database.execute(
            "CREATE TABLE activity AS SELECT * FROM read_csv(?, header = true, columns = "
            "{'person_id': 'BIGINT', 'kind': 'VARCHAR', 'is_prospecting': 'BOOLEAN', "
            "'meeting_number': 'INTEGER', 'occurred_at': 'TIMESTAMPTZ'})",
            [str(dump)],
        )
        loaded = time.perf_counter() - load_start
    rows = database.execute("SELECT count(*) FROM activity").fetchone()[0]

    def run() -> list:
        return database.execute(DUCKDB_QUERY, [start, end]).fetchall()

    answer = run()
    seconds_ms = median_ms(run, options["repeat"])
    ours = _our_counts(period, as_of)
    mismatched = sum(
        1
        for person_id, calls, emails, meetings, *_rest in answer
        if ours.get(person_id) != (calls, emails, meetings)
    )
    database.close()
    return {
        "duckdb_rows": rows,
        "duckdb_load_s": round(loaded, 1),
        "duckdb_ms": seconds_ms,
        "duckdb_reps": len(answer),
        "duckdb_mismatched_reps": mismatched,
    }


def batch_freshness(options: dict) -> Figures:
    """Import a day's 60,000 activities, then time how long after the import has
    finished the executive's roll-up (and so every scorecard, read from the same
    rollups) counts them: `fresh_after_batch_s`. The rollups are refreshed inside the
    import's own transaction, so this is the first recomputation of a page's numbers;
    `batch_import_s` is the import itself and `batch_import_and_fresh_s` the two."""
    _, day = _period()
    reps = list(Person.objects.filter(role=Role.REP, is_active=True).order_by("pk"))
    with tempfile.TemporaryDirectory(prefix="accountable-bench-batch-") as folder:
        path = Path(folder) / "batch.csv"
        _write_batch(path, reps, day)
        before = _scorecard_calls(day)
        start = time.perf_counter()
        result = import_file(kind="activities", path=path, actor=None, source=ImportRun.Source.CLI)
        imported = time.perf_counter() - start
        if result.summary["created"] != BATCH_ROWS:
            raise RuntimeError(f"the daily batch was not imported whole: {result.summary}")
        expected = before + BATCH_ROWS // 2  # every other row is a call
        imported_at = time.perf_counter()
        while _scorecard_calls(day) < expected:
            if time.perf_counter() - start > 600:
                raise RuntimeError("the scorecards did not show the batch within 10 minutes")
            time.sleep(0.05)
        done = time.perf_counter()
    return {
        "batch_rows": BATCH_ROWS,
        "batch_import_s": round(imported, 2),
        "fresh_after_batch_s": round(done - imported_at, 2),
        "batch_import_and_fresh_s": round(done - start, 2),
    }


def board_load(options: dict) -> Figures:
    """`load_users` managers on their boards for `load_seconds`, against gunicorn."""
    seconds = float(options.get("load_seconds") or 0)
    if not seconds:
        return {}
    users = int(options.get("load_users") or 20)
    period, as_of = _period()
    managers = list(
        Person.objects.filter(role=Role.MANAGER, is_active=True, managed_teams__isnull=False)
        .distinct()
        .order_by("pk")
    )
    people = [managers[n % len(managers)] for n in range(users)]
    cookies = loadtest.session_cookies(people, settings)
    env = {"DATABASE_URL": _database_url(), "ACCOUNTABLE_VAR_DIR": str(settings.VAR_DIR)}
    workers = int(options.get("load_workers") or 4)
    think = float(options.get("load_think") or 0)
    with loadtest.gunicorn(workers=workers, env=env) as port:
        result = loadtest.run_load(
            port=port,
            path=f"/board/?period={period.label}&as_of={as_of.isoformat()}",
            cookies=cookies,
            seconds=seconds,
            think=think,
        )
    figures: Figures = {
        "load_users": users,
        "load_seconds": round(result.seconds, 1),
        "load_workers": workers,
        "load_think_s": think,
        **result.figures("board_load"),
    }
    if result.first_error:
        figures["board_load_first_error"] = result.first_error
    return figures


# --- helpers -----------------------------------------------------------------------------


def _period():
    """The quarter of the newest activity, as of that day."""
    newest = Activity.objects.aggregate(last=Max("occurred_at"))["last"]
    as_of = timezone.localdate(newest) if newest else timezone.localdate()
    return organisation_get().calendar.period(Kind.QUARTER, as_of), as_of


def _largest_team() -> Team:
    """The team with most members that has a manager; `.manager` is one of them."""
    team = (
        Team.objects.filter(managers__isnull=False)
        .annotate(size=Count("members", distinct=True))
        .order_by("-size", "pk")
        .first()
    )
    if team is None:
        raise RuntimeError("the benchmark organisation has no team with a manager")
    team.manager = team.managers.order_by("pk").first()
    return team


def _dump_activities(path: Path) -> None:
    """The columns the aggregate reads, written by the database itself where it can."""
    columns = "person_id, kind, is_prospecting, meeting_number, occurred_at"
    select = f"SELECT {columns} FROM {Activity._meta.db_table}"  # noqa: S608 - our own names
    if connection.vendor == "postgresql":
        sql = f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER true)"
        with connection.cursor() as cursor, path.open("wb") as handle, cursor.copy(sql) as copy:
            for chunk in copy:
                handle.write(chunk)
        return
    database = settings.DATABASES["default"]["NAME"]
    program = shutil.which("sqlite3")
    if program:
        with path.open("w") as handle:
            subprocess.run(  # noqa: S603 - the sqlite3 program on our own scratch database
                [program, "-csv", "-header", str(database), select],
                stdout=handle,
                check=True,
            )
        return
    with connection.cursor() as cursor, path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.strip() for c in columns.split(",")])
        cursor.execute(select)
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)


def _our_counts(period, as_of: date) -> dict[int, tuple[int, int, int]]:
    counts = metrics.counts(None, period.start, as_of)
    return {pid: (c.calls, c.emails, c.meetings) for pid, c in counts.items()}


def _write_batch(path: Path, reps: list[Person], day: date) -> None:
    batch = f"batch-{day}-{uuid.uuid4().hex[:8]}"  # new activities, however often it runs
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "owner_email", "kind", "channel", "occurred_at"])
        for number in range(BATCH_ROWS):
            rep = reps[number % len(reps)]
            kind, channel = ("call", "phone") if number % 2 == 0 else ("email", "email")
            moment = datetime.combine(day, datetime.min.time()) + timedelta(
                hours=8, seconds=number % 36_000
            )
            writer.writerow([f"{batch}-{number}", rep.email, kind, channel, moment.isoformat()])


def _scorecard_calls(day: date) -> int:
    """Calls in the week to `day` across the organisation, as the executive's roll-up
    shows them (through the cache the pages use)."""
    executive = Person.objects.filter(role=Role.EXECUTIVE).first()
    week = organisation_get().calendar.period(Kind.WEEK, day)
    teams = exec_rollup(executive, period=week, as_of=day)
    return sum(t.calls for t in teams if t.team_id in _top_team_ids())


def _top_team_ids() -> set[int]:
    return set(Team.objects.filter(parent__isnull=True).values_list("pk", flat=True))


def _database_url() -> str:
    return os.environ["DATABASE_URL"]


CASES: list[Callable[[dict], Figures]] = [
    rollup_rebuild,
    scorecard_pages,
    duckdb_reference,
    batch_freshness,
    board_load,
]
