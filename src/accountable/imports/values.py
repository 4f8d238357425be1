"""Reading one cell as a typed value, or saying in plain words why it cannot be.

Every parser takes the cell's text and either returns the value or raises
RowError with a reason naming the column and the value, e.g.
`amount "12,50 EUR" is not a number`. No ORM here: these are tested exhaustively.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accountable.imports.errors import RowError
from accountable.imports.readers import NumberCell
from accountable.org.calendar import EARLIEST, LATEST

if TYPE_CHECKING:
    from accountable.imports.date_order import DateOrders

# A cell that a spreadsheet would run as a formula when the file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_AMOUNT = Decimal("999999999999.99")
# The largest whole number an integer column holds on every database we run on.
MAX_INT = 2**31 - 1
_CENTS = Decimal("0.01")
# A time of day after a date, 24- or 12-hour, and the offset from UTC or the zone it
# is written in, if any: "14:30", "14:30:00.000Z", "2:30 PM", "14:30 +02:00",
# "14:30 -0500", "2:30 PM EST". Any word after the time is caught as a zone, so that an
# unknown one is named in the message rather than the whole value called no date.
_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<half>[AaPp])\.?[Mm]?\.?)?"  # a 12-hour clock
    r"(?:\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)|\s+(?P<zone>[A-Za-z]+))?"
)
# 2026-04-28, and with a time: "2026-04-28T14:30:00Z", "2026-04-28 14:30".
_ISO_DATETIME = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[T ]{_TIME})?")
# 4/28/2026, 28.04.2026, and with a time as CRM reports write it: "4/28/2026 2:05 PM",
# "28.04.2026 14:05", "4/28/2026 2:05 PM EDT".
_SLASHED = re.compile(rf"(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}})(?:,?\s+{_TIME})?")
DAY_FIRST, MONTH_FIRST = "day/month", "month/day"
# The zones a date-time may name by a word: UTC, and the abbreviations of the United
# States' zones that Salesforce and HubSpot exports write. Each names one fixed offset
# (EST is five hours behind UTC in July too); "CST" is Central Standard Time, not
# China's. Any other word is refused rather than guessed: the same letters name other
# zones elsewhere (IST is India's, Ireland's or Israel's).
_US_ZONE_HOURS = {
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
}
_ZONES: dict[str, tzinfo] = {"UTC": UTC, "GMT": UTC} | {
    name: timezone(timedelta(hours=hours), name) for name, hours in _US_ZONE_HOURS.items()
}
# The years an Excel serial date may fall in: a number in a date column outside them is
# an amount or an id in the wrong column, not a date.
SERIAL_EARLIEST, SERIAL_LATEST = date(1900, 1, 1), date(2200, 12, 31)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
_CURRENCY = re.compile(r"^[A-Za-z]{3}\s+|\s+[A-Za-z]{3}$|[$€£¥]")


def text(value: str | None) -> str:
    """The cell as stored: outer spaces removed (None and blanks become "")."""
    return (value or "").strip()


def check_not_formula(column: str, value: str) -> None:
    """Reject text that a spreadsheet would execute (CSV/formula injection). A workbook's
    number cell ("-5") holds a number, never a formula."""
    if isinstance(value, NumberCell):
        return
    stripped = value.lstrip(" ")
    if len(stripped) > 1 and stripped.startswith(FORMULA_STARTS):
        shown = stripped if len(stripped) <= 40 else stripped[:37] + "…"
        raise RowError(
            f'{column} "{shown}" looks like a spreadsheet formula; '
            "remove the leading character or the formula"
        )


def required(column: str, value: str | None) -> str:
    cleaned = text(value)
    if not cleaned:
        raise RowError(f"{column} is missing")
    return cleaned


def email(column: str, value: str | None) -> str:
    cleaned = text(value).lower()
    try:
        validate_email(cleaned)
    except ValidationError:
        raise RowError(f'{column} "{text(value)}" is not an e-mail address') from None
    return cleaned


def order_shown(first: int, second: int) -> str | None:
    """The order a day/month date shows on its own: DAY_FIRST when its first number
    cannot be a month (28/4/2026), MONTH_FIRST when its second cannot (4/28/2026), None
    when either could."""
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def order_of(value: str | None) -> str | None:
    """The order one cell shows on its own (`order_shown`); None for ISO, blank or
    anything else."""
    match = _SLASHED.fullmatch(text(value))
    return order_shown(int(match[1]), int(match[2])) if match else None


def parse_date(
    column: str,
    value: str | None,
    orders: DateOrders | None = None,
    zone: tzinfo | None = None,
) -> date | None:
    """ISO dates (2026-03-01), day/month orders (28/04/2026, 4/28/2026), either with a
    time, and a workbook's Excel serial dates (46140) — see `parse_datetime`.

    25/04/2026 and 04/25/2026 are clear. 03/04/2026 could be 3 April or March 4: the
    column's other values decide (`orders`, see `imports.date_order`); when they do
    not, rather than guess, the row is rejected and the message says why.

    A date with a time is the day of the moment it names, in the organisation's time
    zone (`zone`): the day as written when the time has no offset or zone of its own
    (it is then the organisation's clock, as in `parse_datetime`), and the day that
    moment falls on there when it has one — in New York, "2026-04-29T02:00:00Z" is a
    deal closed on 28 April, the day an activity at that moment counts on too.
    Without `zone` (a file read outside an import, such as the maven folder's first
    look), the day as written.
    """
    if isinstance(value, NumberCell):
        return _serial(column, value).date()
    cleaned = text(value)
    if not cleaned:
        return None
    day, clock, written_in = _written(column, cleaned, orders)
    if clock is None or written_in is None or zone is None:
        return day
    moment = datetime.combine(day, clock, tzinfo=written_in)
    return _in_calendar(column, cleaned, moment.astimezone(zone).date())


def parse_datetime(
    column: str, value: str | None, zone: tzinfo, orders: DateOrders | None = None
) -> datetime | None:
    """A date and time, or a date alone (midnight), as the moment it names.

    Without an offset or a zone of its own, a time is the organisation's (`zone`):
    "2026-04-28 14:30", "4/28/2026 2:30 PM". With one, it is the moment in that zone:
    "2026-04-28T14:30:00Z", "2026-04-28 14:30:00+02:00", "2026-04-28 14:30 -0500",
    "4/28/2026 2:30 PM UTC", "28/04/2026 14:30 GMT" and the abbreviations of the
    United States' zones CRM exports write ("EST", "PDT"…, each a fixed offset). Any
    other zone word is refused, naming the value. A workbook's number cell is an
    Excel serial date (46140.5 is 28 April 2026 at noon), read with openpyxl in the
    workbook's own epoch (1900 or 1904), and is the organisation's clock too.
    """
    if isinstance(value, NumberCell):
        return _serial(column, value).replace(tzinfo=zone)
    cleaned = text(value)
    if not cleaned:
        return None
    day, clock, written_in = _written(column, cleaned, orders)
    # The day is in the calendar's years, so its moment in UTC is a real datetime.
    return datetime.combine(day, clock or time(0, 0), tzinfo=written_in or zone)


def _written(
    column: str, shown: str, orders: DateOrders | None
) -> tuple[date, time | None, tzinfo | None]:
    """The day a value writes, its time of day (None without one) and the zone the
    time is written in (None without one): the one reading of a date's text that
    `parse_date` and `parse_datetime` share."""
    match = _ISO_DATETIME.fullmatch(shown)
    if match:
        day = _make_date(column, shown, int(match[1]), int(match[2]), int(match[3]))
    else:
        match = _SLASHED.fullmatch(shown)
        if not match:
            raise RowError(_not_a_date(column, shown))
        day = _day_month(column, shown, match, orders)
    if match["hour"] is None:
        return day, None, None
    return day, _clock(column, shown, match), _zone(column, shown, match)


def _not_a_date(column: str, shown: str) -> str:
    if _NUMBER.fullmatch(shown):  # an Excel serial date, saved as text
        return (
            f'{column} "{shown}" is a number, not a date; write it as YYYY-MM-DD (a number '
            "is read as a date only from a number cell of an Excel workbook)"
        )
    return f'{column} "{shown}" is not a date; write it as YYYY-MM-DD'


def _day_month(column: str, shown: str, match: re.Match, orders: DateOrders | None) -> date:
    """The day of 28/04/2026 or 4/28/2026, in the order the value or its column shows."""
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if first == second:
        return _make_date(column, shown, year, first, second)
    found = None
    order = order_shown(first, second)
    if order is None and orders is not None:
        found = orders.of(column)
        order = found.order
    if order == DAY_FIRST:
        return _make_date(column, shown, year, second, first)
    if order == MONTH_FIRST:
        return _make_date(column, shown, year, first, second)
    why = f": {found.why_not}" if found is not None else ""
    raise RowError(
        f'{column} "{shown}" is ambiguous (day and month could be either way{why}); '
        "write dates as YYYY-MM-DD"
    )


def _make_date(column: str, shown: str, year: int, month: int, day: int) -> date:
    try:
        made = date(year, month, day)
    except ValueError:
        raise RowError(f'{column} "{shown}" is not a real date') from None
    return _in_calendar(column, shown, made)


def _in_calendar(column: str, shown: str, day: date) -> date:
    """The calendar's days only: a row dated 0001-01-01 or 9999-12-31 is a typo or a
    placeholder, and no period or UTC moment near it can be worked out."""
    if not EARLIEST <= day <= LATEST:
        years = f"{EARLIEST.year} to {LATEST.year}"
        raise RowError(f'{column} "{shown}" is outside the calendar: years run {years}')
    return day


def _clock(column: str, shown: str, match: re.Match) -> time:
    """The time of day a date is written with: "14:05", "14:05:30", "2:05 PM"."""
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    half = match["half"]
    if half:  # 12-hour clock
        if not 1 <= hour <= 12:
            raise RowError(f'{column} "{shown}" has an impossible time of day')
        hour = hour % 12 + (12 if half in "Pp" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise RowError(f'{column} "{shown}" has an impossible time of day') from None


def _zone(column: str, shown: str, match: re.Match) -> tzinfo | None:
    """The zone a time is written in: an offset from UTC ("Z", "+02:00", "-0500") or a
    known zone's abbreviation ("UTC", "EST"); None when it has none."""
    offset, word = match["offset"], match["zone"]
    if word is not None:
        known = _ZONES.get(word.upper())
        if known is None:
            raise RowError(
                f'{column} "{shown}" is in a time zone imports do not know ("{word}"); '
                "write the time with its offset from UTC, such as +02:00, or in UTC, GMT "
                f"or a zone of the United States ({', '.join(_US_ZONE_HOURS)})"
            )
        return known
    if offset is None:
        return None
    if offset in ("Z", "z"):
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise RowError(f'{column} "{shown}" has an impossible offset from UTC ({offset})')
    span = timedelta(hours=hours, minutes=minutes)
    return timezone(-span if offset[0] == "-" else span)


def _serial(column: str, cell: NumberCell) -> datetime:
    """A workbook's number cell in a date column, as the Excel serial date it holds
    (a naive datetime: the organisation's clock)."""
    moment = cell.serial_date()
    if moment is None or not SERIAL_EARLIEST <= moment.date() <= SERIAL_LATEST:
        years = f"{SERIAL_EARLIEST.year} to {SERIAL_LATEST.year}"
        raise RowError(
            f'{column} "{cell}" is a number, not a date: as an Excel date it would fall '
            f"outside the years {years}"
        )
    return moment


def parse_decimal(
    column: str, value: str | None, *, allow_negative: bool = False
) -> Decimal | None:
    """A number as people write money: "4,821.00", "4821", "$4,821", "4.821,50", "EUR 12"."""
    cleaned = text(value)
    if not cleaned:
        return None
    number = _CURRENCY.sub("", cleaned).replace(" ", "").replace("\u00a0", "")
    negative = number.startswith("(") and number.endswith(")")
    if negative:
        number = "-" + number[1:-1]
    number = _normalise_separators(number)
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise RowError(f'{column} "{cleaned}" is not a number') from None
    if not amount.is_finite():
        raise RowError(f'{column} "{cleaned}" is not a number')
    if amount < 0 and not allow_negative:
        raise RowError(f'{column} "{cleaned}" is negative')
    if abs(amount) > MAX_AMOUNT:
        raise RowError(f'{column} "{cleaned}" is too large')
    return amount.quantize(_CENTS, rounding=ROUND_HALF_UP)


def _normalise_separators(number: str) -> str:
    if "," in number and "." in number:
        if number.rfind(",") > number.rfind("."):  # 4.821,50
            return number.replace(".", "").replace(",", ".")
        return number.replace(",", "")  # 4,821.50
    if "," in number:
        digits = number.lstrip("-")
        if _THOUSANDS.fullmatch(digits):  # 4,821 or 1,234,567
            return number.replace(",", "")
        return number.replace(",", ".")  # 12,5
    return number


def parse_int(
    column: str, value: str | None, *, minimum: int = 0, maximum: int = MAX_INT
) -> int | None:
    amount = parse_decimal(column, value, allow_negative=True)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise RowError(f'{column} "{text(value)}" is not a whole number')
    if amount < minimum:
        raise RowError(f'{column} "{text(value)}" must be at least {minimum}')
    if amount > maximum:
        raise RowError(f'{column} "{text(value)}" is too large (at most {maximum:,})')
    return int(amount)


_TRUE = {"yes", "y", "true", "t", "1", "x", "✓"}
_FALSE = {"no", "n", "false", "f", "0", ""}


def parse_bool(column: str, value: str | None) -> bool:
    cleaned = text(value).lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise RowError(f'{column} "{text(value)}" is not yes or no')


def choice(column: str, value: str | None, synonyms: dict[str, str], *, default: str = "") -> str:
    """A value from a fixed list, matched loosely ("New Business" → new_business)."""
    cleaned = text(value)
    if not cleaned:
        return default
    key = re.sub(r"[^a-z0-9]+", "", cleaned.lower())
    if key in synonyms:
        return synonyms[key]
    allowed = ", ".join(sorted(set(synonyms.values()) - {""}))
    raise RowError(f'{column} "{cleaned}" is not one of: {allowed}')
