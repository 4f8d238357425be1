"""Check-in endpoints: 1:1 check-ins with their prepared agendas, action items,
self-reports and pipeline reviews, scoped to the caller — the same selectors and
services as the follow-up pages and `accountable checkin`.

Private notes are the manager chain's only (`selectors.may_see_private`): a check-in
read by anyone else has no `private_notes` field at all, and no list or agenda carries
them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import AwareDatetime

from accountable.api.auth import callers
from accountable.api.people import person_by_email
from accountable.checkins import pipeline_review as reviews
from accountable.checkins import selectors, services
from accountable.checkins import self_reports as reports
from accountable.checkins.models import (
    ActionItem,
    AgendaItem,
    CheckIn,
    PipelineReview,
    ReviewDecision,
    SelfReport,
)
from accountable.crm.models import Deal
from accountable.crm.movement import KINDS
from accountable.crm.selectors import deal_list
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST
from accountable.org.models import Person, Team
from accountable.org.scoping import visible_people, visible_teams
from accountable.tokens.models import Scope

router = Router(tags=["check-ins"])
REPORTS = ["self-reports"]
REVIEWS = ["pipeline reviews"]

Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
# A moment with its offset, a day inside the calendar's years either side, so that it
# is a day of those years in every time zone.
Moment = Annotated[
    AwareDatetime,
    Field(
        ge=datetime(EARLIEST.year, 1, 2, tzinfo=UTC),
        le=datetime(LATEST.year, 12, 30, tzinfo=UTC),
    ),
]
Recurrence = Literal["none", "weekly", "fortnightly", "monthly"]
CheckinState = Literal["scheduled", "held", "cancelled"]

RUNNERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.RUN_CHECKINS),
    action="run check-ins and pipeline reviews",
)
# The person adds to their own agenda, and whoever runs their check-ins; which of them
# it is, the service checks for each check-in.
AGENDA_WRITERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.SEE_PERSON),
    action="add to a check-in's agenda",
)
REPORTERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.SELF_REPORT),
    action="send a self-report",
)


# --- check-ins --------------------------------------------------------------------------


class CheckinOut(Schema):
    id: int
    person: str = Field(description="The e-mail of the person the check-in is with.")
    manager: str = Field(description="The e-mail of who runs it.")
    starts_at: datetime
    minutes: int
    recurrence: Recurrence
    state: CheckinState
    location: str = Field(description="A room, or the link of a video call.")
    held_on: date | None = Field(description="The day it was held, once held.")


class CheckinDetailOut(CheckinOut):
    shared_notes: str = Field(description="Notes both the person and the manager see.")
    private_notes: str | None = Field(
        None,
        description="Only for whoever may run the person's check-ins (their managers up "
        "the chain, admins): absent for everyone else, the person first.",
    )


class CheckinFilters(Schema):
    person: str = Field("", max_length=254, description="Only with this person (an e-mail).")
    state: CheckinState | None = Field(None, description="Only those in this state.")


class CheckinIn(Schema):
    person: str = Field(min_length=1, max_length=254, description="With whom (an e-mail).")
    starts_at: Moment = Field(description="When, with its offset: 2026-09-17T14:00:00+02:00.")
    minutes: int = Field(30, ge=1, le=24 * 60, description="How long: 5 minutes to 4 hours.")
    recurrence: Recurrence = Field("weekly", description="How often it repeats.")
    location: str = Field("", max_length=200, description="A room, or a call's link.")


class HoldOut(Schema):
    held: CheckinOut
    next: CheckinOut | None = Field(description="The next one, scheduled by a recurring one.")


class AgendaItemIn(Schema):
    text: str = Field(max_length=500, description="What you want to talk about.")


class AgendaItemOut(Schema):
    id: int
    text: str
    added_by: str | None = Field(description="The e-mail of who added it.")
    added_at: datetime


class ActionIn(Schema):
    owner: str = Field(
        min_length=1, max_length=254, description="Who does it: the person or the manager."
    )
    text: str = Field(max_length=300, description="What is to be done.")
    due_on: Day


class ActionOut(Schema):
    id: int
    owner: str = Field(description="The e-mail of who does it.")
    about: str = Field(description="The e-mail of whose check-in or pipeline it came from.")
    text: str
    due_on: date
    state: Literal["open", "done", "dropped"]
    checkin: int | None = Field(description="The check-in it was agreed in, if any.")


class AgendaNumbers(Schema):
    won_amount: str
    target: str | None
    attainment: float | None
    pace: float
    gap_to_pace: str | None
    required_weekly: str | None


class AgendaActivity(Schema):
    calls: int
    meetings: int
    first_meetings: int
    prospecting: int
    emails: int


class AgendaWarning(Schema):
    kind: str
    severity: str
    message: str


class AgendaCommitment(Schema):
    what: str
    due: date
    state: str


class AgendaAction(Schema):
    text: str
    owner: str
    due: date
    state: str


class AgendaSelfReport(Schema):
    due: date
    went_well: str
    went_badly: str
    next_step: str
    need: str


class AgendaOut(Schema):
    person: str
    manager: str
    starts_at: datetime
    since: date = Field(description="The last held check-in's day (the first looks back 14).")
    until: date
    numbers: AgendaNumbers | None = Field(description="The quarter's revenue against pace.")
    activity_since: AgendaActivity
    warnings: list[AgendaWarning]
    diagnosis: str | None
    commitments: list[AgendaCommitment]
    actions: list[AgendaAction] = Field(description="Open action items about the person.")
    last_notes: str | None = Field(description="The last check-in's shared notes.")
    items: list[str] = Field(description="What either side added to talk about.")
    self_report: AgendaSelfReport | None = Field(description="The person's latest.")


def _checkin(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.pk,
        "person": checkin.person.email,
        "manager": checkin.manager.email,
        "starts_at": checkin.starts_at.astimezone(UTC),  # as stored, whatever offset it came in
        "minutes": checkin.minutes,
        "recurrence": checkin.recurrence,
        "state": checkin.state,
        "location": checkin.location,
        "held_on": checkin.held_on,
    }


def _action(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.pk,
        "owner": action.owner.email,
        "about": action.about.email,
        "text": action.text,
        "due_on": action.due_on,
        "state": action.state,
        "checkin": action.checkin_id,
    }


def _item(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "text": item.text,
        "added_by": item.added_by.email if item.added_by_id and item.added_by else None,
        "added_at": item.added_at,
    }


@router.get(
    "/checkins",
    response=list[CheckinOut],
    summary="Check-ins the caller may see",
    description="Soonest first: the caller's own, a manager's people's, everyone's for an "
    "admin or an executive. `person` narrows it to one e-mail, `state` to scheduled, held "
    "or cancelled ones. Never their notes: read one check-in for those.",
)
def checkin_list(request: HttpRequest, filters: Query[CheckinFilters]):
    found = selectors.visible(request.user)
    person = person_by_email(request.user, filters.person)
    if person is not None:
        found = found.filter(person=person)
    if filters.state:
        found = found.filter(state=filters.state)
    return [_checkin(c) for c in found.order_by("starts_at", "pk")]


@router.get(
    "/checkins/{int:checkin_id}",
    response=CheckinDetailOut,
    exclude_unset=True,
    summary="One check-in, with its notes",
    description="With its shared notes; `private_notes` only for whoever may run the "
    "person's check-ins (their managers up the chain, admins) — never the person.",
)
def checkin_get(request: HttpRequest, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    out = {**_checkin(checkin), "shared_notes": checkin.shared_notes}
    if selectors.may_see_private(request.user, checkin):
        out["private_notes"] = checkin.private_notes
    return out


@router.get(
    "/checkins/{int:checkin_id}/agenda",
    response=AgendaOut,
    summary="A check-in's prepared agenda",
    description="What the meeting is prepared with, since the last held check-in: the "
    "numbers against pace, activity, warnings with the diagnosis, commitments due, open "
    "action items, the last meeting's shared notes, what either side added and the "
    "person's latest self-report — as `accountable checkin agenda --format json`, without "
    "private notes.",
)
def checkin_agenda(request: HttpRequest, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    return selectors.agenda(request.user, checkin).as_dict()


@router.post(
    "/checkins",
    response={201: CheckinOut},
    summary="Schedule a check-in",
    description="A 1:1 of the caller with `person` (one of their people; an admin anyone), "
    "run by the caller: when, how long (5 minutes to 4 hours), how often it repeats, "
    "where. 400: what is wrong with it. Managers and admins. Needs a token with the write "
    "scope.",
    auth=RUNNERS,
)
def checkin_schedule(request: HttpRequest, body: CheckinIn):
    checkin = services.checkin_schedule(
        actor=request.user,
        person=person_by_email(request.user, body.person),
        starts_at=body.starts_at,
        minutes=body.minutes,
        recurrence=body.recurrence,
        location=body.location,
    )
    return Status(201, _checkin(checkin))


@router.post(
    "/checkins/{int:checkin_id}/hold",
    response=HoldOut,
    summary="Mark a check-in held",
    description="Held today; a recurring one schedules the next (`next`). 400: it is held "
    "or cancelled already. Whoever runs the person's check-ins. Needs a token with the "
    "write scope.",
    auth=RUNNERS,
)
def checkin_hold(request: HttpRequest, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    following = services.checkin_hold(actor=request.user, checkin=checkin)
    return {"held": _checkin(checkin), "next": _checkin(following) if following else None}


@router.post(
    "/checkins/{int:checkin_id}/items",
    response={201: AgendaItemOut},
    summary="Add to a check-in's agenda",
    description="Something to talk about, added before the meeting by the person or by "
    "whoever runs their check-ins; a scheduled check-in only. Needs a token with the "
    "write scope (a rep's tokens read only: they add through the web app, or with its "
    "session here).",
    auth=AGENDA_WRITERS,
)
def checkin_item_add(request: HttpRequest, checkin_id: int, body: AgendaItemIn):
    checkin = selectors.checkin_get(request.user, checkin_id)
    item = services.agenda_add(actor=request.user, checkin=checkin, text=body.text)
    return Status(201, _item(item))


@router.post(
    "/checkins/{int:checkin_id}/actions",
    response={201: ActionOut},
    summary="Record an action item",
    description="An outcome of the meeting: what is to be done, by whom (the person or "
    "the manager, by e-mail) and by when. Whoever runs the person's check-ins. Needs a "
    "token with the write scope.",
    auth=RUNNERS,
)
def checkin_action_add(request: HttpRequest, checkin_id: int, body: ActionIn):
    checkin = selectors.checkin_get(request.user, checkin_id)
    action = services.action_add(
        actor=request.user,
        checkin=checkin,
        owner=person_by_email(request.user, body.owner),
        text=body.text,
        due_on=body.due_on,
    )
    return Status(201, _action(action))


# --- self-reports -----------------------------------------------------------------------


class SelfReportOut(Schema):
    id: int
    person: str = Field(description="The e-mail of whose report it is.")
    due_on: date = Field(description="The due day it answers (their cadence's).")
    submitted_at: datetime
    late: bool = Field(description="Sent after its due day.")
    went_well: str
    went_badly: str
    next_step: str = Field(description="What they commit to next.")
    need: str
    numbers: dict[str, Any] = Field(
        description="Filled in from the data when sent, for the week to the due day: "
        "`from`, `to`, `calls`, `meetings`, `first_meetings`, `prospecting`, `won`."
    )


class SelfReportFilters(Schema):
    person: str = Field("", max_length=254, description="Only this person's (an e-mail).")
    since: Day | None = Field(None, description="Only those due on or after this day.")


class SelfReportIn(Schema):
    went_well: str = Field("", max_length=reports.TEXT_LENGTH)
    went_badly: str = Field("", max_length=reports.TEXT_LENGTH)
    next_step: str = Field("", max_length=reports.TEXT_LENGTH, description="What I commit to.")
    need: str = Field("", max_length=reports.TEXT_LENGTH)
    commit_next: bool = Field(
        False, description="Make `next_step` a commitment, due on the next report day."
    )


def _report(report: SelfReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "person": report.person.email,
        "due_on": report.due_on,
        "submitted_at": report.submitted_at,
        "late": report.late,
        "went_well": report.went_well,
        "went_badly": report.went_badly,
        "next_step": report.next_step,
        "need": report.need,
        "numbers": report.numbers,
    }


@router.get(
    "/self-reports",
    response=list[SelfReportOut],
    tags=REPORTS,
    summary="Self-reports the caller may see",
    description="Latest due day first: the caller's own, a manager's people's, everyone's "
    "for an admin or an executive. `person` narrows it to one e-mail, `since` to those "
    "due from that day on.",
)
def self_report_list(request: HttpRequest, filters: Query[SelfReportFilters]):
    found = SelfReport.objects.filter(person__in=visible_people(request.user))
    person = person_by_email(request.user, filters.person)
    if person is not None:
        found = found.filter(person=person)
    if filters.since:
        found = found.filter(due_on__gte=filters.since)
    return [_report(r) for r in found.select_related("person").order_by("-due_on", "pk")]


@router.post(
    "/self-reports",
    response={201: SelfReportOut},
    tags=REPORTS,
    summary="Send one's own self-report",
    description="For the caller's open due day: the oldest late one, else the next on "
    "their cadence. At least one of what went well, what did not, what next; the numbers "
    "are filled in from the data. 400: nothing said, or that day's report is in already. "
    "Needs a token with the write scope (a rep's tokens read only: they report through "
    "the web app, or with its session here).",
    auth=REPORTERS,
)
def self_report_submit(request: HttpRequest, body: SelfReportIn):
    report = reports.report_submit(
        actor=request.user,
        person=request.user,
        went_well=body.went_well,
        went_badly=body.went_badly,
        next_step=body.next_step,
        need=body.need,
        commit_next=body.commit_next,
    )
    return Status(201, _report(report))


# --- pipeline reviews -------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    person: str | None = Field(description="The e-mail of whose pipeline: a person's review.")
    team: str | None = Field(description="The team's name: a team's review.")
    team_id: int | None
    run_by: str | None = Field(description="The e-mail of who started it.")
    since: date = Field(description="What moved is counted from this day (the last review).")
    held_on: date
    notes: str


class MovedOut(Schema):
    deal: str = Field(description="The deal's external id.")
    name: str
    owner: str = Field(description="The e-mail of the deal's owner.")
    why: str = Field(description='How it moved: "Engaging → Proposal on 12 Aug".')


class DecisionOut(Schema):
    id: int
    deal: str = Field(description="The deal's external id.")
    decision: str
    action: ActionOut | None = Field(description="Its next step, as an action item.")
    decided_at: datetime


class ReviewDetailOut(ReviewOut):
    coverage: float | None = Field(
        description="Pipeline closing in the quarter ÷ the target still to go."
    )
    pipeline_in_period: str | None
    moved: dict[str, list[MovedOut]] = Field(
        description="By kind: " + ", ".join(key for key, _ in KINDS) + "."
    )
    stale: list[str] = Field(description="External ids of open deals gone stale.")
    missing: list[str] = Field(description="External ids of open deals missing milestones.")
    decisions: list[DecisionOut]


class ReviewIn(Schema):
    person: str = Field("", max_length=254, description="A person's pipeline (an e-mail)…")
    team: int | None = Field(None, ge=1, le=2**31 - 1, description="…or a team's (its id).")


class DecisionIn(Schema):
    deal: str = Field(min_length=1, max_length=100, description="The deal's external id.")
    decision: str = Field(max_length=300, description="What was decided.")
    next_step: str = Field("", max_length=300, description="Optional: what is done next…")
    owner: str = Field("", max_length=254, description="…by whom (an e-mail)…")
    due_on: Day | None = Field(None, description="…and by when.")


def _review(review: PipelineReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "person": review.person.email if review.person_id else None,
        "team": review.team.name if review.team_id else None,
        "team_id": review.team_id,
        "run_by": review.run_by.email if review.run_by_id and review.run_by else None,
        "since": review.since,
        "held_on": review.held_on,
        "notes": review.notes,
    }


def _decision(decision: ReviewDecision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "deal": decision.deal.external_id,
        "decision": decision.decision,
        "action": _action(decision.action) if decision.action_id and decision.action else None,
        "decided_at": decision.decided_at,
    }


def _review_detail(viewer: Person, review: PipelineReview) -> dict[str, Any]:
    content = reviews.contents(viewer, review)
    decisions = review.decisions.select_related("deal", "action", "action__owner", "action__about")
    return {
        **_review(review),
        "coverage": content.coverage,
        "pipeline_in_period": None
        if content.pipeline_in_period is None
        else f"{content.pipeline_in_period:.2f}",
        "moved": {
            key: [
                {
                    "deal": m.deal.external_id,
                    "name": m.deal.name,
                    "owner": m.deal.owner.email,
                    "why": m.why,
                }
                for m in moved
            ]
            for key, _, moved in content.groups
        },
        "stale": [d.external_id for d in content.stale],
        "missing": [d.external_id for d in content.missing],
        "decisions": [_decision(d) for d in decisions],
    }


def _review_get(viewer: Person, review_id: int) -> PipelineReview:
    found = reviews.reviews_visible(viewer).filter(pk=review_id).first()
    if found is None:
        raise HttpError(404, "No such review among those you may see.")
    return found


def _team(viewer: Person, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    found = visible_teams(viewer).filter(pk=team_id).first()
    if found is None:
        raise HttpError(404, f"No team {team_id} among the teams you may see.")
    return found


def _deal(viewer: Person, external_id: str) -> Deal:
    text = external_id.strip()
    found = deal_list(viewer).filter(external_id=text).first()
    if found is None:
        raise HttpError(404, f"No deal {text!r} among the deals you may see.")
    return found


@router.get(
    "/pipeline-reviews",
    response=list[ReviewOut],
    tags=REVIEWS,
    summary="Pipeline reviews the caller may see",
    description="Latest first: of the caller's own pipeline (never a team's, for a rep), "
    "a manager's people's and teams', everyone's for an admin or an executive.",
)
def review_list(request: HttpRequest):
    return [_review(r) for r in reviews.reviews_visible(request.user)]


@router.get(
    "/pipeline-reviews/{int:review_id}",
    response=ReviewDetailOut,
    tags=REVIEWS,
    summary="One pipeline review, with its contents",
    description="Coverage; what moved since the last review of the same person or team, "
    "deal by deal with how (new, advanced, slipped back, pushed, pulled in, resized, won, "
    "lost); stale deals and deals missing milestones (external ids); the decisions taken.",
)
def review_get(request: HttpRequest, review_id: int):
    return _review_detail(request.user, _review_get(request.user, review_id))


@router.post(
    "/pipeline-reviews",
    response={201: ReviewDetailOut},
    tags=REVIEWS,
    summary="Start a pipeline review",
    description="Of one person's pipeline (`person`, an e-mail) or a team's (`team`, its "
    "id) — one of them — today, from the last review of the same one (the first looks "
    "back two weeks). Their managers, and admins. Needs a token with the write scope.",
    auth=RUNNERS,
)
def review_start(request: HttpRequest, body: ReviewIn):
    review = reviews.review_start(
        actor=request.user,
        person=person_by_email(request.user, body.person),
        team=_team(request.user, body.team),
    )
    return Status(201, _review_detail(request.user, review))


@router.post(
    "/pipeline-reviews/{int:review_id}/decisions",
    response={201: DecisionOut},
    tags=REVIEWS,
    summary="Record a decision on a deal",
    description="What was decided about a deal of the review's pipeline and, optionally, "
    "its next step with who does it and by when — which becomes an action item. Whoever "
    "may review the pipeline. Needs a token with the write scope.",
    auth=RUNNERS,
)
def review_decision_add(request: HttpRequest, review_id: int, body: DecisionIn):
    review = _review_get(request.user, review_id)
    decision = reviews.decision_add(
        actor=request.user,
        review=review,
        deal=_deal(request.user, body.deal),
        decision=body.decision,
        next_step=body.next_step,
        owner=person_by_email(request.user, body.owner),
        due_on=body.due_on,
    )
    return Status(201, _decision(decision))
