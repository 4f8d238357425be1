"""Reading files whatever wrote them: encodings, delimiters, XLSX, and broken files."""

from __future__ import annotations

import codecs
import copy
from datetime import datetime

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from accountable.imports.errors import ImportFileError
from accountable.imports.readers import (
    EXTRA_CELLS,
    NumberCell,
    cell_text,
    read_table,
    unique_columns,
)

TEXT = "name,city\nRené Müller,Zürich\nAna,Málaga\n"


def rows_of(path):
    table = read_table(path)
    return table, list(table.rows())


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ],
)
def test_every_common_encoding_reads_accents_right(write, encoding, bom, expected):
    path = write("people.csv", bom + TEXT.encode(encoding))
    table, rows = rows_of(path)
    assert table.encoding == expected
    assert table.columns == ["name", "city"]
    assert rows == [
        (2, {"name": "René Müller", "city": "Zürich"}),
        (3, {"name": "Ana", "city": "Málaga"}),
    ]


def test_a_cp1252_file_with_an_e_acute_is_read_correctly(write):
    path = write("accounts.csv", "name\nCafé Crème\n", encoding="cp1252")
    _, rows = rows_of(path)
    assert rows[0][1]["name"] == "Café Crème"


def test_undecodable_bytes_get_a_clear_message(write):
    # 0x81 and 0x8D are neither UTF-8 here nor defined in Windows-1252.
    path = write("bad.csv", b"name\nAcme \x81\x8d Corp\n")
    with pytest.raises(ImportFileError, match=r"byte 0x81 at position 10 .*CSV UTF-8"):
        read_table(path)


def test_utf16_without_a_bom_is_refused_with_advice(write):
    path = write("bad.csv", "name\nAcme\n".encode("utf-16-le"))
    with pytest.raises(ImportFileError, match="CSV UTF-8"):
        read_table(path)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(write, delimiter):
    text = delimiter.join(["external_id", "amount", "name"]) + "\n"
    text += delimiter.join(["D-1", "1200.50", "First deal"]) + "\n"
    text += delimiter.join(["D-2", "300", "Second deal"]) + "\n"
    table, rows = rows_of(write("deals.csv", text))
    assert table.delimiter == delimiter
    assert rows[1] == (3, {"external_id": "D-2", "amount": "300", "name": "Second deal"})


def test_semicolons_with_decimal_commas_are_not_mistaken_for_commas(write):
    table, rows = rows_of(write("eu.csv", 'id;amount\nA;"1.234,50"\nB;12,5\n'))
    assert table.delimiter == ";"
    assert rows[0][1] == {"id": "A", "amount": "1.234,50"}


def test_line_numbers_are_the_lines_people_see(write):
    text = 'id,note\nA,one\n\nB,"two\nlines"\nC,three\n'
    _, rows = rows_of(write("notes.csv", text))
    assert [(line, row["id"]) for line, row in rows] == [(2, "A"), (4, "B"), (6, "C")]


def test_short_rows_get_blanks_and_long_rows_are_flagged(write):
    _, rows = rows_of(write("ragged.csv", "a,b,c\n1,2\n1,2,3,4\n"))
    assert rows[0][1] == {"a": "1", "b": "2", "c": None}
    assert rows[1][1][EXTRA_CELLS] == "4"


def test_repeated_and_blank_header_cells_get_names():
    assert unique_columns(["Name", " Name ", "", "\ufeffAmount"]) == [
        "Name",
        "Name (2)",
        "Column 3",
        "Amount",
    ]


def test_an_empty_file_is_refused(write):
    with pytest.raises(ImportFileError, match=r"empty \(0 bytes\)"):
        read_table(write("empty.csv", b""))


def test_a_zero_byte_xlsx_is_refused(write):
    with pytest.raises(ImportFileError, match=r"empty \(0 bytes\)"):
        read_table(write("empty.xlsx", b""))


def test_a_blank_csv_is_refused(write):
    with pytest.raises(ImportFileError, match="no header row"):
        read_table(write("blank.csv", "\n \n"))


def test_a_corrupt_xlsx_is_refused(write):
    with pytest.raises(ImportFileError, match="cannot be read as an Excel workbook"):
        read_table(write("broken.xlsx", b"PK\x03\x04 not really a zip"))


def test_an_old_xls_is_refused_with_advice(write):
    with pytest.raises(ImportFileError, match=r"old-style Excel file \(\.xls\)"):
        read_table(write("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))


def make_xlsx(path, rows, epoch=WINDOWS_EPOCH):
    workbook = Workbook()
    workbook.epoch = epoch
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_first_sheet_with_typed_cells(tmp_path):
    path = make_xlsx(
        tmp_path / "deals.xlsx",
        [
            ["external_id", "amount", "created_date", "occurred_at", "won"],
            ["D-1", 4821.0, datetime(2026, 3, 1), datetime(2026, 3, 1, 9, 30), True],
            [None, None, None, None, None],
            ["D-2", 12.5, "2026-03-02", None, False],
        ],
    )
    table, rows = rows_of(path)
    assert table.format == "xlsx"
    assert rows[0] == (
        2,
        {
            "external_id": "D-1",
            "amount": "4821",
            "created_date": "2026-03-01",
            "occurred_at": "2026-03-01 09:30",
            "won": "yes",
        },
    )
    assert rows[1][0] == 4  # the blank row 3 is skipped, not renumbered
    assert rows[1][1]["amount"] == "12.5"


def test_xlsx_formulas_are_read_as_formulas_not_values(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", [["name"], ['=HYPERLINK("http://x.test","Click")']])
    _, rows = rows_of(path)
    assert rows[0][1]["name"].startswith("=HYPERLINK(")


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(3.0) == "3"
    assert cell_text(3.25) == "3.25"
    assert not isinstance(cell_text(3), NumberCell)  # no workbook, no serial
    assert isinstance(cell_text(3, WINDOWS_EPOCH), NumberCell)
    assert cell_text(True, WINDOWS_EPOCH) == "yes"
    assert not isinstance(cell_text(True, WINDOWS_EPOCH), NumberCell)


@pytest.mark.parametrize("epoch", [WINDOWS_EPOCH, MAC_EPOCH])
def test_xlsx_number_cells_carry_their_number_and_the_workbooks_epoch(tmp_path, epoch):
    path = make_xlsx(
        tmp_path / "serials.xlsx",
        [["close_date", "amount", "note"], [46140, 46140.5, "46140"]],
        epoch=epoch,
    )
    _, [(_, row)] = rows_of(path)
    serial, amount, note = row["close_date"], row["amount"], row["note"]
    assert (serial, amount, note) == ("46140", "46140.5", "46140")
    assert isinstance(serial, NumberCell) and isinstance(amount, NumberCell)
    assert (serial.number, serial.epoch) == (46140, epoch)
    assert not isinstance(note, NumberCell)  # a text cell is text, whatever it holds
    assert serial.serial_date() == (
        datetime(2026, 4, 28) if epoch == WINDOWS_EPOCH else datetime(2030, 4, 29)
    )


def test_a_number_cell_survives_copying():
    cell = cell_text(46140.5, MAC_EPOCH)
    again = copy.deepcopy(cell)
    assert (again, again.number, again.epoch) == ("46140.5", 46140.5, MAC_EPOCH)


def test_a_number_cell_that_is_no_date_has_no_serial_date():
    for number in (1e300, float("nan"), float("inf"), 0.25):
        assert cell_text(number, WINDOWS_EPOCH).serial_date() is None
