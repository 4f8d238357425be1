"""Warning signs, the engine's runs, and the organisation's thresholds (SPEC §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accountable.signals.rules import KINDS

KIND_LABELS = {
    "quota_miss_streak": "Quota missed in a row",
    "low_activity": "Low activity",
    "activity_drop": "Activity dropping",
    "win_rate_decline": "Win rate declining",
    "cycle_lengthening": "Sales cycle lengthening",
    "deal_size_decline": "Deals shrinking",
    "low_coverage": "Pipeline low against quota",
    "late_prospecting": "Not prospecting early enough",
    "wrong_product_mix": "Not selling the priority products",
    "channel_mix": "Channels that do not work",
    "complaints": "Customer complaints",
    "missed_commitments": "Commitments missed",
}
KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in KINDS]


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class WarningStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class WarningSign(models.Model):
    """A warning sign about one rep: a condition the engine found in their numbers.

    One warning stands for a condition as long as it persists: each run updates
    its evidence, severity and period rather than raising another. It is
    resolved automatically when the condition clears (`resolved_by` empty), or
    by a manager with a note. A warning resolved by hand while its condition
    persists stays resolved (`active` keeps tracking the condition); a new one
    opens only after the condition has cleared and come back.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warning_signs"
    )
    kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    status = models.CharField(
        max_length=12, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    period = models.CharField(max_length=12)
    message = models.TextField()
    evidence = models.JSONField(default=dict)
    active = models.BooleanField(default=True)
    first_seen_on = models.DateField()
    last_seen_on = models.DateField()
    note = models.TextField(blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="one_live_warning_per_person_kind",
            )
        ]
        indexes = [models.Index(fields=["status", "person"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person} ({self.period})"

    @property
    def resolved_automatically(self) -> bool:
        return self.status == WarningStatus.RESOLVED and self.resolved_by_id is None


class SignalRun(models.Model):
    """One run of the warning engine: when, for which day, why, and what it changed."""

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", "Nightly"
        IMPORT = "import", "After an import"
        CHANGE = "change", "After the sales data changed"
        MANUAL = "manual", "On demand"

    as_of = models.DateField()
    trigger = models.CharField(max_length=8, choices=Trigger.choices, default=Trigger.MANUAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Warning run for {self.as_of} ({self.get_trigger_display()})"


class SignalSettings(models.Model):
    """The organisation's changes to the warning thresholds, by name (the rest keep
    their documented defaults, `signals.thresholds.Thresholds`)."""

    thresholds = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "warning settings"
        verbose_name_plural = "warning settings"

    def __str__(self) -> str:
        return f"Warning thresholds ({len(self.thresholds)} changed)"


class PersonAssessment(models.Model):
    """What the engine concluded about one rep on one day, beyond warnings: the
    diagnosis (cause, effort, the words with their numbers, the next step) and the
    three rights (`Rights.as_dict()`: pass, warn, fail or unknown, each with its evidence).

    Stored by every run (`services.signals_run`), one row per rep and day judged (a
    later run for the same day replaces them), so the team board and the scorecard
    read them in a query instead of running the engine — which reads the whole
    organisation's numbers to benchmark anyone.
    """

    run = models.ForeignKey(SignalRun, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_assessments"
    )
    as_of = models.DateField()
    period = models.CharField(max_length=12)
    cause = models.CharField(max_length=12)
    effort = models.CharField(max_length=8)
    message = models.TextField()
    next_step = models.TextField()
    evidence = models.JSONField(default=dict)
    rights = models.JSONField(default=dict)
    # The warning rules that could not judge this rep with the confidence asked for
    # (`rules.NotEnoughData`): [{"kind", "reason"}], shown as "not enough data".
    undecided = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-as_of", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["as_of", "person"], name="one_assessment_per_day")
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.person} on {self.as_of}"
