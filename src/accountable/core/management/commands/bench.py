"""`accountable bench`: measure the product on a scratch database, never the real one."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SCRATCH_FLAG = "ACCOUNTABLE_BENCH_SCRATCH"


class Command(BaseCommand):
    help = "Run the benchmark cases on a scratch SQLite database and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--repeat", type=int, default=20, help="Requests per page timing.")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        if os.environ.get(SCRATCH_FLAG) != "1":
            self._run_in_scratch(sys.argv[2:] if len(sys.argv) > 2 else [])
            return
        from accountable.benchmarks import CASES

        call_command("migrate", interactive=False, verbosity=0)
        figures: dict[str, object] = {
            "python": platform.python_version(),
            "database": "sqlite",
        }
        for case in CASES:
            if options["format"] == "table":
                self.stderr.write(f"running {case.__name__} …")
            figures.update(case(options))
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key:<24} {value}")

    def _run_in_scratch(self, argv: list[str]) -> None:
        """Re-run this command in a child process bound to a throw-away database."""
        with tempfile.TemporaryDirectory(prefix="accountable-bench-") as scratch:
            env = {
                **os.environ,
                SCRATCH_FLAG: "1",
                "ACCOUNTABLE_VAR_DIR": scratch,
                "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
            }
            code = subprocess.call(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "accountable", "bench", *argv], env=env
            )
        if code:
            raise CommandError(f"the benchmark failed (exit {code})")
