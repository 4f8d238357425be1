"""The import pages: history, the wizard (upload → columns → preview → apply) and the
report. Admins and managers only; each view parses input, calls one service or
selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accountable.imports import selectors, services
from accountable.imports.errors import ImportFileError
from accountable.imports.formats import KINDS, template_csv
from accountable.imports.forms import KIND_LABELS, MappingForm, NamesForm, UploadForm, kinds_for
from accountable.imports.models import ImportRun
from accountable.imports.rejects import run_dir
from accountable.org.models import Role
from accountable.org.scoping import role_required

IMPORTERS = (Role.ADMIN, Role.MANAGER)
PAGE_SIZE = 50


@role_required(*IMPORTERS)
def run_list(request):
    services.runs_stalled_fail()  # so that no run shows "uploaded" for ever
    runs = selectors.run_list(request.user)[:PAGE_SIZE]
    return render(request, "imports/list.html", {"runs": runs})


@role_required(*IMPORTERS)
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
            return redirect("imports:columns", pk=run.pk)
    context = {"form": form, "kinds": [(k, KIND_LABELS[k]) for k in kinds_for(request.user)]}
    return render(request, "imports/new.html", context)


@role_required(*IMPORTERS)
def run_columns(request, pk: int):
    run = _open_run(request, pk)
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
            services.run_preview(actor=request.user, run=run)
        except ImportFileError as error:
            form.add_error(None, error.message)
        else:
            return redirect("imports:preview", pk=run.pk)
    return render(request, "imports/columns.html", {"run": run, "form": form})


@role_required(*IMPORTERS)
def run_preview(request, pk: int):
    run = _open_run(request, pk)
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
        try:
            services.run_preview(actor=request.user, run=run, names=form.names())
        except ImportFileError as error:
            messages.error(request, error.message)
        return redirect("imports:preview", pk=run.pk)
    return render(request, "imports/preview.html", {"run": run, "s": summary, "names": form})


@require_POST
@role_required(*IMPORTERS)
def run_apply(request, pk: int):
    run = _open_run(request, pk)
    try:
        result = services.run_apply(actor=request.user, run=run)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("imports:run", pk=run.pk)
    if result.applied:
        messages.success(request, "Imported. Every row was applied.")
    return redirect("imports:run", pk=run.pk)


@role_required(*IMPORTERS)
def run_detail(request, pk: int):
    services.runs_stalled_fail()
    run = selectors.run_get(request.user, pk)
    return render(request, "imports/run.html", {"run": run, "s": run.summary or {}})


@role_required(*IMPORTERS)
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


@role_required(*IMPORTERS)
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
