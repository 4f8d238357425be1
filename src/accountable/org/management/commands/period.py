"""`accountable period LABEL`: a fiscal period's dates, as the organisation counts them."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountable.org.calendar import PeriodError, parse_date
from accountable.org.services import organisation_get


class Command(BaseCommand):
    help = "Show a period (2026, 2026-Q3, 2026-08, 2026-W32): dates, working days, elapsed."

    def add_arguments(self, parser):
        parser.add_argument("label")
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, label, as_of, format, **options):
        calendar = organisation_get().calendar
        try:
            period = calendar.parse(label)
            when = parse_date(as_of) if as_of else timezone.localdate()
        except PeriodError as error:
            raise CommandError(str(error)) from error
        info = {
            "label": period.label,
            "kind": str(period.kind),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "days": period.days,
            "working_days": period.working_days,
            "as_of": when.isoformat(),
            "working_days_elapsed": period.working_days_elapsed(when),
            "elapsed_fraction": round(period.elapsed_fraction(when), 4),
        }
        if format == "json":
            self.stdout.write(json.dumps(info))
            return
        for key, value in info.items():
            self.stdout.write(f"{key.replace('_', ' '):<22} {value}")
