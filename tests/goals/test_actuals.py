"""Actuals from hand-built sales data: which date decides the period, one query per metric."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accountable.goals import actuals
from accountable.goals.actuals import ActualsError
from accountable.org.calendar import DEFAULT_CALENDAR
from tests.crm.factories import ActivityFactory, DealFactory, ProductFactory, announce_deals, stage

pytestmark = pytest.mark.django_db
QUARTERS = [DEFAULT_CALENDAR.parse(f"2026-Q{q}") for q in (1, 2, 3, 4)]


@pytest.fixture
def sales(org):
    won, lost = stage("Won"), stage("Lost")
    gtx = ProductFactory(product_line="GTX")
    DealFactory(
        owner=org.rep,
        stage=won,
        amount=1000,
        created_on=date(2026, 1, 5),
        closed_on=date(2026, 2, 1),
    )
    DealFactory(
        owner=org.rep,
        stage=won,
        amount=2500,
        created_on=date(2026, 3, 5),
        closed_on=date(2026, 4, 1),
        product=gtx,
        type="renewal",
    )
    DealFactory(
        owner=org.rep,
        stage=lost,
        amount=9999,
        created_on=date(2026, 4, 5),
        closed_on=date(2026, 4, 9),
    )
    DealFactory(
        owner=org.rep2,
        stage=won,
        amount=700,
        created_on=date(2026, 7, 1),
        closed_on=date(2026, 7, 2),
    )
    DealFactory(owner=org.other_rep, stage=won, amount=50000, closed_on=date(2026, 2, 1))
    ActivityFactory(
        person=org.rep, kind="call", occurred_at=datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
    )
    ActivityFactory(
        person=org.rep,
        kind="meeting",
        meeting_number=1,
        occurred_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
    )
    ActivityFactory(
        person=org.rep,
        kind="meeting",
        meeting_number=2,
        occurred_at=datetime(2026, 4, 2, 9, tzinfo=UTC),
    )
    ActivityFactory(
        person=org.rep,
        kind="email",
        channel="email",
        is_prospecting=True,
        occurred_at=datetime(2026, 4, 2, 9, tzinfo=UTC),
    )
    return org


def test_revenue_counts_won_deals_on_their_close_date(sales, django_assert_num_queries):
    org = sales
    with django_assert_num_queries(1):  # the day rollups, as the board reads them
        table = actuals.by_person_and_period("revenue", [org.rep.pk, org.rep2.pk], QUARTERS)
    assert table[org.rep.pk] == {
        "2026-Q1": Decimal(1000),
        "2026-Q2": Decimal(2500),
        "2026-Q3": 0,
        "2026-Q4": 0,
    }
    assert table[org.rep2.pk]["2026-Q3"] == Decimal(700)
    assert actuals.by_period("deals_won", [org.rep.pk, org.rep2.pk], QUARTERS)["2026-Q2"] == 1
    assert (
        actuals.by_period("revenue", [org.rep.pk], QUARTERS, product_line="gtx")["2026-Q2"] == 2500
    )
    assert actuals.by_period("revenue", [org.rep.pk], QUARTERS, deal_type="renewal")["2026-Q1"] == 0
    assert actuals.by_period("opportunities_created", [org.rep.pk], QUARTERS)["2026-Q1"] == 2
    assert actuals.by_period("pipeline_created", [org.rep.pk], QUARTERS)["2026-Q2"] == Decimal(9999)


def test_activities_count_on_the_day_they_happened(sales):
    org = sales
    assert actuals.by_period("calls", [org.rep.pk], QUARTERS)["2026-Q1"] == 1
    assert actuals.by_period("meetings", [org.rep.pk], QUARTERS)["2026-Q2"] == 2
    assert actuals.by_period("first_meetings", [org.rep.pk], QUARTERS)["2026-Q2"] == 1
    assert actuals.by_period("second_meetings", [org.rep.pk], QUARTERS)["2026-Q2"] == 1
    assert actuals.by_period("prospecting_activities", [org.rep.pk], QUARTERS)["2026-Q2"] == 1
    assert actuals.total("emails", [org.rep.pk], date(2026, 4, 1), date(2026, 4, 30)) == 1


def test_history_and_funnel_counts(sales, django_assert_num_queries):
    org = sales
    history = actuals.history("revenue", org.rep.pk, [org.rep.pk, org.rep2.pk], QUARTERS)
    assert history.person_best == (Decimal(2500), "2026-Q2")
    assert history.team_best == (Decimal(2500), "2026-Q2")
    assert history.team_median == Decimal(1000)
    with django_assert_num_queries(4):  # money credited (owners, shares), deals, activities
        counts = actuals.funnel_counts([org.rep.pk], date(2026, 1, 1), date(2026, 6, 30))
    assert counts == {
        "won_amount": Decimal(3500),
        "won": 2,
        "lost": 1,
        "opportunities": 3,
        "meetings": 2,
        "first_meetings": 1,
        "calls": 1,
        "emails": 1,
    }


def test_a_metric_not_computed_says_which_are(org):
    with pytest.raises(ActualsError, match='does not compute "custom"'):
        actuals.total("custom", [org.rep.pk], date(2026, 1, 1), date(2026, 2, 1))


def test_a_ratio_is_never_added_up_from_days(org):
    with pytest.raises(ActualsError, match='"win_rate" is a ratio'):
        actuals.total("win_rate", [org.rep.pk], date(2026, 1, 1), date(2026, 2, 1))


def test_units_sum_the_quantity_of_won_deals_credited_by_split_share(org):
    from accountable.crm.models import DealSplit

    won = stage("Won")
    DealFactory(owner=org.rep, stage=won, quantity=7, closed_on=date(2026, 8, 3))
    DealFactory(owner=org.rep, stage=stage("Lost"), quantity=50, closed_on=date(2026, 8, 3))
    shared = DealFactory(owner=org.rep, stage=won, quantity=10, closed_on=date(2026, 8, 4))
    DealSplit.objects.create(deal=shared, person=org.rep, share=60)
    DealSplit.objects.create(deal=shared, person=org.rep2, share=40)
    announce_deals([shared])  # splits written straight in the table
    q3 = QUARTERS[2]
    assert actuals.total("units", [org.rep.pk], q3.start, q3.end) == Decimal(13)
    assert actuals.total("units", [org.rep2.pk], q3.start, q3.end) == Decimal(4)
    assert actuals.total("units", [org.rep.pk, org.rep2.pk], q3.start, q3.end) == Decimal(17)
