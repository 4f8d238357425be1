"""Issue 14's acceptance, on the command line: a Salesforce opportunity report and a
HubSpot deals export, as their users in the United States write them — the CRMs' own
stages, month/day dates, accounts and products the organisation does not have yet —
import with the preset and --create-missing alone, and give the same won revenue per
rep and quarter as the source rows."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from accountable.goals import actuals
from accountable.org.services import organisation_get
from tests.crm.factories import ensure_pipeline

pytestmark = pytest.mark.django_db

# Exported by users in the United States: month/day dates, the CRMs' own stages.
SALESFORCE = """\
Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Amount,Type,Stage,Created Date,Close Date,Product Name
0061,Granite renewal,Granite Freight,Rita Rep,"12,500.00",Existing Customer - Upgrade,Closed Won,1/6/2026,2/13/2026,Fleet Pro
0062,Harbor pilot,Harbor Logistics,Rita Rep,"4,000.00",New Customer,Closed Won,3/2/2026,4/28/2026,Fleet Lite
0063,Summit trial,Summit Foods,Rob Rep,"7,250.00",New Customer,Closed Lost,2/3/2026,3/4/2026,Fleet Pro
0064,Summit again,Summit Foods,Rob Rep,"3,100.00",New Customer,Needs Analysis,5/5/2026,,Fleet Pro
0065,Granite spares,Granite Freight,Rob Rep,900.00,New Customer,Closed Won,1/2/2026,1/30/2026,Fleet Lite
"""  # noqa: E501 - whole CSV lines
HUBSPOT = """\
Record ID,Deal Name,Associated Company,Deal owner,Amount,Deal Stage,Create Date,Close Date
901,Orchard expansion,Orchard Retail,Rob Rep,5000,Closed Won,04/01/2026 09:15 AM,05/18/2026 04:30 PM
902,Orchard stores,Orchard Retail,Rita Rep,2600,Contract Sent,05/02/2026 10:00 AM,
903,Pine pilot,Pine Hotels,Rita Rep,1800,Closed Won,02/11/2026 02:00 PM,03/03/2026 11:45 AM
904,Pine rollout,Pine Hotels,Rob Rep,9900,Appointment Scheduled,06/01/2026 08:00 AM,
"""


def _expected(text: str, owner: str, stage: str, closed: str, fmt: str):
    """Won revenue per (owner name, quarter label), from the source rows themselves."""
    calendar = organisation_get().calendar
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(text)):
        if row[stage] == "Closed Won":
            day = datetime.strptime(row[closed], fmt).date()
            quarter = calendar.period("quarter", day).label
            totals[(row[owner], quarter)] += Decimal(row["Amount"].replace(",", ""))
    return dict(totals)


def _imported(org, quarters: set[str]):
    calendar = organisation_get().calendar
    found = {}
    for person in (org.rep, org.rep2):
        for label in quarters:
            period = calendar.parse(label)
            value = actuals.total("revenue", [person.pk], period.start, period.end)
            if value:
                found[(person.name, label)] = value
    return found


@pytest.mark.parametrize(
    ("preset", "text", "columns"),
    [
        ("salesforce", SALESFORCE, ("Opportunity Owner", "Stage", "Close Date", "%m/%d/%Y")),
        ("hubspot", HUBSPOT, ("Deal owner", "Deal Stage", "Close Date", "%m/%d/%Y %I:%M %p")),
    ],
)
def test_a_crm_export_imports_as_it_comes(org, write, capsys, preset, text, columns):
    ensure_pipeline()
    path = write(f"{preset}.csv", text)
    call_command("import", "deals", str(path), "--preset", preset, "--create-missing")
    out = capsys.readouterr().out
    rows = len(text.strip().splitlines()) - 1
    assert f"created    {rows:>9}" in out
    assert "read as month/day" in out and 'Created account "' in out
    expected = _expected(text, *columns)
    assert expected  # the rows do win something
    assert _imported(org, {quarter for _, quarter in expected}) == expected
