"""A manager schedules a 1:1 with a rep; the rep adds to its agenda; the manager opens
the prepared agenda, writes shared and private notes, records an action item and a
commitment, and marks it held (the next one is scheduled). The rep never sees the
private notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.checkins.models import ActionItem, CheckIn, CheckinState
from accountable.commitments.models import Commitment
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_check_in_is_prepared_held_and_followed_up(page, shoot, org):
    when = timezone.localtime() + timedelta(days=1)
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    expect(page.get_by_role("heading", name="Check-ins", level=1)).to_be_visible()
    page.get_by_label("With").select_option(label="Rita Rep")
    page.get_by_label("When").fill(when.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Where (optional)").fill("Room 4")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Check-in with Rita Rep on")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1:1 · Rita Rep with Max Manager")
    checkin = CheckIn.objects.get()

    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    page.goto(f"/checkins/{checkin.pk}/")
    page.get_by_label("Add to the agenda").fill("Travel budget for the Acme visit")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added to the agenda.")).to_be_visible()
    expect(page.get_by_label("Private notes")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, org.manager.email, PASSWORD)
    page.goto(f"/checkins/{checkin.pk}/")
    expect(page.locator("main")).to_contain_text("Travel budget for the Acme visit")
    expect(page.locator("main")).to_contain_text("This is the first check-in")
    page.get_by_label("Shared notes").fill("Agreed to focus on Acme and Globex.")
    page.get_by_label("Private notes").fill("Confidence is low; watch next week.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    page.get_by_label("What", exact=True).fill("Book the Acme demo")
    page.get_by_label("By", exact=True).first.fill((when + timedelta(days=3)).date().isoformat())
    page.get_by_role("button", name="Record the action item").click()
    expect(page.get_by_text("Action item recorded.")).to_be_visible()
    page.get_by_label("They commit to").fill("Send the Globex proposal")
    page.locator("form[action$='/commitments/'] input[type=date]").fill(
        (when + timedelta(days=4)).date().isoformat()
    )
    page.get_by_role("button", name="Record the commitment").click()
    expect(page.get_by_text("Commitment recorded: Send the Globex proposal.")).to_be_visible()
    shoot(page, "checkin")
    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_text("Marked as held. The next is on")).to_be_visible()
    assert CheckIn.objects.get(pk=checkin.pk).state == CheckinState.HELD
    assert CheckIn.objects.filter(state=CheckinState.SCHEDULED).count() == 1
    assert ActionItem.objects.get().owner == org.rep
    assert Commitment.objects.get().person == org.rep

    # The rep's view of the held meeting: the shared notes, never the private ones.
    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    page.goto(f"/checkins/{checkin.pk}/")
    expect(page.locator("main")).to_contain_text("Agreed to focus on Acme and Globex.")
    expect(page.locator("main")).not_to_contain_text("Confidence is low")
    following = CheckIn.objects.get(state=CheckinState.SCHEDULED)
    page.goto(f"/checkins/{following.pk}/")
    expect(page.locator("main")).to_contain_text("Agreed to focus on Acme and Globex.")
    expect(page.locator("main")).not_to_contain_text("Confidence is low")
    shoot(page, "checkin-rep")
