"""Each demo login signs in through the form and lands on the home for its role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accountable.demo.generator import generate_demo
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SALES = ["Deals", "Activities", "Goals", "Follow-up", "Time off"]
STAFF = ["Home", "Board", "Scorecard", "Watchlist", *SALES]
HOMES = {
    "admin@demo.test": (
        "Admin",
        [*STAFF, "Imports", "Organisation", "People", "Settings"],
    ),
    "exec@demo.test": ("Executive", [*STAFF, "Organisation", "People"]),
    "manager@demo.test": ("Manager", [*STAFF, "Imports", "Organisation", "People"]),
    "rep@demo.test": ("Rep", ["Home", "Scorecard", "Watchlist", *SALES]),
}


@pytest.fixture
def demo(tmp_path):
    return generate_demo(
        seed=7, people=40, ground_truth_path=tmp_path / "truth.json", sales_data=False
    )


@pytest.mark.parametrize("email", list(HOMES))
def test_demo_login_sees_its_home(page, shoot, demo, email):
    role_label, nav = HOMES[email]
    sign_in(page, email, "demo")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")
    expect(page.locator(".user-menu")).to_contain_text(role_label)
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_text(nav)
    if email == "rep@demo.test":
        expect(page.get_by_role("heading", name="Your team")).to_be_visible()
    else:
        expect(page.locator(".team-node").first).to_be_visible()
    shoot(page, f"home-{role_label.lower()}")


def test_wrong_password_is_refused_with_a_clear_message(page, shoot, demo):
    sign_in(page, "rep@demo.test", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page).to_have_url(re.compile(r"/login/"))
    shoot(page, "login-error")


def test_sign_out_returns_to_the_login_page(page, demo):
    sign_in(page, "manager@demo.test", "demo")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
