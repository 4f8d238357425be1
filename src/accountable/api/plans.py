"""Plan endpoints: list, read, start, write, submit, decide, comment on, and review
against actuals; key account plans — scoped to the caller, through the same selectors
and services as the plan pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from accountable.api.auth import callers
from accountable.api.people import person_by_email
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST
from accountable.plans import selectors, services
from accountable.plans.models import SECTIONS, Plan
from accountable.tokens.models import Scope

router = Router(tags=["plans"])

Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
Section = Annotated[str, Field(max_length=services.SECTION_LENGTH)]
_ROLES = tuple(
    sorted(
        set(abilities.roles_with(abilities.WRITE_PLANS))
        | set(abilities.roles_with(abilities.REVIEW_PLANS))
    )
)
WRITERS = callers(scope=Scope.WRITE, roles=_ROLES, action="write or review a plan")
REVIEWERS = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.REVIEW_PLANS),
    action="approve or return a plan",
)


class VersionOut(Schema):
    number: int
    submitted_at: Any
    decision: Literal["", "approved", "returned"] = Field(description='"": not decided yet.')
    reason: str
    decided_by: str | None


class ActionOut(Schema):
    id: int
    text: str
    due: date
    state: Literal["open", "done", "dropped"]


class CommentOut(Schema):
    section: str
    author: str | None
    text: str
    version: int = Field(description="The version it was written on (0: the draft).")
    created_at: Any


class PlanOut(Schema):
    id: int
    person: str = Field(description="The e-mail of whose plan it is.")
    name: str
    kind: Literal["annual", "quarterly"]
    period: str
    state: Literal["draft", "submitted", "returned", "approved"]
    due: date
    carried_from: int | None
    sections: dict[str, str] = Field(description="The working draft's sections, by key.")
    versions: list[VersionOut]
    actions: list[ActionOut]
    comments: list[CommentOut]


class PlanFilters(Schema):
    person: str = Field("", max_length=254, description="Only this person's (an e-mail).")


class PlanIn(Schema):
    person: str = Field("", max_length=254, description="Whose (an e-mail); blank: yourself.")
    kind: Literal["annual", "quarterly"]
    period: str = Field(max_length=12, description="A year (2027) or a quarter (2027-Q1).")
    due: Day | None = Field(None, description="To be submitted by (default: two weeks in).")


class SectionsIn(Schema):
    summary: Section | None = None
    pipeline: Section | None = None
    learnt: Section | None = None
    support: Section | None = None


class DecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=2000, description="Required to return it.")


class CommentIn(Schema):
    section: str = Field(max_length=20, description=", ".join(services.COMMENTED))
    text: str = Field(max_length=2000)


class ReviewIn(Schema):
    why: str = Field(max_length=4000, description="Why up or down.")
    what_now: str = Field(max_length=4000, description="One thing per line: each a commitment.")
    as_of: Day | None = Field(None, description="Default: today, or the quarter's last day.")
    commit_by: Day | None = Field(None, description="The commitments' due day.")


class ReviewOut(Schema):
    id: int
    as_of: date
    figures: dict[str, Any]
    why: str
    what_now: str
    commitments: list[int]
    catch_up: bool = Field(description="Whether it opened a catch-up plan.")


class ActionIn(Schema):
    text: str = Field(max_length=services.LINE_LENGTH)
    due: Day


class ActionStateIn(Schema):
    state: Literal["open", "done", "dropped"]


class SignedOut(Schema):
    id: int
    signed_off_by: str | None
    signed_off_at: Any


class CloseIn(Schema):
    note: str = Field(max_length=services.LINE_LENGTH, description="Why it is closed.")


class CatchUpOut(Schema):
    id: int
    state: Literal["open", "met", "missed", "closed"]
    shortfall: str
    weeks: list[dict[str, str]]
    note: str


class ActualsFilters(Schema):
    as_of: Day | None = Field(None, description="Default: today, or the period's last day.")


class AccountPlanOut(Schema):
    account: str
    owner: str
    year: int
    tier: Literal["A", "B", "C"]
    goal: str
    goal_amount: str | None
    contacts: str
    next_action: str
    next_action_on: date | None


class AccountPlanIn(Schema):
    account: str = Field(
        max_length=200, description="The account's CRM id (external id) or its exact name."
    )
    year: int | None = Field(
        None, ge=EARLIEST.year, le=LATEST.year, description="Fiscal year (default: this one)."
    )
    tier: Literal["A", "B", "C"]
    goal: str = Field(max_length=services.LINE_LENGTH)
    goal_amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    contacts: str = Field("", max_length=2000)
    next_action: str = Field("", max_length=services.LINE_LENGTH)
    next_action_on: Day | None = None


class AccountPlanFilters(Schema):
    year: int | None = Field(None, ge=EARLIEST.year, le=LATEST.year)


def _out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "person": plan.person.email,
        "name": plan.person.name,
        "kind": plan.kind,
        "period": plan.period,
        "state": plan.state,
        "due": plan.due_on,
        "carried_from": plan.carried_from_id,
        "sections": {key: text for key, _, text in plan.sections()},
        "versions": [
            {
                "number": v.number,
                "submitted_at": v.submitted_at,
                "decision": v.decision,
                "reason": v.reason,
                "decided_by": v.decided_by.email if v.decided_by else None,
            }
            for v in plan.versions.select_related("decided_by")
        ],
        "actions": [
            {"id": a.pk, "text": a.text, "due": a.due_on, "state": a.state}
            for a in plan.actions.all()
        ],
        "comments": [
            {
                "section": c.section,
                "author": c.author.email if c.author else None,
                "text": c.text,
                "version": c.version,
                "created_at": c.created_at,
            }
            for c in plan.comments.select_related("author")
        ],
    }


@router.get(
    "/plans",
    response=list[PlanOut],
    summary="Plans the caller may see",
    description="Newest period first: one's own, a manager's people's, everyone's for an "
    "admin or an executive; `person` narrows to one e-mail. A rep never sees another's.",
)
def plan_list(request: HttpRequest, filters: Query[PlanFilters]):
    person = person_by_email(request.user, filters.person)
    return [_out(plan) for plan in selectors.plan_list(request.user, person=person)]


@router.get("/plans/{int:plan_id}", response=PlanOut, summary="One plan")
def plan_get(request: HttpRequest, plan_id: int):
    return _out(selectors.plan_get(request.user, plan_id))


@router.post(
    "/plans",
    response={201: PlanOut},
    summary="Start a plan",
    description="A draft annual (`period` a year) or quarterly (a quarter) plan of yourself, "
    "carrying over the last plan's open actions, what its reviews learnt and the key "
    "account plans. 400: what is wrong.",
    auth=WRITERS,
)
def plan_create(request: HttpRequest, body: PlanIn):
    person = person_by_email(request.user, body.person, blank=request.user)
    plan = services.plan_start(
        actor=request.user,
        person=person,
        kind=body.kind,
        period=body.period,
        due_on=body.due,
    )
    return Status(201, _out(plan))


@router.patch(
    "/plans/{int:plan_id}",
    response=PlanOut,
    summary="Write a plan's sections",
    description=f"Any of {', '.join(SECTIONS)}; the others are kept. Only a draft or a "
    "returned plan changes.",
    auth=WRITERS,
)
def plan_update(request: HttpRequest, plan_id: int, body: SectionsIn):
    plan = selectors.plan_get(request.user, plan_id)
    given = {k: v for k, v in body.dict().items() if v is not None}
    services.plan_update(actor=request.user, plan=plan, **given)
    return _out(plan)


@router.post(
    "/plans/{int:plan_id}/submit",
    response=PlanOut,
    summary="Submit a plan",
    description="Freezes the plan as it stands as a new version, for the manager.",
    auth=WRITERS,
)
def plan_submit(request: HttpRequest, plan_id: int):
    plan = selectors.plan_get(request.user, plan_id)
    services.plan_submit(actor=request.user, plan=plan)
    return _out(plan)


@router.post(
    "/plans/{int:plan_id}/decision",
    response=PlanOut,
    summary="Approve or return a submitted plan",
    auth=REVIEWERS,
)
def plan_decide(request: HttpRequest, plan_id: int, body: DecisionIn):
    plan = selectors.plan_get(request.user, plan_id)
    services.plan_decide(
        actor=request.user,
        plan=plan,
        approve=body.approve,
        reason=body.reason,
    )
    return _out(plan)


@router.post(
    "/plans/{int:plan_id}/comments",
    response={201: PlanOut},
    summary="Comment on a section of a plan",
    auth=WRITERS,
)
def plan_comment(request: HttpRequest, plan_id: int, body: CommentIn):
    plan = selectors.plan_get(request.user, plan_id)
    services.plan_comment(actor=request.user, plan=plan, section=body.section, text=body.text)
    return Status(201, _out(plan))


@router.get(
    "/plans/{int:plan_id}/actuals",
    response=dict[str, Any],
    summary="A plan against actuals",
    description="The period, each month and each week (a quarterly plan) or each quarter "
    "and month (an annual one): planned, due by `as_of`, sold (the scorecard's figures for "
    "the same days) and the gap; and the weekly run rate needed to catch up.",
)
def plan_actuals(request: HttpRequest, plan_id: int, filters: Query[ActualsFilters]):
    plan = selectors.plan_get(request.user, plan_id)
    as_of = filters.as_of or min(timezone.localdate(), plan.period_end)
    return selectors.plan_figures(plan, as_of).as_dict()


@router.post(
    "/plans/{int:plan_id}/reviews",
    response={201: ReviewOut},
    summary="Record a review of an approved quarterly plan",
    description="Keeps the plan against actuals as they stand; each line of `what_now` "
    "becomes a commitment; a quarter behind plan opens a catch-up plan.",
    auth=WRITERS,
)
def plan_review(request: HttpRequest, plan_id: int, body: ReviewIn):
    plan = selectors.plan_get(request.user, plan_id)
    review = services.review_record(
        actor=request.user,
        plan=plan,
        why=body.why,
        what_now=body.what_now,
        as_of=body.as_of,
        commit_by=body.commit_by,
    )
    return Status(
        201,
        {
            "id": review.pk,
            "as_of": review.as_of,
            "figures": review.figures,
            "why": review.why,
            "what_now": review.what_now,
            "commitments": list(review.commitments.values_list("pk", flat=True)),
            "catch_up": selectors.opened_catch_up(review),
        },
    )


@router.post(
    "/plans/{int:plan_id}/actions",
    response={201: PlanOut},
    summary="Add an action to a plan",
    description="A draft or a returned plan's: something to do by `due`.",
    auth=WRITERS,
)
def plan_action_add(request: HttpRequest, plan_id: int, body: ActionIn):
    plan = selectors.plan_get(request.user, plan_id)
    services.action_add(actor=request.user, plan=plan, text=body.text, due_on=body.due)
    return Status(201, _out(plan))


@router.post(
    "/plans/{int:plan_id}/actions/{int:action_id}",
    response=PlanOut,
    summary="Mark a plan's action done, dropped or open again",
    auth=WRITERS,
)
def plan_action_set(request: HttpRequest, plan_id: int, action_id: int, body: ActionStateIn):
    plan = selectors.plan_get(request.user, plan_id)
    action = selectors.action_get(plan, action_id)
    services.action_set(actor=request.user, action=action, state=body.state)
    return _out(plan)


@router.post(
    "/plan-reviews/{int:review_id}/sign-off",
    response=SignedOut,
    summary="Sign off a plan review",
    description="The person's manager (or an admin); once.",
    auth=REVIEWERS,
)
def plan_review_sign_off(request: HttpRequest, review_id: int):
    review = services.review_sign_off(
        actor=request.user, review=selectors.review_get(request.user, review_id)
    )
    signed = review.signed_off_by
    return {
        "id": review.pk,
        "signed_off_by": signed.email if signed else None,
        "signed_off_at": review.signed_off_at,
    }


@router.post(
    "/catch-ups/{int:catch_up_id}/close",
    response=CatchUpOut,
    summary="Close a catch-up plan before its quarter ends",
    auth=REVIEWERS,
)
def catch_up_close(request: HttpRequest, catch_up_id: int, body: CloseIn):
    catch_up = services.catch_up_close(
        actor=request.user,
        catch_up=selectors.catch_up_get(request.user, catch_up_id),
        note=body.note,
    )
    return {
        "id": catch_up.pk,
        "state": catch_up.state,
        "shortfall": f"{catch_up.shortfall:.2f}",
        "weeks": catch_up.weeks,
        "note": catch_up.note,
    }


@router.get(
    "/account-plans",
    response=list[AccountPlanOut],
    summary="Key account plans the caller may see",
    description="For a fiscal `year` (default: this one).",
)
def account_plan_list(request: HttpRequest, filters: Query[AccountPlanFilters]):
    from_today = selectors.fiscal_year_of(timezone.localdate())
    return [
        _account_plan(a) for a in selectors.account_plans(request.user, filters.year or from_today)
    ]


@router.post(
    "/account-plans",
    response=AccountPlanOut,
    summary="Plan a key account for a year",
    description="One of your own accounts (an admin: anyone's), by its CRM id or exact "
    "name; saving again replaces the year's plan, and its tier becomes the account's.",
    auth=WRITERS,
)
def account_plan_save(request: HttpRequest, body: AccountPlanIn):
    account = selectors.ownable_account(request.user, body.account)
    saved = services.account_plan_save(
        actor=request.user,
        account=account,
        year=body.year or selectors.fiscal_year_of(timezone.localdate()),
        tier=body.tier,
        goal=body.goal,
        goal_amount=body.goal_amount,
        contacts=body.contacts,
        next_action=body.next_action,
        next_action_on=body.next_action_on,
    )
    return _account_plan(saved)


def _account_plan(a) -> dict[str, Any]:
    return {
        "account": a.account.name,
        "owner": a.person.email,
        "year": a.year,
        "tier": a.tier,
        "goal": a.goal,
        "goal_amount": None if a.goal_amount is None else f"{a.goal_amount:.2f}",
        "contacts": a.contacts,
        "next_action": a.next_action,
        "next_action_on": a.next_action_on,
    }
