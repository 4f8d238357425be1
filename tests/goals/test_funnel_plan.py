"""A goal's funnel from the data: from what is still to go, with the person's own rates
and sales cycle; too late for the period → the plan is for the next one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accountable.goals import services
from accountable.goals.models import Goal
from accountable.goals.selectors import funnel_plan_for
from tests.crm.factories import ActivityFactory, DealFactory, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    """Rita, 2025-Q3 to 2026-Q2: 6 deals won of 10 closed at 10,000, each 47 days from
    creation to close; 12 opportunities, 24 first meetings, 240 calls. In 2026-Q3 so far:
    one 30,000 win and 2 first meetings."""
    won, lost = stage("Won"), stage("Lost")
    for n in range(6):
        closed = date(2026, 2, 1) + timedelta(days=n)
        DealFactory(
            owner=org.rep,
            stage=won,
            amount=10000,
            created_on=closed - timedelta(days=47),
            closed_on=closed,
        )
    for n in range(4):
        DealFactory(
            owner=org.rep, stage=lost, created_on=date(2026, 1, 2), closed_on=date(2026, 3, 2 + n)
        )
    for _n in range(2):
        DealFactory(owner=org.rep, created_on=date(2026, 1, 5))  # still open
    at = datetime(2026, 3, 3, 10, tzinfo=UTC)
    for _n in range(24):
        ActivityFactory(person=org.rep, kind="meeting", meeting_number=1, occurred_at=at)
    for _n in range(240):
        ActivityFactory(person=org.rep, kind="call", occurred_at=at)
    DealFactory(
        owner=org.rep,
        stage=won,
        amount=30000,
        created_on=date(2026, 6, 1),
        closed_on=date(2026, 7, 3),
    )
    for _n in range(2):
        ActivityFactory(
            person=org.rep,
            kind="meeting",
            meeting_number=1,
            occurred_at=datetime(2026, 7, 2, 10, tzinfo=UTC),
        )
    return Goal.objects.create(
        person=org.rep,
        created_by=org.manager,
        metric="revenue",
        target_value=Decimal(100000),
        period="2026-Q3",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
    )


def test_the_plan_starts_from_what_is_still_to_go_with_rita_s_own_rates(history):
    measures = funnel_plan_for(history, today=date(2026, 7, 6))
    plan = measures.plan
    assert measures.period == "2026-Q3" and not measures.timing.too_late
    assert plan.to_go == Decimal(70000)
    # 70,000 / 10,000 = 7 deals more; / 60 % = 12 opportunities; 13 opportunities were
    # opened from 24 first meetings (the June one too): 12 / (13 / 24) = 22.2 → 23 first
    # meetings; / (24 / 240) = 230 calls and e-mails.
    assert {s.key: s.remaining for s in plan.stages} == {
        "deals": 7,
        "opportunities": 12,
        "meetings": 23,
        "touches": 230,
    }
    assert plan.stage("meetings").total == 25  # the 2 already held, and 23 more
    assert set(measures.sources.values()) == {"person"}
    # A first meeting today closes 47 days later, 22 August: in time, until 14 August.
    assert measures.timing.close_on == date(2026, 8, 22)
    assert measures.timing.last_first_meeting == date(2026, 8, 14)
    assert plan.prospecting_weeks < plan.weeks


def test_too_late_for_the_quarter_plans_the_next_one_and_says_so(history, org):
    measures = funnel_plan_for(history, today=date(2026, 9, 1))
    assert measures.timing.too_late
    assert measures.timing.words.startswith(
        "It is already too late for 2026-Q3 to be won from new prospecting. At Rita's "
        "median sales cycle of 47 days, a first meeting held today (1 Sep 2026) would close "
        "around 18 Oct 2026"
    )
    assert measures.period == "2026-Q4"
    assert measures.target == Decimal(100000)
    assert measures.target_note == "the same target as 2026-Q3"
    assert measures.plan.stage("deals").remaining == 10
    # With a target of its own for the next quarter, that one.
    services.target_set(
        actor=org.manager, owner=org.rep, metric="revenue", period_label="2026-Q4", value=50000
    )
    again = funnel_plan_for(history, today=date(2026, 9, 1))
    assert again.target == Decimal(50000) and again.target_note == "its own target"
    assert again.plan.stage("deals").remaining == 5


def test_the_page_shows_too_late_and_saves_the_next_quarters_targets(history, org, client):
    import time_machine

    client.force_login(org.manager)
    with time_machine.travel(datetime(2026, 9, 1, 12, tzinfo=UTC), tick=False):
        page = client.get(reverse("goals:person", args=[org.rep.pk])).content.decode()
        assert "Too late for 2026-Q3." in page
        assert "The plan below is for 2026-Q4" in page
        response = client.post(
            reverse("goals:goal_measures", args=[history.pk]), {"opportunities": "20"}, follow=True
        )
    body = response.content.decode()
    assert "Saved 4 activity targets for 2026-Q4" in body
    assert (
        services.Target.objects.get(
            person=org.rep, metric="opportunities_created", period="2026-Q4"
        ).value
        == 20
    )


def test_too_few_closed_deals_say_so_instead_of_guessing(org):
    won = stage("Won")
    DealFactory(
        owner=org.rep,
        stage=won,
        amount=5000,
        created_on=date(2026, 1, 5),
        closed_on=date(2026, 2, 1),
    )
    goal = Goal.objects.create(
        person=org.rep,
        metric="revenue",
        target_value=Decimal(40000),
        period="2026-Q3",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
    )
    measures = funnel_plan_for(goal, today=date(2026, 7, 6))
    assert measures.plan.stage("deals").total is None
    assert "too few deals have closed, yours or the team's" in measures.plan.explanation
    assert "rests on 1 deal won, too few (5 needed)" in measures.timing.words


def test_the_command_line_reads_the_same_progress_and_funnel(history, org):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "goals", "--person", org.rep.email, "--as-of", "2026-09-01", "--format", "json", stdout=out
    )
    (item,) = json.loads(out.getvalue())
    assert (item["metric"], item["actual"], item["attained_percent"]) == ("revenue", "30000.00", 30)
    funnel = item["funnel"]
    assert funnel["too_late"] and funnel["period"] == "2026-Q4"
    assert funnel["stages"][0] == {
        "stage": "deals",
        "label": "deals",
        "total": 10,
        "done": 0,
        "still_needed": 10,
        "per_week": 1,
        "rate_from": "own",
    }
    table = StringIO()
    call_command("goals", "--person", org.rep.email, "--as-of", "2026-09-01", stdout=table)
    assert "It is already too late for 2026-Q3" in table.getvalue()
    assert "Plan for 2026-Q4:" in table.getvalue()
    with pytest.raises(CommandError, match="may not see"):
        call_command("goals", "--person", org.other_rep.email, "--viewer", org.rep.email)
