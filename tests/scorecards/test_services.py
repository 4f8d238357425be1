"""Setting a role's weighted scorecard: admins only, validated, audited."""

from __future__ import annotations

import pytest

from accountable.audit.models import AuditEntry
from accountable.scorecards.metrics import DEFAULT_SCORECARDS, role_scorecards
from accountable.scorecards.services import NotAllowed, ScorecardError, role_scorecard_set

pytestmark = pytest.mark.django_db


def test_an_admin_sets_and_resets_a_roles_scorecard(org):
    role_scorecard_set(
        actor=org.admin,
        role="rep",
        items=[("revenue", "outcome", 3), {"metric": "Calls", "kind": "activity", "weight": "1"}],
    )
    assert role_scorecards()["rep"] == [("revenue", "outcome", 3), ("calls", "activity", 1)]
    entry = AuditEntry.objects.get(action="scorecards.role_scorecard")
    assert entry.actor == org.admin
    role_scorecard_set(actor=org.admin, role="rep", items=[])
    assert role_scorecards()["rep"] == DEFAULT_SCORECARDS["rep"]


@pytest.mark.parametrize("who", ["manager", "executive", "rep"])
def test_only_admins(org, who):
    with pytest.raises(NotAllowed):
        role_scorecard_set(actor=getattr(org, who), role="rep", items=[])


@pytest.mark.parametrize(
    ("role", "items", "message"),
    [
        ("wizard", [], '"wizard" is not a role'),
        ("rep", [("happiness", "outcome", 1)], "not a metric a scorecard can use"),
        ("rep", [("custom", "outcome", 1)], "not a metric a scorecard can use"),
        ("rep", [("calls", "effort", 1)], "activity or an outcome"),
        ("rep", [("calls", "activity", 0)], "from 1 to 1000"),
        ("rep", [("calls", "activity", "lots")], "whole number"),
        ("rep", [("calls", "activity", 1), ("calls", "activity", 2)], "calls twice"),
    ],
)
def test_bad_items_change_nothing(org, role, items, message):
    with pytest.raises(ScorecardError, match=message):
        role_scorecard_set(actor=org.admin, role=role, items=items)
    assert role_scorecards()["rep"] == DEFAULT_SCORECARDS["rep"]
