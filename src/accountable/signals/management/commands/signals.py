"""`accountable signals`: the live warnings, as JSON or a table.

    accountable signals                       # runs the engine first if it has not run today
    accountable signals --run --as-of 2026-08-17 --format table
    accountable signals --person rep@acme.test --status all
    accountable signals --thresholds                      # the thresholds in effect
    accountable signals --set complaints_count=3 --actor admin@acme.test

The engine runs first when it has not run for `--as-of` yet (nightly runs and
runs after imports count), or always with `--run`.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from accountable.org.models import Person, Role
from accountable.signals.commandline import (
    add_common,
    as_of_from,
    organisation_viewer,
    person_from,
    write,
)
from accountable.signals.models import SignalRun
from accountable.signals.selectors import STATUS_FILTERS, run_latest, thresholds_get, warning_list
from accountable.signals.services import SignalsError, signals_run, thresholds_update


def warning_row(warning) -> dict:
    return {
        "person": warning.person.email,
        "kind": warning.kind,
        "severity": warning.severity,
        "period": warning.period,
        "status": warning.status,
        "message": warning.message,
        "evidence": warning.evidence,
    }


class Command(BaseCommand):
    help = "List warnings (open and acknowledged by default), running the engine if needed."

    def add_arguments(self, parser):
        add_common(parser)
        parser.add_argument("--run", action="store_true", help="Run the engine first, always.")
        parser.add_argument("--status", choices=list(STATUS_FILTERS), default="live")
        parser.add_argument(
            "--thresholds", action="store_true", help="Show the thresholds in effect and stop."
        )
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Change a threshold (admins; VALUE 'default' restores it). Repeatable.",
        )
        parser.add_argument("--actor", default="", help="The admin making the change (e-mail).")

    def handle(self, *args, as_of, format, person, run, status, **options):
        if options["set"]:
            self._set(options["set"], options["actor"])
        if options["set"] or options["thresholds"]:
            self.stdout.write(json.dumps(thresholds_get().as_dict(), indent=2))
            return
        day = as_of_from(as_of)
        who = person_from(person)
        if run or run_latest(day) is None:
            result = signals_run(as_of=day, trigger=SignalRun.Trigger.MANUAL)
            if format == "table":
                counts = result.counts
                self.stderr.write(
                    f"Ran the engine for {day}: {counts['people']} people, {counts['opened']} "
                    f"opened, {counts['updated']} updated, {counts['resolved']} resolved."
                )
        warnings = warning_list(organisation_viewer(), statuses=STATUS_FILTERS[status], person=who)
        rows = [warning_row(w) for w in warnings]
        write(
            self.stdout,
            rows,
            format,
            [
                ("person", 30),
                ("kind", 19),
                ("severity", 8),
                ("period", 8),
                ("status", 12),
                ("message", 0),
            ],
        )

    def _set(self, pairs: list[str], actor_email: str) -> None:
        changes: dict[str, object] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep:
                raise CommandError(f'Write the change as NAME=VALUE, not "{pair}".')
            changes[name.strip()] = None if value.strip() == "default" else value.strip()
        actor = (
            Person.objects.filter(email__iexact=actor_email.strip()).first()
            if actor_email
            else Person.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("No such person to act as; pass --actor with an admin's e-mail.")
        try:
            thresholds_update(actor=actor, changes=changes)
        except SignalsError as error:
            raise CommandError(str(error)) from error
