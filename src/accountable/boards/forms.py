"""Input for the scorecard pages: which period, as of which day, and the role scorecards.

Every scorecard page reads the same two things from its query string::

    ?period=2026-Q3&as_of=2026-08-17

`period` is any label the fiscal calendar reads (``2026``, ``2026-Q3``, ``2026-08``,
``2026-W32``); blank means the current quarter. `as_of` is the day the numbers are
counted to (blank: today), so "quarter to date" is the current quarter as of today and
a past quarter reads complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms

from accountable.org.calendar import FiscalCalendar, Kind, Period, PeriodError, parse_date
from accountable.scorecards.services import ScorecardError
from accountable.targets.catalogue import CATALOGUE

KIND_WORDS = {
    Kind.WEEK: "Week",
    Kind.MONTH: "Month",
    Kind.QUARTER: "Quarter",
    Kind.YEAR: "Year",
}


@dataclass(frozen=True)
class PeriodChoice:
    label: str  # the period label, the option's value
    words: str  # what the option says


class PeriodForm(forms.Form):
    """The period picker: a period label and an as-of day, both optional."""

    period = forms.CharField(required=False, max_length=12, label="Period")
    as_of = forms.CharField(required=False, max_length=10, label="As of")

    def __init__(self, data=None, *, calendar: FiscalCalendar, today: date):
        super().__init__(data or None)
        self.calendar = calendar
        self.today = today

    def clean_period(self) -> Period:
        label = (self.cleaned_data.get("period") or "").strip()
        if not label:
            return self.calendar.period(Kind.QUARTER, self.today)
        try:
            return self.calendar.parse(label)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_as_of(self) -> date | None:
        text = (self.cleaned_data.get("as_of") or "").strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error

    def chosen(self) -> tuple[Period, date, str]:
        """(period, as_of, error): the valid choice, or the defaults with the reason."""
        default = self.calendar.period(Kind.QUARTER, self.today)
        if not self.is_bound:
            return default, self.today, ""
        self.is_valid()
        period = self.cleaned_data.get("period") or default
        # A past period reads complete (its last day), the current one to today.
        as_of = self.cleaned_data.get("as_of") or min(self.today, period.end)
        error = " ".join(str(message) for errors in self.errors.values() for message in errors)
        return period, as_of, error

    def choices(self, current: Period) -> list[tuple[str, list[PeriodChoice]]]:
        """The picker's options: each grain to date, the last complete one of each, and
        the period on screen if it is neither (typed into the URL, say)."""
        to_date = []
        done = []
        for kind in (Kind.WEEK, Kind.MONTH, Kind.QUARTER, Kind.YEAR):
            this = self.calendar.period(kind, self.today)
            last = this.previous()
            to_date.append(PeriodChoice(this.label, f"{KIND_WORDS[kind]} to date · {this.label}"))
            done.append(PeriodChoice(last.label, f"Last {kind.value} · {last.label}"))
        groups = [("To date", to_date), ("Complete", done)]
        if current.label not in {c.label for _, group in groups for c in group}:
            groups.append(
                ("Chosen", [PeriodChoice(current.label, f"{KIND_WORDS[current.kind]} · {current}")])
            )
        return groups


# Metrics that measure what people do (the rest measure what they achieve).
ACTIVITY_METRICS = {
    "calls",
    "emails",
    "meetings",
    "first_meetings",
    "second_meetings",
    "prospecting_activities",
    "opportunities_created",
    "pipeline_created",
}


@dataclass(frozen=True)
class WeightRow:
    metric: str
    label: str
    used: bool
    kind: str
    weight: str


class RoleScorecardForm:
    """A role's scorecard as posted: ``use:<metric>`` ticks a metric, ``kind:<metric>``
    says activity or outcome, ``weight:<metric>`` its weight. Reading only: the
    metric names, kinds and weights are checked by `services.role_scorecard_set`, so the
    page, the API and the command line refuse the same things with the same words."""

    def __init__(self, data=None, *, current: list[tuple[str, str, int]]):
        self.data = data
        self.current = {metric: (kind, weight) for metric, kind, weight in current}
        self.error = ""

    def rows(self) -> list[WeightRow]:
        rows = []
        for metric in CATALOGUE:
            if metric.manual:
                continue
            default_kind = "activity" if metric.key in ACTIVITY_METRICS else "outcome"
            if self.data is not None:
                used = f"use:{metric.key}" in self.data
                kind = self.data.get(f"kind:{metric.key}", default_kind)
                weight = self.data.get(f"weight:{metric.key}", "")
            else:
                used = metric.key in self.current
                kind, number = self.current.get(metric.key, (default_kind, None))
                weight = "" if number is None else str(number)
            rows.append(WeightRow(metric.key, metric.label, used, str(kind), weight))
        return rows

    def items(self) -> list[dict[str, str]]:
        """The ticked metrics as the service takes them; at least one must be ticked."""
        keys = [key[4:] for key in self.data if key.startswith("use:")]
        if not keys:
            raise ScorecardError(
                "tick at least one metric (or use “Back to the default” to clear the role's "
                "own scorecard)."
            )
        return [
            {
                "metric": key,
                "kind": self.data.get(f"kind:{key}", ""),
                "weight": self.data.get(f"weight:{key}", "").strip(),
            }
            for key in keys
        ]
