"""The pipeline through the API: read by everyone, edited by admins with a write token,
through the same service as the page (`crm.pipeline`)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.crm.models import Deal, DealStageChange, Stage
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

STAGES = reverse("api:stages")


@pytest.fixture(autouse=True)
def _pipeline(db):
    ensure_pipeline()


def _send(client, method: str, path: str, headers, **body):
    return getattr(client, method)(path, body, content_type="application/json", headers=headers)


def test_everyone_reads_the_stages_in_order_with_their_checklists(client, org, token):
    response = client.get(STAGES, headers=token(org.rep))
    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == [
        "Prospecting",
        "Engaging",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]
    assert rows[2]["probability"] == 50 and rows[2]["forecast_category"] == "best_case"
    assert [row["outcome"] for row in rows[-2:]] == ["won", "lost"]
    assert [m["name"] for m in rows[0]["milestones"]] == ["Contact identified", "Need discussed"]


def test_an_admin_adds_renames_reorders_and_merges_stages(client, org, token):
    headers = token(org.admin, "read", "write")
    created = _send(client, "post", STAGES, headers, name="Demo", probability=30)
    assert created.status_code == 201, created.json()
    demo = created.json()
    assert demo["forecast_category"] == "pipeline" and demo["order"] == 3

    path = reverse("api:stage_change", kwargs={"stage_id": demo["id"]})
    renamed = _send(
        client, "patch", path, headers, name="Demo given", forecast_category="best_case"
    )
    assert renamed.json()["name"] == "Demo given"
    assert renamed.json()["forecast_category"] == "best_case"

    ids = [s["id"] for s in client.get(STAGES, headers=headers).json() if s["outcome"] == "open"]
    ordered = _send(client, "put", reverse("api:stages_order"), headers, order=ids[::-1])
    assert [s["name"] for s in ordered.json()][:5] == [
        "Negotiation",
        "Proposal",
        "Demo given",
        "Engaging",
        "Prospecting",
    ]

    deal = DealFactory(owner=org.rep, stage=stage("Engaging"))
    DealStageChange.objects.create(
        deal=deal,
        from_stage=stage("Prospecting"),
        to_stage=stage("Engaging"),
        changed_on=date(2026, 8, 3),
    )
    merge = reverse("api:stage_merge", kwargs={"stage_id": stage("Engaging").pk})
    merged = _send(client, "post", merge, headers, into=demo["id"])
    assert merged.status_code == 200 and merged.json()["name"] == "Demo given"
    assert Deal.objects.get(pk=deal.pk).stage.name == "Demo given"
    assert deal.stage_changes.get().to_stage.name == "Demo given"
    assert AuditEntry.objects.filter(action="stage.merge", actor=org.admin).exists()


def test_a_refused_change_says_why_and_changes_nothing(client, org, token):
    headers = token(org.admin, "read", "write")
    DealFactory(owner=org.rep, stage=stage("Proposal"))
    removing = client.delete(
        reverse("api:stage_remove", kwargs={"stage_id": stage("Proposal").pk}), headers=headers
    )
    assert removing.status_code == 400
    assert "merge it into another stage instead" in removing.json()["detail"]
    into_won = _send(
        client,
        "post",
        reverse("api:stage_merge", kwargs={"stage_id": stage("Proposal").pk}),
        headers,
        into=stage("Won").pk,
    )
    assert into_won.status_code == 400 and "same kind" in into_won.json()["detail"]
    too_likely = _send(client, "post", STAGES, headers, name="Sure thing", probability=120)
    assert too_likely.status_code == 422
    missing = client.delete(
        reverse("api:stage_remove", kwargs={"stage_id": 99999}), headers=headers
    )
    assert missing.status_code == 404
    assert Stage.objects.count() == 6 and not Stage.objects.filter(name="Sure thing").exists()


def test_milestones_are_kept_through_the_api(client, org, token):
    headers = token(org.admin, "read", "write")
    path = reverse("api:milestone_create", kwargs={"stage_id": stage("Proposal").pk})
    added = _send(client, "post", path, headers, name="Security review")
    assert added.status_code == 201
    milestone = added.json()["id"]
    renamed = _send(
        client,
        "patch",
        reverse("api:milestone_change", kwargs={"milestone_id": milestone}),
        headers,
        name="Security questionnaire",
    )
    assert renamed.json()["name"] == "Security questionnaire"
    gone = client.delete(
        reverse("api:milestone_remove", kwargs={"milestone_id": milestone}), headers=headers
    )
    assert gone.status_code == 204


def test_only_an_admin_with_a_write_token_edits(client, org, token):
    refused = _send(
        client, "post", STAGES, token(org.manager, "read", "write"), name="X", probability=5
    )
    assert refused.status_code == 403
    for person in (org.rep, org.executive):  # whose tokens only read
        assert (
            _send(client, "post", STAGES, token(person), name="X", probability=5).status_code == 403
        )
    read_only = _send(client, "post", STAGES, token(org.admin, "read"), name="X", probability=5)
    assert read_only.status_code == 403
    assert not Stage.objects.filter(name="X").exists()
