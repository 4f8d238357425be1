"""Same seed, same sales data; another seed, other data; and the benchmark knob
changes how many activities there are, not the deals behind them."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date

import pytest
from django.db import transaction

from accountable.checkins.models import ActionItem, CheckIn
from accountable.commitments.models import Commitment
from accountable.crm.models import Activity, Deal, DealStageChange
from accountable.demo.bulk import BatchInserter, timestamper
from accountable.demo.generator import generate_demo, plan_organisation
from accountable.demo.sales import SalesWindow
from accountable.demo.segments import segment_of
from accountable.forecasts.models import ForecastSubmission
from accountable.org.calendar import FiscalCalendar
from accountable.targets.models import Target
from tests.factories import PersonFactory

TODAY = date(2026, 3, 16)
PEOPLE = 20

pytestmark = pytest.mark.django_db


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(list(rows), default=str).encode()).hexdigest()


def _snapshot() -> dict[str, object]:
    """A stable fingerprint of the sales data, independent of database ids."""
    deals = Deal.objects.order_by("external_id").values_list(
        "external_id",
        "owner__email",
        "account__name",
        "product__name",
        "type",
        "status",
        "amount",
        "created_on",
        "engaged_on",
        "expected_close_on",
        "closed_on",
        "lost_reason",
    )
    history = DealStageChange.objects.order_by("deal__external_id", "changed_on", "id").values_list(
        "deal__external_id", "to_stage__name", "changed_on"
    )
    activities = Activity.objects.order_by(
        "person__email", "occurred_at", "kind", "id"
    ).values_list("person__email", "kind", "channel", "outcome", "is_prospecting", "occurred_at")
    targets = Target.objects.order_by(
        "person__email", "team__name", "metric", "period"
    ).values_list("person__email", "team__name", "metric", "period", "value")
    forecasts = ForecastSubmission.objects.order_by(
        "person__email", "period", "week_of"
    ).values_list(
        "person__email", "period", "week_of", "commit", "best_case", "note", "submitted_at"
    )
    commitments = Commitment.objects.order_by("person__email", "due_on", "metric").values_list(
        "person__email", "metric", "value", "start_on", "due_on", "state", "actual"
    )
    checkins = CheckIn.objects.order_by("person__email", "starts_at").values_list(
        "person__email", "manager__email", "starts_at", "state", "shared_notes", "private_notes",
        "uid",
    )  # fmt: skip
    actions = ActionItem.objects.order_by("about__email", "due_on", "text").values_list(
        "about__email", "owner__email", "text", "due_on", "state", "done_on"
    )
    return {
        "loop": _digest([*forecasts, *commitments, *checkins, *actions]),
        "deals": _digest(deals),
        "history": _digest(history),
        "activities": _digest(activities),
        "targets": _digest(targets),
        "per_person": dict(Counter(Activity.objects.values_list("person__email", flat=True))),
        "deals_per_person": dict(Counter(Deal.objects.values_list("owner__email", flat=True))),
    }


def _generate(tmp_path, **kwargs):
    """Generate, fingerprint, and roll back, so the next run starts empty."""
    with transaction.atomic():
        result = generate_demo(
            people=PEOPLE, today=TODAY, ground_truth_path=tmp_path / "truth.json", **kwargs
        )
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return result, snapshot


def test_same_seed_gives_the_same_sales_data(tmp_path):
    first, before = _generate(tmp_path, seed=7)
    truth = first.ground_truth_path.read_text()
    second, after = _generate(tmp_path, seed=7)

    assert after == before
    assert second.sales == first.sales
    assert second.ground_truth_path.read_text() == truth
    assert sum(before["per_person"].values()) == first.sales["activities"]


def test_another_seed_gives_other_sales_data(tmp_path):
    _, seven = _generate(tmp_path, seed=7)
    _, eight = _generate(tmp_path, seed=8)

    for key in ("deals", "history", "activities", "loop"):
        assert seven[key] != eight[key], key
    assert seven["per_person"] != eight["per_person"]


def test_more_activities_per_rep_week_leave_the_deals_alone(tmp_path):
    normal, usual = _generate(tmp_path, seed=7)
    busy, more = _generate(tmp_path, seed=7, activities_per_rep_week=150)

    assert more["deals"] == usual["deals"] and more["history"] == usual["history"]
    assert more["targets"] == usual["targets"]
    assert busy.sales["activities"] > 2 * normal.sales["activities"]

    # Steady reps do what was asked for as their segment does it (fewer touches on large
    # deals, more on small ones), within a few percent (the holiday month and the turn
    # of the year take a little off).
    window = SalesWindow(TODAY, 65, FiscalCalendar())
    plan = plan_organisation(seed=7, people=PEOPLE, today=TODAY)
    team = {p.email: p.team for p in plan.people}
    steady = [email for email, key in busy.ground_truth.items() if key == "steady"]
    assert steady
    for email in steady:
        per_week = more["per_person"][email] / window.weeks_covered
        wanted = 150 * segment_of(team[email]).activity
        assert per_week == pytest.approx(wanted, rel=0.12), email


def test_progress_counts_people_then_reps_up_to_the_total(tmp_path):
    calls: list[tuple[int, int]] = []
    result, _ = _generate(
        tmp_path, seed=7, progress=lambda done, total: calls.append((done, total))
    )

    reps = result.people_by_role["rep"]
    assert calls[-1] == (PEOPLE + reps, PEOPLE + reps)
    assert {total for _done, total in calls} == {PEOPLE + reps}
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_batches_are_written_as_they_fill():
    person = PersonFactory()
    fields = ["person", "kind", "channel", "outcome", "is_prospecting", "occurred_at"]
    inserter = BatchInserter(Activity, fields, batch_size=3, adapt_datetimes=False)
    stamp = timestamper()
    rows = [
        (person.pk, "call", "phone", "connected", False, stamp(date(2026, 3, day), 10 * 60))
        for day in range(1, 8)
    ]
    inserter.extend(rows)

    assert inserter.count == 6 and len(inserter.rows) == 1
    assert Activity.objects.count() == 6
    inserter.flush()
    assert inserter.count == Activity.objects.count() == 7
    first = Activity.objects.order_by("occurred_at").first().occurred_at
    assert (first.date(), first.hour) == (date(2026, 3, 1), 10)
