"""`accountable worker`: runs background tasks and fires the periodic jobs.

It runs the worker of the configured queue: django-tasks-db's for the database
(the default), RQ's when TASKS_BACKEND puts the queue on Redis.
"""

from __future__ import annotations

import logging
import threading
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from accountable.jobs.schedule import enqueue_due
from accountable.org.services import organisation_get

logger = logging.getLogger("accountable.worker")


def schedule_once() -> list[str]:
    tz = ZoneInfo(organisation_get().time_zone)
    return enqueue_due(timezone.now(), tz)


def _schedule_forever(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            for name in schedule_once():
                logger.info("enqueued periodic job %s", name)
        except Exception:  # keep the schedule alive through a passing database error
            logger.exception("periodic scheduling failed")
        finally:
            close_old_connections()
        stop.wait(every)


class Command(BaseCommand):
    help = "Run background tasks (imports, scans, digests) and schedule the periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between polls of the database queue (RQ waits on Redis instead).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued (and due), then exit."
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run tasks; leave periodic jobs to another worker.",
        )
        parser.add_argument("--schedule-every", type=float, default=30.0)

    def handle(self, *args, interval, batch, no_schedule, schedule_every, **options):
        stop = threading.Event()
        if not no_schedule:
            if batch:
                schedule_once()
            else:
                threading.Thread(
                    target=_schedule_forever, args=(stop, schedule_every), daemon=True
                ).start()
        try:
            if settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
                # The queue is on Redis: RQ's worker, with django-tasks-rq's job class,
                # which runs the tasks and records their results for the API. Its
                # scheduler moves deferred tasks (run_after) onto the queue when due,
                # one worker at a time; --interval is unused (RQ waits on Redis).
                call_command(
                    "rqworker",
                    *settings.TASKS["default"]["QUEUES"],
                    worker_class="accountable.jobs.rq_worker.TaskWorker",
                    job_class="django_tasks_rq.Job",
                    burst=batch,
                    with_scheduler=True,
                    verbosity=options["verbosity"],
                )
            else:
                call_command(
                    "db_worker",
                    queue_name="*",
                    interval=interval,
                    batch=batch,
                    reload=False,
                    verbosity=options["verbosity"],
                )
        finally:
            stop.set()
