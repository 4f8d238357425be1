"""Fixtures for the scorecard tests: the named `org` people with a little sales data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accountable.crm.models import ActivityKind
from accountable.crm.upsert import activities_upsert, deals_upsert
from accountable.org.calendar import DEFAULT_CALENDAR
from tests.crm.factories import ensure_pipeline, stage

Q3 = DEFAULT_CALENDAR.parse("2026-Q3")  # 1 Jul .. 30 Sep 2026, 66 working days


def deal(ext: str, owner, *, stage_name: str = "Won", amount: str = "1000", **fields) -> dict:
    """A deal row for `deals_upsert`: won on 14 Aug 2026 unless told otherwise."""
    ensure_pipeline()
    row = {
        "external_id": ext,
        "owner": owner,
        "stage": stage(stage_name),
        "amount": Decimal(amount),
        "created_on": date(2026, 7, 1),
        "name": ext,
    }
    if stage_name in ("Won", "Lost"):
        row["closed_on"] = date(2026, 8, 14)
    row.update(fields)
    return row


def activity(ext: str, person, when: datetime, kind: str = ActivityKind.CALL, **fields) -> dict:
    return {"external_id": ext, "person": person, "kind": kind, "occurred_at": when, **fields}


def at(day: int, month: int = 8, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def sales(org):
    """North Field: rep won 3,000 (2 deals) and lost 1, 5 calls and 2 meetings in Q3;
    rep2 won 1,000 shared 50/50 with rep... see the test for each number."""
    deals_upsert(
        [
            deal("W1", org.rep, amount="1000"),
            deal("W2", org.rep, amount="2000", engaged_on=date(2026, 7, 10)),
            deal("L1", org.rep, stage_name="Lost", amount="500"),
            deal(
                "O1",
                org.rep,
                stage_name="Proposal",
                amount="4000",
                expected_close_on=date(2026, 9, 15),
            ),
            deal("W3", org.rep2, amount="3000"),
            deal("X1", org.other_rep, amount="9000"),
        ]
    )
    activities_upsert(
        [activity(f"C{i}", org.rep, at(3 + i)) for i in range(5)]
        + [
            activity("M1", org.rep, at(10), ActivityKind.MEETING, meeting_number=1),
            activity("M2", org.rep, at(12), ActivityKind.MEETING, meeting_number=2),
            activity("R1", org.rep2, at(4), ActivityKind.EMAIL, is_prospecting=True),
        ]
    )
    return org
