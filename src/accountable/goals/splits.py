"""Splitting a target across periods and people, to the cent (SPEC §3).

An annual quota becomes quarters, months or weeks; a team quota becomes one per
person. Whatever the method, the parts must add back up to the whole *exactly*: a
manager who sets 1,000,000 for the year and sees quarters summing to 999,999.99
stops trusting every other number on the page. So every split here works in whole
cents (or whole units for counts) and hands out the leftover by the largest-remainder
method: round every share down, then give the cents still missing one at a time to the
shares that lost the most in rounding, earlier ones first on a tie. The same inputs
always give the same cents.

Every split returns a :class:`Split` — the values, the method actually used and a
plain-words note when it had to fall back (no working days, no history last year).

Plain Python on purpose (no ORM), so the arithmetic can be tested exhaustively.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal

from accountable.org.calendar import Period

__all__ = [
    "Allocation",
    "Split",
    "SplitError",
    "allocate",
    "prorate",
    "ramp_factor",
    "split_by_seasonality",
    "split_by_weights",
    "split_by_working_days",
    "split_evenly",
    "suggest_target",
]

Number = Decimal | int | float


class SplitError(ValueError):
    """A split or allocation that cannot be made as asked; the message says why.

    Example: ``A weight can't be negative: "2026-Q2" has -3.``
    """


@dataclass(frozen=True)
class Split:
    """A total broken into parts that add back up to it exactly.

    ``values`` is keyed by period label (or by name for :func:`split_by_weights`), in
    the order given. ``method`` is what was actually used — ``even``, ``working_days``,
    ``weights`` or ``seasonality`` — which differs from what was asked when the split
    had to fall back; ``note`` then says why, in words a manager can read.
    """

    values: dict[str, Decimal]
    method: str
    note: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


@dataclass(frozen=True)
class Allocation:
    """A team target shared out among its people.

    ``difference`` is what was allocated minus the team target: positive means the
    people together carry more than the team (over-allocated, a common way to build in
    a buffer), negative means part of the team target is nobody's (under-allocated).
    """

    values: dict[str, Decimal]
    allocated_total: Decimal
    difference: Decimal
    status: Literal["exact", "over", "under"]
    method: str = ""
    note: str = ""


# ---- the one rounding rule ----------------------------------------------------------


def _quantum(places: int) -> Decimal:
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 6:
        raise SplitError(f"Decimal places must be a whole number from 0 to 6, not {places!r}.")
    return Decimal(1).scaleb(-places)


def _decimal(value: Number, what: str) -> Decimal:
    """A finite Decimal from a Decimal, int or float (floats read as they print: 0.1 → 0.1)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise SplitError(f"{what} must be a number, not {value!r}.")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise SplitError(f"{what} must be a number, not {value}.")
    return number


def _amount(value: Number, places: int, what: str) -> Decimal:
    """``value`` checked to be a non-negative amount with at most ``places`` decimals."""
    number = _decimal(value, what)
    quantum = _quantum(places)
    try:
        exact = number.quantize(quantum) == number
    except InvalidOperation:
        exact = False
    if not exact:
        unit = "whole numbers" if places == 0 else f"{places} decimal places"
        raise SplitError(f"{what} must be given in {unit}, not {value}.")
    if number < 0:
        raise SplitError(f"{what} can't be negative: {value}.")
    return number.quantize(quantum)


def _largest_remainder(units: int, weights: Sequence[Fraction]) -> list[int]:
    """Share ``units`` whole units in proportion to ``weights`` (not all zero), exactly.

    Each share is rounded down; the units left over (always fewer than the number of
    shares) go one each to the largest remainders, the earlier share winning a tie. A
    zero weight has no remainder, so it never receives a unit.
    """
    whole = sum(weights)
    exact = [units * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    leftover = units - sum(shares)
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[:leftover]:
        shares[i] += 1
    return shares


def _split(
    total: Number,
    weights: Mapping[str, Number],
    places: int,
    method: str,
    note: str = "",
) -> Split:
    quantum = _quantum(places)
    amount = _amount(total, places, "The total to split")
    if not weights:
        raise SplitError("There is nothing to split the total into.")
    fractions: list[Fraction] = []
    for key, weight in weights.items():
        number = _decimal(weight, f'The weight of "{key}"')
        if number < 0:
            raise SplitError(f'A weight can\'t be negative: "{key}" has {weight}.')
        fractions.append(Fraction(number))
    if not any(fractions):
        fractions = [Fraction(1)] * len(fractions)
        method = "even"
        note = _join(note, "All the weights are zero, so the total is split evenly.")
    units = int(amount.scaleb(places))
    shares = _largest_remainder(units, fractions)
    values = {key: share * quantum for key, share in zip(weights, shares, strict=True)}
    return Split(values=values, method=method, note=note)


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def _labels(periods: Sequence[Period]) -> list[str]:
    labels = [p.label for p in periods]
    if len(set(labels)) != len(labels):
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        raise SplitError(f"Each period can appear once; repeated: {', '.join(repeated)}.")
    return labels


# ---- splitting across periods -------------------------------------------------------


def split_by_weights(total: Number, weights: Mapping[str, Number], places: int = 2) -> Split:
    """Split ``total`` in proportion to ``weights`` (by key, in the order given).

    The general case the other splits use. Negative weights are an error; when every
    weight is zero the total is split evenly and the note says so.
    """
    return _split(total, weights, places, "weights")


def split_evenly(total: Number, periods: Sequence[Period], places: int = 2) -> Split:
    """The same share for every period: 100.00 over three → 33.34, 33.33, 33.33."""
    return _split(total, dict.fromkeys(_labels(periods), 1), places, "even")


def split_by_working_days(
    total: Number,
    periods: Sequence[Period],
    places: int = 2,
    within: Period | None = None,
) -> Split:
    """Split in proportion to each period's working days (selling days).

    Weeks do not tile a year or a month: pass the parent as ``within`` and a week that
    straddles its edge counts only its working days inside it. A period with no working
    days (a holiday week) gets nothing; if none has any, the split is even.
    """
    labels = _labels(periods)
    if within is None:
        days = [p.working_days for p in periods]
        note = ""
    else:
        days = [p.overlap_working_days(within) for p in periods]
        edges = [p.label for p in periods if p.start < within.start or p.end > within.end]
        note = (
            f"{_and(edges)} cross{'es' if len(edges) == 1 else ''} the edge of "
            f"{within.label}; only {'its' if len(edges) == 1 else 'their'} working days "
            f"inside {within.label} count."
            if edges
            else ""
        )
    if not any(days):
        return _split(
            total,
            dict.fromkeys(labels, 1),
            places,
            "even",
            "None of these periods has a working day, so the total is split evenly.",
        )
    return _split(total, dict(zip(labels, days, strict=True)), places, "working_days", note)


def split_by_seasonality(
    total: Number,
    periods: Sequence[Period],
    last_year_actuals: Mapping[str, Number],
    places: int = 2,
    within: Period | None = None,
) -> Split:
    """Split in proportion to what was sold in the same periods last year.

    ``last_year_actuals`` is keyed by last year's labels (``2025-Q1`` for ``2026-Q1``;
    see ``Period.same_period_last_year``). A period with a recorded zero last year gets
    nothing this year — that is what seasonality means. But when any period has *no*
    figure at all we do not know its season, so the whole split falls back to working
    days rather than silently giving that period nothing; likewise when last year adds
    up to zero. The note says which fallback happened and why.
    """
    labels = _labels(periods)
    previous = [p.same_period_last_year().label for p in periods]
    missing = [label for label in previous if label not in last_year_actuals]
    if missing:
        reason = f"There are no figures for {_and(missing)}"
    else:
        weights = {
            label: _decimal(last_year_actuals[old], f'Last year\'s figure for "{old}"')
            for label, old in zip(labels, previous, strict=True)
        }
        negative = [old for old, w in zip(previous, weights.values(), strict=True) if w < 0]
        if negative:
            raise SplitError(
                f"Last year's figures can't be used as seasonal weights: {_and(negative)} "
                f"{_is(negative)} below zero. Correct them, or split by working days."
            )
        if any(weights.values()):
            first, last = previous[0], previous[-1]
            span = first if first == last else f"{first} to {last}"
            return _split(
                total,
                weights,
                places,
                "seasonality",
                f"In proportion to last year's results ({span}).",
            )
        reason = "Last year's figures add up to zero"
    fallback = split_by_working_days(total, periods, places, within=within)
    how = "evenly" if fallback.method == "even" else "by working days"
    return Split(
        values=fallback.values,
        method=fallback.method,
        note=_join(f"{reason}, so the total is split {how} instead.", fallback.note),
    )


def _and(items: Sequence[str]) -> str:
    """Names joined as people write them: A; A and B; A, B and C."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _is(items: Sequence[str]) -> str:
    return "is" if len(items) == 1 else "are"


# ---- allocating a team target to people ---------------------------------------------


def allocate(
    team_total: Number,
    people: Sequence[str],
    method: Literal["even", "share", "manual"],
    shares: Mapping[str, Number] | None = None,
    manual: Mapping[str, Number] | None = None,
    places: int = 2,
) -> Allocation:
    """Share a team target among its people and say whether it is fully allocated.

    * ``even``: the same for everyone.
    * ``share``: in proportion to last year's actuals per person (``shares``); someone
      with nothing last year gets nothing, and the note names them so the manager can
      adjust; figures for people no longer on the team are ignored. All zero → even.
    * ``manual``: the manager's own figures, taken as given (someone not listed gets 0);
      the result reports over- or under-allocation against the team target.
    """
    quantum = _quantum(places)
    target = _amount(team_total, places, "The team target")
    if not people:
        raise SplitError("There is no one on the team to allocate the target to.")
    if len(set(people)) != len(people):
        raise SplitError("Each person can appear once in an allocation.")
    note = ""
    if method == "even":
        values = _split(target, dict.fromkeys(people, 1), places, "even").values
    elif method == "share":
        shares = shares or {}
        weights = {p: _decimal(shares.get(p, 0), f"Last year's figure for {p}") for p in people}
        below = [p for p, w in weights.items() if w < 0]
        if below:
            raise SplitError(
                f"Last year's figures can't be used as shares: {_and(below)} "
                f"{_is(below)} below zero."
            )
        split = _split(target, weights, places, "share")
        values, method = split.values, split.method
        nothing = [p for p, w in weights.items() if w == 0]
        if split.method == "even":
            note = "No one on the team sold anything last year, so the target is split evenly."
        elif nothing:
            note = (
                f"{_and(nothing)} had no results last year, so "
                f"{'gets' if len(nothing) == 1 else 'get'} no share; "
                "adjust by hand if they should carry quota."
            )
    elif method == "manual":
        manual = manual or {}
        strangers = [p for p in manual if p not in people]
        if strangers:
            raise SplitError(f"{_and(strangers)} {_is(strangers)} not on this team.")
        values = {p: _amount(manual.get(p, 0), places, f"The amount for {p}") for p in people}
        unset = [p for p in people if p not in manual]
        if unset:
            note = f"No amount for {_and(unset)}, counted as 0."
    else:
        raise SplitError(f'Allocate by "even", "share" or "manual", not "{method}".')
    allocated = sum(values.values(), Decimal(0)).quantize(quantum)
    difference = allocated - target
    status: Literal["exact", "over", "under"] = (
        "exact" if difference == 0 else "over" if difference > 0 else "under"
    )
    return Allocation(
        values=values,
        allocated_total=allocated,
        difference=difference,
        status=status,
        method=method,
        note=note,
    )


# ---- people who ramp, join, leave or move -------------------------------------------


def _add_months(start: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28 Feb)."""
    year, m0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    day = start.day
    while True:
        try:
            return date(year, m0 + 1, day)
        except ValueError:
            day -= 1


def ramp_factor(start_date: date, period: Period, ramp: Sequence[Number]) -> Decimal:
    """The share of a full quota a new hire carries in ``period``, given their ramp.

    ``ramp`` is the fraction of full quota by month of tenure — ``[0.25, 0.5, 0.75]``
    means a quarter in the first month from ``start_date``, half in the second, three
    quarters in the third, then 1 from the fourth on. The factor is the average over the
    period's working days *from the start date on*; days before the person joined are
    left to :func:`prorate`, so a full target for someone joining mid-quarter is
    ``prorate(quota * ramp_factor(start, quarter, ramp), quarter, start, None)``.
    0 when they start after the period ends.
    """
    steps = [_decimal(r, "A ramp step") for r in ramp]
    if any(not 0 <= s <= 1 for s in steps):
        raise SplitError("Each ramp step is a fraction of full quota, from 0 to 1.")
    first = max(start_date, period.start)
    if first > period.end:
        return Decimal(0)
    calendar = period.calendar
    weighted, days = Decimal(0), 0
    for month, step in enumerate([*steps, Decimal(1)]):
        begins = _add_months(start_date, month)
        ends = (
            _add_months(start_date, month + 1) - timedelta(days=1)
            if month < len(steps)
            else period.end
        )
        count = calendar.working_days_between(max(begins, first), min(ends, period.end))
        weighted += step * count
        days += count
    if days == 0:
        # No selling days left in the period: use the ramp step in force on its first day.
        months = (first.year - start_date.year) * 12 + first.month - start_date.month
        months -= _add_months(start_date, months) > first
        return steps[months] if months < len(steps) else Decimal(1)
    return weighted / days


def prorate(
    value: Number,
    period: Period,
    active_from: date | None = None,
    active_to: date | None = None,
    places: int = 2,
) -> Decimal:
    """``value`` * working days active / working days in the period, to the cent.

    For people who join, leave or move team mid-period. ``active_from`` / ``active_to``
    are inclusive; ``None`` means "before the period" / "after it". A period without
    working days is prorated by calendar days. Rounded half up, so never more than
    ``value`` rounded to the cent.
    """
    quantum = _quantum(places)
    amount = _decimal(value, "The value to prorate")
    if active_from and active_to and active_to < active_from:
        raise SplitError(
            f"The last active day ({active_to.isoformat()}) is before the first "
            f"({active_from.isoformat()})."
        )
    first = max(active_from or period.start, period.start)
    last = min(active_to or period.end, period.end)
    total = period.working_days
    if total:
        active = period.calendar.working_days_between(first, last)
    else:
        active, total = max((last - first).days + 1, 0), period.days
    if active == total:
        return amount.quantize(quantum, ROUND_HALF_UP)
    return (amount * active / total).quantize(quantum, ROUND_HALF_UP)


# ---- suggesting a target from the data ----------------------------------------------


def _percentile(data: Sequence[Decimal], percentile: Decimal) -> Decimal:
    """Linear interpolation between closest ranks — the same as
    ``statistics.quantiles(data, n=100, method="inclusive")[p - 1]`` for whole ``p``,
    but for any ``p`` from 0 to 100."""
    ordered = sorted(data)
    position = (len(ordered) - 1) * percentile / 100
    low = int(position)
    if low == len(ordered) - 1:
        return ordered[low]
    return ordered[low] + (ordered[low + 1] - ordered[low]) * (position - low)


def suggest_target(
    weekly_actuals: Sequence[Number],
    weeks_in_period: float,
    percentile: float = 80,
    *,
    places: int = 2,
    history: int = 12,
    min_weeks: int = 4,
) -> Decimal | None:
    """A target the data supports: the ``percentile`` of recent weeks, scaled to the period.

    ``weekly_actuals`` are oldest first; only the last ``history`` (12) weeks count. The
    80th percentile is a week the person reaches one time in five — a stretch they have
    already shown they can make. ``None`` with fewer than ``min_weeks`` (4) weeks of
    history: too little to suggest anything honest.
    """
    quantum = _quantum(places)
    pct = _decimal(percentile, "The percentile")
    if not 0 <= pct <= 100:
        raise SplitError(f"The percentile must be from 0 to 100, not {percentile}.")
    weeks = _decimal(weeks_in_period, "The weeks in the period")
    if weeks <= 0:
        raise SplitError(f"The weeks in the period must be above zero, not {weeks_in_period}.")
    recent = [_decimal(x, "A weekly actual") for x in list(weekly_actuals)[-history:]]
    if len(recent) < min_weeks:
        return None
    return (_percentile(recent, pct) * weeks).quantize(quantum, ROUND_HALF_UP)
