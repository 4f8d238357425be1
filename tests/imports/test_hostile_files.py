"""Hostile and broken files: refused with a short message, before they cost memory.

Each file is built here: a zip bomb (one cell that unpacks a thousandfold), a
"billion laughs" and an XXE workbook, a part whose zip entry lies about its size, a
CSV named .xlsx, a zip without a workbook. Through the readers, the command line
(exit 2, the message, no traceback) and the wizard (the form says why, the run is
failed, the stored message is short). The size limits are lowered by monkeypatch so
that a test never builds hundreds of megabytes.
"""

from __future__ import annotations

import csv
import json
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from accountable.imports import readers
from accountable.imports.errors import MESSAGE_MAX_CHARS, ImportFileError
from accountable.imports.models import ImportRun
from accountable.imports.pipeline import import_file
from accountable.imports.readers import read_table
from tests.imports.conftest import DEALS_HEADER

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MiB = 1024 * 1024


# --- building the files ----------------------------------------------------------------


def good_workbook(path: Path) -> Path:
    """A real workbook of deals, as openpyxl writes one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(DEALS_HEADER.split(","))
    sheet.append(["D-1", "Acme renewal", "Acme Corporation", "rep@acme.test", "GTX Pro", 4821])
    workbook.save(path)
    return path


def rewritten(path: Path, replace: dict[str, object], drop: tuple[str, ...] = ()) -> Path:
    """The workbook at `path` with parts replaced (bytes, or an iterable of chunks streamed
    so that a big part never sits in memory) or dropped, deflated."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts:
            if name in drop:
                continue
            new = replace.get(name, content)
            if isinstance(new, bytes):
                target.writestr(name, new)
                continue
            with target.open(name, "w") as stream:
                for chunk in new:
                    stream.write(chunk)
    return path


def one_cell_sheet(size: int, fill: bytes = b"A"):
    """A sheet whose cell A1 holds `size` bytes of `fill`, in chunks of 1 MiB."""
    yield f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
    yield b'<c r="A1" t="inlineStr"><is><t>'
    chunk = fill * (MiB // len(fill))
    for _ in range(size // len(chunk)):
        yield chunk
    yield b"</t></is></c></row></sheetData></worksheet>"


def zip_bomb(path: Path, mebibytes: int) -> Path:
    """A workbook of a few kilobytes whose sheet unpacks to `mebibytes` MiB of "A"."""
    return rewritten(good_workbook(path), {SHEET: one_cell_sheet(mebibytes * MiB)})


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10 if level > 1 else "&lol;" * 10}">'
        for level in range(1, 10)
    )
    + "]>"
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
).encode()

XXE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    "<is><t>&xxe;</t></is></c></row></sheetData></worksheet>"
).encode()


def laughs(path: Path) -> Path:
    return rewritten(good_workbook(path), {SHEET: LAUGHS})


def xxe(path: Path) -> Path:
    return rewritten(good_workbook(path), {SHEET: XXE})


def not_a_zip(path: Path) -> Path:
    path.write_text(DEALS_HEADER + "\nD-1,x\n")
    return path


def no_workbook(path: Path) -> Path:
    return rewritten(good_workbook(path), {}, drop=("xl/workbook.xml",))


def broken_workbook_xml(path: Path) -> Path:
    return rewritten(good_workbook(path), {"xl/workbook.xml": b"<workbook><sheets><sheet"})


def declared_size(path: Path, part: str, size: int) -> Path:
    """The zip with `part`'s entry in the central directory claiming `size` bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == part.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


# What each hostile file is refused with (a part of the message).
HOSTILE = {
    "bomb": (lambda path: zip_bomb(path, 4), "times its packed size"),
    "laughs": (laughs, "its XML declares entities"),
    "xxe": (xxe, "its XML declares entities"),
    "not-a-zip": (not_a_zip, "it is not a zip archive"),
    "no-workbook": (no_workbook, "There is no item named 'xl/workbook.xml'"),
    "broken-xml": (broken_workbook_xml, "cannot be read as an Excel workbook"),
}


def refusal(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(path, "deals.xlsx")
    return caught.value.message


# --- the readers -----------------------------------------------------------------------


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("kind", HOSTILE)
def test_each_hostile_file_is_refused_in_a_short_sentence(kind, tmp_path):
    build, expected = HOSTILE[kind]
    message = refusal(build(tmp_path / "upload.xlsx"))
    assert expected in message
    assert message.startswith(("The file deals.xlsx", "In the workbook deals.xlsx"))
    assert len(message) < MESSAGE_MAX_CHARS
    assert str(tmp_path) not in message  # never the server's own path
    assert "root:" not in message


def test_a_zip_bomb_is_refused_from_the_directory_before_openpyxl_opens_it(tmp_path, monkeypatch):
    path = zip_bomb(tmp_path / "bomb.xlsx", 4)
    assert path.stat().st_size < 64 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    message = refusal(path)
    assert re.fullmatch(
        r"In the workbook deals\.xlsx, sheet1\.xml unpacks to \d{3},?\d{0,3} times its packed "
        r"size, more than the 100 times an import accepts \(sheets pack 5 to 20 times\); "
        r"save it as CSV\.",
        message,
    )


def test_a_part_that_unpacks_past_the_limit_is_refused_with_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "WORKBOOK_PART_MAX_BYTES", 1 * MiB)
    # Digits and letters in turn pack only a few times: the size is refused, not the ratio.
    path = rewritten(
        good_workbook(tmp_path / "big.xlsx"),
        {SHEET: one_cell_sheet(2 * MiB, bytes(range(48, 123)))},
    )
    assert refusal(path) == (
        "In the workbook deals.xlsx, sheet1.xml unpacks to 2.0 MB, more than the 1.0 MB an "
        "import may hold; save it as CSV or split it."
    )


def test_all_parts_together_are_bounded(tmp_path, monkeypatch):
    path = good_workbook(tmp_path / "deals.xlsx")
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert unpacked > path.stat().st_size
    monkeypatch.setattr(readers, "WORKBOOK_MAX_BYTES", path.stat().st_size + 1)
    assert "more than the" in refusal(path) and "save its first sheet as CSV" in refusal(path)


def test_a_workbook_file_larger_than_a_workbook_may_unpack_to(tmp_path, monkeypatch):
    path = good_workbook(tmp_path / "deals.xlsx")
    monkeypatch.setattr(readers, "WORKBOOK_MAX_BYTES", 1024)
    assert refusal(path).startswith("The workbook deals.xlsx is ")


def test_a_zip_of_too_many_parts_is_refused_before_zipfile_lists_them(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "WORKBOOK_MAX_PARTS", 50)
    path = good_workbook(tmp_path / "many.xlsx")
    rewritten(path, {f"xl/media/{n}.bin": b"" for n in range(60)})
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(60):
            archive.writestr(f"xl/media/{n}.bin", b"")
    assert refusal(path) == (
        "The file deals.xlsx has more than 50 parts, which no workbook has; save it as CSV."
    )


def test_a_part_that_lies_about_its_size_is_read_no_further_than_it_claims(tmp_path):
    # 64 MiB of "A" declared as 4,000 bytes: it passes the directory's checks, and zipfile
    # stops at the declared size, so the read is refused as damaged at once.
    path = declared_size(zip_bomb(tmp_path / "liar.xlsx", 64), SHEET, 4000)
    tracemalloc.start()
    try:
        message = refusal(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "it is damaged" in message
    assert peak < 16 * MiB


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    # openpyxl cuts what it writes at Excel's limit: the sheet is written by hand.
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>external_id</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>D-1</t></is></c>'
        f'<c r="B2" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    rewritten(good_workbook(tmp_path / "long.xlsx"), {SHEET: sheet})
    table = read_table(tmp_path / "long.xlsx", "long.xlsx")
    with pytest.raises(ImportFileError) as caught:
        list(table.rows())
    assert caught.value.message == (
        "Row 2, column 2 of long.xlsx holds 40,000 characters, more than the 32,767 a cell "
        "may hold (Excel's own limit)."
    )


def test_a_header_cell_that_is_no_column_name_is_refused(write):
    path = write("d.csv", "external_id," + "N" * 300 + "\nD-1,x\n")
    assert refusal(path) == (
        "Column 2 of the header row of deals.xlsx is 300 characters long, more than the 256 "
        "a column's name may have. Is the first row the header?"
    )


def test_too_many_columns(write, tmp_path, monkeypatch):
    assert "1,001 columns, more than the 1,000" in refusal(
        write("wide.csv", ",".join(f"c{n}" for n in range(1001)) + "\n")
    )
    monkeypatch.setattr(readers, "MAX_COLUMNS", 3)
    table = read_table(write("rows.csv", "a,b\n1,2\n1,2,3,4\n"), "rows.csv")
    with pytest.raises(ImportFileError, match=r"Line 3 of rows\.csv has 4 cells, more than the 3"):
        list(table.rows())
    workbook = Workbook()
    workbook.active.append(["a", "b", "c", "d"])
    workbook.save(tmp_path / "wide.xlsx")
    assert refusal(tmp_path / "wide.xlsx") == (
        "Line 1 of deals.xlsx has 4 cells, more than the 3 columns an import may hold."
    )


def test_a_sheet_that_states_a_huge_size_is_read_as_wide_as_its_cells(tmp_path):
    # openpyxl pads every row to the size a sheet states; one stating every column of
    # Excel (A1:XFD5) is read as wide as its cells, not as 16,384 cells a row.
    path = good_workbook(tmp_path / "deals.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read(SHEET)
    stated, count = re.subn(rb'<dimension ref="A1:L2" ?/>', b'<dimension ref="A1:XFD5"/>', sheet)
    assert count == 1
    rewritten(path, {SHEET: stated})
    table = read_table(path, "deals.xlsx")
    assert len(table.columns) == 12
    [(line, cells)] = list(table.records())
    assert line == 2 and cells[:6] == [
        "D-1",
        "Acme renewal",
        "Acme Corporation",
        "rep@acme.test",
        "GTX Pro",
        "4821",
    ]
    assert len(cells) <= 12


def test_too_many_rows(write, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    table = read_table(write("d.csv", "a\n1\n2\n3\n4\n5\n"), "d.csv")
    with pytest.raises(ImportFileError) as caught:
        list(table.rows())
    assert caught.value.message == (
        "The file d.csv has more than 3 rows, the most an import may hold; split it into "
        "smaller files."
    )


def test_a_row_after_excels_last_row_means_a_damaged_file(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "EXCEL_MAX_ROWS", 10)
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        '<row r="12"><c r="A12" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    path = rewritten(good_workbook(tmp_path / "far.xlsx"), {SHEET: sheet})
    table = read_table(path, "far.xlsx")
    with pytest.raises(ImportFileError, match="has rows after row 10, the last"):
        list(table.rows())


def test_a_file_larger_than_any_import_may_hold(write, monkeypatch):
    monkeypatch.setattr(readers, "FILE_MAX_BYTES", 4)
    assert refusal(write("d.csv", "a,b\n1,2\n")) == (
        "The file deals.xlsx is 8 bytes, more than the 4 bytes an import may hold; split it "
        "into smaller files."
    )


@pytest.fixture
def csv_cell_limit():
    """The csv module's limit on a cell, lowered for the test (it is the process's own)."""
    before = csv.field_size_limit(100)
    yield 100
    csv.field_size_limit(before)


def test_a_csv_cell_past_the_csv_modules_limit(write, csv_cell_limit):
    # Even in the header, where the reading was not guarded before.
    message = refusal(write("d.csv", "a," + "b" * 200 + "\n1,2\n"))
    assert message == (
        "Line 1 has a cell longer than 100 characters, the most an import may hold (or a "
        "quote opened and never closed)."
    )
    table = read_table(write("e.csv", 'a,b\n1,"2\n' + "3" * 200 + "\n"), "e.csv")
    with pytest.raises(ImportFileError, match="Line 3 has a cell longer than 100 characters"):
        list(table.rows())


def test_without_defusedxml_no_workbook_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    assert "cannot be read safely on this server" in refusal(good_workbook(tmp_path / "d.xlsx"))


# --- the command line ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE)
def test_the_command_line_exits_2_with_the_message(kind, org, tmp_path, capsys):
    build, expected = HOSTILE[kind]
    path = build(tmp_path / "deals.xlsx")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "deals", str(path), "--format", "json")
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    message = json.loads(captured.out)["error"]
    assert expected in message and message in captured.err
    assert "Traceback" not in captured.err
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.summary == {"error": message}


@pytest.mark.django_db
def test_a_stored_error_is_short_whatever_the_message(org, write):
    # A file whose 1,000 long column names are all listed in the message.
    header = ",".join(f"{n:03} {'x' * 240}" for n in range(1000))
    with pytest.raises(ImportFileError) as caught:
        import_file(kind="deals", path=write("d.csv", header + "\n"), actor=None, source="cli")
    assert len(caught.value.message) > 200_000  # the command line shows it whole
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert len(run.summary["error"]) == MESSAGE_MAX_CHARS
    assert run.summary["error"].endswith("…")


# --- the wizard ------------------------------------------------------------------------


def upload(client, path: Path, name: str = "deals.xlsx"):
    data = {
        "kind": "deals",
        "preset": "generic",
        "file": SimpleUploadedFile(name, path.read_bytes()),
    }
    return client.post(reverse("imports:new"), data)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE)
def test_the_wizard_says_why_and_fails_the_run(kind, client, org, tmp_path):
    build, expected = HOSTILE[kind]
    client.force_login(org.manager)
    response = upload(client, build(tmp_path / "hostile.xlsx"))
    run = ImportRun.objects.get()
    # The file is read in the background; the wizard then shows the run and why it failed.
    assert response["Location"] == reverse("imports:working", args=[run.pk])
    report = client.get(response["Location"], follow=True)
    assert report.redirect_chain == [(reverse("imports:run", args=[run.pk]), 302)]
    run.refresh_from_db()
    error = run.summary["error"]
    assert expected in error and "deals.xlsx" in error
    assert error in report.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert run.status == ImportRun.Status.FAILED
    assert run.summary == {"error": error}
    assert len(error) < MESSAGE_MAX_CHARS
    # The imports pages stay light.
    assert len(client.get(reverse("imports:list")).content) < 100_000
    assert len(client.get(reverse("imports:run", args=[run.pk])).content) < 100_000


@pytest.mark.django_db
def test_the_wizard_refuses_an_upload_past_its_limit_before_reading_it(
    client, org, tmp_path, monkeypatch
):
    monkeypatch.setattr("accountable.imports.forms.UPLOAD_MAX_BYTES", 1024)
    client.force_login(org.manager)
    response = upload(client, zip_bomb(tmp_path / "d.xlsx", 1))
    [error] = response.context["form"].errors["file"]
    assert re.fullmatch(
        r"The file is \d KB, more than the 1 KB an upload may hold; import it with the "
        r"command line \(accountable import\) or split it\.",
        error,
    )
    assert not ImportRun.objects.exists()
