"""Sign-in, lock-out, password change and reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client, org):
    response = client.post(reverse("login"), {"username": "rep@acme.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_repeated_failures_lock_the_account_for_that_address(client, org, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "rep@acme.test", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "rep@acme.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_password_reset_by_email_end_to_end(client, org):
    client.post(reverse("password_reset"), {"email": "REP@acme.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-42", "new_password2": "a-brand-new-pass-42"},
    )
    assert response.status_code == 302
    org.rep.refresh_from_db()
    assert org.rep.check_password("a-brand-new-pass-42")


def test_reset_for_an_unknown_address_reveals_nothing(client, org):
    response = client.post(reverse("password_reset"), {"email": "nobody@acme.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_needs_the_old_password(client, org):
    client.force_login(org.rep)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another-pass-77",
            "new_password2": "another-pass-77",
        },
    )
    assert "old password was entered incorrectly" in response.content.decode()
    org.rep.refresh_from_db()
    assert org.rep.check_password(PASSWORD)
