"""Values as CSV cells, safe to open in a spreadsheet (every CSV download uses this)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Cells that start like a formula are written with a leading apostrophe, so a name
# such as "=HYPERLINK(...)" opens in a spreadsheet as text, not as a live formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text
