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
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

from defusedxml import DefusedXmlException

from accountable.imports.errors import ImportFileError, clipped

DELIMITERS = ",;\t|"
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls

# --- limits ----------------------------------------------------------------------------
# How much one file may hold, so that a broken or hostile file cannot take the server's
# memory or time: a 0.5 MB workbook can unpack to gigabytes, and a huge cell quoted in a
# message once made the imports pages unusable. A workbook's sizes are checked from its
# zip directory before anything is parsed; the rest as the reader meets them. Each
# refusal names its limit; docs/imports.md lists them all.
MB = 1024 * 1024
UPLOAD_MAX_BYTES = 200 * MB  # uploaded in the browser; larger files go by the command line
FILE_MAX_BYTES = 2048 * MB  # any file (the benchmark's 10 million rows are 838 MB)
MAX_ROWS = 20_000_000  # rows of data (10 million import in about 3.5 minutes)
MAX_COLUMNS = 1_000
COLUMN_NAME_MAX_CHARS = 256
CELL_MAX_CHARS = 32_767  # a workbook's cell: Excel's own limit
# A CSV cell is bounded by the csv module itself, at no cost per row. The bound is looser
# than a workbook's: some exports have very long text cells (notes), and the rejected
# rows' file, which quotes cells in its reasons, is read back with the same module.
CSV_CELL_MAX_CHARS = 10 * MB
WORKBOOK_MAX_BYTES = 250 * MB  # an .xlsx, all its parts unpacked
WORKBOOK_PART_MAX_BYTES = 100 * MB  # one part (a sheet, the shared strings), unpacked
# Unpacked size / packed size of a part: real sheets pack 5 to 20 times, a zip bomb about
# 1,000 times. Parts below RATIO_CHECKED_FROM may pack tighter without harm.
WORKBOOK_MAX_RATIO = 100
RATIO_CHECKED_FROM = 1 * MB
WORKBOOK_MAX_PARTS = 10_000  # zipfile holds its whole directory in memory once opened
EXCEL_MAX_ROWS = 1_048_576  # no worksheet has a row after this one
csv.field_size_limit(CSV_CELL_MAX_CHARS)

Row = dict[str, str | None]


class NumberCell(str):
    """A workbook's number cell: the text a CSV export of it would hold ("46140",
    "4821.5"), which is how every column but a date's reads it, with the number and the
    workbook's epoch. A date column reads it as the Excel serial date it is (a day
    count, with the time as a fraction of a day): see `imports.values.parse_date`. A
    CSV has no such cells, nor a workbook's text cell: "46140" there is no date.
    """

    number: float
    epoch: datetime

    def __new__(cls, text: str, number: float, epoch: datetime) -> NumberCell:
        cell = super().__new__(cls, text)
        cell.number, cell.epoch = number, epoch
        return cell

    def __getnewargs__(self) -> tuple[str, float, datetime]:
        return str(self), self.number, self.epoch

    def serial_date(self) -> datetime | None:
        """The date and time the number is as an Excel serial date, by openpyxl's own
        reckoning (the 1900 epoch's missing 29 February 1900 included); None when it is
        no date Python can hold (too large, a fraction of a day alone, not finite)."""
        from openpyxl.utils.datetime import from_excel

        try:
            moment = from_excel(self.number, self.epoch)
        except (OverflowError, ValueError, TypeError):
            return None
        return moment if isinstance(moment, datetime) else None


@dataclass(frozen=True)
class Table:
    """How a file was read: its columns, and how to stream its rows again."""

    path: Path
    columns: list[str]
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    name: str = ""  # the file's name as the person knows it (for messages)

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
    if size > FILE_MAX_BYTES:
        raise ImportFileError(
            f"The file {name} is {megabytes(size)}, more than the {megabytes(FILE_MAX_BYTES)} "
            "an import may hold; split it into smaller files."
        )
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
    # By chunks: the whole file at once costs its size several times over in memory.
    decoder = codecs.getincrementaldecoder("cp1252")()  # one byte a character, no state
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset + error.start, chunk[error.start]
            offset += len(chunk)
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
        try:
            header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        except csv.Error as error:
            raise _csv_error(error, reader.line_num) from None
    if header is None:
        raise ImportFileError(f"The file {name} has no header row (it is blank).")
    return Table(path, _header(header, name), "csv", encoding, delimiter, name)


def _csv_records(table: Table) -> Iterator[tuple[int, list[str]]]:
    max_rows, max_columns = MAX_ROWS, MAX_COLUMNS
    with _open_text(table.path, table.encoding) as handle:
        reader = csv.reader(handle, delimiter=table.delimiter)
        header_seen = False
        line = 1
        rows = 0
        try:
            for cells in reader:
                start, line = line, reader.line_num + 1
                # any(map(…)) rather than a generator: this runs for every row of the file.
                if not any(map(str.strip, cells)):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                rows += 1
                if rows > max_rows or len(cells) > max_columns:
                    raise _past_limits(rows, len(cells), start, table.name or table.path.name)
                yield start, cells
        except csv.Error as error:
            raise _csv_error(error, reader.line_num) from None


def _csv_error(error: csv.Error, line: int) -> ImportFileError:
    if "field larger than field limit" in str(error):
        return ImportFileError(
            f"Line {line:,} has a cell longer than {csv.field_size_limit():,} characters, the "
            "most an import may hold (or a quote opened and never closed)."
        )
    return ImportFileError(f"Line {line:,} cannot be read as CSV ({clipped(error, 200)}).")


def _past_limits(rows: int, width: int, line: int, name: str) -> ImportFileError:
    """Why a row stops the reading: one row too many, or too many cells."""
    if rows > MAX_ROWS:
        return ImportFileError(
            f"The file {name} has more than {MAX_ROWS:,} rows, the most an import may "
            "hold; split it into smaller files."
        )
    return ImportFileError(
        f"Line {line:,} of {name} has {width:,} cells, more than the {MAX_COLUMNS:,} columns "
        "an import may hold."
    )


def _header(cells: Sequence[str], name: str) -> list[str]:
    """The header row as column names, or refused: a row of thousands of columns or of a
    very long cell is no header, and the names are kept with the run and quoted in
    messages."""
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            f"The header row of {name} has {len(cells):,} columns, more than the "
            f"{MAX_COLUMNS:,} an import may hold."
        )
    for index, cell in enumerate(cells, start=1):
        if len(cell or "") > COLUMN_NAME_MAX_CHARS:
            raise ImportFileError(
                f"Column {index} of the header row of {name} is {len(cell):,} characters "
                f"long, more than the {COLUMN_NAME_MAX_CHARS} a column's name may have. "
                "Is the first row the header?"
            )
    return unique_columns(list(cells))


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
# Each entry of a zip's directory starts so; zipfile parses them all when it opens a file.
DIRECTORY_ENTRY = b"PK\x01\x02"


def check_workbook(path: Path, name: str) -> None:
    """Refuse a workbook that would unpack to too much, from its zip directory alone,
    before openpyxl parses anything.

    The declared sizes are enough: zipfile never returns more of a part than its entry
    declares (and checks the CRC at the end), so a part that lies about its size comes
    out cut short, and is refused as unreadable when it is read.
    """
    size = path.stat().st_size
    if size > WORKBOOK_MAX_BYTES:  # a workbook is never smaller unpacked
        raise ImportFileError(
            f"The workbook {name} is {megabytes(size)}, more than the "
            f"{megabytes(WORKBOOK_MAX_BYTES)} an import may hold; save it as CSV or split it."
        )
    if _directory_entries(path, WORKBOOK_MAX_PARTS) > WORKBOOK_MAX_PARTS:
        raise ImportFileError(
            f"The file {name} has more than {WORKBOOK_MAX_PARTS:,} parts, which no workbook "
            "has; save it as CSV."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except Exception as error:  # a hostile zip fails in many ways, none of them ours
        raise _unreadable(name, error) from None
    total = 0
    for part in parts:
        unpacked, packed = part.file_size, max(part.compress_size, 1)
        label = clipped(" ".join((PurePosixPath(part.filename).name or part.filename).split()), 80)
        if unpacked > WORKBOOK_PART_MAX_BYTES:
            raise ImportFileError(
                f"In the workbook {name}, {label} unpacks to {megabytes(unpacked)}, "
                f"more than the {megabytes(WORKBOOK_PART_MAX_BYTES)} an import may hold; "
                "save it as CSV or split it."
            )
        if unpacked > RATIO_CHECKED_FROM and unpacked > WORKBOOK_MAX_RATIO * packed:
            raise ImportFileError(
                f"In the workbook {name}, {label} unpacks to {unpacked // packed:,} "
                f"times its packed size, more than the {WORKBOOK_MAX_RATIO} times an import "
                "accepts (sheets pack 5 to 20 times); save it as CSV."
            )
        total += unpacked
    if total > WORKBOOK_MAX_BYTES:
        raise ImportFileError(
            f"The workbook {name} unpacks to {megabytes(total)}, more than the "
            f"{megabytes(WORKBOOK_MAX_BYTES)} an import may hold; save its first sheet as CSV."
        )


def _directory_entries(path: Path, enough: int) -> int:
    """How many entries the zip's directory can have at most (counted up to just past
    `enough`): the times their signature occurs, whatever the end record claims."""
    count, carry = 0, b""
    with path.open("rb") as handle:
        while count <= enough and (chunk := handle.read(CHUNK_BYTES)):
            # A signature across two chunks is counted once: the 3 bytes carried over
            # cannot hold a whole one.
            count += (carry + chunk).count(DIRECTORY_ENTRY)
            carry = chunk[-3:]
    return count


def _workbook(path: Path, name: str):
    import openpyxl.xml
    from openpyxl import load_workbook

    if not openpyxl.xml.DEFUSEDXML:
        # Without defusedxml, openpyxl's XML parser expands the entities a file declares.
        raise ImportFileError(
            "Excel workbooks cannot be read safely on this server (its defusedxml package is "
            "missing or turned off); save the sheet as CSV and import that."
        )
    try:
        # data_only=False: a formula stays "=…", so the validator can reject it.
        return load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # see _unreadable
        raise _unreadable(name, error) from None


def _unreadable(name: str, error: BaseException) -> ImportFileError:
    """Why a workbook cannot be read, in a sentence.

    openpyxl and zipfile meet a broken or hostile file with errors of every kind (zip,
    XML, KeyError for a missing part, ValueError, TypeError…), and openpyxl wraps them
    in its own ("could not read worksheets from <the server's path>"): the sentence
    tells the cause.
    """
    causes: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and len(causes) < 10:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        # defusedxml: entities (a "billion laughs") or external references (XXE).
        return ImportFileError(
            f"The file {name} cannot be imported: its XML declares entities, which no "
            "spreadsheet program writes and which can make a server exhaust its memory or "
            "read its own files. Open it in Excel and save it again, or save it as CSV."
        )
    root = causes[-1]
    if isinstance(root, zipfile.BadZipFile) and "not a zip file" in str(root):
        return ImportFileError(
            f"The file {name} cannot be read as an Excel workbook (.xlsx): it is not a zip "
            "archive, as every .xlsx is. If it is a CSV file, name it .csv."
        )
    if isinstance(root, zipfile.BadZipFile) and "CRC" in str(root):
        return ImportFileError(
            f"The file {name} cannot be read as an Excel workbook (.xlsx): it is damaged (a "
            "part of it does not match its checksum). Save it again and import it again."
        )
    # A KeyError's text is its key in quotes: zipfile's "There is no item named …".
    text = str(root.args[0]) if isinstance(root, KeyError) and root.args else str(root)
    detail = " ".join(text.split()) or type(root).__name__
    return ImportFileError(
        f"The file {name} cannot be read as an Excel workbook (.xlsx): {clipped(detail, 200)}"
    )


def _sheet_rows(workbook, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells as text) for every row of the first sheet, blank ones too, each
    checked against the limits as it is read."""
    sheet = workbook.worksheets[0]
    max_columns, max_chars = MAX_COLUMNS, CELL_MAX_CHARS
    if (sheet.max_column or 0) > max_columns:
        # openpyxl pads every row to the size the sheet states; read each row only as
        # wide as its own cells instead (and refuse one that is wider than allowed).
        sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    epoch = workbook.epoch  # 1899-12-30, or 1904-01-01 for a workbook from an old Mac
    for line in itertools.count(1):
        try:
            cells = next(rows, None)
        except Exception as error:  # see _unreadable
            raise _unreadable(name, error) from None
        if cells is None:
            return
        if line > EXCEL_MAX_ROWS:
            raise ImportFileError(
                f"The first sheet of {name} has rows after row {EXCEL_MAX_ROWS:,}, the last "
                "an Excel sheet can have: the file is damaged."
            )
        if len(cells) > max_columns:
            cells = _without_trailing_blanks(cells)
            if len(cells) > max_columns:
                raise _past_limits(0, len(cells), line, name)
        values = [cell_text(cell, epoch) for cell in cells]
        if values and max(map(len, values)) > max_chars:
            column, longest = max(enumerate(values, 1), key=lambda item: len(item[1]))
            raise ImportFileError(
                f"Row {line:,}, column {column} of {name} holds {len(longest):,} characters, "
                f"more than the {max_chars:,} a cell may hold (Excel's own limit)."
            )
        yield line, values


def _without_trailing_blanks(cells: Sequence[object]) -> Sequence[object]:
    end = len(cells)
    while end and cells[end - 1] in (None, ""):
        end -= 1
    return cells[:end]


def _xlsx_table(path: Path, name: str) -> Table:
    check_workbook(path, name)
    workbook = _workbook(path, name)
    try:
        if not workbook.worksheets:
            raise ImportFileError(f"The workbook {name} has no worksheet.")
        for _, values in _sheet_rows(workbook, name):
            if any(value.strip() for value in values):
                while values and not values[-1].strip():
                    values.pop()
                return Table(path, _header(values, name), "xlsx", name=name)
    finally:
        workbook.close()
    raise ImportFileError(f"The first sheet of {name} is empty.")


def _xlsx_records(table: Table) -> Iterator[tuple[int, list[str]]]:
    # No count of rows against MAX_ROWS: a sheet ends at row EXCEL_MAX_ROWS, far below.
    name = table.name or table.path.name
    workbook = _workbook(table.path, name)
    try:
        header_seen = False
        for line, values in _sheet_rows(workbook, name):
            if not any(value.strip() for value in values):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield line, values
    finally:
        workbook.close()


def megabytes(size: int) -> str:
    """A size as a person reads it: "512 MB", "1.5 MB", "64 KB", "8 bytes"."""
    if size >= 10 * MB:
        return f"{size / MB:,.0f} MB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size:,} bytes"


def cell_text(value: object, epoch: datetime | None = None) -> str:
    """A spreadsheet cell as the text a CSV export of it would hold; a number, with the
    workbook's `epoch`, as a NumberCell (a date column reads it as a serial date)."""
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
    if isinstance(value, int | float):
        shown = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        return shown if epoch is None else NumberCell(shown, value, epoch)
    return str(value)
