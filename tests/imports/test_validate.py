"""Each kind's rows: what is accepted, what is rejected and why, and a second run unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accountable.audit.models import AuditEntry
from accountable.crm.models import Account, Activity, Deal, Feedback, Product
from accountable.imports.pipeline import import_rows
from accountable.org.models import Person, PersonChange, Team, TeamKind
from accountable.targets.models import Target

pytestmark = pytest.mark.django_db


def run(kind, rows, actor=None, **options):
    return import_rows(kind=kind, rows=rows, actor=actor, source="api", **options)


def reasons(result):
    return [(r.line, r.reason) for r in result.rejects]


def counts(result):
    s = result.summary
    return s["created"], s["updated"], s["unchanged"], s["rejected"]


def deal(**fields):
    row = {
        "external_id": "D-1",
        "owner_email": "rep@acme.test",
        "stage": "Proposal",
        "amount": "100",
        "created_date": "2026-01-05",
    }
    return {**row, **fields}


# --- deals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"stage": ""}, "stage is missing: an open deal needs its pipeline stage"),
        ({"stage": "Won"}, "close_date is missing: a won deal needs the date it closed"),
        (
            {"stage": "Won", "status": "lost", "close_date": "2026-02-01"},
            'status "lost" contradicts stage "Won"',
        ),
        (
            {"status": "won", "close_date": "2026-02-01"},
            'status "won" needs a won or lost stage, not "Proposal"',
        ),
        (
            {"stage": "Haggling"},
            'Unknown stage "Haggling": map it to a stage of the pipeline, or to "+create:40" '
            "to add it at 40 % (names → stage)",
        ),
        ({"type": "Barter"}, 'type "Barter" is not one of: expansion, new_business, renewal'),
        ({"created_date": ""}, "created_date is missing"),
        ({"owner_email": ""}, "owner_email is missing"),
        ({"external_id": ""}, "external_id is missing"),
        ({"external_id": "x" * 101}, "external_id is longer than 100 characters"),
    ],
)
def test_deal_rows_rejected_with_a_reason(org, fields, reason):
    result = run("deals", [deal(**fields)])
    assert reasons(result) == [(2, reason)]
    assert Deal.objects.count() == 0


def test_deal_status_alone_finds_the_won_stage_and_types_are_read_loosely(org):
    rows = [
        deal(
            external_id="D-1",
            stage="",
            status="Closed Won",
            close_date="2026-02-01",
            type="Existing Business",
        ),
        deal(external_id="D-2", stage="closed lost", close_date="2026-02-01", type="New Customer"),
        deal(external_id="D-3", amount=""),
    ]
    result = run("deals", rows)
    assert counts(result) == (3, 0, 0, 0)
    won, lost, no_amount = (Deal.objects.get(external_id=f"D-{n}") for n in (1, 2, 3))
    assert (won.status, won.stage.name, won.type) == ("won", "Won", "expansion")
    assert (lost.status, lost.stage.name, lost.type) == ("lost", "Lost", "new_business")
    assert no_amount.amount == Decimal("0.00")
    assert "Deals with no amount were stored with amount 0 (1 row)" in result.summary["warnings"]


def test_deal_closing_before_it_was_created_is_kept_with_a_warning(org):
    result = run("deals", [deal(stage="Won", created_date="2026-03-01", close_date="2026-02-01")])
    assert counts(result) == (1, 0, 0, 0)
    assert result.summary["warnings"] == [
        "Deals close before their created date (kept as they are) (1 row)"
    ]


def test_columns_left_out_of_a_file_keep_their_stored_value(org, catalogue):
    run("deals", [deal(type="renewal", account="Globex")])
    result = run("deals", [deal(amount="150")])  # no type, no account column this time
    assert counts(result) == (0, 1, 0, 0)
    stored = Deal.objects.get()
    assert (stored.type, stored.account, stored.amount) == (
        "renewal",
        catalogue["globex"],
        Decimal("150.00"),
    )


# --- activities ------------------------------------------------------------------------


def activity(**fields):
    row = {
        "external_id": "A-1",
        "owner_email": "rep@acme.test",
        "kind": "call",
        "occurred_at": "2026-03-02",
    }
    return {**row, **fields}


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "carrier pigeon"}, 'kind "carrier pigeon" is not one of:'),
        ({"occurred_at": ""}, "occurred_at is missing"),
        ({"meeting_number": "1"}, "meeting_number is only for meetings, not for a call"),
        ({"deal_external_id": "NOPE"}, 'no deal has external id "NOPE"; import the deals first'),
        ({"is_prospecting": "perhaps"}, 'is_prospecting "perhaps" is not yes or no'),
        ({"channel": "telepathy"}, 'channel "telepathy" is not one of:'),
    ],
)
def test_activity_rows_rejected_with_a_reason(org, fields, reason):
    result = run("activities", [activity(**fields)])
    assert result.rejects[0].reason.startswith(reason)
    assert Activity.objects.count() == 0


def test_activities_link_to_deals_and_rerun_unchanged(org):
    run("deals", [deal()])
    rows = [
        activity(deal_external_id="D-1", outcome="Left voicemail"),
        activity(
            external_id="A-2", kind="Meeting", channel="Zoom", meeting_number="1", outcome="Held"
        ),
        activity(external_id="A-3", kind="LinkedIn message", is_prospecting="yes"),
    ]
    assert counts(run("activities", rows)) == (3, 0, 0, 0)
    call, meeting, social = (Activity.objects.get(external_id=f"A-{n}") for n in (1, 2, 3))
    assert (call.channel, call.outcome, call.deal.external_id) == ("phone", "voicemail", "D-1")
    assert (meeting.kind, meeting.channel, meeting.meeting_number) == ("meeting", "video", 1)
    assert (social.kind, social.channel, social.is_prospecting) == ("social", "social", True)
    assert counts(run("activities", rows)) == (0, 0, 3, 0)


# --- feedback --------------------------------------------------------------------------


def test_feedback(org, catalogue):
    rows = [
        {
            "external_id": "F-1",
            "owner_email": "rep@acme.test",
            "kind": "Compliment",
            "received_on": "2026-03-04",
            "account": "Acme Corporation",
            "note": "Quick answers.",
        },
        {
            "external_id": "F-2",
            "owner_email": "rep@acme.test",
            "kind": "complaint",
            "received_on": "",
        },
    ]
    result = run("feedback", rows)
    assert reasons(result) == [(3, "received_on is missing")]
    assert counts(run("feedback", rows[:1])) == (1, 0, 0, 0)
    praise = Feedback.objects.get()
    assert (praise.kind, praise.account, praise.note) == (
        "praise",
        catalogue["acme"],
        "Quick answers.",
    )


# --- accounts and products -------------------------------------------------------------


def test_accounts_with_parents_later_in_the_file(org):
    rows = [
        {"name": "Acme Europe", "parent": "Acme Corporation", "tier": "b", "employees": "120"},
        {
            "name": "Acme Corporation",
            "external_id": "ACC-1",
            "sector": "technology",
            "owner_email": "rep@acme.test",
        },
        {"name": "Loner", "parent": ""},
    ]
    assert counts(run("accounts", rows)) == (3, 0, 0, 0)
    europe = Account.objects.get(name="Acme Europe")
    assert (europe.parent.name, europe.tier, europe.employees) == ("Acme Corporation", "B", 120)
    assert Account.objects.get(external_id="ACC-1").owner == org.rep
    assert counts(run("accounts", rows)) == (0, 0, 3, 0)


def test_account_rows_rejected(org):
    rows = [
        {"name": "Orphan", "parent": "Nobody Inc"},
        {"name": "Tiered", "tier": "Z"},
        {"name": ""},
    ]
    result = run("accounts", rows)
    assert sorted(reasons(result)) == [
        (2, 'parent account "Nobody Inc" is neither known nor in the file'),
        (3, 'tier "Z" is not one of: A, B, C'),
        (4, "name is missing"),
    ]
    assert Account.objects.count() == 0


def test_products(org):
    rows = [{"name": "GTX Pro", "product_line": "GTX", "list_price": "4,821", "is_priority": "yes"}]
    assert counts(run("products", rows)) == (1, 0, 0, 0)
    product = Product.objects.get()
    assert (product.list_price, product.is_priority) == (Decimal("4821.00"), True)
    assert counts(run("products", [{**rows[0], "is_priority": "no"}])) == (0, 1, 0, 0)
    bad = run("products", [{"name": "Cheap", "list_price": "-1"}])
    assert reasons(bad) == [(2, 'list_price "-1" is negative')]


# --- people ----------------------------------------------------------------------------


def test_people_with_new_teams_and_managers(org):
    rows = [
        {
            "email": "Nia.Boss@acme.test",
            "name": "Nia Boss",
            "team": "West Field",
            "parent_team": "West",
            "role": "Sales manager",
            "start_date": "2025-01-06",
        },
        {
            "email": "wes@acme.test",
            "name": "Wes  Rep",
            "team": "West Field",
            "parent_team": "West",
            "manager_email": "nia.boss@acme.test",
            "role": "AE",
            "start_date": "2025-02-03",
        },
    ]
    result = run("people", rows, actor=org.admin)
    assert counts(result) == (2, 0, 0, 0)
    west = Team.objects.get(name="West")
    field = Team.objects.get(name="West Field")
    assert (west.kind, west.parent, field.parent) == (TeamKind.REGION, org.company, west)
    assert list(field.managers.all()) == [Person.objects.get(email="nia.boss@acme.test")]
    wes = Person.objects.get(email="wes@acme.test")
    assert (wes.name, wes.role, wes.team, wes.start_date.isoformat()) == (
        "Wes Rep",
        "rep",
        field,
        "2025-02-03",
    )
    assert not wes.has_usable_password()
    assert AuditEntry.objects.filter(action="person.create").count() == 2
    assert 'Created team "West" under "Acme"' in result.summary["warnings"]
    assert counts(run("people", rows, actor=org.admin)) == (0, 0, 2, 0)


def test_people_moves_are_kept_in_their_history(org):
    rows = [{"email": "rep@acme.test", "name": "Rita Rep", "team": "South Field", "role": "rep"}]
    assert counts(run("people", rows, actor=org.admin)) == (0, 1, 0, 0)
    org.rep.refresh_from_db()
    assert org.rep.team == org.south_field
    change = PersonChange.objects.filter(person=org.rep).latest("changed_at")
    assert (change.from_team, change.to_team, change.reason) == (
        org.north_field,
        org.south_field,
        "Import",
    )


def test_people_rows_rejected(org):
    rows = [
        {"email": "not-an-email", "name": "X"},
        {"email": "y@acme.test", "name": "Y", "role": "wizard"},
        {
            "email": "z@acme.test",
            "name": "Z",
            "team": "North Field",
            "manager_email": "ghost@acme.test",
        },
    ]
    result = run("people", rows, actor=org.admin)
    assert sorted(reasons(result)) == [
        (2, 'email "not-an-email" is not an e-mail address'),
        (3, 'role "wizard" is not one of: admin, executive, manager, outside_sales, rep'),
        (4, 'manager_email "ghost@acme.test" is not a person here nor in the file'),
    ]
    assert not Person.objects.filter(email="z@acme.test").exists()


# --- targets ---------------------------------------------------------------------------


def test_targets_for_people_and_teams_audited(org):
    rows = [
        {
            "owner_email": "rep@acme.test",
            "metric": "revenue",
            "period": "2026-Q3",
            "value": "250,000",
        },
        {"owner_email": "north field", "metric": "calls", "period": "2026-08", "value": "400"},
        {"owner_email": "Rob Rep", "metric": "revenue_growth", "period": "2026", "value": "-5"},
    ]
    result = run("targets", rows, actor=org.admin)
    assert counts(result) == (3, 0, 0, 0)
    quota = Target.objects.get(person=org.rep)
    assert (quota.value, quota.period_start.isoformat(), quota.period_end.isoformat()) == (
        Decimal("250000.00"),
        "2026-07-01",
        "2026-09-30",
    )
    assert Target.objects.get(team=org.north_field).metric == "calls"
    assert '"north field" matched team "North Field" (1 row)' not in result.summary["warnings"]
    assert AuditEntry.objects.filter(action="target.create").count() == 3

    raised = [{**rows[0], "value": "300000"}, rows[1], rows[2]]
    assert counts(run("targets", raised, actor=org.admin)) == (0, 1, 2, 0)
    entry = AuditEntry.objects.get(action="target.update")
    assert (entry.before["value"], entry.after["value"]) == ("250000.00", "300000.00")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"metric": "happiness"}, 'Unknown metric "happiness"'),
        ({"period": "2026-Q5"}, 'Not a period: "2026-Q5" — quarters run Q1 to Q4.'),
        ({"value": "-1"}, 'value "-1" is negative'),
        ({"owner_email": "nobody@acme.test"}, 'Unknown owner "nobody@acme.test"'),
    ],
)
def test_target_rows_rejected(org, fields, reason):
    row = {
        "owner_email": "rep@acme.test",
        "metric": "revenue",
        "period": "2026-Q3",
        "value": "1",
        **fields,
    }
    result = run("targets", [row], actor=org.admin)
    assert result.rejects[0].reason.startswith(reason)


def test_a_manager_sets_targets_only_in_their_subtree(org):
    rows = [
        {"owner_email": "rep@acme.test", "metric": "calls", "period": "2026-Q3", "value": "100"},
        {"owner_email": "South Field", "metric": "calls", "period": "2026-Q3", "value": "100"},
    ]
    result = run("targets", rows, actor=org.manager)
    assert reasons(result) == [(3, 'team "South Field" is not one of the teams you manage')]
    assert Target.objects.count() == 0


def test_deal_quantity_is_read_from_a_quantity_or_units_column_and_defaults_to_one(org):
    from accountable.imports.presets import guess_columns

    assert guess_columns("generic", "deals", ["external_id", "Units"])["quantity"] == "Units"
    assert guess_columns("salesforce", "deals", ["Quantity"])["quantity"] == "Quantity"
    result = run("deals", [deal(external_id="D-1", quantity="12"), deal(external_id="D-2")])
    assert counts(result) == (2, 0, 0, 0)
    assert Deal.objects.get(external_id="D-1").quantity == 12
    assert Deal.objects.get(external_id="D-2").quantity == 1
    # A file without the column keeps the stored quantity.
    assert counts(run("deals", [deal(external_id="D-1", amount="150")])) == (0, 1, 0, 0)
    assert Deal.objects.get(external_id="D-1").quantity == 12


@pytest.mark.parametrize(
    ("quantity", "reason"),
    [
        ("0", 'quantity "0" must be at least 1'),
        ("2.5", 'quantity "2.5" is not a whole number'),
        ("5000000", 'quantity "5000000" is too large (at most 1,000,000)'),
    ],
)
def test_a_deal_quantity_out_of_bounds_is_rejected_with_a_reason(org, quantity, reason):
    result = run("deals", [deal(quantity=quantity)])
    assert reasons(result) == [(2, reason)]
    assert Deal.objects.count() == 0
