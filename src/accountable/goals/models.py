"""SMART goals, OKRs and the organisation's goal settings (SPEC §3). Targets (quotas)
are the `targets` app's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accountable.targets.catalogue import BY_KEY, Unit
from accountable.targets.models import METRIC_CHOICES, one_owner

DEFAULT_RAMP = [0.25, 0.5, 0.75]


def default_ramp() -> list[float]:
    return list(DEFAULT_RAMP)


class GoalSettings(models.Model):
    """Organisation-wide settings for targets: the new-hire ramp.

    `ramp` is the fraction of a full quota carried in each month of tenure
    (`[0.25, 0.5, 0.75]`: a quarter in month one … full quota from month four).
    """

    ramp = models.JSONField(default=default_ramp)

    class Meta:
        verbose_name = "goal settings"
        verbose_name_plural = "goal settings"

    def __str__(self) -> str:
        return f"Ramp {self.ramp}"


class GoalStatus(models.TextChoices):
    DRAFT = "draft", "Draft (proposed)"
    ACTIVE = "active", "Active"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class GoalKind(models.TextChoices):
    METRIC = "metric", "A number on a metric"
    MILESTONE = "milestone", "A milestone with a deadline"


class Goal(models.Model):
    """A SMART goal for a person or a team: one metric, one number, one period or deadline;
    or a milestone (`kind="milestone"`): a title, a deadline, done (`done_on`) or not.

    `priority` says which company objective or priority it serves (the R of SMART).
    A goal saved although the SMART check failed has `smart_override` set and the
    reason kept in `override_reason` (and in the audit trail). A rep's own proposal
    is saved as a draft until their manager makes it active.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
    )
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    kind = models.CharField(max_length=10, choices=GoalKind.choices, default=GoalKind.METRIC)
    # A milestone ("complete the enterprise certification by 15 March") has a title,
    # a deadline and is done or not; it has no metric.
    title = models.CharField(max_length=200, blank=True)
    done_on = models.DateField(null=True, blank=True)
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES, blank=True)
    target_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    baseline = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=12, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    objective = models.ForeignKey(
        "goals.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    priority = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    smart_override = models.BooleanField(default=False)
    override_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            one_owner("goal_has_one_owner"),
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="goal_target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        when = self.period or (self.deadline.isoformat() if self.deadline else "")
        if self.kind == GoalKind.MILESTONE:
            return f"{self.title} by {when}".strip()
        return f"{self.get_metric_display()} {self.target_value:,.0f} {when}".strip()

    @property
    def owner(self):
        return self.person or self.team

    @property
    def is_money(self) -> bool:
        """True when the goal is counted in the organisation's currency (revenue, …)."""
        metric = BY_KEY.get(self.metric)
        return metric is not None and metric.unit == Unit.MONEY


class ObjectiveLevel(models.TextChoices):
    COMPANY = "company", "Company"
    TEAM = "team", "Team"
    PERSON = "person", "Person"


class Objective(models.Model):
    """The O of an OKR: what the company, a team or a person sets out to achieve in a period.

    Objectives nest (a team objective under the company's); progress is never typed,
    it is computed for each key result from the sales data.
    """

    title = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=ObjectiveLevel.choices)
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="objectives"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    period = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period_start", "level", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.person or self.team


class KeyResult(models.Model):
    """A measurable result of an objective: a metric and a number to reach in its period.

    `confidence` (0 to 10) is the owner's weekly view of how likely it is to be reached.
    """

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES)
    target_value = models.DecimalField(max_digits=16, decimal_places=2)
    confidence = models.PositiveSmallIntegerField(default=5)
    confidence_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(confidence__lte=10), name="kr_confidence_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.target_value:,.0f}"
