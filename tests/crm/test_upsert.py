"""The single write path: idempotent upserts with stage history, change log and splits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accountable.crm.models import (
    Account,
    Activity,
    Deal,
    DealChange,
    DealSplit,
    DealStageChange,
    DealStatus,
    Feedback,
    Product,
)
from accountable.crm.upsert import (
    CrmError,
    UpsertSummary,
    accounts_upsert,
    activities_upsert,
    deals_upsert,
    feedback_upsert,
    products_upsert,
)
from tests.crm.factories import AccountFactory, DealFactory, stage

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 17)


def deal_row(org, external_id: str = "D-1", **fields) -> dict:
    return {
        "external_id": external_id,
        "name": "Acme renewal",
        "owner": org.rep,
        "stage": stage("Prospecting"),
        "amount": Decimal("12000"),
        "created_on": date(2026, 7, 1),
        "expected_close_on": date(2026, 9, 30),
        **fields,
    }


def test_summaries_add_up():
    total = UpsertSummary(1, 2, 3) + UpsertSummary(created=4, unchanged=1)
    assert total == UpsertSummary(created=5, updated=2, unchanged=4)
    assert total.total == 11
    assert total.as_dict() == {"created": 5, "updated": 2, "unchanged": 4}


# --- accounts and products ---------------------------------------------------------------


def test_accounts_match_by_external_id_else_by_name_key(org):
    first = accounts_upsert(
        [
            {"external_id": "A1", "name": "Acme Corp.", "tier": "A", "owner": org.rep},
            {"name": "  Globex   Inc  ", "segment": "SMB"},
        ]
    )
    assert first == UpsertSummary(created=2)
    globex = Account.objects.get(key="globexinc")
    assert globex.name == "Globex Inc" and globex.external_id is None

    # "ACME corp" is the same account by name; A1 renames it by external id.
    again = accounts_upsert(
        [
            {"external_id": "A1", "name": "Acme Corp.", "tier": "A", "owner": org.rep},
            {"name": "GLOBEX inc", "segment": "SMB", "external_id": "G7"},
        ]
    )
    assert again == UpsertSummary(updated=1, unchanged=1)
    globex.refresh_from_db()
    assert globex.external_id == "G7" and Account.objects.count() == 2

    renamed = accounts_upsert([{"external_id": "A1", "name": "Acme Holdings", "tier": "B"}])
    assert renamed == UpsertSummary(updated=1)
    acme = Account.objects.get(external_id="A1")
    assert (acme.name, acme.key, acme.tier, acme.owner) == (
        "Acme Holdings",
        "acmeholdings",
        "B",
        org.rep,
    )


def test_an_account_name_taken_by_another_external_id_is_refused(db):
    accounts_upsert([{"external_id": "A1", "name": "Acme"}])
    with pytest.raises(CrmError, match="already used by the account with external id A1"):
        accounts_upsert([{"external_id": "A2", "name": "ACME"}])
    with pytest.raises(CrmError, match="needs at least one letter or digit"):
        accounts_upsert([{"name": "--"}])
    with pytest.raises(CrmError, match="“Z” is not a tier"):
        accounts_upsert([{"name": "Zed", "tier": "Z"}])
    assert Account.objects.count() == 1


def test_products_upsert_is_idempotent(db):
    rows = [
        {"name": "GTX Pro", "product_line": "GTX", "is_priority": True, "list_price": "4821"},
        {"external_id": "P2", "name": "MG Special", "product_line": "MG"},
    ]
    assert products_upsert(rows) == UpsertSummary(created=2)
    assert products_upsert(rows) == UpsertSummary(unchanged=2)
    assert Product.objects.get(key="gtxpro").list_price == Decimal("4821.00")


def test_identical_duplicates_collapse_and_conflicting_ones_are_refused(db):
    row = {"name": "Acme", "tier": "A"}
    assert accounts_upsert([row, dict(row)]) == UpsertSummary(created=1)
    with pytest.raises(CrmError, match="appears twice in this batch with different values"):
        accounts_upsert([{"name": "Beta", "tier": "A"}, {"name": "beta", "tier": "C"}])
    assert not Account.objects.filter(key="beta").exists()


# --- deals -------------------------------------------------------------------------------


def test_a_new_deal_gets_its_first_stage_history_entry(org):
    summary = deals_upsert(
        [
            deal_row(org, "D-1", engaged_on=date(2026, 7, 6)),
            deal_row(org, "D-2", stage=stage("Won"), closed_on=date(2026, 8, 3)),
            deal_row(org, "D-3"),
        ],
        today=TODAY,
    )
    assert summary == UpsertSummary(created=3)
    entries = {
        change.deal.external_id: change
        for change in DealStageChange.objects.select_related("deal", "to_stage")
    }
    assert entries["D-1"].changed_on == date(2026, 7, 6)  # engaged
    assert entries["D-2"].changed_on == date(2026, 8, 3)  # closed
    assert entries["D-3"].changed_on == date(2026, 7, 1)  # created
    assert entries["D-1"].from_stage is None and entries["D-1"].to_stage.name == "Prospecting"
    assert Deal.objects.get(external_id="D-2").status == DealStatus.WON


def test_a_second_identical_load_changes_nothing_and_writes_no_history(org):
    rows = [deal_row(org, f"D-{n}", splits=[(org.rep, 60), (org.rep2, "40")]) for n in range(5)]
    assert deals_upsert(rows, today=TODAY) == UpsertSummary(created=5)
    counts = (DealStageChange.objects.count(), DealChange.objects.count())
    stamp = Deal.objects.get(external_id="D-0").updated_at

    assert deals_upsert(rows, today=TODAY) == UpsertSummary(unchanged=5)
    assert (DealStageChange.objects.count(), DealChange.objects.count()) == counts
    assert Deal.objects.get(external_id="D-0").updated_at == stamp
    assert DealSplit.objects.count() == 10


def test_stage_moves_are_recorded_on_today_or_the_close_date(org):
    deals_upsert([deal_row(org, "D-1"), deal_row(org, "D-2")], today=TODAY)
    summary = deals_upsert(
        [
            deal_row(org, "D-1", stage=stage("Proposal")),
            deal_row(org, "D-2", stage=stage("Won"), closed_on=date(2026, 8, 12)),
        ],
        today=TODAY,
    )
    assert summary == UpsertSummary(updated=2)
    moves = DealStageChange.objects.filter(from_stage__isnull=False).select_related(
        "deal", "from_stage", "to_stage"
    )
    by_deal = {move.deal.external_id: move for move in moves}
    assert (by_deal["D-1"].from_stage.name, by_deal["D-1"].to_stage.name) == (
        "Prospecting",
        "Proposal",
    )
    assert by_deal["D-1"].changed_on == TODAY
    assert by_deal["D-2"].changed_on == date(2026, 8, 12)
    assert Deal.objects.get(external_id="D-2").status == DealStatus.WON


def test_amount_and_close_date_changes_are_logged(org):
    deals_upsert([deal_row(org)], today=TODAY)
    deals_upsert(
        [deal_row(org, amount=Decimal("9000.00"), expected_close_on=date(2026, 10, 15))],
        today=TODAY,
    )
    changes = {c.field: (c.old_value, c.new_value) for c in DealChange.objects.all()}
    assert changes == {
        "amount": ("12000.00", "9000.00"),
        "expected_close_on": ("2026-09-30", "2026-10-15"),
    }
    # A rename alone is an update but not a pipeline change.
    assert deals_upsert(
        [deal_row(org, name="Acme", amount=9000, expected_close_on=date(2026, 10, 15))]
    ) == UpsertSummary(updated=1)
    assert DealChange.objects.count() == 2


def test_a_partial_row_updates_only_what_it_names(org):
    deals_upsert([deal_row(org)], today=TODAY)
    summary = deals_upsert([{"external_id": "D-1", "amount": "15000"}], today=TODAY)
    assert summary == UpsertSummary(updated=1)
    deal = Deal.objects.get(external_id="D-1")
    assert deal.amount == Decimal("15000") and deal.name == "Acme renewal"


def test_splits_replace_the_deals_credit(org):
    deals_upsert([deal_row(org, splits=[(org.rep, 50), (org.rep2, 50)])], today=TODAY)
    summary = deals_upsert(
        [deal_row(org, splits=[(org.rep, Decimal("70")), (org.inside_rep, Decimal("30"))])],
        today=TODAY,
    )
    assert summary == UpsertSummary(updated=1)
    shares = dict(DealSplit.objects.values_list("person__name", "share"))
    assert shares == {"Rita Rep": Decimal("70.00"), "Ian Inside": Decimal("30.00")}
    # Without the splits key the credit stays; an empty list gives it all to the owner.
    deals_upsert([deal_row(org)], today=TODAY)
    assert DealSplit.objects.count() == 2
    assert deals_upsert([deal_row(org, splits=[])], today=TODAY) == UpsertSummary(updated=1)
    assert DealSplit.objects.count() == 0


@pytest.mark.parametrize(
    ("splits", "message"),
    [
        (lambda o: [(o.rep, 60), (o.rep2, 30)], "add up to 90%, not 100%"),
        (lambda o: [(o.rep, 100), (o.rep, 0)], "must be above 0"),
        (lambda o: [(o.rep, 50), (o.rep, 50)], "named twice"),
        (lambda o: [("Rita", 100)], "must name a person"),
        (lambda o: [(o.rep,)], "a person and a percentage"),
    ],
)
def test_bad_splits_are_refused_and_nothing_is_written(org, splits, message):
    with pytest.raises(CrmError, match=message):
        deals_upsert([deal_row(org, "D-9"), deal_row(org, splits=splits(org))], today=TODAY)
    assert not Deal.objects.exists() and not DealSplit.objects.exists()


def test_bad_deal_rows_get_plain_messages(org):
    with pytest.raises(CrmError, match="has no external id"):
        deals_upsert([deal_row(org, external_id="  ")])
    with pytest.raises(CrmError, match="owner is required"):
        deals_upsert([deal_row(org, owner=None)])
    with pytest.raises(CrmError, match="amount cannot be negative"):
        deals_upsert([deal_row(org, amount=-5)])
    with pytest.raises(CrmError, match="“colour” is not a field"):
        deals_upsert([deal_row(org, colour="red")])
    with pytest.raises(CrmError, match="does not match the stage"):
        deals_upsert([deal_row(org, status=DealStatus.WON)])
    with pytest.raises(CrmError, match=r"amount: .*decimal"):
        deals_upsert([deal_row(org, amount="lots")])
    assert not Deal.objects.exists()


def test_a_thousand_deals_take_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    """Never a query per row. (Django caps a SQLite statement at 999 parameters, so a
    bulk insert of 1,000 deals takes ~16 statements there and one on PostgreSQL.)"""
    accounts = AccountFactory.create_batch(3)
    rows = [
        deal_row(
            org,
            f"D-{n}",
            account=accounts[n % 3],
            amount=Decimal(1000 + n),
            splits=[(org.rep, 50), (org.rep2, 50)] if n % 2 else [],
        )
        for n in range(1000)
    ]
    with django_assert_max_num_queries(40):
        assert deals_upsert(rows, today=TODAY) == UpsertSummary(created=1000)
    for n, row in enumerate(rows):
        row["stage"] = stage("Proposal") if n % 2 else row["stage"]
        row["amount"] = row["amount"] + 1
    with django_assert_max_num_queries(40):
        assert deals_upsert(rows, today=TODAY) == UpsertSummary(updated=1000)
    with django_assert_max_num_queries(10):
        assert deals_upsert(rows, today=TODAY) == UpsertSummary(unchanged=1000)
    assert DealStageChange.objects.count() == 1500
    assert DealChange.objects.count() == 1000


def test_existing_deals_made_elsewhere_are_updated(org):
    DealFactory(external_id="X-1", owner=org.rep, amount=Decimal("500"))
    assert deals_upsert([deal_row(org, "X-1")], today=TODAY) == UpsertSummary(updated=1)


# --- activities and feedback --------------------------------------------------------------


def test_activities_upsert_by_external_id(org):
    when = datetime(2026, 8, 3, 9, 30, tzinfo=UTC)
    rows = [
        {
            "external_id": f"A-{n}",
            "person": org.rep,
            "kind": "call",
            "channel": "phone",
            "outcome": "connected",
            "is_prospecting": True,
            "occurred_at": when,
        }
        for n in range(3)
    ]
    assert activities_upsert(rows) == UpsertSummary(created=3)
    assert activities_upsert(rows) == UpsertSummary(unchanged=3)
    rows[0]["outcome"] = "meeting_booked"
    assert activities_upsert(rows) == UpsertSummary(updated=1, unchanged=2)
    assert Activity.objects.get(external_id="A-0").outcome == "meeting_booked"
    with pytest.raises(CrmError, match="Activity 1 in this batch has no external id"):
        activities_upsert([{"person": org.rep, "kind": "call", "occurred_at": when}])
    with pytest.raises(CrmError, match="“fax” is not a kind"):
        activities_upsert([{**rows[0], "external_id": "A-9", "kind": "fax"}])
    with pytest.raises(CrmError, match="a new activity needs occurred at"):
        activities_upsert([{"external_id": "A-9", "person": org.rep, "kind": "call"}])


def test_naive_activity_times_are_taken_in_the_server_time_zone(org):
    activities_upsert(
        [
            {
                "external_id": "A-1",
                "person": org.rep,
                "kind": "email",
                "occurred_at": datetime(2026, 8, 3, 9, 30),
            }
        ]
    )
    assert Activity.objects.get().occurred_at == datetime(2026, 8, 3, 9, 30, tzinfo=UTC)


def test_a_thousand_activities_take_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    when = datetime(2026, 8, 3, 9, 30, tzinfo=UTC)
    rows = [
        {"external_id": f"A-{n}", "person": org.rep, "kind": "call", "occurred_at": when}
        for n in range(1000)
    ]
    with django_assert_max_num_queries(20):
        activities_upsert(rows)
    for row in rows:
        row["kind"] = "email"
    with django_assert_max_num_queries(20):
        assert activities_upsert(rows) == UpsertSummary(updated=1000)


def test_feedback_upsert(org):
    row = {"external_id": "F-1", "person": org.rep, "kind": "complaint", "received_on": TODAY}
    assert feedback_upsert([row]) == UpsertSummary(created=1)
    assert feedback_upsert([{**row, "note": "Slow to reply"}]) == UpsertSummary(updated=1)
    assert Feedback.objects.get().note == "Slow to reply"
