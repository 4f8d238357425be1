"""`accountable checkin agenda`: the prepared agenda of a person's next check-in, as the
meeting page shows it (without private notes).

    accountable checkin agenda --person rep@acme.test
    accountable checkin agenda --person rep@acme.test --as-of 2026-09-15 --format json

The next check-in is the first scheduled one from the as-of day on; with none, the
agenda of a check-in with the person's manager that day. Bad input exits with status 2
and a message.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountable.checkins.models import CheckIn
from accountable.checkins.selectors import agenda, soonest_scheduled
from accountable.org.calendar import PeriodError, parse_date
from accountable.org.models import Person, Role


def _day(text: str) -> date:
    """The day of `--as-of` (today when not given), as every command reads a day."""
    if not text:
        return timezone.localdate()
    try:
        return parse_date(text)
    except PeriodError as error:
        raise CommandError(str(error)) from None


def _manager_of(person: Person) -> Person:
    team = person.team
    while team is not None:
        manager = team.managers.exclude(pk=person.pk).order_by("pk").first()
        if manager is not None:
            return manager
        team = team.parent
    admin = Person.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        raise CommandError(f"{person.name} has no manager, and there is no admin.")
    return admin


def next_checkin(person: Person, day: date) -> CheckIn:
    """The person's next check-in from `day` on (as the board shows it), or an unsaved one
    that day."""
    meetings = CheckIn.objects.select_related("person", "manager")
    found = soonest_scheduled(meetings, [person.pk], day).get(person.pk)
    if found is not None:
        return found
    at = timezone.make_aware(datetime.combine(day, time(9)))
    return CheckIn(person=person, manager=_manager_of(person), starts_at=at)


class Command(BaseCommand):
    help = "The prepared agenda of a person's next 1:1 check-in."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        shown = sub.add_parser("agenda", help="The agenda of the person's next check-in.")
        shown.add_argument("--person", required=True, help="The person's e-mail.")
        shown.add_argument("--as-of", default="", help="The day (YYYY-MM-DD); default today.")
        shown.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, person, as_of, format, **options):
        found = Person.objects.filter(email__iexact=person.strip()).select_related("team").first()
        if found is None:
            raise CommandError(f'No person with the e-mail "{person}".')
        day = _day(as_of)
        checkin = next_checkin(found, day)
        prepared = agenda(checkin.manager, checkin, today=day)
        data = prepared.as_dict()
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2, default=str))
            return
        self.stdout.write(f"1:1 {found.name} with {checkin.manager.name}, {data['starts_at']}")
        self.stdout.write(f"Since {data['since']} to {data['until']}:")
        numbers = data["numbers"] or {}
        for key, value in numbers.items():
            self.stdout.write(f"  {key:<16} {value}")
        activity = ", ".join(
            f"{v} {k.replace('_', ' ')}" for k, v in data["activity_since"].items()
        )
        self.stdout.write(f"  activity         {activity}")
        for title, rows in (
            ("Warnings", [w["message"] for w in data["warnings"]]),
            (
                "Commitments",
                [f"{c['what']} (by {c['due']}): {c['state']}" for c in data["commitments"]],
            ),
            (
                "Action items",
                [f"{a['text']} — {a['owner']} by {a['due']}" for a in data["actions"]],
            ),
            ("Added", data["items"]),
        ):
            self.stdout.write(f"{title}:" + ("" if rows else " none"))
            for row in rows:
                self.stdout.write(f"  - {row}")
        if data["diagnosis"]:
            self.stdout.write(f"Diagnosis: {data['diagnosis']}")
        if data["last_notes"]:
            self.stdout.write(f"Last time: {data['last_notes']}")
