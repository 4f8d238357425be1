"""Sales data endpoints: deals and activities, filtered and paginated, scoped to the caller.

Money is a decimal string ("4821.00") in the organisation's currency; dates are
ISO 8601 (`YYYY-MM-DD`), times ISO 8601 with their offset.

No `from __future__ import annotations` in this module: `@paginate` wraps the
views, and django-ninja then resolves string annotations in its own module's
namespace, where these schemas do not exist. Annotations here are real types.
"""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from accountable.crm import selectors
from accountable.crm.models import (
    Activity,
    ActivityKind,
    Channel,
    Deal,
    DealStatus,
    DealType,
    Stage,
)
from accountable.crm.names import name_key
from accountable.org.calendar import EARLIEST, LATEST
from accountable.org.models import Person

router = Router(tags=["sales data"])

MAX_PAGE = 1000
# Far past any table, and far enough from the database's integers for offset + limit.
MAX_OFFSET = 1_000_000_000
# A day the fiscal calendar covers: filters at the ends of Python's calendar would run
# off it when they become moments ("the day after `until`").
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


class Pages(LimitOffsetPagination):
    """`limit` and `offset` query parameters; answers `{"items": [...], "count": total}`."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description="How many to return (1 to 1,000).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many to skip from the start.")


class DealOut(Schema):
    external_id: str = Field(description="The deal's id in your CRM.")
    name: str
    account: str | None = Field(description="The customer's name.")
    owner_email: str
    owner_name: str
    product: str | None
    amount: str = Field(description='Decimal string in the organisation\'s currency, "4821.00".')
    quantity: int = Field(description="Units the deal sells (1 unless given).")
    type: DealType
    stage: str
    status: DealStatus
    created_on: date
    engaged_on: date | None
    expected_close_on: date | None
    closed_on: date | None = Field(description="Actual close: decides a won deal's period.")
    lost_reason: str
    updated_at: datetime

    @staticmethod
    def resolve_account(obj: Deal) -> str | None:
        return obj.account.name if obj.account_id else None

    @staticmethod
    def resolve_owner_email(obj: Deal) -> str:
        return obj.owner.email

    @staticmethod
    def resolve_owner_name(obj: Deal) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_product(obj: Deal) -> str | None:
        return obj.product.name if obj.product_id else None

    @staticmethod
    def resolve_amount(obj: Deal) -> str:
        return f"{obj.amount:.2f}"

    @staticmethod
    def resolve_stage(obj: Deal) -> str:
        return obj.stage.name


class DealFilters(Schema):
    status: DealStatus | None = Field(None, description="open, won or lost.")
    owner: str = Field("", description="The owner's e-mail.")
    stage: str = Field("", description="A pipeline stage's name, e.g. Proposal.")
    closed_from: Day | None = Field(None, description="Closed on or after (YYYY-MM-DD).")
    closed_to: Day | None = Field(None, description="Closed on or before (YYYY-MM-DD).")
    q: str = Field("", description="Part of the deal's name, external id or account name.")


class ActivityOut(Schema):
    external_id: str | None
    person_email: str
    person_name: str
    kind: ActivityKind
    channel: str
    outcome: str
    is_prospecting: bool
    occurred_at: datetime
    account: str | None
    deal_external_id: str | None
    meeting_number: int | None = Field(description="For meetings: 1 first, 2 second.")

    @staticmethod
    def resolve_person_email(obj: Activity) -> str:
        return obj.person.email

    @staticmethod
    def resolve_person_name(obj: Activity) -> str:
        return obj.person.name

    @staticmethod
    def resolve_account(obj: Activity) -> str | None:
        return obj.account.name if obj.account_id else None

    @staticmethod
    def resolve_deal_external_id(obj: Activity) -> str | None:
        return obj.deal.external_id if obj.deal_id else None


class ActivityFilters(Schema):
    person: str = Field("", description="The e-mail of the person who did it.")
    kind: ActivityKind | None = Field(None, description="call, email, meeting, demo, …")
    channel: Channel | None = Field(None, description="phone, email, video, in_person, …")
    prospecting: bool | None = Field(None, description="Only prospecting (true) or not (false).")
    since: Day | None = Field(None, description="On or after this day (YYYY-MM-DD).")
    until: Day | None = Field(None, description="On or before this day (YYYY-MM-DD).")


def _person(viewer: Person, email: str) -> Person | None:
    """The person with this e-mail among those the viewer may see; 400 if there is none."""
    if not email:
        return None
    person = selectors.people_choices(viewer).filter(email__iexact=email.strip()).first()
    if person is None:
        raise HttpError(400, f"No one with the e-mail {email} among the people you may see.")
    return person


def _stage(name: str) -> Stage | None:
    if not name:
        return None
    stage = Stage.objects.filter(key=name_key(name)).first()
    if stage is None:
        known = ", ".join(Stage.objects.values_list("name", flat=True))
        raise HttpError(400, f"No pipeline stage called {name!r}. The stages are: {known}.")
    return stage


@router.get(
    "/deals",
    response=list[DealOut],
    summary="Deals the caller may see",
    description="Newest first. A rep sees the deals they own or share by a split; a manager "
    "those of their teams; executives and admins all.",
)
@paginate(Pages)
def deals(request: HttpRequest, filters: Query[DealFilters]):
    return selectors.deal_list(
        request.user,
        owner=_person(request.user, filters.owner),
        status=filters.status or "",
        stage=_stage(filters.stage),
        search=filters.q.strip(),
        closed_from=filters.closed_from,
        closed_to=filters.closed_to,
    )


@router.get("/deals/{external_id}", response=DealOut, summary="One deal, by its CRM id")
def deal(request: HttpRequest, external_id: str):
    found = selectors.deal_list(request.user).filter(external_id=external_id).first()
    if found is None:
        raise HttpError(404, f"No deal {external_id!r} among the deals you may see.")
    return found


@router.get(
    "/activities",
    response=list[ActivityOut],
    summary="Activities the caller may see",
    description="Newest first. `since` and `until` are whole days of `occurred_at`.",
)
@paginate(Pages)
def activities(request: HttpRequest, filters: Query[ActivityFilters]):
    return selectors.activity_list(
        request.user,
        person=_person(request.user, filters.person),
        kind=filters.kind or "",
        channel=filters.channel or "",
        prospecting=filters.prospecting,
        since=filters.since,
        until=filters.until,
    )
