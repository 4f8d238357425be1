"""Pipeline reviews (SPEC §6) for a person or a team: coverage; what moved since the
last review of the same subject (new, advanced, slipped back, pushed to a later
period, pulled in, resized, won, lost); stale deals; deals missing milestones for
their stage; and for each deal discussed a decision and a next step with an owner and
a date, which becomes an action item. Deals are those credited to the subject's
people (owner or split), as on the board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accountable.audit.services import audit_record
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import ActionItem, PipelineReview, ReviewDecision
from accountable.checkins.services import may_run
from accountable.crm import credit
from accountable.crm.models import Deal, DealStatus
from accountable.crm.movement import KINDS, Moved, movement
from accountable.org import abilities
from accountable.org.calendar import Kind
from accountable.org.models import Person, Role, Team
from accountable.org.scoping import visible_people, visible_teams
from accountable.org.services import organisation_get
from accountable.scorecards import metrics
from accountable.scorecards.selectors import scorecard_rows, team_summary

FIRST_LOOK_BACK = 14


def people_of(review_or_person: Person | None, team: Team | None) -> list[int]:
    if review_or_person is not None:
        return [review_or_person.pk]
    under = Team.objects.subtree_of([team])
    return list(Person.objects.filter(team__in=under, role=Role.REP).values_list("pk", flat=True))


def _credited(ids: list[int]) -> QuerySet[Deal]:
    return Deal.objects.filter(credit.credits_people(ids)).select_related("stage", "owner")


@dataclass
class Review:
    """A review's contents, worked out from the data (never stored: the decisions are)."""

    review: PipelineReview
    coverage: float | None
    pipeline_in_period: Decimal | None
    moved: dict[str, list[Moved]] = field(default_factory=dict)
    stale: list[Deal] = field(default_factory=list)
    missing: list[Deal] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, str, list[Moved]]]:
        return [(key, label, self.moved.get(key, [])) for key, label in KINDS]


def contents(viewer: Person, review: PipelineReview) -> Review:
    ids = people_of(review.person, review.team)
    since, until = review.since, review.held_on
    calendar = organisation_get().calendar
    period = calendar.period(Kind.QUARTER, until)
    if review.person_id:
        rows = scorecard_rows(viewer, period=period, as_of=until, person=review.person)
        coverage = rows[0].coverage if rows else None
        in_period = rows[0].pipeline_in_period if rows else None
    else:
        summary = team_summary(viewer, team=review.team, period=period, as_of=until)
        coverage, in_period = summary.coverage, summary.pipeline_in_period
    deals = _credited(ids)
    moved = movement(deals, since, until, calendar)
    open_deals = deals.filter(status=DealStatus.OPEN)
    return Review(
        review=review,
        coverage=coverage,
        pipeline_in_period=in_period,
        moved=moved,
        stale=list(open_deals.filter(metrics.stale_q(until)).order_by("expected_close_on")[:50]),
        missing=list(
            open_deals.filter(metrics.missing_milestones_q()).order_by("expected_close_on")[:50]
        ),
    )


def may_review(actor: Person | None, person: Person | None, team: Team | None) -> bool:
    if actor is None:
        return True
    if person is not None:
        return may_run(actor, person) and actor.pk != person.pk
    return abilities.may_team(actor, abilities.RUN_CHECKINS, team)


@transaction.atomic
def review_start(
    *, actor: Person | None, person: Person | None = None, team: Team | None = None,
    today: date | None = None,
) -> PipelineReview:  # fmt: skip
    """A review of the person's or the team's pipeline today, from the last one's day."""
    if (person is None) == (team is None):
        raise CheckinError("Review one person's pipeline, or one team's.")
    if not may_review(actor, person, team):
        raise PermissionDenied("You do not review this pipeline.")
    today = today or timezone.localdate()
    last = PipelineReview.objects.filter(person=person, team=team).order_by("-held_on").first()
    since = last.held_on if last else today - timedelta(days=FIRST_LOOK_BACK)
    review = PipelineReview.objects.create(
        person=person, team=team, run_by=actor, since=min(since, today), held_on=today
    )
    audit_record(
        actor=actor,
        action="review.start",
        obj=review,
        after={"subject": review.subject, "since": review.since.isoformat()},
    )
    return review


@transaction.atomic
def decision_add(
    *, actor: Person | None, review: PipelineReview, deal: Deal, decision: str,
    next_step: str = "", owner: Person | None = None, due_on: date | None = None,
) -> ReviewDecision:  # fmt: skip
    """A decision on a deal of the review's subject, and its next step as an action item."""
    if not may_review(actor, review.person, review.team):
        raise PermissionDenied("You do not review this pipeline.")
    ids = people_of(review.person, review.team)
    if not _credited(ids).filter(pk=deal.pk).exists():
        raise CheckinError("That deal is not in this pipeline.")
    decision = " ".join(str(decision or "").split())
    if not decision:
        raise CheckinError("Say what was decided.")
    if len(decision) > 300:
        raise CheckinError("Keep the decision to 300 characters.")
    next_step = " ".join(str(next_step or "").split())
    action = None
    if next_step:
        if owner is None or due_on is None:
            raise CheckinError("A next step has an owner and a day.")
        if len(next_step) > 300:
            raise CheckinError("Keep the next step to 300 characters.")
        about = review.person or deal.owner
        action = ActionItem.objects.create(
            owner=owner, about=about, text=f"{deal.name or deal.external_id}: {next_step}",
            due_on=due_on, created_by=actor,
        )  # fmt: skip
    made = ReviewDecision.objects.create(review=review, deal=deal, decision=decision, action=action)
    audit_record(
        actor=actor, action="review.decide", obj=review,
        after={"deal": deal.external_id, "decision": decision, "next_step": next_step},
    )  # fmt: skip
    return made


def reviews_visible(viewer: Person) -> QuerySet[PipelineReview]:
    """Reviews of people the viewer may see, and of teams they may see."""
    seen = Q(person__in=visible_people(viewer)) | Q(team__in=visible_teams(viewer))
    return PipelineReview.objects.filter(seen).select_related("person", "team", "run_by")


@transaction.atomic
def review_notes(*, actor: Person | None, review: PipelineReview, notes: str) -> PipelineReview:
    if not may_review(actor, review.person, review.team):
        raise PermissionDenied("You do not review this pipeline.")
    before = {"notes": review.notes}
    review.notes = str(notes or "").strip()
    review.save(update_fields=["notes"])
    audit_record(
        actor=actor, action="review.notes", obj=review, before=before, after={"notes": review.notes}
    )
    return review
