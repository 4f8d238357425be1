"""Assembling a review packet for a reader: who may have whose, and the sections in order.

A packet is about one person and one period as of one day. Who may read it is the
ability `see_packets` (`org.abilities`): the person their own, a manager their people's
and the teams below, an executive and an admin everyone's; a rep never another rep's
(404, in the same words whether the person exists or not).

Private check-in notes are in a packet only when the reader asks for them and may read
them (the person's manager chain and admins, never the person: the check-ins' rule). The
default packet carries none, so it can be handed to the person; one with them says so
on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accountable.org import abilities
from accountable.org.calendar import FiscalCalendar, Period, PeriodError, parse_date
from accountable.org.models import Person
from accountable.org.services import organisation_get
from accountable.packets.sections import SECTIONS, Section, Subject, may_read_private
from accountable.scorecards.selectors import period_default_as_of


@dataclass(frozen=True)
class Packet:
    """A prepared packet: its sections in order and when its data was read."""

    person: Person
    period: Period
    as_of: date
    read_at: datetime
    prepared_by: Person
    private: bool
    currency: str
    sections: list[Section]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def file_name(self) -> str:
        who = self.person.email.split("@")[0].replace(".", "-")
        kind = "-confidential" if self.private else ""
        return f"packet-{who}-{self.period.label}{kind}.pdf"


def packet_person(viewer: Person, pk: int) -> Person:
    """The person whose packet the viewer asks for (404 for anyone out of their reach)."""
    if not abilities.may(viewer, abilities.SEE_PACKETS):
        raise PermissionDenied("Your role does not prepare review packets.")
    found = abilities.people(viewer, abilities.SEE_PACKETS).filter(pk=pk).first()
    if found is None:
        raise Http404("No such person among those whose packets you may prepare.")
    return found


def packet_span(
    calendar: FiscalCalendar, period: str, as_of: str, today: date
) -> tuple[Period, date]:
    """The period (a label: 2026-Q4, 2026-11, 2026, 2026-W45; blank: this quarter) and the
    as-of day (blank: today, or the period's last day once it is over). Raises
    PeriodError with a message to show."""
    chosen = calendar.parse(period.strip()) if period.strip() else calendar.period("quarter", today)
    day = parse_date(as_of) if as_of.strip() else period_default_as_of(chosen, today)
    if day < chosen.start:
        raise PeriodError(f"{chosen.label} starts on {chosen.start:%-d %b %Y}, after {day}.")
    return chosen, day


def packet_get(
    viewer: Person,
    person: Person,
    *,
    period: Period,
    as_of: date,
    private: bool = False,
    today: date | None = None,
) -> Packet:
    """The packet of `person` for `period` as of `as_of`, as the viewer may read it."""
    if not abilities.may(viewer, abilities.SEE_PACKETS, person):
        raise Http404("No such person among those whose packets you may prepare.")
    read_at = timezone.now()
    subject = Subject(
        viewer=viewer,
        person=person,
        period=period,
        as_of=as_of,
        today=today or timezone.localdate(),
        private=private and may_read_private(viewer, person),
    )
    sections = [found for make in SECTIONS if (found := make(subject)) is not None]
    return Packet(
        person=person,
        period=period,
        as_of=as_of,
        read_at=read_at,
        prepared_by=viewer,
        private=subject.private,
        currency=organisation_get().currency,
        sections=sections,
    )


__all__ = ["Packet", "PeriodError", "packet_get", "packet_person", "packet_span"]
