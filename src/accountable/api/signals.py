"""Warning endpoints: the warnings, the diagnosis and the three rights, scoped to the caller.

The same selectors and services as the watchlist pages and the `accountable
signals`, `diagnose` and `rights` commands. Warning kinds are exactly the names
in `docs/signals.md` (`quota_miss_streak`, `low_activity`, …).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from accountable.api.auth import callers
from accountable.org import abilities
from accountable.org.calendar import parse_date
from accountable.org.models import Person
from accountable.org.scoping import can_manage_person, visible_people
from accountable.signals import services
from accountable.signals.models import WarningSign
from accountable.signals.selectors import STATUS_FILTERS, assessment_list, warning_get, warning_list
from accountable.tokens.models import Scope

router = Router(tags=["warnings"])
HANDLERS = abilities.roles_with(abilities.MANAGE_PERSON)  # who handles warnings


class WarningOut(Schema):
    id: int
    person: str = Field(description="The person's e-mail.")
    kind: str
    severity: str = Field(description="low, medium or high.")
    period: str
    status: str = Field(description="open, acknowledged or resolved.")
    message: str
    evidence: dict[str, Any] = Field(description="The numbers used, the baseline, the benchmark.")
    first_seen_on: date
    last_seen_on: date
    note: str

    @staticmethod
    def resolve_person(obj: WarningSign) -> str:
        return obj.person.email


class DiagnosisOut(Schema):
    person: str = Field(description="The person's e-mail.")
    period: str
    cause: Literal["prospecting", "conversion", "deal_size", "cycle", "none", "unknown"] = Field(
        description="The most likely cause; `none` when the funnel holds, `unknown` when there "
        "is not enough data to judge (too few weeks since the start, or no activity and no "
        "closed deal: see the thresholds `judge_min_*`)."
    )
    effort: Literal["low", "normal", "unknown"] = Field(
        description="`unknown` with cause `unknown`."
    )
    message: str = Field(description="The diagnosis in one sentence, with its numbers.")
    next_step: str
    evidence: dict[str, Any] = Field(description="The figures it used (null: not known).")


class RightOut(Schema):
    status: Literal["pass", "warn", "fail", "unknown"] = Field(
        description="`unknown`: not enough data to judge this right (never graded a pass)."
    )
    message: str
    evidence: dict[str, Any]


class RightsOut(Schema):
    person: str = Field(description="The person's e-mail.")
    period: str
    right_thing: RightOut
    right_way: RightOut
    right_time: RightOut


class NoteIn(Schema):
    note: str = Field(description="What happens next (acknowledge) or why it is settled.")


def _person(viewer: Person, email: str) -> Person | None:
    if not email:
        return None
    person = visible_people(viewer).filter(email__iexact=email.strip()).first()
    if person is None:
        raise Http404(f'No person "{email}" among those you may see.')
    return person


def _day(as_of: str) -> date:
    return parse_date(as_of) if as_of else timezone.localdate()


@router.get("/warnings", response=list[WarningOut], summary="Warnings the caller may see")
def warnings(request: HttpRequest, status: str = "live", person: str = ""):
    """`status`: live (open and acknowledged, the default), open, acknowledged,
    resolved or all; `person`: an e-mail."""
    if status not in STATUS_FILTERS:
        raise HttpError(400, f'No status "{status}"; use {", ".join(STATUS_FILTERS)}.')
    return list(
        warning_list(
            request.user, statuses=STATUS_FILTERS[status], person=_person(request.user, person)
        )
    )


@router.get("/warnings/{warning_id}", response=WarningOut, summary="One warning")
def warning(request: HttpRequest, warning_id: int):
    return warning_get(request.user, warning_id)


def _handle(request: HttpRequest, warning_id: int, service, note: str) -> WarningSign:
    found = warning_get(request.user, warning_id)
    if not can_manage_person(request.user, found.person):
        raise HttpError(403, "Only the person's managers and admins handle their warnings.")
    try:
        return service(actor=request.user, warning=found, note=note)
    except services.SignalsError as error:
        raise HttpError(400, str(error)) from error


@router.post(
    "/warnings/{warning_id}/acknowledge",
    response=WarningOut,
    summary="Acknowledge a warning, with a note",
    auth=callers(scope=Scope.WRITE, roles=HANDLERS, action="handle warnings"),
)
def warning_acknowledge(request: HttpRequest, warning_id: int, body: NoteIn):
    return _handle(request, warning_id, services.warning_acknowledge, body.note)


@router.post(
    "/warnings/{warning_id}/resolve",
    response=WarningOut,
    summary="Resolve a warning by hand, with a note",
    auth=callers(scope=Scope.WRITE, roles=HANDLERS, action="handle warnings"),
)
def warning_resolve(request: HttpRequest, warning_id: int, body: NoteIn):
    return _handle(request, warning_id, services.warning_resolve, body.note)


@router.get(
    "/diagnosis", response=list[DiagnosisOut], summary="The diagnosis per person, computed now"
)
def diagnosis(request: HttpRequest, as_of: str = "", person: str = ""):
    """Keys: person, period, cause (prospecting, conversion, deal_size, cycle, none, or
    unknown: not enough data), effort (low, normal, unknown), message, next_step, evidence."""
    found = assessment_list(request.user, as_of=_day(as_of), person=_person(request.user, person))
    return [
        {
            "person": a.figures.email,
            "period": a.period,
            "cause": a.diagnosis.cause,
            "effort": a.diagnosis.effort,
            "message": a.diagnosis.message,
            "next_step": a.diagnosis.next_step,
            "evidence": a.diagnosis.evidence,
        }
        for a in found
    ]


@router.get(
    "/rights", response=list[RightsOut], summary="The three rights per person, computed now"
)
def rights(request: HttpRequest, as_of: str = "", person: str = ""):
    """Keys: person, period, right_thing, right_way, right_time — each with status
    (pass, warn, fail, or unknown: not enough data), message and evidence."""
    found = assessment_list(request.user, as_of=_day(as_of), person=_person(request.user, person))
    return [{"person": a.figures.email, "period": a.period, **a.rights.as_dict()} for a in found]
