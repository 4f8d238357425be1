"""`accountable demo`: one command from a fresh clone to a running demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accountable.core.progress import progress_bar
from accountable.demo.generator import DemoError, generate_demo
from accountable.org.models import Person
from accountable.signals.services import signals_run

DEMO_LOGINS = [
    ("admin", "admin@demo.test"),
    ("executive", "exec@demo.test"),
    ("manager", "manager@demo.test"),
    ("rep", "rep@demo.test"),
]
DEMO_PASSWORD = "demo"  # noqa: S105 - printed for the demo on purpose


class Command(BaseCommand):
    help = "Set up the demo organisation (when the database is empty) and start it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7, help="Same seed, same data.")
        parser.add_argument("--people", type=int, default=40, help="Total people to create.")
        parser.add_argument("--no-serve", action="store_true", help="Set up, then exit.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where to serve.")

    def handle(self, *args, seed, people, no_serve, addr, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if Person.objects.exists():
            self.stdout.write("The database already has an organisation: keeping it.")
        else:
            with progress_bar("Creating the demo organisation", total=people) as advance:
                try:
                    result = generate_demo(seed=seed, people=people, progress=advance)
                except DemoError as error:
                    raise CommandError(str(error)) from error
            sales = result.sales
            self.stdout.write(
                f"Created {result.counts['people']} people in {result.counts['teams']} teams "
                f"(seed {seed}), with {sales['accounts']:,} accounts, {sales['deals']:,} deals, "
                f"{sales['activities']:,} activities and {sales['targets']:,} targets; "
                f"ground truth in {result.ground_truth_path}"
            )
            loop = result.loop
            if loop:
                self.stdout.write(
                    f"With {loop['forecasts']:,} forecast calls, {loop['commitments']:,} "
                    f"commitments, {loop['checkins']:,} check-ins and "
                    f"{loop['action_items']:,} action items (see Follow-up); "
                    f"{loop.get('plans', 0):,} quarterly plans, {loop.get('plan_reviews', 0):,} "
                    f"reviewed, and {loop.get('account_plans', 0):,} key account plans "
                    "(see Follow-up → Plans)."
                )
            self._judge(result.today)
        self._print_logins(addr)
        if no_serve:
            return
        self._serve(addr)

    def _judge(self, today: date) -> None:
        """Run the warning engine once, as the nightly job would, so the board and the
        scorecards show warnings, diagnoses and the three rights at the first visit."""
        counts = signals_run(as_of=today).counts
        self.stdout.write(
            f"Judged {counts['people']} reps as of {today:%d %b %Y}: "
            f"{counts['opened']} warnings open (see the Watchlist)."
        )

    def _print_logins(self, addr: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Accountable demo: http://{addr}/"))
        for role, email in DEMO_LOGINS:
            if Person.objects.filter(email=email).exists():
                self.stdout.write(f"  {role:<10} {email:<22} password: {DEMO_PASSWORD}")
        self.stdout.write("")

    def _serve(self, addr: str) -> None:
        """The background worker in a child process, the web server in this one."""
        # A plain `kill` should stop the worker too, not leave it running alone.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        worker = subprocess.Popen(
            [sys.executable, "-m", "accountable", "worker", "--verbosity", "0"], env=env
        )
        try:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
