"""Organisation endpoints: who I am, the people and teams I may see, periods, time off."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from accountable.api.auth import callers
from accountable.org import abilities, selectors, services
from accountable.org.calendar import EARLIEST, LATEST, parse_date
from accountable.org.models import Person, TimeOff
from accountable.org.services import OrgError, organisation_get
from accountable.tokens.models import Scope

router = Router(tags=["organisation"])


class PersonOut(Schema):
    id: int
    email: str
    name: str
    role: str
    team: str | None
    start_date: date
    left_on: date | None
    is_active: bool

    @staticmethod
    def resolve_team(obj) -> str | None:
        return obj.team.name if obj.team_id else None


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str
    managers: list[str]

    @staticmethod
    def resolve_managers(obj) -> list[str]:
        return [manager.email for manager in obj.managers.all()]


class PeriodOut(Schema):
    label: str
    kind: str
    start: date
    end: date
    working_days: int
    elapsed_fraction: float
    as_of: date


@router.get("/me", response=PersonOut, summary="The signed-in person")
def me(request):
    return request.user


@router.get("/people", response=list[PersonOut], summary="People the caller may see")
def people(request, q: str = "", role: str = "", include_left: bool = False):
    return list(selectors.person_list(request.user, search=q, role=role, include_left=include_left))


@router.get("/people/{int:person_id}", response=PersonOut, summary="One person")
def person(request, person_id: int):
    return selectors.person_get(request.user, person_id)


@router.get("/teams", response=list[TeamOut], summary="Teams the caller may see")
def teams(request):
    return list(selectors.team_list(request.user).order_by("path"))


@router.get("/periods/{label}", response=PeriodOut, summary="A fiscal period's bounds")
def period(request, label: str, as_of: str = ""):
    calendar = organisation_get().calendar
    found = calendar.parse(label)
    when = parse_date(as_of) if as_of else date.today()
    return {
        "label": found.label,
        "kind": str(found.kind),
        "start": found.start,
        "end": found.end,
        "working_days": found.working_days,
        "elapsed_fraction": round(found.elapsed_fraction(when), 4),
        "as_of": when,
    }


# --- time off ---------------------------------------------------------------------------

Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
# Who may record time off at all: the table of abilities (`RECORD_TIME_OFF`); whose, the
# service checks for each person.
TIME_OFF_WRITE = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.RECORD_TIME_OFF),
    action="record time off",
)


class TimeOffOut(Schema):
    id: int
    person: str = Field(description="The e-mail of the person away.")
    name: str
    first_day: date
    last_day: date = Field(description="The last day away (inclusive).")
    note: str

    @staticmethod
    def resolve_person(obj: TimeOff) -> str:
        return obj.person.email

    @staticmethod
    def resolve_name(obj: TimeOff) -> str:
        return obj.person.name


class TimeOffIn(Schema):
    person: str = Field("", description="The e-mail of whom it is for; blank: yourself.")
    first_day: Day
    last_day: Day = Field(description="The last day away (inclusive); the first for one day.")
    note: str = Field("", max_length=120, description="Optional, e.g. Summer holiday.")


def _person_by_email(viewer: Person, email: str) -> Person:
    """The person with this e-mail among those the viewer may see (404 otherwise)."""
    text = (email or "").strip()
    if not text:
        return viewer
    found = selectors.person_list(viewer, include_left=True).filter(email__iexact=text).first()
    if found is None:
        raise HttpError(404, f"No one with the e-mail {text} among the people you may see.")
    return found


@router.get(
    "/time-off",
    response=list[TimeOffOut],
    summary="Time off the caller may see",
    description="Soonest first: the caller's own, a manager's people's, everyone's for an "
    "admin or an executive. `person` narrows it to one e-mail; `since` to the spans that "
    "end on or after that day.",
)
def time_off_list(request: HttpRequest, person: str = "", since: Day | None = None):
    who = _person_by_email(request.user, person) if person else None
    return list(selectors.time_off_list(request.user, person=who, since=since))


@router.post(
    "/time-off",
    response={200: TimeOffOut, 201: TimeOffOut},
    summary="Record time off",
    description="Days someone is away are not working days for them: their pace, required "
    "weekly rate and expected activity count the days they are there. Yourself (no "
    "`person`), or someone you manage; an admin anyone. 201: recorded; 200: the same days "
    "were already recorded (only the note may have changed). 400: the days overlap "
    "another entry of the person, or are not a span. Needs a token with the write scope.",
    auth=TIME_OFF_WRITE,
)
def time_off_create(request: HttpRequest, body: TimeOffIn):
    person = _person_by_email(request.user, body.person)
    try:
        span, status = services.time_off_record(
            actor=request.user,
            person=person,
            first_day=body.first_day,
            last_day=body.last_day,
            note=body.note,
        )
    except OrgError as error:
        raise HttpError(400, str(error)) from error
    return Status(201 if status == "created" else 200, span)


@router.delete(
    "/time-off/{int:time_off_id}",
    response={204: None},
    summary="Remove time off",
    description="Its days are working days for the person again.",
    auth=TIME_OFF_WRITE,
)
def time_off_delete(request: HttpRequest, time_off_id: int):
    span = selectors.time_off_get(request.user, time_off_id)
    services.time_off_delete(actor=request.user, time_off=span)
    return Status(204, None)
