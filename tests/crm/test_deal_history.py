"""Deals as they stood at the end of a past day (`crm.deal_history`).

Each deal below is created on 1 July 2026 in Engaging, then changed on 10 August
(the writes are made on that day, so the change log and the stage history say so).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from accountable.crm.deal_history import deals_on, open_on, sums_on
from accountable.crm.models import Deal
from accountable.crm.upsert import deals_upsert
from tests.crm.factories import stage

pytestmark = pytest.mark.django_db

JULY_1, AUG_9, AUG_10, AUG_20 = (
    date(2026, 7, 1),
    date(2026, 8, 9),
    date(2026, 8, 10),
    date(2026, 8, 20),
)


def row(ext: str, owner, stage_name: str = "Engaging", **fields) -> dict:
    return {
        "external_id": ext,
        "owner": owner,
        "stage": stage(stage_name),
        "amount": Decimal("1000"),
        "created_on": JULY_1,
        "expected_close_on": date(2026, 9, 15),
        **fields,
    }


def write_on(day: date, rows: list[dict]) -> None:
    with time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC)):
        deals_upsert(rows, today=day)


def on(day: date) -> dict[str, object]:
    found = deals_on(open_on(day), day)
    names = dict(Deal.objects.values_list("pk", "external_id"))
    return {names[pk]: deal for pk, deal in found.items()}


def test_a_deal_is_open_from_its_creation_until_the_day_it_closes(org):
    write_on(JULY_1, [row("D1", org.rep), row("LATE", org.rep, created_on=AUG_20)])
    write_on(AUG_10, [row("D1", org.rep, "Won", closed_on=AUG_10)])
    assert set(on(AUG_9)) == {"D1"}  # LATE did not exist yet
    assert set(on(AUG_10)) == set()  # D1 closed that day; LATE still to come
    assert set(on(AUG_20)) == {"LATE"}


def test_amount_close_date_and_stage_are_those_of_the_day(org):
    write_on(JULY_1, [row("D1", org.rep)])
    write_on(
        AUG_10,
        [
            row(
                "D1",
                org.rep,
                "Proposal",
                amount=Decimal("2500"),
                expected_close_on=date(2026, 11, 30),
            )
        ],
    )
    before, after = on(AUG_9)["D1"], on(AUG_10)["D1"]
    assert (before.amount, before.expected_close_on, before.stage.name) == (
        Decimal("1000.00"),
        date(2026, 9, 15),
        "Engaging",
    )
    assert (after.amount, after.expected_close_on, after.stage.name) == (
        Decimal("2500.00"),
        date(2026, 11, 30),
        "Proposal",
    )


def test_a_deal_won_later_counts_in_the_stage_it_was_in(org):
    write_on(JULY_1, [row("D1", org.rep, "Negotiation")])
    write_on(AUG_10, [row("D1", org.rep, "Won", closed_on=AUG_10)])
    assert on(AUG_9)["D1"].stage.name == "Negotiation"


def test_a_deal_imported_closed_counts_in_the_first_open_stage(org):
    # Its history starts on the day it closed: no earlier stage is on record.
    write_on(AUG_20, [row("D1", org.rep, "Won", closed_on=AUG_20)])
    assert on(AUG_9)["D1"].stage.name == "Prospecting"


def test_a_deal_changed_twice_after_the_day_had_the_value_before_the_first_change(org):
    write_on(JULY_1, [row("D1", org.rep)])
    write_on(AUG_10, [row("D1", org.rep, amount=Decimal("2000"))])
    write_on(AUG_20, [row("D1", org.rep, amount=Decimal("3000"))])
    assert on(AUG_9)["D1"].amount == Decimal("1000.00")
    assert on(AUG_10)["D1"].amount == Decimal("2000.00")
    assert on(AUG_20)["D1"].amount == Decimal("3000.00")


def test_the_database_sums_each_deal_in_the_stage_it_was_in_that_day(org):
    # Moved on after the day, closed after it, and untouched since: each counts in the
    # stage it was in on 9 August, and none is left to be rebuilt one by one.
    write_on(
        JULY_1,
        [row("MOVED", org.rep), row("WON", org.rep, "Negotiation"), row("STILL", org.rep)],
    )
    write_on(
        AUG_10,
        [row("MOVED", org.rep, "Proposal"), row("WON", org.rep, "Won", closed_on=AUG_10)],
    )
    sums, left_out = sums_on(open_on(AUG_9), AUG_9, (JULY_1, date(2026, 9, 30)))
    assert left_out == []
    engaging, negotiation = stage("Engaging").probability, stage("Negotiation").probability
    assert sum(s.deals for s in sums) == 3
    assert sum(s.weighted for s in sums) == 100_000 * (2 * engaging + negotiation)
    # A day later the move and the win are the day's: one Proposal deal, one Engaging.
    sums, left_out = sums_on(open_on(AUG_10), AUG_10, (JULY_1, date(2026, 9, 30)))
    assert sum(s.weighted for s in sums) == 100_000 * (stage("Proposal").probability + engaging)
