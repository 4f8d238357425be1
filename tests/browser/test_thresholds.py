"""The warning thresholds in a real browser: an admin finds them from Settings, types a
share above 1 and is told why, fixes it, saves, and puts everything back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountable.signals.models import SignalSettings
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_changes_a_threshold_and_puts_it_back(page, shoot, org):
    sign_in(page, "admin@acme.test", PASSWORD)
    page.goto("/settings/")
    page.get_by_role("link", name="Warning thresholds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning thresholds")
    box = page.locator("#id_low_activity_ratio")
    box.fill("1.4")
    page.get_by_role("button", name="Save thresholds").click()
    expect(page.get_by_text("Nothing was changed: fix the values marked below.")).to_be_visible()
    expect(page.get_by_text("low_activity_ratio must be at most 1")).to_be_visible()
    assert not SignalSettings.objects.filter(thresholds__has_key="low_activity_ratio").exists()
    shoot(page, "thresholds-error")

    page.locator("#id_low_activity_ratio").fill("0.6")
    page.get_by_role("button", name="Save thresholds").click()
    expect(page.get_by_text("Warning thresholds saved.")).to_be_visible()
    expect(page.locator("#id_low_activity_ratio")).to_have_value("0.6")
    assert SignalSettings.objects.get().thresholds == {"low_activity_ratio": 0.6}
    shoot(page, "thresholds")

    page.get_by_role("button", name="Put all 1 changed back to their defaults").click()
    expect(page.get_by_text("Every threshold is back to its default.")).to_be_visible()
    expect(page.locator("#id_low_activity_ratio")).to_have_value("0.7")
