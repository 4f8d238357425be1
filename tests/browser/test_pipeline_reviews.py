"""A manager reviews a rep's pipeline: sees what moved, records a decision with a next
step, which becomes an action item the rep sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.checkins.models import ActionItem
from accountable.crm.models import DealStageChange
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reviews_a_reps_pipeline(page, shoot, org):
    ensure_pipeline()
    today = timezone.localdate()
    acme = DealFactory(
        owner=org.rep, name="Acme renewal", stage=stage("Proposal"),
        created_on=today - timedelta(days=40), expected_close_on=today + timedelta(days=20),
    )  # fmt: skip
    DealStageChange.objects.create(
        deal=acme, from_stage=stage("Engaging"), to_stage=stage("Proposal"),
        changed_on=today - timedelta(days=3),
    )  # fmt: skip
    DealFactory(owner=org.rep, name="Initech pilot", created_on=today - timedelta(days=2))
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Pipeline reviews").click()
    page.get_by_label("A person's").select_option(label="Rita Rep")
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pipeline of Rita Rep")
    expect(page.locator("main")).to_contain_text("Engaging → Proposal")
    expect(page.locator("main")).to_contain_text("Initech pilot")
    page.get_by_label("Deal").select_option(label="Acme renewal · Rita Rep")
    page.get_by_label("Decision").fill("Push for signature before the quarter ends")
    page.get_by_label("Next step (optional)").fill("Book the legal call")
    page.get_by_label("Who").select_option(label="Rita Rep")
    page.get_by_label("By").fill((today + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision on Acme renewal recorded.")).to_be_visible()
    shoot(page, "pipeline-review")
    assert ActionItem.objects.get().text == "Acme renewal: Book the legal call"

    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    expect(page.locator("main")).to_contain_text("Acme renewal: Book the legal call")
