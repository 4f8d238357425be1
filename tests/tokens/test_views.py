"""The API token pages: list, create (secret shown once), revoke with a confirmation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accountable.tokens.models import ApiToken
from accountable.tokens.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_the_list_shows_my_tokens_and_not_others(client, org):
    token_create(actor=org.rep, name="Rita's sheet", scopes=["read"])
    token_create(actor=org.rep2, name="Rob's sheet", scopes=["read"])
    client.force_login(org.rep)
    page = client.get(reverse("tokens:list")).content.decode()
    assert "Rita&#x27;s sheet" in page and "Rob&#x27;s sheet" not in page
    assert "Everyone else" not in page


def test_an_admin_sees_everyones_tokens_to_revoke_them(client, org):
    token_create(actor=org.rep, name="Rita's sheet", scopes=["read"])
    client.force_login(org.admin)
    page = client.get(reverse("tokens:list")).content.decode()
    assert "Everyone else\N{RIGHT SINGLE QUOTATION MARK}s tokens" in page and "Rita Rep" in page
    assert "You have no API tokens yet" in page


def test_creating_a_token_shows_the_secret_once(client, org):
    client.force_login(org.manager)
    response = client.post(
        reverse("tokens:new"), {"name": "CRM sync", "access": "write", "expires": "90"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(person=org.manager)
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "only time it is shown" in response.content.decode()
    assert token_authenticate(secret) == token
    assert token.scopes == ["read", "write"] and token.expires_at is not None

    listing = client.get(reverse("tokens:list")).content.decode()
    assert "CRM sync" in listing and token.prefix in listing
    assert secret not in listing


def test_a_token_that_never_expires(client, org):
    client.force_login(org.rep)
    client.post(reverse("tokens:new"), {"name": "Forever", "access": "read", "expires": "0"})
    assert ApiToken.objects.get(person=org.rep).expires_at is None


def test_a_rep_is_offered_read_only(client, org):
    client.force_login(org.rep)
    page = client.get(reverse("tokens:new")).content.decode()
    assert "Read only" in page and "Read and write" not in page
    response = client.post(
        reverse("tokens:new"), {"name": "Sneaky", "access": "write", "expires": "90"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_nameless_token_is_refused_with_a_message(client, org):
    client.force_login(org.rep)
    response = client.post(reverse("tokens:new"), {"name": "  ", "access": "read", "expires": "90"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_revokes(client, org):
    token, _ = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    client.force_login(org.rep)
    confirm = client.get(reverse("tokens:revoke", args=[token.pk]))
    assert "Revoke “Sheet”?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(reverse("tokens:revoke", args=[token.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tokens:list")
    page = response.content.decode()
    assert "Revoked “Sheet”" in page and "Revoked</span>" in page
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked_even_by_their_manager(client, org):
    token, _ = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    client.force_login(org.manager)
    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_user_menu_links_to_the_tokens(client, org):
    client.force_login(org.rep)
    assert reverse("tokens:list") in client.get(reverse("home")).content.decode()
