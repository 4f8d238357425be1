"""Submitting and adjusting forecasts. Each checks the actor against the person whose
forecast it is (`org.abilities`; `actor` None is the system: the command line, an
import of past forecasts) and is audited. A locked week changes for nobody."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.crm import credit
from accountable.crm.models import Deal, DealStatus
from accountable.forecasts import weeks
from accountable.forecasts.errors import ForecastError
from accountable.forecasts.models import ForecastAdjustment, ForecastSubmission
from accountable.goals import actuals
from accountable.org import abilities
from accountable.org.calendar import Kind, Period, PeriodError
from accountable.org.models import Person
from accountable.org.services import organisation_get

MAX_AMOUNT = Decimal("1e13")
NOTE_LENGTH = 2000
FORECAST_KINDS = (Kind.MONTH, Kind.QUARTER, Kind.YEAR)
FIELDS = ["period", "week_of", "commit", "best_case", "note"]


def amount(value: object, what: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ForecastError(f'The {what} is an amount of money, not "{value}".') from None
    if not number.is_finite() or number < 0 or number >= MAX_AMOUNT:
        raise ForecastError(f"The {what} is an amount from 0 up.")
    return abs(number).quantize(Decimal("0.01"))  # "-0" is 0


def period_get(label: str) -> Period:
    try:
        period = organisation_get().calendar.parse(str(label or "").strip())
    except PeriodError as error:
        raise ForecastError(str(error)) from None
    if period.kind not in FORECAST_KINDS:
        raise ForecastError(f"Forecast a month, a quarter or a year, not {period.label}.")
    return period


def won_by(person_id: int, period: Period, day: date) -> Decimal:
    """What the person had won in the period by the end of `day`: the least their commit
    can be (commit includes what is closed)."""
    end = min(day, period.end)
    return (
        actuals.total("revenue", [person_id], period.start, end)
        if end >= period.start
        else Decimal(0)
    )


def _figures(commit: object, best_case: object) -> tuple[Decimal, Decimal]:
    commit_, best = amount(commit, "commit"), amount(best_case, "best case")
    if best < commit_:
        raise ForecastError(
            "The best case includes the commit: it is at least the commit "
            f"({commit_:,.2f}), not {best:,.2f}."
        )
    return commit_, best


@transaction.atomic
def forecast_submit(
    *,
    actor: Person | None,
    person: Person,
    period: str,
    commit: object,
    best_case: object,
    note: str = "",
    deals: Iterable[Deal] = (),
    week: date | None = None,
    now: datetime | None = None,
) -> ForecastSubmission:
    """The person's forecast for `period` in this week (the open one; `week`: a past
    week, for the system's import of history). Submitting again before the deadline
    replaces the week's figures; after it the week is locked."""
    if actor is not None and not abilities.may(actor, abilities.SUBMIT_FORECASTS, person):
        raise PermissionDenied(f"You cannot submit a forecast for {person.name}.")
    if week is not None and actor is not None and actor.role != "admin":
        raise PermissionDenied("Only this week's forecast is submitted on the page.")
    found = period_get(period)
    now = now or timezone.now()
    week = weeks.week_of(week) if week is not None else weeks.open_week(now)
    if found.end < week:
        raise ForecastError(f"{found.label} was over before the week of {week:%d %b %Y}.")
    commit_, best = _figures(commit, best_case)
    day = min(weeks.deadline(week).date(), timezone.localdate(now)) if actor else week
    floor = won_by(person.pk, found, day)
    if commit_ < floor:
        raise ForecastError(
            f"The commit includes what is won already in {found.label} "
            f"({floor:,.2f}): it is at least that."
        )
    note = str(note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ForecastError(f"Keep the note to {NOTE_LENGTH:,} characters.")
    submission = ForecastSubmission.objects.filter(
        person=person, period=found.label, week_of=week
    ).first()
    if submission is not None and actor is not None and weeks.is_locked(week, now):
        raise ForecastError(f"The week of {week:%d %b} is locked: its forecasts stand as made.")
    before = snapshot(submission, FIELDS) if submission else {}
    submission = submission or ForecastSubmission(person=person, period=found.label, week_of=week)
    submission.commit, submission.best_case, submission.note = commit_, best, note
    submission.submitted_by, submission.submitted_at = actor, now
    submission.save()
    chosen = list(deals)
    if chosen:
        credited = Deal.objects.filter(credit.credits_people([person.pk]), status=DealStatus.OPEN)
        if credited.filter(pk__in=[d.pk for d in chosen]).count() != len(chosen):
            raise ForecastError("The deals behind a call are open deals credited to the person.")
        submission.deals.set(chosen)
    audit_record(
        actor=actor,
        action="forecast.submit",
        obj=submission,
        before=before,
        after={"person": person.email, **snapshot(submission, FIELDS)},
    )
    return submission


@transaction.atomic
def forecast_adjust(
    *,
    actor: Person | None,
    submission: ForecastSubmission,
    commit: object,
    best_case: object,
    note: str,
    now: datetime | None = None,
) -> ForecastAdjustment:
    """The manager's own call on a submission, with why; the person's figures stay."""
    person = submission.person
    if actor is not None and not abilities.may(actor, abilities.ADJUST_FORECASTS, person):
        raise PermissionDenied(f"You cannot adjust {person.name}'s forecast.")
    if weeks.is_locked(submission.week_of, now):
        raise ForecastError(
            f"The week of {submission.week_of:%d %b} is locked: its forecasts stand as made."
        )
    commit_, best = _figures(commit, best_case)
    note = " ".join(str(note or "").split())
    if not note:
        raise ForecastError("Say why you adjust it: the note is kept beside both figures.")
    if len(note) > NOTE_LENGTH:
        raise ForecastError(f"Keep the note to {NOTE_LENGTH:,} characters.")
    adjustment = getattr(submission, "adjustment", None)
    before = snapshot(adjustment, ["commit", "best_case", "note"]) if adjustment else {}
    adjustment = adjustment or ForecastAdjustment(submission=submission)
    adjustment.commit, adjustment.best_case, adjustment.note = commit_, best, note
    adjustment.adjusted_by, adjustment.adjusted_at = actor, now or timezone.now()
    adjustment.save()
    audit_record(
        actor=actor,
        action="forecast.adjust",
        obj=submission,
        before=before,
        after=snapshot(adjustment, ["commit", "best_case", "note"]),
    )
    return adjustment


STALE_AFTER = timedelta(days=7)  # the cadence: weekly
