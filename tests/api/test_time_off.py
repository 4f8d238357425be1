"""Time off through the API: the same service as the page, scoped to the caller."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.org import services
from accountable.org.models import TimeOff

pytestmark = pytest.mark.django_db

LIST = reverse("api:time_off_list")


def _post(client, headers, **body):
    return client.post(LIST, body, content_type="application/json", headers=headers)


def test_a_manager_records_time_off_for_their_rep_with_a_write_token(client, org, token):
    headers = token(org.manager, "read", "write")
    body = {"person": "REP@acme.test", "first_day": "2026-08-24", "last_day": "2026-08-28"}
    response = _post(client, headers, **body, note="Summer")
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["person"] == "rep@acme.test" and out["name"] == "Rita Rep"
    assert (out["first_day"], out["last_day"], out["note"]) == (
        "2026-08-24",
        "2026-08-28",
        "Summer",
    )
    assert AuditEntry.objects.filter(action="time_off.create", actor=org.manager).exists()
    # Posting it again changes nothing: 200, still one span.
    again = _post(client, headers, **body, note="Summer")
    assert again.status_code == 200 and TimeOff.objects.count() == 1


def test_without_a_person_it_is_the_callers_own(client, org):
    client.force_login(org.rep)
    response = _post(client, {}, first_day="2026-08-24", last_day="2026-08-24")
    assert response.status_code == 201
    assert TimeOff.objects.get().person == org.rep


def test_a_read_token_may_not_record(client, org, token):
    response = _post(client, token(org.manager), first_day="2026-08-24", last_day="2026-08-24")
    assert response.status_code == 403
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("who", "whom", "status"),
    [("manager", "other_rep", 404), ("rep", "rep2", 404), ("executive", "rep", 403)],
)
def test_others_out_of_reach_are_refused(client, org, who, whom, status):
    client.force_login(getattr(org, who))
    email = getattr(org, whom).email
    response = _post(client, {}, person=email, first_day="2026-08-24", last_day="2026-08-24")
    assert response.status_code == status, response.json()
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"first_day": "2026-08-28", "last_day": "2026-08-24"}, 400, "before the first"),
        ({"first_day": "2026-08-26", "last_day": "2026-09-02"}, 400, "already off"),
        ({"first_day": "9999-12-31", "last_day": "9999-12-31"}, 422, ""),
        ({"first_day": "2026-08-24"}, 422, ""),
        ({"first_day": "2026-08-31", "last_day": "2026-08-31", "note": "x" * 121}, 422, ""),
    ],
)
def test_bad_input_is_a_plain_error_and_changes_nothing(client, org, body, status, words):
    services.time_off_record(
        actor=None, person=org.rep, first_day=date(2026, 8, 24), last_day=date(2026, 8, 28)
    )
    client.force_login(org.rep)
    response = _post(client, {}, **body)
    assert response.status_code == status
    assert words in str(response.json()["detail"])
    assert TimeOff.objects.count() == 1


def test_the_list_is_scoped_and_filtered(client, org, token):
    for person, first in ((org.rep, 3), (org.rep2, 10), (org.other_rep, 17)):
        services.time_off_record(
            actor=None, person=person, first_day=date(2026, 8, first), last_day=date(2026, 8, first)
        )
    headers = token(org.manager)
    emails = [row["person"] for row in client.get(LIST, headers=headers).json()]
    assert emails == ["rep@acme.test", "rep2@acme.test"]
    since = client.get(LIST, {"since": "2026-08-04"}, headers=headers).json()
    assert [row["person"] for row in since] == ["rep2@acme.test"]
    one = client.get(LIST, {"person": "rep@acme.test"}, headers=headers).json()
    assert [row["first_day"] for row in one] == ["2026-08-03"]
    hidden = client.get(LIST, {"person": "otherrep@acme.test"}, headers=headers)
    assert hidden.status_code == 404


def test_removing_time_off(client, org, token):
    span, _ = services.time_off_record(
        actor=None, person=org.rep, first_day=date(2026, 8, 24), last_day=date(2026, 8, 28)
    )
    url = reverse("api:time_off_delete", args=[span.pk])
    assert client.delete(url, headers=token(org.manager)).status_code == 403  # read token
    assert client.delete(url, headers=token(org.other_manager, "read", "write")).status_code == 404
    response = client.delete(url, headers=token(org.manager, "read", "write"))
    assert response.status_code == 204
    assert not TimeOff.objects.exists()
    assert AuditEntry.objects.filter(action="time_off.delete", actor=org.manager).exists()
