"""`accountable queue ping`: check that the workers are alive and take tasks.

Sends pings through the configured queue (the database, or Redis) and prints which
workers answered, by host and process id:

    accountable queue ping
    accountable queue ping --count 20 --timeout 30 --format json

It exits with status 1 when a ping fails or is not answered in time, so a deployment
script or a monitor can run it.
"""

from __future__ import annotations

import json
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError

from accountable.jobs.probe import ProbeError, workers_ping


def positive_int(raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise ArgumentTypeError(f"{raw!r} is not a whole number of 1 or more")
    return int(raw)


class Command(BaseCommand):
    help = "Look at the task queue's workers: `ping` checks they are alive and who answers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ping = sub.add_parser(
            "ping", help="Send pings through the queue and print which workers answered."
        )
        ping.add_argument("--count", type=positive_int, default=10, help="Pings to send.")
        ping.add_argument(
            "--timeout", type=float, default=10.0, help="Seconds to wait for the answers."
        )
        ping.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, count, timeout, format, **options):
        try:
            report = workers_ping(count=count, timeout=timeout)
        except ProbeError as error:
            raise CommandError(str(error)) from None
        workers = [
            {"host": host, "pid": pid, "answered": answered}
            for (host, pid), answered in sorted(report.answered.items())
        ]
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "sent": report.sent,
                        "workers": workers,
                        "failed": report.failed,
                        "unanswered": report.unanswered,
                        "seconds": report.seconds,
                    }
                )
            )
        else:
            if workers:
                self.stdout.write(f"{'host':<32} {'pid':>8} {'answered':>9}")
            for worker in workers:
                self.stdout.write(
                    f"{worker['host']:<32} {worker['pid']:>8} {worker['answered']:>9}"
                )
            for message in report.failed:
                self.stdout.write(message)
            answered = report.sent - report.unanswered - len(report.failed)
            self.stdout.write(
                f"{answered} of {report.sent} pings answered by {len(workers)} "
                f"worker(s) in {report.seconds} s."
            )
        if report.failed:
            raise CommandError(f"{len(report.failed)} of {report.sent} pings failed.")
        if report.unanswered:
            raise CommandError(
                f"{report.unanswered} of {report.sent} pings were not answered within "
                f"{timeout:g} s: is a worker running, on this queue?"
            )
