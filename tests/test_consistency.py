"""One truth, end to end: one organisation with a split deal, a holiday, a rep on leave
and a lower-is-better goal. Each figure is the same on the board, the personal
scorecard, a goal's progress, an OKR key result, the warning engine's inputs, the API
and the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accountable.crm.upsert import deals_upsert
from accountable.goals import okrs
from accountable.goals.models import Goal
from accountable.goals.selectors import goal_progress
from accountable.goals.services import target_set
from accountable.org.services import organisation_get, organisation_update, time_off_record
from accountable.scorecards import formulas as f
from accountable.scorecards import selectors as scorecards
from accountable.signals.inputs import Window, inputs_gather
from tests.crm.factories import stage

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)  # a Monday, week 7 of 2026-Q3
HOLIDAY = date(2026, 8, 3)  # a Monday: the organisation's own day off
LEAVE = (date(2026, 8, 10), date(2026, 8, 14))  # Rob's week away


@pytest.fixture
def world(org):
    organisation_update(actor=org.admin, own_days_off=f"{HOLIDAY} Summer bank holiday")
    time_off_record(actor=org.manager, person=org.rep2, first_day=LEAVE[0], last_day=LEAVE[1])
    won, lost = stage("Won"), stage("Lost")
    deals_upsert(
        [
            {  # Rita 60 %, Rob 40 %: 36 days from creation to close
                "external_id": "SPLIT",
                "name": "Shared",
                "owner": org.rep,
                "stage": won,
                "amount": Decimal("10000"),
                "created_on": date(2026, 7, 1),
                "closed_on": date(2026, 8, 6),
                "splits": [(org.rep, 60), (org.rep2, 40)],
            },
            {  # Rita's own, 56 days
                "external_id": "OWN",
                "name": "Own",
                "owner": org.rep,
                "stage": won,
                "amount": Decimal("2000"),
                "created_on": date(2026, 6, 15),
                "closed_on": date(2026, 8, 10),
            },
            {
                "external_id": "GONE",
                "name": "Gone",
                "owner": org.rep,
                "stage": lost,
                "amount": Decimal("500"),
                "created_on": date(2026, 7, 3),
                "closed_on": date(2026, 8, 5),
            },
        ]
    )
    for person, value in ((org.rep, "30000"), (org.rep2, "20000")):
        target_set(
            actor=org.manager, owner=person, metric="revenue", period_label="2026-Q3", value=value
        )
    return org


def _goal(person, metric: str, target: str) -> Goal:
    return Goal.objects.create(
        person=person,
        metric=metric,
        target_value=Decimal(target),
        period="2026-Q3",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
    )


def test_the_holiday_and_the_leave_are_in_the_working_days(world):
    quarter = organisation_get().calendar.parse("2026-Q3")
    assert quarter.working_days == 65  # 66 weekdays, less the holiday
    elapsed = quarter.working_days_elapsed(AS_OF)
    row = {
        r.person_id: r for r in scorecards.scorecard_rows(world.admin, period=quarter, as_of=AS_OF)
    }
    assert row[world.rep.pk].pace == pytest.approx(elapsed / 65)
    # Rob's week away is five of his days, gone from those passed and from the quarter's.
    assert row[world.rep2.pk].pace == pytest.approx((elapsed - 5) / 60)


def test_every_surface_shows_the_same_figures(world, client):
    org = world
    quarter = organisation_get().calendar.parse("2026-Q3")
    board = {
        r.person_id: r for r in scorecards.scorecard_rows(org.admin, period=quarter, as_of=AS_OF)
    }
    rita, rob = board[org.rep.pk], board[org.rep2.pk]
    assert (rita.won_amount, rob.won_amount) == (Decimal("8000.00"), Decimal("4000.00"))

    # The personal scorecard and the per-metric summary.
    for person, row in ((org.rep, rita), (org.rep2, rob)):
        card = scorecards.person_scorecard(org.admin, person, period=quarter, as_of=AS_OF)
        assert (card.row.won_amount, card.row.pace) == (row.won_amount, row.pace)
        summary = scorecards.metric_summary(
            org.admin, metric="revenue", period=quarter, as_of=AS_OF, person=person
        )
        assert summary.actual == row.won_amount
        assert summary.pace == pytest.approx(row.pace)

    # Goals: revenue to date and the pace expected; the cycle, lower is better.
    for person, row in ((org.rep, rita), (org.rep2, rob)):
        progress = goal_progress(_goal(person, "revenue", "30000"), today=AS_OF)
        assert progress.actual == row.won_amount
        assert progress.expected_percent == round(row.pace * 100)
    cycle = goal_progress(_goal(org.rep, "cycle_days", "30"), today=AS_OF)
    assert float(cycle.actual) == rita.cycle_days_median == 46  # 36 and 56 days
    assert cycle.percent == int(f.attainment(Decimal(46), Decimal(30), False) * 100) == 65
    assert not cycle.higher_is_better

    # An OKR key result on each.
    objective = okrs.objective_create(
        actor=org.manager, title="Sharper", level="person", owner=org.rep, period_label="2026-Q3"
    )
    for metric in ("revenue", "cycle_days"):
        okrs.key_result_create(
            actor=org.manager, objective=objective, metric=metric, target_value=1
        )
    results = {
        kr.key_result.metric: kr.actual
        for node in okrs.okr_tree(org.manager, today=AS_OF)
        if node.objective.pk == objective.pk
        for kr in node.key_results
    }
    assert results["revenue"] == rita.won_amount
    assert float(results["cycle_days"]) == 46

    # The warning engine's inputs, judging the day as the board sees it.
    window = Window.ending(AS_OF + timedelta(days=1), organisation_get().calendar)
    found = inputs_gather([org.rep, org.rep2], window)
    for person, row in ((org.rep, rita), (org.rep2, rob)):
        mine = found[person.pk]
        won = sum(
            (Decimal(str(d.amount)) for d in mine.closed if d.won and d.closed_on >= quarter.start),
            Decimal(0),
        )
        assert won == row.won_amount
        assert (mine.current_pace or f.pace(quarter, AS_OF)) == pytest.approx(row.pace)
    assert found[org.rep2.pk].time_off == [LEAVE]

    # The API and the command line.
    client.force_login(org.admin)
    params = {"period": "2026-Q3", "as_of": AS_OF.isoformat()}
    api = {r["person"]: r for r in client.get(reverse("api:scorecards"), params).json()}
    out = StringIO()
    call_command("scorecard", period="2026-Q3", as_of=AS_OF.isoformat(), format="json", stdout=out)
    cli = {r["person"]: r for r in json.loads(out.getvalue())}
    for person, row in ((org.rep, rita), (org.rep2, rob)):
        for shown in (api[person.email], cli[person.email]):
            assert Decimal(shown["won_amount"]) == row.won_amount
            assert shown["pace"] == pytest.approx(row.pace, abs=5e-5)  # to 4 places
            assert shown["cycle_days_median"] == row.cycle_days_median
