"""The organisation's time zone, active wherever a day is cut.

Today, the day an activity counts on, the week and the month it falls in: all of
them are the organisation's (its admin setting), not the server's (`TIME_ZONE`,
the zone timestamps are kept in). Django cuts days in its *current* time zone, so
the organisation's zone is made current for every request
(`OrganisationTimeZoneMiddleware`), every `accountable` command (`accountable.cli`)
and every task the worker runs (`task_started`, below).

A process reads the zone at most once a minute (`TRUST_SECONDS`); the worker reads
it afresh for every task. When the admin changes it, the scorecards' rollups are
rebuilt in the new zone by a background task (`org.services.organisation_update`).
"""

from __future__ import annotations

import time
from datetime import tzinfo
from zoneinfo import ZoneInfo

from django.db import DatabaseError
from django.utils import timezone

TRUST_SECONDS = 60.0
_read: tuple[float, str] | None = None  # (when, zone name)


def zone_of(name: str) -> tzinfo:
    """The zone of that name; UTC for a blank or unknown one."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def organisation_zone_name(*, fresh: bool = False) -> str:
    """The organisation's time zone, as read at most TRUST_SECONDS ago (or now)."""
    global _read
    now = time.monotonic()
    if fresh or _read is None or now - _read[0] > TRUST_SECONDS:
        # Imported here: the middleware loads this module before the models are ready.
        from accountable.org.models import Organisation

        name = Organisation.objects.order_by("pk").values_list("time_zone", flat=True).first()
        _read = (now, name or "UTC")
    return _read[1]


def zone_forget(**_signal) -> None:
    """Read the zone again next time (it has just changed, or a backup was restored:
    a receiver of `core.backup.restored`)."""
    global _read
    _read = None


def organisation_zone_activate(*, fresh: bool = False) -> None:
    """Make the organisation's zone the current one; the server's, while there is no
    database to read it from (before `accountable migrate`)."""
    try:
        name = organisation_zone_name(fresh=fresh)
    except DatabaseError:
        timezone.deactivate()
        return
    timezone.activate(zone_of(name))


class OrganisationTimeZoneMiddleware:
    """Every request runs in the organisation's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        organisation_zone_activate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def task_started(sender, **kwargs) -> None:
    """Receiver of django-tasks' `task_started`: each task runs in the organisation's zone
    of the moment, read afresh (a task run inline in a request gets the zone the request
    already has)."""
    organisation_zone_activate(fresh=True)
