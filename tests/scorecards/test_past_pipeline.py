"""The pipeline of a past day summed by the database equals the pipeline rebuilt deal by
deal from the history, on the demo's generated sales (splits, stage moves, amounts and
close dates changed, deals closed since)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from accountable.crm import deal_history
from accountable.crm.models import Deal, DealChange, DealSplit, DealStageChange
from accountable.demo.generator import generate_demo
from accountable.org.models import Person, Role
from accountable.scorecards import metrics

TODAY = date(2026, 3, 16)
WINDOW = (date(2026, 1, 1), date(2026, 3, 31))
DAYS = [date(2025, 12, 31), date(2026, 2, 9), date(2026, 3, 13), TODAY - timedelta(days=1)]


def _closed_since(day: date) -> Deal:
    closed = Deal.objects.exclude(status="open")
    return closed.filter(created_on__lte=day, closed_on__gt=day).order_by("pk").first()


def _deal_by_deal(monkeypatch, people, window, day):
    with monkeypatch.context() as patched:
        patched.setattr(deal_history, "sums_on", lambda *args: None)
        return metrics.pipeline(people, window, day)


@pytest.mark.django_db
def test_a_past_days_pipeline_summed_by_the_database_is_the_one_rebuilt_deal_by_deal(
    monkeypatch,
):
    with time_machine.travel(datetime(2026, 3, 16, 12), tick=False), transaction.atomic():
        generate_demo(seed=7, people=24, today=TODAY)
        # The cases the database's sums leave to the deal-by-deal path are all there.
        assert DealSplit.objects.exists()
        assert DealStageChange.objects.exists()
        open_deals = Deal.objects.filter(status="open", created_on__lt=DAYS[0]).order_by("pk")
        changed, unrecorded, closed = open_deals[0], open_deals[1], _closed_since(DAYS[2])
        assert closed is not None
        DealChange.objects.create(
            deal=changed, field=DealChange.Field.AMOUNT, old_value="1234.56", new_value="1"
        )
        # A history that starts after the days from no stage: the first open stage then.
        DealStageChange.objects.filter(deal=unrecorded).delete()
        DealStageChange.objects.create(
            deal=unrecorded, to_stage=unrecorded.stage, changed_on=TODAY - timedelta(days=1)
        )
        # Closed since, with no history: it counts in the first open stage, not its own.
        DealStageChange.objects.filter(deal=closed).delete()
        reps = list(
            Person.objects.filter(role=Role.REP).order_by("pk").values_list("pk", flat=True)
        )
        compared = 0
        for day in DAYS:
            for people in (None, reps[:5], reps[5:6]):
                for window in (WINDOW, (day, day + timedelta(days=30))):
                    summed = metrics.pipeline(people, window, day)
                    assert summed == _deal_by_deal(monkeypatch, people, window, day)
                    compared += sum(p.open_count for p in summed.values())
        assert compared > 100
