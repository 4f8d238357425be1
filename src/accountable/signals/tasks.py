"""Background runs of the warning engine: nightly, and after every applied import.

Thin wrappers around `services.signals_run`. The nightly one is scheduled by
`jobs.schedule.PERIODIC_JOBS` and also prunes old stored assessments; the other is
enqueued on commit by the import pipeline. Both judge the organisation's today.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

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
def signals_after_import() -> dict[str, int]:
    """Run the engine for today, after an import changed the sales data."""
    return _run(SignalRun.Trigger.IMPORT)


def signals_after_import_enqueue() -> None:
    """Enqueue a run once the current transaction (the import) has committed."""
    transaction.on_commit(signals_after_import.enqueue)
