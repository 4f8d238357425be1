"""Making, checking and revoking API tokens. Creation and revocation are audited.

A secret reads `acc_<prefix>_<random>`: `acc_` says what it is (secret
scanners can match it), the 8-character prefix finds the row, and the rest
is 256 random bits. Only its SHA-256 is stored; with that much randomness a
fast hash is enough, and `hmac.compare_digest` keeps the comparison constant
in time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.org import abilities
from accountable.org.models import Person
from accountable.tokens.models import ApiToken, Scope, TokenStatus
from accountable.tokens.selectors import can_manage_token

SECRET_PREFIX = "acc"  # noqa: S105 - the marker every secret starts with, not a secret
# last_used_at is for people deciding which token to revoke, not an access
# log: one write a minute per token keeps busy integrations off the database.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Uploading data is for whoever may import something (`abilities.ANY_IMPORT`); a
# write token for anyone else could never be used, so none is made.
AUDITED_FIELDS = ["person", "name", "scopes", "expires_at", "revoked_at"]
# Compared against when no token has the prefix, so that an unknown prefix
# costs the same time as a wrong secret.
_NO_SUCH_HASH = hashlib.sha256(b"no such token").hexdigest()


class TokenError(ValueError):
    """A token that cannot be made, or a secret that does not open the API; the message says why."""


def hash_secret(secret: str) -> str:
    """The stored form of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def scopes_allowed(person: Person) -> list[str]:
    """The scopes a token of this person can usefully carry."""
    if any(abilities.may(person, ability) for ability in abilities.ANY_IMPORT):
        return [Scope.READ, Scope.WRITE]
    return [Scope.READ]


def _clean_scopes(person: Person, scopes: Iterable[str]) -> list[str]:
    wanted = set(scopes)
    unknown = wanted - set(Scope.values)
    if unknown:
        raise TokenError(f"Unknown scope {sorted(unknown)[0]!r}: use read or write.")
    if not wanted:
        raise TokenError("Choose what the token may do: read, or read and write.")
    if not wanted <= set(scopes_allowed(person)):
        raise TokenError(
            "Only admins and managers upload data, so a write token would not work "
            "for you. Choose read only."
        )
    return [scope for scope in Scope.values if scope in wanted]


def _new_secret() -> tuple[str, str]:
    """A fresh (prefix, secret) pair whose prefix no token uses yet."""
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix, f"{SECRET_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def token_create(
    *,
    actor: Person,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the actor themself, and its secret (shown once, never stored).

    Tokens act as the person who made it: nobody makes tokens for someone else.
    """
    name = " ".join(name.split())
    if not name:
        raise TokenError("Give the token a name that says what uses it, e.g. “CRM nightly sync”.")
    if len(name) > 100:
        raise TokenError("Keep the name to 100 characters.")
    if not actor.is_active:
        raise TokenError("People who have left cannot make API tokens.")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("The expiry date has already passed; choose a later one.")
    scopes = _clean_scopes(actor, scopes)
    prefix, secret = _new_secret()
    token = ApiToken.objects.create(
        person=actor,
        name=name,
        prefix=prefix,
        key_hash=hash_secret(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor, action="api_token.create", obj=token, after=snapshot(token, AUDITED_FIELDS)
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Person, token: ApiToken) -> ApiToken:
    """Stop a token working, at once and for good. Its owner or an admin may.

    Revoking a revoked token changes nothing (and records nothing).
    """
    if not can_manage_token(actor, token):
        raise PermissionDenied("Only the token's owner or an admin can revoke it.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = snapshot(token, AUDITED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        before=before,
        after=snapshot(token, AUDITED_FIELDS),
    )
    return token


def token_authenticate(secret: str, *, now: datetime | None = None) -> ApiToken:
    """The token a secret belongs to, if it still opens the API; TokenError if not.

    Notes when it was last used (at most once a minute). The token's person
    comes with it (`token.person`), so callers can act as them.
    """
    now = now or timezone.now()
    parts = secret.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != SECRET_PREFIX or len(parts[1]) != 8:
        raise TokenError("That is not an Accountable API token; tokens start with acc_.")
    token = ApiToken.objects.select_related("person").filter(prefix=parts[1]).first()
    stored = token.key_hash if token else _NO_SUCH_HASH
    if not hmac.compare_digest(stored, hash_secret(secret.strip())) or token is None:
        raise TokenError("Unknown API token. Check it was copied whole, or make a new one.")
    status = token.status(now)
    if status == TokenStatus.REVOKED:
        raise TokenError(f"This API token was revoked on {token.revoked_at:%Y-%m-%d}.")
    if status == TokenStatus.EXPIRED:
        raise TokenError(f"This API token expired on {token.expires_at:%Y-%m-%d}.")
    if not token.person.is_active:
        raise TokenError("This API token belongs to someone who can no longer sign in.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_write_record(*, token: ApiToken, call: str) -> None:
    """Each use of a token to change data is in the audit trail, under the token's
    person, naming the token and the call ("POST /api/v1/deals/bulk"); what the call
    then changed is recorded by the service it reaches (an import, for a bulk call)."""
    audit_record(actor=token.person, action="api_token.write", obj=token, after={"call": call})
