"""Money as people read it: the organisation's currency and thousands separators.

{% load money %}
{{ deal.amount|money:currency }}          $12,500   · 980.50 CHF
{{ totals.amount|money_short:currency }}  $1.21M    · 48.2k CHF
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()

# Written before the number; any other currency is written after it by its code.
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _with_currency(number: str, currency: str) -> str:
    symbol = SYMBOLS.get((currency or "").upper())
    if symbol:
        return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
    return f"{number} {currency}".strip()


@register.filter
def money(value: Any, currency: str = "") -> str:
    """Whole amounts without decimals (12,500), others with cents (980.50)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    places = Decimal(1) if amount == amount.to_integral_value() else Decimal("0.01")
    return _with_currency(intcomma(amount.quantize(places)), currency)


@register.filter
def money_short(value: Any, currency: str = "") -> str:
    """A compact amount for tiles: 940, 48.2k, 165k, 1.21M."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    size = abs(amount)
    if size >= 1_000_000:
        number = f"{amount / 1_000_000:.2f}M"
    elif size >= 100_000:
        number = f"{amount / 1_000:.0f}k"
    elif size >= 10_000:
        number = f"{amount / 1_000:.1f}k"
    else:
        number = intcomma(amount.quantize(Decimal(1)))
    return _with_currency(number, currency)


@register.filter
def isodate(value: Any) -> date | str:
    """An ISO date string (as kept in a deal's change log) as a date, for the `date` filter."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value or "—"
