"""The commitment forms: what is promised, by whom, by when; a report; a confirmation; a
withdrawal. Whom a commitment may be for comes from the table of abilities
(`MAKE_COMMITMENTS`): the person themself, and a manager's people."""

from __future__ import annotations

from django import forms

from accountable.commitments.services import TEXT_LENGTH, commitment_metrics
from accountable.crm import credit
from accountable.crm.models import Deal, DealStatus
from accountable.org import abilities
from accountable.org.forms import CalendarDateField, PersonChoiceField
from accountable.org.models import Person
from accountable.targets.catalogue import BY_KEY

KINDS = [
    ("metric", "A number on a metric"),
    ("deal", "A deal won"),
    ("text", "Something to do"),
]
DEALS_SHOWN = 300


class CommitmentForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), label="Who", empty_label=None)
    kind = forms.ChoiceField(choices=KINDS, label="What is promised", widget=forms.RadioSelect)
    metric = forms.ChoiceField(required=False, label="Metric")
    value = forms.DecimalField(
        required=False, label="How many (or how much)", min_value=0, max_digits=14,
        decimal_places=2,
    )  # fmt: skip
    deal = forms.ModelChoiceField(
        queryset=Deal.objects.none(), required=False, label="Deal", empty_label="—"
    )
    text = forms.CharField(
        required=False, max_length=TEXT_LENGTH, label="What will be done",
        help_text="E.g. Send the Globex proposal. The person reports it; their manager "
        "confirms it.",
    )  # fmt: skip
    start_on = CalendarDateField(
        required=False, label="Counting from",
        help_text="For a metric: the first day counted (blank: today).",
    )  # fmt: skip
    due_on = CalendarDateField(label="Due", help_text="The last day: it is judged the day after.")

    def __init__(self, *args, actor: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = abilities.people(actor, abilities.MAKE_COMMITMENTS).filter(is_active=True)
        people = people.order_by("name")
        field = self.fields["person"]
        field.queryset = people
        field.initial = actor.pk
        field.label_from_instance = lambda p: f"{p.name} (you)" if p.pk == actor.pk else p.name
        self.for_others = people.exclude(pk=actor.pk).exists()
        if not self.for_others:
            field.widget = forms.HiddenInput()
        self.fields["kind"].initial = "metric"
        self.fields["metric"].choices = [("", "—")] + [
            (key, BY_KEY[key].label) for key in commitment_metrics()
        ]
        open_deals = Deal.objects.filter(
            credit.credits_people(list(people.values_list("pk", flat=True))),
            status=DealStatus.OPEN,
        ).select_related("owner")
        self.fields["deal"].queryset = open_deals.order_by("expected_close_on", "pk")[:DEALS_SHOWN]
        self.fields["deal"].label_from_instance = lambda d: (
            f"{d.name or d.external_id} · {d.owner.name}"
        )

    def bound_to(self) -> dict:
        """The service's keyword arguments for what the chosen kind binds."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "metric": data.get("metric") if kind == "metric" else "",
            "value": data.get("value") if kind == "metric" else None,
            "deal": data.get("deal") if kind == "deal" else None,
            "text": data.get("text") if kind == "text" else "",
            "start_on": data.get("start_on") if kind == "metric" else None,
        }


class ReportForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=2000, label="What happened", widget=forms.Textarea(
            attrs={"rows": 3}
        ),
    )  # fmt: skip
    done = forms.TypedChoiceField(
        required=False,
        label="Done?",
        choices=[("", "—"), ("yes", "Yes, done"), ("no", "No, not done")],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_LENGTH, label="Why it is withdrawn")
