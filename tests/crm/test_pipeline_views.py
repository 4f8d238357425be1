"""The pipeline page: each change posts to its own URL and comes back with what it did,
or why it did nothing (who may open it: tests/crm/permission_cases.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accountable.crm.models import Stage
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

PAGE = reverse("crm:pipeline")


@pytest.fixture
def admin_client(client, org):
    ensure_pipeline()
    client.force_login(org.admin)
    return client


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_page_lists_the_stages_with_their_deals(admin_client, org):
    DealFactory(owner=org.rep, stage=stage("Proposal"))
    page = admin_client.get(PAGE)
    assert page.status_code == 200
    proposal = next(s for s in page.context["stages"] if s.name == "Proposal")
    assert proposal.deal_count == 1
    html = page.content.decode()
    assert 'data-stage="Proposal"' in html and "Merge into…" in html
    assert reverse("crm:stage_delete", kwargs={"pk": stage("Engaging").pk}) in html


def test_a_stage_is_added_and_a_bad_one_says_why(admin_client):
    done = admin_client.post(PAGE, {"name": "Demo", "probability": "30"}, follow=True)
    assert 'Stage "Demo" added at 30 %.' in said(done)
    bad = admin_client.post(PAGE, {"name": "Sure thing", "probability": "150"}, follow=True)
    assert any("from 0 to 100, not 150" in m for m in said(bad))
    assert not Stage.objects.filter(name="Sure thing").exists()


def test_a_stage_is_saved_moved_merged_and_removed_from_the_page(admin_client, org):
    proposal = stage("Proposal")
    edit = reverse("crm:stage_edit", kwargs={"pk": proposal.pk})
    admin_client.post(edit, {"name": "Quote", "probability": "55", "forecast_category": "commit"})
    proposal.refresh_from_db()
    assert (proposal.name, proposal.probability, proposal.forecast_category) == (
        "Quote",
        55,
        "commit",
    )
    admin_client.post(reverse("crm:stage_move", kwargs={"pk": proposal.pk}), {"direction": "up"})
    assert list(Stage.objects.values_list("name", flat=True))[:3] == [
        "Prospecting",
        "Quote",
        "Engaging",
    ]
    deal = DealFactory(owner=org.rep, stage=stage("Engaging"))
    merge = reverse("crm:stage_merge", kwargs={"pk": stage("Engaging").pk})
    nothing = admin_client.post(merge, {"into": ""}, follow=True)
    assert any("Choose the stage to merge" in m for m in said(nothing))
    merged = admin_client.post(merge, {"into": str(proposal.pk)}, follow=True)
    assert any('"Engaging" merged into "Quote"' in m for m in said(merged))
    deal.refresh_from_db()
    assert deal.stage == proposal
    gone = admin_client.post(
        reverse("crm:stage_delete", kwargs={"pk": stage("Prospecting").pk}), follow=True
    )
    assert 'Stage "Prospecting" removed.' in said(gone)


def test_checklist_milestones_are_added_and_removed_from_the_page(admin_client):
    proposal = stage("Proposal")
    add = reverse("crm:milestone_add", kwargs={"pk": proposal.pk})
    admin_client.post(add, {"name": "Pricing approved"})
    milestone = proposal.milestones.get(name="Pricing approved")
    again = admin_client.post(add, {"name": "pricing approved"}, follow=True)
    assert any("already has the milestone" in m for m in said(again))
    admin_client.post(reverse("crm:milestone_delete", kwargs={"pk": milestone.pk}))
    assert not proposal.milestones.filter(name="Pricing approved").exists()
