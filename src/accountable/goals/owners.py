"""Whose targets and goals: an owner is a person or a team. Its people, who may set its
targets or propose its goals (`org.abilities`), and the calendar its periods are in."""

from __future__ import annotations

from accountable.goals.errors import GoalsError
from accountable.org import abilities
from accountable.org.calendar import Period, PeriodError
from accountable.org.models import Person, Role, Team
from accountable.org.services import organisation_get
from accountable.targets.catalogue import metric_get

Owner = Person | Team


def can_set_target(actor: Person, owner: Owner) -> bool:
    """Admins; managers for the people and teams below them. Never a rep for themself."""
    if isinstance(owner, Team):
        return abilities.may_team(actor, abilities.SET_TARGETS, owner)
    return abilities.may(actor, abilities.SET_TARGETS, owner)


def can_propose_goal(actor: Person, owner: Owner) -> bool:
    """Whoever may set the owner's targets, and a rep for themself (as a draft)."""
    if can_set_target(actor, owner):
        return True
    return isinstance(owner, Person) and actor.is_authenticated and actor.pk == owner.pk


def calendar():
    return organisation_get().calendar


def period_parse(label: str) -> Period:
    try:
        return calendar().parse(label)
    except PeriodError as error:
        raise GoalsError(str(error)) from error


def known_metric(key: str):
    try:
        return metric_get(key)
    except KeyError as error:
        raise GoalsError(error.args[0]) from None


def owner_people(owner: Owner) -> list[Person]:
    """The owner as a list of people: the person, or the active reps in the team's subtree."""
    if isinstance(owner, Person):
        return [owner]
    return list(
        Person.objects.filter(team__in=Team.objects.subtree_of([owner]), role=Role.REP).filter(
            is_active=True
        )
    )
