"""Targets endpoints: read the caller's targets; set, split and allocate them.

Writes call the same services as the targets grid and the `accountable targets`
command; who may set whose target is decided there (managers for their people and
teams, admins for everyone). Values are decimal strings ("48000.00").
"""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from accountable.api.auth import callers
from accountable.goals import selectors, services
from accountable.goals.errors import GoalsError, NotAllowed
from accountable.org.abilities import SET_TARGETS, roles_with
from accountable.org.models import Person, Team
from accountable.org.scoping import visible_people, visible_teams
from accountable.targets.models import Target
from accountable.tokens.models import Scope

router = Router(tags=["targets"])
SETTERS = roles_with(SET_TARGETS)
# A target's value has the digits of its column: 1e308 is a 422, not a failed save.
VALUE = Target._meta.get_field("value")


class TargetOut(Schema):
    owner_email: str | None = Field(description="The person's e-mail, for a person's target.")
    team: str | None = Field(description="The team's name, for a team's target.")
    metric: str
    period: str
    period_start: str
    period_end: str
    product_line: str
    deal_type: str
    value: str
    allocation: str | None = Field(
        None,
        description='For a team target: "exactly allocated", "over by 1,200" or "under by 500" '
        "against the sum of its people's targets.",
    )

    @staticmethod
    def resolve_allocation(obj: Target) -> str | None:
        if not obj.team_id:
            return None
        return selectors.allocation_status(
            obj.team, obj.metric, obj.period, obj.product_line, obj.deal_type
        ).words

    @staticmethod
    def resolve_owner_email(obj: Target) -> str | None:
        return obj.person.email if obj.person_id else None

    @staticmethod
    def resolve_team(obj: Target) -> str | None:
        return obj.team.name if obj.team_id else None

    @staticmethod
    def resolve_value(obj: Target) -> str:
        return f"{obj.value:.2f}"

    @staticmethod
    def resolve_period_start(obj: Target) -> str:
        return obj.period_start.isoformat()

    @staticmethod
    def resolve_period_end(obj: Target) -> str:
        return obj.period_end.isoformat()


class TargetIn(Schema):
    owner: str = Field(description="A person's e-mail or a team's name.")
    metric: str
    period: str = Field(description="2026, 2026-Q3, 2026-08 or 2026-W32.")
    value: Decimal = Field(
        ge=0,
        max_digits=VALUE.max_digits,
        decimal_places=VALUE.decimal_places,
        description='A decimal string, "48000.00".',
    )
    product_line: str = ""
    deal_type: str = ""


class SplitIn(Schema):
    owner: str
    metric: str
    year: str = Field(description="The period to split, usually a year: 2026.")
    method: str = "even"
    into: str = "quarter"


class AllocateIn(Schema):
    team: str
    metric: str
    period: str
    method: str = "even"


class AllocationOut(Schema):
    targets: list[TargetOut]
    method: str
    note: str
    status: str
    difference: str | None


def owner_find(viewer: Person, name: str) -> Person | Team:
    """A person by e-mail or a team by name, among those the viewer may see (else 404)."""
    text = (name or "").strip()
    person = visible_people(viewer).filter(email__iexact=text).first()
    if person:
        return person
    team = visible_teams(viewer).filter(name__iexact=text).first()
    if team:
        return team
    raise HttpError(404, f'No person or team "{text}" among those you may see.')


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotAllowed as error:
        raise HttpError(403, str(error)) from error
    except GoalsError as error:
        raise HttpError(400, str(error)) from error


@router.get("/targets", response=list[TargetOut], summary="Targets the caller may see")
def targets(request: HttpRequest, period: str = "", metric: str = "", owner: str = ""):
    return list(selectors.target_list(request.user, period=period, metric=metric, owner=owner))


@router.put(
    "/targets",
    response=TargetOut,
    summary="Set one target",
    auth=callers(scope=Scope.WRITE, roles=SETTERS, action="set targets"),
)
def target_put(request: HttpRequest, body: TargetIn):
    owner = owner_find(request.user, body.owner)
    return _call(
        services.target_set,
        actor=request.user,
        owner=owner,
        metric=body.metric,
        period_label=body.period,
        value=body.value,
        product_line=body.product_line,
        deal_type=body.deal_type,
    )


@router.post(
    "/targets/split",
    response=list[TargetOut],
    summary="Split a yearly target into quarters, months or weeks",
    auth=callers(scope=Scope.WRITE, roles=SETTERS, action="split targets"),
)
def targets_split(request: HttpRequest, body: SplitIn):
    owner = owner_find(request.user, body.owner)
    result = _call(
        services.target_split,
        actor=request.user,
        owner=owner,
        metric=body.metric,
        year_label=body.year,
        method=body.method,
        into=body.into,
    )
    return result.targets


@router.post(
    "/targets/allocate",
    response=AllocationOut,
    summary="Allocate a team target to its people",
    auth=callers(scope=Scope.WRITE, roles=SETTERS, action="allocate targets"),
)
def targets_allocate(request: HttpRequest, body: AllocateIn):
    team = owner_find(request.user, body.team)
    if not isinstance(team, Team):
        raise HttpError(400, f'"{body.team}" is a person; allocate a team\'s target.')
    result = _call(
        services.target_allocate,
        actor=request.user,
        team=team,
        metric=body.metric,
        period_label=body.period,
        method=body.method,
    )
    status = selectors.allocation_status(team, result.team_target.metric, result.team_target.period)
    return {
        "targets": result.targets,
        "method": result.method,
        "note": result.note,
        "status": status.status,
        "difference": f"{status.difference:.2f}" if status.difference is not None else None,
    }
