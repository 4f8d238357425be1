"""From export to board: an admin of an empty organisation imports their people, then a
Salesforce opportunity report and a HubSpot deals export as the CRMs write them (their
own stages, US month/day dates, accounts Accountable does not know yet), all in the
wizard, and opens the team board: each rep's won revenue is what the two files say.

The first export adopts Salesforce's stages (the wizard's offer); the second comes
into a pipeline that is no longer the default, so HubSpot's open stages are read as the
nearest Salesforce stage, with a warning the preview shows."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accountable.crm.models import Deal, Stage
from accountable.crm.templatetags.money import money_short
from accountable.org.models import Person, Role, Team
from accountable.org.services import organisation_get
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import ensure_pipeline
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = """\
email,name,team,parent_team,manager_email,role,start_date
maya.lopez@summit.test,Maya Lopez,West Field,Americas,,manager,2024-03-04
jordan.reed@summit.test,Jordan Reed,West Field,Americas,maya.lopez@summit.test,rep,2024-03-04
priya.shah@summit.test,Priya Shah,West Field,Americas,maya.lopez@summit.test,rep,2025-01-06
"""

# A Salesforce opportunity report, "Details Only" as CSV from the United States: every
# cell quoted, the report's own column order and columns Accountable does not read.
# 4/2/2026 is 2 April (the other dates settle month/day), so that win is not Q1's.
SALESFORCE = """\
"Opportunity Owner","Account Name","Opportunity Name","Stage","Fiscal Period","Amount","Probability (%)","Close Date","Created Date","Opportunity ID","Type","Lead Source","Next Step"
"Jordan Reed","Granite Freight","Granite Freight - Fleet renewal","Closed Won","Q1-2026","12,500.00","100","1/16/2026","11/3/2025","0065g00000GrF01AAC","Existing Customer - Upgrade","Partner Referral",""
"Jordan Reed","Harbor Logistics","Harbor Logistics - Pilot","Closed Won","Q1-2026","4,000.00","100","3/27/2026","1/6/2026","0065g00000HbL02AAC","New Customer","Web",""
"Jordan Reed","Summit Foods","Summit Foods - Trial","Closed Lost","Q1-2026","7,250.00","0","3/4/2026","2/3/2026","0065g00000SmF03AAC","New Customer","Trade Show",""
"Jordan Reed","Granite Freight","Granite Freight - Spares","Closed Won","Q2-2026","900.00","100","4/2/2026","3/9/2026","0065g00000GrF04AAC","Existing Customer - Upgrade","",""
"Priya Shah","Cedar Health","Cedar Health - Clinics","Closed Won","Q1-2026","18,300.00","100","2/13/2026","12/1/2025","0065g00000CdH05AAC","New Customer","Web",""
"Priya Shah","Cedar Health","Cedar Health - Labs","Needs Analysis","Q2-2026","6,000.00","20","6/30/2026","3/18/2026","0065g00000CdH06AAC","Existing Customer - Upgrade","","Discovery call"
"Priya Shah","Birch Energy","Birch Energy - Rollout","Proposal/Price Quote","Q2-2026","22,000.00","75","5/15/2026","2/25/2026","0065g00000BrE07AAC","New Customer","Partner Referral","Send quote"
"""  # noqa: E501 - whole CSV lines

# A HubSpot deals export: labels, 12-hour times, a win late on the quarter's last day.
HUBSPOT = """\
Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,Pipeline,Associated Company,Deal Type
18233490711,Orchard Retail - expansion,Closed Won,02/24/2026 04:30 PM,Jordan Reed,5000,01/14/2026 09:15 AM,Sales Pipeline,Orchard Retail,Existing Business
18233490712,Pine Hotels - pilot,Closed Won,03/31/2026 11:45 PM,Priya Shah,2600,02/11/2026 02:00 PM,Sales Pipeline,Pine Hotels,New Business
18233490713,Pine Hotels - rollout,Contract Sent,06/19/2026 12:00 PM,Priya Shah,9900,03/02/2026 10:00 AM,Sales Pipeline,Pine Hotels,New Business
18233490714,Granite Freight - telematics,Closed Won,01/09/2026 10:20 AM,Jordan Reed,1750,12/15/2025 03:05 PM,Sales Pipeline,Granite Freight,Existing Business
18233490715,Quarry Works - trial,Closed Lost,03/13/2026 09:00 AM,Jordan Reed,3100,02/20/2026 11:30 AM,Sales Pipeline,Quarry Works,New Business
"""  # noqa: E501 - whole CSV lines

SALESFORCE_COLUMNS = ("Opportunity Owner", "Stage", "Close Date", "%m/%d/%Y")
HUBSPOT_COLUMNS = ("Deal owner", "Deal Stage", "Close Date", "%m/%d/%Y %I:%M %p")


def won_by_quarter(text: str, owner: str, stage: str, closed: str, fmt: str):
    """Won revenue per (owner, quarter label), read from the export's own rows."""
    calendar = organisation_get().calendar
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(text)):
        if row[stage] == "Closed Won":
            day = datetime.strptime(row[closed], fmt).date()
            label = calendar.period("quarter", day).label
            totals[(row[owner], label)] += Decimal(row["Amount"].replace(",", ""))
    return totals


def upload(page, worker, path: Path, *, kind: str, preset: str) -> None:
    """Step 1 of the wizard, then the columns as the preset matched them, to the preview."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="New import").click()
    page.get_by_label("What the file holds").select_option(kind)
    page.get_by_label("Exported from").select_option(preset)
    page.get_by_label("CSV or Excel file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and match columns").click()
    work(page, worker, "Reading the file…")
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    page.get_by_role("button", name="Preview the import").click()
    work(page, worker, "Checking every row…")
    expect(page.get_by_role("heading", name="Preview", exact=True)).to_be_visible()


def work(page, worker, doing: str) -> None:
    """Wait until the step is queued (its working page shows), then run it."""
    expect(page.get_by_role("heading", name=doing)).to_be_visible()
    worker()


def create_accounts_and_apply(page, worker, *, rows: int) -> None:
    """Tick "create every other unknown account", preview again, apply."""
    page.get_by_label("Create every other unknown account too").check()
    page.get_by_role("button", name="Preview again").click()
    work(page, worker, "Checking every row…")
    expect(page.locator(".stat", has_text="New").locator(".value")).to_have_text(str(rows))
    expect(page.locator(".stat", has_text="Rejected").locator(".value")).to_have_text("0")
    expect(page.get_by_text("close_date read as month/day")).to_be_visible()
    page.get_by_role("button", name="Apply the import").click()
    work(page, worker, "Applying the import…")
    expect(page.get_by_text("Imported. Every row was applied.")).to_be_visible()


def test_an_empty_organisation_goes_from_two_crm_exports_to_a_team_board(
    page, shoot, settings, tmp_path, worker
):
    ensure_pipeline()
    settings.VAR_DIR = tmp_path / "var"
    admin = PersonFactory(email="admin@summit.test", name="Ada Admin", role=Role.ADMIN, team=None)
    assert list(Person.objects.all()) == [admin] and not Team.objects.exists()
    files = {}
    for name, text in (
        ("people.csv", PEOPLE),
        ("opportunities.csv", SALESFORCE),
        ("hubspot-deals.csv", HUBSPOT),
    ):
        files[name] = tmp_path / name
        files[name].write_text(text)
    sign_in(page, admin.email, PASSWORD)

    # 1. People: a team under a region of the company, its manager and two reps.
    upload(page, worker, files["people.csv"], kind="people", preset="generic")
    expect(page.locator(".stat", has_text="New").locator(".value")).to_have_text("3")
    shoot(page, "export-board-1-people-preview")
    page.get_by_role("button", name="Apply the import").click()
    work(page, worker, "Applying the import…")
    expect(page.get_by_text("Imported. Every row was applied.")).to_be_visible()
    team = Team.objects.get(name="West Field")
    assert sorted(team.members.values_list("name", flat=True)) == [
        "Jordan Reed",
        "Maya Lopez",
        "Priya Shah",
    ]
    assert list(team.managers.values_list("name", flat=True)) == ["Maya Lopez"]

    # 2. Salesforce: the preview offers Salesforce's stages and lists the new accounts.
    upload(page, worker, files["opportunities.csv"], kind="deals", preset="salesforce")
    offer = page.locator(".stages-offer")
    expect(offer).to_contain_text("Needs Analysis · 20 %")
    expect(page.get_by_role("alert")).to_contain_text("rejected")  # the unknown accounts
    shoot(page, "export-board-2-salesforce-offer")
    offer.get_by_role("button", name="Use Salesforce's stages").click()
    work(page, worker, "Checking every row…")
    expect(offer).to_contain_text("Applying this import makes Salesforce's stages")
    expect(offer.get_by_role("button", name="Keep the current stages")).to_be_visible()
    expect(page.get_by_text("the nearest by probability")).to_have_count(0)
    shoot(page, "export-board-3-salesforce-adopted")
    create_accounts_and_apply(page, worker, rows=7)
    open_stages = Stage.objects.filter(is_won=False, is_lost=False).order_by("order")
    assert list(open_stages.values_list("name", flat=True))[2] == "Needs Analysis"
    stage_of = dict(Deal.objects.values_list("external_id", "stage__name"))
    assert stage_of["0065g00000CdH06AAC"] == "Needs Analysis"
    assert stage_of["0065g00000BrE07AAC"] == "Proposal/Price Quote"
    assert stage_of["0065g00000GrF01AAC"] == "Won"
    assert stage_of["0065g00000SmF03AAC"] == "Lost"
    assert Deal.objects.get(external_id="0065g00000GrF04AAC").closed_on == date(2026, 4, 2)

    # 3. HubSpot, into Salesforce's stages: no offer now, and the preview says how a
    # HubSpot stage was read.
    upload(page, worker, files["hubspot-deals.csv"], kind="deals", preset="hubspot")
    expect(page.locator(".stages-offer")).to_have_count(0)
    warnings = page.locator(".card", has=page.get_by_role("heading", name="Warnings"))
    expect(warnings).to_contain_text(
        'HubSpot\'s standard stage "Contract Sent" (90 %) read as "Negotiation/Review", '
        "the nearest by probability"
    )
    expect(warnings).to_contain_text("Nothing has been created or changed yet")
    shoot(page, "export-board-4-hubspot-nearest-stage")
    create_accounts_and_apply(page, worker, rows=5)
    assert Deal.objects.get(external_id="18233490713").stage.name == "Negotiation/Review"

    # 4. The board of the reps' team for the quarter of the wins.
    won = won_by_quarter(SALESFORCE, *SALESFORCE_COLUMNS)
    for key, amount in won_by_quarter(HUBSPOT, *HUBSPOT_COLUMNS).items():
        won[key] += amount
    quarters = sorted({label for _, label in won})
    assert len(quarters) == 2  # a win falls outside the quarter shown first
    calendar, currency = organisation_get().calendar, organisation_get().currency
    for label in quarters:
        quarter = calendar.parse(label)
        page.goto(f"/board/?period={label}&as_of={quarter.end.isoformat()}")
        page.get_by_label("Team", exact=True).select_option(str(team.pk))
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"West Field · {label}")
        rows = page.locator("table.board tbody tr")
        expect(rows).to_have_count(2)  # the reps; their manager has no row
        with page.expect_download() as download:
            page.locator(".sc-head-tools").get_by_role("link", name="CSV").click()
        board = {
            line["name"]: Decimal(line["won_amount"])
            for line in csv.DictReader(io.StringIO(download.value.path().read_text()))
        }
        for rep in ("Jordan Reed", "Priya Shah"):
            assert board[rep] == won.get((rep, label), Decimal(0)), (rep, label)
        assert set(board) == {"Jordan Reed", "Priya Shah"}
        team_won = sum((won.get((rep, label), Decimal(0)) for rep in board), Decimal(0))
        expect(page.locator(".sc-summary")).to_contain_text(
            f"Team {money_short(team_won, currency)}"
        )
        if label != quarters[0]:
            continue
        shoot(page, "export-board-5-board")
        # The reps have no targets yet, so their won revenue is on their scorecards.
        for rep in ("Jordan Reed", "Priya Shah"):
            page.get_by_role("link", name=rep).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"{rep} · {label}")
            tile = page.locator('.sc-tile[aria-label^="Revenue"] .value')
            expect(tile).to_contain_text(money_short(won[(rep, label)], currency))
            page.go_back()
