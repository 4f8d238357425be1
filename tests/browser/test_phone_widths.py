"""Every main page fits a phone: on the demo organisation, at 390 pixels wide, no page
scrolls sideways for any role. A wide table may scroll inside its own frame; the page
itself never does (a long label once pushed the forecast's figures off the screen)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accountable.demo.generator import generate_demo
from accountable.org.models import Person
from accountable.signals.services import signals_run
from tests.browser.conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERYONE = [
    "/",
    "/scorecard/",
    "/leaderboard/",
    "/watchlist/",
    "/deals/",
    "/activities/",
    "/goals/",
    "/targets/",
    "/commitments/",
    "/checkins/",
    "/checkins/reports/",
    "/plans/",
    "/reviews/",
    "/forecasts/",
    "/time-off/",
]
PAGES = {
    "rep@demo.test": EVERYONE,
    "manager@demo.test": [*EVERYONE, "/board/", "/rollup/", "/forecasts/team/", "/okrs/"],
    "exec@demo.test": ["/", "/rollup/", "/board/", "/okrs/", "/people/", "/org/"],
    "admin@demo.test": ["/", "/org/", "/people/", "/imports/", "/imports/new/"],
}


@pytest.fixture
def demo(tmp_path):
    result = generate_demo(seed=3, people=16, ground_truth_path=tmp_path / "truth.json")
    signals_run(as_of=timezone.localdate())
    return result


def wider_than_the_screen(page) -> list[str]:
    """What sticks out past the right edge, outside a frame that scrolls on its own."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.closest('.table-wrap, .sc-tabs, .tabs, nav'))
            .slice(0, 3)
            .map(e => `${e.tagName.toLowerCase()}.${e.className}: `
                + e.textContent.trim().slice(0, 40))"""
    )


@pytest.mark.parametrize("email", list(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo, email):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, email, "demo")
    rep = Person.objects.get(email="rep@demo.test")
    paths = PAGES[email]
    if email != "rep@demo.test":
        paths = [*paths, f"/scorecard/{rep.pk}/", f"/people/{rep.pk}/"]
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found[path] = (width, wider_than_the_screen(page))
    context.close()
    assert not found, f"pages wider than the phone for {email}: {found}"
