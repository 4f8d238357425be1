"""Commitments (SPEC §6): a person's promise of an outcome by a due date.

A commitment is bound to one of three things:

- a **metric** and a value over a span ("6 first meetings from 14 to 18 Sep",
  "50 prospecting calls this week"): the data judges it once the due day is over;
- a **deal** ("close the Acme deal by 30 Sep"): met when the deal is won by then;
- **free text** ("send the Globex proposal"): the person reports whether it was done,
  and their manager confirms it.

`state` is what is known for good: open until judged, reported, confirmed or
withdrawn. Due soon and overdue are how an open one stands on a given day
(`judge.standing`), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accountable.targets.catalogue import BY_KEY
from accountable.targets.models import METRIC_CHOICES


class State(models.TextChoices):
    OPEN = "open", "Open"
    REPORTED = "reported", "Reported, awaiting confirmation"
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    MISSED = "missed", "Missed"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STATES = (State.MET, State.PARTLY, State.MISSED, State.WITHDRAWN)


class Commitment(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(max_length=300, blank=True)
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    deal = models.ForeignKey(
        "crm.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_on = models.DateField(null=True, blank=True)  # a metric's span starts here
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    actual = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    judged_on = models.DateField(null=True, blank=True)
    # The person's own account of it (any commitment) and, for free text, whether they
    # say it was done; their manager confirms or corrects that.
    report = models.TextField(blank=True)
    reported_done = models.BooleanField(null=True, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["person", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="commitment_bound_once",
                condition=(
                    Q(metric="", deal__isnull=True, value__isnull=True)
                    | (~Q(metric="") & Q(deal__isnull=True, value__isnull=False))
                    | (Q(metric="", value__isnull=True) & Q(deal__isnull=False))
                ),
            ),
            models.CheckConstraint(
                name="commitment_span_in_order",
                condition=Q(start_on__isnull=True) | Q(start_on__lte=models.F("due_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.what()} by {self.due_on:%d %b %Y}"

    @property
    def kind(self) -> str:
        return "metric" if self.metric else "deal" if self.deal_id else "text"

    def what(self) -> str:
        """The promise in words: "6 first meetings", "win Acme renewal", the text."""
        if self.metric:
            label = BY_KEY[self.metric].label if self.metric in BY_KEY else self.metric
            label = label[:1].lower() + label[1:]
            if self.value is None:
                return label
            whole = self.value == self.value.to_integral_value()
            return f"{self.value:,.0f} {label}" if whole else f"{self.value:,.2f} {label}"
        if self.deal_id:
            return f"win {self.deal.name or self.deal.external_id}"
        return self.text
