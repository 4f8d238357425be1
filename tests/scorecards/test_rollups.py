"""The rollups stay equal to a from-scratch computation through every write path:
creates, updates (an activity moved to another day and person, a deal resized, a won
deal turned lost, a split added), deletes, bulk imports and re-imports."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from accountable.core import bulk_indexes, changes
from accountable.crm import touched
from accountable.crm.models import Activity, ActivityKind, Deal
from accountable.crm.upsert import activities_upsert, deals_upsert
from accountable.imports.pipeline import import_file
from accountable.scorecards import metrics, rollups
from accountable.scorecards.models import ActivityRollup, Grain, OutcomeRollup
from tests.scorecards.conftest import activity, at, deal

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["as_deployed", "one_pass"])
def refresh_way(request, monkeypatch):
    """The refreshes as deployed, and every one of them the way of a first load of a
    million activities: everyone recomputed over the span in one pass, the rollups'
    indexes built afterwards (the threshold lowered). Checks that the way was taken."""
    one_pass = request.param == "one_pass"
    if one_pass:
        span = rollups.refresh_span

        def everyone(*args, **kwargs):
            return span(*args, **{**kwargs, "everyone": True})

        monkeypatch.setattr(rollups, "refresh_span", everyone)
        monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    taken = {"everyone": 0, "set_aside": 0}
    activity_days, worth = rollups._activity_days, rollups.worth_setting_aside

    def days_spied(people, start, end):
        taken["everyone"] += people is None and start is not None
        return activity_days(people, start, end)

    def worth_spied(table: str, rows: int) -> bool:
        taken["set_aside"] += worth(table, rows)
        return worth(table, rows)

    monkeypatch.setattr(rollups, "_activity_days", days_spied)
    monkeypatch.setattr(rollups, "worth_setting_aside", worth_spied)
    yield request.param
    assert all(taken.values()) if one_pass else not any(taken.values())


def snapshot() -> tuple[list, list]:
    """Every rollup row, in a stable order."""

    def rows(model, columns):
        return sorted(
            model.objects.values_list("person_id", "grain", "start", *columns),
            key=lambda r: (r[0], r[1], r[2]),
        )

    return (
        rows(ActivityRollup, rollups.ACTIVITY_COLUMNS),
        rows(OutcomeRollup, rollups.OUTCOME_COLUMNS),
    )


def assert_fresh() -> None:
    """The incrementally kept rollups equal a rebuild from scratch."""
    kept = snapshot()
    rollups.rebuild()
    assert kept == snapshot()


def by_hand(person_id: int) -> Counter:
    """The person's day rows computed straight from the raw activities, in Python."""
    counted: Counter = Counter()
    for a in Activity.objects.filter(person_id=person_id):
        counted[(a.occurred_at.date(), a.kind)] += 1
    return counted


def test_creates_fill_day_week_and_month_rows(sales):
    rep = sales.rep
    calls = ActivityRollup.objects.get(person=rep, grain=Grain.DAY, start=date(2026, 8, 3))
    assert (calls.calls, calls.total) == (1, 1)
    week = ActivityRollup.objects.get(person=rep, grain=Grain.WEEK, start=date(2026, 8, 3))
    assert (week.calls, week.total) == (5, 5)  # Mon 3 .. Fri 7 August
    month = ActivityRollup.objects.get(person=rep, grain=Grain.MONTH, start=date(2026, 8, 1))
    assert (month.calls, month.meetings, month.first_meetings, month.second_meetings) == (
        5,
        2,
        1,
        1,
    )
    won = OutcomeRollup.objects.get(person=rep, grain=Grain.MONTH, start=date(2026, 8, 1))
    assert (won.won_amount, won.won_count, won.lost_count, won.lost_amount) == (
        Decimal("3000.00"),
        2,
        1,
        Decimal("500.00"),
    )
    created = OutcomeRollup.objects.get(person=rep, grain=Grain.DAY, start=date(2026, 7, 1))
    assert (created.created_count, created.created_amount) == (4, Decimal("7500.00"))
    assert_fresh()


def test_an_activity_moved_to_another_day_and_person(sales):
    activities_upsert([activity("C0", sales.rep2, at(20, month=9))])  # was rep's, 3 August
    assert not ActivityRollup.objects.filter(
        person=sales.rep, grain=Grain.DAY, start=date(2026, 8, 3)
    ).exists()
    assert (
        ActivityRollup.objects.get(
            person=sales.rep, grain=Grain.MONTH, start=date(2026, 8, 1)
        ).calls
        == 4
    )
    moved = ActivityRollup.objects.get(person=sales.rep2, grain=Grain.DAY, start=date(2026, 9, 20))
    assert moved.calls == 1
    assert_fresh()


def test_an_activity_changing_kind(sales):
    activities_upsert([activity("C1", sales.rep, at(4), ActivityKind.MEETING, meeting_number=1)])
    day = ActivityRollup.objects.get(person=sales.rep, grain=Grain.DAY, start=date(2026, 8, 4))
    assert (day.calls, day.meetings, day.first_meetings) == (0, 1, 1)
    assert_fresh()


def test_deal_changes_amount_outcome_owner_and_split(sales):
    deals_upsert([deal("W1", sales.rep, amount="1500")])  # resized
    deals_upsert([deal("W2", sales.rep, stage_name="Lost", amount="2000")])  # won -> lost
    deals_upsert([deal("W3", sales.rep, amount="3000")])  # rep2's deal -> rep
    deals_upsert(
        [deal("O1", sales.rep, stage_name="Won", amount="4000", closed_on=date(2026, 9, 1))]
    )
    month = OutcomeRollup.objects.get(person=sales.rep, grain=Grain.MONTH, start=date(2026, 8, 1))
    assert (month.won_amount, month.won_count, month.lost_count) == (Decimal("4500.00"), 2, 2)
    assert not OutcomeRollup.objects.filter(person=sales.rep2, won_count__gt=0).exists()
    assert_fresh()
    # a 25/75 split of W3 between rep and rep2: credit by share
    deals_upsert(
        [{**deal("W3", sales.rep, amount="3000"), "splits": [(sales.rep, 25), (sales.rep2, 75)]}]
    )
    rep2 = OutcomeRollup.objects.get(person=sales.rep2, grain=Grain.DAY, start=date(2026, 8, 14))
    assert (rep2.won_amount, rep2.won_count) == (Decimal("2250.00"), 1)
    rep = OutcomeRollup.objects.get(person=sales.rep, grain=Grain.DAY, start=date(2026, 8, 14))
    assert rep.won_amount == Decimal("1500.00") + Decimal("750.00")
    assert_fresh()
    deals_upsert([{**deal("W3", sales.rep, amount="3000"), "splits": []}])  # split removed
    assert_fresh()


def test_a_deleted_activity_is_forgotten_by_a_refresh_of_its_keys(sales):
    gone = Activity.objects.get(external_id="M2")
    keys = touched.activity_keys([(gone.person_id, gone.occurred_at)])
    gone.delete()
    changes.days_changed(keys)  # as a write announces it
    month = ActivityRollup.objects.get(person=sales.rep, grain=Grain.MONTH, start=date(2026, 8, 1))
    assert (month.meetings, month.second_meetings) == (1, 0)
    assert_fresh()


def test_days_years_apart_are_refreshed_each_on_their_own(sales):
    activities_upsert(
        [
            activity("OLD", sales.rep, datetime(2019, 1, 7, 9, tzinfo=UTC)),
            activity("C2", sales.rep, datetime(2019, 1, 8, 9, tzinfo=UTC)),  # moved back 7 years
        ]
    )
    assert (
        ActivityRollup.objects.get(person=sales.rep, grain=Grain.WEEK, start=date(2019, 1, 7)).calls
        == 2
    )
    assert_fresh()


ACT_HEADER = "external_id,owner_email,kind,channel,outcome,occurred_at,account,is_prospecting"


def test_bulk_import_and_reimport_keep_rollups_fresh(org, tmp_path, settings, refresh_way):
    settings.VAR_DIR = tmp_path
    first = tmp_path / "first.csv"
    first.write_text(
        "\n".join(
            [
                ACT_HEADER,
                "B-1,rep@acme.test,call,,connected,2026-08-03 10:30,,yes",
                "B-2,rep@acme.test,meeting,,held,2026-08-03 11:00,,no",
                "B-3,rep2@acme.test,email,,,2026-08-04 09:00,,",
            ]
        )
        + "\n"
    )
    result = import_file(kind="activities", path=first, actor=None, source="cli")
    assert result.applied
    day = ActivityRollup.objects.get(person=org.rep, grain=Grain.DAY, start=date(2026, 8, 3))
    assert (day.calls, day.meetings, day.prospecting, day.total) == (1, 1, 1, 2)
    assert_fresh()
    # Re-import with a correction: B-1 moves to rep2 a week later; B-4 is new.
    again = tmp_path / "again.csv"
    again.write_text(
        "\n".join(
            [
                ACT_HEADER,
                "B-1,rep2@acme.test,call,,connected,2026-08-10 10:30,,yes",
                "B-2,rep@acme.test,meeting,,held,2026-08-03 11:00,,no",
                "B-4,rep@acme.test,call,,,2026-09-01 08:00,,no",
            ]
        )
        + "\n"
    )
    assert import_file(kind="activities", path=again, actor=None, source="cli").applied
    day = ActivityRollup.objects.get(person=org.rep, grain=Grain.DAY, start=date(2026, 8, 3))
    assert (day.calls, day.meetings, day.total) == (0, 1, 1)
    assert (
        ActivityRollup.objects.get(person=org.rep2, grain=Grain.DAY, start=date(2026, 8, 10)).calls
        == 1
    )
    assert_fresh()


def test_a_dry_run_import_leaves_the_rollups_as_they_were(org, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    path = tmp_path / "dry.csv"
    path.write_text(f"{ACT_HEADER}\nD-1,rep@acme.test,call,,,2026-08-03 10:30,,\n")
    before = snapshot()
    import_file(kind="activities", path=path, actor=None, source="cli", dry_run=True)
    assert snapshot() == before


def test_rebuild_command_reports_rows(sales, capsys):
    ActivityRollup.objects.all().delete()
    call_command("rollups", "rebuild", "--format", "json")
    out = capsys.readouterr().out
    assert '"activity days": 8' in out
    assert ActivityRollup.objects.filter(grain=Grain.MONTH).count() == 2


def test_counts_over_any_span_equal_the_day_rows(sales):
    """Months, weeks and days tile a span: the sums are those of the days."""
    rep = sales.rep.pk
    for start, end in [
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 8, 4), date(2026, 8, 12)),
        (date(2026, 7, 15), date(2026, 8, 31)),
        (date(2026, 8, 14), date(2026, 8, 14)),
    ]:
        got = metrics.counts([rep], start, end).get(rep) or metrics.Counts()
        days = ActivityRollup.objects.filter(
            person_id=rep, grain=Grain.DAY, start__gte=start, start__lte=end
        )
        assert got.total == sum(d.total for d in days)
        won = OutcomeRollup.objects.filter(
            person_id=rep, grain=Grain.DAY, start__gte=start, start__lte=end
        )
        assert got.won_amount == sum((d.won_amount for d in won), Decimal(0))
    hand = by_hand(rep)
    assert sum(hand.values()) == 7


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    st.integers(min_value=0, max_value=500),
)
def test_tiles_cover_every_day_of_a_span_exactly_once(start, length):
    end = start + timedelta(days=length)
    months, weeks, ranges = metrics.tiles(start, end)
    covered: Counter = Counter()
    for first in months:
        day = first
        while day.month == first.month:
            covered[day] += 1
            day += timedelta(days=1)
    for monday in weeks:
        assert monday.weekday() == 0
        for i in range(7):
            covered[monday + timedelta(days=i)] += 1
    for a, b in ranges:
        for i in range((b - a).days + 1):
            covered[a + timedelta(days=i)] += 1
    span = {start + timedelta(days=i) for i in range(length + 1)}
    assert set(covered) == span
    assert set(covered.values()) == {1}
    # at most 6 days before the first Monday and 6 after the last whole week, per edge
    assert sum((b - a).days + 1 for a, b in ranges) <= 24


def test_deal_keys_cover_owner_and_split_people(sales):
    w1 = Deal.objects.get(external_id="W1")
    keys = touched.deal_keys([w1.pk])
    assert keys == {(sales.rep.pk, date(2026, 7, 1)), (sales.rep.pk, date(2026, 8, 14))}


def months_by_hand() -> tuple[dict, dict]:
    """Month rows computed in Python straight from the raw activities and deals."""
    acts: dict = {}
    for a in Activity.objects.all():
        key = (a.person_id, a.occurred_at.date().replace(day=1))
        row = acts.setdefault(key, Counter())
        row["calls"] += a.kind == ActivityKind.CALL
        row["meetings"] += a.kind == ActivityKind.MEETING
        row["total"] += 1
    outcomes: dict = {}
    for d in Deal.objects.prefetch_related("splits"):
        credit = [(s.person_id, s.share) for s in d.splits.all()] or [(d.owner_id, 100)]
        for person_id, share in credit:
            amount = (d.amount * Decimal(share) / 100).quantize(Decimal("0.01"))
            created = outcomes.setdefault((person_id, d.created_on.replace(day=1)), Counter())
            created["created_count"] += 1
            if d.status == "won":
                won = outcomes.setdefault((person_id, d.closed_on.replace(day=1)), Counter())
                won["won_count"] += 1
                won["won_amount"] += amount
    return acts, outcomes


def months_stored() -> tuple[dict, dict]:
    acts = {
        (r.person_id, r.start): Counter(calls=r.calls, meetings=r.meetings, total=r.total)
        for r in ActivityRollup.objects.filter(grain=Grain.MONTH)
    }
    outcomes = {
        (r.person_id, r.start): Counter(
            created_count=r.created_count, won_count=r.won_count, won_amount=r.won_amount
        )
        for r in OutcomeRollup.objects.filter(grain=Grain.MONTH)
    }
    return acts, outcomes


def _nonzero(rows: dict) -> dict:
    return {key: +counted for key, counted in rows.items() if +counted}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_rollups_equal_to_the_raw_data(org, seed, refresh_way):
    """Random creates, moves, kind changes, deletes, resizes, outcome changes and splits:
    after each round the rollups equal a computation by hand in Python and a rebuild."""
    rnd = random.Random(seed)
    people = [org.rep, org.rep2, org.inside_rep, org.other_rep]
    kinds = [ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.MEETING]
    for _ in range(4):
        batch = {}
        for _ in range(6):
            ext = f"R{rnd.randrange(12)}"  # often an existing one: a move or a change
            when = datetime(2026, rnd.randint(6, 9), rnd.randint(1, 28), 10, tzinfo=UTC)
            batch[ext] = activity(ext, rnd.choice(people), when, rnd.choice(kinds))
        activities_upsert(list(batch.values()))
        deals = {}
        for _ in range(6):
            ext = f"RD{rnd.randrange(8)}"
            stage_name = rnd.choice(["Won", "Lost", "Proposal"])
            closed = {"closed_on": date(2026, rnd.randint(8, 9), rnd.randint(1, 28))}
            row = deal(
                ext,
                rnd.choice(people),
                stage_name=stage_name,
                amount=str(rnd.randrange(100, 5000)),
                created_on=date(2026, rnd.randint(5, 8), rnd.randint(1, 28)),
                **(closed if stage_name != "Proposal" else {}),
            )
            if rnd.random() < 0.3:
                first, second = rnd.sample(people, 2)
                row["splits"] = [(first, 40), (second, 60)]
            deals[ext] = row
        deals_upsert(list(deals.values()))
        if rnd.random() < 0.5:
            gone = rnd.choice(list(Activity.objects.all()))
            keys = touched.activity_keys([(gone.person_id, gone.occurred_at)])
            gone.delete()
            changes.days_changed(keys)  # as a write announces it
        stored_acts, stored_outcomes = months_stored()
        hand_acts, hand_outcomes = months_by_hand()
        assert _nonzero(stored_acts) == _nonzero(hand_acts)
        assert _nonzero(stored_outcomes) == _nonzero(hand_outcomes)
        assert_fresh()


def test_days_are_cut_in_the_servers_time_zone(org, settings, tmp_path, refresh_way):
    """20:00 UTC on 3 August is 4 August in Auckland: the day row, the bulk import's
    refresh (which knows only the UTC day) and a rebuild all agree."""
    settings.TIME_ZONE = "Pacific/Auckland"
    settings.VAR_DIR = tmp_path
    activities_upsert([activity("TZ1", org.rep, datetime(2026, 8, 3, 20, tzinfo=UTC))])
    day = ActivityRollup.objects.get(person=org.rep, grain=Grain.DAY)
    assert day.start == date(2026, 8, 4)
    path = tmp_path / "tz.csv"
    # moved by the file to 5 August 20:00 UTC (6 August in Auckland)
    path.write_text(f"{ACT_HEADER}\nTZ1,rep@acme.test,call,,,2026-08-05T20:00:00+00:00,,\n")
    assert import_file(kind="activities", path=path, actor=None, source="cli").applied
    assert list(
        ActivityRollup.objects.filter(person=org.rep, grain=Grain.DAY).values_list("start", "calls")
    ) == [(date(2026, 8, 6), 1)]
    assert_fresh()


def test_counts_by_span_equal_counts_span_by_span(sales):
    ids = [sales.rep.pk, sales.rep2.pk]
    spans = [
        (date(2026, 7, 1), date(2026, 7, 31)),
        (date(2026, 8, 1), date(2026, 8, 9)),
        (date(2026, 8, 10), date(2026, 9, 30)),
    ]
    together = metrics.counts_by_span(ids, spans)
    for (start, end), got in zip(spans, together, strict=True):
        assert dict(got) == dict(metrics.counts(ids, start, end))
