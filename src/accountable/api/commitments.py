"""Commitment endpoints: list, read, record, report on, confirm and withdraw, scoped to
the caller — the same selectors and services as the commitments pages and the
`accountable commitments` command, with the same fields as its JSON."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from accountable.api.auth import callers
from accountable.api.people import person_by_email
from accountable.commitments import selectors, services
from accountable.commitments.judge import standing
from accountable.commitments.models import Commitment
from accountable.crm.models import Deal
from accountable.crm.selectors import deal_list
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST
from accountable.org.models import Person
from accountable.tokens.models import Scope

router = Router(tags=["commitments"])

Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
Standing = Literal[
    "open", "due soon", "overdue", "reported", "met", "partly", "missed", "withdrawn"
]
# Who may call the writes at all: the table of abilities; whose commitments, the service
# checks for each one.
MAKERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.MAKE_COMMITMENTS),
    action="record, report on or withdraw a commitment",
)
CONFIRMERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.CONFIRM_COMMITMENTS),
    action="confirm a commitment",
)


class CommitmentOut(Schema):
    id: int
    person: str = Field(description="The e-mail of whose commitment it is.")
    name: str = Field(description="Their name.")
    kind: Literal["metric", "deal", "text"]
    metric: str | None = Field(description="The metric's key, for a metric commitment.")
    value: str | None = Field(description='The value promised, "6.00", for a metric.')
    deal: str | None = Field(description="The deal's external id, for a deal commitment.")
    text: str = Field(description="The promise in words, for a free-text commitment.")
    what: str = Field(description='The promise in words, whatever the kind: "6 First meetings".')
    start: date | None = Field(description="A metric's span starts on this day.")
    due: date
    state: Standing = Field(
        description="How it stands on the day asked: open, due soon (within 3 days), overdue "
        "(its day is over, no verdict yet), reported (awaiting confirmation), met, partly, "
        "missed or withdrawn."
    )
    actual: str | None = Field(description="The figure it was judged on, once judged.")
    judged_on: date | None
    report: str = Field(description="The person's own account of it.")
    reported_done: bool | None = Field(description="For free text: whether they say it was done.")
    withdrawn_reason: str
    created_by: str | None = Field(description="The e-mail of who recorded it.")


class CommitmentFilters(Schema):
    person: str = Field("", max_length=254, description="Only this person's (an e-mail).")
    state: list[Standing] = Field([], description="Only those standing so (repeatable).")
    as_of: Day | None = Field(None, description="The day they stand on (default: today).")


class CommitmentIn(Schema):
    person: str = Field("", max_length=254, description="Whose (an e-mail); blank: yourself.")
    metric: str = Field(
        "", max_length=40, description="A metric's key (first_meetings, calls, …), with `value`."
    )
    value: Decimal | None = Field(
        None, max_digits=16, description="How many, or how much, of the metric (above 0)."
    )
    deal: str = Field("", max_length=100, description="The external id of a deal to win.")
    text: str = Field(
        "", max_length=services.TEXT_LENGTH, description="The promise in words, for free text."
    )
    start: Day | None = Field(None, description="A metric's span starts here (default: today).")
    due: Day


class ReportIn(Schema):
    note: str = Field("", max_length=2000, description="What happened, in the person's words.")
    done: bool | None = Field(None, description="For free text (required there): was it done?")


class ConfirmIn(Schema):
    done: bool = Field(description="The manager's word: met (true) or missed (false).")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=services.TEXT_LENGTH, description="Why (required).")


def _out(item: selectors.Listed) -> dict[str, Any]:
    c = item.commitment
    return {
        "id": c.pk,
        "person": c.person.email,
        "name": c.person.name,
        "kind": c.kind,
        "metric": c.metric or None,
        "value": None if c.value is None else f"{c.value:.2f}",
        "deal": c.deal.external_id if c.deal_id and c.deal else None,
        "text": c.text,
        "what": c.what(),
        "start": c.start_on,
        "due": c.due_on,
        "state": item.standing,
        "actual": None if c.actual is None else f"{c.actual:.2f}",
        "judged_on": c.judged_on,
        "report": c.report,
        "reported_done": c.reported_done,
        "withdrawn_reason": c.withdrawn_reason,
        "created_by": c.created_by.email if c.created_by_id and c.created_by else None,
    }


def _today(commitment: Commitment) -> dict[str, Any]:
    return _out(selectors.Listed(commitment, standing(commitment, timezone.localdate())))


def _deal(viewer: Person, external_id: str) -> Deal | None:
    text = (external_id or "").strip()
    if not text:
        return None
    found = deal_list(viewer).filter(external_id=text).first()
    if found is None:
        raise HttpError(404, f"No deal {text!r} among the deals you may see.")
    return found


@router.get(
    "/commitments",
    response=list[CommitmentOut],
    summary="Commitments the caller may see",
    description="Soonest due first: the caller's own, a manager's people's, everyone's for "
    "an admin or an executive. `person` narrows it to one e-mail, `state` to some standings "
    "(repeat it: `state=overdue&state=missed`) on `as_of` (default today).",
)
def commitment_list(request: HttpRequest, filters: Query[CommitmentFilters]):
    person = person_by_email(request.user, filters.person)
    listed = selectors.commitment_list(
        request.user,
        as_of=filters.as_of or timezone.localdate(),
        person=person,
        standings=filters.state,
    )
    return [_out(item) for item in listed]


@router.get(
    "/commitments/{int:commitment_id}",
    response=CommitmentOut,
    summary="One commitment",
    description="As it stands today.",
)
def commitment_get(request: HttpRequest, commitment_id: int):
    return _today(selectors.commitment_get(request.user, commitment_id))


@router.post(
    "/commitments",
    response={201: CommitmentOut},
    summary="Record a commitment",
    description="A metric and a value over a span (`metric`, `value`, `start`), a deal to "
    "win (`deal`, one the person is credited with) or a text — exactly one of them — by "
    "`due`. Yourself (no `person`), or someone you manage; an admin anyone. A metric or "
    "deal commitment is judged by the data once its due day is over. 400: what is wrong "
    "with it. Needs a token with the write scope.",
    auth=MAKERS,
)
def commitment_create(request: HttpRequest, body: CommitmentIn):
    commitment = services.commitment_add(
        actor=request.user,
        person=person_by_email(request.user, body.person, blank=request.user),
        due_on=body.due,
        text=body.text,
        metric=body.metric,
        value=body.value,
        deal=_deal(request.user, body.deal),
        start_on=body.start,
    )
    return Status(201, _today(commitment))


@router.post(
    "/commitments/{int:commitment_id}/report",
    response=CommitmentOut,
    summary="Report on one's own commitment",
    description="The person's account: a note on any commitment and, for free text, whether "
    "it was done (`done`; it then awaits their manager's confirmation). Only the person "
    "themself (or an admin). Needs a token with the write scope.",
    auth=MAKERS,
)
def commitment_report(request: HttpRequest, commitment_id: int, body: ReportIn):
    commitment = selectors.commitment_get(request.user, commitment_id)
    return _today(
        services.commitment_report(
            actor=request.user,
            commitment=commitment,
            note=body.note,
            done=body.done,
        )
    )


@router.post(
    "/commitments/{int:commitment_id}/confirm",
    response=CommitmentOut,
    summary="Confirm a free-text commitment",
    description="The manager's word on a free-text commitment: met (`done: true`) or "
    "missed, over the person's report (which is kept). Managers of the person, and admins. "
    "Needs a token with the write scope.",
    auth=CONFIRMERS,
)
def commitment_confirm(request: HttpRequest, commitment_id: int, body: ConfirmIn):
    commitment = selectors.commitment_get(request.user, commitment_id)
    return _today(
        services.commitment_confirm(
            actor=request.user,
            commitment=commitment,
            done=body.done,
        )
    )


@router.post(
    "/commitments/{int:commitment_id}/withdraw",
    response=CommitmentOut,
    summary="Withdraw a commitment",
    description="With a reason: a withdrawn commitment counts neither as kept nor as missed. "
    "The person, whoever may record commitments for them, an admin. Needs a token with the "
    "write scope.",
    auth=MAKERS,
)
def commitment_withdraw(request: HttpRequest, commitment_id: int, body: WithdrawIn):
    commitment = selectors.commitment_get(request.user, commitment_id)
    return _today(
        services.commitment_withdraw(
            actor=request.user,
            commitment=commitment,
            reason=body.reason,
        )
    )
