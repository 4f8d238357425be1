"""An administrator edits the pipeline from Settings: adds a stage, reweights and renames
one, moves it, merges a stage that holds a deal, and keeps a checklist; a refused
change says why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountable.crm.models import Deal, Stage
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row(page, name: str):
    return page.locator(f'tr[data-stage="{name}"]')


def test_an_admin_edits_the_pipeline(page, shoot, org):
    ensure_pipeline()
    deal = DealFactory(owner=org.rep, stage=stage("Engaging"), name="Acme renewal")
    sign_in(page, org.admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Pipeline", level=1)).to_be_visible()
    expect(row(page, "Engaging").locator("td.num").nth(1)).to_have_text("1")

    # A new stage, placed by its probability.
    page.get_by_label("Name", exact=True).fill("Demo given")
    page.get_by_label("Chance a deal in it is won (%)").fill("40")
    page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_text('Stage "Demo given" added at 40 %.')).to_be_visible()
    names = page.locator("tr[data-stage]").evaluate_all("rows => rows.map(r => r.dataset.stage)")
    assert names == [
        "Prospecting",
        "Engaging",
        "Demo given",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]

    # A probability out of range: said plainly, nothing saved.
    page.get_by_label("Probability of Proposal, percent").fill("150")
    page.get_by_label("Probability of Proposal, percent").evaluate("e => e.form.noValidate = true")
    row(page, "Proposal").get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("from 0 to 100, not 150")
    assert Stage.objects.get(name="Proposal").probability == 50

    # Renamed and reweighted, then moved earlier.
    page.get_by_label("Name of stage 4").fill("Quote sent")
    page.get_by_label("Probability of Proposal, percent").fill("55")
    page.get_by_label("Forecast category of Proposal").select_option(label="Commit")
    row(page, "Proposal").get_by_role("button", name="Save").click()
    expect(page.get_by_text('Stage "Quote sent" saved.')).to_be_visible()
    page.get_by_role("button", name="Move Quote sent earlier").click()
    expect(page.get_by_text('Stage "Quote sent" moved up.')).to_be_visible()

    # The stage holding a deal is merged, not removed.
    expect(row(page, "Engaging").get_by_role("button", name="Remove")).to_have_count(0)
    page.get_by_label("Merge Engaging into").select_option(label="Demo given")
    row(page, "Engaging").get_by_role("button", name="Merge").click()
    expect(page.get_by_text('"Engaging" merged into "Demo given"')).to_be_visible()
    assert Deal.objects.get(pk=deal.pk).stage.name == "Demo given"

    # A checklist milestone added to the new stage.
    page.get_by_label("New milestone for Demo given").fill("Champion identified")
    page.locator(
        ".add-milestone", has=page.get_by_label("New milestone for Demo given")
    ).get_by_role("button", name="Add").click()
    expect(
        page.get_by_text('"Champion identified" added to the Demo given checklist.')
    ).to_be_visible()
    shoot(page, "pipeline")

    # The changes are in the audit trail.
    page.get_by_role("link", name="Changes").click()
    expect(page.locator("main")).to_contain_text("stage.merge")
