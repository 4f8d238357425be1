"""The rejected rows of an import: kept as a CSV the person can fix and upload again.

The file has the row's own columns, preceded by `line` (as in their file) and
`reason`. It is written under VAR_DIR/imports/<run id>/rejected.csv as rows are
rejected, so a file with a million bad rows costs no memory. Cells a spreadsheet
would run as a formula are prefixed with `'` (CSV injection): the file is meant
to be opened in Excel.
"""

from __future__ import annotations

import csv
import heapq
import itertools
import shutil
from collections.abc import Iterable
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
        self._write(line, reason, row, source)

    def _write(self, line: int, reason: str, row: dict[str, Any], source: str) -> None:
        cells = [line, reason, *(row.get(column) for column in self.columns)]
        if self.with_file:
            cells.insert(0, source)
        self._writer.writerow([escape_cell(cell) for cell in cells])

    def add_late(self, late: Iterable[tuple[int, str, dict[str, Any]]], source: str = "") -> None:
        """Add rejects found once every row was read (a duplicate shows only when the
        whole file is staged), in line order among the rejects logged before.

        Only when there are both kinds is the file written so far merged with the
        late ones into a new one, streamed. (With several files, late rejects follow.)
        """
        late = iter(late)
        if self._writer is None or self.with_file:
            for line, reason, row in late:
                self.add(line, reason, row, source)
            return
        self._handle.close()
        earlier = self.path.with_name(f"{FILE_NAME}.earlier")
        self.path.replace(earlier)
        self._open()
        kept, late_kept = self.kept, []
        with earlier.open(encoding="utf-8-sig", newline="") as handle:
            logged = csv.reader(handle)
            next(logged)  # the header
            waiting = next(logged, None)
            for line, reason, row in late:
                while waiting is not None and int(waiting[0]) < line:
                    self._writer.writerow(waiting)
                    waiting = next(logged, None)
                self.count += 1
                if len(late_kept) < KEPT_IN_MEMORY:
                    late_kept.append(Reject(line, reason, dict(row)))
                self._write(line, reason, row, source)
            while waiting is not None:
                self._writer.writerow(waiting)
                waiting = next(logged, None)
        earlier.unlink()
        merged = heapq.merge(kept, late_kept, key=lambda reject: reject.line)
        self.kept = list(itertools.islice(merged, KEPT_IN_MEMORY))

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
