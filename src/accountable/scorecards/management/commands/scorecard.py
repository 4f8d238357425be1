"""`accountable scorecard`: the scorecard rows of the team board, from the shell.

    accountable scorecard --period 2026-Q3 --as-of 2026-08-17 --team "North Field"
    accountable scorecard --period 2017 --format json > 2017.json
    accountable scorecard --period 2026-08 --person rep@acme.test --format csv

Runs as the organisation: every person, as an admin sees them (the same selector as
the pages and the API, with a viewer who sees everyone). JSON is a list of rows with
the keys of `scorecards.selectors.ScoreRow`; money as strings, ratios as numbers.
"""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from accountable.org.calendar import PeriodError, parse_date
from accountable.org.models import Person, Role, Team
from accountable.org.services import organisation_get
from accountable.scorecards import selectors

# Columns of the table format: (key, heading).
TABLE = [
    ("name", "Person"),
    ("team", "Team"),
    ("won_amount", "Won"),
    ("target", "Target"),
    ("attainment", "Att."),
    ("pace", "Pace"),
    ("projected", "Proj."),
    ("required_weekly", "Need/wk"),
    ("coverage", "Cov."),
    ("won_count", "Wins"),
    ("lost_count", "Lost"),
    ("win_rate", "Win rate"),
    ("calls", "Calls"),
    ("meetings", "Meetings"),
]
PERCENT = {"attainment", "pace", "win_rate"}


def organisation_viewer() -> Person:
    """A viewer who sees every person and team: the command speaks for the organisation,
    not for one user (an unsaved admin, so no account is needed to run it)."""
    return Person(email="accountable@localhost", name="Accountable", role=Role.ADMIN)


def _cell(key: str, value) -> str:
    if value is None:
        return "—"
    if key in PERCENT:
        return f"{value:.0%}"
    if key == "coverage":
        return f"{value:.1f}x"
    return str(value)


class Command(BaseCommand):
    help = "Print scorecard rows for a period: per person, for a team or for one person."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026, 2026-Q3, 2026-08 or 2026-W32")
        parser.add_argument(
            "--as-of", default="", help="YYYY-MM-DD (default: today, or the end of a past period)"
        )
        parser.add_argument("--team", default="", help="A team's name: its people only.")
        parser.add_argument("--person", default="", help="A person's e-mail: that person only.")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args, period, as_of, team, person, format, **options):
        calendar = organisation_get().calendar
        try:
            chosen = calendar.parse(period)
            day = (
                parse_date(as_of)
                if as_of
                else selectors.period_default_as_of(chosen, timezone.localdate())
            )
        except PeriodError as error:
            raise CommandError(str(error)) from error
        team_obj = person_obj = None
        if team:
            team_obj = Team.objects.filter(name__iexact=team.strip()).first()
            if team_obj is None:
                raise CommandError(f'No team called "{team}".')
        if person:
            person_obj = Person.objects.filter(email__iexact=person.strip()).first()
            if person_obj is None:
                raise CommandError(f'No person with the e-mail "{person}".')
        rows = [
            row.as_dict()
            for row in selectors.scorecard_rows(
                organisation_viewer(), period=chosen, as_of=day, team=team_obj, person=person_obj
            )
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows))
            return
        if format == "csv":
            keys = (
                list(rows[0])
                if rows
                else [f.name for f in selectors.ScoreRow.__dataclass_fields__.values()]
            )
            writer = csv.DictWriter(self.stdout, fieldnames=keys, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
            return
        table = Table(title=f"{chosen.label} as of {day.isoformat()}")
        for key, heading in TABLE:
            table.add_column(heading, justify="left" if key in ("name", "team") else "right")
        for row in rows:
            table.add_row(*[_cell(key, row[key]) for key, _ in TABLE])
        Console(file=self.stdout, width=160).print(table)
