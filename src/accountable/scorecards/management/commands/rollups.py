"""`accountable rollups rebuild`: compute the scorecard rollups again from the sales data.

Writes keep the rollups fresh by themselves; rebuild after loading data some other
way (straight into the database, a restore), or to check nothing drifted:

    accountable rollups rebuild
    accountable rollups rebuild --format json
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from accountable.core.progress import progress_bar
from accountable.scorecards import rollups


class Command(BaseCommand):
    help = "Rebuild the scorecard rollups (per person and day, week and month) from scratch."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Throw the rollups away and compute them again.")
        rebuild.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, format, **options):
        started = time.perf_counter()
        with progress_bar("Rebuilding rollups", total=4) as advance:
            counts = rollups.rebuild(progress=advance)
        seconds = round(time.perf_counter() - started, 2)
        if format == "json":
            self.stdout.write(json.dumps({"rows": counts, "seconds": seconds}))
            return
        for name, count in counts.items():
            self.stdout.write(f"{name:<24} {count:>12,}")
        self.stdout.write(f"Rebuilt in {seconds} s.")
