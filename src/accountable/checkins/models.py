"""1:1 check-ins (SPEC §6): a manager and one of their people, at a time, on a
recurrence; the agenda is prepared from the data (`agenda`), the rep adds their own
items; shared notes both see, private notes only the manager chain sees; outcomes
become commitments and action items.

Each meeting is its own record with its own calendar identity (`uid`) and revision
(`sequence`, raised by each change of time or a cancellation), so a calendar program
that has the invite (`ics`) takes an update or a cancellation for the same event.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Recurrence(models.TextChoices):
    NONE = "none", "Once"
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every four weeks"


RECURRENCE_DAYS = {Recurrence.WEEKLY: 7, Recurrence.FORTNIGHTLY: 14, Recurrence.MONTHLY: 28}


class CheckinState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class CheckIn(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkins_run"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=30)
    recurrence = models.CharField(
        max_length=12, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    location = models.CharField(max_length=200, blank=True)
    state = models.CharField(
        max_length=10, choices=CheckinState.choices, default=CheckinState.SCHEDULED
    )
    shared_notes = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)  # the manager chain's only
    held_on = models.DateField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["person", "starts_at"])]

    def __str__(self) -> str:
        return f"1:1 {self.person} with {self.manager}, {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    """Something the person (or the manager) wants to talk about."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.text


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionItem(models.Model):
    """A task with an owner and a due day, agreed in a check-in (or a review)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    about = models.ForeignKey(  # whose check-in it came from: who sees it
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    state = models.CharField(max_length=8, choices=ActionState.choices, default=ActionState.OPEN)
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.text} ({self.owner}, by {self.due_on})"


class ReportingCadence(models.Model):
    """How often a person reports on their own week: once a week on `weekday` (0 is
    Monday), or twice (three days before it too). No row: weekly, on Friday."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cadence"
    )
    times_a_week = models.PositiveSmallIntegerField(default=1)
    weekday = models.PositiveSmallIntegerField(default=4)
    shortened = models.BooleanField(default=False)  # by a confirmed proposal: undone later

    def __str__(self) -> str:
        return f"{self.person}: {self.times_a_week} times a week"


class ProposalState(models.TextChoices):
    PENDING = "pending", "Awaiting the manager"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Back to normal"


class CadenceProposal(models.Model):
    """A shorter reporting cadence proposed for someone struggling (open high-severity
    warnings), and what became of it: confirmed or declined by their manager, and
    ended when the warnings cleared. Kept either way."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cadence_proposals"
    )
    times_a_week = models.PositiveSmallIntegerField(default=2)
    because = models.TextField()
    state = models.CharField(
        max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    proposed_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.times_a_week} times a week ({self.state})"


class SelfReport(models.Model):
    """A person's own account of the days to `due_on`: their numbers (filled in from
    the data when they reported), what went well, what did not, what they commit to
    next and what they need."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_reports"
    )
    due_on = models.DateField()
    submitted_at = models.DateTimeField(default=timezone.now)
    numbers = models.JSONField(default=dict)
    went_well = models.TextField(blank=True)
    went_badly = models.TextField(blank=True)
    next_step = models.TextField(blank=True)
    need = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "due_on"], name="one_self_report_a_due_day")
        ]

    def __str__(self) -> str:
        return f"{self.person}, self-report due {self.due_on}"

    @property
    def late(self) -> bool:
        return timezone.localdate(self.submitted_at) > self.due_on


class PipelineReview(models.Model):
    """A review of a person's or a team's pipeline: what moved since the last review of
    the same subject, stale deals, deals missing milestones, and a decision for each
    deal discussed. The next review starts where this one left off (`held_on`)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="pipeline_reviews",
    )  # fmt: skip
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField()
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="review_of_a_person_or_a_team",
                condition=models.Q(person__isnull=False, team__isnull=True)
                | models.Q(person__isnull=True, team__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Pipeline review of {self.person or self.team}, {self.held_on}"

    @property
    def subject(self) -> str:
        return self.person.name if self.person_id else self.team.name


class ReviewDecision(models.Model):
    """What was decided about one deal in a review, and its next step (an action item)."""

    review = models.ForeignKey(PipelineReview, on_delete=models.CASCADE, related_name="decisions")
    deal = models.ForeignKey("crm.Deal", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=300)
    action = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.deal}: {self.decision}"
