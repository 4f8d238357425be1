"""Pipeline endpoints: the stages in order, and the administrator's edits of them
(`crm.pipeline` decides what may change; a refused change is 400 with the reason)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from accountable.api.auth import callers
from accountable.crm import pipeline
from accountable.crm.models import ForecastCategory, Milestone, Stage
from accountable.org import abilities
from accountable.tokens.models import Scope

router = Router(tags=["pipeline"])

EDIT = callers(
    scope=Scope.WRITE,
    roles=abilities.roles_with(abilities.EDIT_PIPELINE),
    action="edit the pipeline",
)
CATEGORIES = ", ".join(c.value for c in ForecastCategory)


class MilestoneOut(Schema):
    id: int
    name: str


class StageOut(Schema):
    id: int
    name: str
    order: int
    probability: int = Field(description="Percent chance that a deal in this stage is won.")
    forecast_category: str = Field(description=f"One of {CATEGORIES}.")
    outcome: str = Field(description="open, won or lost.")
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_outcome(obj: Stage) -> str:
        return "won" if obj.is_won else "lost" if obj.is_lost else "open"

    @staticmethod
    def resolve_milestones(obj: Stage) -> list[Milestone]:
        return list(obj.milestones.all())


class StageIn(Schema):
    name: str = Field(max_length=200)
    probability: int = Field(ge=0, le=100)
    forecast_category: str = Field(
        "", max_length=20, description="pipeline, best_case or commit; blank: by probability."
    )
    position: int | None = Field(
        None, ge=1, le=1000, description="1 = first open stage; blank: placed by probability."
    )


class StagePatch(Schema):
    name: str | None = Field(None, max_length=200)
    probability: int | None = Field(None, ge=0, le=100)
    forecast_category: str | None = Field(None, max_length=20)


class OrderIn(Schema):
    order: list[int] = Field(max_length=1000, description="Every open stage's id, in order.")


class MergeIn(Schema):
    into: int = Field(description="The id of the stage that stays.")


class MilestoneIn(Schema):
    name: str = Field(max_length=200)


def _stage(stage_id: int) -> Stage:
    return get_object_or_404(Stage, pk=stage_id)


def _stages() -> list[Stage]:
    return list(Stage.objects.prefetch_related("milestones").order_by("order", "pk"))


@router.get(
    "/pipeline/stages",
    response=list[StageOut],
    summary="The pipeline's stages, in order",
    description="Open stages first, in the order deals move through them; the won and lost "
    "stages last. Everyone may read them.",
)
def stages(request: HttpRequest):
    return _stages()


@router.post(
    "/pipeline/stages",
    response={201: StageOut},
    summary="Add a stage",
    description="An open stage, placed by `position` or, without one, by its probability. "
    "Admins only; needs a token with the write scope.",
    auth=EDIT,
)
def stage_create(request: HttpRequest, body: StageIn):
    stage = pipeline.stage_add(
        actor=request.user,
        name=body.name,
        probability=body.probability,
        forecast_category=body.forecast_category,
        position=body.position,
    )
    return Status(201, stage)


@router.patch(
    "/pipeline/stages/{int:stage_id}",
    response=StageOut,
    summary="Rename a stage or change its probability or forecast category",
    description="Its deals and their history stay in it. A won or lost stage is renamed "
    "only. Admins only.",
    auth=EDIT,
)
def stage_change(request: HttpRequest, stage_id: int, body: StagePatch):
    stage = _stage(stage_id)
    return pipeline.stage_update(
        actor=request.user,
        stage=stage,
        name=body.name,
        probability=body.probability,
        forecast_category=body.forecast_category,
    )


@router.put(
    "/pipeline/order",
    response=list[StageOut],
    summary="Reorder the open stages",
    description="Every open stage's id once, in the new order; won and lost stay last.",
    auth=EDIT,
)
def stages_order(request: HttpRequest, body: OrderIn):
    pipeline.stages_reorder(actor=request.user, order=body.order)
    return _stages()


@router.post(
    "/pipeline/stages/{int:stage_id}/merge",
    response=StageOut,
    summary="Merge a stage into another",
    description="Into a stage of the same kind (open, won or lost): its deals move there, its "
    "history entries name that stage, its milestones join that stage's; then it is removed. "
    "Answers the stage that stays.",
    auth=EDIT,
)
def stage_merge(request: HttpRequest, stage_id: int, body: MergeIn):
    stage, into = _stage(stage_id), _stage(body.into)
    return pipeline.stage_merge(actor=request.user, stage=stage, into=into)


@router.delete(
    "/pipeline/stages/{int:stage_id}",
    response={204: None},
    summary="Remove a stage nothing names",
    description="400 for a stage that holds deals or is in a deal's history: merge it instead.",
    auth=EDIT,
)
def stage_remove(request: HttpRequest, stage_id: int):
    stage = _stage(stage_id)
    pipeline.stage_delete(actor=request.user, stage=stage)
    return Status(204, None)


@router.post(
    "/pipeline/stages/{int:stage_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a checklist milestone to an open stage",
    auth=EDIT,
)
def milestone_create(request: HttpRequest, stage_id: int, body: MilestoneIn):
    stage = _stage(stage_id)
    milestone = pipeline.milestone_add(actor=request.user, stage=stage, name=body.name)
    return Status(201, milestone)


@router.patch(
    "/pipeline/milestones/{int:milestone_id}",
    response=MilestoneOut,
    summary="Rename a checklist milestone",
    auth=EDIT,
)
def milestone_change(request: HttpRequest, milestone_id: int, body: MilestoneIn):
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    return pipeline.milestone_rename(actor=request.user, milestone=milestone, name=body.name)


@router.delete(
    "/pipeline/milestones/{int:milestone_id}",
    response={204: None},
    summary="Remove a checklist milestone no deal has done",
    auth=EDIT,
)
def milestone_remove(request: HttpRequest, milestone_id: int):
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    pipeline.milestone_remove(actor=request.user, milestone=milestone)
    return Status(204, None)
