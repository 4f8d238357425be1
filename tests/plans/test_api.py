"""The plan API: the same services as the pages — a plan started, written, submitted,
returned and approved, its actuals equal to the page's, a review recorded — and the
refusals in words."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from accountable.plans import selectors
from accountable.targets.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_16_november():
    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=UTC), tick=False):
        yield


def call(client, method: str, path: str, body=None):
    if method == "get":
        response = client.get(f"/api/v1{path}")
    else:
        response = getattr(client, method)(
            f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json"
        )
    return response.status_code, response.json()


def test_a_plan_goes_through_the_api_as_through_the_pages(client, org):
    Target.objects.create(
        person=org.rep, metric="revenue", period="2026-Q4", period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31), value=Decimal("60000"),
    )  # fmt: skip
    client.force_login(org.rep)
    status, said = call(client, "post", "/plans", {"kind": "quarterly", "period": "2026-Q7"})
    assert status == 400 and "Q1 to Q4" in said["detail"]
    status, plan = call(client, "post", "/plans", {"kind": "quarterly", "period": "2026-Q4"})
    assert status == 201 and plan["state"] == "draft"
    pid = plan["id"]
    status, said = call(client, "post", f"/plans/{pid}/submit")
    assert status == 400 and "before submitting" in said["detail"]
    status, plan = call(client, "patch", f"/plans/{pid}", {"summary": "Win Globex"})
    assert plan["sections"]["summary"] == "Win Globex"
    status, plan = call(
        client, "post", f"/plans/{pid}/actions", {"text": "Map Globex", "due": "2026-11-30"}
    )
    assert status == 201 and plan["actions"][0]["text"] == "Map Globex"
    action = plan["actions"][0]["id"]
    status, plan = call(client, "post", f"/plans/{pid}/actions/{action}", {"state": "done"})
    assert plan["actions"][0]["state"] == "done"
    assert call(client, "post", f"/plans/{pid}/actions/999999", {"state": "done"})[0] == 404
    status, plan = call(client, "post", f"/plans/{pid}/submit")
    assert plan["state"] == "submitted" and plan["versions"][0]["number"] == 1
    status, _ = call(client, "post", f"/plans/{pid}/decision", {"approve": True})
    assert status == 403  # not the rep's to approve
    client.force_login(org.manager)
    status, plan = call(client, "post", f"/plans/{pid}/decision", {"approve": True})
    assert plan["state"] == "approved" and plan["versions"][0]["decision"] == "approved"
    status, actuals = call(client, "get", f"/plans/{pid}/actuals")
    shown = selectors.plan_figures(selectors.plan_get(org.manager, pid), date(2026, 11, 16))
    assert actuals == json.loads(json.dumps(shown.as_dict()))
    status, review = call(
        client, "post", f"/plans/{pid}/reviews", {"why": "Slow October", "what_now": "Call 20"}
    )
    assert status == 201 and len(review["commitments"]) == 1 and review["catch_up"] is True
    status, signed = call(client, "post", f"/plan-reviews/{review['id']}/sign-off")
    assert status == 200 and signed["signed_off_by"] == org.manager.email
    status, said = call(client, "post", f"/plan-reviews/{review['id']}/sign-off")
    assert status == 400 and "already" in said["detail"]
    catch_up = selectors.catch_ups_of(selectors.plan_get(org.manager, pid))[0]
    status, closed = call(client, "post", f"/catch-ups/{catch_up.pk}/close", {"note": "Reset"})
    assert status == 200 and closed["state"] == "closed" and closed["note"] == "Reset"
    client.force_login(org.other_rep)
    assert call(client, "get", f"/plans/{pid}")[0] == 404
    assert call(client, "get", "/plans")[1] == []


def test_a_key_account_is_planned_through_the_api_by_its_owner_only(client, org):
    from tests.crm.factories import AccountFactory

    AccountFactory(owner=org.rep, name="Globex", external_id="ACC-1")
    AccountFactory(owner=org.rep2, name="Initech", external_id="ACC-2")
    client.force_login(org.rep)
    body = {"account": "acc-1", "tier": "A", "goal": "Renew", "next_action": "Meet the CFO"}
    status, said = call(client, "post", "/account-plans", body)
    assert status == 404  # an id is matched exactly, a name in either case
    status, said = call(client, "post", "/account-plans", {**body, "account": "globex"})
    assert status == 400 and "Give the next action a day" in said["detail"]
    status, plan = call(
        client,
        "post",
        "/account-plans",
        {**body, "account": "ACC-1", "next_action_on": "2026-11-30"},
    )
    assert status == 200 and (plan["account"], plan["tier"], plan["year"]) == ("Globex", "A", 2026)
    assert call(client, "post", "/account-plans", {**body, "account": "Initech"})[0] == 404
    assert [p["account"] for p in call(client, "get", "/account-plans")[1]] == ["Globex"]
