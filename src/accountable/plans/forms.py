"""The plan forms: each only parses and bounds what was typed; the services decide."""

from __future__ import annotations

from django import forms

from accountable.org.calendar import EARLIEST, LATEST
from accountable.plans.models import SECTIONS, PlanKind
from accountable.plans.services import COMMENTED, LINE_LENGTH, SECTION_LENGTH


def _day(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()}
        ),
    )


class StartForm(forms.Form):
    kind = forms.ChoiceField(label="Plan", choices=PlanKind.choices)
    period = forms.CharField(
        label="For",
        max_length=12,
        help_text="A quarter like 2027-Q1 for a quarterly plan, a year like 2027 for an "
        "annual one.",
    )


class SectionsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, heading in SECTIONS.items():
            self.fields[key] = forms.CharField(
                label=heading,
                required=False,
                max_length=SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("return", "Return")])
    reason = forms.CharField(
        label="Reasons",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to return it: what the next version should answer.",
    )


class CommentForm(forms.Form):
    """`joined`: its fields belong to the plan's own form on the page (`plan-sections`),
    so that the sections typed are sent, and saved, with the comment. Its names carry a
    prefix, apart from the action's fields that belong to the same form."""

    prefix = "comment"
    section = forms.ChoiceField(label="On", choices=list(COMMENTED.items()))
    text = forms.CharField(
        label="Comment", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, joined: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if joined:
            for field in self.fields.values():
                field.widget.attrs["form"] = "plan-sections"


class ActionForm(forms.Form):
    """Its fields belong to the plan's own form on the page (`form="plan-sections"`), so
    the sections typed are sent, and saved, with the action."""

    text = forms.CharField(
        label="Action",
        max_length=LINE_LENGTH,
        widget=forms.TextInput(attrs={"form": "plan-sections"}),
    )
    due_on = _day("By")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].widget.attrs["form"] = "plan-sections"


class ReviewForm(forms.Form):
    why = forms.CharField(
        label="Why up or down",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_now = forms.CharField(
        label="What I will do now to stay ahead or catch up",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One thing per line: each becomes a commitment.",
    )
    commit_by = _day(
        "Commitments due", required=False, help_text="Default: two weeks on, within the quarter."
    )


class AccountPlanForm(forms.Form):
    account = forms.ModelChoiceField(label="Account", queryset=None)
    tier = forms.ChoiceField(label="Tier", choices=[("A", "A"), ("B", "B"), ("C", "C")])
    goal = forms.CharField(label="Goal for the year", max_length=LINE_LENGTH)
    goal_amount = forms.DecimalField(
        label="Revenue goal", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    contacts = forms.CharField(
        label="Contacts",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who decides, who uses it, who champions it.",
    )
    next_action = forms.CharField(label="Next action", required=False, max_length=LINE_LENGTH)
    next_action_on = _day("By", required=False)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
