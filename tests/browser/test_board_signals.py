"""Warning signs where a manager works, in a real browser: the team board's rights and
flags, a rep's scorecard with the diagnosis and the evidence, and acknowledging a
warning from there, at laptop and phone widths.

The data is the demo organisation (seed 1) judged by the warning engine as of today,
as `accountable demo` leaves it: the flags and marks are the engine's, not made up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accountable.demo.generator import generate_demo
from accountable.org.models import Person, Role
from accountable.signals.models import PersonAssessment
from accountable.signals.services import signals_run
from tests.browser.conftest import sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN_FLAG = "a.sig-flag:not(.sig-acked)"


@pytest.fixture
def demo(tmp_path):
    result = generate_demo(seed=1, people=40, ground_truth_path=tmp_path / "truth.json")
    signals_run(as_of=result.today)
    return result


def open_warnings(page) -> int:
    return int(page.locator(".sc-summary .sig-count strong").inner_text())


def test_a_manager_goes_from_a_flag_on_the_board_to_acknowledging_it(page, shoot, demo):
    sign_in(page, "manager@demo.test", "demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    expect(page.locator(".sc-summary .sig-count")).to_contain_text("open warning")
    before = open_warnings(page)
    assert before >= 1
    rows = page.locator("table.board tbody tr")
    expect(rows.locator(".sig-rights").first).to_be_visible()  # every rep judged: ● ◐ ○
    assert rows.locator(".sig-rights").count() == rows.count()
    flagged = rows.filter(has=page.locator(OPEN_FLAG)).first
    expect(flagged.locator(".sig-rights .sig-right")).to_have_count(3)
    name = flagged.locator("td.who a").inner_text()
    shoot(page, "signals-1-board")

    flagged.locator("td.who a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    diagnosis = page.locator(".sig-diagnosis")
    expect(diagnosis).to_contain_text("Most likely cause:")
    expect(diagnosis.locator(".sig-sentence")).to_have_text(re.compile(r"\d"))  # its numbers
    expect(page.locator(".sig-rights-panel .sig-right-list li")).to_have_count(3)
    warning = page.locator(".sig-warning-list li").filter(
        has=page.get_by_role("link", name=re.compile("^Acknowledge"))
    )
    first = warning.first
    label = first.locator(".sig-warning-head a").inner_text()
    first.locator("summary", has_text="Evidence").click()
    expect(first.locator(".sig-evidence table")).to_be_visible()
    shoot(page, "signals-2-scorecard")

    first.get_by_role("link", name=re.compile("^Acknowledge")).click()
    expect(page).to_have_url(re.compile(r"/watchlist/\d+/#acknowledge$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{label}: {name}")
    expect(page.get_by_role("heading", name="What the numbers say")).to_be_visible()
    page.get_by_label("Acknowledge: what will you do?").fill(
        "Go through it together at the 1:1 on Thursday."
    )
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged, with your note.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    row = rows.filter(has=page.get_by_role("link", name=name, exact=True))
    acked = row.locator("a.sig-flag.sig-acked")
    expect(acked).to_have_count(1)
    expect(acked).to_contain_text("✓")
    expect(acked).to_have_attribute("title", re.compile(f"^{re.escape(label)} .*acknowledged"))
    assert open_warnings(page) == before - 1
    shoot(page, "signals-3-board-acknowledged")

    page.locator(".sc-summary .sig-count").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Watchlist · ")
    expect(page.locator("tbody tr")).to_have_count(before - 1)


@pytest.fixture
def demo_with_a_new_rep(tmp_path):
    """The demo, plus a rep in the manager's team who started last week: nothing logged."""
    result = generate_demo(seed=1, people=40, ground_truth_path=tmp_path / "truth.json")
    manager = Person.objects.get(email="manager@demo.test")
    PersonFactory(
        name="Nina Newcomer",
        email="nina@demo.test",
        team=manager.team,
        role=Role.REP,
        start_date=result.today - timedelta(days=7),
    )
    signals_run(as_of=result.today)
    return result


def test_a_new_rep_reads_not_enough_data_and_the_board_sorts_by_rights(
    page, shoot, demo_with_a_new_rep
):
    sign_in(page, "manager@demo.test", "demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    rows = page.locator("table.board tbody tr")
    nina = rows.filter(has=page.get_by_role("link", name="Nina Newcomer", exact=True))
    marks = nina.locator(".sig-rights .sig-right")
    expect(marks).to_have_count(3)
    for i in range(3):
        expect(marks.nth(i)).to_have_text("?")  # a shape of its own, not ● (pass)
        expect(marks.nth(i)).to_have_class(re.compile(r"\bsig-unknown\b"))
        expect(marks.nth(i)).to_have_attribute("title", re.compile(": not enough data — "))
    expect(nina.locator(".sig-rights .visually-hidden")).to_contain_text(
        "Right thing: not enough data"
    )
    expect(nina.locator(".sig-cause")).to_have_count(0)  # no "why:" for no data

    page.get_by_role("columnheader", name="Rights").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name=re.compile("^Rights"))).to_have_attribute(
        "aria-sort", "descending"
    )
    first = rows.first.locator(".sig-right")
    classes = " ".join(first.nth(i).get_attribute("class") for i in range(3))
    assert "sig-fail" in classes or "sig-warn" in classes  # worst first
    shoot(page, "signals-4-board-by-rights")

    nina = rows.filter(has=page.get_by_role("link", name="Nina Newcomer", exact=True))
    nina.locator("td.who a").click()
    diagnosis = page.locator(".sig-diagnosis")
    expect(diagnosis).to_contain_text("Not enough data to judge yet")
    expect(diagnosis.locator(".sig-sentence")).to_contain_text(
        "Not enough history to judge yet: started 1 week ago"
    )
    expect(page.locator(".sig-rights-panel .sig-status").first).to_have_text("not enough data")
    expect(page.locator(".sig-warnings")).to_contain_text("too little history")
    shoot(page, "signals-5-scorecard-not-enough-data")


def test_a_scorecard_lists_what_the_engine_could_not_judge_and_why(page, shoot, demo):
    # A rep the engine judged, but with some rules it could not decide (too few deals
    # to tell a change from chance, say): their scorecard names each with its reason.
    judged = (
        PersonAssessment.objects.filter(as_of=demo.today, person__role=Role.REP)
        .exclude(undecided=[])
        .select_related("person")
        .order_by("person_id")
        .first()
    )
    assert judged is not None, "the demo has a rep with rules not judged"
    sign_in(page, "exec@demo.test", "demo")
    page.goto(f"/scorecard/{judged.person_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(judged.person.name)
    undecided = page.locator(".sig-undecided")
    expect(undecided.get_by_role("heading", name="Not enough data to judge")).to_be_visible()
    items = undecided.locator("li")
    expect(items).to_have_count(len(judged.undecided))
    for i, item in enumerate(judged.undecided):
        expect(items.nth(i)).to_contain_text(item["reason"])
    undecided.scroll_into_view_if_needed()
    shoot(page, "signals-6-scorecard-not-judged")
