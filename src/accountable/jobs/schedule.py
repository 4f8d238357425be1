"""Periodic jobs, scheduled by the worker itself so the embedded setup needs no cron.

Each job names a task and when it runs in the organisation's time zone:
`daily` at a time, or `weekly` on a weekday at a time. The worker calls
`enqueue_due` every few seconds; a slot already enqueued (by this worker or
another) is skipped thanks to ScheduledRun's unique constraint.

Later capabilities add their jobs to PERIODIC_JOBS (nightly scans, digests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from accountable.jobs.models import ScheduledRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str  # dotted path of a django-tasks task
    at: time
    weekday: int | None = None  # None: every day; 0 = Monday
    # A slot missed (worker down) is still run if the worker comes back within this window.
    catch_up: timedelta = timedelta(hours=6)

    def last_slot(self, now: datetime, tz: ZoneInfo) -> datetime:
        """The latest time this job was due at or before `now`."""
        local = now.astimezone(tz)
        slot = datetime.combine(local.date(), self.at, tzinfo=tz)
        if self.weekday is None:
            return slot if slot <= local else slot - timedelta(days=1)
        slot -= timedelta(days=(local.weekday() - self.weekday) % 7)
        return slot if slot <= local else slot - timedelta(days=7)


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob("prune-task-results", "accountable.jobs.tasks.prune_task_results", time(3, 15)),
    # Commitments fallen due are judged before the warnings read them.
    PeriodicJob(
        "commitments-nightly",
        "accountable.commitments.tasks.commitments_nightly",
        time(2, 15),
    ),
    PeriodicJob("catch-ups-nightly", "accountable.plans.tasks.catch_ups_nightly", time(2, 20)),
    PeriodicJob("signals-nightly", "accountable.signals.tasks.signals_nightly", time(2, 30)),
    # After the warnings: who is struggling decides whose cadence is proposed shorter.
    PeriodicJob("cadence-review", "accountable.checkins.tasks.cadence_nightly", time(2, 45)),
    PeriodicJob("reminders", "accountable.checkins.tasks.reminders_daily", time(7, 0)),
    PeriodicJob("planner-statistics", "accountable.jobs.tasks.planner_statistics", time(3, 45)),
    PeriodicJob("imports-stalled", "accountable.imports.tasks.imports_stalled_fail", time(4, 0)),
]


def enqueue_due(now: datetime, tz: ZoneInfo, jobs: list[PeriodicJob] | None = None) -> list[str]:
    """Enqueue every job whose latest slot has not been enqueued yet; return their names."""
    enqueued = []
    for job in PERIODIC_JOBS if jobs is None else jobs:
        slot = job.last_slot(now, tz)
        if now - slot > job.catch_up:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = import_string(job.task_path).enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # this slot was already enqueued
        enqueued.append(job.name)
    return enqueued
