"""An admin adds a person, moves them to another team, and finds both in the history
and the audit trail; changes the organisation's time zone and is told what follows; a
manager browses the organisation and people."""

from __future__ import annotations

import re

import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from accountable.demo.generator import generate_demo
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(tmp_path):
    return generate_demo(
        seed=7, people=40, ground_truth_path=tmp_path / "truth.json", sales_data=False
    )


def test_admin_adds_and_moves_a_person(page, shoot, demo):
    sign_in(page, "admin@demo.test", "demo")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Organisation and calendar")).to_be_visible()
    shoot(page, "settings")

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill("Noor Newman")
    page.get_by_label("E-mail", exact=True).fill("noor.newman@demo.test")
    page.get_by_label("Role", exact=True).select_option("rep")
    page.get_by_label("Team", exact=True).select_option(label="North — SMB")
    page.get_by_label("Start date").fill("2026-11-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noor Newman")
    expect(page.get_by_text("Added Noor Newman.")).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Team", exact=True).select_option(label="South — Enterprise")
    page.get_by_label("Reason for a role or team change").fill("Territory swap")
    page.get_by_role("button", name="Save").click()
    history = page.locator(".timeline")
    expect(history).to_contain_text("North — SMB → South — Enterprise")
    expect(history).to_contain_text("Territory swap")
    shoot(page, "person-detail")

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Audit trail").click()
    expect(page.locator("tbody tr").first).to_contain_text("person.update")
    expect(page.locator("tbody tr").first).to_contain_text("South — Enterprise")
    shoot(page, "audit-trail")


def test_admin_gets_a_clear_message_for_a_taken_email(page, shoot, demo):
    sign_in(page, "admin@demo.test", "demo")
    page.goto("/settings/people/new/")
    page.get_by_label("Name", exact=True).fill("Copy Cat")
    page.get_by_label("E-mail", exact=True).fill("rep@demo.test")
    page.get_by_label("Start date").fill("2026-11-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "rep@demo.test is already in the organisation"
    )
    shoot(page, "person-form-error")


def test_manager_browses_their_organisation(page, shoot, demo):
    sign_in(page, "manager@demo.test", "demo")
    page.get_by_role("link", name="Organisation").click()
    expect(page.locator(".team-node")).to_have_count(1)
    shoot(page, "org-tree-manager")
    page.get_by_role("link", name="People", exact=True).click()
    rows = page.locator("tbody tr")
    expect(page.get_by_text("8 people in your teams")).to_be_visible()
    expect(rows).to_have_count(8)
    page.get_by_label("Name or e-mail").fill("rep@demo.test")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    shoot(page, "people-list")
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)


def test_admin_changes_the_time_zone_and_is_told_what_follows(page, shoot, demo):
    sign_in(page, "admin@demo.test", "demo")
    DBTaskResult.objects.all().delete()  # what making the demo queued
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Organisation settings saved.")).to_be_visible()
    expect(page.get_by_text("Days are now cut in the new time zone")).to_be_visible()
    shoot(page, "settings-time-zone")
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "accountable.scorecards.tasks.rollups_rebuild",
        "accountable.signals.tasks.signals_after_change",
    ]


def test_admin_sets_the_days_off_and_sees_what_is_coming(page, shoot, demo):
    sign_in(page, "admin@demo.test", "demo")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_text("None: every working weekday counts.")).to_be_visible()
    page.get_by_label("Public holidays of").select_option("GB")
    page.get_by_label("Region").fill("eng")
    page.get_by_label("Our own days off").fill("2026-12-24 Christmas Eve\n2027-01-04 Kick-off")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Organisation settings saved.")).to_be_visible()
    coming = page.locator("ul.days-off")
    expect(coming).to_contain_text("Christmas Day")
    expect(coming).to_contain_text("Christmas Eve")
    shoot(page, "settings-days-off")
    page.get_by_label("Our own days off").fill("24/12/2026 Christmas Eve")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Line 1:")).to_be_visible()
