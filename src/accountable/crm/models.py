"""The sales data Accountable reads from a CRM: accounts, products, the pipeline,
deals with their history and checklists, activities and customer feedback.

Accountable is not a CRM: these rows arrive by import, the API or a small
manual form, and are matched by `external_id` so that every load is an upsert.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accountable.crm.names import name_key

PERSON = settings.AUTH_USER_MODEL
# The most units one deal may carry: far above any real order, low enough that a typo
# (an amount pasted into the quantity column) is refused rather than counted.
MAX_QUANTITY = 1_000_000


class NamedQuerySet(models.QuerySet):
    def by_key(self) -> dict[str, models.Model]:
        return {row.key: row for row in self}


class Account(models.Model):
    """A customer or prospect company. Tier A/B/C drives account plans."""

    class Tier(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)
    owner = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    segment = models.CharField(max_length=100, blank=True)
    tier = models.CharField(max_length=1, choices=Tier.choices, blank=True)
    sector = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries"
    )

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class Product(models.Model):
    """Something the company sells. `is_priority` marks what the company needs
    sold now (the "right thing" of the three rights), not what reps like to sell."""

    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)
    product_line = models.CharField(max_length=100, blank=True)
    list_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    is_priority = models.BooleanField(default=False)

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["product_line", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class ForecastCategory(models.TextChoices):
    PIPELINE = "pipeline", "Pipeline"
    BEST_CASE = "best_case", "Best case"
    COMMIT = "commit", "Commit"
    CLOSED = "closed", "Closed"


class Stage(models.Model):
    """A stage of the sales pipeline, in order, with the probability a deal in it
    closes and the forecast category it counts in. Won and lost are stages too."""

    name = models.CharField(max_length=80)
    key = models.CharField(max_length=80, unique=True, editable=False)
    order = models.PositiveSmallIntegerField()
    probability = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent chance that a deal in this stage is won.",
    )
    forecast_category = models.CharField(
        max_length=12, choices=ForecastCategory.choices, default=ForecastCategory.PIPELINE
    )
    is_won = models.BooleanField(default=False)
    is_lost = models.BooleanField(default=False)

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.is_won or self.is_lost


class Milestone(models.Model):
    """A checklist item a deal should have done by the time it is in `stage`
    (e.g. "decision maker identified" for Proposal)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "name"], name="milestone_unique_per_stage")
        ]

    def __str__(self) -> str:
        return self.name


class DealType(models.TextChoices):
    NEW_BUSINESS = "new_business", "New business"
    RENEWAL = "renewal", "Renewal"
    EXPANSION = "expansion", "Expansion"


class DealStatus(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Deal(models.Model):
    """An opportunity. Revenue counts on `closed_on` for won deals; pipeline on
    `expected_close_on` for open ones; pipeline created on `created_on`."""

    external_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="deals"
    )
    owner = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="deals")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="deals"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # How many units the deal sells (licences, machines, seats): what "units sold" sums.
    quantity = models.PositiveIntegerField(default=1)
    type = models.CharField(max_length=16, choices=DealType.choices, default=DealType.NEW_BUSINESS)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals")
    status = models.CharField(max_length=8, choices=DealStatus.choices, default=DealStatus.OPEN)
    created_on = models.DateField()
    engaged_on = models.DateField(null=True, blank=True)
    expected_close_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    lost_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_on", "external_id"]
        indexes = [
            models.Index(fields=["owner", "status", "closed_on"]),
            models.Index(fields=["owner", "created_on"]),
            models.Index(fields=["status", "expected_close_on"]),
            # The deals open on a past day (open now, or closed after it) and those
            # closed in a period, found without reading every deal.
            models.Index(fields=["status", "closed_on"]),
            # Everyone's open pipeline summed from the index alone, without reading the
            # deals themselves (the roll-up's largest query).
            models.Index(
                fields=["status", "owner", "amount", "expected_close_on", "stage"],
                name="crm_deal_open_pipeline_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="deal_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="deal_quantity_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.external_id


class DealSplit(models.Model):
    """Credit for a deal shared between people (an owner and an overlay, say).
    A deal without splits credits its owner in full."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="splits")
    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="deal_splits")
    share = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="Percent of the deal credited to this person.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "person"], name="one_split_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.share}% of {self.deal}"


class DealStageChange(models.Model):
    """The deal's stage history: when it entered each stage."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_on", "recorded_at"]
        # A deal's history in the order it happened: the stage it was in on a day is
        # read from it without sorting (`crm.deal_history`).
        indexes = [models.Index(fields=["deal", "changed_on", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.deal}: {self.from_stage} → {self.to_stage}"


class DealChange(models.Model):
    """A change of amount, expected close date or owner, for pipeline reviews
    ("pushed to a later period", "changed in amount") and accountability ("given to
    another rep")."""

    class Field(models.TextChoices):
        AMOUNT = "amount", "Amount"
        EXPECTED_CLOSE = "expected_close_on", "Expected close"
        OWNER = "owner", "Owner"

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20, choices=Field.choices)
    # An amount, a date, or an owner's e-mail.
    old_value = models.CharField(max_length=254, blank=True)
    new_value = models.CharField(max_length=254, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.deal} {self.field}: {self.old_value} → {self.new_value}"


class DealMilestone(models.Model):
    """A checklist milestone done on a deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="milestones_done")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    done_on = models.DateField()
    done_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "milestone"], name="milestone_once_per_deal")
        ]

    def __str__(self) -> str:
        return f"{self.milestone} on {self.deal}"


class ActivityKind(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "E-mail"
    MEETING = "meeting", "Meeting"
    DEMO = "demo", "Demo"
    PROPOSAL = "proposal", "Proposal"
    FOLLOW_UP = "follow_up", "Follow-up"
    SOCIAL = "social", "Social touch"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    VIDEO = "video", "Video"
    IN_PERSON = "in_person", "In person"
    SOCIAL = "social", "Social"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    CONNECTED = "connected", "Connected"
    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Left voicemail"
    REPLIED = "replied", "Replied"
    MEETING_BOOKED = "meeting_booked", "Meeting booked"
    HELD = "held", "Held"
    NO_SHOW = "no_show", "No show"
    COMPLETED = "completed", "Completed"
    NONE = "", "—"


class Activity(models.Model):
    """One thing a person did to sell: a call, an e-mail, a meeting…

    `occurred_at` decides its period. For meetings, `meeting_number` says
    whether it was the first or second meeting with that account.
    """

    external_id = models.CharField(max_length=100, null=True, blank=True)
    # (person, occurred_at) below serves lookups by person: no index of its own.
    person = models.ForeignKey(
        PERSON, on_delete=models.PROTECT, related_name="activities", db_index=False
    )
    kind = models.CharField(max_length=12, choices=ActivityKind.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    is_prospecting = models.BooleanField(default=False)
    occurred_at = models.DateTimeField()
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    deal = models.ForeignKey(
        Deal, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    meeting_number = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["person", "occurred_at"])]
        # A constraint rather than `unique=True`: the same index, without the second
        # (LIKE) index PostgreSQL gets for a unique text field, which no query uses.
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="crm_activity_external_id_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.person} on {self.occurred_at:%Y-%m-%d}"


class Feedback(models.Model):
    """A customer complaint or praise about a person."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "Complaint"
        PRAISE = "praise", "Praise"

    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    received_on = models.DateField()
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_on"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person} on {self.received_on}"
