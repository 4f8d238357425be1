"""Forecast endpoints: the weekly calls the caller may see, their own call for the week,
a manager's adjustment, and the accuracy of a period's calls — the same selectors and
services as the forecast pages and `accountable forecast`, with the fields of its JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StrictFloat, StrictInt

from accountable.api.auth import callers
from accountable.api.people import person_by_email
from accountable.forecasts import selectors, services, weeks
from accountable.forecasts.models import ForecastSubmission
from accountable.org import abilities
from accountable.tokens.models import Scope

router = Router(tags=["forecasts"])

# An amount as a number or a string ("40000", "40,000.50"): the service parses it, so
# the API refuses what the page refuses, with the same words.
Amount = StrictInt | StrictFloat | Annotated[str, Field(max_length=40)]
SUBMITTERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.SUBMIT_FORECASTS),
    action="submit a forecast",
)
ADJUSTERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.ADJUST_FORECASTS),
    action="adjust a forecast",
)


class ForecastOut(Schema):
    id: int
    person: str = Field(description="The e-mail of whose call it is.")
    period: str = Field(description="The period called: 2026-Q4.")
    week_of: date = Field(description="The first day of the week the call was made in.")
    commit: str = Field(description='What they will close for sure, "40000.00" (includes won).')
    best_case: str = Field(description="What they could close if things go well (≥ commit).")
    manager_commit: str | None = Field(
        description="The manager's own commit on it (a layer of its own), null when none."
    )
    manager_best_case: str | None = Field(description="The manager's best case, null when none.")
    manager_note: str | None = Field(description="Why the manager adjusted it, null when none.")
    note: str
    locked: bool = Field(description="The week's deadline has passed: the call stands as made.")


class ForecastFilters(Schema):
    period: str = Field("", max_length=20, description="Only this period's calls (2026-Q4).")
    person: str = Field("", max_length=254, description="Only this person's (an e-mail).")


class ForecastIn(Schema):
    period: str = Field(max_length=20, description="A month, a quarter or a year: 2026-Q4.")
    commit: Amount = Field(description="An amount from 0 up, at least what is won already.")
    best_case: Amount = Field(description="An amount, at least the commit.")
    note: str = Field("", max_length=services.NOTE_LENGTH, description="What moved, optional.")


class AdjustIn(Schema):
    commit: Amount = Field(description="The manager's commit.")
    best_case: Amount = Field(description="The manager's best case, at least their commit.")
    note: str = Field(max_length=services.NOTE_LENGTH, description="Why (required).")


class AccuracyFilters(Schema):
    period: str = Field(max_length=20, description="A period that is over: 2026-Q3.")
    person: str = Field("", max_length=254, description="Only this person (an e-mail).")


class AccuracyOut(Schema):
    submissions: int = Field(description="How many calls the figures rest on.")
    won: str | None = Field(description="What was won in the period (null: not over yet).")
    mean_abs_error: float | None = Field(description="Mean of |commit - won| ÷ won.")
    bias: float | None = Field(description="Mean of (commit - won) ÷ won: above 0 over-calls.")
    why: str = Field(description="Why there are no figures, when there are none.")


class PersonAccuracyOut(AccuracyOut):
    person: str = Field(description="The e-mail of whose calls they are.")


class AccuracyReport(Schema):
    period: str
    people: list[PersonAccuracyOut]
    team: AccuracyOut = Field(description="Every call of the people together, weighted by won.")


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _out(submission: ForecastSubmission, locked: bool | None = None) -> dict[str, Any]:
    adjusted = getattr(submission, "adjustment", None)
    return {
        "id": submission.pk,
        "person": submission.person.email,
        "period": submission.period,
        "week_of": submission.week_of,
        "commit": _money(submission.commit),
        "best_case": _money(submission.best_case),
        "manager_commit": _money(adjusted.commit) if adjusted else None,
        "manager_best_case": _money(adjusted.best_case) if adjusted else None,
        "manager_note": adjusted.note if adjusted else None,
        "note": submission.note,
        "locked": weeks.is_locked(submission.week_of) if locked is None else locked,
    }


@router.get(
    "/forecasts",
    response=list[ForecastOut],
    summary="Forecast calls the caller may see",
    description="By period, week and person: the caller's own calls, a manager's people's, "
    "everyone's for an admin or an executive. `period` narrows it to one period (400: not "
    "a month, quarter or year), `person` to one e-mail. Each call carries the manager's "
    "adjustment beside it, never over it.",
)
def forecast_list(request: HttpRequest, filters: Query[ForecastFilters]):
    calls = selectors.visible(request.user)
    if filters.period.strip():
        calls = calls.filter(period=services.period_get(filters.period).label)
    person = person_by_email(request.user, filters.person)
    if person is not None:
        calls = calls.filter(person=person)
    calls = list(calls.order_by("period", "person__email", "week_of"))
    # Each week's lock once: a list holds many calls of few weeks.
    locked = {week: weeks.is_locked(week) for week in {s.week_of for s in calls}}
    return [_out(s, locked[s.week_of]) for s in calls]


@router.post(
    "/forecasts",
    response={200: ForecastOut, 201: ForecastOut},
    summary="Submit one's own call for the week",
    description="The caller's commit and best case for `period` (a month, a quarter or a "
    "year), for this week — or next week once this week's deadline has passed. 201: a new "
    "call; 200: this week's call replaced (until the deadline). 400: what is wrong with it "
    "(the commit includes what is won already; the best case includes the commit). Needs "
    "a token with the write scope.",
    auth=SUBMITTERS,
)
def forecast_submit(request: HttpRequest, body: ForecastIn):
    label = services.period_get(body.period).label
    # The service replaces this week's call: whether it was new, its result cannot say.
    before = set(
        selectors.visible(request.user)
        .filter(person=request.user, period=label)
        .values_list("pk", flat=True)
    )
    made = services.forecast_submit(
        actor=request.user,
        person=request.user,
        period=label,
        commit=body.commit,
        best_case=body.best_case,
        note=body.note,
    )
    return Status(200 if made.pk in before else 201, _out(made))


@router.post(
    "/forecasts/{int:forecast_id}/adjust",
    response=ForecastOut,
    summary="Adjust someone's call",
    description="The manager's own commit and best case on a call of one of their people, "
    "with why (`note`, required): a layer beside the person's figures, which stay. Until "
    "the call's week locks. Managers of the person, and admins. Needs a token with the "
    "write scope.",
    auth=ADJUSTERS,
)
def forecast_adjust(request: HttpRequest, forecast_id: int, body: AdjustIn):
    submission = selectors.submission_get(request.user, forecast_id)
    adjustment = services.forecast_adjust(
        actor=request.user,
        submission=submission,
        commit=body.commit,
        best_case=body.best_case,
        note=body.note,
    )
    return _out(adjustment.submission)


@router.get(
    "/forecasts/accuracy",
    response=AccuracyReport,
    summary="How accurate a period's calls were",
    description="For each person the caller may see who called `period` (or `person` "
    "alone): how many calls, what was won, `mean_abs_error` (mean of |commit - won| ÷ won) "
    "and `bias` (mean of (commit - won) ÷ won: above 0 over-calls, below 0 sandbags); "
    "`team`: all their calls together, weighted by what was won. Null with `why` while the "
    "period is not over or nothing was won: never a guess.",
)
def forecast_accuracy(request: HttpRequest, filters: Query[AccuracyFilters]):
    period = services.period_get(filters.period)
    calls = selectors.visible(request.user).filter(period=period.label)
    person = person_by_email(request.user, filters.person)
    if person is not None:
        calls = calls.filter(person=person)
    called = dict(calls.order_by().values_list("person_id", "person__email").distinct())
    ids = sorted(called)  # as the command orders them
    today = timezone.localdate()
    scored = selectors.accuracy(ids, period, today)
    return {
        "period": period.label,
        "people": [{"person": called[pk], **scored[pk].as_dict()} for pk in ids],
        "team": selectors.team_accuracy(ids, period, today).as_dict(),
    }
