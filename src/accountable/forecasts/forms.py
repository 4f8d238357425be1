"""The forecast forms: a person's weekly call, and a manager's adjustment of it."""

from __future__ import annotations

from django import forms

from accountable.crm.models import Deal
from accountable.forecasts.services import NOTE_LENGTH
from accountable.org.forms import PeopleField


def _money(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_digits=15, decimal_places=2, help_text=help_text
    )


class DealsField(PeopleField):
    """Deals chosen by id (an id past what the database holds is refused as unknown,
    as `PeopleField` refuses it)."""

    def label_from_instance(self, deal) -> str:
        close = f", closes {deal.expected_close_on:%d %b}" if deal.expected_close_on else ""
        return f"{deal.name or deal.external_id} · {deal.stage.name}{close}"


class SubmitForm(forms.Form):
    commit = _money("Commit", "What you will close for sure, including what is won already.")
    best_case = _money("Best case", "What you could close if things go well: at least the commit.")
    note = forms.CharField(
        required=False, max_length=NOTE_LENGTH, label="Note (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What moved since last week, what the call rests on.",
    )  # fmt: skip
    deals = DealsField(
        queryset=Deal.objects.none(), required=False, label="The deals behind it (optional)",
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, deals=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if deals is None:
            del self.fields["deals"]
        else:
            self.fields["deals"].queryset = deals


class AdjustForm(forms.Form):
    commit = _money("Your commit")
    best_case = _money("Your best case")
    note = forms.CharField(max_length=NOTE_LENGTH, label="Why")
