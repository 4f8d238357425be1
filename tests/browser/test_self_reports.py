"""A rep sends their self-report; a shorter cadence is proposed for a struggling rep,
and their manager confirms it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.checkins import self_reports as reports
from accountable.checkins.models import SelfReport
from accountable.signals.models import WarningSign
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_reports_and_the_manager_confirms_a_shorter_cadence(page, shoot, org):
    today = timezone.localdate()
    WarningSign.objects.create(
        person=org.rep2, kind="low_activity", severity="high", period="2026-Q4",
        message="Calls are down by half against the team.", evidence={},
        first_seen_on=today, last_seen_on=today,
    )  # fmt: skip
    reports.cadence_review(today)
    sign_in(page, org.rep.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Self-reports").click()
    expect(page.get_by_role("heading", name="Self-reports", level=1)).to_be_visible()
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_role("alert")).to_contain_text("Say at least one thing")
    page.get_by_label("What went well").fill("Two demos booked with Globex.")
    page.get_by_label("What I commit to next").fill("Send the Globex proposal")
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_text("Reported for")).to_be_visible()
    shoot(page, "self-reports")
    assert SelfReport.objects.get().went_well == "Two demos booked with Globex."

    page.context.clear_cookies()
    sign_in(page, org.manager.email, PASSWORD)
    page.goto("/checkins/reports/")
    expect(page.locator(".warn-card")).to_contain_text("Rob Rep")
    shoot(page, "self-reports-manager")
    page.get_by_role("button", name="Confirm twice a week for Rob Rep").click()
    expect(page.get_by_text("Rob Rep reports twice a week from now; recorded.")).to_be_visible()
    assert reports.cadence_of(org.rep2).times_a_week == 2
