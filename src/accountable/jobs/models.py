"""Bookkeeping for the worker's own schedule."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One firing of a periodic job for one time slot (e.g. the nightly scan of 2026-08-17).

    The unique (job, slot) pair means that however many workers run, a slot's
    job is enqueued once.
    """

    job = models.CharField(max_length=80)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
