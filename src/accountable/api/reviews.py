"""Performance review endpoints: list, read and write one's assessment, scoped to the
caller through the reviews app's own selectors and services — the same as its pages.
Each side's assessment is in an answer only where the page would show it: the person's
own, and their manager's once both are in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accountable.api.auth import callers
from accountable.api.people import person_by_email
from accountable.org import abilities
from accountable.reviews import selectors, services
from accountable.reviews.items import RATINGS
from accountable.reviews.models import Assessment
from accountable.tokens.models import Scope

router = Router(tags=["performance reviews"])

WRITERS = callers(
    scope=Scope.WRITE,
    roles=tuple(
        dict.fromkeys(
            abilities.roles_with(abilities.SELF_ASSESS)
            + abilities.roles_with(abilities.ASSESS_PEOPLE)
        )
    ),
    action="write an assessment",
)


class AnswerOut(Schema):
    key: str = Field(description='The item: "metric:calls", "right_thing", "teamwork", …')
    label: str
    data: str = Field(description="The figures beside it, as of the review day.")
    data_rating: int | None = Field(description="The data's own rating (1-5), if it gives one.")
    self_rating: int | None
    self_comment: str
    manager_rating: int | None
    manager_comment: str
    gap: bool = Field(description="Two or more apart: the two sides, or the person and the data.")


class SideOut(Schema):
    author: str | None
    submitted_at: datetime | None
    strengths: str
    improve: str
    needs: str


class ReviewOut(Schema):
    id: int
    person: str = Field(description="The e-mail of whose review it is.")
    name: str
    cycle: str
    period: str
    as_of: date = Field(description="The review day: the data beside each answer is as of it.")
    self_due: date
    manager_due: date
    state: Literal["writing", "discussing", "agreed", "acknowledged"]
    outcome_kind: str
    outcome: str
    acknowledged_at: datetime | None


class ReviewDetailOut(ReviewOut):
    writes: Literal["self", "manager"] | None = Field(
        description="Which assessment the caller writes in this review, if any."
    )
    answers: list[AnswerOut]
    self_assessment: SideOut | None = Field(description="Absent where the caller may not see it.")
    manager_assessment: SideOut | None = Field(
        description="Absent where the caller may not see it (for the person: until both are in)."
    )


class ReviewFilters(Schema):
    person: str = Field("", max_length=254, description="Only this person's (an e-mail).")


class RatingIn(Schema):
    rating: int | None = Field(None, ge=min(RATINGS), le=max(RATINGS))
    comment: str = Field("", max_length=services.COMMENT_LENGTH)


class AssessmentIn(Schema):
    ratings: dict[str, RatingIn] = Field(
        default_factory=dict, description="{item key: {rating 1-5, comment}}; see `answers`."
    )
    strengths: str = Field("", max_length=services.TEXT_LENGTH)
    improve: str = Field("", max_length=services.TEXT_LENGTH)
    needs: str = Field("", max_length=services.TEXT_LENGTH)
    submit: bool = Field(
        False, description="Send it (then locked; every item needs a rating), or keep a draft."
    )


def _out(review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "person": review.person.email,
        "name": review.person.name,
        "cycle": review.cycle.name,
        "period": review.cycle.period,
        "as_of": review.cycle.as_of,
        "self_due": review.cycle.self_due_on,
        "manager_due": review.cycle.manager_due_on,
        "state": review.state,
        "outcome_kind": review.outcome_kind,
        "outcome": review.outcome,
        "acknowledged_at": review.acknowledged_at,
    }


def _side(a: Assessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "author": a.author.email if a.author_id and a.author else None,
        "submitted_at": a.submitted_at,
        "strengths": a.strengths,
        "improve": a.improve,
        "needs": a.needs,
    }


def _detail(viewer, review) -> dict[str, Any]:
    shown = selectors.review_shown(viewer, review)
    return {
        **_out(review),
        "writes": shown.side,
        "answers": [
            {
                "key": r.item.key,
                "label": r.item.label,
                "data": r.item.data,
                "data_rating": r.item.data_rating,
                "self_rating": r.own,
                "self_comment": r.own_comment,
                "manager_rating": r.manager,
                "manager_comment": r.manager_comment,
                "gap": r.highlighted,
            }
            for r in shown.rows
        ],
        "self_assessment": _side(shown.own),
        "manager_assessment": _side(shown.manager),
    }


@router.get(
    "/reviews",
    response=list[ReviewOut],
    summary="Performance reviews the caller may see",
    description="The caller's own, a manager's people's, everyone's for an admin or an "
    "executive; newest cycle first. `person` narrows it to one e-mail.",
)
def performance_review_list(request: HttpRequest, filters: Query[ReviewFilters]):
    person = person_by_email(request.user, filters.person)
    rows = selectors.review_list(request.user)
    return [_out(r) for r in rows if person is None or r.person_id == person.pk]


@router.get(
    "/reviews/{int:review_id}",
    response=ReviewDetailOut,
    summary="One performance review",
    description="Each item with the data beside it (frozen as of the review day), both "
    "sides' ratings where the caller may see them, and whether they are two or more apart.",
)
def performance_review_get(request: HttpRequest, review_id: int):
    return _detail(request.user, selectors.review_get(request.user, review_id))


@router.post(
    "/reviews/{int:review_id}/assessment",
    response=ReviewDetailOut,
    summary="Save or send one's assessment",
    description="The person writes their self-assessment, their manager (or an admin) the "
    "manager's. A draft until `submit`; then locked. 400: what is wrong (nothing saved). "
    "Needs a token with the write scope.",
    auth=WRITERS,
)
def assessment_submit(request: HttpRequest, review_id: int, body: AssessmentIn):
    review = selectors.review_get(request.user, review_id)
    side = selectors.side_of(request.user, review)
    if side is None:
        raise PermissionDenied("You write no assessment in this review.")
    services.assessment_save(
        actor=request.user,
        review=review,
        side=side,
        ratings={k: v.dict() for k, v in body.ratings.items()},
        strengths=body.strengths,
        improve=body.improve,
        needs=body.needs,
        submit=body.submit,
    )
    return _detail(request.user, selectors.review_get(request.user, review_id))
