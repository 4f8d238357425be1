"""The day a UTC moment falls on in the current zone, cut in SQL, is Python's own day for
it: around every change of clocks, in zones with odd offsets, over a whole year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models.functions import TruncDate
from django.utils import timezone

from accountable.core.local_day import local_day, offset_changes
from accountable.crm.models import Activity

pytestmark = pytest.mark.django_db

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",  # clocks change by half an hour
    "Asia/Kolkata",  # +05:30, no changes
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -03:30 / -02:30
    "UTC",
]


def moments(zone: ZoneInfo) -> list[datetime]:
    """Every 7 hours through 2026, and a minute, an hour and a second either side of
    each change of the zone's offset."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    found = [start + timedelta(hours=7 * n) for n in range(365 * 24 // 7)]
    for since, _ in offset_changes(zone, date(2026, 1, 1), date(2026, 12, 31))[1:]:
        for step in (timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1)):
            found += [since - step, since, since + step]
    return found


@pytest.mark.parametrize("name", ZONES)
def test_the_sql_day_is_pythons_day(org, name):
    zone = ZoneInfo(name)
    when = moments(zone)
    Activity.objects.bulk_create(
        Activity(external_id=f"D{n}", person=org.rep, kind="call", channel="phone", occurred_at=at)
        for n, at in enumerate(when)
    )
    timezone.activate(zone)
    try:
        got = dict(
            Activity.objects.annotate(
                day=local_day("occurred_at", date(2026, 1, 1), date(2026, 12, 31))
            ).values_list("occurred_at", "day")
        )
    finally:
        timezone.deactivate()
    wrong = {at: day for at, day in got.items() if day != at.astimezone(zone).date()}
    assert not wrong
    assert len(got) == len(set(when))


def test_the_changes_of_a_year_in_london():
    changes = offset_changes(ZoneInfo("Europe/London"), date(2026, 1, 1), date(2026, 12, 31))
    assert changes == [
        (datetime(2026, 1, 1, tzinfo=UTC), timedelta(0)),
        (datetime(2026, 3, 29, 1, tzinfo=UTC), timedelta(hours=1)),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), timedelta(0)),
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL cuts days itself")
def test_without_its_days_sqlite_falls_back_to_djangos_function():
    timezone.activate(ZoneInfo("Europe/London"))
    try:
        assert isinstance(local_day("occurred_at"), TruncDate)
        assert not isinstance(
            local_day("occurred_at", date(2026, 1, 1), date(2026, 2, 1)), TruncDate
        )
    finally:
        timezone.deactivate()
