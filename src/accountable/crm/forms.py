"""Forms for the sales pages: list filters and the manual entry forms.

Choices are always scoped to the person using the form (owners they may
see, people they may write for), so a form never offers what the service
would refuse.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from accountable.crm import selectors, services
from accountable.crm.models import (
    MAX_QUANTITY,
    ActivityKind,
    Channel,
    Deal,
    DealStatus,
    DealType,
    Feedback,
    Outcome,
    Product,
    Stage,
)
from accountable.org.forms import CalendarDateField, CalendarDateTimeField
from accountable.org.models import Person

HUNDRED = Decimal("100")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO value, no seconds)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name if obj.is_active else f"{obj.name} (left)"


def _drop_if_single(form: forms.Form, name: str) -> None:
    """A choice of one is no choice: reps do not see an owner or team picker."""
    field = form.fields[name]
    if field.queryset.count() <= 1:
        del form.fields[name]


class FilterForm(forms.Form):
    """A GET filter form: the valid filters apply, the invalid ones are shown as errors."""

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())

    def _check_range(self, start: str, end: str) -> None:
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and first > last:
            self.add_error(end, "The end date is before the start date.")


class DealFilterForm(FilterForm):
    search = forms.CharField(required=False, label="Deal or account")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *DealStatus.choices])
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("order"), required=False, empty_label="Any stage"
    )
    owner = PersonChoiceField(queryset=Person.objects.none(), required=False, empty_label="Anyone")
    team = forms.ModelChoiceField(queryset=None, required=False, empty_label="All teams")
    product = forms.ModelChoiceField(
        queryset=Product.objects.order_by("name"), required=False, empty_label="Any product"
    )
    closed_from = CalendarDateField(required=False, label="Closed from")
    closed_to = CalendarDateField(required=False, label="Closed to")

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.people_choices(viewer)
        self.fields["team"].queryset = selectors.team_choices(viewer)
        _drop_if_single(self, "owner")
        _drop_if_single(self, "team")

    def clean(self):
        data = super().clean()
        self._check_range("closed_from", "closed_to")
        return data


class ActivityFilterForm(FilterForm):
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, empty_label="Anyone")
    team = forms.ModelChoiceField(queryset=None, required=False, empty_label="All teams")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *ActivityKind.choices])
    channel = forms.ChoiceField(required=False, choices=[("", "Any channel"), *Channel.choices])
    prospecting = forms.TypedChoiceField(
        required=False,
        choices=[("", "All"), ("yes", "Prospecting only"), ("no", "Not prospecting")],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    since = CalendarDateField(required=False, label="From")
    until = CalendarDateField(required=False, label="To")

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.people_choices(viewer)
        self.fields["team"].queryset = selectors.team_choices(viewer)
        _drop_if_single(self, "person")
        _drop_if_single(self, "team")

    def clean(self):
        data = super().clean()
        self._check_range("since", "until")
        return data


class FeedbackFilterForm(FilterForm):
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, empty_label="Anyone")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Complaints and praise"), *Feedback.Kind.choices]
    )
    since = CalendarDateField(required=False, label="From")
    until = CalendarDateField(required=False, label="To")

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.people_choices(viewer)
        _drop_if_single(self, "person")

    def clean(self):
        data = super().clean()
        self._check_range("since", "until")
        return data


# --- manual entry ------------------------------------------------------------------------


def _simple_overlay(deal: Deal | None) -> tuple[Person, Decimal] | bool | None:
    """The deal's split as "owner plus one other": (other, their share); None when the
    deal has no split; False when the split is more than that (this form leaves it be)."""
    if deal is None:
        return None
    splits = list(deal.splits.select_related("person"))
    if not splits:
        return None
    others = [s for s in splits if s.person_id != deal.owner_id]
    if len(splits) == 2 and len(others) == 1:
        return others[0].person, others[0].share
    return False


class DealForm(forms.Form):
    """A deal typed in by hand. Amounts are in the organisation's currency."""

    name = forms.CharField(max_length=200, label="Deal name")
    account_name = forms.CharField(
        max_length=200,
        required=False,
        label="Account",
        help_text="An existing account is matched by name; a new name adds the account.",
    )
    owner = PersonChoiceField(queryset=Person.objects.none(), empty_label=None)
    product = forms.ModelChoiceField(
        queryset=Product.objects.order_by("name"), required=False, empty_label="— none —"
    )
    type = forms.ChoiceField(choices=DealType.choices, initial=DealType.NEW_BUSINESS)
    amount = forms.DecimalField(
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": "The amount cannot be negative."},
    )
    quantity = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        label="Units",
        help_text="How many units the deal sells (1 if left empty): what units sold counts.",
    )
    stage = forms.ModelChoiceField(queryset=Stage.objects.order_by("order"), empty_label=None)
    created_on = CalendarDateField(initial=timezone.localdate, label="Created on")
    engaged_on = CalendarDateField(
        required=False,
        label="Engaged on",
        help_text="The first real conversation with the buyer.",
    )
    expected_close_on = CalendarDateField(
        required=False,
        label="Expected to close on",
        help_text="Pipeline counts in the period of this date.",
    )
    closed_on = CalendarDateField(
        required=False,
        label="Closed on",
        help_text="For won or lost deals (today if left empty). Revenue counts on this date.",
    )
    lost_reason = forms.CharField(max_length=200, required=False, label="Why it was lost")
    split_with = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="— nobody: the owner takes full credit —",
        label="Share the credit with",
    )
    split_share = forms.DecimalField(
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("99.99"),
        decimal_places=2,
        label="Their share (%)",
        help_text="The owner is credited with the rest.",
    )

    def __init__(
        self, *args, actor: Person, deal: Deal | None = None, currency: str = "", **kwargs
    ):
        self.deal = deal
        self.overlay = _simple_overlay(deal)
        if deal is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial(deal)
        super().__init__(*args, **kwargs)
        self.default_owner = deal.owner if deal is not None else actor
        if currency:
            self.fields["amount"].label = f"Amount ({currency})"
        self.fields["owner"].queryset = services.writable_people(actor)
        self.fields["owner"].initial = self.default_owner.pk
        _drop_if_single(self, "owner")
        people = services.split_people(actor)
        if self.overlay:  # keep today's overlay on offer even from outside the actor's team
            people = Person.objects.filter(
                Q(pk__in=people.values("pk")) | Q(pk=self.overlay[0].pk)
            ).order_by("name")
        self.fields["split_with"].queryset = people
        if self.overlay is False:
            del self.fields["split_with"], self.fields["split_share"]

    def _section(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    @property
    def deal_section(self) -> list[forms.BoundField]:
        names = ("name", "account_name", "owner", "product", "type", "amount", "quantity")
        return self._section(*names)

    @property
    def dates_section(self) -> list[forms.BoundField]:
        names = ("stage", "created_on", "engaged_on", "expected_close_on", "closed_on")
        return self._section(*names, "lost_reason")

    @property
    def split_section(self) -> list[forms.BoundField]:
        return self._section("split_with", "split_share")

    def _initial(self, deal: Deal) -> dict[str, Any]:
        fields = ["name", "owner", "product", "type", "amount", "quantity", "stage"]
        fields += ["created_on"]
        fields += ["engaged_on", "expected_close_on", "closed_on", "lost_reason"]
        initial = {name: getattr(deal, name) for name in fields}
        initial["account_name"] = deal.account.name if deal.account_id else ""
        if self.overlay:
            initial["split_with"], initial["split_share"] = self.overlay
        return initial

    def clean(self):
        data = super().clean()
        stage = data.get("stage")
        owner = data.get("owner") if "owner" in self.fields else self.default_owner
        if stage is not None and not stage.is_closed and not data.get("expected_close_on"):
            self.add_error("expected_close_on", "An open deal needs the date it should close.")
        other, share = data.get("split_with"), data.get("split_share")
        if other is not None and share is None:
            self.add_error("split_share", "Give their share of the credit.")
        if share is not None and other is None:
            self.add_error("split_with", "Choose who shares the credit.")
        if other is not None and owner is not None and other.pk == owner.pk:
            self.add_error("split_with", "The owner already has the rest of the credit.")
        return data

    def deal_data(self) -> dict[str, Any]:
        """The cleaned form as the `deal_save` service takes it."""
        data = dict(self.cleaned_data)
        data.setdefault("owner", self.default_owner)
        if data.get("quantity") is None:
            data["quantity"] = 1
        other, share = data.pop("split_with", None), data.pop("split_share", None)
        if self.overlay is not False:
            data["splits"] = [(data["owner"], HUNDRED - share), (other, share)] if other else []
        if not data["stage"].is_closed:
            data.pop("closed_on")
        return data


class ActivityForm(forms.Form):
    """One activity logged by hand."""

    person = PersonChoiceField(queryset=Person.objects.none(), empty_label=None, label="Who")
    kind = forms.ChoiceField(choices=ActivityKind.choices, label="What")
    channel = forms.ChoiceField(choices=[("", "—"), *Channel.choices], required=False)
    outcome = forms.ChoiceField(choices=Outcome.choices, required=False)
    occurred_at = CalendarDateTimeField(widget=DateTimeInput, label="When", initial=timezone.now)
    is_prospecting = forms.BooleanField(
        required=False, label="Prospecting: reaching someone who is not yet in a deal"
    )
    account_name = forms.CharField(max_length=200, required=False, label="Account")
    deal = forms.ModelChoiceField(
        queryset=Deal.objects.none(), required=False, empty_label="— no deal —"
    )
    meeting_number = forms.TypedChoiceField(
        choices=[("", "—"), (1, "First meeting with this account"), (2, "Second meeting")],
        coerce=int,
        empty_value=None,
        required=False,
        label="For a meeting",
    )

    def __init__(self, *args, actor: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = services.writable_people(actor)
        self.fields["person"].initial = actor.pk
        _drop_if_single(self, "person")
        self.fields["deal"].queryset = (
            selectors.deals_visible_to(actor)
            .filter(status=DealStatus.OPEN, owner__in=services.writable_people(actor))
            .select_related("account")
            .order_by("name")
        )
        self.fields["deal"].label_from_instance = lambda deal: (
            f"{deal} · {deal.account}" if deal.account_id else str(deal)
        )

    @property
    def main_section(self) -> list[forms.BoundField]:
        names = ("person", "kind", "occurred_at", "channel", "outcome", "deal", "account_name")
        return [self[name] for name in (*names, "meeting_number") if name in self.fields]

    def activity_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data["account_name"]:
            data.pop("account_name")
        return data


class FeedbackForm(forms.Form):
    """A customer's complaint or praise about someone, as a manager heard it."""

    person = PersonChoiceField(queryset=Person.objects.none(), label="About")
    kind = forms.ChoiceField(choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    received_on = CalendarDateField(initial=timezone.localdate, label="Received on")
    account_name = forms.CharField(max_length=200, required=False, label="From the account")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        label="What the customer said",
    )

    def __init__(self, *args, actor: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = services.feedback_people(actor)

    def feedback_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data["account_name"]:
            data.pop("account_name")
        return data


class MilestoneToggleForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", "done"), ("0", "not done")], coerce=lambda v: v == "1"
    )
