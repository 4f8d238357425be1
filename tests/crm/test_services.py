"""Manual entry: who may write what, and that it goes through the one write path."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accountable.audit.models import AuditEntry
from accountable.crm import services
from accountable.crm.errors import CrmError
from accountable.crm.models import (
    Account,
    Activity,
    Deal,
    DealMilestone,
    DealSplit,
    DealStageChange,
    Feedback,
    Milestone,
)
from tests.crm.factories import AccountFactory, DealFactory, stage

pytestmark = pytest.mark.django_db


def deal_data(**fields) -> dict:
    return {
        "name": "Globex rollout",
        "account_name": "Globex",
        "amount": Decimal("36500"),
        "stage": stage("Proposal"),
        "created_on": date(2026, 8, 1),
        "expected_close_on": date(2026, 10, 30),
        **fields,
    }


def test_a_rep_creates_their_own_deal_with_a_manual_id(org):
    deal = services.deal_save(actor=org.rep, data=deal_data())
    assert deal.owner == org.rep and deal.external_id.startswith("manual-")
    assert len(deal.external_id) == len("manual-") + 32
    assert deal.account == Account.objects.get(key="globex") and deal.account.owner == org.rep
    assert DealStageChange.objects.get(deal=deal).to_stage.name == "Proposal"
    entry = AuditEntry.objects.get(action="deal.create")
    assert entry.actor == org.rep and entry.after["amount"] == "36500.00"


def test_editing_a_deal_records_history_and_an_audit_entry(org):
    deal = services.deal_save(actor=org.rep, data=deal_data())
    services.deal_save(
        actor=org.manager,
        deal=deal,
        data=deal_data(stage=stage("Won"), amount=Decimal("40000"), closed_on=None),
    )
    deal.refresh_from_db()
    assert deal.status == "won" and deal.closed_on == timezone.localdate()
    assert deal.changes.get().new_value == "40000.00"
    entry = AuditEntry.objects.get(action="deal.update")
    assert entry.actor == org.manager
    assert entry.before["stage"] == "Proposal" and entry.after["stage"] == "Won"


def test_an_existing_account_is_matched_by_name(org):
    acme = AccountFactory(name="Acme Corp.")
    deal = services.deal_save(actor=org.rep, data=deal_data(account_name="  ACME corp "))
    assert deal.account == acme and Account.objects.count() == 1


def test_split_credit_from_the_form(org):
    deal = services.deal_save(
        actor=org.rep,
        data=deal_data(splits=[(org.rep, Decimal(75)), (org.rep2, Decimal(25))]),
    )
    assert set(DealSplit.objects.filter(deal=deal).values_list("person__name", "share")) == {
        ("Rita Rep", Decimal("75.00")),
        ("Rob Rep", Decimal("25.00")),
    }
    with pytest.raises(CrmError, match="add up to 110%"):
        services.deal_save(
            actor=org.rep,
            deal=deal,
            data=deal_data(splits=[(org.rep, Decimal(75)), (org.rep2, Decimal(35))]),
        )


@pytest.mark.parametrize(
    ("actor", "owner"),
    [
        ("rep", "rep2"),  # a teammate
        ("manager", "other_rep"),  # outside the subtree
        ("executive", "rep"),  # executives read only
        ("executive", "executive"),
        ("inside_manager", "rep"),  # a sibling team's manager
    ],
)
def test_deals_for_people_out_of_reach_are_refused(org, actor, owner):
    with pytest.raises(PermissionDenied):
        services.deal_save(actor=getattr(org, actor), data=deal_data(owner=getattr(org, owner)))
    assert not Deal.objects.exists()


@pytest.mark.parametrize(("actor", "owner"), [("manager", "rep"), ("north_boss", "inside_rep")])
def test_managers_enter_deals_for_their_people(org, actor, owner):
    deal = services.deal_save(actor=getattr(org, actor), data=deal_data(owner=getattr(org, owner)))
    assert deal.owner == getattr(org, owner)


def test_a_rep_cannot_take_over_someone_elses_deal(org):
    theirs = DealFactory(owner=org.rep2, external_id="CRM-1")
    with pytest.raises(PermissionDenied):
        services.deal_save(actor=org.rep, deal=theirs, data=deal_data())
    # Nor by naming its external id on a "new" deal.
    with pytest.raises(CrmError, match="already exists"):
        services.deal_save(actor=org.rep, data=deal_data(external_id="CRM-1"))
    theirs.refresh_from_db()
    assert theirs.owner == org.rep2 and theirs.name != "Globex rollout"


def test_a_manager_cannot_hand_a_deal_to_someone_outside_their_reach(org):
    deal = services.deal_save(actor=org.rep, data=deal_data())
    with pytest.raises(PermissionDenied):
        services.deal_save(actor=org.manager, deal=deal, data=deal_data(owner=org.other_rep))
    deal.refresh_from_db()
    assert deal.owner == org.rep


def test_bad_dates_are_refused(org):
    with pytest.raises(CrmError, match="cannot close before it was created"):
        services.deal_save(
            actor=org.rep, data=deal_data(stage=stage("Won"), closed_on=date(2026, 7, 1))
        )
    with pytest.raises(CrmError, match="cannot be expected to close before"):
        services.deal_save(actor=org.rep, data=deal_data(expected_close_on=date(2026, 7, 1)))
    assert not Deal.objects.exists() and not Account.objects.exists()


def test_an_open_deal_has_no_close_date(org):
    deal = services.deal_save(actor=org.rep, data=deal_data(closed_on=date(2026, 9, 1)))
    assert deal.closed_on is None


def test_milestones_are_ticked_and_unticked(org):
    deal = DealFactory(owner=org.rep, stage=stage("Proposal"))
    budget = Milestone.objects.get(name="Budget confirmed")
    done = services.milestone_toggle(actor=org.manager, deal=deal, milestone=budget, done=True)
    assert done.done_by == org.manager and done.done_on == timezone.localdate()
    again = services.milestone_toggle(actor=org.rep, deal=deal, milestone=budget, done=True)
    assert again.pk == done.pk and again.done_by == org.manager
    assert AuditEntry.objects.filter(action="deal.milestone").count() == 1
    services.milestone_toggle(actor=org.rep, deal=deal, milestone=budget, done=False)
    assert not DealMilestone.objects.exists()


def test_milestones_beyond_the_deals_stage_and_strangers_are_refused(org):
    deal = DealFactory(owner=org.rep, stage=stage("Prospecting"))
    terms = Milestone.objects.get(name="Terms agreed")
    with pytest.raises(CrmError, match="which this deal has not reached"):
        services.milestone_toggle(actor=org.rep, deal=deal, milestone=terms, done=True)
    contact = Milestone.objects.get(name="Contact identified")
    for stranger in (org.rep2, org.executive, org.other_manager):
        with pytest.raises(PermissionDenied):
            services.milestone_toggle(actor=stranger, deal=deal, milestone=contact, done=True)
    assert not DealMilestone.objects.exists()


def test_a_rep_logs_an_activity(org):
    deal = DealFactory(owner=org.rep, account=AccountFactory(name="Initech"))
    activity = services.activity_log(
        actor=org.rep,
        data={"kind": "meeting", "channel": "video", "deal": deal, "meeting_number": 1},
    )
    assert activity.person == org.rep and activity.external_id.startswith("manual-")
    assert activity.account.name == "Initech" and activity.meeting_number == 1
    assert abs(activity.occurred_at - timezone.now()) < timedelta(minutes=1)


def test_activities_for_others_and_on_hidden_deals_are_refused(org):
    when = datetime(2026, 8, 3, 9, tzinfo=UTC)
    with pytest.raises(PermissionDenied):
        services.activity_log(
            actor=org.rep, data={"person": org.rep2, "kind": "call", "occurred_at": when}
        )
    with pytest.raises(PermissionDenied):
        services.activity_log(actor=org.executive, data={"kind": "call", "occurred_at": when})
    hidden = DealFactory(owner=org.other_rep)
    with pytest.raises(CrmError, match="not one you can log activities against"):
        services.activity_log(
            actor=org.rep, data={"kind": "call", "occurred_at": when, "deal": hidden}
        )
    with pytest.raises(CrmError, match="in the future"):
        services.activity_log(
            actor=org.rep,
            data={"kind": "call", "occurred_at": timezone.now() + timedelta(days=3)},
        )
    assert not Activity.objects.exists()
    logged = services.activity_log(
        actor=org.manager, data={"person": org.rep2, "kind": "email", "occurred_at": when}
    )
    assert logged.person == org.rep2 and logged.meeting_number is None


def test_feedback_is_recorded_by_managers_about_their_people(org):
    feedback = services.feedback_record(
        actor=org.manager,
        data={"person": org.rep, "kind": "complaint", "note": "Late", "account_name": "Acme"},
    )
    assert feedback.person == org.rep and feedback.account.name == "Acme"
    assert AuditEntry.objects.filter(action="feedback.create").exists()
    for actor, person in [
        (org.rep, org.rep),
        (org.executive, org.rep),
        (org.manager, org.other_rep),
        (org.manager, org.manager),
    ]:
        with pytest.raises(PermissionDenied):
            services.feedback_record(actor=actor, data={"person": person, "kind": "praise"})
    with pytest.raises(CrmError, match="in the future"):
        services.feedback_record(
            actor=org.admin,
            data={
                "person": org.rep,
                "kind": "praise",
                "received_on": timezone.localdate() + timedelta(days=2),
            },
        )
    assert Feedback.objects.count() == 1


def test_choices_match_the_rules(org):
    assert set(services.writable_people(org.rep)) == {org.rep}
    assert set(services.writable_people(org.manager)) == {org.manager, org.rep, org.rep2}
    assert not services.writable_people(org.executive).exists()
    assert set(services.feedback_people(org.manager)) == {org.rep, org.rep2}
    assert not services.feedback_people(org.rep).exists()
    for person in services.writable_people(org.north_boss):
        assert services.can_write_for(org.north_boss, person)
