"""Issue 14's acceptance, on the command line: a Salesforce opportunity report and a
HubSpot deals export, as their users in the United States write them — the CRMs' own
stages, month/day dates, accounts and products the organisation does not have yet —
import with the preset and --create-missing alone, and give the same won revenue per
rep and quarter as the source rows."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from accountable.audit.models import AuditEntry
from accountable.crm import pipeline
from accountable.crm.models import Deal, Stage
from accountable.goals import actuals
from accountable.imports import crm_stages
from accountable.imports.pipeline import import_rows
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


# --- the CRM's stages adopted, or created one by one ------------------------------------


def _open_stage_names() -> list[str]:
    return list(
        Stage.objects.filter(is_won=False, is_lost=False)
        .order_by("order")
        .values_list("name", flat=True)
    )


@pytest.mark.parametrize(
    ("preset", "text", "stage_of"),
    [
        ("salesforce", SALESFORCE, {"0064": "Needs Analysis", "0061": "Won"}),
        ("hubspot", HUBSPOT, {"902": "Contract Sent", "904": "Appointment Scheduled"}),
    ],
)
def test_a_default_pipeline_adopts_the_crms_stages_with_the_import(
    org, write, capsys, preset, text, stage_of
):
    ensure_pipeline()
    path = write(f"{preset}.csv", text)
    args = ["import", "deals", str(path), "--preset", preset, "--create-missing"]
    call_command(*args, "--adopt-stages")
    out = capsys.readouterr().out
    crm = crm_stages.CRM_OF_PRESET[preset]
    assert f"The pipeline's open stages are now {crm}'s" in out
    assert _open_stage_names() == [spec.name for spec in crm_stages.open_stages(crm)]
    # Each deal is in the stage it has in the CRM, not the nearest of ours.
    for external_id, name in stage_of.items():
        assert Deal.objects.get(external_id=external_id).stage.name == name
    assert "nearest by probability" not in out
    # Once adopted, the flag has nothing left to do: the same file imports again.
    call_command(*args, "--adopt-stages")
    assert "unchanged" in capsys.readouterr().out
    assert _open_stage_names() == [spec.name for spec in crm_stages.open_stages(crm)]


def test_adopting_is_undone_with_a_dry_run_or_a_rejected_file(org, write, capsys):
    ensure_pipeline()
    path = write("sf.csv", SALESFORCE)
    call_command(
        "import", "deals", str(path), "--preset", "salesforce", "--create-missing",
        "--adopt-stages", "--dry-run",
    )  # fmt: skip
    assert "The pipeline's open stages are now Salesforce's" in capsys.readouterr().out
    assert _open_stage_names() == ["Prospecting", "Engaging", "Proposal", "Negotiation"]
    bad = write("bad.csv", SALESFORCE.replace("Rob Rep", "Nobody Known"))
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "deals", str(bad), "--preset", "salesforce", "--adopt-stages")
    assert exit_.value.code == 1
    assert _open_stage_names() == ["Prospecting", "Engaging", "Proposal", "Negotiation"]


def test_a_changed_pipeline_is_not_replaced(org, write, capsys):
    ensure_pipeline()
    pipeline.stage_add(actor=None, name="Demo", probability=30)
    path = write("sf.csv", SALESFORCE)
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "deals", str(path), "--preset", "salesforce", "--adopt-stages")
    assert exit_.value.code == 2
    assert "changed since it was set up" in capsys.readouterr().err
    assert "Demo" in _open_stage_names() and not Deal.objects.exists()


def test_a_custom_pipeline_creates_a_stage_at_the_probability_it_is_given(
    org, write, capsys, tmp_path
):
    ensure_pipeline()
    path = write("sf.csv", SALESFORCE.replace("Needs Analysis", "Demo Scheduled"))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"names": {"stage": {"Demo Scheduled": "+create:35"}}}))
    call_command(
        "import", "deals", str(path), "--preset", "salesforce", "--create-missing",
        "--mapping", str(mapping),
    )  # fmt: skip
    assert 'Created stage "Demo Scheduled"' in capsys.readouterr().out
    created = Stage.objects.get(name="Demo Scheduled")
    assert created.probability == 35 and created.forecast_category == "pipeline"
    assert _open_stage_names() == [
        "Prospecting",
        "Engaging",
        "Demo Scheduled",
        "Proposal",
        "Negotiation",
    ]
    assert Deal.objects.get(external_id="0064").stage == created
    assert AuditEntry.objects.filter(action="stage.create", object_id=str(created.pk)).exists()


def test_every_unknown_stage_is_created_when_its_probability_is_known(org, write, capsys, tmp_path):
    ensure_pipeline()
    text = SALESFORCE.replace("Closed Lost,2/3", "Perception Analysis,2/3").replace(
        "Needs Analysis", "Custom Step"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"names": {"stage": {"*": "+create"}}}))
    args = ["import", "deals", str(write("sf.csv", text)), "--preset", "salesforce"]
    with pytest.raises(SystemExit):
        call_command(*args, "--create-missing", "--mapping", str(mapping))
    err = capsys.readouterr().err
    assert 'Stage "Custom Step" cannot be created without its probability' in err
    assert not Stage.objects.filter(name__in=["Perception Analysis", "Custom Step"]).exists()
    text = text.replace("Custom Step", "Needs Analysis")
    call_command("import", "deals", str(write("sf2.csv", text)), "--preset", "salesforce",
                 "--create-missing", "--mapping", str(mapping))  # fmt: skip
    # A CRM's standard stage is created at its standard probability, not read as ours.
    assert Stage.objects.get(name="Perception Analysis").probability == 70
    assert Stage.objects.get(name="Needs Analysis").probability == 20


def test_only_the_pipelines_editors_create_stages_by_an_import(org, tmp_path):
    ensure_pipeline()
    rows = [
        {
            "external_id": "M-1",
            "owner_email": org.rep.email,
            "amount": "100",
            "stage": "Demo Scheduled",
            "created_date": "2026-05-04",
        }
    ]
    result = import_rows(
        kind="deals",
        rows=rows,
        actor=org.manager,
        source="api",
        names={"stage": {"Demo Scheduled": "+create:35"}},
    )
    assert result.summary["rejected"] == 1
    assert "Only an administrator adds stages" in result.rejects[0].reason
    assert not Stage.objects.filter(name="Demo Scheduled").exists()


def test_a_salesforce_report_imports_with_its_footer(org, write, capsys):
    ensure_pipeline()
    footer = (
        '\n"Grand Totals (5 records)"\n\n"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
    )
    path = write("report.csv", SALESFORCE + footer)
    call_command("import", "deals", str(path), "--preset", "salesforce", "--create-missing")
    out = capsys.readouterr().out
    assert f"created    {5:>9}" in out and "rejected           0" in out
    assert 'Left out the report\'s footer lines, from "Grand Totals (5 records)"' in out
    # A lone value that is not a footer is still a row, and still rejected.
    bad = write("bad.csv", SALESFORCE + '"Something else"\n')
    with pytest.raises(SystemExit):
        call_command("import", "deals", str(bad), "--preset", "salesforce", "--create-missing")
