"""`accountable commitments add|list|judge`: commitments from the shell, through the
same services and selectors as the pages and the API.

    accountable commitments add --person rep@acme.test --metric first_meetings --value 6 \\
        --start 2026-09-14 --due 2026-09-18
    accountable commitments add --person rep@acme.test --deal OPP-1001 --due 2026-09-30
    accountable commitments add --person rep@acme.test --text "Send the Globex proposal" \\
        --due 2026-09-18 --format json
    accountable commitments list --person rep@acme.test --state overdue missed --format json
    accountable commitments judge --as-of 2026-09-21

The command line is the system: it records for anyone (the audit trail names no
actor) and lists everyone's commitments. `list` first judges what fell due by the
day it lists (never a day still to come), so the states it shows are current.

Exit status 2 when the input is wrong (an unknown person or deal, a date that is not
one, a commitment that cannot be made): the reason goes to stderr and nothing is
written; with `--format json` stdout holds {"error": reason}.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand
from django.utils import timezone

from accountable.commitments import selectors, services
from accountable.commitments.errors import CommitmentError
from accountable.commitments.judge import DUE_SOON, OVERDUE, standing
from accountable.commitments.models import State
from accountable.crm.models import Deal
from accountable.org.calendar import PeriodError, parse_date
from accountable.org.models import Person, Role

# How a commitment can stand on a day (`judge.standing`): its stored state, or for an
# open one due soon or overdue.
STANDINGS = [State.OPEN.value, DUE_SOON, OVERDUE, *(s.value for s in State if s != State.OPEN)]
# Columns of the table format: (key, heading).
TABLE = [
    ("id", "ID"),
    ("person", "Person"),
    ("what", "What"),
    ("start", "Start"),
    ("due", "Due"),
    ("state", "State"),
    ("actual", "Actual"),
]


class BadInput(Exception):
    """Input the command cannot act on; the message says why."""


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def commitment_row(item: selectors.Listed) -> dict[str, Any]:
    """One commitment as `list --format json` prints it (the API answers the same)."""
    c = item.commitment
    return {
        "id": c.pk,
        "person": c.person.email,
        "name": c.person.name,
        "kind": c.kind,
        "metric": c.metric or None,
        "value": _money(c.value),
        "deal": c.deal.external_id if c.deal_id and c.deal else None,
        "text": c.text,
        "what": c.what(),
        "start": _day(c.start_on),
        "due": _day(c.due_on),
        "state": item.standing,
        "actual": _money(c.actual),
        "judged_on": _day(c.judged_on),
        "report": c.report,
        "reported_done": c.reported_done,
        "withdrawn_reason": c.withdrawn_reason,
        "created_by": c.created_by.email if c.created_by_id and c.created_by else None,
    }


def organisation_viewer() -> Person:
    """A viewer who sees everyone: the command speaks for the organisation, not for one
    user (an unsaved admin, so no account is needed to run it)."""
    return Person(email="accountable@localhost", name="Accountable", role=Role.ADMIN)


def _date(text: str, what: str) -> date:
    try:
        return parse_date(text)
    except PeriodError as error:
        raise BadInput(f"{what}: {error}") from None


def _person(email: str) -> Person:
    found = Person.objects.filter(email__iexact=email.strip()).first()
    if found is None:
        raise BadInput(f'No person with the e-mail "{email}".')
    return found


def _deal(external_id: str) -> Deal:
    found = Deal.objects.filter(external_id=external_id.strip()).first()
    if found is None:
        raise BadInput(f'No deal with the external id "{external_id}".')
    return found


def _standing(text: str) -> str:
    # "due soon" is two words on the command line, or due_soon / due-soon.
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> list[str]:
    """Rows as aligned text columns, headed; a missing value shows as a dash."""
    cells = [[heading for _, heading in columns]]
    cells += [["—" if row[key] is None else str(row[key]) for key, _ in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in cells
    ]


def _subcommand(sub, name: str, says: str):
    return sub.add_parser(name, help=says, description=says)


class Command(BaseCommand):
    help = (
        "Commitments: add one for a person (a metric and a value over a span, a deal, or a "
        "text, by a due date), list them with how each stands, or judge those fallen due."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = _subcommand(
            sub,
            "add",
            "Record a commitment for a person: --metric KEY --value N, --deal EXTERNAL_ID or "
            "--text TEXT (one of them), due on --due. Prints the commitment made.",
        )
        add.add_argument("--person", required=True, help="Whose commitment (an e-mail).")
        add.add_argument(
            "--metric",
            default="",
            help="A metric key (first_meetings, calls, …); goes with --value. One of: "
            + ", ".join(services.commitment_metrics()),
        )
        add.add_argument("--value", default=None, help="How many, or how much, of the metric.")
        add.add_argument("--deal", default="", help="The external id of a deal to win.")
        add.add_argument("--text", default="", help="The promise in words (300 characters).")
        add.add_argument("--due", required=True, help="The due date (YYYY-MM-DD).")
        add.add_argument(
            "--start", default="", help="A metric's span starts here (YYYY-MM-DD; default today)."
        )
        listing = _subcommand(
            sub,
            "list",
            "Everyone's commitments (or one person's), soonest due first, with how each "
            "stands on --as-of. Judges first what fell due by then (up to today), so the "
            "states are current.",
        )
        listing.add_argument("--person", default="", help="Only this person's (an e-mail).")
        listing.add_argument(
            "--as-of", default="", help="The day they stand on (YYYY-MM-DD; default today)."
        )
        listing.add_argument(
            "--state",
            nargs="+",
            default=[],
            type=_standing,
            choices=STANDINGS,
            metavar="STANDING",
            help="Only these: " + ", ".join(STANDINGS) + ' ("due soon" or due_soon).',
        )
        judge = _subcommand(
            sub,
            "judge",
            "Judge the metric and deal commitments whose due day is over by --as-of "
            "(default today; never a later day) and say how many changed.",
        )
        judge.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today).")
        for p in (add, listing, judge):
            p.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action: str, format: str, **options):
        try:
            if action == "add":
                self._add(format, options)
            elif action == "list":
                self._list(format, options)
            else:
                self._judge(format, options)
        except (BadInput, CommitmentError, PermissionDenied) as error:
            self._fail(str(error), format)

    def _fail(self, message: str, format: str) -> NoReturn:
        if format == "json":
            self.stdout.write(json.dumps({"error": message}))
        self.stderr.write(message)
        sys.exit(2)

    def _as_of(self, text: str) -> date:
        return _date(text, "--as-of") if text else timezone.localdate()

    def _add(self, format: str, options: dict[str, Any]) -> None:
        person = _person(options["person"])
        due_on = _date(options["due"], "--due")
        start_on = _date(options["start"], "--start") if options["start"] else None
        commitment = services.commitment_add(
            actor=None,
            person=person,
            due_on=due_on,
            text=options["text"],
            metric=options["metric"],
            value=options["value"],
            deal=_deal(options["deal"]) if options["deal"].strip() else None,
            start_on=start_on,
        )
        today = timezone.localdate()
        row = commitment_row(selectors.Listed(commitment, standing(commitment, today)))
        if format == "json":
            self.stdout.write(json.dumps(row))
            return
        self.stdout.write(f"Recorded commitment {commitment.pk} of {person}:")
        for line in table([row], TABLE):
            self.stdout.write(line)

    def _list(self, format: str, options: dict[str, Any]) -> None:
        as_of = self._as_of(options["as_of"])
        person = _person(options["person"]) if options["person"].strip() else None
        # Days still to come cannot be judged: a verdict stored for them would stand
        # until the nightly run judged them again.
        services.commitments_judge(
            today=min(as_of, timezone.localdate()),
            people=[person.pk] if person is not None else None,
        )
        listed = selectors.commitment_list(
            organisation_viewer(), as_of=as_of, person=person, standings=options["state"]
        )
        rows = [commitment_row(item) for item in listed]
        if format == "json":
            self.stdout.write(json.dumps(rows))
            return
        if not rows:
            self.stdout.write(f"No commitments as of {as_of.isoformat()}.")
            return
        for line in table(rows, TABLE):
            self.stdout.write(line)

    def _judge(self, format: str, options: dict[str, Any]) -> None:
        as_of = min(self._as_of(options["as_of"]), timezone.localdate())
        changed = services.commitments_judge(today=as_of)
        if format == "json":
            self.stdout.write(json.dumps({"as_of": as_of.isoformat(), "changed": changed}))
            return
        self.stdout.write(
            f"Judged the commitments due before {as_of.isoformat()}: {changed} changed."
        )
