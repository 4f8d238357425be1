from __future__ import annotations

import pytest

from accountable.org.models import Team
from accountable.org.scoping import (
    can_manage_person,
    can_see_person,
    manager_chain,
    team_shared_people,
    visible_people,
    visible_teams,
)
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def emails(people) -> set[str]:
    return {p.email for p in people}


def test_admin_and_executive_see_everyone(org):
    everyone = {p.email for p in type(org.admin).objects.all()}
    assert emails(visible_people(org.admin)) == everyone
    assert emails(visible_people(org.executive)) == everyone
    assert visible_teams(org.executive).count() == 6


def test_manager_sees_own_team_and_self_only(org):
    seen = emails(visible_people(org.manager))
    assert seen == {org.manager.email, org.rep.email, org.rep2.email}
    assert org.other_rep.email not in seen
    assert org.inside_rep.email not in seen  # a sibling team is not below them


def test_regional_manager_sees_the_whole_subtree(org):
    seen = emails(visible_people(org.north_boss))
    assert {org.rep.email, org.rep2.email, org.inside_rep.email, org.manager.email} <= seen
    assert org.other_rep.email not in seen
    assert set(visible_teams(org.north_boss)) == {org.north, org.north_field, org.north_inside}


def test_rep_sees_only_themself_but_shares_the_team_view(org):
    assert emails(visible_people(org.rep)) == {org.rep.email}
    shared = emails(team_shared_people(org.rep))
    assert shared == {org.rep.email, org.rep2.email, org.manager.email}
    assert not can_see_person(org.rep, org.rep2)
    assert visible_teams(org.rep).count() == 0


def test_manager_chain_runs_nearest_first(org):
    assert manager_chain(org.rep) == [org.manager, org.north_boss]
    assert manager_chain(org.manager) == [org.north_boss]


def test_only_the_chain_and_admins_manage_a_person(org):
    assert can_manage_person(org.manager, org.rep)
    assert can_manage_person(org.north_boss, org.rep)
    assert can_manage_person(org.admin, org.rep)
    assert not can_manage_person(org.other_manager, org.rep)
    assert not can_manage_person(org.inside_manager, org.rep)
    assert not can_manage_person(org.rep, org.rep)
    assert not can_manage_person(org.executive, org.rep)


def test_people_who_moved_teams_move_scope(org):
    org.rep.team = org.south_field
    org.rep.save()
    assert org.rep.email not in emails(visible_people(org.manager))
    assert org.rep.email in emails(visible_people(org.other_manager))


def test_a_subtree_is_asked_for_once_per_branch():
    root = TeamFactory(name="Root")
    north = TeamFactory(name="North", parent=root)
    inner = TeamFactory(name="Inner", parent=north)
    sibling = TeamFactory(name="Sibling", parent=root)
    other = TeamFactory(name="Other")
    everyone = {root, north, inner, sibling}
    assert set(Team.objects.subtree_of([root, north, inner, sibling])) == everyone
    assert set(Team.objects.subtree_of([inner, north])) == {north, inner}
    assert set(Team.objects.subtree_of([sibling, inner])) == {sibling, inner}
    assert set(Team.objects.subtree_of([other, inner])) == {other, inner}
    assert not Team.objects.subtree_of([]).exists()
    # The whole tree is one prefix, not one per team.
    where = str(Team.objects.subtree_of([root, north, inner, sibling]).query)
    assert where.count("LIKE") == 1
