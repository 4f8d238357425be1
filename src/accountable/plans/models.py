"""Sales plans (SPEC §6): a person's annual and quarterly plans, their key accounts'
plans, the reviews of a quarter's plan against what was sold, and the catch-up plan a
quarter behind plan opens.

A plan is written in sections by the person, submitted, commented on by the manager
section by section, and approved or returned with reasons. Each submission is kept as
a version (`PlanVersion`) holding everything the plan said then — its sections, the
target broken down, the account plans and the actions — so what was approved is never
rewritten by a later draft. The plan's own row is always the working draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

PERSON = settings.AUTH_USER_MODEL


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "Annual plan"
    QUARTERLY = "quarterly", "Quarterly plan"


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


# The sections a person writes, in the order the plan reads; a comment names one.
SECTIONS = {
    "summary": "Where I stand and what I aim for",
    "pipeline": "The pipeline I will close",
    "learnt": "What I learnt last period",
    "support": "What I need",
}


class Plan(models.Model):
    """One person's plan for a year or a quarter: the working draft and its state."""

    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=10, choices=PlanKind.choices)
    period = models.CharField(max_length=12)  # the calendar's label: 2027, 2026-Q4
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()  # to be submitted by
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    summary = models.TextField(blank=True)
    pipeline = models.TextField(blank=True)
    learnt = models.TextField(blank=True)
    support = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "kind", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "period"], name="one_plan_per_person_kind_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} of {self.person}"

    @property
    def editable(self) -> bool:
        """The person may change it: a draft, or returned to them."""
        return self.state in (PlanState.DRAFT, PlanState.RETURNED)

    def sections(self) -> list[tuple[str, str, str]]:
        """(key, heading, text) for each section, in order."""
        return [(key, heading, getattr(self, key)) for key, heading in SECTIONS.items()]


class PlanVersion(models.Model):
    """A plan as submitted, whole and frozen, with the manager's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "", "Waiting for the manager"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_by = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan}, version {self.number}"


class PlanComment(models.Model):
    """The manager's (or the person's) remark on one section of a plan's version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveIntegerField()  # the version it was written on (0: the draft)
    section = models.CharField(max_length=20)  # a key of SECTIONS, "accounts" or "actions"
    author = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.plan} ({self.section})"


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class PlanAction(models.Model):
    """Something the person will do to reach the plan, by a day. Open actions carry
    over into the next quarter's plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    state = models.CharField(max_length=8, choices=ActionState.choices, default=ActionState.OPEN)
    done_on = models.DateField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class AccountPlan(models.Model):
    """A key account's plan for a fiscal year: its tier, the goal for the year, whom to
    work with, and the next action by a day. Kept by the account's owner."""

    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="account_plans"
    )
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="account_plans")
    year = models.PositiveIntegerField()  # fiscal year
    tier = models.CharField(max_length=1, choices=[("A", "A"), ("B", "B"), ("C", "C")])
    goal = models.CharField(max_length=300)
    goal_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    contacts = models.TextField(blank=True)
    next_action = models.CharField(max_length=300, blank=True)
    next_action_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tier", "account__name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="one_account_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.tier}) {self.year}"


class PlanReview(models.Model):
    """A review of a quarterly plan on a day — at the end of a week, a month or the
    quarter: plan against actuals (frozen here as they stood), why up or down, and what
    the person will do now. Signed off by the manager."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    as_of = models.DateField()
    figures = models.JSONField()  # the plan against actuals on `as_of`, as shown
    why = models.TextField()
    what_now = models.TextField()
    recorded_by = models.ForeignKey(PERSON, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    signed_off_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="+")

    class Meta:
        ordering = ["-as_of", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.as_of}"


class CatchUpState(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Not met"
    CLOSED = "closed", "Closed"


class CatchUp(models.Model):
    """The plan to make up a quarter's shortfall: the rest of the quarter's weeks, each
    with its own target (the plan's week and its share of what is behind). Tracked
    until the quarter ends — met or not — or the manager closes it."""

    review = models.OneToOneField(PlanReview, on_delete=models.CASCADE, related_name="catch_up")
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="catch_ups")
    shortfall = models.DecimalField(max_digits=16, decimal_places=2)
    weeks = models.JSONField()  # [{"label", "start", "end", "target"}], in order
    state = models.CharField(max_length=8, choices=CatchUpState.choices, default=CatchUpState.OPEN)
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Catch-up for {self.review.plan}"
