"""One truth: a split deal counts the same on the board, in goal and OKR progress, in
the funnel and in the warning engine's inputs — its owner and split people credited
by share (`crm.credit`), a team crediting it once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accountable.crm.upsert import deals_upsert
from accountable.goals import actuals
from accountable.org.services import organisation_get
from accountable.scorecards import selectors as scorecards
from accountable.signals.inputs import Window, inputs_gather
from tests.crm.factories import stage

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 9, 30)


@pytest.fixture
def deals(org):
    won = stage("Won")
    deals_upsert(
        [
            {
                "external_id": "SPLIT",
                "name": "Shared",
                "owner": org.rep,
                "stage": won,
                "amount": Decimal("10000"),
                "created_on": date(2026, 7, 1),
                "closed_on": date(2026, 8, 14),
                "splits": [(org.rep, 60), (org.rep2, 40)],
            },
            {
                "external_id": "SOLO",
                "name": "Own",
                "owner": org.rep2,
                "stage": won,
                "amount": Decimal("1000"),
                "created_on": date(2026, 7, 2),
                "closed_on": date(2026, 8, 20),
            },
        ]
    )
    return org


def test_a_split_deal_counts_the_same_everywhere(deals):
    org = deals
    quarter = organisation_get().calendar.parse("2026-Q3")
    board = {
        row.person_id: row.won_amount
        for row in scorecards.scorecard_rows(org.admin, period=quarter, as_of=AS_OF)
    }
    goals = {
        pk: actuals.total("revenue", [pk], quarter.start, AS_OF) for pk in (org.rep.pk, org.rep2.pk)
    }
    window = Window.ending(AS_OF, organisation_get().calendar)
    found = inputs_gather([org.rep, org.rep2], window)
    warnings = {
        pk: sum((Decimal(str(d.amount)) for d in found[pk].closed if d.won), Decimal(0))
        for pk in (org.rep.pk, org.rep2.pk)
    }
    expected = {org.rep.pk: Decimal("6000.00"), org.rep2.pk: Decimal("5000.00")}
    assert {pk: board[pk] for pk in expected} == expected
    assert goals == expected
    assert warnings == expected


def test_a_team_counts_a_split_deal_once(deals):
    org = deals
    team = [org.rep.pk, org.rep2.pk]
    counts = actuals.funnel_counts(team, date(2026, 7, 1), AS_OF)
    assert counts["won"] == 2 and counts["won_amount"] == Decimal("11000.00")
    assert actuals.total("revenue", team, date(2026, 7, 1), AS_OF) == Decimal("11000.00")
    # Each person credited counts the deal once as theirs.
    assert actuals.total("deals_won", [org.rep.pk], date(2026, 7, 1), AS_OF) == 1
    assert actuals.total("deals_won", [org.rep2.pk], date(2026, 7, 1), AS_OF) == 2


def test_a_team_board_counts_a_deal_split_between_teammates_once(deals):
    org = deals
    quarter = organisation_get().calendar.parse("2026-Q3")
    summary = scorecards.team_summary(org.admin, team=org.north_field, period=quarter, as_of=AS_OF)
    assert summary.won_count == 2  # the shared deal once, Rob's own once
    assert summary.won_amount == Decimal("11000.00")
    assert summary.avg_deal_size == Decimal("5500.00")


def test_the_api_the_command_line_and_goal_progress_say_the_same(deals, client):
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    from accountable.goals.models import Goal
    from accountable.goals.selectors import goal_progress

    org = deals
    client.force_login(org.admin)
    params = {"period": "2026-Q3", "as_of": AS_OF.isoformat()}
    api = {
        row["person"]: row["won_amount"]
        for row in client.get(reverse("api:scorecards"), params).json()
    }
    out = StringIO()
    call_command("scorecard", period="2026-Q3", as_of=AS_OF.isoformat(), format="json", stdout=out)
    cli = {row["person"]: row["won_amount"] for row in json.loads(out.getvalue())}
    goal = Goal.objects.create(
        person=org.rep2,
        metric="revenue",
        target_value=Decimal(10000),
        period="2026-Q3",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
    )
    assert api[org.rep.email] == cli[org.rep.email] == "6000.00"
    assert api[org.rep2.email] == cli[org.rep2.email] == "5000.00"
    assert goal_progress(goal, today=AS_OF).actual == Decimal("5000.00")


def test_the_board_a_goal_and_a_key_result_agree_on_win_rate_deal_size_and_cycle(deals):
    from accountable.goals import okrs
    from accountable.goals.models import Goal
    from accountable.goals.selectors import goal_progress

    org = deals
    deals_upsert(
        [
            {
                "external_id": "LOST",
                "name": "Gone",
                "owner": org.rep,
                "stage": stage("Lost"),
                "amount": Decimal("500"),
                "created_on": date(2026, 7, 3),
                "closed_on": date(2026, 8, 1),
            }
        ]
    )
    quarter = organisation_get().calendar.parse("2026-Q3")
    row = {
        r.person_id: r for r in scorecards.scorecard_rows(org.admin, period=quarter, as_of=AS_OF)
    }[org.rep.pk]
    team = scorecards.team_summary(org.admin, team=org.north_field, period=quarter, as_of=AS_OF)
    team_cycle = scorecards.metric_summary(
        org.admin, metric="cycle_days", period=quarter, as_of=AS_OF, team=org.north_field
    )
    board = {
        "win_rate": (row.win_rate * 100, team.win_rate * 100),
        "avg_deal_size": (row.avg_deal_size, team.avg_deal_size),
        "cycle_days": (row.cycle_days_median, team_cycle.actual),
    }
    # Rita: her 6,000 share won, 500 lost; the team: two deals won (the shared one once).
    assert board["win_rate"] == (pytest.approx(50.0), pytest.approx(200 / 3))
    assert board["avg_deal_size"] == (Decimal("6000.00"), Decimal("5500.00"))
    assert board["cycle_days"] == (44, 46.5)  # 44 and 49 days: the shared deal once
    mine = okrs.objective_create(
        actor=org.manager, title="Sharper", level="person", owner=org.rep, period_label="2026-Q3"
    )
    ours = okrs.objective_create(
        actor=org.manager,
        title="Sharper together",
        level="team",
        owner=org.north_field,
        period_label="2026-Q3",
    )
    for metric in board:
        for objective in (mine, ours):
            okrs.key_result_create(
                actor=org.manager, objective=objective, metric=metric, target_value=1
            )
    results = {
        (node.objective.pk, kr.key_result.metric): kr.actual
        for node in okrs.okr_tree(org.manager, today=AS_OF)
        for kr in node.key_results
    }
    for metric, (person_figure, team_figure) in board.items():
        for owner, objective, expected in (
            (org.rep, mine, person_figure),
            (org.north_field, ours, team_figure),
        ):
            goal = Goal.objects.create(
                person=owner if owner == org.rep else None,
                team=owner if owner == org.north_field else None,
                metric=metric,
                target_value=Decimal(1),
                period="2026-Q3",
                period_start=date(2026, 7, 1),
                period_end=date(2026, 9, 30),
            )
            progress = goal_progress(goal, today=AS_OF).actual
            assert float(progress) == pytest.approx(float(expected)), (metric, owner)
            assert float(results[(objective.pk, metric)]) == pytest.approx(float(expected))


def test_units_sold_are_the_quantities_won_by_share_on_the_board_and_in_a_goal(org):
    from accountable.goals.models import Goal
    from accountable.goals.selectors import goal_progress

    deals_upsert(
        [
            {
                "external_id": "SEATS",
                "name": "Seats",
                "owner": org.rep,
                "stage": stage("Won"),
                "amount": Decimal("9000"),
                "quantity": 10,
                "created_on": date(2026, 7, 1),
                "closed_on": date(2026, 8, 14),
                "splits": [(org.rep, 60), (org.rep2, 40)],
            },
            {
                "external_id": "MORE",
                "name": "More seats",
                "owner": org.rep2,
                "stage": stage("Won"),
                "amount": Decimal("900"),
                "quantity": 3,
                "created_on": date(2026, 7, 2),
                "closed_on": date(2026, 8, 20),
            },
        ]
    )
    quarter = organisation_get().calendar.parse("2026-Q3")
    rows = {
        r.person_id: r for r in scorecards.scorecard_rows(org.admin, period=quarter, as_of=AS_OF)
    }
    team = scorecards.metric_summary(
        org.admin, metric="units", period=quarter, as_of=AS_OF, team=org.north_field
    )
    assert (rows[org.rep.pk].won_units, rows[org.rep2.pk].won_units) == (6, 7)
    assert team.actual == 13
    for owner, expected in ((org.rep, 6), (org.rep2, 7), (org.north_field, 13)):
        goal = Goal.objects.create(
            person=owner if owner != org.north_field else None,
            team=owner if owner == org.north_field else None,
            metric="units",
            target_value=Decimal(20),
            period="2026-Q3",
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
        )
        assert goal_progress(goal, today=AS_OF).actual == expected
