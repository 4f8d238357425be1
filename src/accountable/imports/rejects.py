"""The rejected rows of an import: kept as a CSV the person can fix and upload again.

The file has the row's own columns, preceded by `line` (as in their file) and
`reason`. It is written under VAR_DIR/imports/<run id>/rejected.csv as rows are
rejected, so a file with a million bad rows costs no memory. Cells a spreadsheet
would run as a formula are prefixed with `'` (CSV injection): the file is meant
to be opened in Excel.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from accountable.imports.values import FORMULA_STARTS

KEPT_IN_MEMORY = 1000
FILE_NAME = "rejected.csv"


@dataclass
class Reject:
    """One rejected row: its line in the file, why, and the row as it was."""

    line: int
    reason: str
    row: dict[str, Any] = field(default_factory=dict)


def run_dir(run_pk: int) -> Path:
    """Where the files of one import run are kept."""
    return Path(settings.VAR_DIR) / "imports" / str(run_pk)


def run_dir_fresh(run_pk: int) -> Path:
    """The run's folder, emptied: a new run never shows files left by an old database."""
    folder = run_dir(run_pk)
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def escape_cell(value: Any) -> str:
    """A cell made safe to open in a spreadsheet: formulas become plain text."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class RejectLog:
    """Collects rejects: counts them, keeps the first ones, writes all to a CSV."""

    def __init__(self, run_pk: int, columns: list[str], *, with_file: bool = False) -> None:
        self.path = run_dir(run_pk) / FILE_NAME
        self.columns = columns
        self.with_file = with_file
        self.count = 0
        self.kept: list[Reject] = []
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def add(self, line: int, reason: str, row: dict[str, Any], source: str = "") -> None:
        self.count += 1
        if len(self.kept) < KEPT_IN_MEMORY:
            self.kept.append(Reject(line, reason, dict(row)))
        if self._writer is None:
            self._open()
        cells = [line, reason, *(row.get(column) for column in self.columns)]
        if self.with_file:
            cells.insert(0, source)
        self._writer.writerow([escape_cell(cell) for cell in cells])

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # utf-8-sig: Excel opens it with the right characters.
        self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._handle)
        header = ["line", "reason", *self.columns]
        if self.with_file:
            header.insert(0, "file")
        self._writer.writerow([escape_cell(cell) for cell in header])

    def close(self) -> str | None:
        """Finish the file; its path, or None when nothing was rejected."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self.count:
            return str(self.path)
        if self.path.exists():
            self.path.unlink()
        return None
