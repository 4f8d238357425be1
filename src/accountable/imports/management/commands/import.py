"""`accountable import KIND PATH`: the import pipeline from the command line.

Exit status: 0 when the file was applied (or previewed with --dry-run) with no
rejects; 1 when rows were rejected (nothing was applied; the reasons go to
stderr); 2 when the file cannot be imported at all (the message goes to stderr).
With `--format json`, stdout holds exactly one JSON object:
{"created", "updated", "unchanged", "rejected", "rejected_file", "warnings"}
(or {"error": message} when the file cannot be imported).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from accountable.core.progress import progress_bar
from accountable.imports import pipeline
from accountable.imports.errors import ImportFileError
from accountable.imports.names import CREATABLE, CREATE, EVERY_UNKNOWN
from accountable.imports.presets import presets

KINDS = [*pipeline.KINDS, "maven"]


class Command(BaseCommand):
    help = (
        "Import people, deals, activities, targets, feedback, time off, accounts or products "
        "from a "
        "CSV or XLSX file (or `maven FOLDER` for the CRM Sales Opportunities data set). "
        "All or nothing: if any row is rejected, nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS, help="What the file holds.")
        parser.add_argument("path", type=Path, help="The file (or, for maven, the folder).")
        parser.add_argument(
            "--preset", default="generic", choices=list(presets()), help="Column names of."
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help='A JSON file: {"columns": {field: column}, "names": {"owner": {name: e-mail}}}.',
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create every account and product the file names that does not exist yet "
            "(each is listed in the warnings), as the wizard's checkboxes do; with "
            "--adopt-stages, stages too.",
        )
        parser.add_argument(
            "--adopt-stages",
            action="store_true",
            help="Deals with --preset salesforce or hubspot: first make the CRM's standard "
            "stages the pipeline's open stages (only over the default pipeline, holding no "
            "open deal yet; nothing to do when they already are).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; change nothing."
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        as_json = options["format"] == "json"
        try:
            columns, names = _read_mapping(options["mapping"])
            if options["create_missing"]:
                names = create_missing(names, stages=options["adopt_stages"])
            with progress_bar(f"Importing {options['kind']}", total=0) as advance:
                result = self._import(options, columns, names, advance)
        except ImportFileError as error:
            if as_json:
                self.stdout.write(json.dumps({"error": error.message}))
            self.stderr.write(error.message)
            sys.exit(2)
        if as_json:
            self.stdout.write(json.dumps(result.summary))
        else:
            self._print_summary(result, options)
        if result.summary["rejected"]:
            self._print_rejects(result)
            sys.exit(1)

    def _import(self, options, columns, names, advance) -> pipeline.ImportResult:
        common: dict[str, Any] = {
            "actor": None,
            "source": "cli",
            "dry_run": options["dry_run"],
            "names": names,
            "progress": advance,
        }
        if options["kind"] == "maven":
            return pipeline.import_maven(folder=options["path"], **common)
        return pipeline.import_file(
            kind=options["kind"],
            path=options["path"],
            preset=options["preset"],
            mapping=columns,
            adopt_stages=options["adopt_stages"],
            **common,
        )

    def _print_summary(self, result: pipeline.ImportResult, options) -> None:
        summary = result.summary
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed. The import would do this:")
        elif result.applied:
            self.stdout.write(f"Imported {options['kind']} (run {result.run.pk}):")
        for key in ("created", "updated", "unchanged", "rejected"):
            self.stdout.write(f"  {key:<10} {summary[key]:>9,}")
        if summary["warnings"]:
            self.stdout.write("Warnings:")
            for warning in summary["warnings"]:
                self.stdout.write(f"  - {warning}")

    def _print_rejects(self, result: pipeline.ImportResult) -> None:
        count = result.summary["rejected"]
        self.stderr.write(
            f"{count:,} row{'s' if count != 1 else ''} rejected; nothing was imported."
        )
        self.stderr.write(f"{'line':>8}  reason")
        for reject in result.rejects:
            self.stderr.write(f"{reject.line:>8}  {reject.reason}")
        if count > len(result.rejects):
            self.stderr.write(f"… and {count - len(result.rejects):,} more.")
        self.stderr.write(
            f"All rejected rows with their reasons: {result.summary['rejected_file']}"
        )


def create_missing(names: dict | None, *, stages: bool = False) -> dict:
    """The names mapping with every unknown account and product (and, with `stages`,
    stage) created ("*": "+create"), unless the mapping file already says what to do
    with unknown ones."""
    names = dict(names or {})
    for entity in CREATABLE if stages else [e for e in CREATABLE if e != "stage"]:
        mapping = names.get(entity)
        mapping = dict(mapping) if isinstance(mapping, dict) else {}
        mapping.setdefault(EVERY_UNKNOWN, CREATE)
        names[entity] = mapping
    return names


def _read_mapping(path: Path | None) -> tuple[dict[str, str] | None, dict | None]:
    if path is None:
        return None, None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportFileError(f"The mapping file {path} cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise ImportFileError(f'The mapping file {path} must hold {{"columns": …, "names": …}}.')
    columns, names = data.get("columns") or None, data.get("names") or None
    if columns is not None and not isinstance(columns, dict):
        raise ImportFileError('"columns" in the mapping file must map fields to column names.')
    if names is not None and not isinstance(names, dict):
        raise ImportFileError('"names" in the mapping file must map kinds of names to mappings.')
    return columns, names
