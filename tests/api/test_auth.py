"""API authentication: tokens or the session; bad tokens get 401 with a reason;
scopes and roles get 403 before the request body is even read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accountable.tokens.models import ApiToken
from accountable.tokens.services import token_create, token_revoke
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_no_token_and_no_session_is_401_with_a_hint(client):
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_acts_as_its_person(client, org, token):
    response = client.get(reverse("api:me"), headers=token(org.rep))
    assert response.status_code == 200
    assert response.json()["email"] == org.rep.email


def test_the_lowercase_scheme_works_too(client, org):
    _, secret = token_create(actor=org.rep, name="t", scopes=["read"])
    response = client.get(reverse("api:me"), headers={"Authorization": f"bearer {secret}"})
    assert response.status_code == 200


def test_a_revoked_token_is_401_even_with_a_session(client, org):
    api_token, secret = token_create(actor=org.rep, name="t", scopes=["read"])
    token_revoke(actor=org.rep, token=api_token)
    response = client.get(reverse("api:me"), headers=bearer(secret))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    client.force_login(org.rep)
    assert client.get(reverse("api:me"), headers=bearer(secret)).status_code == 401
    assert client.get(reverse("api:me")).status_code == 200


def test_an_unknown_token_is_401(client, org):
    response = client.get(reverse("api:me"), headers=bearer("acc_deadbeef_nope"))
    assert response.status_code == 401
    assert "Unknown API token" in response.json()["detail"]


def test_a_token_of_someone_who_left_is_401(client, org, token):
    headers = token(org.rep)
    org.rep.is_active = False
    org.rep.save()
    assert client.get(reverse("api:me"), headers=headers).status_code == 401


def test_using_a_token_notes_when(client, org, token):
    headers = token(org.rep)
    client.get(reverse("api:me"), headers=headers)
    assert ApiToken.objects.get(person=org.rep).last_used_at is not None


def test_a_read_only_token_may_not_upload(client, org, token):
    response = client.post(
        reverse("api:bulk_deals"),
        {"rows": []},
        content_type="application/json",
        headers=token(org.manager, "read"),
    )
    assert response.status_code == 403
    assert "needs the write scope" in response.json()["detail"]


@pytest.mark.parametrize("who", ["rep", "executive"])
def test_reps_and_executives_may_not_upload(client, org, who):
    person = getattr(org, who)
    # Their own write token cannot be made; an admin demoted later keeps one.
    person_role = person.role
    person.role = "admin"
    _, secret = token_create(actor=person, name="t", scopes=["read", "write"])
    person.role = person_role
    person.save()
    response = client.post(
        reverse("api:bulk_deals"),
        {"rows": []},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 403
    assert "Only admins and managers may upload deals" in response.json()["detail"]


def test_a_manager_may_not_upload_people(client, org, token):
    response = client.post(
        reverse("api:bulk_people"),
        {"rows": []},
        content_type="application/json",
        headers=token(org.manager, "read", "write"),
    )
    assert response.status_code == 403
    assert "Only admins may upload people" in response.json()["detail"]


def test_session_writes_need_the_csrf_token(org):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.manager)
    response = browser.post(
        reverse("api:bulk_deals"), {"rows": []}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_token_writes_need_no_csrf_token(org, token):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("api:bulk_deals"),
        {"rows": [], "dry_run": True},
        content_type="application/json",
        headers=token(org.manager, "read", "write"),
    )
    assert response.status_code != 403


def test_a_refusal_names_the_roles_in_plain_words(org):
    from ninja.errors import HttpError

    from accountable.api.auth import _check_role

    with pytest.raises(HttpError) as refused:
        _check_role(
            org.executive, ["admin", "manager", "rep", "outside_sales"], "submit a forecast"
        )
    said = str(refused.value)
    assert said.startswith("Only admins, managers, reps and outside sales may submit a forecast")
    assert said.endswith("; your role is executive.")
