"""Targets (quotas): what a person or a team is to reach on a metric in a period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accountable.goals.catalogue import CATALOGUE


class Target(models.Model):
    """A quota for exactly one owner — a person or a team — on one metric and period.

    `period` is the calendar label (`2026-Q3`); `period_start`/`period_end` are
    stored with it so that reads need no calendar arithmetic.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    metric = models.CharField(max_length=40, choices=[(m.key, m.label) for m in CATALOGUE])
    period = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=2)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period_start", "metric"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, team__isnull=True)
                | Q(person__isnull=True, team__isnull=False),
                name="target_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["person", "metric", "period"],
                condition=Q(person__isnull=False),
                name="one_target_per_person_metric_period",
            ),
            models.UniqueConstraint(
                fields=["team", "metric", "period"],
                condition=Q(team__isnull=False),
                name="one_target_per_team_metric_period",
            ),
        ]
        indexes = [models.Index(fields=["metric", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.person or self.team} {self.metric} {self.period}: {self.value}"

    @property
    def owner(self):
        return self.person or self.team
