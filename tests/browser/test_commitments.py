"""A manager records a commitment for a rep; the rep commits to a number and reports on
the promise in words; the manager confirms it; the list shows where each stands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.commitments.models import Commitment, State
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commitment_is_made_reported_and_confirmed(page, shoot, org):
    friday = timezone.localdate() + timedelta(days=2)
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Commitments").click()
    expect(page.get_by_role("heading", name="Commitments", level=1)).to_be_visible()
    page.get_by_label("Who").select_option(label="Rita Rep")
    page.get_by_label("Something to do").check()
    expect(page.get_by_label("Metric", exact=True)).to_be_hidden()  # only what the kind needs
    page.get_by_label("What will be done").fill("Send the Globex proposal")
    page.get_by_label("Due").fill(friday.isoformat())
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_text("Committed: Send the Globex proposal")).to_be_visible()
    expect(page.locator("table.commitments")).to_contain_text("Rita Rep")

    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Commitments").click()
    # A number on a metric, with nothing filled in: said plainly, nothing made.
    page.get_by_label("Metric", exact=True).select_option(label="First meetings")
    page.get_by_label("Due").fill(friday.isoformat())
    page.get_by_role("button", name="Commit").click()
    expect(page.locator(".form-errors")).to_contain_text(
        "Say how many (or how much) first meetings."
    )
    page.get_by_label("How many (or how much)").fill("6")
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_text("Committed: 6 first meetings")).to_be_visible()
    expect(page.locator("table.commitments")).to_contain_text("due soon")
    shoot(page, "commitments")

    page.get_by_role("link", name="Send the Globex proposal").click()
    page.get_by_label("What happened").fill("Sent on Thursday, call booked for Monday.")
    page.get_by_label("Done?").select_option(label="Yes, done")
    page.get_by_role("button", name="Report").click()
    expect(page.get_by_text("Reported. Your manager confirms it.")).to_be_visible()
    expect(page.locator(".sub")).to_contain_text("reported · to confirm")
    shoot(page, "commitment")

    page.context.clear_cookies()
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Commitments").click()
    page.get_by_role("link", name="Send the Globex proposal").click()
    expect(page.get_by_text("Rita Rep says it was done.")).to_be_visible()
    page.get_by_role("button", name="Met").click()
    expect(page.get_by_text("Confirmed: met.")).to_be_visible()
    assert Commitment.objects.get(text="Send the Globex proposal").state == State.MET
    shoot(page, "commitment-confirmed")
