"""A packet worth reading: our rep with a target, deals won and lost, calls and meetings,
a held check-in with shared and private notes, an action item and commitments — in
2026-Q3, read as of 30 Sep 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accountable.checkins.models import ActionItem, CheckIn, CheckinState
from accountable.commitments.models import Commitment, State
from accountable.crm.models import ActivityKind
from accountable.crm.upsert import activities_upsert, deals_upsert
from accountable.targets.models import Target
from tests.scorecards.conftest import Q3, activity, at, deal

AS_OF = date(2026, 9, 30)
SHARED = "Agreed to focus on Acme and Globex."
PRIVATE = "Confidence is low; watch next week."


def _target(person, metric: str, value: str) -> None:
    Target.objects.create(
        person=person, metric=metric, period=Q3.label, period_start=Q3.start,
        period_end=Q3.end, value=Decimal(value),
    )  # fmt: skip


@pytest.fixture
def packet_org(org):
    for person in (org.rep, org.rep2, org.other_rep):
        person.start_date = date(2025, 1, 1)
        person.save(update_fields=["start_date"])
    _target(org.rep, "revenue", "6000")
    _target(org.rep, "calls", "20")
    deals_upsert(
        [
            deal("W1", org.rep, amount="1000"),
            deal("W2", org.rep, amount="2000"),
            deal("L1", org.rep, stage_name="Lost", amount="500"),
            deal("P1", org.rep, amount="1500", closed_on=date(2026, 5, 4),
                 created_on=date(2026, 4, 1)),
            deal("W3", org.rep2, amount="3000"),
            deal("X1", org.other_rep, amount="9000"),
        ]
    )  # fmt: skip
    activities_upsert(
        [activity(f"C{i}", org.rep, at(3 + i)) for i in range(7)]
        + [activity(f"D{i}", org.rep2, at(3 + i)) for i in range(3)]
        + [activity("M1", org.rep, at(10), ActivityKind.MEETING, meeting_number=1)]
    )
    held = CheckIn.objects.create(
        person=org.rep, manager=org.manager, starts_at=datetime(2026, 9, 22, 9, tzinfo=UTC),
        state=CheckinState.HELD, held_on=date(2026, 9, 22), shared_notes=SHARED,
        private_notes=PRIVATE,
    )  # fmt: skip
    ActionItem.objects.create(
        owner=org.rep, about=org.rep, text="Book the Acme demo", due_on=date(2026, 10, 2),
        checkin=held, created_by=org.manager,
    )  # fmt: skip
    Commitment.objects.create(
        person=org.rep, text="Send the Globex proposal", due_on=date(2026, 9, 18),
        state=State.MET,
    )  # fmt: skip
    Commitment.objects.create(
        person=org.rep, text="Call back Initech", due_on=date(2026, 9, 25), state=State.MISSED
    )
    return org
