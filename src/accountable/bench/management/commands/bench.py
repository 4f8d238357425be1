"""`accountable bench`: measure the product on a scratch database, never the real one."""

from __future__ import annotations

import json
import platform
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accountable.bench.cases import CASES, derived
from accountable.core.scratch import in_scratch, rerun_in_scratch

SCRATCH_FLAG = "ACCOUNTABLE_BENCH_SCRATCH"


class Command(BaseCommand):
    help = (
        "Run the benchmark cases on a scratch database (SQLite in a temporary folder, or a "
        "throw-away database on the PostgreSQL server given with --postgres) and print "
        "the figures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reps", type=int, default=1000, help="Reps in the generated organisation."
        )
        parser.add_argument(
            "--activities",
            type=int,
            default=10_000_000,
            help="Activities of the generated organisation, over its year and a quarter "
            "(0 for the demo's realistic 60-odd per rep and week).",
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--repeat", type=int, default=20, help="Requests per page timing.")
        parser.add_argument(
            "--import-rows",
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
            "--load-seconds",
            type=float,
            default=60,
            help="Length of the team-board load test against gunicorn (0 to skip).",
        )
        parser.add_argument("--load-users", type=int, default=20, help="Concurrent users.")
        parser.add_argument("--load-workers", type=int, default=4, help="gunicorn workers.")
        parser.add_argument(
            "--load-think",
            type=float,
            default=1.0,
            help="Seconds each user reads the board before asking again (0: back to back).",
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
        if not in_scratch(SCRATCH_FLAG):
            argv = sys.argv[2:] if len(sys.argv) > 2 else []
            rerun_in_scratch(
                "bench", argv, flag=SCRATCH_FLAG, postgres=options["postgres"], what="the benchmark"
            )
            return
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
        figures.update(derived(figures))
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key:<24} {value}")
