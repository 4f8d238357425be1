"""Deals and activities through the API: scoped like the pages, filtered, paginated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accountable.imports.models import ImportRun
from tests.crm.factories import ActivityFactory, DealFactory, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(org):
    return {
        "rep_open": DealFactory(owner=org.rep, external_id="R-1", name="Rita open"),
        "rep_won": DealFactory(
            owner=org.rep, external_id="R-2", stage=stage("Won"), amount=Decimal("4821.5")
        ),
        "rep2": DealFactory(owner=org.rep2, external_id="R2-1", name="Rob's"),
        "other": DealFactory(owner=org.other_rep, external_id="O-1", name="Olga's"),
    }


def ids(response) -> set[str]:
    return {item["external_id"] for item in response.json()["items"]}


def test_a_reps_token_sees_only_the_reps_deals(client, org, token, deals):
    response = client.get(reverse("api:deals"), headers=token(org.rep))
    assert response.status_code == 200
    assert ids(response) == {"R-1", "R-2"}
    assert response.json()["count"] == 2


def test_a_manager_sees_the_team_and_an_executive_everyone(client, org, token, deals):
    assert ids(client.get(reverse("api:deals"), headers=token(org.manager))) == {
        "R-1",
        "R-2",
        "R2-1",
    }
    assert len(ids(client.get(reverse("api:deals"), headers=token(org.executive)))) == 4


def test_a_deal_is_shaped_plainly(client, org, token, deals):
    body = client.get(reverse("api:deal", args=["R-2"]), headers=token(org.rep)).json()
    assert body["amount"] == "4821.50"
    assert body["status"] == "won" and body["stage"] == "Won"
    assert body["owner_email"] == org.rep.email
    assert body["created_on"] == "2026-07-01" and body["closed_on"] == "2026-08-14"
    assert body["account"] == deals["rep_won"].account.name


def test_another_regions_deal_is_404_for_a_rep_and_a_manager(client, org, token, deals):
    for who in (org.rep, org.manager):
        response = client.get(reverse("api:deal", args=["O-1"]), headers=token(who))
        assert response.status_code == 404
        assert "among the deals you may see" in response.json()["detail"]


def test_deal_filters(client, org, token, deals):
    headers = token(org.manager)

    def get(**params):
        return ids(client.get(reverse("api:deals"), params, headers=headers))

    assert get(status="won") == {"R-2"}
    assert get(owner="REP2@acme.test") == {"R2-1"}
    assert get(stage="prospecting") == {"R-1", "R2-1"}
    assert get(closed_from="2026-08-01", closed_to="2026-08-31") == {"R-2"}
    assert get(closed_to="2026-08-13") == set()
    assert get(q="rob") == {"R2-1"}


def test_bad_filters_get_a_plain_message(client, org, token, deals):
    headers = token(org.rep)
    response = client.get(reverse("api:deals"), {"owner": "otherrep@acme.test"}, headers=headers)
    assert response.status_code == 400
    assert "among the people you may see" in response.json()["detail"]
    response = client.get(reverse("api:deals"), {"stage": "Nowhere"}, headers=headers)
    assert response.status_code == 400
    assert "Prospecting" in response.json()["detail"]
    response = client.get(reverse("api:deals"), {"status": "maybe"}, headers=headers)
    assert response.status_code == 422


def test_deals_are_paginated(client, org, token):
    for n in range(7):
        DealFactory(owner=org.rep, external_id=f"P-{n}", created_on=date(2026, 7, 1 + n))
    headers = token(org.rep)
    page = client.get(reverse("api:deals"), {"limit": 3, "offset": 3}, headers=headers).json()
    assert page["count"] == 7
    assert [item["external_id"] for item in page["items"]] == ["P-3", "P-2", "P-1"]
    too_many = client.get(reverse("api:deals"), {"limit": 1001}, headers=headers)
    assert too_many.status_code == 422


def test_a_page_of_deals_costs_a_fixed_number_of_queries(
    client, org, token, django_assert_max_num_queries
):
    for n in range(30):
        DealFactory(owner=org.rep, external_id=f"Q-{n}")
    headers = token(org.manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api:deals"), headers=headers)
    assert response.json()["count"] == 30


@pytest.fixture
def activities(org):
    return [
        ActivityFactory(person=org.rep, external_id="A-1", is_prospecting=True),
        ActivityFactory(
            person=org.rep,
            external_id="A-2",
            kind="meeting",
            channel="video",
            occurred_at=datetime(2026, 8, 10, 15, 0, tzinfo=UTC),
            meeting_number=1,
        ),
        ActivityFactory(person=org.rep2, external_id="A-3"),
        ActivityFactory(person=org.other_rep, external_id="A-4"),
    ]


def test_activities_are_scoped_and_filtered(client, org, token, activities):
    def get(who, **params):
        response = client.get(reverse("api:activities"), params, headers=token(who))
        assert response.status_code == 200
        return ids(response)

    assert get(org.rep) == {"A-1", "A-2"}
    assert get(org.manager) == {"A-1", "A-2", "A-3"}
    assert get(org.manager, person="rep2@acme.test") == {"A-3"}
    assert get(org.manager, kind="meeting") == {"A-2"}
    assert get(org.manager, prospecting="true") == {"A-1"}
    assert get(org.manager, since="2026-08-10", until="2026-08-10") == {"A-2"}
    assert get(org.admin, until="2026-08-09") == {"A-1", "A-3", "A-4"}


def test_an_activity_is_shaped_plainly(client, org, token, activities):
    response = client.get(reverse("api:activities"), {"kind": "meeting"}, headers=token(org.rep))
    (item,) = response.json()["items"]
    assert item["occurred_at"].startswith("2026-08-10T15:00:00")
    assert item["person_email"] == org.rep.email
    assert item["meeting_number"] == 1 and item["channel"] == "video"


def test_an_import_run_is_for_its_maker_and_admins(client, org, token):
    run = ImportRun.objects.create(
        kind="deals",
        source="api",
        status="applied",
        created_by=org.manager,
        summary={"created": 3},
    )
    url = reverse("api:import_run", args=[run.pk])
    body = client.get(url, headers=token(org.manager)).json()
    assert body["created"] == 3 and body["rejected"] == 0 and body["rejected_file"] is None
    assert body["created_by"] == org.manager.email
    assert client.get(url, headers=token(org.admin)).status_code == 200
    for outsider in (org.rep, org.executive, org.other_manager):
        assert client.get(url, headers=token(outsider)).status_code == 404
