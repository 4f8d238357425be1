"""One cell, typed or rejected with a plain reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from accountable.imports import values as v
from accountable.imports.errors import RowError
from accountable.imports.readers import NumberCell


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("2026-03-01T10:00:00.000Z", date(2026, 3, 1)),
        ("2026-03-01 10:00", date(2026, 3, 1)),
        ("25/04/2026", date(2026, 4, 25)),
        ("04/25/2026", date(2026, 4, 25)),
        ("25.04.2026", date(2026, 4, 25)),
        ("04/04/2026", date(2026, 4, 4)),
        ("", None),
        (None, None),
    ],
)
def test_dates(text, expected):
    assert v.parse_date("close_date", text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/04/2026", 'close_date "03/04/2026" is ambiguous'),
        ("2026-02-30", 'close_date "2026-02-30" is not a real date'),
        ("next Tuesday", 'close_date "next Tuesday" is not a date; write it as YYYY-MM-DD'),
        ("31/31/2026", "is not a real date"),
    ],
)
def test_bad_dates_say_why(text, reason):
    with pytest.raises(RowError, match=reason):
        v.parse_date("close_date", text)


def test_datetimes_take_the_organisation_time_zone():
    berlin = ZoneInfo("Europe/Berlin")
    assert v.parse_datetime("occurred_at", "2026-03-01", berlin) == datetime(
        2026, 3, 1, tzinfo=berlin
    )
    assert v.parse_datetime("occurred_at", "2026-03-01 14:05", berlin) == datetime(
        2026, 3, 1, 14, 5, tzinfo=berlin
    )
    utc = v.parse_datetime("occurred_at", "2026-03-01T14:05:00Z", berlin)
    assert utc == datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    offset = v.parse_datetime("occurred_at", "2026-03-01 14:05+02:00", berlin)
    assert offset.utcoffset() == timedelta(hours=2)
    with pytest.raises(RowError, match="impossible time"):
        v.parse_datetime("occurred_at", "2026-03-01 25:00", UTC)


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
        "9999-12-31 23:59+05:00",
        "31/12/9999",
        "1899-12-31",
        "3000-01-01 10:00",
    ],
)
def test_days_outside_the_calendar_are_refused(text):
    """At year 1 or 9999 a local time has no UTC moment; the calendar runs 1900 to 2999."""
    tokyo, honolulu = ZoneInfo("Asia/Tokyo"), ZoneInfo("Pacific/Honolulu")
    for zone in (UTC, tokyo, honolulu):
        with pytest.raises(
            RowError, match=r'"[^"]+" is outside the calendar: years run 1900 to 2999'
        ):
            v.parse_datetime("occurred_at", text, zone)
    with pytest.raises(RowError, match="outside the calendar"):
        v.parse_date("close_date", text)


def test_the_calendars_ends_are_days_and_moments():
    honolulu = ZoneInfo("Pacific/Honolulu")
    assert v.parse_date("close_date", "1900-01-01") == date(1900, 1, 1)
    late = v.parse_datetime("occurred_at", "2999-12-31 23:59:59", honolulu)
    assert late.astimezone(UTC) == datetime(3000, 1, 1, 9, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4821", Decimal("4821.00")),
        ("4,821.50", Decimal("4821.50")),
        ("4.821,50", Decimal("4821.50")),
        ("12,5", Decimal("12.50")),
        ("1,234,567", Decimal("1234567.00")),
        ("$4,821", Decimal("4821.00")),
        ("EUR 12", Decimal("12.00")),
        ("12 USD", Decimal("12.00")),
        ("0.005", Decimal("0.01")),
        (" 7 ", Decimal("7.00")),
        ("", None),
    ],
)
def test_amounts_as_people_write_them(text, expected):
    assert v.parse_decimal("amount", text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5", 'amount "-5" is negative'),
        ("(5)", 'amount "\\(5\\)" is negative'),
        ("lots", 'amount "lots" is not a number'),
        ("12..5", "is not a number"),
        ("NaN", "is not a number"),
        ("1e20", "is too large"),
    ],
)
def test_bad_amounts_say_why(text, reason):
    with pytest.raises(RowError, match=reason):
        v.parse_decimal("amount", text)


def test_negative_allowed_when_asked():
    assert v.parse_decimal("value", "-5", allow_negative=True) == Decimal("-5.00")


def test_whole_numbers():
    assert v.parse_int("employees", "2,822") == 2822
    assert v.parse_int("employees", "2147483647") == 2**31 - 1
    with pytest.raises(RowError, match='employees "2147483648" is too large'):
        v.parse_int("employees", "2147483648")
    with pytest.raises(RowError, match="not a whole number"):
        v.parse_int("employees", "2.5")
    with pytest.raises(RowError, match="at least 1"):
        v.parse_int("meeting_number", "0", minimum=1)


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\tx"]
)
def test_formulas_are_refused(text):
    with pytest.raises(RowError, match="looks like a spreadsheet formula"):
        v.check_not_formula("name", text)


@pytest.mark.parametrize("text", ["Acme", "-", "O'Brien", "a=b"])
def test_ordinary_text_passes(text):
    v.check_not_formula("name", text)


def test_booleans_and_choices():
    assert v.parse_bool("is_prospecting", "Yes") is True
    assert v.parse_bool("is_prospecting", "") is False
    with pytest.raises(RowError, match='is_prospecting "maybe" is not yes or no'):
        v.parse_bool("is_prospecting", "maybe")
    synonyms = {"newbusiness": "new_business", "renewal": "renewal"}
    assert v.choice("type", "New Business", synonyms) == "new_business"
    with pytest.raises(RowError, match='type "Upsell" is not one of: new_business, renewal'):
        v.choice("type", "Upsell", synonyms)


def test_emails():
    assert v.email("email", " Ava.Hart@Example.COM ") == "ava.hart@example.com"
    with pytest.raises(RowError, match='email "ava" is not an e-mail address'):
        v.email("email", "ava")


def test_day_month_dates_with_a_time_as_crm_reports_write_them():
    at = v.parse_datetime
    assert at("occurred_at", "4/28/2026 2:05 PM", UTC) == datetime(2026, 4, 28, 14, 5, tzinfo=UTC)
    assert at("occurred_at", "4/28/2026, 9:30 am", UTC) == datetime(2026, 4, 28, 9, 30, tzinfo=UTC)
    assert at("occurred_at", "4/28/2026 12:05 AM", UTC) == datetime(2026, 4, 28, 0, 5, tzinfo=UTC)
    assert at("occurred_at", "4/28/2026 12:05 PM", UTC) == datetime(2026, 4, 28, 12, 5, tzinfo=UTC)
    assert at("occurred_at", "28.04.2026 14:05:30", UTC) == datetime(
        2026, 4, 28, 14, 5, 30, tzinfo=UTC
    )
    assert v.parse_date("close_date", "4/28/2026 2:05 PM") == date(2026, 4, 28)
    for bad in ("4/28/2026 13:05 PM", "4/28/2026 0:05 AM", "28/4/2026 25:00"):
        with pytest.raises(RowError, match="impossible time of day"):
            at("occurred_at", bad, UTC)


# --- time zones written after the time ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "in_utc"),
    [
        ("2026-04-28T14:30:00Z", datetime(2026, 4, 28, 14, 30, tzinfo=UTC)),
        ("2026-04-28T14:30:00.000z", datetime(2026, 4, 28, 14, 30, tzinfo=UTC)),
        ("2026-04-28 14:30:00+02:00", datetime(2026, 4, 28, 12, 30, tzinfo=UTC)),
        ("2026-04-28 14:30 -0500", datetime(2026, 4, 28, 19, 30, tzinfo=UTC)),
        ("2026-04-28 14:30+05:30", datetime(2026, 4, 28, 9, 0, tzinfo=UTC)),
        ("4/28/2026 2:30 PM UTC", datetime(2026, 4, 28, 14, 30, tzinfo=UTC)),
        ("28/04/2026 14:30 GMT", datetime(2026, 4, 28, 14, 30, tzinfo=UTC)),
        ("4/28/2026 2:30 PM EST", datetime(2026, 4, 28, 19, 30, tzinfo=UTC)),
        ("4/28/2026 2:30 PM EDT", datetime(2026, 4, 28, 18, 30, tzinfo=UTC)),
        ("4/28/2026 2:30 PM CST", datetime(2026, 4, 28, 20, 30, tzinfo=UTC)),
        ("4/28/2026 2:30 PM CDT", datetime(2026, 4, 28, 19, 30, tzinfo=UTC)),
        ("2026-04-28 14:30 MST", datetime(2026, 4, 28, 21, 30, tzinfo=UTC)),
        ("2026-04-28 14:30 MDT", datetime(2026, 4, 28, 20, 30, tzinfo=UTC)),
        ("2026-04-28 14:30 PST", datetime(2026, 4, 28, 22, 30, tzinfo=UTC)),
        ("2026-04-28 14:30 pdt", datetime(2026, 4, 28, 21, 30, tzinfo=UTC)),
        ("4/28/2026, 2:30 p.m. PDT", datetime(2026, 4, 28, 21, 30, tzinfo=UTC)),
    ],
)
def test_a_time_with_a_zone_is_the_moment_it_names(text, in_utc):
    """Whatever the organisation's zone: the value says its own."""
    for organisation in (UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("Pacific/Auckland")):
        moment = v.parse_datetime("occurred_at", text, organisation)
        assert moment == in_utc
        assert moment.utcoffset() is not None


def test_a_time_without_a_zone_stays_in_the_organisations_zone():
    new_york = ZoneInfo("America/New_York")
    for text in ("2026-04-28 14:30", "4/28/2026 2:30 PM", "28.04.2026 14:30"):
        assert v.parse_datetime("occurred_at", text, new_york) == datetime(
            2026, 4, 28, 14, 30, tzinfo=new_york
        )


@pytest.mark.parametrize("word", ["CEST", "IST", "AEST", "Pacific", "XYZ"])
def test_an_unknown_zone_word_is_refused_naming_the_value(word):
    text = f"2026-04-28 14:30 {word}"
    with pytest.raises(RowError) as caught:
        v.parse_datetime("occurred_at", text, UTC)
    reason = caught.value.reason
    assert reason.startswith(f'occurred_at "{text}" is in a time zone imports do not know')
    assert f'("{word}")' in reason and "+02:00" in reason
    with pytest.raises(RowError, match="time zone imports do not know"):
        v.parse_date("close_date", f"4/28/2026 2:30 PM {word}", zone=UTC)


def test_an_impossible_offset_is_refused():
    with pytest.raises(RowError, match=r'"2026-04-28 14:30\+25:00" has an impossible offset'):
        v.parse_datetime("occurred_at", "2026-04-28 14:30+25:00", UTC)
    with pytest.raises(RowError, match="impossible offset"):
        v.parse_datetime("occurred_at", "2026-04-28 14:30 -0575", UTC)


def test_a_date_and_time_with_a_zone_is_its_day_in_the_organisations_zone():
    """A close date written as a moment counts on the day that moment is where the
    organisation is, as an activity at the same moment would."""
    new_york, tokyo = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
    late = "2026-04-29T02:00:00Z"  # 22:00 on the 28th in New York, 11:00 on the 29th in Tokyo
    assert v.parse_date("close_date", late, zone=new_york) == date(2026, 4, 28)
    assert v.parse_date("close_date", late, zone=tokyo) == date(2026, 4, 29)
    assert v.parse_date("close_date", "4/28/2026 11:30 PM EDT", zone=tokyo) == date(2026, 4, 29)
    assert v.parse_date("close_date", "4/28/2026 11:30 PM EDT", zone=new_york) == date(2026, 4, 28)
    # Without a zone of its own the time is the organisation's: the day as written.
    assert v.parse_date("close_date", "2026-04-28 23:30", zone=tokyo) == date(2026, 4, 28)
    # Without an organisation's zone, the day as written.
    assert v.parse_date("close_date", late) == date(2026, 4, 29)


def test_a_zone_cannot_carry_a_day_out_of_the_calendar():
    with pytest.raises(RowError, match="outside the calendar"):
        v.parse_date("close_date", "2999-12-31 23:00 -0500", zone=UTC)


# --- Excel serial dates: a workbook's number cells --------------------------------------


def number_cell(number: float, epoch: datetime = WINDOWS_EPOCH) -> NumberCell:
    return NumberCell(str(number), number, epoch)


def test_a_number_cell_is_an_excel_serial_date():
    assert v.parse_date("close_date", number_cell(46140)) == date(2026, 4, 28)
    assert v.parse_date("close_date", number_cell(46140.75)) == date(2026, 4, 28)
    assert v.parse_date("close_date", number_cell(1)) == date(1900, 1, 1)
    assert v.parse_date("close_date", number_cell(61)) == date(1900, 3, 1)  # after Excel's 29/2


def test_a_serial_with_a_fraction_of_a_day_is_a_time_in_the_organisations_zone():
    berlin = ZoneInfo("Europe/Berlin")
    assert v.parse_datetime("occurred_at", number_cell(46140.5), berlin) == datetime(
        2026, 4, 28, 12, 0, tzinfo=berlin
    )
    # 14:30 as Excel stores it: a fraction that is not exact in binary.
    assert v.parse_datetime("occurred_at", number_cell(46140 + 14.5 / 24), UTC) == datetime(
        2026, 4, 28, 14, 30, tzinfo=UTC
    )
    assert v.parse_datetime("occurred_at", number_cell(46140), UTC) == datetime(
        2026, 4, 28, tzinfo=UTC
    )


def test_a_1904_workbook_counts_from_1904():
    assert v.parse_date("close_date", number_cell(44678, MAC_EPOCH)) == date(2026, 4, 28)
    assert v.parse_date("close_date", number_cell(44678, WINDOWS_EPOCH)) == date(2022, 4, 27)


@pytest.mark.parametrize(
    "number", [250_000, 109_940, 0, -5, 0.5, 1e300, float("nan"), float("inf")]
)
def test_a_serial_outside_1900_to_2200_is_refused(number):
    cell = number_cell(number)
    reason = (
        f'close_date "{cell}" is a number, not a date: as an Excel date it would fall '
        "outside the years 1900 to 2200"
    )
    with pytest.raises(RowError) as caught:
        v.parse_date("close_date", cell)
    assert caught.value.reason == reason
    with pytest.raises(RowError, match="outside the years 1900 to 2200"):
        v.parse_datetime("occurred_at", cell, UTC)


def test_the_last_serial_day_is_read():
    assert v.parse_date("close_date", number_cell(109_939.99)) == date(2200, 12, 31)


@pytest.mark.parametrize("text", ["46140", "46140.5"])
def test_a_number_as_text_is_no_date(text):
    """A CSV, or a workbook's text cell, holds no serial dates: the number is refused."""
    with pytest.raises(RowError) as caught:
        v.parse_date("close_date", text)
    assert caught.value.reason == (
        f'close_date "{text}" is a number, not a date; write it as YYYY-MM-DD (a number is '
        "read as a date only from a number cell of an Excel workbook)"
    )
    with pytest.raises(RowError, match="is a number, not a date"):
        v.parse_datetime("occurred_at", text, UTC)


def test_a_number_cell_reads_as_its_text_everywhere_else():
    cell = number_cell(-46140)
    v.check_not_formula("close_date", cell)  # a number, not a formula
    assert v.parse_decimal("amount", number_cell(4821.5)) == Decimal("4821.50")
    assert v.parse_int("quantity", NumberCell("3", 3, WINDOWS_EPOCH)) == 3
    assert v.text(cell) == "-46140"
    with pytest.raises(RowError, match="formula"):
        v.check_not_formula("close_date", "-46140")  # the same text in a text cell
