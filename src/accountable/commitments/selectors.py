"""Reading commitments, scoped to the viewer: a person sees their own, a manager their
people's, an executive and an admin everyone's (`org.scoping.visible_people`); a rep
never another rep's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404

from accountable.commitments.judge import OVERDUE, standing
from accountable.commitments.models import CLOSED_STATES, Commitment, State
from accountable.org.models import Person
from accountable.org.scoping import visible_people

KEPT_WINDOW_DAYS = 91  # the record a scorecard and the warnings look back over


def visible(viewer: Person) -> QuerySet[Commitment]:
    return Commitment.objects.filter(person__in=visible_people(viewer)).select_related(
        "person", "deal", "created_by", "confirmed_by"
    )


def commitment_get(viewer: Person, pk: int) -> Commitment:
    found = visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("No such commitment among those you may see.")
    return found


@dataclass(frozen=True)
class Listed:
    """A commitment and how it stands on the day asked."""

    commitment: Commitment
    standing: str


def commitment_list(
    viewer: Person,
    *,
    as_of: date,
    person: Person | None = None,
    standings: Iterable[str] = (),
) -> list[Listed]:
    """The viewer's commitments (and their people's), soonest due first; narrowed to one
    person and to some standings (open, due soon, overdue, reported, met, …)."""
    rows = visible(viewer)
    if person is not None:
        rows = rows.filter(person=person)
    wanted = set(standings)
    listed = [Listed(c, standing(c, as_of)) for c in rows.order_by("due_on", "pk")]
    return [item for item in listed if not wanted or item.standing in wanted]


def _decided(item: Listed) -> bool:
    """Met, partly met, missed or withdrawn: no longer open, nor reported and awaiting
    confirmation."""
    return item.commitment.state in CLOSED_STATES


def waiting_first(listed: list[Listed]) -> list[Listed]:
    """Those still to be decided, soonest due first; then the decided, the latest due
    first: a long record never pushes this week's commitments off a list."""
    waiting = [item for item in listed if not _decided(item)]
    decided = [item for item in listed if _decided(item)]
    decided.sort(key=lambda item: (item.commitment.due_on, item.commitment.pk), reverse=True)
    return waiting + decided


def still_open(viewer: Person, person: Person, as_of: date) -> list[Listed]:
    """The person's commitments still to be decided, soonest due first."""
    listed = commitment_list(viewer, as_of=as_of, person=person)
    return [item for item in listed if not _decided(item)]


def due_this_week(viewer: Person, as_of: date) -> list[Listed]:
    """The viewer's own commitments due in the next seven days, or overdue."""
    week = as_of + timedelta(days=7)
    return [
        item
        for item in commitment_list(viewer, as_of=as_of, person=viewer)
        if item.standing == OVERDUE
        or (item.commitment.state == State.OPEN and item.commitment.due_on <= week)
    ]


def overdue_in_team(viewer: Person, as_of: date) -> list[Listed]:
    """Commitments of the viewer's people (not their own) that are overdue."""
    return [
        item
        for item in commitment_list(viewer, as_of=as_of, standings=[OVERDUE])
        if item.commitment.person_id != viewer.pk
    ]


@dataclass(frozen=True)
class Kept:
    """A person's record: of the commitments that fell due in the window and were
    decided, how many were met (partly met counts as not kept)."""

    kept: int = 0
    decided: int = 0

    @property
    def share(self) -> float | None:
        return self.kept / self.decided if self.decided else None


def kept_record(people: Iterable[int], as_of: date) -> dict[int, Kept]:
    """{person id: Kept} over the `KEPT_WINDOW_DAYS` days to `as_of` (withdrawn ones and
    those not decided yet left out)."""
    since = as_of - timedelta(days=KEPT_WINDOW_DAYS)
    rows = Commitment.objects.filter(
        person_id__in=list(people),
        due_on__gt=since,
        due_on__lte=as_of,
        state__in=[State.MET, State.PARTLY, State.MISSED],
    ).values_list("person_id", "state")
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for person_id, state in rows:
        counted[person_id][1] += 1
        counted[person_id][0] += state == State.MET
    return {pid: Kept(kept, decided) for pid, (kept, decided) in counted.items()}


def decided_for_warnings(people: Iterable[int], since: date, until: date) -> list[tuple]:
    """(person id, due day, met) of the commitments decided that fell due in the span:
    what the warning engine judges `missed_commitments` on."""
    rows = Commitment.objects.filter(
        person_id__in=list(people),
        due_on__gte=since,
        due_on__lte=until,
        state__in=[State.MET, State.PARTLY, State.MISSED],
    ).values_list("person_id", "due_on", "state")
    return [(pid, due, state == State.MET) for pid, due, state in rows]
