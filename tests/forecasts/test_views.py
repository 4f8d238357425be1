"""The forecast pages through the test client (who may open them:
tests/forecasts/permission_cases.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accountable.forecasts import services
from accountable.forecasts.models import ForecastAdjustment, ForecastSubmission
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

MINE, TEAM = reverse("forecasts:mine"), reverse("forecasts:team")


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(datetime(2026, 8, 4, 9, tzinfo=UTC), tick=False):
        yield


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_rep_submits_this_weeks_call_and_sees_it(client, org):
    client.force_login(org.rep)
    page = client.get(MINE)
    assert page.context["period"].label == "2026-Q3" and page.context["week"] == date(2026, 8, 3)
    done = client.post(MINE, {"commit": "1000", "best_case": "1500"}, follow=True)
    assert "Forecast for 2026-Q3 submitted for the week of 3 Aug." in said(done)
    made = ForecastSubmission.objects.get()
    assert (made.person, made.commit, made.best_case) == (org.rep, Decimal(1000), Decimal(1500))
    assert "Update my call" in done.content.decode()
    bad = client.post(MINE, {"commit": "2000", "best_case": "1500"})
    assert "The best case includes the commit" in bad.content.decode()
    assert ForecastSubmission.objects.get().commit == 1000


def test_a_manager_sees_the_team_and_adjusts_in_their_own_layer(client, org):
    call = services.forecast_submit(
        actor=org.rep, person=org.rep, period="2026-Q3", commit=1000, best_case=1500
    )
    client.force_login(org.manager)
    page = client.get(TEAM, {"team": org.north_field.pk})
    rows = {row.person: form for row, form in page.context["rows"]}
    assert set(rows) == {org.rep, org.rep2} and rows[org.rep] is not None
    assert [row.person for row in page.context["stale"]] == [org.rep2]
    response = client.post(
        reverse("forecasts:adjust", args=[call.pk]),
        {
            f"a{call.pk}-commit": "800",
            f"a{call.pk}-best_case": "1200",
            f"a{call.pk}-note": "Initech slips",
            "team": org.north_field.pk,
        },
        follow=True,
    )
    assert "Your call on Rita Rep's forecast is kept beside theirs." in said(response)
    assert ForecastAdjustment.objects.get().commit == 800
    assert response.context["called"] == Decimal(800) and response.context["submitted"] == Decimal(
        1000
    )
    refused = client.post(
        reverse("forecasts:adjust", args=[call.pk]), {f"a{call.pk}-commit": "800"}, follow=True
    )
    assert "and say why" in said(refused)[0]


def test_a_rep_never_sees_another_reps_call(client, org):
    services.forecast_submit(
        actor=org.rep2, person=org.rep2, period="2026-Q3", commit=1, best_case=1
    )
    client.force_login(org.rep)
    assert client.get(MINE).context["calls"] == []
    assert client.get(TEAM).status_code == 403


def test_the_team_view_shows_what_moved_since_the_last_lock(client, org):
    ensure_pipeline()
    DealFactory(owner=org.rep, name="Initech", created_on=date(2026, 8, 3))  # after Fri 31 Jul
    DealFactory(owner=org.rep2, name="Hooli", stage=stage("Lost"), closed_on=date(2026, 8, 3))
    DealFactory(owner=org.rep, name="Old", created_on=date(2026, 7, 20))
    client.force_login(org.manager)
    page = client.get(TEAM, {"team": org.north_field.pk})
    assert page.context["locked_on"] == date(2026, 7, 31)
    moved = {label: [m.deal.name for m in items] for label, items in page.context["moved"]}
    assert moved == {"New": ["Initech"], "Lost": ["Hooli"]}


def test_the_scorecard_shows_how_accurate_last_quarters_calls_were(client, org):
    ensure_pipeline()
    DealFactory(
        owner=org.rep, stage=stage("Won"), amount=Decimal(1000), closed_on=date(2026, 6, 10)
    )
    for week, commit in ((date(2026, 4, 6), 1500), (date(2026, 5, 4), 1100)):
        services.forecast_submit(
            actor=None, person=org.rep, period="2026-Q2", commit=commit, best_case=commit, week=week
        )
    client.force_login(org.manager)
    page = client.get(reverse("scorecards:person", args=[org.rep.pk])).content.decode()
    assert "Forecast calls</dt><dd>off by 30%" in page and "+30% over-calls · 2026-Q2" in page
    assert (
        "no calls" in client.get(reverse("scorecards:person", args=[org.rep2.pk])).content.decode()
    )
