"""Rollups the scorecards read instead of raw activities and deals, and role scorecards.

Rollups are sums kept per person at three grains — a day, a week (Monday to Sunday,
as `TruncWeek` counts it) and a calendar month — so that a quarter for a thousand reps
reads a few rows per person (three months, a few weeks and days at the edges), never
the raw activities. They are derived data: `scorecards.rollups` rebuilds them from
scratch and refreshes the (person, day) keys every write touches, in the same
transaction. A person with nothing on a day has no row.

Which date decides the day: an activity's `occurred_at` (in the server's time zone,
like `goals.actuals`), a won or lost deal's `closed_on`, a deal's `created_on` for
pipeline created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accountable.org.models import Role
from accountable.targets.models import METRIC_CHOICES


class Grain(models.TextChoices):
    DAY = "d", "Day"
    WEEK = "w", "Week (Monday to Sunday)"
    MONTH = "m", "Calendar month"


# The sums each rollup row carries (the columns besides person, grain and start).
ACTIVITY_COLUMNS = [
    "calls",
    "emails",
    "meetings",
    "first_meetings",
    "second_meetings",
    "prospecting",
    "total",
]
OUTCOME_COLUMNS = [
    "won_amount",
    "won_count",
    "won_renewals",
    "lost_amount",
    "lost_count",
    "created_amount",
    "created_count",
    "won_units",
]


class ActivityRollup(models.Model):
    """What a person did in one day, week or month: calls, e-mails, meetings (first and
    second meetings with an account among them), prospecting touches, and all activities.

    `start` is the day, the Monday of the week, or the first of the month.
    """

    # No index of its own: the (person, grain, start) index serves it.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    calls = models.PositiveIntegerField(default=0)
    emails = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)
    first_meetings = models.PositiveIntegerField(default=0)
    second_meetings = models.PositiveIntegerField(default=0)
    prospecting = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "person"], name="activity_rollup_one_per_key"
            )
        ]
        indexes = [models.Index(fields=["person", "grain", "start"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.grain} {self.start}: {self.total} activities"


class OutcomeRollup(models.Model):
    """The deals a person won, lost and opened in one day, week or month, credited by
    split share: `won_amount` is the person's share of each won deal's amount; the
    counts give one deal to every person credited with a share (see docs/scorecards.md).
    """

    # No index of its own: the (person, grain, start) index serves it.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    won_amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    won_count = models.PositiveIntegerField(default=0)
    won_renewals = models.PositiveIntegerField(default=0)
    lost_amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    lost_count = models.PositiveIntegerField(default=0)
    created_amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    created_count = models.PositiveIntegerField(default=0)
    # The quantity of the deals won, credited by split share (units sold).
    won_units = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "person"], name="outcome_rollup_one_per_key"
            )
        ]
        indexes = [models.Index(fields=["person", "grain", "start"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.grain} {self.start}: won {self.won_amount}"


class MetricKind(models.TextChoices):
    ACTIVITY = "activity", "Activity (what people do)"
    OUTCOME = "outcome", "Outcome (what they achieve)"


class RoleScorecard(models.Model):
    """One metric on a role's weighted scorecard: whether it counts as an activity or an
    outcome, and its weight. A person's activity score and outcome score are the weighted
    mean of their attainment on these metrics against pace (100 = on target)."""

    role = models.CharField(max_length=20, choices=Role.choices)
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES)
    kind = models.CharField(max_length=10, choices=MetricKind.choices)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["role", "kind", "-weight", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["role", "metric"], name="role_scorecard_metric_once"),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="role_scorecard_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.metric} ({self.kind}) weight {self.weight}"
