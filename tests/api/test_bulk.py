"""Bulk upserts through the API: the import pipeline's one path, idempotent, all or nothing,
limited to what the caller may write."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accountable.crm.models import Activity, Deal
from accountable.imports.models import ImportRun
from accountable.org.models import Person

pytestmark = pytest.mark.django_db


def deal(external_id: str, owner: Person, **columns) -> dict:
    return {
        "external_id": external_id,
        "name": f"Deal {external_id}",
        "owner_email": owner.email,
        "amount": 1000,
        "stage": "Proposal",
        "created_date": "2026-07-01",
        "close_date": "2026-09-30",
        **columns,
    }


def post(client, kind: str, headers: dict, rows: list[dict], **extra):
    return client.post(
        reverse(f"api:bulk_{kind}"),
        {"rows": rows, **extra},
        content_type="application/json",
        headers=headers,
    )


def test_a_manager_uploads_deals_for_their_reps_and_again_changes_nothing(client, org, token):
    headers = token(org.manager, "read", "write")
    rows = [deal("OPP-1", org.rep), deal("OPP-2", org.rep2, amount="2500.50", stage="Won")]

    first = post(client, "deals", headers, rows)
    assert first.status_code == 200, first.json()
    body = first.json()
    assert (body["created"], body["updated"], body["unchanged"], body["rejected"]) == (2, 0, 0, 0)
    assert body["rejects"] == [] and body["status"] == "applied" and not body["dry_run"]
    run = ImportRun.objects.get(pk=body["run_id"])
    assert run.source == "api" and run.created_by == org.manager and run.kind == "deals"
    assert Deal.objects.get(external_id="OPP-2").status == "won"

    again = post(client, "deals", headers, rows).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)

    changed = post(client, "deals", headers, [deal("OPP-1", org.rep, amount=1500)]).json()
    assert (changed["updated"], changed["unchanged"]) == (1, 0)
    assert str(Deal.objects.get(external_id="OPP-1").amount) == "1500.00"


def test_a_row_for_another_regions_rep_rejects_the_batch(client, org, token):
    headers = token(org.manager, "read", "write")
    rows = [deal("OPP-1", org.rep), deal("OPP-9", org.other_rep)]
    response = post(client, "deals", headers, rows)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "rejected" and body["rejected"] == 1 and body["created"] == 0
    (reject,) = body["rejects"]
    assert reject["line"] == 2
    assert "nobody in the teams you manage" in reject["reason"]
    assert not Deal.objects.exists(), "nothing is applied when a row is rejected"
    rejects_url = f"http://testserver/api/v1/imports/{body['run_id']}/rejected.csv"
    assert body["rejected_file"] == rejects_url
    csv = client.get(rejects_url, headers=headers)
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("line,reason,") and lines[1].startswith("2,")
    assert "OPP-9" in lines[1]

    run = client.get(reverse("api:import_run", args=[body["run_id"]]), headers=headers).json()
    assert run["status"] == "rejected" and run["rejected"] == 1 and run["rows"] == 2
    assert run["rejected_file"] == rejects_url and "/work" not in json.dumps(run)
    for outsider in (org.other_manager, org.executive):
        assert client.get(rejects_url, headers=token(outsider)).status_code == 404
    assert client.get(rejects_url, headers=token(org.admin)).status_code == 200


def test_reject_lines_count_rows_from_one(client, org, token):
    headers = token(org.admin, "read", "write")
    rows = [deal("OPP-1", org.rep), deal("OPP-2", org.rep), deal("OPP-3", org.rep, amount=-5)]
    body = post(client, "deals", headers, rows).json()
    assert [reject["line"] for reject in body["rejects"]] == [3]


def test_a_dry_run_reports_and_writes_nothing(client, org, token):
    headers = token(org.manager, "read", "write")
    response = post(client, "deals", headers, [deal("OPP-1", org.rep)], dry_run=True)
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] and body["status"] == "previewed" and body["created"] == 1
    assert not Deal.objects.exists()


def test_unknown_names_are_reported_and_can_be_mapped(client, org, token):
    headers = token(org.admin, "read", "write")
    rows = [deal("OPP-1", org.rep, stage="Closing time")]
    body = post(client, "deals", headers, rows).json()
    assert body["unknown_names"] == {"stage": ["Closing time"]}
    assert body["rejected"] == 1
    mapped = post(
        client, "deals", headers, rows, names={"stage": {"Closing time": "Negotiation"}}
    ).json()
    assert mapped["created"] == 1, mapped
    assert Deal.objects.get(external_id="OPP-1").stage.name == "Negotiation"


def test_json_numbers_and_booleans_mean_what_they_say(client, org, token):
    headers = token(org.manager, "read", "write")
    rows = [
        {
            "external_id": "ACT-1",
            "owner_email": org.rep.email,
            "kind": "call",
            "occurred_at": "2026-08-03 10:30",
            "is_prospecting": True,
            "meeting_number": None,
        }
    ]
    response = post(client, "activities", headers, rows)
    assert response.status_code == 200, response.json()
    assert Activity.objects.get(external_id="ACT-1").is_prospecting is True


def test_an_admin_uploads_people(client, org, token):
    rows = [{"email": "nia@acme.test", "name": "Nia New", "team": "North Field"}]
    response = post(client, "people", token(org.admin, "read", "write"), rows)
    assert response.status_code == 200, response.json()
    assert Person.objects.get(email="nia@acme.test").team == org.north_field


def test_an_unknown_column_is_refused_not_dropped(client, org, token):
    rows = [deal("OPP-1", org.rep), deal("OPP-2", org.rep, close_dat="2026-09-30")]
    response = post(client, "deals", token(org.admin, "read", "write"), rows)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "rows", 1, "close_dat"]
    assert error["msg"] == "Extra inputs are not permitted"
    assert not Deal.objects.exists() and not ImportRun.objects.exists()


def test_an_empty_batch_is_refused_plainly(client, org, token):
    response = post(client, "deals", token(org.admin, "read", "write"), [])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "rows"


def test_more_than_10000_rows_are_refused_before_anything_happens(client, org, token):
    rows = [{"external_id": f"D-{n}"} for n in range(10_001)]
    response = post(client, "deals", token(org.admin, "read", "write"), rows)
    assert response.status_code == 413
    assert "10,001 rows in one call; the limit is 10,000" in response.json()["detail"]
    assert not ImportRun.objects.exists()


def test_10000_rows_fit_in_one_call_even_above_djangos_body_limit(client, org, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    rows = [deal(f"OPP-{n}", org.rep) for n in range(2_000)]
    body = json.dumps({"rows": rows, "dry_run": True})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        reverse("api:bulk_deals"),
        body,
        content_type="application/json",
        headers=token(org.admin, "read", "write"),
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["created"] == 2_000


def test_a_body_above_20_mb_is_413_before_it_is_read(client, org, token):
    response = client.post(
        reverse("api:bulk_deals"),
        b" " * (20 * 2**20 + 1),
        content_type="application/json",
        headers=token(org.admin, "read", "write"),
    )
    assert response.status_code == 413
    assert "larger than the 20 MB a bulk call may carry" in response.json()["detail"]


def test_bad_json_is_a_plain_400(client, org, token):
    response = client.post(
        reverse("api:bulk_deals"),
        "{not json",
        content_type="application/json",
        headers=token(org.admin, "read", "write"),
    )
    assert response.status_code == 400
    assert "Cannot parse request body" in response.json()["detail"]


def test_deal_quantities_go_in_through_the_bulk_api_and_come_out_of_the_deal(client, org, token):
    headers = token(org.manager, "read", "write")
    rows = [deal("OPP-Q", org.rep, quantity=40, stage="Won")]
    response = post(client, "deals", headers, rows)
    assert response.status_code == 200, response.json()
    assert Deal.objects.get(external_id="OPP-Q").quantity == 40
    shown = client.get(reverse("api:deal", args=["OPP-Q"]), headers=headers).json()
    assert shown["quantity"] == 40
    refused = post(client, "deals", headers, [deal("OPP-R", org.rep, quantity=0)])
    assert refused.status_code == 422
    assert "quantity" in refused.json()["rejects"][0]["reason"]
