"""The warning endpoints: scoped reads, audited writes, the same names as the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accountable.crm.models import Feedback
from accountable.signals.models import WarningSign, WarningStatus
from accountable.signals.services import signals_run
from accountable.tokens.services import token_create

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


def headers(person, *scopes: str) -> dict[str, str]:
    _, secret = token_create(actor=person, name="test", scopes=list(scopes or ["read"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def warned(org):
    for person in (org.rep, org.other_rep):
        for days in (3, 30):
            Feedback.objects.create(
                person=person, kind=Feedback.Kind.COMPLAINT, received_on=AS_OF - timedelta(days)
            )
    signals_run(as_of=AS_OF)
    return org


def test_warnings_are_listed_for_the_people_the_caller_may_see(client, warned):
    rows = client.get(reverse("api:warnings"), **headers(warned.manager)).json()
    assert [(r["person"], r["kind"], r["status"]) for r in rows] == [
        ("rep@acme.test", "complaints", "open")
    ]
    assert rows[0]["evidence"]["complaints_91d"] == 2
    everyone = client.get(reverse("api:warnings"), **headers(warned.admin)).json()
    assert {r["person"] for r in everyone} == {"rep@acme.test", "otherrep@acme.test"}
    bad = client.get(reverse("api:warnings"), {"status": "gone"}, **headers(warned.admin))
    assert bad.status_code == 400


def test_acknowledge_and_resolve_through_the_api(client, warned):
    warning = WarningSign.objects.get(person=warned.rep)
    url = reverse("api:warning_acknowledge", kwargs={"warning_id": warning.pk})
    body = {"note": "1:1 on Thursday."}
    read_only = client.post(url, body, content_type="application/json", **headers(warned.manager))
    assert read_only.status_code == 403
    outsider = client.post(
        url, body, content_type="application/json", **headers(warned.other_manager, "write")
    )
    assert outsider.status_code == 404
    done = client.post(
        url, body, content_type="application/json", **headers(warned.manager, "write")
    )
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    again = client.post(
        url, body, content_type="application/json", **headers(warned.manager, "write")
    )
    assert again.status_code == 400
    assert "acknowledged already" in again.json()["detail"]
    resolve = reverse("api:warning_resolve", kwargs={"warning_id": warning.pk})
    client.post(
        resolve,
        {"note": "Fine now."},
        content_type="application/json",
        **headers(warned.admin, "write"),
    )
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RESOLVED


def test_diagnosis_and_rights(client, warned):
    rows = client.get(
        reverse("api:diagnosis"), {"as_of": "2026-08-17"}, **headers(warned.manager)
    ).json()
    # The manager's reps (the manager is not a rep, so has no diagnosis).
    assert {r["person"] for r in rows} == {"rep@acme.test", "rep2@acme.test"}
    assert set(rows[0]) == {
        "person",
        "period",
        "cause",
        "effort",
        "message",
        "next_step",
        "evidence",
    }
    rights = client.get(
        reverse("api:rights"),
        {"as_of": "2026-08-17", "person": "rep@acme.test"},
        **headers(warned.manager),
    ).json()
    assert rights[0]["right_way"]["status"] == "fail"
    # No activity and no deals: not enough data, never a pass or "none".
    assert rights[0]["right_thing"]["status"] == "unknown"
    assert {(r["cause"], r["effort"]) for r in rows} == {("unknown", "unknown")}
    assert rows[0]["message"].startswith("Not enough history to judge yet")
    hidden = client.get(
        reverse("api:rights"), {"person": "otherrep@acme.test"}, **headers(warned.manager)
    )
    assert hidden.status_code == 404


def test_the_schema_names_unknown_as_a_status_and_a_cause(client):
    spec = client.get(reverse("api:openapi-json")).json()
    schemas = spec["components"]["schemas"]
    assert schemas["RightOut"]["properties"]["status"]["enum"] == [
        "pass",
        "warn",
        "fail",
        "unknown",
    ]
    assert "unknown" in schemas["DiagnosisOut"]["properties"]["cause"]["enum"]
    assert "unknown" in schemas["DiagnosisOut"]["properties"]["effort"]["enum"]
