"""A rep submits this week's forecast; their manager sees the team's calls, who has not
called, and adjusts the rep's call in a layer of their own."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.forecasts.models import ForecastAdjustment, ForecastSubmission
from accountable.org.calendar import Kind
from accountable.org.services import organisation_get
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import DealFactory, ensure_pipeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_calls_and_the_manager_adjusts(page, shoot, org):
    ensure_pipeline()
    today = timezone.localdate()
    quarter = organisation_get().calendar.period(Kind.QUARTER, today)
    DealFactory(owner=org.rep, name="Globex expansion", expected_close_on=quarter.end)
    sign_in(page, org.rep.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Forecast", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My forecast")
    page.get_by_label("Commit").fill("40000")
    page.get_by_label("Best case").fill("30000")
    page.get_by_role("button", name="Submit my call").click()
    expect(page.locator(".form-errors")).to_contain_text("The best case includes the commit")
    page.get_by_label("Best case").fill("55000")
    page.get_by_label("Note (optional)").fill("Globex signs in two weeks")
    page.get_by_label("Globex expansion").check()
    page.get_by_role("button", name="Submit my call").click()
    expect(page.get_by_text("submitted for the week of")).to_be_visible()
    expect(page.locator("table.calls")).to_contain_text("40")
    expect(page.locator("table.calls")).to_contain_text("Globex expansion")
    expect(page.get_by_label("Globex expansion")).to_be_checked()  # this week's call, again
    shoot(page, "forecast")

    page.context.clear_cookies()
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Forecast", exact=True).click()
    page.get_by_role("link", name="Team forecast").click()
    page.get_by_label("Team", exact=True).select_option(label="North Field")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".warn-card")).to_contain_text("Rob Rep")  # no call yet
    page.get_by_label("Your commit for Rita Rep").fill("32000")
    page.get_by_label("Why, for Rita Rep").fill("Globex legal review is slow")
    page.get_by_role("button", name="Adjust Rita Rep's call").click()
    expect(
        page.get_by_text("Your call on Rita Rep's forecast is kept beside theirs.")
    ).to_be_visible()
    shoot(page, "forecast-team")
    assert ForecastSubmission.objects.get(person=org.rep).commit == 40000
    assert ForecastAdjustment.objects.get().commit == 32000
