"""`accountable forecast`: weekly forecast calls from the command line (the system
acting, as an import of history does).

    accountable forecast submit --person rep@acme.test --period 2026-Q4 \
        --commit 40000 --best-case 55000
    accountable forecast submit ... --week 2026-10-05      # a past week, for history
    accountable forecast list --period 2026-Q4 [--person EMAIL] --format json
    accountable forecast accuracy --period 2026-Q3 --format json

`accuracy` gives, per person, `submissions`, `won`, `mean_abs_error` and `bias` (null
with `why` when the period is not over or nothing was won), and the team's weighted
figures over everyone listed. Bad input exits with status 2 and a message.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountable.forecasts import selectors, services
from accountable.forecasts.errors import ForecastError
from accountable.forecasts.models import ForecastSubmission
from accountable.org.calendar import PeriodError, parse_date
from accountable.org.models import Person


def _person(email: str) -> Person:
    found = Person.objects.filter(email__iexact=email.strip()).first()
    if found is None:
        raise CommandError(f'No person with the e-mail "{email}".')
    return found


def _day(text: str) -> date | None:
    """The day of `--week`, as every command reads a day (None when not given)."""
    if not text:
        return None
    try:
        return parse_date(text)
    except PeriodError as error:
        raise CommandError(str(error)) from None


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def submission_dict(s: ForecastSubmission) -> dict:
    adjusted = getattr(s, "adjustment", None)
    return {
        "person": s.person.email,
        "period": s.period,
        "week_of": s.week_of.isoformat(),
        "commit": _money(s.commit),
        "best_case": _money(s.best_case),
        "manager_commit": _money(adjusted.commit) if adjusted else None,
        "note": s.note,
    }


class Command(BaseCommand):
    help = "Submit, list and score weekly forecast calls (commit and best case)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        submit = sub.add_parser("submit", help="A person's call for a period.")
        submit.add_argument("--person", required=True)
        submit.add_argument("--period", required=True, help="e.g. 2026-Q4")
        submit.add_argument("--commit", required=True)
        submit.add_argument("--best-case", required=True)
        submit.add_argument("--note", default="")
        submit.add_argument("--week", default="", help="A past week's day (history); default: now.")
        listed = sub.add_parser("list", help="The calls of a period.")
        listed.add_argument("--period", required=True)
        listed.add_argument("--person", default="")
        listed.add_argument("--format", choices=["table", "json"], default="table")
        scored = sub.add_parser("accuracy", help="How accurate the calls of a period were.")
        scored.add_argument("--period", required=True)
        scored.add_argument("--person", default="")
        scored.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ForecastError as error:
            raise CommandError(str(error)) from None

    def _submit(self, *, person, period, commit, best_case, note, week, **options):
        made = services.forecast_submit(
            actor=None,
            person=_person(person),
            period=period,
            commit=commit,
            best_case=best_case,
            note=note,
            week=_day(week),
        )
        self.stdout.write(json.dumps(submission_dict(made)))

    def _list(self, *, period, person, format, **options):
        found = services.period_get(period)
        rows = ForecastSubmission.objects.filter(period=found.label).select_related(
            "person", "adjustment"
        )
        if person:
            rows = rows.filter(person=_person(person))
        data = [submission_dict(s) for s in rows.order_by("person__email", "week_of")]
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        for row in data:
            adjusted = f" (manager: {row['manager_commit']})" if row["manager_commit"] else ""
            self.stdout.write(
                f"{row['week_of']}  {row['person']:<32} commit {row['commit']:>14}  "
                f"best {row['best_case']:>14}{adjusted}"
            )

    def _accuracy(self, *, period, person, format, **options):
        found = services.period_get(period)
        people = ForecastSubmission.objects.filter(period=found.label)
        if person:
            people = people.filter(person=_person(person))
        ids = sorted(set(people.values_list("person_id", flat=True)))
        emails = dict(Person.objects.filter(pk__in=ids).values_list("pk", "email"))
        today = timezone.localdate()
        scored = selectors.accuracy(ids, found, today)
        data = {
            "period": found.label,
            "people": [{"person": emails[pid], **scored[pid].as_dict()} for pid in ids],
            "team": selectors.team_accuracy(ids, found, today).as_dict(),
        }
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        for row in data["people"]:
            figures = (
                f"off by {row['mean_abs_error']:.0%}, bias {row['bias']:+.0%}"
                if row["mean_abs_error"] is not None
                else row["why"]
            )
            self.stdout.write(f"{row['person']:<32} {row['submissions']:>3} calls  {figures}")
