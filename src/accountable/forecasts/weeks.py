"""Forecast weeks and their deadlines.

A forecast week is a week of the organisation's calendar (it starts on the
organisation's first weekday). Its submissions are due by its deadline —
`FORECAST_DEADLINE_DAY` (days after the week's first day; 4: the fifth day, a Friday
for a Monday week) at `FORECAST_DEADLINE_TIME`, in the organisation's time zone — and
lock then. Until the deadline a person submits for this week; after it, for the next.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accountable.org.calendar import Kind
from accountable.org.services import organisation_get
from accountable.org.zone import zone_of

DEADLINE_DAY = 4
DEADLINE_TIME = time(17, 0)


def week_of(day: date) -> date:
    """The first day of the calendar week holding `day`."""
    return organisation_get().calendar.period(Kind.WEEK, day).start


def deadline(week: date) -> datetime:
    """When the forecasts of the week starting on `week` lock."""
    days = int(getattr(settings, "FORECAST_DEADLINE_DAY", DEADLINE_DAY))
    at = getattr(settings, "FORECAST_DEADLINE_TIME", DEADLINE_TIME)
    zone = zone_of(organisation_get().time_zone)
    return datetime.combine(week + timedelta(days=days), at, tzinfo=zone)


def is_locked(week: date, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= deadline(week)


def open_week(now: datetime | None = None) -> date:
    """The week a submission made now is for: this week, or the next once this week's
    deadline has passed."""
    now = now or timezone.now()
    week = week_of(timezone.localdate(now))
    return week if not is_locked(week, now) else week_of(week + timedelta(days=7))
