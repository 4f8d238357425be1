"""Editing the sales pipeline: its stages, in order, with the probability a deal in
each closes, the forecast category it counts in, and the checklist milestones a deal
should have done by then.

The open stages come first, in the order a deal moves through them; the won and lost
stages close the pipeline and keep their meaning (a won stage is 100 %, closed; a
lost one 0 %, closed): they can be renamed, never re-weighted or moved among the
open ones. Every change is the administrator's (`abilities.EDIT_PIPELINE`; `actor`
None is the system: the command line, an import adopting a CRM's stages) and is
audited.

Nothing a deal did is lost:

- a rename changes the stage's name only: every deal in it, and its history, keeps it;
- a stage holding deals, or named by a deal's history, cannot be removed, only merged
  into another stage of the same kind (open into open, won into won): its deals move
  there and its history is read as that stage's, entry by entry (none is removed);
  its milestones join the stage's own, and a milestone a deal had done stays done;
- a milestone a deal has done cannot be removed.

Probabilities and categories are read live by the scorecards, the warnings and the
forecasts, so a change shows on the next page opened (the audit entry moves the
scorecards' fingerprint). A merge moves deals: it is announced like any write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accountable.audit.services import audit_record, audit_records, snapshot
from accountable.core import changes
from accountable.crm.errors import CrmError
from accountable.crm.models import (
    Deal,
    DealMilestone,
    DealStageChange,
    ForecastCategory,
    Milestone,
    Stage,
)
from accountable.crm.names import name_key
from accountable.org import abilities
from accountable.org.models import Person

STAGE_FIELDS = ["name", "order", "probability", "forecast_category"]
NAME_LENGTH = 80
MILESTONE_LENGTH = 120
OPEN_CATEGORIES = [c for c in ForecastCategory if c != ForecastCategory.CLOSED]
# The stages the pipeline starts with (crm migration 0002): "still the default" is
# these open stages, as they came.
DEFAULT_OPEN = ("prospecting", "engaging", "proposal", "negotiation")


@dataclass(frozen=True)
class StageSpec:
    """An open stage to create: what a CRM's standard stage set gives (`adopt`)."""

    name: str
    probability: int
    forecast_category: str = ""
    milestones: tuple[str, ...] = ()


def category_for(probability: int) -> str:
    """The forecast category an open stage gets unless one is chosen: commit from 75 %,
    best case from 50 %, pipeline below (the default pipeline's own rule)."""
    if probability >= 75:
        return ForecastCategory.COMMIT
    if probability >= 50:
        return ForecastCategory.BEST_CASE
    return ForecastCategory.PIPELINE


# --- reading --------------------------------------------------------------------------


def stages_with_use() -> list[Stage]:
    """The stages in order, each with `deal_count`, `history_count`, `mergeable` (another stage
    of its kind is there), `removable` (nothing names it, either) and its milestones (each with
    `done_count`): what the pipeline page shows."""
    stages = list(Stage.objects.prefetch_related("milestones").order_by("order", "pk"))
    deals = _count_by(Deal.objects.values_list("stage_id", flat=True))
    history = _count_by(
        DealStageChange.objects.values_list("to_stage_id", flat=True),
        DealStageChange.objects.exclude(from_stage=None).values_list("from_stage_id", flat=True),
    )
    done = _count_by(DealMilestone.objects.values_list("milestone_id", flat=True))
    kinds = [_kind(stage) for stage in stages]
    for stage in stages:
        stage.deal_count = deals.get(stage.pk, 0)
        stage.history_count = history.get(stage.pk, 0)
        ticked = 0
        for milestone in stage.milestones.all():
            milestone.done_count = done.get(milestone.pk, 0)
            ticked += milestone.done_count
        stage.mergeable = kinds.count(_kind(stage)) > 1
        stage.removable = stage.mergeable and not (
            stage.deal_count or stage.history_count or ticked
        )
    return stages


def _count_by(*columns) -> dict[int, int]:
    counted: dict[int, int] = {}
    for column in columns:
        for value in column.order_by().iterator(chunk_size=5000):
            counted[value] = counted.get(value, 0) + 1
    return counted


def is_default() -> bool:
    """Whether the open stages are still the ones the pipeline started with."""
    open_keys = list(
        Stage.objects.filter(is_won=False, is_lost=False)
        .order_by("order")
        .values_list("key", flat=True)
    )
    return tuple(open_keys) == DEFAULT_OPEN


def holds_open_deals() -> bool:
    """Whether any deal is, or has been, in an open stage (adopting would move it)."""
    return (
        Deal.objects.filter(stage__is_won=False, stage__is_lost=False).exists()
        or DealStageChange.objects.filter(
            Q(to_stage__is_won=False, to_stage__is_lost=False)
            | Q(from_stage__is_won=False, from_stage__is_lost=False)
        ).exists()
    )


# --- checks ---------------------------------------------------------------------------


def _allowed(actor: Person | None) -> None:
    if actor is not None and not abilities.may(actor, abilities.EDIT_PIPELINE):
        raise PermissionDenied("Only an administrator may change the pipeline.")


def _name(value: object, *, exclude: Stage | None = None) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise CrmError("Give the stage a name.")
    if len(name) > NAME_LENGTH:
        raise CrmError(f"A stage's name is at most {NAME_LENGTH} characters.")
    same = Stage.objects.filter(key=name_key(name))
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise CrmError(f'There is already a stage called "{same.first().name}".')
    return name


def _probability(value: object) -> int:
    try:
        number = int(str(value).strip().rstrip("%").strip())
    except (TypeError, ValueError):
        raise CrmError(
            f'The probability is a whole percent from 0 to 100, not "{value}".'
        ) from None
    if not 0 <= number <= 100:
        raise CrmError(f"The probability is a whole percent from 0 to 100, not {number}.")
    return number


def _category(value: object) -> str:
    if value not in OPEN_CATEGORIES:
        known = ", ".join(c.label.lower() for c in OPEN_CATEGORIES)
        raise CrmError(f'An open stage counts as {known} in the forecast, not "{value}".')
    return str(value)


def _open_stages() -> list[Stage]:
    return list(Stage.objects.filter(is_won=False, is_lost=False).order_by("order", "pk"))


def _renumber(open_in_order: Sequence[Stage]) -> list[tuple[Stage, dict, dict]]:
    """Number the open stages 1… in the order given, the closed ones after them in their
    own order; the (stage, before, after) of each whose place moved."""
    closed = list(Stage.objects.filter(Q(is_won=True) | Q(is_lost=True)).order_by("order", "pk"))
    moved = []
    for number, stage in enumerate([*open_in_order, *closed], start=1):
        if stage.order != number:
            moved.append((stage, {"order": stage.order}, {"order": number}))
            stage.order = number
    Stage.objects.bulk_update([stage for stage, _, _ in moved], ["order"])
    return moved


def _kind(stage: Stage) -> str:
    return "won" if stage.is_won else "lost" if stage.is_lost else "open"


# --- stages ---------------------------------------------------------------------------


@transaction.atomic
def stage_add(
    *,
    actor: Person | None,
    name: str,
    probability: object,
    forecast_category: str = "",
    position: int | None = None,
) -> Stage:
    """A new open stage. `position` (1 = first) places it among the open stages; without
    one it goes after the last open stage of no higher probability (by its probability).
    Without a forecast category it gets one by its probability (`category_for`)."""
    _allowed(actor)
    name = _name(name)
    chance = _probability(probability)
    category = _category(forecast_category) if forecast_category else category_for(chance)
    stages = _open_stages()
    if position is None:
        index = sum(1 for stage in stages if stage.probability <= chance)
    else:
        if not 1 <= int(position) <= len(stages) + 1:
            raise CrmError(f"The position is from 1 to {len(stages) + 1}.")
        index = int(position) - 1
    stage = Stage(name=name, probability=chance, forecast_category=category, order=0)
    stage.save()
    stages.insert(index, stage)
    _renumber(stages)
    audit_record(actor=actor, action="stage.create", obj=stage, after=snapshot(stage, STAGE_FIELDS))
    return stage


@transaction.atomic
def stage_update(
    *,
    actor: Person | None,
    stage: Stage,
    name: str | None = None,
    probability: object = None,
    forecast_category: str | None = None,
) -> Stage:
    """Rename a stage, or change an open stage's probability or forecast category. Its
    deals and their history stay in it: they name it by its id, not its name."""
    _allowed(actor)
    before = snapshot(stage, STAGE_FIELDS)
    if name is not None:
        stage.name = _name(name, exclude=stage)
    if probability is not None or forecast_category is not None:
        chance = stage.probability if probability is None else _probability(probability)
        category = stage.forecast_category if forecast_category is None else forecast_category
        if stage.is_closed:
            if chance != stage.probability or category != stage.forecast_category:
                raise CrmError(
                    f'"{stage.name}" closes a deal as {_kind(stage)}: its probability '
                    f"({stage.probability} %) and forecast category stay as they are."
                )
        else:
            stage.probability = chance
            stage.forecast_category = _category(category)
    stage.save()
    audit_record(
        actor=actor,
        action="stage.update",
        obj=stage,
        before=before,
        after=snapshot(stage, STAGE_FIELDS),
    )
    return stage


@transaction.atomic
def stages_reorder(*, actor: Person | None, order: Sequence[int]) -> list[Stage]:
    """Put the open stages in the order of their ids in `order` (every open stage once);
    the won and lost stages stay last."""
    _allowed(actor)
    stages = {stage.pk: stage for stage in _open_stages()}
    try:
        ids = [int(pk) for pk in order]
    except (TypeError, ValueError):
        raise CrmError("The order is a list of stage ids.") from None
    if sorted(ids) != sorted(stages):
        closed = set(ids) & set(
            Stage.objects.filter(Q(is_won=True) | Q(is_lost=True)).values_list("pk", flat=True)
        )
        if closed:
            raise CrmError("Won and lost stages close the pipeline: order the open stages only.")
        raise CrmError(
            f"Give every open stage once, in the new order: {len(stages)} stages, "
            f"ids {', '.join(str(pk) for pk in sorted(stages))}."
        )
    moved = _renumber([stages[pk] for pk in ids])
    audit_records(actor=actor, action="stage.reorder", changes=moved)
    return _open_stages()


def stage_move(*, actor: Person | None, stage: Stage, by: int) -> list[Stage]:
    """Move an open stage `by` places (-1: one earlier), within the open stages."""
    if stage.is_closed:
        raise CrmError(f'"{stage.name}" closes the pipeline: only open stages move.')
    ids = [s.pk for s in _open_stages()]
    index = ids.index(stage.pk)
    target = min(max(index + by, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    return stages_reorder(actor=actor, order=ids)


@transaction.atomic
def stage_merge(*, actor: Person | None, stage: Stage, into: Stage) -> Stage:
    """Merge `stage` into `into` (the same kind: open, won or lost): its deals move there,
    its history entries name `into` instead, its milestones join `into`'s (one of the same
    name becomes that one, its ticks kept), and `stage` is removed. Returns `into`."""
    _allowed(actor)
    if stage.pk == into.pk:
        raise CrmError("Choose another stage to merge into.")
    if _kind(stage) != _kind(into):
        raise CrmError(
            f'"{stage.name}" is {_kind(stage)} and "{into.name}" is {_kind(into)}: a stage '
            "merges only into one of the same kind, so no deal changes from open to closed."
        )
    owners = list(
        Deal.objects.filter(stage=stage).order_by().values_list("owner_id", flat=True).distinct()
    )
    moved_deals = Deal.objects.filter(stage=stage).update(stage=into)
    entered = DealStageChange.objects.filter(to_stage=stage).update(to_stage=into)
    left = DealStageChange.objects.filter(from_stage=stage).update(from_stage=into)
    joined = _merge_milestones(stage, into)
    audit_record(
        actor=actor,
        action="stage.merge",
        obj=into,
        before={"merged": stage.name, **snapshot(stage, STAGE_FIELDS)},
        after={
            "into": into.name,
            "deals_moved": moved_deals,
            "history_entries": entered + left,
            "milestones_joined": joined,
        },
    )
    stage.delete()
    _renumber(_open_stages())
    today = timezone.localdate()
    changes.announce(changes.Changed(runs=tuple((o, today, today) for o in owners), tables=()))
    return into


def _merge_milestones(stage: Stage, into: Stage) -> list[str]:
    """Move `stage`'s milestones to `into`; a name `into` already has is that milestone."""
    theirs = {name_key(m.name): m for m in into.milestones.all()}
    last = into.milestones.aggregate(last=Max("order"))["last"] or 0
    joined = []
    for milestone in stage.milestones.order_by("order", "pk"):
        same = theirs.get(name_key(milestone.name))
        if same is None:
            last += 1
            milestone.stage, milestone.order = into, last
            milestone.save(update_fields=["stage", "order"])
        else:
            already = DealMilestone.objects.filter(milestone=same).values("deal_id")
            DealMilestone.objects.filter(milestone=milestone).exclude(deal_id__in=already).update(
                milestone=same
            )
            milestone.delete()  # its ticks on deals that had both are the kept one's
        joined.append(milestone.name)
    return joined


@transaction.atomic
def stage_delete(*, actor: Person | None, stage: Stage) -> None:
    """Remove a stage nothing names: no deal in it, no history through it, no milestone
    of it done on a deal; the last open, won or lost stage stays."""
    _allowed(actor)
    deals = Deal.objects.filter(stage=stage).count()
    if deals:
        raise CrmError(
            f'"{stage.name}" holds {deals} deal{"s" if deals != 1 else ""}: merge it into '
            "another stage instead, so that none of them loses its stage."
        )
    if DealStageChange.objects.filter(Q(to_stage=stage) | Q(from_stage=stage)).exists():
        raise CrmError(
            f'Deals have been through "{stage.name}": merge it into another stage instead, '
            "so that their history keeps a stage."
        )
    if DealMilestone.objects.filter(milestone__stage=stage).exists():
        raise CrmError(
            f'Deals have done milestones of "{stage.name}": merge it into another stage '
            "instead, so that they stay done."
        )
    if not Stage.objects.filter(**_same_kind(stage)).exclude(pk=stage.pk).exists():
        raise CrmError(f'"{stage.name}" is the pipeline\'s only {_kind(stage)} stage: it stays.')
    audit_record(
        actor=actor, action="stage.delete", obj=stage, before=snapshot(stage, STAGE_FIELDS)
    )
    stage.delete()
    _renumber(_open_stages())


def _same_kind(stage: Stage) -> dict[str, bool]:
    return {"is_won": stage.is_won, "is_lost": stage.is_lost}


# --- milestones -----------------------------------------------------------------------


def _milestone_name(value: object, stage: Stage, *, exclude: Milestone | None = None) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise CrmError("Give the milestone a name.")
    if len(name) > MILESTONE_LENGTH:
        raise CrmError(f"A milestone's name is at most {MILESTONE_LENGTH} characters.")
    same = [
        m for m in stage.milestones.all() if name_key(m.name) == name_key(name) and m != exclude
    ]
    if same:
        raise CrmError(f'"{stage.name}" already has the milestone "{same[0].name}".')
    return name


@transaction.atomic
def milestone_add(*, actor: Person | None, stage: Stage, name: str) -> Milestone:
    """A checklist milestone a deal should have done by the time it is in `stage`."""
    _allowed(actor)
    if stage.is_closed:
        raise CrmError(f'"{stage.name}" closes a deal: checklists belong to open stages.')
    name = _milestone_name(name, stage)
    last = stage.milestones.aggregate(last=Max("order"))["last"] or 0
    milestone = Milestone.objects.create(stage=stage, name=name, order=last + 1)
    audit_record(
        actor=actor,
        action="milestone.create",
        obj=milestone,
        after={"stage": stage.name, "name": name},
    )
    return milestone


@transaction.atomic
def milestone_rename(*, actor: Person | None, milestone: Milestone, name: str) -> Milestone:
    _allowed(actor)
    before = {"name": milestone.name}
    milestone.name = _milestone_name(name, milestone.stage, exclude=milestone)
    milestone.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action="milestone.update",
        obj=milestone,
        before=before,
        after={"name": milestone.name},
    )
    return milestone


@transaction.atomic
def milestone_remove(*, actor: Person | None, milestone: Milestone) -> None:
    """Remove a milestone no deal has done (one that some have is kept: their record)."""
    _allowed(actor)
    done = DealMilestone.objects.filter(milestone=milestone).count()
    if done:
        raise CrmError(
            f'{done} deal{"s have" if done != 1 else " has"} done "{milestone.name}": it stays, '
            "so that their record does. Rename it instead."
        )
    audit_record(
        actor=actor,
        action="milestone.delete",
        obj=milestone,
        before={"stage": milestone.stage.name, "name": milestone.name},
    )
    milestone.delete()


# --- a CRM's stages in one step -------------------------------------------------------


@transaction.atomic
def adopt(*, actor: Person | None, stages: Sequence[StageSpec], source: str) -> list[Stage]:
    """Replace the default pipeline's open stages with `stages` (a CRM's, in order), for
    an organisation whose pipeline is still the default and holds no deal in an open
    stage. The won and lost stages stay (a CRM's "Closed Won" is the won stage)."""
    _allowed(actor)
    if not is_default():
        raise CrmError(
            "The pipeline has been changed since it was set up: adopt a CRM's stages only "
            "over the default one. Edit it under Settings → Pipeline instead."
        )
    if holds_open_deals():
        raise CrmError(
            "The pipeline already holds open deals: adopting a CRM's stages would move them. "
            "Map the file's stages onto the pipeline instead, or edit it under Settings → "
            "Pipeline."
        )
    if not stages:
        raise CrmError("There are no stages to adopt.")
    keys = [name_key(spec.name) for spec in stages]
    if len(set(keys)) != len(keys):
        raise CrmError("A stage is named twice in the stages to adopt.")
    closed = set(
        Stage.objects.filter(Q(is_won=True) | Q(is_lost=True)).values_list("key", flat=True)
    )
    clash = [spec.name for spec, key in zip(stages, keys, strict=True) if key in closed]
    if clash:
        raise CrmError(f'"{clash[0]}" is already the name of a won or lost stage.')
    removed = _open_stages()
    audit_records(
        actor=actor,
        action="stage.delete",
        changes=[(stage, snapshot(stage, STAGE_FIELDS), {}) for stage in removed],
    )
    Stage.objects.filter(pk__in=[stage.pk for stage in removed]).delete()
    created = []
    for number, spec in enumerate(stages, start=1):
        chance = _probability(spec.probability)
        category = (
            _category(spec.forecast_category) if spec.forecast_category else category_for(chance)
        )
        stage = Stage(
            name=_name(spec.name), probability=chance, forecast_category=category, order=number
        )
        stage.save()
        for index, milestone in enumerate(spec.milestones, start=1):
            Milestone.objects.create(stage=stage, name=milestone, order=index)
        created.append(stage)
    _renumber(created)
    audit_records(
        actor=actor,
        action="stage.create",
        changes=[
            (stage, {}, {**snapshot(stage, STAGE_FIELDS), "adopted_from": source})
            for stage in created
        ],
    )
    return created
