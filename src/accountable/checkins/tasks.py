"""The check-ins' nightly work: reporting cadences reviewed after the warnings run."""

from __future__ import annotations

from django_tasks import task

from accountable.checkins.self_reports import cadence_review


@task()
def cadence_nightly() -> dict[str, int]:
    return cadence_review()
