"""The import pipeline: the one path for the browser wizard, the CLI and the API.

read → map columns → validate every row → preview → apply, in ONE transaction,
idempotent by external id. A file is applied whole or not at all: if any row is
rejected nothing is written (the run is REJECTED) and the rejected rows are kept
as a CSV with their line numbers and reasons. A dry run does all the work,
reports what it would do, and rolls it back.

Rows stream through validation and are written in batches, so memory does not
grow with the file: only the ids seen (to catch duplicates) and the first
rejects are kept. Activities, which come by the million, take the bulk path
instead: checked in a tight loop (`imports.fast_rows`), staged in a temporary
table and written with a few set-based statements (`crm.bulk_load`), with
duplicates found in SQL — the same rules, messages and counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record
from accountable.core.planner import planner_statistics_refresh
from accountable.crm import upsert as crm
from accountable.crm.bulk_load import ActivityStaging
from accountable.crm.errors import CrmError
from accountable.crm.models import Account, Product, Stage
from accountable.crm.names import name_key
from accountable.crm.pipeline import stage_add
from accountable.imports import crm_stages, maven
from accountable.imports.apply import BATCH_SIZE, Counts, writer_for
from accountable.imports.date_order import DateOrders
from accountable.imports.errors import ImportFileError, RowError
from accountable.imports.fast_rows import ActivityRows, reads_cells
from accountable.imports.findings import Findings
from accountable.imports.formats import KINDS, field_names, required_fields
from accountable.imports.models import ImportRun
from accountable.imports.presets import guess_columns, prepare_state, preset_get
from accountable.imports.readers import EXTRA_CELLS, Table, read_table
from accountable.imports.rejects import Reject, RejectLog, run_dir_fresh
from accountable.imports.validate import (
    Context,
    check_cell_count,
    twice_reason,
    validator_for,
)
from accountable.org.models import Person
from accountable.org.services import organisation_get
from accountable.org.zone import zone_of

__all__ = [
    "KINDS",
    "ImportFileError",
    "ImportResult",
    "Reject",
    "import_file",
    "import_maven",
    "import_rows",
]

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
# (line in the file, row in generic columns, the row as the file has it)
Numbered = tuple[int, dict[str, Any], dict[str, Any]]
SHOWN_REJECTS = 200
BULK_KINDS = frozenset({"activities"})  # written set-based, see _run_bulk_job


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do).

    `summary` is {"created", "updated", "unchanged", "rejected", "rejected_file",
    "warnings"}; counts are of rows written, so a rejected (not applied) import
    reports 0 created. `rejects` holds the first rejected rows (all are in the
    rejected file); `unknown_names` the names to map (matching nothing, or several
    records), by kind of name ({"owner": ["Jane Doe"], "product": ["Hoverboard"]}).
    """

    run: ImportRun
    summary: dict[str, Any]
    rejects: list[Reject]
    unknown_names: dict[str, list[str]]

    @property
    def applied(self) -> bool:
        return self.run.status == ImportRun.Status.APPLIED


@dataclass
class Job:
    """One kind of rows to import (a maven folder is four jobs in one transaction).

    `rows_again` reads the rows once more (the bulk path fetches the rows of late
    rejects so); `table` and `columns` let it read a file's cells directly.
    """

    kind: str
    rows: Iterable[Numbered]
    label: str = ""
    total: int = 0
    rows_again: Callable[[], Iterable[Numbered]] | None = None
    table: Table | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class _Outcome:
    counts: Counts = field(default_factory=Counts)
    rows: int = 0
    unknown: dict[str, list[str]] = field(default_factory=dict)


def _check_kind(kind: str, allowed: Iterable[str] = KINDS) -> None:
    if kind not in allowed:
        raise ImportFileError(f'Unknown kind "{kind}". Import one of: {", ".join(allowed)}.')


def _run_start(
    *, kind: str, source: str, actor, file_name: str, preset: str, mapping: dict
) -> ImportRun:
    run = ImportRun.objects.create(
        kind=kind,
        source=source,
        file_name=file_name[:255],
        preset=preset,
        mapping=mapping,
        status=ImportRun.Status.UPLOADED,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    run_dir_fresh(run.pk)
    return run


ADOPT_STAGES = "adopt_stages"  # in a run's mapping: adopt the preset's CRM stages first

# --- public entry points ---------------------------------------------------------------


def import_rows(
    *,
    kind: str,
    rows: Iterable[dict[str, str]],
    actor,
    source: str,
    dry_run: bool = False,
    file_name: str = "",
    preset: str = "generic",
    names: dict[str, dict[str, str]] | None = None,
    first_line: int = 2,
    run: ImportRun | None = None,
) -> ImportResult:
    """Import rows already in the generic columns (the API's JSON rows).

    Line numbers count from `first_line` (2: as if row 1 were a header).
    Raises ImportFileError when the batch as a whole cannot be imported.
    """
    _check_kind(kind)
    run = run or _run_start(
        kind=kind,
        source=source,
        actor=actor,
        file_name=file_name,
        preset=preset,
        mapping={"columns": {}, "names": names or {}},
    )
    columns = field_names(kind)
    if not isinstance(rows, Sequence):
        # Read twice when a duplicate is found, or an ambiguous date's column is read.
        rows = list(rows)

    def numbered() -> Iterator[Numbered]:
        for line, row in enumerate(rows, first_line):
            clean = {key: _as_text(value) for key, value in dict(row).items()}
            yield line, clean, clean

    job = Job(kind, numbered(), rows_again=numbered)
    return _execute(run, [job], actor=actor, names=names, dry_run=dry_run, columns=columns)


def import_file(
    *,
    kind: str,
    path: Path,
    actor,
    source: str,
    preset: str = "generic",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    names: dict[str, dict[str, str]] | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
    file_name: str = "",
    adopt_stages: bool = False,
) -> ImportResult:
    """Import a CSV or XLSX file of `kind`, read with `preset` or a custom `mapping`
    (generic field → column of the file). `adopt_stages`: first make the preset's CRM
    stages the pipeline's, in the same transaction (`crm_stages.adopt`). Raises
    ImportFileError for a file that cannot be imported at all; the run records it as
    FAILED."""
    path = Path(path)
    run = run or _run_start(
        kind=kind,
        source=source,
        actor=actor,
        file_name=file_name or path.name,
        preset=preset,
        mapping={"columns": mapping or {}, "names": names or {}},
    )
    if adopt_stages:
        run.mapping = {**(run.mapping or {}), ADOPT_STAGES: True}
    try:
        _check_kind(kind)
        preset_get(preset)
        table = read_table(path, run.file_name)
        columns = file_mapping(kind, preset, table, mapping)
    except (ImportFileError, KeyError) as error:
        message = error.message if isinstance(error, ImportFileError) else error.args[0]
        _fail(run, message)
        raise ImportFileError(message, run=run) from None
    run.mapping = {**(run.mapping or {}), "columns": columns, "names": names or {}}
    findings = Findings()
    _note_unused_columns(table, columns, findings)
    state = {"findings": findings, **prepare_state(preset, kind, table)}
    known = preset_get(preset).kinds.get(kind)
    plain = not (known and known.expand) and reads_cells(columns)  # the cells are the values
    job = Job(
        kind,
        mapped_rows(table, kind, preset, columns, state),
        total=_estimate(table),
        rows_again=lambda: mapped_rows(table, kind, preset, columns, state),
        table=table if plain else None,
        columns=columns,
    )
    return _execute(
        run,
        [job],
        actor=actor,
        names=names,
        dry_run=dry_run,
        columns=table.columns,
        findings=findings,
        progress=progress,
    )


def import_maven(
    *,
    folder: Path,
    actor,
    source: str,
    dry_run: bool = False,
    names: dict[str, dict[str, str]] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the CRM Sales Opportunities folder: its people and teams, accounts,
    products and deals, in one transaction (see `imports.maven` for its flaws)."""
    run = _run_start(
        kind="maven",
        source=source,
        actor=actor,
        file_name=str(folder)[-255:],
        preset="maven",
        mapping={"columns": {}, "names": names or {}},
    )
    try:
        files = maven.folder_files(folder)
        tables = {kind: read_table(path) for kind, path in files.items()}
    except ImportFileError as error:
        _fail(run, error.message)
        raise ImportFileError(error.message, run=run) from None
    findings = Findings()
    facts = maven.pipeline_facts(tables["deals"])
    state = {"findings": findings, **facts, "prices": maven.product_prices(tables["products"])}
    jobs, all_columns = [], []
    for kind, table in tables.items():
        columns = file_mapping(kind, "maven", table, None)
        _note_unused_columns(table, columns, findings, label=table.path.name)
        rows = mapped_rows(table, kind, "maven", columns, state)
        jobs.append(Job(kind, rows, label=table.path.name, total=_estimate(table)))
        all_columns += [c for c in table.columns if c not in all_columns]
    idle = maven.agents_without_deals(tables["people"], facts)
    if idle:
        findings.note(f"{len(idle)} sales agents have no deals: {', '.join(idle)}")
    return _execute(
        run,
        jobs,
        actor=actor,
        names=names,
        dry_run=dry_run,
        columns=all_columns,
        findings=findings,
        progress=progress,
    )


# --- reading and mapping ---------------------------------------------------------------


def file_mapping(
    kind: str, preset: str, table: Table, mapping: dict[str, str] | None
) -> dict[str, str]:
    """The field → column mapping to use, checked: every required field has a column."""
    columns = dict(mapping) if mapping else guess_columns(preset, kind, table.columns)
    unknown = [column for column in columns.values() if column and column not in table.columns]
    if unknown:
        raise ImportFileError(
            f"The mapping names columns the file does not have: {', '.join(unknown)}. "
            f"The file's columns are: {', '.join(table.columns)}."
        )
    columns = {name: column for name, column in columns.items() if column}
    known = preset_get(preset).kinds.get(kind)
    provided = known.provides if known else frozenset()
    missing = [f for f in required_fields(kind) if f not in columns and f not in provided]
    if missing:
        raise ImportFileError(
            f"The file has no column for {', '.join(missing)} (required for {kind}). "
            f"Its columns are: {', '.join(table.columns)}. Rename the columns, choose "
            "another preset, or map them."
        )
    return columns


def mapped_rows(
    table: Table, kind: str, preset: str, columns: dict[str, str], state: dict[str, Any]
) -> Iterator[Numbered]:
    """The file's rows in the generic columns, through the preset's expander."""
    known = preset_get(preset).kinds.get(kind)
    expand = known.expand if known else None
    for line, original in table.rows():
        if EXTRA_CELLS in original:
            yield line, {EXTRA_CELLS: original[EXTRA_CELLS]}, original
            continue
        row = {name: original.get(column) for name, column in columns.items()}
        for produced in expand(row, state) if expand else [row]:
            yield line, produced, original


def _note_unused_columns(
    table: Table, columns: dict[str, str], findings: Findings, label: str = ""
) -> None:
    used = set(columns.values())
    unused = [column for column in table.columns if column not in used]
    if unused:
        where = f"{label}: " if label else ""
        findings.note(f"{where}columns not imported: {', '.join(unused)}")


def _estimate(table: Table) -> int:
    """Roughly how many rows the file has (for a progress bar)."""
    if table.format == "csv":
        with table.path.open("rb") as handle:
            return max(
                sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0
            )
    return 0


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# --- validating and writing ------------------------------------------------------------


def _execute(
    run: ImportRun,
    jobs: list[Job],
    *,
    actor,
    names: dict[str, dict[str, str]] | None,
    dry_run: bool,
    columns: list[str],
    findings: Findings | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    findings = findings if findings is not None else Findings()
    rejects = RejectLog(run.pk, columns, with_file=len(jobs) > 1)
    outcome = _Outcome()
    try:
        with transaction.atomic():
            if (run.mapping or {}).get(ADOPT_STAGES):
                _adopt_stages(run.preset, actor, findings)
            for job in jobs:
                _run_job(job, outcome, rejects, actor, names or {}, findings, progress)
            if outcome.rows == 0:
                raise ImportFileError("The file has a header but no rows to import.")
            if dry_run or rejects.count:
                transaction.set_rollback(True)
    except ImportFileError as error:
        rejects.close()
        _fail(run, error.message)
        raise type(error)(error.message, run=run) from None
    except Exception:
        rejects.close()
        _fail(run, "The import stopped on an unexpected error; nothing was changed.")
        log.exception("import run %s failed", run.pk)
        raise
    return _finish(run, outcome, rejects, findings, dry_run)


def _run_job(
    job: Job,
    outcome: _Outcome,
    rejects: RejectLog,
    actor,
    names: dict,
    findings: Findings,
    progress: Progress | None,
) -> None:
    """Validate `job`'s rows one by one and write the good ones in batches."""
    if job.kind in BULK_KINDS:
        _run_bulk_job(job, outcome, rejects, actor, names, findings, progress)
        return
    context = _context(job.kind, actor, names, findings, job)
    validator = validator_for(context)
    writer = writer_for(job.kind, actor, findings, validator.scope.grant)
    held: dict[int, dict[str, Any]] = {}
    batch: list[tuple[int, dict[str, Any]]] = []
    keep_all = job.kind in {"accounts", "people"}  # their writers finish at the end

    def flush() -> None:
        for line, reason in writer.write(batch):
            rejects.add(line, reason, held.get(line, {}), job.label)
        batch.clear()
        if not keep_all:
            held.clear()

    for line, row, original in job.rows:
        outcome.rows += 1
        if progress and outcome.rows % 500 == 0:
            progress(outcome.rows, max(job.total, outcome.rows))
        try:
            values = _validated(validator, line, row, original)
        except RowError as error:
            rejects.add(line, error.reason, original, job.label)
            continue
        held[line] = original
        batch.append((line, values))
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    for line, reason in writer.finish():
        rejects.add(line, reason, held.get(line, {}), job.label)
    outcome.counts.add(writer.counts)
    _note_unknown(outcome, context)
    if progress:
        progress(outcome.rows, outcome.rows)


def _run_bulk_job(
    job: Job,
    outcome: _Outcome,
    rejects: RejectLog,
    actor,
    names: dict,
    findings: Findings,
    progress: Progress | None,
) -> None:
    """Activities, set-based: each row checked (the well-formed ones in a tight loop,
    the others by the validator), staged, then applied with a few SQL statements.
    The rules, messages and counts are those of `_run_job`; a file's duplicate
    external ids are found in SQL, and rejected with the line of the first."""
    context = _context(job.kind, actor, names, findings, job)

    def reject(line: int, reason: str, original: dict[str, Any]) -> None:
        rejects.add(line, reason, original, job.label)

    compiler = ActivityRows(validator_for(context), reject)
    if job.table is not None:
        batches = compiler.from_table(job.table, job.columns)
    else:
        batches = compiler.from_rows(job.rows)
    with ActivityStaging() as staging:
        for batch in batches:
            staging.add(batch)
            if progress:
                progress(compiler.rows, max(job.total, compiler.rows))
        outcome.rows += compiler.rows
        if staging.has_duplicates():
            late = _duplicate_rejects(staging.duplicates(), job.rows_again())
            rejects.add_late(late, job.label)
            staging.forget_duplicates()
        grant = compiler.validator.scope.grant
        if not grant.everyone:
            # An existing activity of someone out of the importer's reach is refused,
            # whatever person its row names (the rows' own people are checked as read).
            reason = crm.taken_reason("activity")
            foreign = [
                (line, f"Activity {ext}: {reason}", {})
                for line, ext in staging.out_of_reach(grant.people())
            ]
            if foreign:
                rejects.add_late(_with_rows(foreign, job.rows_again()), job.label)
        applied = staging.apply(compiler.combinations)
    outcome.counts.add(applied)
    _note_unknown(outcome, context)
    if progress:
        progress(outcome.rows, outcome.rows)


def _with_rows(
    late: Iterable[tuple[int, str, dict[str, Any]]], rows: Iterable[Numbered]
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Late rejects (in line order) with their rows as the file has them."""
    rows = iter(rows)
    for line, reason, _ in late:
        original = next((original for at, _, original in rows if at == line), {})
        yield line, reason, original


def _duplicate_rejects(
    duplicates: Iterable[tuple[int, str, int]], rows: Iterable[Numbered]
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Each duplicate with its row as the file has it (both streams are in line order)."""
    late = ((line, twice_reason(external_id, first), {}) for line, external_id, first in duplicates)
    return _with_rows(late, rows)


def _note_unknown(outcome: _Outcome, context: Context) -> None:
    for entity, unknown in context.unknown_names().items():
        merged = outcome.unknown.setdefault(entity, [])
        merged += [name for name in unknown if name not in merged]


def _context(kind: str, actor, names: dict, findings: Findings, job: Job) -> Context:
    organisation = organisation_get()
    return Context(
        date_orders=DateOrders(job.rows_again, findings, default=organisation.date_order),
        actor=actor,
        kind=kind,
        findings=findings,
        names=names,
        calendar=organisation.calendar,
        zone=zone_of(organisation.time_zone),
        creators={
            "account": _create_account,
            "product": _create_product,
            "stage": partial(_create_stage, actor),
        },
    )


def _validated(validator, line: int, row: dict[str, Any], original: dict[str, Any]) -> dict:
    check_cell_count(row, original)
    return validator.validate(line, row)


def _adopt_stages(preset: str, actor, findings: Findings) -> None:
    """Make the preset's CRM stages the pipeline's before the rows are read (undone with
    them on a dry run or a rejected file); the summary says what the pipeline became."""
    try:
        adopted = crm_stages.adopt(actor=actor, preset=preset)
    except (CrmError, PermissionDenied) as error:
        raise ImportFileError(f"The CRM's stages cannot be adopted: {error}") from None
    if adopted:
        shown = ", ".join(f"{stage.name} ({stage.probability} %)" for stage in adopted)
        crm = crm_stages.CRM_OF_PRESET[preset]
        findings.note(f"The pipeline's open stages are now {crm}'s: {shown}")


def _create_account(name: str, _how: str = "") -> Account:
    crm.accounts_upsert([{"name": name}])
    return Account.objects.get(key=name_key(name))


def _create_product(name: str, _how: str = "") -> Product:
    crm.products_upsert([{"name": name}])
    return Product.objects.get(key=name_key(name))


def _create_stage(actor: Person | None, name: str, how: str = "") -> Stage:
    """A new open stage, placed by its probability: the one the mapping gives after
    "+create:", else a CRM's standard one for that name. Only the pipeline's editors
    add stages; anyone else is told to map the name."""
    probability = how or crm_stages.standard_probability(name)
    if probability is None:
        raise RowError(
            f'Stage "{name}" cannot be created without its probability: map it to '
            f'"+create:40" to add it at 40 %, or to a stage of the pipeline (names → stage)'
        )
    try:
        return stage_add(actor=actor, name=name, probability=probability)
    except PermissionDenied:
        raise RowError(
            f'Only an administrator adds stages to the pipeline: map "{name}" to one of its '
            "stages (names → stage)"
        ) from None
    except CrmError as error:
        raise RowError(f'Stage "{name}" cannot be created: {error}') from None


# --- recording the run -----------------------------------------------------------------


def _fail(run: ImportRun, message: str) -> None:
    run.status = ImportRun.Status.FAILED
    run.summary = {"error": message}
    run.save()


def _audit(run: ImportRun, summary: dict[str, Any]) -> None:
    """Every import that was meant to write — applied, or rejected whole — is in the audit
    trail under who ran it, with what it did (a dry run writes nothing and is not)."""
    audit_record(
        actor=run.created_by,
        action=f"import.{run.status}",
        obj=run,
        after={
            "kind": run.kind,
            "source": run.source,
            **({"file": run.file_name} if run.file_name else {}),
            **{key: summary[key] for key in ("created", "updated", "unchanged", "rejected")},
        },
    )


def _finish(
    run: ImportRun, outcome: _Outcome, rejects: RejectLog, findings: Findings, dry_run: bool
) -> ImportResult:
    rejected_file = rejects.close()
    applied = not dry_run and not rejects.count
    counts = outcome.counts
    written = {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
    if not dry_run and rejects.count:
        written = dict.fromkeys(written, 0)
    summary = {
        **written,
        "rejected": rejects.count,
        "rejected_file": rejected_file,
        "warnings": findings.messages(),
    }
    if dry_run:
        run.status = ImportRun.Status.PREVIEWED
    elif applied:
        run.status = ImportRun.Status.APPLIED
        run.applied_at = timezone.now()
    else:
        run.status = ImportRun.Status.REJECTED
    run.summary = {
        **summary,
        "rows": outcome.rows,
        "would": {
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        },
        "unknown_names": outcome.unknown,
        "rejects_shown": [[r.line, r.reason] for r in rejects.kept[:SHOWN_REJECTS]],
    }
    run.save()
    if not dry_run:
        _audit(run, summary)
    if applied:
        planner_statistics_refresh()
    return ImportResult(run, summary, rejects.kept, outcome.unknown)
