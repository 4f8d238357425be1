"""Reads are scoped: a rep never sees another rep's deals; a manager only their subtree."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import Http404

from accountable.crm import selectors
from accountable.crm.models import DealMilestone, DealSplit, Milestone
from tests.crm.factories import (
    ActivityFactory,
    DealFactory,
    FeedbackFactory,
    ProductFactory,
    stage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(org):
    """One deal per rep, and a South deal that credits Rita by a split."""
    made = {
        name: DealFactory(owner=getattr(org, name), name=f"{name} deal")
        for name in ("rep", "rep2", "inside_rep", "other_rep")
    }
    split = DealFactory(owner=org.other_rep, name="shared deal")
    DealSplit.objects.create(deal=split, person=org.rep, share=Decimal(40))
    DealSplit.objects.create(deal=split, person=org.other_rep, share=Decimal(60))
    made["split"] = split
    return made


def names(queryset) -> set[str]:
    return {deal.name for deal in queryset}


def test_a_rep_sees_own_deals_and_deals_they_share_credit_on(org, deals):
    assert names(selectors.deal_list(org.rep)) == {"rep deal", "shared deal"}
    assert names(selectors.deal_list(org.other_rep)) == {"other_rep deal", "shared deal"}
    with pytest.raises(Http404):
        selectors.deal_get(org.rep, deals["rep2"].pk)
    assert selectors.deal_get(org.rep, deals["split"].pk) == deals["split"]


def test_a_manager_sees_only_their_subtree(org, deals):
    assert names(selectors.deal_list(org.manager)) == {"rep deal", "rep2 deal", "shared deal"}
    assert names(selectors.deal_list(org.north_boss)) == {
        "rep deal",
        "rep2 deal",
        "inside_rep deal",
        "shared deal",
    }
    assert names(selectors.deal_list(org.other_manager)) == {"other_rep deal", "shared deal"}
    with pytest.raises(Http404):
        selectors.deal_get(org.manager, deals["other_rep"].pk)


def test_executives_and_admins_see_everything(org, deals):
    for viewer in (org.executive, org.admin):
        assert selectors.deal_list(viewer).count() == 5


def test_a_split_never_duplicates_a_deal(org, deals):
    DealSplit.objects.create(deal=deals["rep"], person=org.rep, share=Decimal(50))
    DealSplit.objects.create(deal=deals["rep"], person=org.rep2, share=Decimal(50))
    listed = list(selectors.deal_list(org.manager))
    assert len(listed) == len(set(listed)) == 3


def test_filters_cannot_widen_the_scope(org, deals):
    assert not selectors.deal_list(org.rep, owner=org.rep2).exists()
    # Only the South deal that credits the manager's rep, which they saw anyway.
    assert names(selectors.deal_list(org.manager, team=org.south_field)) == {"shared deal"}
    assert not selectors.deal_list(org.inside_manager, team=org.south_field).exists()
    assert names(selectors.deal_list(org.admin, team=org.south_field)) == {
        "other_rep deal",
        "shared deal",
    }


def test_deal_filters_and_totals(org):
    gtx = ProductFactory(name="GTX Pro")
    DealFactory(owner=org.rep, name="Open one", amount=Decimal(1000), product=gtx)
    DealFactory(
        owner=org.rep, name="Won early", amount=Decimal(2500), stage=stage("Won"),
        closed_on=date(2026, 7, 10),
    )  # fmt: skip
    DealFactory(
        owner=org.rep, name="Won late", amount=Decimal(4000), stage=stage("Won"),
        closed_on=date(2026, 9, 2),
    )  # fmt: skip
    DealFactory(owner=org.rep, name="Lost", amount=Decimal(700), stage=stage("Lost"))
    rep = org.rep
    assert names(selectors.deal_list(rep, status="won")) == {"Won early", "Won late"}
    assert names(selectors.deal_list(rep, stage=stage("Lost"))) == {"Lost"}
    assert names(selectors.deal_list(rep, product=gtx)) == {"Open one"}
    assert names(selectors.deal_list(rep, search="LATE")) == {"Won late"}
    assert names(
        selectors.deal_list(rep, closed_from=date(2026, 7, 1), closed_to=date(2026, 7, 31))
    ) == {"Won early"}
    totals = selectors.deal_totals(selectors.deal_list(rep))
    assert (totals.count, totals.amount, totals.won_amount, totals.won_count) == (
        4,
        Decimal("8200"),
        Decimal("6500"),
        2,
    )
    empty = selectors.deal_totals(selectors.deal_list(org.rep2))
    assert (empty.count, empty.amount, empty.won_amount) == (0, 0, 0)


def test_the_deal_list_has_no_n_plus_one(org, django_assert_max_num_queries):
    for n in range(30):
        DealFactory(owner=org.rep if n % 2 else org.rep2)
    with django_assert_max_num_queries(4):
        page = selectors.page_of(selectors.deal_list(org.manager), 1)
        rows = [(d.owner.name, d.account.name, d.stage.name, str(d.product)) for d in page]
    assert len(rows) == 30


def test_lists_are_paginated_by_fifty(org):
    DealFactory.create_batch(55, owner=org.rep)
    page = selectors.page_of(selectors.deal_list(org.rep), "2")
    assert (page.number, len(page.object_list), page.paginator.num_pages) == (2, 5, 2)
    assert selectors.page_of(selectors.deal_list(org.rep), "nonsense").number == 1


def test_activities_are_scoped_and_filtered(org):
    day = datetime(2026, 8, 3, 10, tzinfo=UTC)
    ActivityFactory(person=org.rep, kind="call", is_prospecting=True, occurred_at=day)
    ActivityFactory(person=org.rep, kind="email", channel="email", occurred_at=day)
    ActivityFactory(person=org.rep2, kind="meeting", occurred_at=datetime(2026, 8, 5, tzinfo=UTC))
    ActivityFactory(person=org.other_rep, kind="call", occurred_at=day)

    assert selectors.activity_list(org.rep).count() == 2
    assert selectors.activity_list(org.manager).count() == 3
    assert selectors.activity_list(org.executive).count() == 4
    assert selectors.activity_list(org.rep, person=org.other_rep).count() == 0
    assert selectors.activity_list(org.manager, kind="call").count() == 1
    assert selectors.activity_list(org.manager, channel="email").count() == 1
    assert selectors.activity_list(org.manager, prospecting=True).count() == 1
    assert selectors.activity_list(org.manager, prospecting=False).count() == 2
    assert selectors.activity_list(org.manager, since=date(2026, 8, 4)).count() == 1
    assert selectors.activity_list(org.manager, until=date(2026, 8, 3)).count() == 2
    counts = selectors.activity_counts(selectors.activity_list(org.executive))
    assert counts == [("call", "Call", 2), ("email", "E-mail", 1), ("meeting", "Meeting", 1)]


def test_feedback_is_scoped(org):
    FeedbackFactory(person=org.rep, kind="complaint")
    FeedbackFactory(person=org.other_rep, kind="praise")
    assert selectors.feedback_list(org.rep).count() == 1
    assert selectors.feedback_list(org.manager).count() == 1
    assert selectors.feedback_list(org.admin).count() == 2
    assert selectors.feedback_counts(selectors.feedback_list(org.admin)) == {
        "complaint": 1,
        "praise": 1,
    }


def test_the_checklist_covers_the_current_and_earlier_stages(org):
    deal = DealFactory(owner=org.rep, stage=stage("Proposal"))
    DealMilestone.objects.create(
        deal=deal,
        milestone=Milestone.objects.get(name="Need discussed"),
        done_on=date(2026, 8, 1),
    )
    checklist = selectors.milestones_for(deal)
    assert [group.stage.name for group in checklist.stages] == [
        "Prospecting",
        "Engaging",
        "Proposal",
    ]
    assert [group.is_current for group in checklist.stages] == [False, False, True]
    assert (checklist.done_count, checklist.total) == (1, 6)
    assert [m.name for m in checklist.missing] == [
        "Contact identified",
        "Decision maker identified",
        "Need confirmed",
        "Budget confirmed",
        "Proposal sent",
    ]
    won = DealFactory(owner=org.rep, stage=stage("Won"))
    assert selectors.milestones_for(won).total == 8


def test_split_credit_is_the_share_of_the_amount(org, deals):
    splits = selectors.deal_splits(deals["split"])
    assert [(s.person.name, s.credit) for s in splits] == [
        ("Olga Other", Decimal("6000.00")),
        ("Rita Rep", Decimal("4000.00")),
    ]
