"""Targets (quotas): for a person or a team, on one metric of the catalogue and one
period (SPEC §3). Set, split, allocated and suggested by the goals app's services; read
by the scorecards to pace and attain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accountable.targets.catalogue import CATALOGUE

METRIC_CHOICES = [(m.key, m.label) for m in CATALOGUE]


def one_owner(name: str) -> models.CheckConstraint:
    """A target or goal belongs to a person or to a team: exactly one of the two."""
    return models.CheckConstraint(
        condition=Q(person__isnull=False, team__isnull=True)
        | Q(person__isnull=True, team__isnull=False),
        name=name,
    )


class Target(models.Model):
    """A quota for exactly one owner — a person or a team — on one metric and period.

    `period` is the calendar label (`2026-Q3`); `period_start`/`period_end` are
    stored with it so that reads need no calendar arithmetic. `product_line` and
    `deal_type` narrow the target (blank = every product line / every deal type),
    so "revenue from new business on GTX" is its own target beside overall revenue.
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
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES)
    period = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    product_line = models.CharField(max_length=100, blank=True, default="")
    deal_type = models.CharField(max_length=16, blank=True, default="")
    value = models.DecimalField(max_digits=16, decimal_places=2)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "goals_target"  # made by the goals app, before targets had their own
        ordering = ["period_start", "metric"]
        constraints = [
            one_owner("target_has_one_owner"),
            models.UniqueConstraint(
                fields=["person", "metric", "period", "product_line", "deal_type"],
                condition=Q(person__isnull=False),
                name="one_target_per_person_metric_period",
            ),
            models.UniqueConstraint(
                fields=["team", "metric", "period", "product_line", "deal_type"],
                condition=Q(team__isnull=False),
                name="one_target_per_team_metric_period",
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "period_start", "period_end"]),
            # Everyone's targets on a metric for a period and its parts (the roll-up).
            models.Index(fields=["metric", "period"]),
        ]

    def __str__(self) -> str:
        scope = " ".join(x for x in (self.product_line, self.deal_type) if x)
        scope = f" ({scope})" if scope else ""
        return f"{self.person or self.team} {self.metric}{scope} {self.period}: {self.value}"

    @property
    def owner(self):
        return self.person or self.team
