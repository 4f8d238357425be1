"""Background runs of the warning engine: nightly, and after the sales data changed.

Thin wrappers around `services.signals_run`. The nightly one is scheduled by
`jobs.schedule.PERIODIC_JOBS` and also prunes old stored assessments; the other follows
every announced change of the sales data (`core.changes`, subscribed in the app's
configuration) and is enqueued once its transaction has committed, once however many
changes it announced. Both judge the organisation's today.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accountable.core.changes import Changed
from accountable.signals.models import SignalRun
from accountable.signals.services import assessments_prune, signals_run


def _run(trigger: str) -> dict[str, int]:
    return signals_run(as_of=timezone.localdate(), trigger=trigger).counts


@task()
def signals_nightly() -> dict[str, int]:
    """Run the engine for today, every night, then forget old assessments
    (`services.assessments_prune`)."""
    counts = _run(SignalRun.Trigger.NIGHTLY)
    counts["assessments_pruned"] = assessments_prune(today=timezone.localdate())
    return counts


@task()
def signals_after_change() -> dict[str, int]:
    """Run the engine for today, after a write changed the sales data."""
    return _run(SignalRun.Trigger.CHANGE)


def _enqueue() -> None:
    signals_after_change.enqueue()


def signals_follow(changed: Changed) -> None:
    """Enqueue a run once the current transaction has committed: once, however many
    changes the transaction announces (an import of deals and activities announces
    two)."""
    connection = transaction.get_connection()
    if any(callback is _enqueue for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue)
