"""A manager records a rep's time off on the page, is told plainly when it overlaps, and
a rep sees it on their own page and removes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accountable.org.models import TimeOff
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def test_a_manager_records_time_off_and_the_rep_removes_it(page, shoot, org):
    SHOTS.mkdir(exist_ok=True)
    TimeOff.objects.create(
        person=org.rep2, first_day="2027-03-01", last_day="2027-03-03", note="Training course"
    )
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Time off").click()
    expect(page.get_by_role("heading", name="Time off", level=1)).to_be_visible()

    page.get_by_label("Who").select_option(label="Rita Rep")
    page.get_by_label("First day away").fill("2027-02-08")
    page.get_by_label("Last day away").fill("2027-02-12")
    page.get_by_label("Note (optional)").fill("Ski week")
    page.get_by_role("button", name="Record time off").click()
    expect(
        page.get_by_text("Recorded: Rita Rep off from Mon 8 Feb 2027 to Fri 12 Feb 2027.")
    ).to_be_visible()
    row = page.locator("table.time-off tbody tr", has_text="Ski week")
    expect(row).to_contain_text("Mon 8 Feb \N{EN DASH} Fri 12 Feb 2027")
    expect(row.locator("td.num").first).to_have_text("5")
    page.screenshot(path=SHOTS / "time-off-manager.png", full_page=True)
    shoot(page, "time-off")

    # Overlapping days: a message in plain words, and nothing recorded.
    page.get_by_label("Who").select_option(label="Rita Rep")
    page.get_by_label("First day away").fill("2027-02-11")
    page.get_by_label("Last day away").fill("2027-02-15")
    page.get_by_role("button", name="Record time off").click()
    expect(page.locator(".form-errors")).to_contain_text(
        "Rita Rep is already off from Mon 8 Feb 2027 to Fri 12 Feb 2027 (Ski week)"
    )
    page.screenshot(path=SHOTS / "time-off-overlap.png", full_page=True)
    assert TimeOff.objects.filter(person=org.rep).count() == 1

    page.context.clear_cookies()  # signed out
    sign_in(page, org.rep.email, PASSWORD)
    page.get_by_role("link", name="Time off").click()
    expect(page.locator("table.time-off")).to_contain_text("Ski week")
    expect(page.locator("table.time-off")).not_to_contain_text("Training course")
    page.screenshot(path=SHOTS / "time-off-rep.png", full_page=True)
    page.get_by_role("button", name="Remove time off of Rita Rep from 8 Feb 2027").click()
    expect(page.get_by_text("No time off ahead.")).to_be_visible()
    assert not TimeOff.objects.filter(person=org.rep).exists()
