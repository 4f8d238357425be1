"""The engine over stored data: the numbers it reads, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from accountable.crm.models import Activity, Deal, DealStatus, Product, Stage
from accountable.org.models import Role
from accountable.signals.engine import assess
from accountable.targets.models import Target
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


def _activities(person, per_week: int, *, weeks: range, prospecting: bool = True) -> None:
    rows = []
    for week in weeks:
        monday = AS_OF - timedelta(weeks=week) - timedelta(days=AS_OF.weekday())
        for n in range(per_week):
            at = datetime.combine(monday + timedelta(days=n % 5), datetime.min.time(), UTC)
            rows.append(
                Activity(
                    person=person,
                    kind="call",
                    channel="phone",
                    is_prospecting=prospecting,
                    occurred_at=at + timedelta(hours=9),
                )
            )
    Activity.objects.bulk_create(rows)


def _deal(person, n: int, *, status: str, created: date, closed: date | None, amount=20_000):
    stage = Stage.objects.filter(
        is_won=status == DealStatus.WON, is_lost=status == DealStatus.LOST
    ).first()
    product = Product.objects.get_or_create(key="core", defaults={"name": "Core"})[0]
    return Deal.objects.create(
        external_id=f"D-{person.pk}-{n}",
        owner=person,
        product=product,
        amount=Decimal(amount),
        stage=stage,
        status=status,
        created_on=created,
        closed_on=closed,
    )


def _rep(team, email: str, per_week: int):
    person = PersonFactory(email=email, role=Role.REP, team=team)
    _activities(person, per_week, weeks=range(1, 17))
    for n in range(3):
        _deal(
            person,
            n,
            status=DealStatus.WON,
            created=AS_OF - timedelta(days=90 + n),
            closed=AS_OF - timedelta(days=30 + n),
        )
    _deal(person, 9, status=DealStatus.OPEN, created=AS_OF - timedelta(days=5), closed=None)
    Target.objects.create(
        person=person,
        metric="revenue",
        period="2026-Q3",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        value=Decimal(100_000),
    )
    return person


def test_the_engine_reads_what_was_stored(org):
    team = TeamFactory(name="East Field", parent=org.north)
    _rep(team, "a@acme.test", 40)
    _rep(team, "b@acme.test", 40)
    low = _rep(team, "c@acme.test", 10)
    found = {a.figures.email: a for a in assess(as_of=AS_OF)}
    fig = found["c@acme.test"].figures
    assert fig.touches_recent == 10
    assert fig.prospecting_recent == 10
    assert fig.won_recent == 3 and fig.deal_size_recent == 20_000
    assert fig.open_pipeline == 20_000 and fig.coverage == 0.2
    kinds = [f.kind for f in found["c@acme.test"].findings]
    assert "low_activity" in kinds
    assert found["c@acme.test"].period == "2026-Q3"
    assert low.pk == fig.person_id


def test_the_number_of_queries_does_not_grow_with_the_people(org, django_assert_max_num_queries):
    for n in range(3):
        _rep(org.north_field, f"r{n}@acme.test", 20)
    # Deals are read twice (credited to owners, and split shares), a fixed cost; time
    # off twice more (the weeks read, and the quarter's pace), and commitments once.
    with django_assert_max_num_queries(14):
        few = assess(as_of=AS_OF)
    for n in range(3, 9):
        _rep(org.north_field, f"r{n}@acme.test", 20)
    with django_assert_max_num_queries(14):
        many = assess(as_of=AS_OF)
    assert len(many) == len(few) + 6


def test_people_who_left_or_had_not_started_are_not_judged(org):
    org.rep2.left_on = AS_OF - timedelta(days=1)
    org.rep2.save()
    org.inside_rep.start_date = AS_OF + timedelta(days=1)
    org.inside_rep.save()
    emails = {a.figures.email for a in assess(as_of=AS_OF)}
    assert emails == {"rep@acme.test", "otherrep@acme.test"}
