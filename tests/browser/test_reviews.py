"""An admin opens a performance review cycle; the rep rates themself with their frozen
figures beside each answer and sends it; the manager fills in the same form; both are
then side by side with the gaps highlighted; the manager records the outcome agreed and
the rep acknowledges it. Another rep never sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.reviews.models import Review, ReviewState
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.packets.conftest import packet_org  # noqa: F401 - the data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate_all(page, rating: str, comment: str = "") -> None:
    for group in page.locator(".rv-scale").all():
        group.get_by_label(rating, exact=False).first.check()
    if comment:
        page.locator(".rv-item input[type=text]").first.fill(comment)


def test_a_review_with_both_assessments_side_by_side(page, shoot, packet_org):  # noqa: F811
    org = packet_org
    today = timezone.localdate()
    sign_in(page, org.admin.email, PASSWORD)
    page.goto("/reviews/")
    page.get_by_label("Period").fill("2026-Q3")
    page.get_by_label("Review day").fill("2026-09-30")
    page.get_by_label("Self-assessments due").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Managers' assessments due").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("Who is reviewed").select_option(label="Rita Rep (rep · North Field)")
    shoot(page, "reviews-open")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_text("2026-Q3 performance reviews opened: 1 to review.")).to_be_visible()
    review = Review.objects.get()

    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    page.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Performance reviews").click()
    page.get_by_role("link", name="Rita Rep").click()
    expect(page.get_by_role("heading", name="Your self-assessment")).to_be_visible()
    expect(page.locator(".rv-form")).to_contain_text("$3,000 of $6,000 (50%)")
    _rate_all(page, "5 · far above", "Best quarter yet")
    page.get_by_label("Strengths").fill("Closing the big ones.")
    page.get_by_label("What to improve").fill("Logging calls.")
    shoot(page, "review-self")
    page.get_by_role("button", name="Send the assessment").click()
    expect(page.get_by_text("Assessment sent.")).to_be_visible()
    expect(page.locator(".rv-side")).to_contain_text("Your manager's assessment appears here")

    page.context.clear_cookies()
    sign_in(page, org.manager.email, PASSWORD)
    page.goto(f"/reviews/{review.pk}/")
    expect(page.get_by_role("heading", name="Your assessment of Rita")).to_be_visible()
    expect(page.locator(".rv-side")).to_contain_text("Best quarter yet")  # hers, sent
    _rate_all(page, "2 · below")
    page.get_by_label("Strengths").fill("Persistent with customers.")
    page.get_by_label("What to improve").fill("Build pipeline: coverage is nil.")
    page.get_by_role("button", name="Send the assessment").click()
    expect(page.get_by_text("Assessment sent.")).to_be_visible()
    side = page.locator(".rv-side")
    expect(side.locator("tr.rv-gap").first).to_contain_text(
        "rates themself 3 higher than the manager"
    )
    expect(side).to_contain_text("Build pipeline: coverage is nil.")
    shoot(page, "review-side-by-side")
    page.get_by_label("What was agreed").select_option(label="A coaching plan")
    page.get_by_label("The goals, or the plan's steps and dates").fill(
        "Weekly role-play of first calls; pipeline review every Friday until December."
    )
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Outcome recorded: Rita is asked to acknowledge it.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, org.rep.email, PASSWORD)
    page.goto(f"/reviews/{review.pk}/")
    expect(page.locator(".rv-side")).to_contain_text("Build pipeline: coverage is nil.")
    page.get_by_label("Your response (optional)").fill("Read. I'd like the role-plays on Mondays.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged by Rita Rep")).to_be_visible()
    shoot(page, "review-acknowledged")
    assert Review.objects.get().state == ReviewState.ACKNOWLEDGED

    page.context.clear_cookies()
    sign_in(page, org.rep2.email, PASSWORD)
    assert page.goto(f"/reviews/{review.pk}/").status == 404
    page.goto("/reviews/")
    expect(page.locator("main")).not_to_contain_text("Rita Rep")
