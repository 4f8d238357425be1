"""A rep drafts and submits a quarterly plan; the manager returns it with a comment and
reasons; the rep revises it; the manager approves it; the review shows the quarter, each
month and each week against plan and records the answers as commitments, opening a
catch-up plan since the quarter is behind; the manager signs it off."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.commitments.models import Commitment
from accountable.org.services import organisation_get
from accountable.plans.models import CatchUp, Plan, PlanState
from accountable.targets.models import Target
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import AccountFactory, DealFactory, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_plans(page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Plans", exact=True).click()


def test_a_quarterly_plan_is_returned_revised_approved_and_reviewed(page, shoot, org):
    today = timezone.localdate()
    quarter = organisation_get().calendar.period("quarter", today)
    Target.objects.create(
        person=org.rep, metric="revenue", period=quarter.label,
        period_start=quarter.start, period_end=quarter.end, value=Decimal("90000"),
    )  # fmt: skip
    DealFactory(owner=org.rep, stage=stage("Won"), amount=Decimal("1000"), closed_on=today)
    AccountFactory(owner=org.rep, tier="A", name="Globex")

    open_plans(page, org.rep.email)
    page.get_by_label("Plan", exact=True).select_option(label="Quarterly plan")
    page.get_by_label("For").fill(quarter.label)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text(f"Started: Quarterly plan {quarter.label}")).to_be_visible()
    page.get_by_role("button", name="Save and submit").click()  # nothing written yet
    expect(page.get_by_text("before submitting")).to_be_visible()
    page.get_by_label("Where I stand and what I aim for").fill("Behind after October; aim 90k.")
    page.get_by_label("The pipeline I will close").fill("Three deals in December.")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Submitted as version 1")).to_be_visible()

    open_plans(page, org.manager.email)
    expect(page.locator(".warn-card")).to_contain_text("Rita Rep")
    page.locator(".warn-card").get_by_role("link").first.click()
    page.get_by_label("On", exact=True).select_option(label="The pipeline I will close")
    page.get_by_label("Comment", exact=True).fill("Which three? Name them and their stages.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    page.get_by_role("button", name="Return").click()  # no reasons: refused, nothing changes
    expect(page.get_by_text("Say why it goes back")).to_be_visible()
    page.get_by_label("Reasons").fill("Name the deals behind the number.")
    page.get_by_role("button", name="Return").click()
    expect(page.get_by_text("Returned to Rita Rep with your reasons.")).to_be_visible()

    open_plans(page, org.rep.email)
    page.get_by_role("link", name=f"Quarterly plan {quarter.label}").click()
    expect(page.locator(".plan-comments")).to_contain_text("Which three?")
    expect(page.get_by_text("Name the deals behind the number.")).to_be_visible()
    page.get_by_label("The pipeline I will close").fill(
        "Globex renewal 40k, Initech 30k, Umbrella 20k."
    )
    page.get_by_label("Action").fill("Meet the Globex CFO")
    page.get_by_label("By").fill(quarter.end.isoformat())
    page.get_by_role("button", name="Add", exact=True).click()  # the words above are kept
    expect(page.get_by_text("Action added; the plan saved.")).to_be_visible()
    expect(page.get_by_label("The pipeline I will close")).to_have_value(
        "Globex renewal 40k, Initech 30k, Umbrella 20k."
    )
    # A comment sent while a section is half written keeps the words typed too.
    page.get_by_label("What I learnt").fill("Deals without a named buyer slip.")
    page.get_by_label("On", exact=True).select_option(label="The pipeline I will close")
    page.get_by_label("Comment", exact=True).fill("Named: Globex, Initech, Umbrella.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added; the plan saved.")).to_be_visible()
    expect(page.get_by_label("What I learnt")).to_have_value("Deals without a named buyer slip.")
    expect(page.locator(".plan-comments")).to_contain_text("Named: Globex")
    shoot(page, "plan-returned")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Submitted as version 2")).to_be_visible()

    open_plans(page, org.manager.email)
    page.locator(".warn-card").get_by_role("link").first.click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved.")).to_be_visible()
    plan = Plan.objects.get(person=org.rep)
    assert plan.state == PlanState.APPROVED and plan.versions.count() == 2
    page.get_by_role("link", name="Present").click()
    expect(page.locator(".plan-present")).to_contain_text("Globex renewal 40k")
    shoot(page, "plan-present")
    page.get_by_role("link", name="Back to the plan").click()

    page.get_by_role("link", name="Review against actuals").click()
    expect(page.get_by_role("heading", name="Each month")).to_be_visible()
    expect(page.locator("table.plan-actuals").first).to_contain_text(
        quarter.children("month")[0].label
    )
    expect(page.locator("table.plan-actuals").nth(1)).to_contain_text("-W")
    page.get_by_label("Why up or down").fill("Two October deals slipped to January.")
    page.get_by_label("What I will do now to stay ahead or catch up").fill(
        "Book four first meetings a week\nClose Globex by the 20th"
    )
    page.get_by_role("button", name="Record the review").click()
    expect(
        page.get_by_text("Review recorded; 2 commitments made. A catch-up plan is open.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Catch-up plan")).to_be_visible()
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text("Signed off.")).to_be_visible()
    shoot(page, "plan-review")
    assert Commitment.objects.filter(person=org.rep, text="Close Globex by the 20th").exists()
    assert CatchUp.objects.get(person=org.rep).state == "open"

    open_plans(page, org.rep.email)
    shoot(page, "plans")
    page.get_by_role("link", name="Key accounts").click()
    expect(page.locator(".card").first).to_contain_text("an A account with no plan")
    page.get_by_label("Account", exact=True).select_option(label="Globex")
    page.get_by_label("Goal for the year").fill("Renew and add the second plant")
    page.get_by_label("Next action").fill("Meet the CFO")
    page.get_by_label("By").fill(quarter.end.isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Planned: Globex (A).")).to_be_visible()
    shoot(page, "plans-accounts")
    page.get_by_role("link", name="Globex").first.click()
    expect(page.get_by_role("heading", name="Account plan")).to_be_visible()
    shoot(page, "account")
