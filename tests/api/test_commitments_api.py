"""Commitments through the API: the same services and selectors as the pages and the
command line, scoped to the caller; 400 says what is wrong, 403 who may not, 404 what
the caller may not see."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.commitments import services
from accountable.commitments.models import Commitment, State
from tests.crm.factories import DealFactory, ensure_pipeline

pytestmark = pytest.mark.django_db

LIST = reverse("api:commitment_list")
FRI = date(2026, 9, 18)


@pytest.fixture(autouse=True)
def _monday_14_september():
    with time_machine.travel(datetime(2026, 9, 14, 8, tzinfo=UTC), tick=False):
        yield


def _post(client, url, headers=None, **body):
    return client.post(url, body, content_type="application/json", headers=headers or {})


def _url(name: str, commitment: Commitment) -> str:
    return reverse(f"api:{name}", kwargs={"commitment_id": commitment.pk})


def _text(person, text="Send the Globex proposal", due=FRI) -> Commitment:
    return services.commitment_add(actor=None, person=person, text=text, due_on=due)


def test_a_manager_records_a_metric_commitment_for_their_rep(client, org, token):
    headers = token(org.manager, "read", "write")
    body = {"person": "REP@acme.test", "metric": "first_meetings", "value": "6",
            "start": "2026-09-14", "due": "2026-09-18"}  # fmt: skip
    response = _post(client, LIST, headers, **body)
    assert response.status_code == 201, response.json()
    out = response.json()
    made = Commitment.objects.get()
    assert out["id"] == made.pk and made.person == org.rep and made.created_by == org.manager
    assert (out["kind"], out["metric"], out["value"], out["start"], out["due"], out["state"]) == (
        "metric",
        "first_meetings",
        "6.00",
        "2026-09-14",
        "2026-09-18",
        "open",
    )
    assert out["created_by"] == "manager@acme.test" and out["actual"] is None
    assert AuditEntry.objects.filter(action="commitment.create", actor=org.manager).exists()


def test_the_api_answers_the_same_fields_as_the_command_line(client, org):
    ensure_pipeline()
    DealFactory(owner=org.rep, name="Acme renewal", external_id="OPP-1001")
    client.force_login(org.rep)
    response = _post(client, LIST, deal="OPP-1001", due="2026-09-30")
    assert response.status_code == 201, response.json()
    assert response.json()["what"] == "win Acme renewal"
    out = StringIO()
    call_command("commitments", "list", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == [response.json()]
    assert client.get(LIST).json() == [response.json()]


def test_without_a_person_it_is_the_callers_own(client, org):
    client.force_login(org.rep)
    response = _post(client, LIST, text="Call Initech", due="2026-09-16")
    assert response.status_code == 201
    assert response.json()["state"] == "due soon"
    assert Commitment.objects.get().person == org.rep


def test_a_read_token_may_not_record(client, org, token):
    response = _post(client, LIST, token(org.manager), text="x", due="2026-09-18")
    assert response.status_code == 403
    assert "write scope" in response.json()["detail"]
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("who", "whom", "status"),
    [("manager", "other_rep", 404), ("rep", "rep2", 404), ("executive", "rep", 403)],
)
def test_others_out_of_reach_are_refused(client, org, who, whom, status):
    client.force_login(getattr(org, who))
    response = _post(client, LIST, person=getattr(org, whom).email, text="x", due="2026-09-18")
    assert response.status_code == status, response.json()
    if status == 403:
        assert response.json()["detail"] == "You cannot record a commitment for Rita Rep."
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 400, "one of them"),
        ({"text": "x", "metric": "calls", "value": 3}, 400, "one of them"),
        ({"metric": "calls"}, 400, "Say how many"),
        ({"metric": "calls", "value": -3}, 400, "above 0"),
        ({"metric": "nonsense", "value": 3}, 400, "not a metric a commitment"),
        ({"metric": "calls", "value": 3, "start": "2026-09-30"}, 400, "starts after"),
        ({"text": "x", "value": 3}, 400, "A value goes with a metric"),
        ({"deal": "NOPE-1"}, 404, "No deal 'NOPE-1'"),
        ({"text": "x", "due": "9999-12-31"}, 422, ""),
        ({"text": "x" * 301}, 422, ""),
        ({"metric": "calls", "value": "1e40"}, 422, ""),
        ({"metric": "calls", "value": "lots"}, 422, ""),
        ({"text": "x", "due": None}, 422, ""),
    ],
)
def test_bad_input_is_a_plain_error_and_writes_nothing(client, org, body, status, words):
    client.force_login(org.rep)
    response = _post(client, LIST, **{"due": "2026-09-18", **body})
    assert response.status_code == status, response.json()
    assert words in str(response.json()["detail"])
    assert not Commitment.objects.exists() and not AuditEntry.objects.exists()


def test_a_deal_the_person_is_not_credited_with(client, org):
    ensure_pipeline()
    DealFactory(owner=org.rep2, external_id="OPP-2")
    client.force_login(org.manager)  # sees both reps' deals
    response = _post(client, LIST, person="rep@acme.test", deal="OPP-2", due="2026-09-30")
    assert response.status_code == 400
    assert response.json()["detail"] == "Rita Rep is not credited with that deal."


def test_the_list_is_scoped_a_rep_never_sees_another_reps(client, org, token):
    mine = _text(org.rep, "mine")
    _text(org.rep2, "theirs", due=date(2026, 9, 11))
    _text(org.other_rep, "south", due=date(2026, 10, 30))
    texts = lambda who, **query: [  # noqa: E731
        row["text"] for row in client.get(LIST, query, headers=token(who)).json()
    ]
    assert texts(org.rep) == ["mine"]
    assert texts(org.rep2) == ["theirs"]
    assert texts(org.manager) == ["theirs", "mine"]
    assert texts(org.other_manager) == ["south"]
    assert texts(org.executive) == ["theirs", "mine", "south"]
    assert texts(org.manager, person="rep@acme.test") == ["mine"]
    assert texts(org.manager, state="overdue") == ["theirs"]
    assert texts(org.manager, state=["overdue", "open"]) == ["theirs", "mine"]
    # On Wednesday the rep's own is due soon.
    assert texts(org.rep, state="due soon", as_of="2026-09-16") == ["mine"]
    hidden = client.get(LIST, {"person": "rep2@acme.test"}, headers=token(org.rep))
    assert hidden.status_code == 404
    assert client.get(LIST, {"state": "late"}, headers=token(org.rep)).status_code == 422
    assert client.get(LIST, {"as_of": "9999-12-31"}, headers=token(org.rep)).status_code == 422
    one = client.get(_url("commitment_get", mine), headers=token(org.rep))
    assert one.status_code == 200 and one.json()["text"] == "mine"
    assert client.get(_url("commitment_get", mine), headers=token(org.rep2)).status_code == 404
    assert (
        client.get(_url("commitment_get", mine), headers=token(org.other_manager)).status_code
        == 404
    )


def test_a_free_text_commitment_is_reported_then_confirmed(client, org, token):
    commitment = _text(org.rep)
    report, confirm = _url("commitment_report", commitment), _url("commitment_confirm", commitment)
    client.force_login(org.rep2)
    assert _post(client, report, done=True).status_code == 404  # not theirs to see
    client.force_login(org.manager)
    refused = _post(client, report, done=True)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only Rita Rep reports on their own commitment."
    client.force_login(org.rep)
    assert _post(client, report, note="Sent Thu").json()["detail"] == "Say whether it was done."
    response = _post(client, report, note="Sent Thu", done=True)
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["report"]) == ("reported", "Sent Thu")
    assert _post(client, confirm, done=True).status_code == 403  # a rep confirms nothing
    headers = token(org.other_manager, "read", "write")
    assert _post(client, confirm, headers, done=True).status_code == 404
    headers = token(org.manager, "read", "write")
    assert _post(client, confirm, headers).status_code == 422  # done is required
    confirmed = _post(client, confirm, headers, done=False)
    assert confirmed.status_code == 200
    assert confirmed.json()["state"] == "missed" and confirmed.json()["reported_done"] is True
    again = _post(client, confirm, headers, done=True)
    assert again.status_code == 400 and "missed already" in again.json()["detail"]
    commitment.refresh_from_db()
    assert commitment.state == State.MISSED and commitment.confirmed_by == org.manager


def test_the_data_judges_a_metric_commitment_there_is_nothing_to_confirm(client, org):
    commitment = services.commitment_add(
        actor=None, person=org.rep, metric="calls", value=50, start_on=date(2026, 9, 14), due_on=FRI
    )
    client.force_login(org.manager)
    response = _post(client, _url("commitment_confirm", commitment), done=True)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The data judges this commitment: there is nothing to confirm."
    )
    client.force_login(org.rep)
    report = _url("commitment_report", commitment)
    assert _post(client, report).json()["detail"].startswith("Write what happened")
    noted = _post(client, report, note="Two days at the conference")
    assert noted.status_code == 200 and noted.json()["state"] == "open"


def test_withdrawing_with_a_reason(client, org, token):
    commitment = _text(org.rep)
    withdraw = _url("commitment_withdraw", commitment)
    headers = token(org.other_manager, "read", "write")
    assert _post(client, withdraw, headers, reason="x").status_code == 404
    client.force_login(org.executive)  # sees it, may not withdraw it
    assert _post(client, withdraw, reason="x").status_code == 403
    headers = token(org.manager, "read", "write")
    empty = _post(client, withdraw, headers, reason="  ")
    assert empty.status_code == 400 and empty.json()["detail"] == "Say why it is withdrawn."
    assert _post(client, withdraw, headers, reason="x" * 301).status_code == 422
    response = _post(client, withdraw, headers, reason="Territory moved")
    assert response.status_code == 200
    out = response.json()
    assert (out["state"], out["withdrawn_reason"]) == ("withdrawn", "Territory moved")
    again = _post(client, withdraw, headers, reason="again")
    assert again.status_code == 400 and "withdrawn already" in again.json()["detail"]
    assert AuditEntry.objects.filter(action="commitment.withdraw", actor=org.manager).count() == 1
