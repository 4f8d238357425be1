"""Recording audit entries. Every service that changes audited data calls this."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from accountable.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(item) for item in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited fields of an object, JSON-safe (foreign keys by their name)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def _entry(
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry | None:
    """The entry of one change, unsaved: unchanged fields dropped; None for no change."""
    before = before or {}
    after = after or {}
    keys = set(before) | set(after)
    changed = {key for key in keys if before.get(key) != after.get(key)}
    if keys and not changed:
        return None
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before={key: before.get(key) for key in sorted(changed) if key in before},
        after={key: after.get(key) for key in sorted(changed) if key in after},
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Record a change. Unchanged fields are dropped; a change of nothing records nothing."""
    entry = _entry(actor, action, obj, before, after)
    if entry is not None:
        entry.save()
    return entry


def audit_records(
    *,
    actor: Any,
    action: str,
    changes: Iterable[tuple[models.Model, dict[str, Any], dict[str, Any]]],
) -> int:
    """Record many changes of one kind, (object, before, after) each, in a few inserts (a
    bulk write's); the same entries `audit_record` would make. Returns how many."""
    entries = [_entry(actor, action, obj, before, after) for obj, before, after in changes]
    kept = [entry for entry in entries if entry is not None]
    AuditEntry.objects.bulk_create(kept, batch_size=1000)
    return len(kept)
