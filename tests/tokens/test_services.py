"""Tokens: the secret is shown once and stored only as a hash; revoked, expired or
orphaned tokens stop working; only the owner or an admin may revoke."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accountable.audit.models import AuditEntry
from accountable.tokens.models import ApiToken, TokenStatus
from accountable.tokens.selectors import token_list
from accountable.tokens.services import (
    TokenError,
    token_authenticate,
    token_create,
    token_revoke,
)

pytestmark = pytest.mark.django_db


def test_a_new_token_keeps_only_the_hash_of_its_secret(org):
    token, secret = token_create(actor=org.manager, name="  CRM   sync ", scopes=["write", "read"])
    assert secret.startswith(f"acc_{token.prefix}_")
    assert len(token.prefix) == 8 and len(secret) > 50
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.name == "CRM sync"
    assert token.scopes == ["read", "write"]
    assert token.person == org.manager


def test_each_token_gets_its_own_prefix_and_secret(org):
    pairs = [token_create(actor=org.rep, name=f"t{i}", scopes=["read"]) for i in range(5)]
    assert len({token.prefix for token, _ in pairs}) == 5
    assert len({secret for _, secret in pairs}) == 5


def test_creation_is_audited_without_the_secret(org):
    token, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor == org.rep and entry.object_id == str(token.pk)
    assert entry.after["scopes"] == ["read"]
    assert secret not in str(entry.after) and token.key_hash not in str(entry.after)


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("   ", ["read"], "Give the token a name"),
        ("x" * 101, ["read"], "100 characters"),
        ("Sync", [], "Choose what the token may do"),
        ("Sync", ["admin"], "Unknown scope 'admin'"),
    ],
)
def test_bad_input_is_refused_with_a_message(org, name, scopes, message):
    with pytest.raises(TokenError, match=message):
        token_create(actor=org.manager, name=name, scopes=scopes)
    assert not ApiToken.objects.exists()


def test_a_write_token_is_only_for_roles_that_may_upload(org):
    with pytest.raises(TokenError, match="Only admins and managers upload data"):
        token_create(actor=org.rep, name="Sync", scopes=["read", "write"])
    with pytest.raises(TokenError, match="Only admins and managers upload data"):
        token_create(actor=org.executive, name="Sync", scopes=["write"])
    token, _ = token_create(actor=org.admin, name="Sync", scopes=["read", "write"])
    assert token.allows("write")


def test_an_expiry_in_the_past_is_refused(org):
    with pytest.raises(TokenError, match="already passed"):
        token_create(
            actor=org.rep, name="Old", scopes=["read"], expires_at=timezone.now() - timedelta(1)
        )


def test_the_secret_opens_the_api_and_finds_its_person(org):
    token, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    found = token_authenticate(secret)
    assert found == token and found.person == org.rep


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda s: "", "not an Accountable API token"),
        (lambda s: "Bearer " + s, "not an Accountable API token"),
        (lambda s: s.replace("acc_", "xyz_"), "not an Accountable API token"),
        (lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"), "Unknown API token"),
        (lambda s: "acc_00000000_" + s.split("_", 2)[2], "Unknown API token"),
    ],
)
def test_a_wrong_secret_is_refused(org, mangle, message):
    _, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    with pytest.raises(TokenError, match=message):
        token_authenticate(mangle(secret))


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(org):
    token, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    token_revoke(actor=org.rep, token=token)
    token.refresh_from_db()
    assert token.status() == TokenStatus.REVOKED
    with pytest.raises(TokenError, match="revoked on"):
        token_authenticate(secret)
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.actor == org.rep and entry.before == {"revoked_at": None}


def test_revoking_twice_changes_nothing_more(org):
    token, _ = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    first = token_revoke(actor=org.rep, token=token).revoked_at
    assert token_revoke(actor=org.admin, token=token).revoked_at == first
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_an_expired_token_stops_working(org):
    expires = timezone.now() + timedelta(days=30)
    token, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"], expires_at=expires)
    assert token_authenticate(secret, now=expires - timedelta(seconds=1)) == token
    with pytest.raises(TokenError, match="expired on"):
        token_authenticate(secret, now=expires)
    assert token.status(expires) == TokenStatus.EXPIRED


def test_a_token_of_someone_who_left_stops_working(org):
    _, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    org.rep.is_active = False
    org.rep.save()
    with pytest.raises(TokenError, match="can no longer sign in"):
        token_authenticate(secret)


def test_last_used_is_noted_at_most_once_a_minute(org):
    token, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    with time_machine.travel("2026-08-17 09:00:00Z", tick=False):
        token_authenticate(secret)
    token.refresh_from_db()
    first = token.last_used_at
    with time_machine.travel("2026-08-17 09:00:59Z", tick=False):
        token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel("2026-08-17 09:01:00Z", tick=False):
        token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at - first == timedelta(minutes=1)


def test_only_the_owner_or_an_admin_may_revoke(org):
    token, secret = token_create(actor=org.rep, name="Sheet", scopes=["read"])
    for outsider in (org.manager, org.executive, org.rep2):
        with pytest.raises(PermissionDenied):
            token_revoke(actor=outsider, token=token)
    assert token_authenticate(secret)
    token_revoke(actor=org.admin, token=token)
    assert AuditEntry.objects.get(action="api_token.revoke").actor == org.admin


def test_people_see_their_own_tokens_and_admins_everyones(org):
    mine, _ = token_create(actor=org.rep, name="Mine", scopes=["read"])
    boss, _ = token_create(actor=org.manager, name="Boss", scopes=["read"])
    assert list(token_list(org.rep)) == [mine]
    assert list(token_list(org.manager)) == [boss]
    assert list(token_list(org.executive)) == []
    assert set(token_list(org.admin)) == {mine, boss}
