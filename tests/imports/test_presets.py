"""Presets for the standard exports: each file below has the export's own column names."""

from __future__ import annotations

import pytest

from accountable.crm.models import Activity, Deal
from accountable.imports.pipeline import import_file
from accountable.imports.presets import guess_columns, preset_choices

pytestmark = pytest.mark.django_db


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


SALESFORCE_REPORT = lines(
    '"Opportunity Owner","Account Name","Opportunity Name","Stage","Amount","Close Date","Created Date","Type","Opportunity ID","Next Step"',  # noqa: E501 - one whole CSV line
    '"Rita Rep","Acme Corporation","Acme - 40 seats","Closed Won","$12,400.00","2026-03-01","2026-01-10","Existing Customer - Upgrade","0065g00000AbCdE",""',  # noqa: E501 - one whole CSV line
    '"Rob Rep","Globex","Globex pilot","Proposal","5,000.00","2026-06-30","2026-02-01","New Customer","0065g00000AbCdF","Send quote"',  # noqa: E501 - one whole CSV line
)

SALESFORCE_DATA_LOADER = lines(
    "Id,Name,AccountId,OwnerId,Amount,StageName,CloseDate,CreatedDate,Type,IsWon,IsClosed",
    "0065g00000XyZ01,Initech renewal,ACC-1,rep@acme.test,900,Closed Lost,2026-02-28,2026-01-03T09:15:00.000Z,Renewal,false,true",  # noqa: E501 - one whole CSV line
)

SALESFORCE_TASKS = lines(
    '"Assigned","Subject","Date","Activity Type","Call Result","Company / Account","Activity ID"',
    '"Rita Rep","Intro call","2026-03-02","Call","Left Voicemail","Acme Corporation","00T5g00000Q1"',  # noqa: E501 - one whole CSV line
    '"Rita Rep","Demo","2026-03-03","Meeting","","Globex","00T5g00000Q2"',
)

HUBSPOT_DEALS = lines(
    "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,Deal Type,Associated Company,Pipeline",  # noqa: E501 - one whole CSV line
    "9876543210,Globex expansion,Closed won,2026-03-15 10:00,Rob Rep,7500,2026-01-20 08:30,Existing Business,Globex,Sales Pipeline",  # noqa: E501 - one whole CSV line
    "9876543211,Acme new,Proposal,2026-07-01 00:00,Rita Rep,2000,2026-02-02 14:00,New Business,Acme Corporation,Sales Pipeline",  # noqa: E501 - one whole CSV line
)

HUBSPOT_ACTIVITIES = lines(
    "Record ID,Activity date,Activity assigned to,Activity Type,Call outcome,Associated Company",
    "111,2026-03-02 09:00,Rita Rep,CALL,Connected,Acme Corporation",
    "112,2026-03-02 11:00,Rita Rep,EMAIL,,Globex",
)


def run(write, kind, preset, text, name="export.csv"):
    return import_file(kind=kind, path=write(name, text), actor=None, source="cli", preset=preset)


def test_salesforce_opportunity_report(org, catalogue, write):
    result = run(write, "deals", "salesforce", SALESFORCE_REPORT)
    assert result.summary["rejected"] == 0, result.rejects
    won = Deal.objects.get(external_id="0065g00000AbCdE")
    assert (won.owner, won.account, won.status, won.type, str(won.amount)) == (
        org.rep,
        catalogue["acme"],
        "won",
        "expansion",
        "12400.00",
    )
    assert (
        Deal.objects.get(external_id="0065g00000AbCdF").expected_close_on.isoformat()
        == "2026-06-30"
    )
    assert "columns not imported: Next Step" in result.summary["warnings"]


def test_salesforce_data_loader_with_is_won_and_is_closed(org, catalogue, write):
    result = run(write, "deals", "salesforce", SALESFORCE_DATA_LOADER)
    assert result.summary["rejected"] == 0, result.rejects
    lost = Deal.objects.get()
    assert (lost.status, lost.account, lost.type, lost.created_on.isoformat()) == (
        "lost",
        catalogue["acme"],
        "renewal",
        "2026-01-03",
    )


def test_salesforce_tasks(org, catalogue, write):
    result = run(write, "activities", "salesforce", SALESFORCE_TASKS)
    assert result.summary["rejected"] == 0, result.rejects
    call = Activity.objects.get(external_id="00T5g00000Q1")
    assert (call.person, call.kind, call.outcome, call.account) == (
        org.rep,
        "call",
        "voicemail",
        catalogue["acme"],
    )


def test_hubspot_deals(org, catalogue, write):
    result = run(write, "deals", "hubspot", HUBSPOT_DEALS)
    assert result.summary["rejected"] == 0, result.rejects
    won = Deal.objects.get(external_id="9876543210")
    assert (won.status, won.type, won.owner, won.closed_on.isoformat()) == (
        "won",
        "expansion",
        org.rep2,
        "2026-03-15",
    )
    assert "columns not imported: Pipeline" in result.summary["warnings"]


def test_hubspot_activities(org, catalogue, write):
    result = run(write, "activities", "hubspot", HUBSPOT_ACTIVITIES)
    assert result.summary["rejected"] == 0, result.rejects
    assert sorted(Activity.objects.values_list("kind", "outcome")) == [
        ("call", "connected"),
        ("email", ""),
    ]


def test_guessing_ignores_case_and_knows_generic_names():
    columns = ["OPPORTUNITY ID", "owner_email", "stage", "Created Date", "Unrelated"]
    assert guess_columns("salesforce", "deals", columns) == {
        "external_id": "OPPORTUNITY ID",
        "owner_email": "owner_email",
        "stage": "stage",
        "created_date": "Created Date",
    }


def test_presets_offered_per_kind():
    assert [name for name, _ in preset_choices("deals")] == [
        "generic",
        "salesforce",
        "hubspot",
        "maven",
    ]
    assert [name for name, _ in preset_choices("targets")] == ["generic"]
