"""The RQ worker `accountable worker` runs when the queue is on Redis.

Used only with TASKS_BACKEND=django_tasks_rq.RQBackend (see settings.py).
"""

from __future__ import annotations

from django.db import close_old_connections
from rq import SimpleWorker
from rq.job import Job
from rq.queue import Queue


class TaskWorker(SimpleWorker):
    """Runs each task in the worker's own process, as the database worker does.

    RQ's default worker forks a process per task; this one does not, so a fork
    never copies the periodic scheduling thread half-way through its work, and
    a task's process id is the worker's (what `accountable queue ping` shows).
    A long-lived process must not keep a database connection that went stale
    (a database restart, CONN_MAX_AGE): it is checked before and after each task,
    as Django does around each request.
    """

    def execute_job(self, job: Job, queue: Queue) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()

    def unsubscribe(self) -> None:
        # RQ listens for its commands in a thread that waits on Redis up to 60 s at a
        # time, and redis-py 8's PubSubWorkerThread.stop() waits for that thread: a
        # SIGTERM took a minute to stop an idle worker. Trip the thread's flag first;
        # Redis' answer to the unsubscribe then wakes it, and it ends at once.
        if self.pubsub_thread:
            self.pubsub_thread.stop(timeout=0)
            self.pubsub.unsubscribe()
            self.pubsub_thread.join(timeout=2)
            self.pubsub.close()
