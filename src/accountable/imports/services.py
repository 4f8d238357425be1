"""The import wizard's steps: upload, map columns, preview, apply — each a service.

The uploaded file is kept under VAR_DIR/imports/<run id>/ between steps; the
ImportRun remembers the mapping (`run.mapping["columns"]`), the name mappings
(`run.mapping["names"]`) and what the file looked like. Previewing and applying
go through the same pipeline as the CLI and the API.

The request only keeps the file (its size bounded before it is read) and queues
the work: reading the file's header, previewing and applying run in the
background worker (`step_mark`, then `imports.tasks.step_queue` → `step_run`), so no
file, however large, holds a web process. While a step is queued or at work the
run's summary names it (`WORKING`) and the step writes how far it got to a small
file beside the upload (`step_progress`), which the page polls.

A run whose process dies half-way (a restart, memory) would stay "uploaded" for ever:
while a wizard step works on a run it marks it (`RUNNING`), and `runs_stalled_fail`
marks failed the runs still in progress after `STALLED_AFTER`.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accountable.crm.pipeline import StageSpec
from accountable.imports import crm_stages, pipeline
from accountable.imports.errors import ImportFileError
from accountable.imports.formats import field_names
from accountable.imports.models import ImportRun, SavedMapping
from accountable.imports.presets import guess_columns, preset_get
from accountable.imports.readers import read_table
from accountable.imports.rejects import run_dir, run_dir_fresh
from accountable.imports.validate import Scope
from accountable.org.abilities import EDIT_PIPELINE, may
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


def _kept_file(run: ImportRun) -> Path:
    """The uploaded file a step works on; ImportFileError when it is gone."""
    path = run_file(run)
    if path is None:
        raise ImportFileError("The uploaded file is no longer kept; upload it again.", run=run)
    return path


def upload_start(
    *,
    actor: Person,
    kind: str,
    preset: str,
    uploaded: UploadedFile,
    saved_mapping: SavedMapping | None = None,
) -> ImportRun:
    """Keep the uploaded file; its header is read next, in the background (`upload_read`).

    Raises ImportFileError (the run records it as failed) when the person may not
    import this kind or the file cannot be kept.
    """
    run = ImportRun.objects.create(
        kind=kind,
        source=ImportRun.Source.UPLOAD,
        file_name=(uploaded.name or "upload")[:255],
        preset=preset,
        status=ImportRun.Status.UPLOADED,
        mapping={"saved_mapping": saved_mapping.pk if saved_mapping else None},
        created_by=actor,
    )
    run_dir_fresh(run.pk)
    try:
        Scope(actor, kind)
        _keep(run, uploaded)
    except ImportFileError as error:
        _failed(run, error.message)
        raise type(error)(error.message, run=run) from None
    return run


def upload_read(*, run: ImportRun) -> ImportRun:
    """Read the kept file's header and first rows, and propose a column mapping (from
    the preset, or from the mapping saved by name that the upload chose)."""
    try:
        table = read_table(_kept_file(run), run.file_name)
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
    columns = guess_columns(run.preset or "generic", run.kind, table.columns)
    saved_mapping = SavedMapping.objects.filter(pk=(run.mapping or {}).get("saved_mapping")).first()
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


# --- the steps in the background -------------------------------------------------------

READ, PREVIEW, APPLY = "read", "preview", "apply"
STEPS = {
    READ: "Reading the file",
    PREVIEW: "Checking every row",
    APPLY: "Applying the import",
}
# The summary's mark of a step queued or at work on the run (its name, from STEPS).
WORKING = "working"
PROGRESS_FILE = "progress.json"
PROGRESS_EVERY = 0.5  # seconds between two writes of the progress file


def step_mark(*, run: ImportRun, step: str) -> ImportRun:
    """Mark a step of the wizard as queued (`imports.tasks.step_queue` then hands it to
    the worker); the pages show the run working until the step ends.

    The `RUNNING` mark is set now, so a run whose step never finishes (the worker
    died, or none runs) is marked failed by `runs_stalled_fail` after STALLED_AFTER.
    """
    if step not in STEPS:
        raise ImportFileError(f'Unknown step "{step}".', run=run)
    run.summary = {**(run.summary or {}), WORKING: step, RUNNING: timezone.now().isoformat()}
    run.save(update_fields=["summary"])
    progress_path(run).unlink(missing_ok=True)
    return run


def step_run(*, run_id: int, step: str, actor_id: int) -> str:
    """Do a queued step (in the worker); returns the run's status afterwards. Failures
    are recorded on the run, with their message, by the step itself."""
    run = ImportRun.objects.filter(pk=run_id).first()
    actor = Person.objects.filter(pk=actor_id).first()
    if run is None:
        return "gone"
    if (run.summary or {}).get(WORKING) != step:
        return run.status  # already done, or replaced by a newer step
    if actor is None or not actor.is_active:
        _failed(run, "Whoever started this import can no longer sign in; nothing was changed.")
        return run.status
    try:
        if step == READ:
            upload_read(run=run)
        elif step == PREVIEW:
            run_preview(actor=actor, run=run)
        else:
            run_apply(actor=actor, run=run)
    except ImportFileError:
        pass  # recorded on the run as failed, with its message
    run.refresh_from_db()
    return run.status


def step_working(run: ImportRun) -> str:
    """The step queued or at work on the run ("" when none)."""
    return (run.summary or {}).get(WORKING, "")


def progress_path(run: ImportRun) -> Path:
    return run_dir(run.pk) / PROGRESS_FILE


def step_progress(run: ImportRun) -> tuple[int, int] | None:
    """(rows done, rows expected) of the step at work, as it last wrote them; None
    before its first rows. Rows expected may be 0 (a workbook's are not counted)."""
    try:
        done, total = json.loads(progress_path(run).read_text())
        return int(done), int(total)
    except (OSError, ValueError, TypeError):
        return None


def _progress_writer(run: ImportRun):
    """A pipeline progress callback that writes (done, total) beside the upload at most
    every PROGRESS_EVERY seconds: a file, not the database, since the step's own
    transaction would hide the count from the page until it ends."""
    path = progress_path(run)
    last = [0.0]

    def write(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and done < total:
            return
        last[0] = now
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps([done, total]))
        partial.replace(path)

    return write


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


def run_names_set(*, run: ImportRun, names: dict[str, dict[str, str]]) -> ImportRun:
    """Set how the file's unknown names map to known ones (used by the next preview)."""
    run.mapping = {**run.mapping, "names": names}
    run.save(update_fields=["mapping"])
    return run


@dataclass(frozen=True)
class StagesOffer:
    """The wizard's offer to make a CRM's standard stages the pipeline's (`chosen`: the
    run will adopt them when applied; its previews already read the file so)."""

    crm: str
    stages: list[StageSpec]
    chosen: bool


def stages_offer(*, actor: Person, run: ImportRun) -> StagesOffer | None:
    """What the preview offers for a deals export of a CRM: its stages, when the actor
    edits the pipeline and the pipeline may take them (`crm_stages.adoptable`)."""
    crm = crm_stages.CRM_OF_PRESET.get(run.preset or "")
    if run.kind != "deals" or crm is None or not may(actor, EDIT_PIPELINE):
        return None
    chosen = bool((run.mapping or {}).get(pipeline.ADOPT_STAGES))
    if not chosen and not crm_stages.adoptable(crm):
        return None
    return StagesOffer(crm, crm_stages.open_stages(crm), chosen)


def run_stages_set(*, actor: Person, run: ImportRun, adopt: bool) -> ImportRun:
    """Whether the run adopts its CRM's stages when applied (read by the next preview)."""
    if adopt and stages_offer(actor=actor, run=run) is None:
        raise ImportFileError("This import cannot adopt a CRM's stages.", run=run)
    run.mapping = {**run.mapping, pipeline.ADOPT_STAGES: adopt}
    run.save(update_fields=["mapping"])
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
    path = _kept_file(run)
    # The pipeline replaces the summary when it finishes or fails: a mark left means the
    # process died on the way (see runs_stalled_fail).
    run.summary = {**(run.summary or {}), RUNNING: timezone.now().isoformat()}
    run.save(update_fields=["summary"])
    try:
        return pipeline.import_file(
            progress=_progress_writer(run),
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
