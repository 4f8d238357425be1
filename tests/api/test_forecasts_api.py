"""Forecasts through the API: the same services and selectors as the pages and the
command line, scoped to the caller; a call for the open week (201 new, 200 replaced),
locked at its deadline; the manager's adjustment beside it; accuracy with what it
rests on. 400 says what is wrong, 403 who may not, 404 what the caller may not see."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.forecasts import services
from accountable.forecasts.models import ForecastAdjustment, ForecastSubmission
from accountable.tokens.services import TokenError
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

LIST = reverse("api:forecast_list")
ACCURACY = reverse("api:forecast_accuracy")
TUESDAY = datetime(2026, 8, 4, 9, tzinfo=UTC)  # week of Mon 3 Aug, locking Fri 7 Aug 17:00
SATURDAY = datetime(2026, 8, 8, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _tuesday_4_august():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def _post(client, url, headers=None, **body):
    return client.post(url, body, content_type="application/json", headers=headers or {})


def _adjust(submission: ForecastSubmission) -> str:
    return reverse("api:forecast_adjust", kwargs={"forecast_id": submission.pk})


def _call(person, commit=100, best_case=150, period="2026-Q3", **extra) -> ForecastSubmission:
    return services.forecast_submit(
        actor=person, person=person, period=period, commit=commit, best_case=best_case, **extra
    )


def _won(person, amount, on):
    ensure_pipeline()
    DealFactory(owner=person, stage=stage("Won"), amount=Decimal(amount), closed_on=on)


def test_a_rep_calls_the_week_and_calls_again_until_the_deadline(client, org):
    client.force_login(org.rep)  # a rep's tokens read only: their writes use the session
    first = _post(client, LIST, period="2026-q3", commit="40,000", best_case=55000.5)
    assert first.status_code == 201, first.json()
    out = first.json()
    assert out == {
        "id": out["id"],
        "person": "rep@acme.test",
        "period": "2026-Q3",
        "week_of": "2026-08-03",
        "commit": "40000.00",
        "best_case": "55000.50",
        "manager_commit": None,
        "manager_best_case": None,
        "manager_note": None,
        "note": "",
        "locked": False,
    }
    again = _post(client, LIST, period="2026-Q3", commit=42000, best_case=55000, note="Globex")
    assert again.status_code == 200, again.json()
    assert (again.json()["id"], again.json()["commit"]) == (out["id"], "42000.00")
    other_period = _post(client, LIST, period="2026-Q4", commit=1, best_case=1)
    assert other_period.status_code == 201
    with time_machine.travel(SATURDAY, tick=False):
        later = _post(client, LIST, period="2026-Q3", commit=43000, best_case=56000)
        assert later.status_code == 201  # the week of the 3rd is locked: this is next week's
        assert later.json()["week_of"] == "2026-08-10"
        listed = client.get(LIST, {"period": "2026-Q3"}).json()
    assert [(c["week_of"], c["commit"], c["locked"]) for c in listed] == [
        ("2026-08-03", "42000.00", True),
        ("2026-08-10", "43000.00", False),
    ]
    made = ForecastSubmission.objects.get(pk=out["id"])
    assert made.submitted_by == org.rep and made.note == "Globex"
    assert AuditEntry.objects.filter(action="forecast.submit", actor=org.rep).count() == 4


def test_the_api_answers_the_fields_of_the_command_lines_json(client, org):
    client.force_login(org.rep)
    made = _post(client, LIST, period="2026-Q3", commit=100, best_case=150, note="x").json()
    out = StringIO()
    call_command("forecast", "list", "--period", "2026-Q3", "--format", "json", stdout=out)
    [listed] = json.loads(out.getvalue())
    assert {key: made[key] for key in listed} == listed
    assert client.get(LIST).json() == [made]


def test_who_may_call_through_the_api(client, org, token):
    refused = _post(client, LIST, token(org.manager), period="2026-Q3", commit=1, best_case=1)
    assert refused.status_code == 403 and "write scope" in refused.json()["detail"]
    with pytest.raises(TokenError, match="Only admins and managers"):
        token(org.rep, "read", "write")
    client.force_login(org.executive)
    role = _post(client, LIST, period="2026-Q3", commit=1, best_case=1)
    assert role.status_code == 403
    assert role.json()["detail"].endswith("may submit a forecast; your role is executive.")
    made = _post(
        client, LIST, token(org.manager, "read", "write"), period="2026-Q3", commit=1, best_case=2
    )
    assert made.status_code == 201 and made.json()["person"] == "manager@acme.test"
    assert ForecastSubmission.objects.get().person == org.manager


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"commit": 200, "best_case": 150}, 400, "The best case includes the commit"),
        ({"commit": "lots"}, 400, 'The commit is an amount of money, not "lots".'),
        ({"commit": -1}, 400, "The commit is an amount from 0 up."),
        ({"best_case": "1e20"}, 400, "The best case is an amount from 0 up."),
        ({"best_case": 1e300}, 400, "from 0 up"),
        ({"period": "2026-W32"}, 400, "Forecast a month, a quarter or a year, not 2026-W32."),
        ({"period": "someday"}, 400, "someday"),
        ({"period": "2026-Q2"}, 400, "2026-Q2 was over before the week of 03 Aug 2026."),
        ({"period": "2026-Q3" * 4}, 422, ""),
        ({"commit": "1" * 41}, 422, ""),
        ({"commit": True}, 422, ""),
        ({"commit": None}, 422, ""),
        ({"note": "x" * 2001}, 422, ""),
        ({"period": None}, 422, ""),
    ],
)
def test_a_bad_call_is_a_plain_error_and_writes_nothing(client, org, body, status, words):
    client.force_login(org.rep)
    response = _post(client, LIST, **{"period": "2026-Q3", "commit": 1, "best_case": 1, **body})
    assert response.status_code == status, response.json()
    assert words in str(response.json()["detail"])
    assert not ForecastSubmission.objects.exists() and not AuditEntry.objects.exists()


def test_the_commit_includes_what_is_won_already(client, org):
    _won(org.rep, 500, date(2026, 7, 20))
    client.force_login(org.rep)
    response = _post(client, LIST, period="2026-Q3", commit=400, best_case=600)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The commit includes what is won already in 2026-Q3 (500.00): it is at least that."
    )
    assert _post(client, LIST, period="2026-Q3", commit=500, best_case=600).status_code == 201


def test_the_list_is_scoped_a_rep_never_sees_another_reps_calls(client, org, token):
    _call(org.rep, commit=10, best_case=10)
    _call(org.rep2, commit=20, best_case=20)
    _call(org.other_rep, commit=30, best_case=30, period="2026-Q4")
    _call(org.manager, commit=40, best_case=40)

    def commits(who, **query):
        response = client.get(LIST, query, headers=token(who))
        assert response.status_code == 200, response.json()
        return [row["commit"] for row in response.json()]

    assert commits(org.rep) == ["10.00"]
    assert commits(org.rep2) == ["20.00"]
    assert commits(org.manager) == ["40.00", "20.00", "10.00"]  # by period, then e-mail
    assert commits(org.other_manager) == ["30.00"]
    assert commits(org.executive) == ["40.00", "20.00", "10.00", "30.00"]
    assert commits(org.manager, person="REP@acme.test") == ["10.00"]
    assert commits(org.executive, period="2026-q4") == ["30.00"]
    hidden = client.get(LIST, {"person": "rep2@acme.test"}, headers=token(org.rep))
    assert hidden.status_code == 404
    assert "among the people you may see" in hidden.json()["detail"]
    bad = client.get(LIST, {"period": "2026-W32"}, headers=token(org.rep))
    assert bad.status_code == 400 and "not 2026-W32" in bad.json()["detail"]
    assert client.get(LIST, {"person": "x" * 255}, headers=token(org.rep)).status_code == 422


def test_a_manager_adjusts_their_reps_call_beside_it(client, org, token):
    call = _call(org.rep, commit=100, best_case=150)
    adjust = _adjust(call)
    manager = token(org.manager, "read", "write")
    body = {"commit": 80, "best_case": "140", "note": "Initech slips"}
    client.force_login(org.rep)
    refused = _post(client, adjust, **body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Only admins and managers may adjust a forecast; your role is rep."
    )
    client.logout()
    elsewhere = token(org.other_manager, "read", "write")
    assert _post(client, adjust, elsewhere, **body).status_code == 404
    assert _post(client, adjust, token(org.manager), **body).status_code == 403  # read only
    assert _post(client, adjust, manager, commit=80, best_case=140).status_code == 422
    why = _post(client, adjust, manager, commit=80, best_case=140, note="  ")
    assert why.status_code == 400 and why.json()["detail"].startswith("Say why you adjust it")
    response = _post(client, adjust, manager, **body)
    assert response.status_code == 200, response.json()
    out = response.json()
    assert (out["commit"], out["manager_commit"], out["manager_best_case"]) == (
        "100.00",
        "80.00",
        "140.00",
    )
    assert out["manager_note"] == "Initech slips"
    call.refresh_from_db()
    assert call.commit == 100 and call.adjustment.adjusted_by == org.manager
    [seen] = client.get(LIST, headers=token(org.rep)).json()  # the rep sees their call
    assert seen["manager_commit"] == "80.00"
    own = _call(org.manager)
    mine = _post(client, _adjust(own), manager, **body)
    assert mine.status_code == 403
    assert mine.json()["detail"] == "You cannot adjust Max Manager's forecast."
    with time_machine.travel(SATURDAY, tick=False):
        locked = _post(client, adjust, manager, **body)
    assert locked.status_code == 400
    assert locked.json()["detail"] == "The week of 03 Aug is locked: its forecasts stand as made."
    assert ForecastAdjustment.objects.count() == 1
    assert AuditEntry.objects.filter(action="forecast.adjust").count() == 1


WEEKS = [date(2026, 7, 6), date(2026, 8, 3), date(2026, 9, 7)]


def _history(person, commits):
    for commit, week in zip(commits, WEEKS, strict=True):
        services.forecast_submit(
            actor=None, person=person, period="2026-Q3", commit=commit, best_case=commit, week=week
        )


def test_accuracy_per_person_the_caller_may_see_and_for_them_together(client, org, token):
    _won(org.rep, 1000, date(2026, 9, 10))
    _won(org.rep2, 1000, date(2026, 9, 11))
    _history(org.rep, [1500, 1200, 1100])  # over-calls
    _history(org.rep2, [500, 800, 900])  # sandbags
    _history(org.other_rep, [100, 100, 100])  # nothing won: no error to measure

    def accuracy(who, **query):
        response = client.get(ACCURACY, {"period": "2026-Q3", **query}, headers=token(who))
        assert response.status_code == 200, response.json()
        return response.json()

    with time_machine.travel(datetime(2026, 9, 30, 12, tzinfo=UTC), tick=False):
        early = accuracy(org.manager)
    assert [p["why"] for p in early["people"]] == ["2026-Q3 is not over: not enough data yet"] * 2
    assert early["team"]["mean_abs_error"] is None
    with time_machine.travel(datetime(2026, 10, 1, 12, tzinfo=UTC), tick=False):
        manager = accuracy(org.manager)
        rep = accuracy(org.rep)
        south = accuracy(org.other_manager)
        narrowed = accuracy(org.manager, person="rep2@acme.test")
        everyone = accuracy(org.admin)
        out = StringIO()
        call_command("forecast", "accuracy", "--period", "2026-Q3", "--format", "json", stdout=out)
        missing = client.get(ACCURACY, headers=token(org.rep))
        query = {"period": "2026-Q3", "person": "rep@acme.test"}
        hidden = client.get(ACCURACY, query, headers=token(org.rep2))
        bad = client.get(ACCURACY, {"period": "2026-W40"}, headers=token(org.rep))
    assert manager["period"] == "2026-Q3"
    over, under = manager["people"]
    assert (over["person"], over["submissions"], over["won"]) == ("rep@acme.test", 3, "1000.00")
    assert over["mean_abs_error"] == pytest.approx(0.2667, abs=1e-4)
    assert over["bias"] == pytest.approx(0.2667, abs=1e-4)
    assert (under["person"], under["bias"]) == ("rep2@acme.test", pytest.approx(-0.2667, abs=1e-4))
    assert manager["team"] == {
        "submissions": 6,
        "won": "2000.00",  # what the two won together (the weights: 6,000 over 6 calls)
        "mean_abs_error": pytest.approx(1600 / 6000, abs=1e-4),
        "bias": 0.0,
        "why": "",
    }
    assert [p["person"] for p in rep["people"]] == ["rep@acme.test"]  # never rep2's
    assert rep["team"]["submissions"] == 3
    assert [p["person"] for p in south["people"]] == ["otherrep@acme.test"]
    assert south["people"][0]["why"].startswith("nothing was won")
    assert [p["person"] for p in narrowed["people"]] == ["rep2@acme.test"]
    assert everyone == json.loads(out.getvalue())  # an admin sees what the command prints
    assert missing.status_code == 422
    assert hidden.status_code == 404
    assert bad.status_code == 400 and "not 2026-W40" in bad.json()["detail"]


def test_the_list_costs_a_few_queries_however_many_calls(
    client, org, token, django_assert_max_num_queries
):
    headers = token(org.executive)
    for person in (org.rep, org.rep2, org.other_rep, org.inside_rep, org.manager):
        for period in ("2026-Q3", "2026-Q4", "2026-09", "2026"):
            _call(person, period=period)
        with time_machine.travel(SATURDAY, tick=False):
            _call(person)  # next week's
    client.get(LIST, headers=headers)  # the token's first use records it
    with django_assert_max_num_queries(12):
        response = client.get(LIST, headers=headers)
    assert len(response.json()) == 25
