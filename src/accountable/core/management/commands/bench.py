"""`accountable bench`: measure the product on a scratch database, never the real one."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

SCRATCH_FLAG = "ACCOUNTABLE_BENCH_SCRATCH"


class Command(BaseCommand):
    help = (
        "Run the benchmark cases on a scratch database (SQLite in a temporary folder, or a "
        "throw-away database on the PostgreSQL server given with --postgres) and print "
        "the figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--repeat", type=int, default=20, help="Requests per page timing.")
        parser.add_argument(
            "--activities",
            type=int,
            default=1_000_000,
            help="Rows of the generated activities file the import case loads.",
        )
        parser.add_argument(
            "--memory-rows",
            type=int,
            default=0,
            help="Also import a streamed file of this many rows and report peak memory "
            "(10000000 for the target; some 900 MB of disk while it runs).",
        )
        parser.add_argument(
            "--only", default="", help="Comma-separated case names to run (default: all)."
        )
        parser.add_argument(
            "--postgres",
            default="",
            metavar="URL",
            help="A PostgreSQL server (postgres://user@host:port/db) on which to create, "
            "use and drop a scratch database instead of SQLite.",
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        if os.environ.get(SCRATCH_FLAG) != "1":
            self._run_in_scratch(sys.argv[2:] if len(sys.argv) > 2 else [], options["postgres"])
            return
        from accountable.benchmarks import CASES

        wanted = {name.strip() for name in options["only"].split(",") if name.strip()}
        unknown = wanted - {case.__name__ for case in CASES}
        if unknown:
            known = ", ".join(case.__name__ for case in CASES)
            missing = ", ".join(sorted(unknown))
            raise CommandError(f"No benchmark case {missing}; there are {known}.")
        call_command("migrate", interactive=False, verbosity=0)
        figures: dict[str, object] = {
            "python": platform.python_version(),
            "database": connection.vendor,
        }
        for case in CASES:
            if wanted and case.__name__ not in wanted:
                continue
            if options["format"] == "table":
                self.stderr.write(f"running {case.__name__} …")
            figures.update(case(options))
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key:<24} {value}")

    def _run_in_scratch(self, argv: list[str], postgres: str) -> None:
        """Re-run this command in a child process bound to a throw-away database."""
        with (
            tempfile.TemporaryDirectory(prefix="accountable-bench-") as scratch,
            _scratch_database(postgres, scratch) as url,
        ):
            env = {
                **os.environ,
                SCRATCH_FLAG: "1",
                "ACCOUNTABLE_VAR_DIR": scratch,
                "DATABASE_URL": url,
            }
            code = subprocess.call(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "accountable", "bench", *argv], env=env
            )
        if code:
            raise CommandError(f"the benchmark failed (exit {code})")


@contextmanager
def _scratch_database(postgres: str, folder: str):
    """The URL of an empty database that is gone afterwards."""
    if not postgres:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    name = f"accountable_bench_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(postgres)
    try:
        admin = psycopg.connect(postgres, autocommit=True)
    except psycopg.Error as error:
        raise CommandError(f"Cannot reach PostgreSQL at {postgres}: {error}") from error
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
