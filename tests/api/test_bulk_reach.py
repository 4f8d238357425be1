"""A bulk write checks the caller against every record it touches, existing or new.

Found by a security probe: a manager re-assigned another team's won deal (and its
activities) to one of their own reps by posting rows with that deal's external id,
since only the owner named in each row was checked. Each test here fails on a
write path that checks only the rows' own people.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.crm.models import Activity, Deal, DealChange, Feedback
from accountable.targets.models import Target
from tests.crm.factories import ActivityFactory, DealFactory, FeedbackFactory, stage

pytestmark = pytest.mark.django_db


def post(client, kind: str, headers: dict, rows: list[dict]):
    return client.post(
        reverse(f"api:bulk_{kind}"),
        {"rows": rows},
        content_type="application/json",
        headers=headers,
    )


def snapshot(model, external_id: str) -> dict:
    return model.objects.filter(external_id=external_id).values().get()


@pytest.fixture
def southern_won_deal(org):
    return DealFactory(
        external_id="OPP-SOUTH-1",
        owner=org.other_rep,
        stage=stage("Won"),
        status="won",
        amount=90000,
    )


def test_a_manager_cannot_take_over_another_teams_deal(client, org, token, southern_won_deal):
    before = snapshot(Deal, "OPP-SOUTH-1")
    row = {
        "external_id": "OPP-SOUTH-1",
        "name": "Mine now",
        "owner_email": org.rep.email,
        "amount": 1,
        "stage": "Won",
        "created_date": "2026-07-01",
        "close_date": "2026-12-01",
    }
    response = post(client, "deals", token(org.manager, "read", "write"), [row])
    assert response.status_code == 422
    (reject,) = response.json()["rejects"]
    assert reject["reason"] == (
        "Deal OPP-SOUTH-1: that external id is taken by a deal you cannot change"
    )
    assert "Olga" not in reject["reason"], "the reason does not say whose deal it is"
    assert snapshot(Deal, "OPP-SOUTH-1") == before
    assert not DealChange.objects.exists()


def test_a_manager_cannot_take_over_another_teams_activities(client, org, token):
    theirs = ActivityFactory(external_id="ACT-SOUTH-1", person=org.other_rep)
    before = snapshot(Activity, theirs.external_id)
    rows = [
        {"external_id": "ACT-MINE", "owner_email": org.rep.email, "kind": "call",
         "occurred_at": "2026-08-03 10:30"},
        {"external_id": "ACT-SOUTH-1", "owner_email": org.rep.email, "kind": "call",
         "occurred_at": "2026-08-03 10:30"},
    ]  # fmt: skip
    response = post(client, "activities", token(org.manager, "read", "write"), rows)
    assert response.status_code == 422, response.json()
    assert [(r["line"], r["reason"]) for r in response.json()["rejects"]] == [
        (2, "Activity ACT-SOUTH-1: that external id is taken by an activity you cannot change")
    ]
    assert snapshot(Activity, theirs.external_id) == before
    assert not Activity.objects.filter(external_id="ACT-MINE").exists()


def test_a_manager_cannot_rewrite_another_teams_feedback(client, org, token):
    theirs = FeedbackFactory(external_id="FB-SOUTH-1", person=org.other_rep, kind="praise")
    before = snapshot(Feedback, theirs.external_id)
    row = {
        "external_id": "FB-SOUTH-1",
        "owner_email": org.rep.email,
        "kind": "complaint",
        "received_on": "2026-08-03",
    }
    response = post(client, "feedback", token(org.manager, "read", "write"), [row])
    assert response.status_code == 422
    assert "taken by a feedback you cannot change" in response.json()["rejects"][0]["reason"]
    assert snapshot(Feedback, theirs.external_id) == before


def test_a_manager_cannot_set_their_own_quota_in_bulk(client, org, token):
    row = {"owner_email": org.manager.email, "metric": "revenue", "period": "2026", "value": 1}
    response = post(client, "targets", token(org.manager, "read", "write"), [row])
    assert response.status_code == 422
    assert response.json()["rejects"][0]["reason"] == (
        "you cannot import your own targets: your manager or an admin does"
    )
    assert not Target.objects.exists()
    # Their rep's quota is theirs to set.
    row["owner_email"] = org.rep.email
    assert post(client, "targets", token(org.manager, "read", "write"), [row]).status_code == 200


def test_a_manager_moves_a_deal_within_their_team_and_it_is_logged(client, org, token):
    DealFactory(external_id="OPP-N-1", owner=org.rep, stage=stage("Proposal"), amount=500)
    row = {"external_id": "OPP-N-1", "owner_email": org.rep2.email, "stage": "Proposal",
           "created_date": "2026-07-01", "close_date": "2026-12-01"}  # fmt: skip
    response = post(client, "deals", token(org.manager, "read", "write"), [row])
    assert response.status_code == 200, response.json()
    change = DealChange.objects.get(field="owner")
    assert (change.old_value, change.new_value) == (org.rep.email, org.rep2.email)
    entry = AuditEntry.objects.get(action="deal.owner")
    assert entry.actor == org.manager
    assert entry.before == {"owner": org.rep.email} and entry.after == {"owner": org.rep2.email}


def test_a_nul_character_is_refused_where_it_comes_in(client, org, token):
    """PostgreSQL keeps no NUL character: a row or a name mapping holding one is a 422
    saying where, not a server error (found by the schema fuzzer)."""
    headers = token(org.admin, "read", "write")
    row = {"external_id": "A\x00", "owner_email": org.rep.email, "kind": "call",
           "occurred_at": "2026-08-03 10:30"}  # fmt: skip
    response = post(client, "activities", headers, [row])
    assert response.status_code == 422
    assert "external_id holds a NUL character" in str(response.json())
    response = client.post(
        reverse("api:bulk_activities"),
        {"rows": [{**row, "external_id": "A-1"}], "names": {"owner": {"x\x00": "y"}}},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422 and "NUL character" in str(response.json())
    assert not Activity.objects.exists()
