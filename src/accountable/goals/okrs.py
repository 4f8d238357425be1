"""OKRs: objectives (company, team, person) with key results bound to metrics (SPEC §3).

Writes are atomic and audited; reads are scoped to the viewer. A key result's
progress is always computed from the sales data (`goals.actuals`), never typed;
the only thing its owner types is a weekly confidence from 0 to 10.

Who sets what: executives and admins set company objectives; managers set
objectives for the teams and people below them; admins everything. A key
result's confidence is updated by the objective's owner (the person, the team's
managers, executives for the company) or by anyone who may set the objective.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.goals import actuals
from accountable.goals.errors import GoalsError, NotAllowed
from accountable.goals.models import KeyResult, Objective, ObjectiveLevel
from accountable.goals.owners import (
    calendar,
    can_set_target,
    known_metric,
    owner_people,
    period_parse,
)
from accountable.goals.selectors import shown
from accountable.goals.services import _value
from accountable.org import abilities
from accountable.org.models import Person, Role, Team, path_ids
from accountable.org.scoping import SEES_EVERYONE, visible_people, visible_teams
from accountable.scorecards.formulas import attainment
from accountable.targets.catalogue import Unit, metric_get


def can_set_objective(actor: Person, level: str, owner: Person | Team | None) -> bool:
    if not actor.is_authenticated or not actor.is_active:
        return False
    if level == ObjectiveLevel.COMPANY:
        return abilities.may(actor, abilities.SET_COMPANY_OBJECTIVES)
    return owner is not None and can_set_target(actor, owner)


def can_update_confidence(actor: Person, objective: Objective) -> bool:
    if can_set_objective(actor, objective.level, objective.owner):
        return True
    if objective.person_id:
        return actor.pk == objective.person_id
    if objective.team_id:
        return objective.team.managers.filter(pk=actor.pk).exists()
    return False


@transaction.atomic
def objective_create(
    *,
    actor: Person,
    title: str,
    level: str,
    period_label: str,
    owner: Person | Team | None = None,
    parent: Objective | None = None,
) -> Objective:
    """A new objective; company objectives have no owner, the others a team or a person."""
    title = " ".join((title or "").split())
    if not title:
        raise GoalsError("An objective needs a title: what you set out to achieve.")
    if level not in ObjectiveLevel.values:
        raise GoalsError(f'An objective is company, team or person, not "{level}".')
    if level == ObjectiveLevel.TEAM and not isinstance(owner, Team):
        raise GoalsError("Choose the team this objective belongs to.")
    if level == ObjectiveLevel.PERSON and not isinstance(owner, Person):
        raise GoalsError("Choose the person this objective belongs to.")
    if not can_set_objective(actor, level, owner):
        raise NotAllowed(
            "Executives set company objectives; managers set their teams' and people's."
        )
    period = period_parse(period_label)
    objective = Objective.objects.create(
        title=title,
        level=level,
        team=owner if level == ObjectiveLevel.TEAM else None,
        person=owner if level == ObjectiveLevel.PERSON else None,
        parent=parent,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="objective.create",
        obj=objective,
        after=snapshot(objective, ["title", "level", "team", "person", "parent", "period"]),
    )
    return objective


@transaction.atomic
def key_result_create(
    *, actor: Person, objective: Objective, metric: str, target_value: Any
) -> KeyResult:
    """A key result on a metric the system computes, so its progress is counted, not typed."""
    if not can_set_objective(actor, objective.level, objective.owner):
        raise NotAllowed("Only whoever sets this objective adds key results to it.")
    known = known_metric(metric)
    if not actuals.is_computed(known.key):
        raise GoalsError(
            f"{known.label} is not computed from the data; a key result needs a metric "
            "whose progress Accountable counts."
        )
    kr = KeyResult.objects.create(
        objective=objective, metric=known.key, target_value=_value(target_value)
    )
    audit_record(
        actor=actor,
        action="key_result.create",
        obj=kr,
        after=snapshot(kr, ["objective", "metric", "target_value"]),
    )
    return kr


@transaction.atomic
def confidence_set(*, actor: Person, key_result: KeyResult, confidence: Any) -> KeyResult:
    """The owner's weekly confidence (0 to 10) that the key result will be reached."""
    if not can_update_confidence(actor, key_result.objective):
        raise NotAllowed("The objective's owner updates its confidence.")
    try:
        value = int(str(confidence).strip())
    except ValueError:
        raise GoalsError(
            f'Confidence is a whole number from 0 to 10, not "{confidence}".'
        ) from None
    if not 0 <= value <= 10:
        raise GoalsError(f"Confidence is from 0 to 10, not {value}.")
    before = snapshot(key_result, ["confidence"])
    key_result.confidence = value
    key_result.confidence_updated_at = timezone.now()
    key_result.save(update_fields=["confidence", "confidence_updated_at"])
    audit_record(
        actor=actor,
        action="key_result.confidence",
        obj=key_result,
        before=before,
        after=snapshot(key_result, ["confidence"]),
    )
    return key_result


# ---- reads ----------------------------------------------------------------------------


def objectives_visible_to(viewer: Person) -> QuerySet[Objective]:
    """Company objectives are everyone's; team ones go to those who see the team and to
    its members (and members of teams below it); person ones follow `visible_people`."""
    if not viewer.is_authenticated:
        return Objective.objects.none()
    if viewer.role in SEES_EVERYONE:
        return Objective.objects.all()
    own_teams = path_ids(viewer.team.path) if viewer.team_id else []
    return Objective.objects.filter(
        Q(level=ObjectiveLevel.COMPANY)
        | Q(team__in=visible_teams(viewer))
        | Q(team_id__in=own_teams)
        | Q(person__in=visible_people(viewer))
    )


def objective_get(viewer: Person, pk: int) -> Objective:
    try:
        return objectives_visible_to(viewer).get(pk=pk)
    except Objective.DoesNotExist:
        raise Http404("No such objective") from None


def key_result_get(viewer: Person, pk: int) -> KeyResult:
    kr = KeyResult.objects.select_related("objective").filter(pk=pk).first()
    if kr is None or not objectives_visible_to(viewer).filter(pk=kr.objective_id).exists():
        raise Http404("No such key result")
    return kr


@dataclass
class KeyResultRow:
    """A key result's figure so far and its attainment, read as the board reads it (for a
    lower-is-better metric, target ÷ actual). `actual` None: no figure yet (`note`)."""

    key_result: KeyResult
    actual: Decimal | None
    percent: int | None
    can_update: bool
    unit: str = Unit.COUNT
    note: str = ""

    @property
    def attainment(self) -> float | None:
        """Attainment as the board's bar takes it (1.0 = the target)."""
        return None if self.percent is None else self.percent / 100

    @property
    def actual_text(self) -> str:
        return shown(self.actual, self.unit)

    @property
    def target_text(self) -> str:
        return shown(self.key_result.target_value, self.unit)


def key_result_progress(
    key_result: KeyResult, people: list[int], objective: Objective, today: date
) -> tuple[Decimal | None, int | None, str]:
    """(figure so far, percent attained, why there is no figure) of a key result."""
    meta = metric_get(key_result.metric)
    end = min(objective.period_end, today)
    period = calendar().parse(objective.period)
    found = actuals.figure(key_result.metric, people, objective.period_start, end, period=period)
    if found.value is None:
        return None, None, found.why
    reached = attainment(found.value, key_result.target_value, meta.higher_is_better)
    return found.value, None if reached is None else int(reached * 100), ""


@dataclass
class ObjectiveNode:
    objective: Objective
    key_results: list[KeyResultRow]
    children: list[ObjectiveNode]
    can_add: bool


def _people_for(objective: Objective) -> list[int]:
    if objective.level == ObjectiveLevel.COMPANY:
        return list(Person.objects.filter(role=Role.REP).values_list("pk", flat=True))
    return [p.pk for p in owner_people(objective.owner)]


def okr_tree(viewer: Person, *, period: str = "", today: date | None = None) -> list[ObjectiveNode]:
    """The viewer's objectives as a tree (roots first), each key result with its progress."""
    today = today or timezone.localdate()
    objectives = objectives_visible_to(viewer).select_related("team", "person", "parent")
    if period:
        objectives = objectives.filter(period=period)
    objectives = list(objectives.prefetch_related("key_results"))
    nodes: dict[int, ObjectiveNode] = {}
    for objective in objectives:
        people = _people_for(objective)
        rows = []
        for kr in objective.key_results.all():
            actual, percent, note = key_result_progress(kr, people, objective, today)
            rows.append(
                KeyResultRow(
                    kr,
                    actual,
                    percent,
                    can_update_confidence(viewer, objective),
                    metric_get(kr.metric).unit,
                    note,
                )
            )
        nodes[objective.pk] = ObjectiveNode(
            objective, rows, [], can_set_objective(viewer, objective.level, objective.owner)
        )
    roots = []
    for objective in objectives:
        node = nodes[objective.pk]
        parent = nodes.get(objective.parent_id) if objective.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots
