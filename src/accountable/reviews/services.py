"""Writing performance reviews. An admin opens a cycle (`run_review_cycles`); each person
writes their own assessment (`self_assess`, never someone else's); their managers and an
admin write the manager's (`assess_people`, never their own) and record the outcome
agreed; the person acknowledges it. Every change checks the actor against the person it
touches and is audited. Bad input raises ReviewError and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST, Period
from accountable.org.models import Person
from accountable.reviews.errors import ReviewError
from accountable.reviews.items import RATINGS, items_of
from accountable.reviews.models import (
    Assessment,
    OutcomeKind,
    Review,
    ReviewCycle,
    ReviewState,
    Side,
)
from accountable.reviews.snapshot import snapshot_take

TEXT_LENGTH = 5_000
COMMENT_LENGTH = 1_000
MAX_PEOPLE = 500
CYCLE_FIELDS = ["name", "period", "as_of", "self_due_on", "manager_due_on"]
REVIEW_FIELDS = ["state", "outcome_kind", "outcome", "discussed_on", "response"]


def _day(value: Any, what: str) -> date:
    if not isinstance(value, date) or not EARLIEST <= value <= LATEST:
        raise ReviewError(f"Give {what} between {EARLIEST:%Y} and {LATEST:%Y}.")
    return value


def _text(value: Any, what: str, limit: int = TEXT_LENGTH) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise ReviewError(f"{what} is {len(text):,} characters long; keep it to {limit:,}.")
    return text


@transaction.atomic
def cycle_open(
    *,
    actor: Person | None,
    period: Period,
    people: Iterable[Person],
    as_of: date,
    self_due_on: date,
    manager_due_on: date,
    name: str = "",
    today: date | None = None,
) -> ReviewCycle:
    """A review cycle for `period`: a review for each of `people`, each with their data
    read as of `as_of` (the review day, no later than today) and stored."""
    if actor is not None and not abilities.may(actor, abilities.RUN_REVIEW_CYCLES):
        raise PermissionDenied("Only an admin opens a review cycle.")
    today = today or timezone.localdate()
    as_of = _day(as_of, "the review day")
    self_due_on, manager_due_on = _day(self_due_on, "a due day"), _day(manager_due_on, "a due day")
    if as_of > today:
        raise ReviewError("The review day cannot be after today: its data is not there yet.")
    if as_of < period.start:
        raise ReviewError(f"The review day is before {period.label} starts ({period.start}).")
    if self_due_on < today or manager_due_on < self_due_on:
        raise ReviewError(
            "Self-assessments are due today or later, and the managers' on the same day or after."
        )
    chosen = list(dict.fromkeys(people))
    if not chosen:
        raise ReviewError("Choose who is reviewed.")
    if len(chosen) > MAX_PEOPLE:
        raise ReviewError(f"Open a cycle for at most {MAX_PEOPLE} people at once.")
    reach = abilities.grant(actor, abilities.RUN_REVIEW_CYCLES)
    for person in chosen:
        if not reach.allows(person.pk):
            raise PermissionDenied(f"You cannot open a review of {person.name}.")
    already = Review.objects.filter(cycle__period=period.label, person__in=chosen).exclude(
        state=ReviewState.ACKNOWLEDGED
    )
    if already.exists():
        names = ", ".join(sorted({r.person.name for r in already.select_related("person")}))
        raise ReviewError(f"{names} already have a {period.label} review under way.")
    cycle = ReviewCycle.objects.create(
        name=_text(name, "The name", 120) or f"{period.label} performance reviews",
        period=period.label,
        as_of=as_of,
        self_due_on=self_due_on,
        manager_due_on=manager_due_on,
        opened_by=actor if actor is not None and actor.pk else None,
    )
    viewer = actor if actor is not None else Person(role="admin", email="accountable@localhost")
    Review.objects.bulk_create(
        Review(cycle=cycle, person=p, snapshot=snapshot_take(viewer, p, period, as_of))
        for p in chosen
    )
    audit_record(
        actor=actor, action="review.cycle_open", obj=cycle,
        after={**snapshot(cycle, CYCLE_FIELDS), "people": [p.email for p in chosen]},
    )  # fmt: skip
    return cycle


def _may_write(actor: Person | None, review: Review, side: str) -> None:
    person = review.person
    if side == Side.SELF:
        if actor is not None and (
            actor.pk != person.pk or not abilities.may(actor, abilities.SELF_ASSESS, person)
        ):
            raise PermissionDenied(f"Only {person.name} writes their self-assessment.")
    elif side == Side.MANAGER:
        if actor is not None and (
            actor.pk == person.pk or not abilities.may(actor, abilities.ASSESS_PEOPLE, person)
        ):
            raise PermissionDenied(f"You cannot write the manager's assessment of {person.name}.")
    else:
        raise ReviewError(f'An assessment is "self" or "manager", not "{side}".')


def _ratings(review: Review, given: Mapping[str, Any], submit: bool) -> dict[str, Any]:
    items = items_of(review.snapshot)
    known = {i.key for i in items}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ReviewError(f"This review asks nothing about {', '.join(unknown)}.")
    ratings: dict[str, Any] = {}
    for item in items:
        entry = given.get(item.key) or {}
        rating = entry.get("rating")
        if rating in ("", None):
            rating = None
        else:
            try:
                rating = int(rating)
            except (TypeError, ValueError):
                raise ReviewError(f"Rate {item.label} from 1 to 5, not {rating!r}.") from None
            if rating not in RATINGS:
                raise ReviewError(f"Rate {item.label} from 1 to 5, not {rating}.")
        if submit and rating is None:
            raise ReviewError(f"Rate {item.label} before sending the assessment.")
        comment = _text(entry.get("comment"), f"The comment on {item.label}", COMMENT_LENGTH)
        ratings[item.key] = {"rating": rating, "comment": comment}
    return ratings


@transaction.atomic
def assessment_save(
    *,
    actor: Person | None,
    review: Review,
    side: str,
    ratings: Mapping[str, Any],
    strengths: str = "",
    improve: str = "",
    needs: str = "",
    submit: bool = False,
) -> Assessment:
    """Save one side's assessment (a draft, or `submit` it: then it is locked). Once both
    sides are in, the review is ready to discuss."""
    _may_write(actor, review, side)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.state != ReviewState.WRITING:
        raise ReviewError("Both assessments are in: they can no longer be changed.")
    found = Assessment.objects.filter(review=review, side=side).first()
    if found is not None and found.submitted:
        raise ReviewError("This assessment was sent: it can no longer be changed.")
    values = {
        "ratings": _ratings(review, ratings, submit),
        "strengths": _text(strengths, "Strengths"),
        "improve": _text(improve, "What to improve"),
        "needs": _text(needs, "What is needed"),
    }
    if submit and not values["strengths"] and not values["improve"]:
        raise ReviewError("Say at least one strength or one thing to improve before sending.")
    assessment = found or Assessment(review=review, side=side)
    before = (
        snapshot(assessment, ["strengths", "improve", "needs", "submitted_at"]) if found else {}
    )
    for key, value in values.items():
        setattr(assessment, key, value)
    assessment.author = actor if actor is not None and actor.pk else assessment.author
    assessment.updated_at = timezone.now()
    if submit:
        assessment.submitted_at = timezone.now()
    assessment.save()
    audit_record(
        actor=actor, action=f"review.assessment_{'submit' if submit else 'save'}", obj=assessment,
        before=before,
        after={**snapshot(assessment, ["strengths", "improve", "needs", "submitted_at"]),
               "ratings": {k: v["rating"] for k, v in values["ratings"].items()}},
    )  # fmt: skip
    sides = set(
        Assessment.objects.filter(review=review, submitted_at__isnull=False).values_list(
            "side", flat=True
        )
    )
    if sides == {Side.SELF, Side.MANAGER}:
        review.state = ReviewState.DISCUSSING
        review.save(update_fields=["state"])
    return assessment


@transaction.atomic
def outcome_record(
    *,
    actor: Person | None,
    review: Review,
    kind: str,
    text: str,
    discussed_on: date,
    today: date | None = None,
) -> Review:
    """The outcome agreed in the discussion: development goals, an action or a coaching
    plan, or nothing further; the person then acknowledges it."""
    _may_write(actor, review, Side.MANAGER)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.state != ReviewState.DISCUSSING:
        raise ReviewError("The outcome is recorded once both assessments are in, and only once.")
    if kind not in OutcomeKind.values:
        raise ReviewError(f"The outcome is one of {', '.join(OutcomeKind.values)}, not {kind!r}.")
    words = _text(text, "The outcome")
    if kind != OutcomeKind.NOTHING and not words:
        raise ReviewError("Say what was agreed: the goals, or the plan's steps.")
    discussed_on = _day(discussed_on, "the day it was discussed")
    if discussed_on > (today or timezone.localdate()):
        raise ReviewError("The discussion cannot be on a day still to come.")
    before = snapshot(review, REVIEW_FIELDS)
    review.outcome_kind, review.outcome, review.discussed_on = kind, words, discussed_on
    review.recorded_by = actor if actor is not None and actor.pk else None
    review.recorded_at = timezone.now()
    review.state = ReviewState.AGREED
    review.save()
    audit_record(
        actor=actor, action="review.outcome", obj=review, before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )  # fmt: skip
    return review


@transaction.atomic
def outcome_acknowledge(*, actor: Person | None, review: Review, response: str = "") -> Review:
    """The person's acknowledgment of the outcome (a receipt, with their own words if
    they wish: not necessarily agreement)."""
    _may_write(actor, review, Side.SELF)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.state != ReviewState.AGREED:
        raise ReviewError("There is no recorded outcome waiting to be acknowledged.")
    before = snapshot(review, REVIEW_FIELDS)
    review.response = _text(response, "Your response")
    review.acknowledged_at = timezone.now()
    review.state = ReviewState.ACKNOWLEDGED
    review.save()
    audit_record(
        actor=actor, action="review.acknowledge", obj=review, before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )  # fmt: skip
    return review
