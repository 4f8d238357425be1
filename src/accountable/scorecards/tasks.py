"""Background work of the scorecards: rebuilding the rollups when the organisation's
time zone changes (the day each activity counts on may move; see `org.zone`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from accountable.scorecards.rollups import rebuild


@task()
def rollups_rebuild() -> dict[str, int]:
    """Rebuild the rollups in the organisation's zone (the worker runs every task in it),
    then judge today again: the signals read the same days."""
    from accountable.signals.models import SignalRun
    from accountable.signals.services import signals_run

    rows = rebuild()
    signals_run(as_of=timezone.localdate(), trigger=SignalRun.Trigger.MANUAL)
    return rows
