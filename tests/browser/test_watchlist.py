"""The watchlist in a real browser: a manager on the demo finds who needs attention,
opens a warning, reads the evidence and acknowledges it with a note."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.demo.generator import generate_demo
from accountable.signals.services import signals_run
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(tmp_path):
    result = generate_demo(seed=1, people=40, ground_truth_path=tmp_path / "truth.json")
    signals_run(as_of=timezone.localdate())
    return result


def test_a_manager_acknowledges_a_warning_from_the_watchlist(page, shoot, demo):
    sign_in(page, "manager@demo.test", "demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Watchlist")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    shoot(page, "watchlist-manager")

    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/watchlist/\d+/$"))
    expect(page.get_by_role("heading", name="What the numbers say")).to_be_visible()
    page.get_by_label("Acknowledge: what will you do?").fill("1:1 on Thursday: go through it.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged, with your note.")).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text="1:1 on Thursday")).to_be_visible()
    history = page.locator("ol.history")
    expect(history.get_by_text("Acknowledged by")).to_be_visible()
    expect(history.locator("q")).to_have_text("1:1 on Thursday: go through it.")
    shoot(page, "warning-acknowledged")


def test_a_rep_sees_only_their_own_warnings_and_cannot_act(page, demo):
    sign_in(page, "rep@demo.test", "demo")
    page.goto("/watchlist/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Watchlist")
    expect(page.locator("textarea")).to_have_count(0)
