"""A rep logs an activity and adds a deal; their manager opens it, ticks a checklist
milestone and reads the stage history; a manager records customer feedback."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.crm.models import Deal, DealMilestone
from accountable.crm.upsert import activities_upsert, deals_upsert
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import AccountFactory, ProductFactory, ensure_pipeline, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sales(org):
    """A few months of North Field deals and activities, so the pages look lived in."""
    ensure_pipeline()
    today = timezone.localdate()
    accounts = [
        AccountFactory(name=name, tier=tier)
        for name, tier in [
            ("Northwind Analytics", "A"),
            ("Bluefield Software", "B"),
            ("Harbor & Pine Industrial", "A"),
            ("Lakeshore Payroll", "C"),
        ]
    ]
    products = [
        ProductFactory(name="GTX Pro", product_line="GTX", is_priority=True),
        ProductFactory(name="MG Advanced", product_line="MG"),
    ]
    plan = [
        ("Northwind platform", org.rep, "Negotiation", 48_000, 60),
        ("Bluefield renewal", org.rep, "Won", 21_500, 90),
        ("Harbor & Pine pilot", org.rep2, "Proposal", 12_800, 35),
        ("Lakeshore payroll add-on", org.rep2, "Lost", 6_400, 70),
        ("Northwind expansion", org.rep2, "Engaging", 30_000, 20),
        ("Bluefield GTX upgrade", org.rep, "Prospecting", 9_750, 8),
    ]
    rows = []
    for index, (name, owner, stage_name, amount, age) in enumerate(plan):
        created = today - timedelta(days=age)
        closed = stage(stage_name).is_closed
        rows.append(
            {
                "external_id": f"SEED-{index}",
                "name": name,
                "owner": owner,
                "account": accounts[index % 4],
                "product": products[index % 2],
                "amount": Decimal(amount),
                "stage": stage(stage_name),
                "created_on": created,
                "engaged_on": created + timedelta(days=3),
                "expected_close_on": today + timedelta(days=30 + index * 7),
                "closed_on": today - timedelta(days=5) if closed else None,
                "lost_reason": "Chose a cheaper tool" if stage_name == "Lost" else "",
            }
        )
    deals_upsert(rows, today=today)
    now = timezone.now()
    kinds = ["call", "email", "call", "meeting", "call", "email", "demo", "call"]
    activities_upsert(
        [
            {
                "external_id": f"SEED-A{n}",
                "person": org.rep if n % 2 else org.rep2,
                "kind": kinds[n % len(kinds)],
                "channel": {"call": "phone", "email": "email"}.get(kinds[n % len(kinds)], "video"),
                "outcome": ["connected", "no_answer", "replied", "held"][n % 4],
                "is_prospecting": n % 3 == 0,
                "occurred_at": now - timedelta(hours=7 * n + 2),
                "account": accounts[n % 4],
            }
            for n in range(14)
        ]
    )
    return org


def test_rep_logs_work_and_manager_reviews_the_deal(page, shoot, sales):
    org = sales
    sign_in(page, org.rep.email, PASSWORD)

    page.get_by_role("link", name="Activities", exact=True).click()
    expect(page.get_by_role("heading", name="Activities", level=1)).to_be_visible()
    page.get_by_role("link", name="Log an activity").click()
    page.get_by_label("What", exact=True).select_option("call")
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Outcome").select_option("meeting_booked")
    page.get_by_label("Account", exact=True).fill("Globex Manufacturing")
    page.get_by_label("Prospecting").check()
    shoot(page, "activity-form")
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_text("Logged a call for Rita Rep.")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("Globex Manufacturing")
    expect(page.locator("tbody")).not_to_contain_text("Rob Rep")  # a rep sees only their own
    shoot(page, "activities-rep")

    page.get_by_role("link", name="Deals", exact=True).click()
    page.get_by_role("link", name="Add a deal").first.click()
    page.get_by_label("Deal name").fill("Globex rollout")
    page.get_by_label("Account", exact=True).fill("Globex Manufacturing")
    page.get_by_label("Amount").fill("-5")
    page.get_by_label("Stage").select_option(label="Proposal")
    page.get_by_role("button", name="Save deal").click()
    expect(page.get_by_text("The amount cannot be negative")).to_be_visible()
    expect(page.get_by_text("An open deal needs the date it should close")).to_be_visible()
    shoot(page, "deal-form-errors")
    assert not Deal.objects.filter(name="Globex rollout").exists()

    page.get_by_label("Amount").fill("36500")
    page.get_by_label("Expected to close on").fill(
        (timezone.localdate() + timedelta(days=45)).isoformat()
    )
    page.get_by_label("Share the credit with").select_option(label="Rob Rep")
    page.get_by_label("Their share (%)").fill("25")
    page.get_by_role("button", name="Save deal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Globex rollout")
    expect(page.get_by_text("Saved the deal “Globex rollout”.")).to_be_visible()
    expect(page.locator(".stat").first).to_contain_text("$36,500")
    shoot(page, "deal-rep")
    deal = Deal.objects.get(name="Globex rollout")
    assert deal.owner == org.rep and deal.account.name == "Globex Manufacturing"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Deals", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(7)
    shoot(page, "deals-manager")
    page.get_by_label("Owner").select_option(label="Rita Rep")
    page.get_by_label("Status").select_option("open")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(3)
    page.get_by_role("link", name="Globex rollout").click()
    expect(page).to_have_url(re.compile(r"/deals/\d+/$"))

    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("0 of 6 done")
    checklist.get_by_role("button", name="Mark “Budget confirmed” done").click()
    expect(checklist).to_contain_text("1 of 6 done")
    expect(checklist).to_contain_text("by Max Manager")
    expect(page.locator("#checklist-tile")).to_contain_text("1 of 6")
    assert DealMilestone.objects.filter(deal=deal, milestone__name="Budget confirmed").exists()
    history = page.locator(".timeline")
    expect(history).to_contain_text("Entered Proposal")
    expect(page.get_by_role("heading", name="Split credit")).to_be_visible()
    expect(page.locator("table").filter(has_text="Rob Rep")).to_contain_text("25%")
    shoot(page, "deal-manager")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Stage").select_option(label="Negotiation")
    page.get_by_label("Amount").fill("41000")
    page.get_by_role("button", name="Save deal").click()
    expect(history).to_contain_text("Proposal → Negotiation")
    expect(page.get_by_role("heading", name="Amount and close date changes")).to_be_visible()
    expect(page.locator("table").filter(has_text="Amount")).to_contain_text("$41,000")
    shoot(page, "deal-history")


def test_manager_records_customer_feedback(page, shoot, sales):
    org = sales
    sign_in(page, org.manager.email, PASSWORD)
    page.goto("/feedback/")
    expect(page.get_by_text("No customer feedback yet")).to_be_visible()
    page.get_by_role("link", name="Record feedback").first.click()
    page.get_by_label("About").select_option(label="Rob Rep")
    page.get_by_label("Complaint").check()
    page.get_by_label("What the customer said").fill("Promised a demo twice and missed it.")
    page.get_by_label("From the account").fill("Bluefield Software")
    page.get_by_role("button", name="Record feedback").click()
    expect(page.get_by_text("Recorded complaint about Rob Rep.")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    shoot(page, "feedback-manager")


def test_an_empty_deal_list_says_what_to_do(page, shoot, org):
    ensure_pipeline()
    sign_in(page, org.admin.email, PASSWORD)
    page.get_by_role("link", name="Deals", exact=True).click()
    expect(page.get_by_text("No deals yet — import them from your CRM or add one.")).to_be_visible()
    shoot(page, "deals-empty")
