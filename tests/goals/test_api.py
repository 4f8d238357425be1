"""The targets API: scoped reads; set, split and allocate with a write token."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from accountable.goals import services
from accountable.targets.models import Target
from accountable.tokens.services import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=UTC), tick=False):
        yield


def headers(person, *scopes):
    _, secret = token_create(actor=person, name="t", scopes=list(scopes or ["read"]))
    return {"Authorization": f"Bearer {secret}"}


def test_get_targets_is_scoped_and_filtered(client, org):
    for person in (org.rep, org.other_rep):
        services.target_set(
            actor=org.admin, owner=person, metric="revenue", period_label="2026-Q3", value=1000
        )
    services.target_set(
        actor=org.admin, owner=org.rep, metric="calls", period_label="2026-Q3", value=300
    )
    body = client.get("/api/v1/targets", {"metric": "revenue"}, headers=headers(org.manager)).json()
    assert [(t["owner_email"], t["value"]) for t in body] == [("rep@acme.test", "1000.00")]
    body = client.get(
        "/api/v1/targets", {"owner": "rep@acme.test"}, headers=headers(org.rep)
    ).json()
    assert {t["metric"] for t in body} == {"revenue", "calls"}


def test_put_sets_a_target_with_a_write_token(client, org):
    payload = {"owner": "rep@acme.test", "metric": "revenue", "period": "2026-Q3", "value": "48000"}
    response = client.put(
        "/api/v1/targets",
        payload,
        content_type="application/json",
        headers=headers(org.manager, "read", "write"),
    )
    assert response.status_code == 200 and response.json()["value"] == "48000.00"
    response = client.put(
        "/api/v1/targets", payload, content_type="application/json", headers=headers(org.manager)
    )
    assert response.status_code == 403 and "write" in response.json()["detail"]
    bad = {**payload, "period": "2026-Q7"}
    response = client.put(
        "/api/v1/targets",
        bad,
        content_type="application/json",
        headers=headers(org.manager, "read", "write"),
    )
    assert response.status_code == 400 and "Q1 to Q4" in response.json()["detail"]
    other = {**payload, "owner": "otherrep@acme.test"}
    response = client.put(
        "/api/v1/targets",
        other,
        content_type="application/json",
        headers=headers(org.manager, "read", "write"),
    )
    assert response.status_code == 404
    assert Target.objects.get().value == Decimal("48000.00")


def test_split_and_allocate(client, org):
    write = headers(org.manager, "read", "write")
    services.target_set(
        actor=org.manager,
        owner=org.north_field,
        metric="revenue",
        period_label="2026",
        value=400000,
    )
    response = client.post(
        "/api/v1/targets/split",
        {
            "owner": "North Field",
            "metric": "revenue",
            "year": "2026",
            "method": "even",
            "into": "quarter",
        },
        content_type="application/json",
        headers=write,
    )
    assert (
        response.status_code == 200 and [t["value"] for t in response.json()] == ["100000.00"] * 4
    )
    response = client.post(
        "/api/v1/targets/allocate",
        {"team": "North Field", "metric": "revenue", "period": "2026-Q3", "method": "even"},
        content_type="application/json",
        headers=write,
    )
    body = response.json()
    assert response.status_code == 200 and body["status"] == "exact" and len(body["targets"]) == 2
    response = client.post(
        "/api/v1/targets/allocate",
        {"team": "North Field", "metric": "revenue", "period": "2026-Q3"},
        content_type="application/json",
        headers=headers(org.executive),
    )
    assert response.status_code == 403
