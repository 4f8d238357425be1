"""Reading one cell as a typed value, or saying in plain words why it cannot be.

Every parser takes the cell's text and either returns the value or raises
RowError with a reason naming the column and the value, e.g.
`amount "12,50 EUR" is not a number`. No ORM here: these are tested exhaustively.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accountable.imports.errors import RowError
from accountable.org.calendar import EARLIEST, LATEST

if TYPE_CHECKING:
    from accountable.imports.date_order import DateOrders

# A cell that a spreadsheet would run as a formula when the file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_AMOUNT = Decimal("999999999999.99")
# The largest whole number an integer column holds on every database we run on.
MAX_INT = 2**31 - 1
_CENTS = Decimal("0.01")
_ISO_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"  # date
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"  # optional time
    r"\s*(Z|[+-]\d{2}:?\d{2})?"  # optional offset
)
# 4/28/2026, 28.04.2026, and with a time as CRM reports write it: "4/28/2026 2:05 PM",
# "28.04.2026 14:05".
_SLASHED = re.compile(
    r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"
    r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]?\.?)?)?"
)
DAY_FIRST, MONTH_FIRST = "day/month", "month/day"
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
_CURRENCY = re.compile(r"^[A-Za-z]{3}\s+|\s+[A-Za-z]{3}$|[$€£¥]")


def text(value: str | None) -> str:
    """The cell as stored: outer spaces removed (None and blanks become "")."""
    return (value or "").strip()


def check_not_formula(column: str, value: str) -> None:
    """Reject text that a spreadsheet would execute (CSV/formula injection)."""
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


def parse_date(column: str, value: str | None, orders: DateOrders | None = None) -> date | None:
    """ISO dates (2026-03-01, also with a time) and day/month orders.

    25/04/2026 and 04/25/2026 are clear. 03/04/2026 could be 3 April or March 4: the
    column's other values decide (`orders`, see `imports.date_order`); when they do
    not, rather than guess, the row is rejected and the message says why.
    """
    cleaned = text(value)
    if not cleaned:
        return None
    match = _ISO_DATETIME.fullmatch(cleaned)
    if match:
        return _make_date(column, cleaned, int(match[1]), int(match[2]), int(match[3]))
    match = _SLASHED.fullmatch(cleaned)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first == second:
            return _make_date(column, cleaned, year, first, second)
        found = None
        order = order_shown(first, second)
        if order is None and orders is not None:
            found = orders.of(column)
            order = found.order
        if order == DAY_FIRST:
            return _make_date(column, cleaned, year, second, first)
        if order == MONTH_FIRST:
            return _make_date(column, cleaned, year, first, second)
        why = f": {found.why_not}" if found is not None else ""
        raise RowError(
            f'{column} "{cleaned}" is ambiguous (day and month could be either way{why}); '
            "write dates as YYYY-MM-DD"
        )
    raise RowError(f'{column} "{cleaned}" is not a date; write it as YYYY-MM-DD')


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


def parse_datetime(
    column: str, value: str | None, zone: tzinfo, orders: DateOrders | None = None
) -> datetime | None:
    """A date (midnight in the organisation's time zone) or a date and time."""
    cleaned = text(value)
    if not cleaned:
        return None
    match = _ISO_DATETIME.fullmatch(cleaned)
    if not match or match[4] is None:
        day = parse_date(column, cleaned, orders)
        moment = _clock(column, cleaned) if not match else time(0, 0)
        return datetime.combine(day, moment, tzinfo=zone) if day else None
    day = _make_date(column, cleaned, int(match[1]), int(match[2]), int(match[3]))
    try:
        moment = time(int(match[4]), int(match[5]), int(match[6] or 0))
    except ValueError:
        raise RowError(f'{column} "{cleaned}" has an impossible time of day') from None
    if match[7]:
        iso = cleaned.replace(" ", "T", 1).replace("Z", "+00:00")
        try:
            return datetime.fromisoformat(iso)
        except ValueError:
            raise RowError(f'{column} "{cleaned}" is not a date and time') from None
    # The day is in the calendar's years, so its moment in UTC is a real datetime.
    return datetime.combine(day, moment, tzinfo=zone)


def _clock(column: str, shown: str) -> time:
    """The time of day of a day/month date with a time ("4/28/2026 2:05 PM", "28.04.2026
    14:05"); midnight without one."""
    match = _SLASHED.fullmatch(shown)
    if match is None or match[4] is None:
        return time(0, 0)
    hour, minute, second, half = int(match[4]), int(match[5]), int(match[6] or 0), match[7]
    if half:  # 12-hour clock
        if not 1 <= hour <= 12:
            raise RowError(f'{column} "{shown}" has an impossible time of day')
        hour = hour % 12 + (12 if half in "Pp" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise RowError(f'{column} "{shown}" has an impossible time of day') from None


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
