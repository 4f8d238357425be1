"""API tokens: how a script or an integration calls the REST API as a person.

A token acts as the person who made it, so it sees exactly what they see in
the browser, and no more. Its scopes narrow that further: "read" fetches,
"write" also uploads data in bulk. Only a hash of the secret is stored; the
secret itself is shown once, when the token is made.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Scope(models.TextChoices):
    """What a token may do, on top of what its person may see."""

    READ = "read", "Read"
    WRITE = "write", "Write"


class TokenStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A named, scoped key to the API for one person.

    The secret reads `acc_<prefix>_<random>`. `prefix` is stored in clear to
    find the token and to tell tokens apart on screen; `key_hash` is the
    SHA-256 of the whole secret, compared in constant time.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} (acc_{self.prefix}…)"

    @property
    def display_prefix(self) -> str:
        """What the screen shows of the secret: enough to recognise it, no more."""
        return f"acc_{self.prefix}_…"

    def status(self, now: datetime | None = None) -> TokenStatus:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    @property
    def status_label(self) -> str:
        return self.status().label

    @property
    def is_usable(self) -> bool:
        return self.status() == TokenStatus.ACTIVE

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
