"""The organisation's days off: a country's public holidays, from the maintained
`holidays` package, and the organisation's own days (a company day, the days between
Christmas and New Year). Pace, expected-to-date, run rates, the required weekly rate
and the warnings count working days net of them (`FiscalCalendar.holidays`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays as public
from holidays import registry

from accountable.org.calendar import EARLIEST, LATEST, PeriodError, parse_date

# Public holidays are worked out for the years around today: enough for a year's
# pace, the same period last year, and the warning engine's quarters back.
YEARS_BEFORE = 6
YEARS_AFTER = 2


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country the `holidays` package knows, by name."""
    supported = public.list_supported_countries()
    names = {}
    for module, (_, code, *_) in registry.COUNTRIES.items():
        if code in supported:
            names[code] = module.replace("_", " ").title()
    return sorted(names.items(), key=lambda pair: pair[1])


def subdivisions(country: str) -> list[str]:
    """The codes of a country's states, provinces or regions with holidays of their own."""
    return sorted(public.list_supported_countries().get(country, []))


def check(country: str, subdivision: str) -> None:
    """PeriodError with a plain message for a country or subdivision the package lacks."""
    if not country:
        if subdivision:
            raise PeriodError("Choose the country the region belongs to.")
        return
    if country not in public.list_supported_countries():
        raise PeriodError(f'No public holidays are known for "{country}".')
    if subdivision and subdivision not in subdivisions(country):
        known = ", ".join(subdivisions(country)) or "none"
        raise PeriodError(
            f'"{subdivision}" is not a region of {country} with holidays of its own; '
            f"known: {known}."
        )


@lru_cache(maxsize=32)
def public_holidays(country: str, subdivision: str, first: int, last: int) -> dict[date, str]:
    """The country's (and region's) public holidays from year `first` to `last`."""
    if not country:
        return {}
    found = public.country_holidays(
        country, subdiv=subdivision or None, years=range(first, last + 1)
    )
    return dict(found.items())


def own_days_parse(text: str) -> list[dict[str, str]]:
    """The organisation's own days off from lines such as "2026-12-24 Christmas Eve"
    (a date, then a name); PeriodError naming the first line that is not one."""
    days: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        day_text, _, name = line.partition(" ")
        try:
            day = parse_date(day_text)
        except PeriodError as error:
            raise PeriodError(f"Line {number}: {error}") from None
        days[day.isoformat()] = " ".join(name.split())[:80] or "Day off"
    return [{"day": day, "name": name} for day, name in sorted(days.items())]


def own_days_text(days: Iterable[dict[str, str]]) -> str:
    return "\n".join(f"{item['day']} {item['name']}" for item in days)


def days_off(
    country: str, subdivision: str, own: Iterable[dict[str, str]], today: date
) -> dict[date, str]:
    """Every day off the calendar knows, with its name: public and own."""
    first = max(today.year - YEARS_BEFORE, EARLIEST.year)
    last = min(today.year + YEARS_AFTER, LATEST.year)
    found = dict(public_holidays(country, subdivision, first, last))
    for item in own:
        found[date.fromisoformat(item["day"])] = item["name"]
    return found
