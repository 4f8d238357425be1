"""Background tasks of the jobs app (housekeeping of the queue itself, and a ping)."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from accountable.core.planner import planner_statistics_refresh
from accountable.jobs.models import ScheduledRun

KEEP_FOR = timedelta(days=30)


@task()
def prune_task_results() -> dict[str, int]:
    """Delete finished task results and schedule records older than 30 days."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - KEEP_FOR
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    runs, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    return {"task_results": results, "scheduled_runs": runs}


@task()
def planner_statistics() -> str:
    """Refresh the query planner's statistics (see core/planner.py)."""
    planner_statistics_refresh()
    return "statistics refreshed"


@task()
def ping() -> dict[str, str | int]:
    """Answer with the host and process id of the worker that ran it.

    `accountable queue ping` enqueues a few and counts who answered: proof that
    the workers of a deployment are alive and take tasks from the queue.
    """
    return {"host": socket.gethostname(), "pid": os.getpid()}
