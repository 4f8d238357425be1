from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client):
    with mock.patch(
        "accountable.core.views.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_api_people_is_scoped_to_the_caller(client, org):
    client.force_login(org.manager)
    emails = {p["email"] for p in client.get("/api/v1/people").json()}
    assert emails == {org.manager.email, org.rep.email, org.rep2.email}


def test_api_period_parses_labels_and_explains_bad_ones(client, org):
    client.force_login(org.rep)
    body = client.get("/api/v1/periods/2026-q3", {"as_of": "2026-08-17"}).json()
    assert body["label"] == "2026-Q3"
    assert body["start"] == "2026-07-01" and body["end"] == "2026-09-30"
    assert 0.5 < body["elapsed_fraction"] < 0.6
    response = client.get("/api/v1/periods/2026-Q5")
    assert response.status_code == 400
    assert "2026-Q5" in response.json()["detail"]


def test_api_needs_a_signed_in_caller(client):
    assert client.get(reverse("api:me")).status_code == 401
