"""Performance reviews (SPEC §6): periodic, a structured self-assessment and the
manager's assessment side by side, the gaps highlighted, the data beside both.

An admin opens a `ReviewCycle` for a period: who is reviewed, the review day the data is
read on, and when the self-assessments and the managers' assessments are due. Each
person reviewed has a `Review` whose `snapshot` holds their figures as of the review day
— frozen: a later import changes nothing in it. The person and their manager each write
an `Assessment` of the same items (each scorecard metric, the three rights, activity
quality, use of the CRM, teamwork; strengths, what to improve, what they need). Once both
are submitted they are shown side by side and discussed; the manager records the outcome
agreed, and the person acknowledges it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewCycle(models.Model):
    name = models.CharField(max_length=120)
    period = models.CharField(max_length=12)  # a calendar label: 2026-Q3, 2026
    as_of = models.DateField()  # the review day: the data is read as of it, and frozen
    self_due_on = models.DateField()
    manager_due_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ReviewState(models.TextChoices):
    WRITING = "writing", "Assessments being written"
    DISCUSSING = "discussing", "Both assessments in: to discuss"
    AGREED = "agreed", "Outcome recorded: to acknowledge"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class OutcomeKind(models.TextChoices):
    DEVELOPMENT = "development", "Development goals"
    ACTION = "action", "An action plan"
    COACHING = "coaching", "A coaching plan"
    NOTHING = "nothing", "Nothing further"


class Review(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="performance_reviews"
    )
    snapshot = models.JSONField(default=dict)  # reviews.snapshot: the data as of the day
    state = models.CharField(
        max_length=12, choices=ReviewState.choices, default=ReviewState.WRITING
    )
    outcome_kind = models.CharField(max_length=12, choices=OutcomeKind.choices, blank=True)
    outcome = models.TextField(blank=True)
    discussed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)  # the person's own words on acknowledging

    class Meta:
        ordering = ["cycle", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="one_review_a_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.cycle}"


class Side(models.TextChoices):
    SELF = "self", "Self-assessment"
    MANAGER = "manager", "Manager's assessment"


class Assessment(models.Model):
    """One side's answers: `ratings` is {item key: {"rating": 1-5 or null, "comment": ""}}
    over the review's items (`reviews.items`). A draft until `submitted_at`; then locked."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assessments")
    side = models.CharField(max_length=8, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ratings = models.JSONField(default=dict)
    strengths = models.TextField(blank=True)
    improve = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "side"]
        constraints = [
            models.UniqueConstraint(fields=["review", "side"], name="one_assessment_a_side")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} · {self.review}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None
