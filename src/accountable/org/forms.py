"""Forms for the organisation settings, teams and people."""

from __future__ import annotations

import functools
import zoneinfo

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils import timezone

from accountable.org.calendar import EARLIEST, LATEST, PeriodError, date_check
from accountable.org.holidays import country_choices, own_days_parse, own_days_text
from accountable.org.models import WEEKDAYS, Organisation, Person, Role, Team, TeamKind

# The largest id a primary key holds (a 64-bit integer).
MAX_ID = 2**63 - 1
MONTHS = [
    (1, "January"), (2, "February"), (3, "March"), (4, "April"), (5, "May"), (6, "June"),
    (7, "July"), (8, "August"), (9, "September"), (10, "October"), (11, "November"),
    (12, "December"),
]  # fmt: skip


class DateInput(forms.DateInput):
    """The browser's date picker, which only accepts ISO dates as its value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def within_calendar(value) -> None:
    """Refuse a day the fiscal calendar does not cover: 9999-12-31 is a date, but no
    period, pace or "day after" can be worked out for it."""
    try:
        date_check(value)
    except PeriodError as error:
        raise forms.ValidationError(str(error), code="outside_calendar") from None


class CalendarDateField(forms.DateField):
    """A day between the calendar's EARLIEST and LATEST, with the browser's date picker."""

    widget = DateInput
    default_validators = [within_calendar]

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "min": EARLIEST.isoformat(),
            "max": LATEST.isoformat(),
        }


class CalendarDateTimeField(forms.DateTimeField):
    """A moment on a day the calendar covers (the day as the organisation counts it)."""

    default_validators = [within_calendar]


class PeopleField(forms.ModelMultipleChoiceField):
    """People chosen by id. An id past what the database can hold is nobody: refused
    as an unknown choice rather than sent to the database, which cannot bind it."""

    def _check_values(self, value):
        for pk in value or ():
            if str(pk).isdigit() and int(pk) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


@functools.cache
def _zone_choices() -> list[tuple[str, str]]:
    # Listing the zones reads the whole zone database from disk: once is enough.
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class OrganisationForm(forms.ModelForm):
    currency = forms.CharField(max_length=20, help_text="Three letters, e.g. USD or EUR.")
    fiscal_year_start_month = forms.TypedChoiceField(
        choices=MONTHS,
        coerce=int,
        help_text="Fiscal year 2026 starts in this month of 2026.",
    )
    working_days = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pace and run rates count only these days.",
    )
    time_zone = forms.ChoiceField(choices=[])
    holiday_country = forms.ChoiceField(
        choices=[],
        required=False,
        label="Public holidays of",
        help_text="Its public holidays are not working days.",
    )
    holiday_subdivision = forms.CharField(
        max_length=10,
        required=False,
        label="Region",
        help_text="A state or region with holidays of its own, e.g. ENG, CA, BY (optional).",
    )
    own_days_off = forms.CharField(
        required=False,
        label="Our own days off",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-12-24 Christmas Eve"}),
        help_text="One a line: the date, then a name. Not working days either.",
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "currency",
            "time_zone",
            "fiscal_year_start_month",
            "week_start_day",
            "working_days",
            "holiday_country",
            "holiday_subdivision",
            "own_days_off",
            "date_order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        self.fields["holiday_country"].choices = [("", "— none —"), *country_choices()]
        if self.instance is not None and not self.is_bound:
            self.initial["own_days_off"] = own_days_text(self.instance.own_days_off or [])

    def clean_holiday_subdivision(self) -> str:
        return self.cleaned_data["holiday_subdivision"].strip().upper()

    def clean_own_days_off(self) -> list[dict[str, str]]:
        try:
            return own_days_parse(self.cleaned_data["own_days_off"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_currency(self) -> str:
        code = self.cleaned_data["currency"].strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError("Write the three-letter currency code, e.g. USD or EUR.")
        return code


def _team_choices(exclude: Team | None = None) -> list[tuple[str, str]]:
    teams = Team.objects.order_by("path")
    if exclude is not None:
        teams = teams.exclude(path__startswith=exclude.path)
    return [("", "— none (top of the tree) —")] + [
        (str(team.pk), f"{'  ' * team.depth}{team.name}") for team in teams
    ]


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=TeamKind.choices)
    parent = forms.ChoiceField(required=False, label="Part of")
    managers = PeopleField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Managers see everyone in this team and the teams below it.",
    )

    def __init__(self, *args, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = _team_choices(exclude=team)
        self.fields["managers"].queryset = Person.objects.filter(
            role__in=[Role.MANAGER, Role.EXECUTIVE, Role.ADMIN], is_active=True
        ).order_by("name")

    def clean_parent(self) -> Team | None:
        value = self.cleaned_data.get("parent")
        return Team.objects.get(pk=int(value)) if value else None


class PersonForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.REP)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("path"), required=False, empty_label="— no team —"
    )
    start_date = CalendarDateField(help_text="New hires ramp from this date.")


class PersonCreateForm(PersonForm):
    send_invitation = forms.BooleanField(
        required=False,
        initial=True,
        label="E-mail them a link to choose a password",
    )


class PersonEditForm(PersonForm):
    left_on = CalendarDateField(
        required=False,
        label="Left on",
        help_text="Set when someone leaves: their history stays, they can no longer sign in.",
    )
    effective_on = CalendarDateField(
        initial=timezone.localdate,
        label="Role or team change effective on",
    )
    reason = forms.CharField(
        max_length=300, required=False, label="Reason for a role or team change"
    )

    def clean(self):
        data = super().clean()
        left_on, start = data.get("left_on"), data.get("start_date")
        if left_on and start and left_on < start:
            self.add_error("left_on", "Someone cannot leave before they started.")
        return data


class InvitationForm(PasswordResetForm):
    """Sends a new person the link to choose their first password.

    Django's reset skips accounts without a usable password; a new person has
    none yet, which is exactly who an invitation is for.
    """

    def get_users(self, email):
        return Person.objects.filter(email__iexact=email, is_active=True)


class PersonChoiceField(forms.ModelChoiceField):
    """One person chosen by id; an id past what the database holds is an unknown choice."""

    def to_python(self, value):
        if str(value).isdigit() and int(value) > MAX_ID:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TimeOffForm(forms.Form):
    """Days someone is away. Whom it may be for comes from the table of abilities
    (`RECORD_TIME_OFF`): just the person themself for most, their people for a manager."""

    person = PersonChoiceField(queryset=Person.objects.none(), label="Who", empty_label=None)
    first_day = CalendarDateField(label="First day away")
    last_day = CalendarDateField(
        label="Last day away", help_text="The same as the first day for a single day."
    )
    note = forms.CharField(
        max_length=120,
        required=False,
        label="Note (optional)",
        help_text="E.g. Summer holiday, Training course. Everyone who sees the days sees it.",
    )

    def __init__(self, *args, people, actor: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people
        field.initial = actor.pk
        field.label_from_instance = lambda person: (
            f"{person.name} (you)" if person.pk == actor.pk else person.name
        )
        self.for_others = people.exclude(pk=actor.pk).exists()
        if not self.for_others:
            field.widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day cannot be before the first.")
        return data
