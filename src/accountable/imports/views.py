"""The import pages: history, the wizard (upload → columns → preview → apply) and the
report. Admins and managers only; each view parses input, calls one service or
selector, and renders.

Reading, previewing and applying run in the background worker: the view queues the
step and sends the person to the run's working page, which follows the step's
progress (htmx polling, or a refresh without JavaScript) and moves on when it ends."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accountable.imports import selectors, services, tasks
from accountable.imports.errors import ImportFileError
from accountable.imports.formats import KINDS, template_csv
from accountable.imports.forms import KIND_LABELS, MappingForm, NamesForm, UploadForm, kinds_for
from accountable.imports.models import ImportRun
from accountable.imports.rejects import run_dir
from accountable.org.abilities import ANY_IMPORT
from accountable.org.scoping import ability_required

PAGE_SIZE = 50


@ability_required(*ANY_IMPORT)
def run_list(request):
    services.runs_stalled_fail()  # so that no run shows "uploaded" for ever
    runs = selectors.run_list(request.user)[:PAGE_SIZE]
    return render(request, "imports/list.html", {"runs": runs})


@ability_required(*ANY_IMPORT)
def run_new(request):
    form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.upload_start(
                actor=request.user,
                kind=data["kind"],
                preset=data["preset"],
                uploaded=data["file"],
                saved_mapping=data["saved_mapping"],
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            tasks.step_queue(actor=request.user, run=run, step=services.READ)
            return redirect("imports:working", pk=run.pk)
    context = {"form": form, "kinds": [(k, KIND_LABELS[k]) for k in kinds_for(request.user)]}
    return render(request, "imports/new.html", context)


@ability_required(*ANY_IMPORT)
def run_columns(request, pk: int):
    run = _open_run(request, pk)
    if services.step_working(run):
        return redirect("imports:working", pk=run.pk)
    mapping = run.mapping or {}
    form = MappingForm(
        request.POST or None,
        kind=run.kind,
        columns=mapping.get("file_columns", []),
        sample=mapping.get("sample", {}),
        initial=mapping.get("columns", {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.run_columns_set(
                actor=request.user,
                run=run,
                columns=form.columns(),
                save_as=form.cleaned_data["save_as"],
            )
        except ImportFileError as error:
            form.add_error(None, error.message)
        else:
            tasks.step_queue(actor=request.user, run=run, step=services.PREVIEW)
            return redirect("imports:working", pk=run.pk)
    return render(request, "imports/columns.html", {"run": run, "form": form})


@ability_required(*ANY_IMPORT)
def run_preview(request, pk: int):
    run = _open_run(request, pk)
    if services.step_working(run):
        return redirect("imports:working", pk=run.pk)
    shown = {ImportRun.Status.PREVIEWED, ImportRun.Status.REJECTED}
    if run.status not in shown and request.method != "POST":
        return redirect("imports:columns", pk=run.pk)
    summary = run.summary or {}
    form = NamesForm(
        request.POST or None,
        actor=request.user,
        unknown=summary.get("unknown_names", {}),
        current=run.mapping.get("names", {}),
    )
    if request.method == "POST" and form.is_valid():
        services.run_names_set(run=run, names=form.names())
        tasks.step_queue(actor=request.user, run=run, step=services.PREVIEW)
        return redirect("imports:working", pk=run.pk)
    context = {
        "run": run,
        "s": summary,
        "names": form,
        "stages_offer": services.stages_offer(actor=request.user, run=run),
    }
    return render(request, "imports/preview.html", context)


@require_POST
@ability_required(*ANY_IMPORT)
def run_stages(request, pk: int):
    """Take up (or leave) the preview's offer of the CRM's stages; preview again."""
    run = _open_run(request, pk)
    try:
        services.run_stages_set(
            actor=request.user, run=run, adopt=request.POST.get("adopt") == "yes"
        )
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("imports:preview", pk=run.pk)
    tasks.step_queue(actor=request.user, run=run, step=services.PREVIEW)
    return redirect("imports:working", pk=run.pk)


@require_POST
@ability_required(*ANY_IMPORT)
def run_apply(request, pk: int):
    run = _open_run(request, pk)
    if not services.step_working(run):
        tasks.step_queue(actor=request.user, run=run, step=services.APPLY)
    return redirect(f"{reverse('imports:working', args=[run.pk])}?from={services.APPLY}")


@ability_required(*ANY_IMPORT)
def run_working(request, pk: int):
    """A step at work in the background: how far it got, refreshed until it ends; then
    the page the step leads to (htmx is sent there with HX-Redirect)."""
    services.runs_stalled_fail()
    run = selectors.run_get(request.user, pk)
    step = services.step_working(run)
    if not step:
        after = _after_step(run)
        if run.status == ImportRun.Status.APPLIED and request.GET.get("from") == services.APPLY:
            messages.success(request, "Imported. Every row was applied.")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = after
            return response
        return redirect(after)
    progress = services.step_progress(run)
    context = {
        "run": run,
        "step": step,
        "doing": services.STEPS[step],
        "done": progress[0] if progress else None,
        "total": progress[1] if progress else None,
        "percent": round(100 * progress[0] / progress[1]) if progress and progress[1] else None,
    }
    template = (
        "imports/_working.html" if request.headers.get("HX-Request") else "imports/working.html"
    )
    return render(request, template, context)


def _after_step(run: ImportRun) -> str:
    """Where the wizard goes once a step ended: the columns after reading, the preview
    after previewing, the report after applying or failing."""
    if run.status == ImportRun.Status.UPLOADED and (run.mapping or {}).get("file_columns"):
        return reverse("imports:columns", args=[run.pk])
    if run.status == ImportRun.Status.PREVIEWED:
        return reverse("imports:preview", args=[run.pk])
    return reverse("imports:run", args=[run.pk])


@ability_required(*ANY_IMPORT)
def run_detail(request, pk: int):
    services.runs_stalled_fail()
    run = selectors.run_get(request.user, pk)
    return render(request, "imports/run.html", {"run": run, "s": run.summary or {}})


@ability_required(*ANY_IMPORT)
def run_rejects(request, pk: int):
    run = selectors.run_get(request.user, pk)
    path = run_dir(run.pk) / "rejected.csv"
    if not path.exists():
        raise Http404("This import has no rejected rows.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"import-{run.pk}-rejected.csv",
        content_type="text/csv; charset=utf-8",
    )


@ability_required(*ANY_IMPORT)
def template(request, kind: str):
    if kind not in KINDS:
        raise Http404("No such template.")
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response


def _open_run(request, pk: int) -> ImportRun:
    """A run of this viewer still in the wizard (not applied yet)."""
    run = selectors.run_get(request.user, pk)
    if run.status == ImportRun.Status.APPLIED or run.source != ImportRun.Source.UPLOAD:
        raise Http404("This import is not waiting in the wizard.")
    return run
