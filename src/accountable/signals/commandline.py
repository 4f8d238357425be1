"""What the `signals`, `diagnose` and `rights` commands share: options, look-ups, output."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from accountable.org.calendar import PeriodError, parse_date
from accountable.org.models import Person, Role

__all__ = ["add_common", "as_of_from", "organisation_viewer", "person_from", "write"]


def add_common(parser, *, person: bool = True) -> None:
    parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today)")
    parser.add_argument("--format", choices=["json", "table"], default="json")
    if person:
        parser.add_argument("--person", default="", help="Only this person (an e-mail).")


def as_of_from(text: str) -> date:
    try:
        return parse_date(text) if text else timezone.localdate()
    except PeriodError as error:
        raise CommandError(str(error)) from error


def person_from(email: str) -> Person | None:
    if not email:
        return None
    person = Person.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise CommandError(f'No person with the e-mail "{email}".')
    return person


def organisation_viewer() -> Person:
    """A viewer who sees everyone: the command speaks for the organisation, not for
    one user (an unsaved admin, so no account is needed to run it)."""
    return Person(email="accountable@localhost", name="Accountable", role=Role.ADMIN)


def write(stdout, rows: list[dict[str, Any]], fmt: str, columns: Sequence[tuple[str, int]]) -> None:
    """JSON (a list) or a plain table of `columns` (key, width; the last one runs on)."""
    if fmt == "json":
        stdout.write(json.dumps(rows, indent=2))
        return
    if not rows:
        stdout.write("Nothing to show.")
        return
    stdout.write(" ".join(f"{key:<{width}}" for key, width in columns).rstrip())
    for row in rows:
        stdout.write(" ".join(f"{row.get(key, '')!s:<{width}}" for key, width in columns).rstrip())
