"""Organisation endpoints: who I am, the people and teams I may see, periods."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from accountable.org import selectors
from accountable.org.calendar import parse_date
from accountable.org.services import organisation_get

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
