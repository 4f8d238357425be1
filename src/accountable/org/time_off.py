"""A person's own working days: the organisation's, net of their time off.

The organisation's calendar (`org.calendar.FiscalCalendar`) knows the working weekdays
and the days off everyone has (`org.holidays`). A person also has days of their own
away — holiday, leave, sickness (`models.TimeOff`). Their working days in a span are
the organisation's working days in it that none of their time off covers; a day off
that is already a holiday or a weekend is not taken away twice.

Everything that measures one person against the days they had reads this: their pace
and expected-to-date, their required weekly rate (`scorecards.metrics.own_periods`),
and the activity the warning engine expects of them each week (`signals.evidence`).
Plain stdlib, like the calendar, so it can be tested exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from accountable.org.calendar import FiscalCalendar, Period

__all__ = [
    "Span",
    "days_away",
    "own_calendar",
    "own_period",
    "spans_overlap",
    "working_days_of",
]

Span = tuple[date, date]  # first and last day away, inclusive
_ONE_DAY = timedelta(days=1)


def spans_overlap(a: Span, b: Span) -> bool:
    """Whether two spans share at least one day."""
    return a[0] <= b[1] and b[0] <= a[1]


def days_away(spans: Iterable[Span], start: date, end: date) -> frozenset[date]:
    """Every day from `start` through `end` that one of the spans covers."""
    found: set[date] = set()
    for first, last in spans:
        day, stop = max(first, start), min(last, end)
        while day <= stop:
            found.add(day)
            day += _ONE_DAY
    return frozenset(found)


def own_calendar(calendar: FiscalCalendar, days: Iterable[date]) -> FiscalCalendar:
    """The organisation's calendar as one person lives it: their days away are days off,
    like the holidays. The same calendar when they have none."""
    days = frozenset(days)
    if not days or days <= calendar.holidays:
        return calendar
    return replace(calendar, holidays=calendar.holidays | days)


def own_period(period: Period, spans: Iterable[Span]) -> Period:
    """The same period (label, bounds, equality) counted in one person's working days:
    its pace, working days gone and left, and the months or quarters it is split into
    (`Period.children`, which lie inside it) come out net of their time off."""
    spans = list(spans)
    if not spans:
        return period
    calendar = own_calendar(period.calendar, days_away(spans, period.start, period.end))
    if calendar is period.calendar:
        return period
    return replace(period, calendar=calendar)


def working_days_of(calendar: FiscalCalendar, spans: Iterable[Span], start: date, end: date) -> int:
    """A person's working days from `start` through `end` inclusive: the organisation's
    working days — its working weekdays, less its public holidays and own days off —
    that none of the person's time off covers (time off on a holiday or a weekend takes
    nothing more). A person's pace and expected to date, their required weekly rate and
    the activity the warnings expect of them each week all count these days."""
    if end < start:
        return 0
    away = days_away(spans, start, end)
    lost = sum(1 for day in away if calendar.is_working_day(day))
    return calendar.working_days_between(start, end) - lost
