"""OKRs: who sets which objectives, computed key-result progress, confidence, the tree page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.goals import okrs
from accountable.goals.errors import GoalsError, NotAllowed
from accountable.goals.models import Goal
from accountable.goals.services import goal_create
from accountable.goals.smart import GoalInput
from tests.crm.factories import DealFactory, stage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 8, 20, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def tree(org):
    company = okrs.objective_create(
        actor=org.executive, title="Win the mid-market", level="company", period_label="2026-Q3"
    )
    team = okrs.objective_create(
        actor=org.manager,
        title="North Field owns GTX",
        level="team",
        owner=org.north_field,
        parent=company,
        period_label="2026-Q3",
    )
    kr = okrs.key_result_create(
        actor=org.manager, objective=team, metric="revenue", target_value=100000
    )
    return company, team, kr


def test_who_sets_which_objectives(org):
    with pytest.raises(NotAllowed):
        okrs.objective_create(actor=org.manager, title="X", level="company", period_label="2026")
    with pytest.raises(NotAllowed):
        okrs.objective_create(
            actor=org.manager, title="X", level="team", owner=org.south_field, period_label="2026"
        )
    with pytest.raises(NotAllowed):
        okrs.objective_create(
            actor=org.rep, title="X", level="person", owner=org.rep, period_label="2026"
        )
    with pytest.raises(GoalsError, match="needs a title"):
        okrs.objective_create(actor=org.admin, title=" ", level="company", period_label="2026")
    with pytest.raises(GoalsError, match="Choose the team"):
        okrs.objective_create(actor=org.admin, title="X", level="team", period_label="2026")


def test_key_result_progress_is_computed_from_the_data(org, tree):
    _, team, _kr = tree
    DealFactory(owner=org.rep, stage=stage("Won"), amount=30000, closed_on=date(2026, 7, 10))
    DealFactory(owner=org.other_rep, stage=stage("Won"), amount=99000, closed_on=date(2026, 7, 10))
    roots = okrs.okr_tree(org.manager)
    assert [n.objective.title for n in roots] == ["Win the mid-market"]
    row = roots[0].children[0].key_results[0]
    assert (row.actual, row.percent) == (Decimal(30000), 30)
    with pytest.raises(GoalsError, match="not computed from the data"):
        okrs.key_result_create(actor=org.manager, objective=team, metric="custom", target_value=1)


def test_confidence_is_updated_by_the_owner_and_audited(org, tree):
    _, _, kr = tree
    okrs.confidence_set(actor=org.manager, key_result=kr, confidence="7")
    assert kr.confidence == 7
    assert AuditEntry.objects.get(action="key_result.confidence").after == {"confidence": 7}
    with pytest.raises(NotAllowed):
        okrs.confidence_set(actor=org.rep, key_result=kr, confidence=9)
    with pytest.raises(GoalsError, match="from 0 to 10"):
        okrs.confidence_set(actor=org.manager, key_result=kr, confidence=11)


def test_scoping_of_the_tree(org, tree):
    okrs.objective_create(
        actor=org.other_manager,
        title="South thing",
        level="team",
        owner=org.south_field,
        period_label="2026-Q3",
    )
    titles = {n.objective.title for n in okrs.okr_tree(org.rep)}
    assert "Win the mid-market" in titles and "South thing" not in titles
    assert okrs.okr_tree(org.rep)[0].children[0].objective.title == "North Field owns GTX"


def test_a_goal_linked_to_an_objective_passes_relevant(org, tree):
    _, team, _ = tree
    goal = goal_create(
        actor=org.manager,
        data=GoalInput(
            owner=org.rep, metric="revenue", target_value="40000", period="2026-Q3", objective=team
        ),
    )
    assert Goal.objects.get().objective == team and not goal.smart_override


def test_okr_page_and_forms(client, org, tree):
    _, team, kr = tree
    client.force_login(org.manager)
    page = client.get(reverse("goals:okrs")).content.decode()
    assert "Win the mid-market" in page and "North Field owns GTX" in page and "Confidence" in page
    response = client.post(
        reverse("goals:objective_new"),
        {
            "title": "Rita books more meetings",
            "level": "person",
            "person": org.rep.pk,
            "parent": team.pk,
            "period": "2026-Q3",
        },
        follow=True,
    )
    assert "Added the objective" in response.content.decode()
    response = client.post(
        reverse("goals:key_result_confidence", args=[kr.pk]), {"confidence": "12"}, follow=True
    )
    assert "from 0 to 10" in response.content.decode()
    response = client.post(
        reverse("goals:key_result_new", args=[team.pk]),
        {"metric": "meetings", "target_value": "60"},
        follow=True,
    )
    assert "Added a key result" in response.content.decode()
    client.force_login(org.rep)
    page = client.get(reverse("goals:okrs")).content.decode()
    assert "Confidence 5/10" in page and "New objective" not in page


def test_milestone_goals_are_done_or_not(client, org):
    from accountable.goals.services import goal_mark_done

    data = GoalInput(
        owner=org.rep,
        metric="",
        target_value=None,
        kind="milestone",
        title="Complete the enterprise certification",
        deadline=date(2026, 9, 15),
        priority="Enterprise",
    )
    goal = goal_create(actor=org.manager, data=data)
    assert goal.kind == "milestone" and not goal.smart_override and goal.metric == ""
    with pytest.raises(GoalsError, match="fails the SMART check \\(T\\)"):
        goal_create(
            actor=org.manager, data=GoalInput(**{**data.__dict__, "deadline": date(2026, 1, 1)})
        )
    with pytest.raises(NotAllowed):
        goal_mark_done(actor=org.rep, goal=goal, done=True)
    client.force_login(org.manager)
    response = client.post(reverse("goals:goal_done", args=[goal.pk]), {"done": "1"}, follow=True)
    page = response.content.decode()
    assert "is done" in page and "Mark not done" in page
    goal.refresh_from_db()
    assert goal.done_on == date(2026, 8, 20) and goal.status == "done"
    assert AuditEntry.objects.filter(action="goal.done").exists()
    response = client.post(
        reverse("goals:goal_new"),
        {"person": org.rep.pk, "kind": "milestone", "title": "", "priority": "x"},
    )
    assert "Say what will be done." in response.content.decode()
