"""The home page is the day's work: a manager sees who is behind and why, today's
check-ins, overdue commitments and who has not called; one click from acting on each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.checkins.services import checkin_schedule
from accountable.commitments.services import commitment_add
from accountable.org.calendar import Kind
from accountable.org.services import organisation_get
from accountable.signals.models import WarningSign
from accountable.targets.models import Target
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_is_the_days_work(page, shoot, org):
    today = timezone.localdate()
    quarter = organisation_get().calendar.period(Kind.QUARTER, today)
    Target.objects.create(
        person=org.rep, metric="revenue", period=quarter.label, period_start=quarter.start,
        period_end=quarter.end, value=Decimal("90000"),
    )  # fmt: skip
    WarningSign.objects.create(
        person=org.rep, kind="low_activity", severity="high", period=quarter.label,
        message="Calls are down by half against the team.", evidence={},
        first_seen_on=today, last_seen_on=today,
    )  # fmt: skip
    later = timezone.localtime().replace(hour=23, minute=30, second=0, microsecond=0)
    checkin_schedule(actor=org.manager, person=org.rep, starts_at=later)
    commitment_add(
        actor=org.rep2, person=org.rep2, text="Send the Globex proposal",
        due_on=today - timedelta(days=3),
    )  # fmt: skip
    sign_in(page, org.manager.email, PASSWORD)
    expect(page.locator(".todays-work")).to_contain_text("Rita Rep")
    expect(page.locator(".todays-work")).to_contain_text("Calls are down by half against the team.")
    expect(page.locator(".todays-work")).to_contain_text("Rob Rep: Send the Globex proposal")
    shoot(page, "home-manager")
    page.get_by_role("link", name="23:30 · Rita Rep").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1:1 · Rita Rep with Max Manager")

    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    expect(page.locator(".own-work")).to_contain_text("Needed each week from now")
    expect(page.locator(".own-work")).to_contain_text("with Max Manager")
    shoot(page, "home-rep")
