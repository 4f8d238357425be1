"""Days are the organisation's: today, and the day an activity counts on, are cut in its
time zone (an admin setting), not the server's (TIME_ZONE, UTC here)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accountable.cli import main
from accountable.crm.upsert import activities_upsert
from accountable.org import zone
from accountable.org.services import organisation_get, organisation_update
from accountable.scorecards import rollups
from accountable.scorecards.models import ActivityRollup, Grain
from tests.scorecards.conftest import activity

pytestmark = pytest.mark.django_db

AUCKLAND = "Pacific/Auckland"  # UTC+12 in August
LATE = datetime(2026, 8, 17, 20, 30, tzinfo=UTC)  # Tuesday 18 August, 08:30, in Auckland


def zone_set(name: str) -> None:
    """Change the zone behind the service's back (no rebuild, no forgetting)."""
    organisation = organisation_get()
    organisation.time_zone = name
    organisation.save()


def days_stored(person) -> list[date]:
    return list(
        ActivityRollup.objects.filter(person=person, grain=Grain.DAY).values_list(
            "start", flat=True
        )
    )


def test_a_request_runs_in_the_organisations_zone(client, org):
    client.force_login(org.manager)
    with time_machine.travel(LATE, tick=False):
        assert client.get(reverse("scorecards:board")).context["as_of"] == date(2026, 8, 17)
        zone_set(AUCKLAND)
        zone.zone_forget()
        assert client.get(reverse("scorecards:board")).context["as_of"] == date(2026, 8, 18)
    assert timezone.get_current_timezone_name() == "UTC"  # and only the request


def test_an_activity_counts_on_the_organisations_day(org):
    zone_set(AUCKLAND)
    zone.organisation_zone_activate()
    activities_upsert([activity("Z1", org.rep, LATE)])
    assert days_stored(org.rep) == [date(2026, 8, 18)]
    rollups.rebuild()
    assert days_stored(org.rep) == [date(2026, 8, 18)]


# The worker closes stale connections between tasks: that needs real transactions.
@pytest.mark.django_db(transaction=True)
def test_changing_the_zone_rebuilds_the_rollups_in_it(org):
    activities_upsert([activity("Z1", org.rep, LATE)])
    assert days_stored(org.rep) == [date(2026, 8, 17)]
    DBTaskResult.objects.all().delete()  # the run the activity itself queued
    organisation_update(actor=org.admin, time_zone=AUCKLAND)  # enqueued at its commit
    queued = DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", flat=True)
    # the rollups are rebuilt first, then the warnings judge again from them
    assert list(queued) == [
        "accountable.scorecards.tasks.rollups_rebuild",
        "accountable.signals.tasks.signals_after_change",
    ]
    timezone.deactivate()  # the worker's own zone is the server's...
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    # ...but it ran the task in the organisation's, as it now is
    assert timezone.get_current_timezone_name() == AUCKLAND
    assert days_stored(org.rep) == [date(2026, 8, 18)]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_same_zone_again_rebuilds_nothing(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(actor=org.admin, name="Acme Two")
    assert not DBTaskResult.objects.exists()


def test_a_process_reads_the_zone_once_a_minute(org, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(zone.time, "monotonic", lambda: clock[0])
    assert zone.organisation_zone_name() == "UTC"
    zone_set(AUCKLAND)
    assert zone.organisation_zone_name() == "UTC"  # trusted for a minute
    assert zone.organisation_zone_name(fresh=True) == AUCKLAND
    zone_set("Europe/London")
    clock[0] += zone.TRUST_SECONDS + 1
    assert zone.organisation_zone_name() == "Europe/London"


def test_with_no_database_yet_the_servers_zone(monkeypatch):
    timezone.activate(zone.zone_of(AUCKLAND))

    def unreadable(**kwargs):
        raise OperationalError("no such table: org_organisation")

    monkeypatch.setattr(zone, "organisation_zone_name", unreadable)
    zone.organisation_zone_activate()
    assert timezone.get_current_timezone_name() == "UTC"


def test_unknown_zone_names_are_utc():
    assert str(zone.zone_of("Mars/Olympus")) == "UTC"
    assert str(zone.zone_of("")) == "UTC"


def test_the_settings_page_says_the_scorecards_follow(client, org):
    client.force_login(org.admin)
    form = {
        "name": "Acme",
        "currency": "USD",
        "time_zone": AUCKLAND,
        "fiscal_year_start_month": 1,
        "week_start_day": 0,
        "working_days": [0, 1, 2, 3, 4],
    }
    response = client.post(reverse("org:settings"), form, follow=True)
    assert "Days are now cut in the new time zone" in response.content.decode()
    response = client.post(reverse("org:settings"), form, follow=True)
    assert "Days are now cut" not in response.content.decode()  # unchanged: nothing to redo


def test_commands_run_in_the_organisations_zone(org, capsys):
    zone_set(AUCKLAND)
    with time_machine.travel(LATE, tick=False):
        main(["shell", "-c", "from django.utils import timezone; print(timezone.localdate())"])
    assert capsys.readouterr().out.splitlines()[-1] == "2026-08-18"
