"""Reading an uploaded file as a header and a stream of rows, whatever wrote it.

CSV from any common tool: UTF-8 (with or without the BOM Excel adds), UTF-16
with a BOM ("Unicode text" from Excel), or Windows-1252 (older Excel on
Windows); delimited by comma, semicolon (European Excel), tab or pipe. XLSX:
the first worksheet. Rows are yielded one at a time with the line number the
person sees in their file (the header is line 1), so a million-row file is
never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from accountable.imports.errors import ImportFileError

DELIMITERS = ",;\t|"
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
# Some exports have very long text cells (notes); allow 10 MB per cell.
csv.field_size_limit(10 * 1024 * 1024)

Row = dict[str, str | None]


@dataclass(frozen=True)
class Table:
    """How a file was read: its columns, and how to stream its rows again."""

    path: Path
    columns: list[str]
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""

    def rows(self) -> Iterator[tuple[int, Row]]:
        """(line, {column: value}) for every non-blank row after the header."""
        columns = self.columns
        for line, cells in self.records():
            yield line, as_row(columns, cells)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) for every non-blank row after the header: the cells as read,
        as many as the row has (the bulk path picks them by position, with no dict)."""
        return _xlsx_records(self) if self.format == "xlsx" else _csv_records(self)

    def describe(self) -> str:
        if self.format == "xlsx":
            return "Excel workbook (first sheet)"
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        return f"CSV, {self.encoding}, {names.get(self.delimiter, repr(self.delimiter))}-separated"


def read_table(path: Path, name: str = "") -> Table:
    """Open `path` and read its header, or raise ImportFileError saying what is wrong.

    `name` is the file's name as the person knows it (an upload is kept under another).
    """
    path = Path(path)
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(f"The file {name} cannot be found.") from None
    if size == 0:
        raise ImportFileError(f"The file {name} is empty (0 bytes).")
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(
            "This is an old-style Excel file (.xls). Save it as .xlsx or CSV and upload it again."
        )
    if head.startswith(ZIP_MAGIC) or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _xlsx_table(path, name)
    return _csv_table(path, head, name)


# --- CSV -------------------------------------------------------------------------------


def detect_encoding(path: Path, head: bytes) -> str:
    """The encoding of a text file: from its BOM, else the first that decodes it all."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise ImportFileError(
            "This file is not a text (CSV) file, or is UTF-16 without a byte order mark. "
            "Save it as “CSV UTF-8” and upload it again."
        )
    for encoding in ("utf-8", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    position, byte = _first_bad_byte(path)
    raise ImportFileError(
        f"The file's characters cannot be read: byte 0x{byte:02X} at position {position:,} "
        "is not valid UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8” and upload it again."
    )


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _first_bad_byte(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as error:
        return error.start, data[error.start]
    return 0, 0


def detect_delimiter(sample: str) -> str:
    """The delimiter by csv.Sniffer, falling back to the most frequent in the header."""
    lines = [line for line in sample.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    return path.open("r", encoding=encoding, newline="")


def _csv_table(path: Path, head: bytes, name: str) -> Table:
    encoding = detect_encoding(path, head)
    with _open_text(path, encoding) as handle:
        sample = handle.read(SAMPLE_BYTES // 2)
    delimiter = detect_delimiter(sample)
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise ImportFileError(f"The file {name} has no header row (it is blank).")
    return Table(path, unique_columns(header), "csv", encoding, delimiter)


def _csv_records(table: Table) -> Iterator[tuple[int, list[str]]]:
    with _open_text(table.path, table.encoding) as handle:
        reader = csv.reader(handle, delimiter=table.delimiter)
        header_seen = False
        line = 1
        try:
            for cells in reader:
                start, line = line, reader.line_num + 1
                # any(map(…)) rather than a generator: this runs for every row of the file.
                if not any(map(str.strip, cells)):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                yield start, cells
        except csv.Error as error:
            raise ImportFileError(
                f"Line {reader.line_num} cannot be read as CSV ({error})."
            ) from None


def as_row(columns: list[str], cells: list[str]) -> Row:
    """The row as {column: cell}: missing cells are None; surplus cells with text are
    flagged (EXTRA_CELLS) so that the row is rejected."""
    row: Row = dict(zip(columns, cells, strict=False))
    for column in columns[len(cells) :]:
        row[column] = None
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        row[EXTRA_CELLS] = str(len(cells))
    return row


# A row with more cells than the header has columns (usually an unquoted comma).
EXTRA_CELLS = "\x00extra"


def unique_columns(header: list[str]) -> list[str]:
    """Header cells cleaned; a blank one is named by its position, a repeat gets (2)."""
    seen: dict[str, int] = {}
    columns = []
    for index, cell in enumerate(header, start=1):
        name = " ".join((cell or "").replace("\ufeff", "").split()) or f"Column {index}"
        seen[name] = seen.get(name, 0) + 1
        columns.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return columns


# --- XLSX ------------------------------------------------------------------------------


def _workbook(path: Path, name: str = ""):
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula stays "=…", so the validator can reject it.
        return load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ImportFileError(
            f"The file {name or path.name} cannot be read as an Excel workbook (.xlsx): {error}"
        ) from None


def _xlsx_table(path: Path, name: str) -> Table:
    workbook = _workbook(path, name)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(f"The workbook {name} has no worksheet.")
        for cells in sheet.iter_rows(values_only=True):
            values = [cell_text(cell) for cell in cells]
            if any(value.strip() for value in values):
                while values and not values[-1].strip():
                    values.pop()
                return Table(path, unique_columns(values), "xlsx")
    finally:
        workbook.close()
    raise ImportFileError(f"The first sheet of {name} is empty.")


def _xlsx_records(table: Table) -> Iterator[tuple[int, list[str]]]:
    workbook = _workbook(table.path)
    try:
        header_seen = False
        for line, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            values = [cell_text(cell) for cell in cells]
            if not any(value.strip() for value in values):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield line, values
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
