"""Reading performance reviews, scoped to the viewer: a person sees their own, their
managers (the whole chain) theirs, executives and admins everyone's
(`org.scoping.visible_people`); a rep never another rep's.

Each side's assessment is shown to the other only once both are in, so neither anchors
on the other: until then the person sees their own answers and their manager theirs
(and, once sent, the person's). A draft is seen by its writer's side only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accountable.org import abilities
from accountable.org.models import Person
from accountable.org.scoping import visible_people
from accountable.reviews.items import Item, Row, items_of, side_by_side
from accountable.reviews.models import Assessment, Review, ReviewCycle, ReviewState, Side


def visible(viewer: Person) -> QuerySet[Review]:
    return Review.objects.filter(person__in=visible_people(viewer)).select_related(
        "cycle", "person", "person__team", "recorded_by"
    )


def review_get(viewer: Person, pk: int) -> Review:
    found = visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("No such review among those you may see.")
    return found


def review_list(viewer: Person, *, cycle: ReviewCycle | None = None) -> list[Review]:
    rows = visible(viewer)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    return list(rows.order_by("-cycle__opened_at", "person__name", "pk"))


def cycle_list() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.all()


def side_of(viewer: Person, review: Review) -> str | None:
    """Which assessment the viewer writes in this review: their own, the manager's, or
    none (an executive reads)."""
    if viewer.pk == review.person_id:
        return Side.SELF if abilities.may(viewer, abilities.SELF_ASSESS, review.person) else None
    if abilities.may(viewer, abilities.ASSESS_PEOPLE, review.person):
        return Side.MANAGER
    return None


@dataclass(frozen=True)
class Shown:
    """A review as the viewer sees it: the items with what each side may show."""

    review: Review
    items: list[Item]
    own: Assessment | None  # the self-assessment, if the viewer may see it
    manager: Assessment | None  # the manager's, if the viewer may see it
    side: str | None  # which one the viewer writes
    rows: list[Row]

    @property
    def both_in(self) -> bool:
        return self.review.state != ReviewState.WRITING

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows if r.highlighted)

    def mine(self) -> Assessment | None:
        return self.own if self.side == Side.SELF else self.manager if self.side else None


def review_shown(viewer: Person, review: Review) -> Shown:
    found = {a.side: a for a in review.assessments.select_related("author")}
    side = side_of(viewer, review)
    both = review.state != ReviewState.WRITING

    def may_see(which: str) -> bool:
        theirs = found.get(which)
        if theirs is None:
            return False
        if both or which == side:
            return True
        # The manager chain reads the person's once sent; the person never the manager's
        # before both are in.
        return which == Side.SELF and theirs.submitted and viewer.pk != review.person_id

    own = found.get(Side.SELF) if may_see(Side.SELF) else None
    manager = found.get(Side.MANAGER) if may_see(Side.MANAGER) else None
    items = items_of(review.snapshot)
    rows = side_by_side(items, own.ratings if own else None, manager.ratings if manager else None)
    return Shown(review, items, own, manager, side, rows)


def latest_outcome(viewer: Person, person: Person) -> Review | None:
    """The person's latest review with an outcome recorded, if the viewer may see it."""
    return (
        visible(viewer)
        .filter(person=person, state__in=[ReviewState.AGREED, ReviewState.ACKNOWLEDGED])
        .order_by("-recorded_at", "-pk")
        .first()
    )
