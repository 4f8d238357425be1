"""Playwright against a live server, in Debian's headless Chromium.

Screenshots of every page a test visits go to var/screenshots/ to be looked at.
Without Chromium the browser tests are skipped, except in CI
(ACCOUNTABLE_REQUIRE_BROWSER=1), where a missing browser is a failure.
Every module here sets `pytestmark = pytest.mark.browser`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.crm.factories import ensure_pipeline

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("ACCOUNTABLE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required here but missing at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _default_pipeline(transactional_db):
    """Browser tests run in real transactions, and the database is flushed after
    each one, taking the default pipeline (created by a data migration) with it."""
    ensure_pipeline()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shoot(browser, live_server):
    """shoot(page, name): a full-page screenshot at desktop width, and one at phone width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        phone = browser.new_context(
            viewport=PHONE, base_url=live_server.url, storage_state=page.context.storage_state()
        )
        phone_page = phone.new_page()
        phone_page.goto(page.url)
        phone_page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
        phone.close()

    return take


@pytest.fixture
def worker(live_server):
    """`worker()` runs what the pages queued (an import's steps) as `accountable worker`
    does, here in the test's own thread while the page waits and polls: the live
    server's in-memory test database is shared by threads with table locks, so a
    second thread writing while the server reads would fail where production's WAL
    database would not."""
    from django_tasks_db.management.commands.db_worker import Worker

    def run() -> None:
        # The queue's own worker loop, without the command's signal handlers.
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-tests",
            excluded_queue_names=[],
        ).run()

    return run


def sign_in(page, email: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
