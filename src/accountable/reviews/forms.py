"""The performance review forms: opening a cycle, an assessment (built from the review's
own items), the outcome and the acknowledgment."""

from __future__ import annotations

from django import forms

from accountable.org.forms import CalendarDateField, PeopleField
from accountable.org.models import Person, Role
from accountable.reviews.items import RATING_WORDS, RATINGS, Item
from accountable.reviews.models import OutcomeKind
from accountable.reviews.services import COMMENT_LENGTH, TEXT_LENGTH

REVIEWED_ROLES = (Role.REP, Role.OUTSIDE_SALES, Role.MANAGER)


class ReviewedField(PeopleField):
    def label_from_instance(self, obj: Person) -> str:
        team = f" · {obj.team.name}" if obj.team_id else ""
        return f"{obj.name} ({obj.get_role_display().lower()}{team})"


class CycleForm(forms.Form):
    period = forms.CharField(
        max_length=12,
        label="Period",
        help_text="A quarter 2026-Q3, a month 2026-09 or a year 2026.",
    )
    as_of = CalendarDateField(
        label="Review day", help_text="The figures beside each answer are read as of this day."
    )
    self_due_on = CalendarDateField(label="Self-assessments due")
    manager_due_on = CalendarDateField(label="Managers' assessments due")
    people = ReviewedField(
        queryset=Person.objects.none(),
        label="Who is reviewed",
        help_text="Hold Ctrl (⌘ on a Mac) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            Person.objects.filter(is_active=True, role__in=REVIEWED_ROLES)
            .select_related("team")
            .order_by("name")
        )


def _rating_field(item: Item) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=item.label,
        required=False,
        choices=[(str(r), f"{r} · {RATING_WORDS[r]}") for r in RATINGS],
        widget=forms.RadioSelect,
    )


class AssessmentForm(forms.Form):
    """A rating (1-5) and a comment for each item, then strengths, what to improve and
    what is needed. Field names: `r-<item key>` and `c-<item key>`."""

    strengths = forms.CharField(
        required=False, max_length=TEXT_LENGTH, label="Strengths",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    improve = forms.CharField(
        required=False, max_length=TEXT_LENGTH, label="What to improve",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    needs = forms.CharField(
        required=False, max_length=TEXT_LENGTH, label="What is needed (training, help, time)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, items: list[Item], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"r-{item.key}"] = _rating_field(item)
            self.fields[f"c-{item.key}"] = forms.CharField(
                required=False,
                max_length=COMMENT_LENGTH,
                label=f"Comment on {item.label}",
                widget=forms.TextInput(attrs={"placeholder": "Why (optional)"}),
            )

    @classmethod
    def initial_from(cls, assessment) -> dict:
        if assessment is None:
            return {}
        found = {
            "strengths": assessment.strengths,
            "improve": assessment.improve,
            "needs": assessment.needs,
        }
        for key, entry in assessment.ratings.items():
            found[f"r-{key}"] = "" if entry.get("rating") is None else str(entry["rating"])
            found[f"c-{key}"] = entry.get("comment", "")
        return found

    def ratings(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            item.key: {
                "rating": data.get(f"r-{item.key}") or None,
                "comment": data.get(f"c-{item.key}", ""),
            }
            for item in self.items
        }

    def rows(self):
        """(item, rating field, comment field) for the template."""
        return [(i, self[f"r-{i.key}"], self[f"c-{i.key}"]) for i in self.items]


class OutcomeForm(forms.Form):
    prefix = "outcome"

    kind = forms.ChoiceField(choices=OutcomeKind.choices, label="What was agreed")
    text = forms.CharField(
        required=False, max_length=TEXT_LENGTH, label="The goals, or the plan's steps and dates",
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    discussed_on = CalendarDateField(label="Discussed on")


class AcknowledgeForm(forms.Form):
    prefix = "ack"

    response = forms.CharField(
        required=False, max_length=TEXT_LENGTH, label="Your response (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Acknowledging says you have read it; it need not mean you agree.",
    )  # fmt: skip
