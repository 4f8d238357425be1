"""The plans' nightly work: catch-up plans ended once caught up or over."""

from __future__ import annotations

from django_tasks import task

from accountable.plans.services import catch_ups_judge


@task()
def catch_ups_nightly() -> dict[str, int]:
    return {"ended": catch_ups_judge()}
