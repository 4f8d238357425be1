"""Who may see whom: the one place the role rules of SPEC "Who uses it" live.

- An admin and an executive see everyone.
- A manager sees the people in the teams they manage and every team below.
- A rep sees only themself, plus what is shared with the whole team
  (leaderboard, recognition): `team_shared_people`.

Every view, API endpoint and export reads people through these functions or
the `visible_to` queryset methods that call them; none filters by role itself.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accountable.org import abilities
from accountable.org.abilities import managed_subtree
from accountable.org.models import Person, Team

__all__ = [
    "ability_required",
    "can_manage_person",
    "can_see_person",
    "managed_subtree",
    "manager_chain",
    "team_shared_people",
    "visible_people",
    "visible_teams",
]

# The roles that see everyone's records, as the table of abilities says.
SEES_EVERYONE = frozenset(
    role for role, reach in abilities.SEE_PERSON.reach.items() if reach == abilities.Reach.EVERYONE
)


def visible_teams(viewer: Person) -> QuerySet[Team]:
    """Teams whose people and numbers the viewer may see."""
    return abilities.teams(viewer, abilities.SEE_TEAMS)


def visible_people(viewer: Person) -> QuerySet[Person]:
    """People whose own records (goals, reviews, notes, plans) the viewer may see."""
    return abilities.people(viewer, abilities.SEE_PERSON)


def team_shared_people(viewer: Person) -> QuerySet[Person]:
    """People whose team-wide shared items (leaderboard, recognition) the viewer sees."""
    people = visible_people(viewer)
    if viewer.is_authenticated and viewer.team_id:
        people = people | Person.objects.filter(team_id=viewer.team_id)
    return people.distinct()


def can_see_person(viewer: Person, person: Person) -> bool:
    return visible_people(viewer).filter(pk=person.pk).exists()


def manager_chain(person: Person) -> list[Person]:
    """The managers of the person's team and of every team above it, nearest first."""
    if not person.team_id:
        return []
    teams = [person.team, *reversed(person.team.ancestors())]
    chain: list[Person] = []
    for team in teams:
        for manager in team.managers.all():
            if manager.pk != person.pk and manager not in chain:
                chain.append(manager)
    return chain


def can_manage_person(viewer: Person, person: Person) -> bool:
    """Admins, and managers above the person in the tree, may change their records."""
    return abilities.may(viewer, abilities.MANAGE_PERSON, person)


def ability_required(*needed: abilities.Ability):
    """View decorator: a role holding one of these abilities (`org.abilities`), or 403.
    Whose records the view then shows or changes, the ability's reach decides. (Sign-in
    is required everywhere by LoginRequiredMiddleware, so anonymous visitors never get
    this far.)"""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(abilities.may(request.user, ability) for ability in needed):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.required_abilities = needed  # read by the permission matrix test
        return wrapped

    return decorator
