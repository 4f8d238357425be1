"""Scorecard writes: which metrics make up each role's weighted score, and their weights."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from accountable.audit.services import audit_record
from accountable.org import abilities
from accountable.org.models import Person, Role
from accountable.org.services import organisation_get
from accountable.scorecards.metrics import role_scorecards
from accountable.scorecards.models import MetricKind, RoleScorecard
from accountable.targets.catalogue import BY_KEY

MAX_WEIGHT = 1000


class ScorecardError(ValueError):
    """A scorecard change that cannot be made; the message says why, in plain words."""


class NotAllowed(ScorecardError):
    """The actor's role does not let them make this change."""


def _item(raw: Mapping[str, Any] | Iterable[Any]) -> tuple[str, str, int]:
    if isinstance(raw, Mapping):
        metric, kind, weight = raw.get("metric"), raw.get("kind"), raw.get("weight")
    else:
        metric, kind, weight = raw
    key = str(metric or "").strip().lower()
    meta = BY_KEY.get(key)
    if meta is None or meta.manual:
        known = ", ".join(k for k, m in BY_KEY.items() if not m.manual)
        raise ScorecardError(f'"{metric}" is not a metric a scorecard can use; use one of {known}.')
    if kind not in MetricKind.values:
        raise ScorecardError(
            f'{meta.label}: say whether it is an activity or an outcome, not "{kind}".'
        )
    try:
        number = int(weight)
    except (TypeError, ValueError):
        raise ScorecardError(
            f'{meta.label}: the weight must be a whole number, not "{weight}".'
        ) from None
    if not 1 <= number <= MAX_WEIGHT:
        raise ScorecardError(f"{meta.label}: the weight must be from 1 to {MAX_WEIGHT}.")
    return key, str(kind), number


@transaction.atomic
def role_scorecard_set(
    *, actor: Person, role: str, items: Iterable[Mapping[str, Any] | Iterable[Any]]
) -> list[RoleScorecard]:
    """Set the metrics of a role's weighted scorecard (admins only), replacing the role's
    current ones. Each item is a metric, its kind (activity or outcome) and a weight;
    weights are relative (they are normalised when the score is computed). No items
    puts the role back on the default scorecard. Audited."""
    if not (actor.is_authenticated and abilities.may(actor, abilities.ADMINISTER)):
        raise NotAllowed("Only admins change the scorecards of roles.")
    if role not in Role.values:
        raise ScorecardError(f'"{role}" is not a role; use one of {", ".join(Role.values)}.')
    cleaned = [_item(raw) for raw in items]
    metrics = [metric for metric, _, _ in cleaned]
    twice = sorted({metric for metric in metrics if metrics.count(metric) > 1})
    if twice:
        raise ScorecardError(f"Each metric can be on a scorecard once: {', '.join(twice)} twice.")
    before = [list(item) for item in role_scorecards().get(role, [])]
    RoleScorecard.objects.filter(role=role).delete()
    saved = RoleScorecard.objects.bulk_create(
        [RoleScorecard(role=role, metric=m, kind=k, weight=w) for m, k, w in cleaned]
    )
    after = [list(item) for item in role_scorecards().get(role, [])]
    audit_record(
        actor=actor,
        action="scorecards.role_scorecard",
        obj=organisation_get(),
        before={role: before},
        after={role: after},
    )
    return saved
