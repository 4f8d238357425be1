"""Reads of the organisation, always scoped to the viewer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accountable.org import abilities
from accountable.org.calendar import FiscalCalendar
from accountable.org.models import Organisation, Person, PersonChange, Role, Team, TimeOff
from accountable.org.scoping import (
    manager_chain,
    team_shared_people,
    visible_people,
    visible_teams,
)


@dataclass
class TeamNode:
    """A team in the org tree as the viewer may see it."""

    team: Team
    managers: list[Person]
    members: list[Person]
    children: list[TeamNode] = field(default_factory=list)

    @property
    def headcount(self) -> int:
        return len(self.members) + sum(child.headcount for child in self.children)


def org_tree(viewer: Person, *, include_left: bool = False) -> list[TeamNode]:
    """The team tree below the viewer's reach, with managers and members.

    Three queries whatever the size: teams, members, managers.
    """
    teams = list(visible_teams(viewer).order_by("path"))
    people = visible_people(viewer).filter(team__in=teams).select_related("team")
    if not include_left:
        people = people.filter(is_active=True)
    members: dict[int, list[Person]] = {}
    for person in people.order_by("name"):
        members.setdefault(person.team_id, []).append(person)
    managers: dict[int, list[Person]] = {}
    through = Team.managers.through.objects.filter(team__in=teams).select_related("person")
    for link in through.order_by("person__name"):
        managers.setdefault(link.team_id, []).append(link.person)

    nodes = {
        team.pk: TeamNode(team, managers.get(team.pk, []), members.get(team.pk, []))
        for team in teams
    }
    roots: list[TeamNode] = []
    for team in teams:
        parent = nodes.get(team.parent_id)
        (parent.children if parent else roots).append(nodes[team.pk])
    return roots


def person_list(
    viewer: Person,
    *,
    search: str = "",
    team: Team | None = None,
    role: str = "",
    include_left: bool = False,
) -> QuerySet[Person]:
    people = visible_people(viewer).select_related("team")
    if search:
        people = people.filter(Q(name__icontains=search) | Q(email__icontains=search))
    if team is not None:
        people = people.filter(team__in=Team.objects.subtree_of([team]))
    if role:
        people = people.filter(role=role)
    if not include_left:
        people = people.filter(is_active=True)
    return people.order_by("name")


def person_get(viewer: Person, pk: int) -> Person:
    """A person the viewer may see, or 404 (never revealing that others exist)."""
    try:
        return visible_people(viewer).select_related("team").get(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def person_history(person: Person) -> QuerySet[PersonChange]:
    return person.changes.select_related("from_team", "to_team", "changed_by")


def person_managers(person: Person) -> list[Person]:
    return manager_chain(person)


def teammates(viewer: Person) -> QuerySet[Person]:
    """The viewer's own team, as shared team-wide (names and roles only)."""
    if not viewer.team_id:
        return Person.objects.none()
    return (
        team_shared_people(viewer).filter(team_id=viewer.team_id, is_active=True).order_by("name")
    )


def team_list(viewer: Person) -> QuerySet[Team]:
    return (
        visible_teams(viewer)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True), distinct=True))
        .prefetch_related("managers")
        .select_related("parent")
    )


def team_get(viewer: Person, pk: int) -> Team:
    try:
        return visible_teams(viewer).get(pk=pk)
    except Team.DoesNotExist:
        raise Http404("No such team") from None


def role_counts(viewer: Person) -> dict[str, int]:
    counts = dict(
        visible_people(viewer)
        .filter(is_active=True)
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return {label: counts.get(value, 0) for value, label in Role.choices}


def days_off_coming(organisation: Organisation, limit: int = 6) -> list[tuple[date, str]]:
    """The next days off on working weekdays (public holidays and the organisation's own),
    from today: what the settings page shows, so an admin sees what pace will skip."""
    today = timezone.localdate()
    working = organisation.calendar.working_days
    coming = [
        (day, name)
        for day, name in organisation.days_off().items()
        if day >= today and day.weekday() in working
    ]
    return sorted(coming)[:limit]


def time_off_list(
    viewer: Person, *, person: Person | None = None, since: date | None = None
) -> QuerySet[TimeOff]:
    """Time off of the people the viewer may see (their own; a manager's team; everyone
    for an admin or an executive), soonest first; only spans that end on or after
    `since` when given."""
    spans = TimeOff.objects.filter(person__in=visible_people(viewer)).select_related(
        "person", "person__team"
    )
    if person is not None:
        spans = spans.filter(person=person)
    if since is not None:
        spans = spans.filter(last_day__gte=since)
    return spans.order_by("first_day", "person__name", "pk")


def time_off_rows(viewer: Person, *, since: date, calendar: FiscalCalendar) -> list[TimeOff]:
    """The time off a page shows the viewer, from spans ending on `since` on: each with
    `working_days`, the organisation's working days it takes from the person, and
    `removable`, whether the viewer may remove it (`RECORD_TIME_OFF`)."""
    may = abilities.grant(viewer, abilities.RECORD_TIME_OFF)
    rows = list(time_off_list(viewer, since=since))
    for span in rows:
        span.working_days = calendar.working_days_between(span.first_day, span.last_day)
        span.removable = may.allows(span.person_id)
    return rows


def time_off_get(viewer: Person, pk: int) -> TimeOff:
    """A span of time off of someone the viewer may see, or 404."""
    try:
        return time_off_list(viewer).get(pk=pk)
    except TimeOff.DoesNotExist:
        raise Http404("No such time off") from None


def time_off_people(actor: Person) -> QuerySet[Person]:
    """Active people the actor may record time off for (the form's choices)."""
    return (
        abilities.people(actor, abilities.RECORD_TIME_OFF)
        .filter(is_active=True)
        .select_related("team")
        .order_by("name")
    )


def time_off_spans(
    person_ids: Iterable[int] | None, start: date, end: date
) -> dict[int, list[tuple[date, date]]]:
    """{person id: [(first, last day away)]} of the spans touching `start`..`end`, for
    working-day arithmetic (`org.time_off`); one query. People without any are left out;
    `person_ids` None: everyone's (no list of a thousand ids to send)."""
    found: dict[int, list[tuple[date, date]]] = {}
    rows = TimeOff.objects.filter(first_day__lte=end, last_day__gte=start)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    rows = rows.values_list("person_id", "first_day", "last_day")
    for person_id, first, last in rows.order_by("person_id", "first_day"):
        found.setdefault(person_id, []).append((first, last))
    return found
