"""A manager imports a deals export with a problem: the preview shows the rejected rows
with their line numbers, the manager maps the unknown owner, applies, and reads the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountable.crm.models import Account, Deal, Product
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT = """\
external_id,name,account,owner_email,product,amount,type,stage,status,created_date,close_date,lost_reason
D-101,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821,renewal,Won,,2026-01-05,2026-03-01,
D-102,Globex pilot,Globex,Moses Frase,GTXPro,1200,,Proposal,,2026-02-01,2026-06-30,
D-103,Globex upsell,Globex,Moses Frase,MG Special,650,expansion,Negotiation,,2026-02-11,2026-05-15,
D-104,Initech,Globex,rep2@acme.test,MG Special,300,,Lost,,2026-01-20,2026-02-14,Price
"""


@pytest.fixture
def catalogue(org):
    Account.objects.create(name="Acme Corporation")
    Account.objects.create(name="Globex")
    Product.objects.create(name="GTX Pro", product_line="GTX", list_price=4821)
    Product.objects.create(name="MG Special", product_line="MG", list_price=55)


def test_manager_imports_deals_fixing_an_unknown_owner(
    page, shoot, org, catalogue, settings, tmp_path, worker
):
    settings.VAR_DIR = tmp_path / "var"
    export = tmp_path / "pipeline-export.csv"
    export.write_text(EXPORT)

    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Imports")).to_be_visible()
    page.get_by_role("link", name="New import").click()
    page.get_by_label("What the file holds").select_option("deals")
    page.get_by_label("Exported from").select_option("generic")
    page.get_by_label("CSV or Excel file").set_input_files(str(export))
    shoot(page, "import-1-upload")
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_role("heading", name="Reading the file…")).to_be_visible()
    expect(page.get_by_text("Waiting for the background worker to start")).to_be_visible()
    shoot(page, "import-1b-working")
    worker()  # the page moves on by itself once the file is read

    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    expect(page.get_by_label("owner_email")).to_have_value("owner_email")
    shoot(page, "import-2-columns")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Checking every row…")).to_be_visible()
    worker()

    expect(page.get_by_role("heading", name="Preview", exact=True)).to_be_visible()
    rejected = page.locator(".card", has=page.get_by_role("heading", name="Rejected rows"))
    expect(rejected.locator("tbody tr")).to_have_count(2)
    expect(rejected.locator("tbody tr").first).to_contain_text("3")
    expect(rejected.locator("tbody tr").first).to_contain_text('Unknown owner "Moses Frase"')
    expect(rejected.locator("tbody tr").nth(1)).to_contain_text("4")
    expect(page.get_by_role("alert")).to_contain_text("2 rows are rejected")
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    shoot(page, "import-3-preview-with-errors")

    page.get_by_label("Moses Frase").select_option(label="Rob Rep <rep2@acme.test>")
    page.get_by_role("button", name="Preview again").click()
    expect(page.get_by_role("heading", name="Checking every row…")).to_be_visible()
    worker()
    expect(page.get_by_role("button", name="Apply the import")).to_be_visible()
    expect(page.get_by_text('"GTXPro" matched product "GTX Pro" (1 row)')).to_be_visible()
    expect(page.locator(".stat", has_text="New")).to_contain_text("4")
    shoot(page, "import-4-preview-fixed")

    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("heading", name="Applying the import…")).to_be_visible()
    worker()
    expect(page.get_by_text("Imported. Every row was applied.")).to_be_visible()
    expect(page.locator(".badge", has_text="Applied")).to_be_visible()
    shoot(page, "import-5-report")
    assert Deal.objects.count() == 4
    assert Deal.objects.get(external_id="D-102").owner == org.rep2

    page.get_by_role("link", name="All imports").click()
    expect(page.locator("tbody tr").first).to_contain_text("pipeline-export.csv")
    expect(page.locator("tbody tr").first).to_contain_text("Applied")
    shoot(page, "import-6-history")
