"""factory_boy factories for the sales data: accounts, products, deals, activities, feedback.

Stages come from the default pipeline (migration 0002), looked up by name.
"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime
from decimal import Decimal

import factory
from django.apps import apps

from accountable.core import changes
from accountable.crm import touched
from accountable.crm.models import (
    Account,
    Activity,
    ActivityKind,
    Channel,
    Deal,
    DealStatus,
    Feedback,
    Product,
    Stage,
)
from tests.factories import PersonFactory


def announce_deals(deals) -> None:
    """Announce deals written straight in the table (`core.changes`), as a write would."""
    changes.days_changed(touched.deal_keys([d.pk for d in deals]), tables=[changes.OUTCOMES])


def ensure_pipeline() -> None:
    """The default pipeline of migration 0002, again if a transactional test flushed it."""
    if not Stage.objects.exists():
        migration = importlib.import_module("accountable.crm.migrations.0002_default_pipeline")
        migration.create_pipeline(apps, None)


def stage(name: str) -> Stage:
    """A stage of the default pipeline: Prospecting, Engaging, Proposal, Negotiation, Won, Lost."""
    ensure_pipeline()
    return Stage.objects.get(name=name)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n} Ltd")
    external_id = factory.Sequence(lambda n: f"ACC-{n}")
    tier = Account.Tier.B


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    external_id = factory.Sequence(lambda n: f"PRD-{n}")
    product_line = "Core"


class DealFactory(factory.django.DjangoModelFactory):
    """An open deal in Prospecting. Pass `stage=stage("Won")` and the status follows.

    Made straight in the table, it is announced as every write is (`core.changes`), so
    the scorecards' rollups count it. (Splits added afterwards are not: write those
    through `crm.upsert`, or announce them with `announce_deals`.)"""

    class Meta:
        model = Deal

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        deal = super()._create(model_class, *args, **kwargs)
        announce_deals([deal])
        return deal

    external_id = factory.Sequence(lambda n: f"D-{n}")
    name = factory.Sequence(lambda n: f"Deal {n}")
    account = factory.SubFactory(AccountFactory)
    owner = factory.SubFactory(PersonFactory)
    amount = Decimal("10000.00")
    stage = factory.LazyFunction(lambda: stage("Prospecting"))
    status = factory.LazyAttribute(
        lambda d: (
            DealStatus.WON
            if d.stage.is_won
            else DealStatus.LOST
            if d.stage.is_lost
            else DealStatus.OPEN
        )
    )
    created_on = date(2026, 7, 1)
    expected_close_on = date(2026, 9, 30)
    closed_on = factory.LazyAttribute(lambda d: date(2026, 8, 14) if d.stage.is_closed else None)


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity made straight in the table, announced as every write is."""

    class Meta:
        model = Activity

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        activity = super()._create(model_class, *args, **kwargs)
        keys = touched.activity_keys([(activity.person_id, activity.occurred_at)])
        changes.days_changed(keys, tables=[changes.ACTIVITIES])
        return activity

    external_id = factory.Sequence(lambda n: f"A-{n}")
    person = factory.SubFactory(PersonFactory)
    kind = ActivityKind.CALL
    channel = Channel.PHONE
    occurred_at = datetime(2026, 8, 3, 10, 0, tzinfo=UTC)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    external_id = factory.Sequence(lambda n: f"F-{n}")
    person = factory.SubFactory(PersonFactory)
    kind = Feedback.Kind.PRAISE
    received_on = date(2026, 8, 3)
