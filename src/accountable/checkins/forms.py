"""The check-in forms: scheduling, rescheduling, notes, agenda items and outcomes."""

from __future__ import annotations

from django import forms

from accountable.checkins.models import CheckIn, Recurrence
from accountable.checkins.services import NOTES_LENGTH
from accountable.crm.forms import DateTimeInput
from accountable.org import abilities
from accountable.org.forms import CalendarDateField, CalendarDateTimeField, PersonChoiceField
from accountable.org.models import Person


class ScheduleForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), label="With", empty_label=None)
    starts_at = CalendarDateTimeField(widget=DateTimeInput, label="When")
    minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=240, initial=30)
    recurrence = forms.ChoiceField(
        choices=Recurrence.choices, initial=Recurrence.WEEKLY, label="Repeat"
    )
    location = forms.CharField(
        required=False, max_length=200, label="Where (optional)",
        help_text="A room, or the link of a video call.",
    )  # fmt: skip

    def __init__(self, *args, actor: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = abilities.people(actor, abilities.RUN_CHECKINS).filter(is_active=True)
        self.fields["person"].queryset = people.exclude(pk=actor.pk).order_by("name")


class RescheduleForm(forms.Form):
    prefix = "move"  # several forms on one page: their ids stay apart

    starts_at = CalendarDateTimeField(widget=DateTimeInput, label="New time")


class NotesForm(forms.Form):
    shared_notes = forms.CharField(
        required=False, max_length=NOTES_LENGTH, label="Shared notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Both of you see these.",
    )  # fmt: skip
    private_notes = forms.CharField(
        required=False, max_length=NOTES_LENGTH, label="Private notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you and the managers above you see these: never the person.",
    )  # fmt: skip


class AgendaItemForm(forms.Form):
    prefix = "item"  # several forms on one page: their ids stay apart

    text = forms.CharField(max_length=500, label="Add to the agenda")


class ActionForm(forms.Form):
    prefix = "action"  # several forms on one page: their ids stay apart

    owner = forms.ChoiceField(label="Who does it")
    text = forms.CharField(max_length=300, label="What")
    due_on = CalendarDateField(label="By")

    def __init__(self, *args, checkin: CheckIn, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checkin = checkin
        self.fields["owner"].choices = [
            (checkin.person_id, checkin.person.name),
            (checkin.manager_id, checkin.manager.name),
        ]

    def owner_chosen(self) -> Person:
        chosen = int(self.cleaned_data["owner"])
        return self.checkin.person if chosen == self.checkin.person_id else self.checkin.manager


class CommitmentOutcomeForm(forms.Form):
    prefix = "commitment"  # several forms on one page: their ids stay apart

    text = forms.CharField(max_length=300, label="They commit to")
    due_on = CalendarDateField(label="By")
