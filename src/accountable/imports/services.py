"""The import wizard's steps: upload, map columns, preview, apply — each a service.

The uploaded file is kept under VAR_DIR/imports/<run id>/ between steps; the
ImportRun remembers the mapping (`run.mapping["columns"]`), the name mappings
(`run.mapping["names"]`) and what the file looked like. Previewing and applying
go through the same pipeline as the CLI and the API.

A run whose process dies half-way (a restart, memory) would stay "uploaded" for ever:
while a wizard step works on a run it marks it (`RUNNING`), and `runs_stalled_fail`
marks failed the runs still in progress after `STALLED_AFTER`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accountable.imports import pipeline
from accountable.imports.errors import ImportFileError
from accountable.imports.formats import field_names
from accountable.imports.models import ImportRun, SavedMapping
from accountable.imports.presets import guess_columns, preset_get
from accountable.imports.readers import read_table
from accountable.imports.rejects import run_dir, run_dir_fresh
from accountable.imports.validate import Scope
from accountable.org.models import Person

UPLOAD_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
log = logging.getLogger(__name__)
# The summary's mark of a wizard step at work on the run: when it began (ISO 8601).
RUNNING = "running_since"
# The longest an import runs: the most rows a file may hold take minutes, not an hour.
STALLED_AFTER = timedelta(hours=1)
STALLED = "The import stopped before it finished (the server restarted?); nothing was changed."
UNEXPECTED = "The import stopped on an unexpected error; nothing was changed."
UNREADABLE = "The file could not be read (an unexpected error); nothing was changed."


def run_file(run: ImportRun) -> Path | None:
    """The uploaded file of a browser run, if it is still kept."""
    found = sorted(run_dir(run.pk).glob("upload.*"))
    return found[0] if found else None


def upload_start(
    *,
    actor: Person,
    kind: str,
    preset: str,
    uploaded: UploadedFile,
    saved_mapping: SavedMapping | None = None,
) -> ImportRun:
    """Keep the uploaded file, read its header, and propose a column mapping.

    Raises ImportFileError (the run records it as failed) when the file cannot
    be read or the person may not import this kind.
    """
    run = ImportRun.objects.create(
        kind=kind,
        source=ImportRun.Source.UPLOAD,
        file_name=(uploaded.name or "upload")[:255],
        preset=preset,
        status=ImportRun.Status.UPLOADED,
        summary={RUNNING: timezone.now().isoformat()},
        created_by=actor,
    )
    run_dir_fresh(run.pk)
    try:
        Scope(actor, kind)
        path = _keep(run, uploaded)
        table = read_table(path, run.file_name)
        sample = _sample(table)
    except ImportFileError as error:
        _failed(run, error.message)
        raise type(error)(error.message, run=run) from None
    except Exception:
        # The readers turn every flaw of a file into an ImportFileError; anything else is
        # a bug, logged, and the person is told as much rather than shown a 500.
        log.exception("import run %s: the upload could not be read", run.pk)
        _failed(run, UNREADABLE)
        raise ImportFileError(UNREADABLE, run=run) from None
    columns = guess_columns(preset, kind, table.columns)
    if saved_mapping is not None:
        saved = {f: c for f, c in saved_mapping.columns.items() if c in table.columns}
        columns = {**{f: c for f, c in columns.items() if f.startswith("_")}, **saved}
    run.mapping = {
        "columns": columns,
        "names": {},
        "file_columns": table.columns,
        "read_as": table.describe(),
        "sample": sample,
    }
    run.summary = {}
    run.save(update_fields=["mapping", "summary"])
    return run


def _keep(run: ImportRun, uploaded: UploadedFile) -> Path:
    suffix = Path(uploaded.name or "").suffix.lower()
    path = run_dir(run.pk) / f"upload{suffix if suffix in UPLOAD_SUFFIXES else '.csv'}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return path


def _sample(table) -> dict[str, str]:
    """The first non-blank value of each column (shown beside the column's name)."""
    sample: dict[str, str] = {}
    for index, (_, row) in enumerate(table.rows()):
        for column, value in row.items():
            if value and column in table.columns and column not in sample:
                sample[column] = str(value)[:40]
        if len(sample) == len(table.columns) or index >= 20:
            break
    return sample


def _failed(run: ImportRun, message: str) -> None:
    run.status = ImportRun.Status.FAILED
    run.summary = {"error": message}  # ImportRun.save keeps it short
    run.save(update_fields=["status", "summary"])


def runs_stalled_fail(*, now: datetime | None = None) -> int:
    """Mark failed the imports that stopped half-way and will never finish: their
    process died (a restart, a crash, memory). Nothing of theirs was written, since an
    import is applied in one transaction. Returns how many were marked.

    A command-line or API run is "uploaded" only while it runs; a wizard run carries
    the `RUNNING` mark while a step works on it.
    """
    cutoff = (now or timezone.now()) - STALLED_AFTER
    stalled = set(
        ImportRun.objects.filter(status=ImportRun.Status.UPLOADED, created_at__lt=cutoff)
        .exclude(source=ImportRun.Source.UPLOAD)
        .values_list("pk", flat=True)
    )
    marked = ImportRun.objects.filter(summary__has_key=RUNNING).values_list("pk", "summary")
    for pk, summary in marked:
        since = parse_datetime(str(summary.get(RUNNING, "")))
        if since is None or since < cutoff:
            stalled.add(pk)
    if not stalled:
        return 0
    return (
        ImportRun.objects.filter(pk__in=stalled)
        .exclude(status__in=[ImportRun.Status.APPLIED, ImportRun.Status.FAILED])
        .update(status=ImportRun.Status.FAILED, summary={"error": STALLED})
    )


def run_columns_set(
    *, actor: Person, run: ImportRun, columns: dict[str, str], save_as: str = ""
) -> ImportRun:
    """Set which column feeds each field (keeping the preset's hidden helper columns),
    optionally saving the mapping by name for next time."""
    helpers = {f: c for f, c in (run.mapping.get("columns") or {}).items() if f.startswith("_")}
    chosen = {f: c for f, c in columns.items() if f in field_names(run.kind) and c}
    run.mapping = {**run.mapping, "columns": {**helpers, **chosen}}
    run.save(update_fields=["mapping"])
    if save_as.strip():
        saved_mapping_save(actor=actor, name=save_as, kind=run.kind, columns=chosen)
    return run


def run_preview(
    *, actor: Person, run: ImportRun, names: dict[str, dict[str, str]] | None = None
) -> pipeline.ImportResult:
    """A dry run of the whole file with the current mapping; nothing is changed."""
    if names is not None:
        run.mapping = {**run.mapping, "names": names}
    return _through_pipeline(actor=actor, run=run, dry_run=True)


def run_apply(*, actor: Person, run: ImportRun) -> pipeline.ImportResult:
    """Apply the previewed file: everything, or (if any row is rejected) nothing."""
    if run.status == ImportRun.Status.APPLIED:
        raise ImportFileError("This import was applied already.", run=run)
    return _through_pipeline(actor=actor, run=run, dry_run=False)


def _through_pipeline(*, actor: Person, run: ImportRun, dry_run: bool) -> pipeline.ImportResult:
    path = run_file(run)
    if path is None:
        raise ImportFileError("The uploaded file is no longer kept; upload it again.", run=run)
    # The pipeline replaces the summary when it finishes or fails: a mark left means the
    # process died on the way (see runs_stalled_fail).
    run.summary = {**(run.summary or {}), RUNNING: timezone.now().isoformat()}
    run.save(update_fields=["summary"])
    try:
        return pipeline.import_file(
            kind=run.kind,
            path=path,
            actor=actor,
            source=ImportRun.Source.UPLOAD,
            preset=run.preset or "generic",
            mapping=run.mapping.get("columns") or None,
            names=run.mapping.get("names") or {},
            dry_run=dry_run,
            run=run,
            file_name=run.file_name,
        )
    except ImportFileError as error:
        if RUNNING in (run.summary or {}):  # raised before the pipeline recorded the run
            _failed(run, error.message)
        raise
    except Exception:
        if run.status == ImportRun.Status.APPLIED:
            raise  # written and committed: the error came after, and is not the import's
        if RUNNING in (run.summary or {}):  # else the pipeline recorded and logged it
            log.exception("import run %s stopped on an unexpected error", run.pk)
        _failed(run, UNEXPECTED)
        raise ImportFileError(UNEXPECTED, run=run) from None


@transaction.atomic
def saved_mapping_save(
    *, actor: Person | None, name: str, kind: str, columns: dict[str, Any]
) -> SavedMapping:
    """Save (or replace) a named column mapping for `kind`."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ImportFileError("Give the mapping a name.")
    try:
        mapping, _ = SavedMapping.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "columns": columns,
                "created_by": actor if getattr(actor, "pk", None) else None,
                "updated_at": timezone.now(),
            },
        )
    except IntegrityError:
        raise ImportFileError(f'A mapping called "{name}" exists already.') from None
    return mapping


def preset_knows(preset: str, kind: str) -> bool:
    return preset == "generic" or kind in preset_get(preset).kinds
