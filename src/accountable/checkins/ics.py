"""The calendar invite of a check-in (RFC 5545, through the `icalendar` package).

Each meeting is one event, its UID the check-in's own: a new time is the same event
with a higher SEQUENCE (METHOD:REQUEST), a cancellation the same event CANCELLED
(METHOD:CANCEL), so a calendar program that has the invite updates or removes it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from accountable.checkins.models import CheckIn, CheckinState

PRODID = "-//Accountable//Check-ins//EN"


def _address(person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    return address


def invite(checkin: CheckIn) -> bytes:
    """The .ics of the meeting as it stands: its request, or its cancellation."""
    cancelled = checkin.state == CheckinState.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{checkin.uid}@accountable")
    event.add("sequence", checkin.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", checkin.starts_at)
    event.add("dtend", checkin.starts_at + timedelta(minutes=checkin.minutes))
    event.add("summary", f"1:1 {checkin.person.name} · {checkin.manager.name}")
    event.add("description", "Check-in. The agenda is prepared in Accountable.")
    if checkin.location:
        event.add("location", checkin.location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _address(checkin.manager)
    attendee = _address(checkin.person)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
