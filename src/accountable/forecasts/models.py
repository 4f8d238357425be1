"""Forecast submissions (SPEC §6): each week a person says what they will close in the
period — their commit and their best case — and their manager may adjust it, in a
layer of their own that never overwrites the person's figure.

A week's submissions lock at its deadline (`weeks.deadline`): after it nobody changes
them, so each week's call stays as it was made. Categories roll up: commit includes
what is won already, best case includes commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ForecastSubmission(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forecasts"
    )
    period = models.CharField(max_length=12)  # the period forecast, e.g. 2026-Q4
    week_of = models.DateField()  # the first day of the forecast week it was made in
    commit = models.DecimalField(max_digits=16, decimal_places=2)
    best_case = models.DecimalField(max_digits=16, decimal_places=2)
    note = models.TextField(blank=True)
    deals = models.ManyToManyField("crm.Deal", blank=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "week_of", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "period", "week_of"], name="forecast_once_a_week"
            ),
            models.CheckConstraint(
                name="forecast_best_case_includes_commit",
                condition=Q(best_case__gte=F("commit")) & Q(commit__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.period} week of {self.week_of}: {self.commit}"


class ForecastAdjustment(models.Model):
    """The manager's call on a person's submission: their own figures and why."""

    submission = models.OneToOneField(
        ForecastSubmission, on_delete=models.CASCADE, related_name="adjustment"
    )
    commit = models.DecimalField(max_digits=16, decimal_places=2)
    best_case = models.DecimalField(max_digits=16, decimal_places=2)
    note = models.TextField()
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adjusted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="adjustment_best_case_includes_commit",
                condition=Q(best_case__gte=F("commit")) & Q(commit__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission}, adjusted to {self.commit}"
