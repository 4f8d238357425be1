"""A CRM's standard stages are read onto the organisation's pipeline: each open one as
the open stage of the nearest probability, won and lost as won and lost, and the
summary says how; a mapping still wins."""

from __future__ import annotations

import pytest

from accountable.crm.models import Deal
from accountable.imports.crm_stages import STANDARD
from accountable.imports.pipeline import import_file
from tests.crm.factories import ensure_pipeline
from tests.imports.conftest import deals_csv

pytestmark = pytest.mark.django_db

# On the default pipeline: Prospecting 10 %, Engaging 25 %, Proposal 50 %, Negotiation 75 %.
EXPECTED = {
    "Qualification": "Prospecting",
    "Needs Analysis": "Engaging",
    "Value Proposition": "Proposal",
    "Id. Decision Makers": "Proposal",
    "Perception Analysis": "Negotiation",
    "Proposal/Price Quote": "Negotiation",
    "Negotiation/Review": "Negotiation",
    "Appointment Scheduled": "Engaging",
    "appointmentscheduled": "Engaging",
    "Qualified To Buy": "Proposal",
    "Presentation Scheduled": "Proposal",
    "Decision Maker Bought-In": "Negotiation",
    "Contract Sent": "Negotiation",
    "contractsent": "Negotiation",
    "Closed Won": "Won",
    "closedlost": "Lost",
}


def _row(n: int, stage: str) -> str:
    closed = "2026-03-01" if stage in ("Closed Won", "closedlost") else ""
    return (
        f"D-{n},Deal {n},Acme Corporation,rep@acme.test,GTX Pro,100,,{stage},,2026-01-05,{closed},"
    )


def test_every_standard_stage_is_known():
    names = {s.label for s in STANDARD} | {s.internal for s in STANDARD if s.internal}
    assert set(EXPECTED) <= names


def test_salesforce_and_hubspot_stages_import_onto_the_pipeline(org, catalogue, write):
    ensure_pipeline()
    rows = [_row(n, stage) for n, stage in enumerate(EXPECTED)]
    result = import_file(
        kind="deals", path=write("d.csv", deals_csv(*rows)), actor=org.admin, source="cli"
    )
    assert result.summary["rejected"] == 0, result.rejects
    got = {
        stage: Deal.objects.get(external_id=f"D-{n}").stage.name for n, stage in enumerate(EXPECTED)
    }
    assert got == EXPECTED
    warnings = " ".join(result.summary["warnings"])
    assert (
        'Salesforce\'s standard stage "Needs Analysis" (20 %) read as "Engaging", the nearest '
        "by probability" in warnings
    )


def test_a_mapping_wins_over_the_nearest_stage(org, catalogue, write):
    ensure_pipeline()
    result = import_file(
        kind="deals",
        path=write("d.csv", deals_csv(_row(1, "Needs Analysis"))),
        actor=org.admin,
        source="cli",
        names={"stage": {"Needs Analysis": "Proposal"}},
    )
    assert result.summary["rejected"] == 0
    assert Deal.objects.get().stage.name == "Proposal"
