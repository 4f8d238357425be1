"""Who may use the API token pages. Everyone signed in has tokens of their own;
a token can be revoked by its owner or an admin, and is invisible (404, never 403)
to everyone else."""

from __future__ import annotations

from django.urls import reverse

from accountable.tokens.models import ApiToken
from accountable.tokens.services import token_create
from tests.conftest import Org
from tests.test_permissions import HIDDEN, LOGIN, NOT_ALLOWED, OK, Case, everyone, url

REDIRECT = 302  # back to the list after a revocation


def _revoke_url_of_reps_token(org: Org) -> str:
    token = ApiToken.objects.filter(person=org.rep, name="Rep's sync").first()
    if token is None:
        token, _ = token_create(actor=org.rep, name="Rep's sync", scopes=["read"])
    return reverse("tokens:revoke", kwargs={"pk": token.pk})


OWNER_OR_ADMIN = {
    "anonymous": LOGIN,
    "rep": OK,
    "manager": HIDDEN,
    "executive": HIDDEN,
    "admin": OK,
}

CASES: dict[str, list[Case]] = {
    "tokens:list": [
        Case(url("tokens:list"), everyone(OK)),
        Case(url("tokens:list"), everyone(NOT_ALLOWED, anonymous=LOGIN), method="post"),
    ],
    "tokens:new": [
        Case(url("tokens:new"), everyone(OK)),
        Case(
            url("tokens:new"),
            everyone(OK),
            method="post",
            data={"name": "", "access": "read", "expires": "90"},
            note="a form without a name is shown again with its error",
        ),
    ],
    "tokens:revoke": [
        Case(
            _revoke_url_of_reps_token,
            OWNER_OR_ADMIN,
            note="a rep's token: only the rep and admins (even the rep's manager gets 404)",
        ),
        Case(
            _revoke_url_of_reps_token,
            {**OWNER_OR_ADMIN, "rep": REDIRECT, "admin": REDIRECT},
            method="post",
            note="revoked, then back to the list",
        ),
    ],
}
