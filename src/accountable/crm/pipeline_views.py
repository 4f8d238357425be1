"""The pipeline page (Settings → Pipeline): the administrator adds, renames, reorders,
merges and removes stages, sets their probabilities and forecast categories, and keeps
each stage's checklist. Every change posts to its own URL and comes back to the page
with what happened, or why nothing did (`crm.pipeline` decides)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accountable.crm import pipeline
from accountable.crm.errors import CrmError
from accountable.crm.models import Milestone, Stage
from accountable.org import abilities
from accountable.org.scoping import ability_required

PAGE = "crm:pipeline"


def _done(request: HttpRequest, change: Callable[[], str]) -> HttpResponse:
    """Run a change; say what it did, or why it did nothing; back to the page."""
    try:
        said = change()
    except CrmError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, said)
    return redirect(PAGE)


@ability_required(abilities.EDIT_PIPELINE)
def pipeline_page(request: HttpRequest) -> HttpResponse:
    """The stages in order, with how many deals each holds; POST adds a stage."""
    if request.method == "POST":
        data = request.POST

        def add() -> str:
            stage = pipeline.stage_add(
                actor=request.user,
                name=data.get("name", ""),
                probability=data.get("probability", ""),
                forecast_category=data.get("forecast_category", ""),
            )
            return f'Stage "{stage.name}" added at {stage.probability} %.'

        return _done(request, add)
    stages = pipeline.stages_with_use()
    context = {
        "stages": stages,
        "open_stages": [s for s in stages if not s.is_closed],
        "categories": pipeline.OPEN_CATEGORIES,
    }
    return render(request, "crm/pipeline.html", context)


def _stage(pk: int) -> Stage:
    return get_object_or_404(Stage, pk=pk)


@require_POST
@ability_required(abilities.EDIT_PIPELINE)
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(pk)
    data = request.POST

    def edit() -> str:
        pipeline.stage_update(
            actor=request.user,
            stage=stage,
            name=data.get("name"),
            probability=data.get("probability") or None,
            forecast_category=data.get("forecast_category") or None,
        )
        return f'Stage "{stage.name}" saved.'

    return _done(request, edit)


@require_POST
@ability_required(abilities.EDIT_PIPELINE)
def stage_move(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(pk)
    by = -1 if request.POST.get("direction") == "up" else 1

    def move() -> str:
        pipeline.stage_move(actor=request.user, stage=stage, by=by)
        return f'Stage "{stage.name}" moved {"up" if by < 0 else "down"}.'

    return _done(request, move)


@require_POST
@ability_required(abilities.EDIT_PIPELINE)
def stage_merge(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(pk)
    into = Stage.objects.filter(pk=_int(request.POST.get("into"))).first()

    def merge() -> str:
        if into is None:
            raise CrmError(f'Choose the stage to merge "{stage.name}" into.')
        name = stage.name
        pipeline.stage_merge(actor=request.user, stage=stage, into=into)
        return f'"{name}" merged into "{into.name}": its deals and their history are there now.'

    return _done(request, merge)


@require_POST
@ability_required(abilities.EDIT_PIPELINE)
def stage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(pk)

    def delete() -> str:
        name = stage.name
        pipeline.stage_delete(actor=request.user, stage=stage)
        return f'Stage "{name}" removed.'

    return _done(request, delete)


@require_POST
@ability_required(abilities.EDIT_PIPELINE)
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(pk)

    def add() -> str:
        milestone = pipeline.milestone_add(
            actor=request.user, stage=stage, name=request.POST.get("name", "")
        )
        return f'"{milestone.name}" added to the {stage.name} checklist.'

    return _done(request, add)


@require_POST
@ability_required(abilities.EDIT_PIPELINE)
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk)

    def delete() -> str:
        name = milestone.name
        pipeline.milestone_remove(actor=request.user, milestone=milestone)
        return f'"{name}" removed from the checklist.'

    return _done(request, delete)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
