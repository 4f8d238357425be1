"""An admin reads the audit trail: filters it to imports and finds the import a manager
ran through the API, then downloads what the filter shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountable.imports.pipeline import import_rows
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_filters_the_trail_to_imports(page, shoot, org, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    row = {"external_id": "D-1", "owner_email": org.rep.email, "stage": "Proposal",
           "created_date": "2026-07-01", "close_date": "2026-09-30"}  # fmt: skip
    import_rows(kind="deals", rows=[row], actor=org.manager, source="api")
    sign_in(page, org.admin.email, PASSWORD)
    page.goto("/audit/")
    page.get_by_label("Action").select_option("import")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("import.applied")
    expect(rows.first).to_contain_text("Max Manager")
    shoot(page, "audit-trail-imports")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "audit-trail.csv"
