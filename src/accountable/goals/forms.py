"""Forms for targets and goals. Choices are scoped to what the user may set."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from accountable.goals.models import (
    Goal,
    GoalKind,
    GoalStatus,
    KeyResult,
    Objective,
    ObjectiveLevel,
)
from accountable.goals.okrs import objectives_visible_to
from accountable.goals.owners import calendar, can_propose_goal, can_set_target
from accountable.goals.smart import GoalInput
from accountable.org.forms import CalendarDateField
from accountable.org.models import Person, Team
from accountable.org.scoping import visible_people, visible_teams
from accountable.targets.catalogue import CATALOGUE

METRICS = [(m.key, m.label) for m in CATALOGUE]
# More of an activity than anyone does in a period; what is worked back from it fits a target.
MAX_COUNT = 1_000_000


def decimal_of(model, name: str, **kwargs) -> forms.DecimalField:
    """A form field for a model's decimal column, with its digits: a number the column
    cannot hold (1e308) is a form error, not a failed save."""
    column = model._meta.get_field(name)
    return forms.DecimalField(
        max_digits=column.max_digits, decimal_places=column.decimal_places, **kwargs
    )


class GoalForm(forms.Form):
    """A SMART goal for a person; checked letter by letter as it is typed."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Whose goal")
    kind = forms.ChoiceField(
        choices=GoalKind.choices,
        initial=GoalKind.METRIC,
        widget=forms.RadioSelect,
        label="Kind",
        required=False,  # a metric goal unless said otherwise
    )
    title = forms.CharField(
        required=False,
        max_length=200,
        label="Milestone",
        help_text="For a milestone: e.g. complete the enterprise certification.",
    )
    metric = forms.ChoiceField(choices=[("", "Choose a metric"), *METRICS], required=False)
    target_value = decimal_of(Goal, "target_value", label="Target", min_value=0, required=False)
    baseline = decimal_of(
        Goal, "baseline", label="Baseline (where they are now)", min_value=0, required=False
    )
    period = forms.CharField(
        required=False, max_length=12, help_text="2026-Q3, 2026-08 or 2026 — or give a deadline."
    )
    deadline = CalendarDateField(required=False)
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.none(), required=False, label="Objective it serves"
    )
    priority = forms.CharField(
        label="Company objective or priority it serves", required=False, max_length=200
    )
    override = forms.BooleanField(label="Save it even though the SMART check fails", required=False)
    override_reason = forms.CharField(
        label="Why it is saved anyway", required=False, max_length=300
    )

    status = forms.ChoiceField(choices=GoalStatus.choices, required=False)

    def __init__(self, *args, actor: Person, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if goal is None or not can_set_target(actor, goal.owner):
            del self.fields["status"]  # a manager approves; a rep's proposal stays a draft
        people = visible_people(actor).filter(is_active=True).order_by("name")
        self.fields["person"].queryset = people.filter(
            pk__in=[p.pk for p in people if can_propose_goal(actor, p)]
        )
        if goal is not None and goal.person_id:
            self.fields["person"].queryset = Person.objects.filter(pk=goal.person_id)
        if not self.is_bound and self.fields["person"].queryset.count() == 1:
            self.initial.setdefault("person", self.fields["person"].queryset.first().pk)
        self.initial.setdefault("period", _this_quarter())
        objectives = objectives_visible_to(actor).order_by("-period_start", "title")
        if objectives.exists():
            self.fields["objective"].queryset = objectives
            self.fields["priority"].label = "…or the priority it serves"
        else:
            del self.fields["objective"]

    def goal_input(self) -> GoalInput:
        data = self.cleaned_data
        return GoalInput(
            owner=data["person"],
            metric=data.get("metric") or "",
            target_value=data.get("target_value"),
            baseline=data.get("baseline"),
            period=(data.get("period") or "").strip(),
            deadline=data.get("deadline"),
            priority=data.get("priority") or "",
            override=bool(data.get("override")),
            override_reason=data.get("override_reason") or "",
            objective=data.get("objective"),
            kind=data.get("kind") or GoalKind.METRIC,
            title=data.get("title") or "",
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == GoalKind.MILESTONE:
            if not (data.get("title") or "").strip():
                self.add_error("title", "Say what will be done.")
            if not data.get("deadline"):
                self.add_error("deadline", "A milestone needs a deadline.")
            return data
        if not data.get("metric"):
            self.add_error("metric", "Choose the metric the goal is counted in.")
        if data.get("target_value") is None:
            self.add_error("target_value", "Give the one number to reach.")
        return data


def _this_quarter() -> str:
    return calendar().period("quarter", timezone.localdate()).label


class SplitForm(forms.Form):
    method = forms.ChoiceField(
        choices=[
            ("even", "Evenly"),
            ("working_days", "By working days"),
            ("seasonality", "By last year's seasons"),
        ]
    )
    into = forms.ChoiceField(
        choices=[("quarter", "Quarters"), ("month", "Months"), ("week", "Weeks")]
    )


class AllocateForm(forms.Form):
    method = forms.ChoiceField(choices=[("even", "Evenly"), ("share", "By last year's share")])


class MeasuresForm(forms.Form):
    """The manager's adjustments to the worked-back activity figures (blank = keep)."""

    deals = forms.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    opportunities = forms.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    meetings = forms.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    touches = forms.IntegerField(
        label="Calls and e-mails", min_value=0, max_value=MAX_COUNT, required=False
    )

    def overrides(self) -> dict[str, int]:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    level = forms.ChoiceField(choices=ObjectiveLevel.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    parent = forms.ModelChoiceField(
        queryset=Objective.objects.none(), required=False, label="Part of"
    )
    period = forms.CharField(max_length=12, help_text="2026 or 2026-Q3")

    def __init__(self, *args, actor: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = visible_teams(actor).order_by("path")
        self.fields["person"].queryset = (
            visible_people(actor).filter(is_active=True).order_by("name")
        )
        self.fields["parent"].queryset = objectives_visible_to(actor).order_by("title")
        self.initial.setdefault("period", _this_quarter())

    def owner(self):
        level = self.cleaned_data["level"]
        return self.cleaned_data.get(level) if level in ("team", "person") else None


class KeyResultForm(forms.Form):
    metric = forms.ChoiceField(choices=METRICS)
    target_value = decimal_of(KeyResult, "target_value", label="Target", min_value=0)


class ConfidenceForm(forms.Form):
    confidence = forms.IntegerField(min_value=0, max_value=10)
