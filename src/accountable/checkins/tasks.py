"""The check-ins' daily work: reporting cadences reviewed after the warnings run, and
the morning's reminders."""

from __future__ import annotations

from django_tasks import task

from accountable.checkins.reminders import send_reminders
from accountable.checkins.self_reports import cadence_review


@task()
def cadence_nightly() -> dict[str, int]:
    return cadence_review()


@task()
def reminders_daily() -> dict[str, int]:
    return {"sent": send_reminders()}
