"""The arithmetic of a scorecard (SPEC §4), with no database: pace, projections, run
rates, coverage, conversion, benchmarks and the weighted score.

Conventions, the same everywhere:

* money is Decimal; ratios are floats; a ratio that has no meaning (a win rate with
  no closed deal, coverage with nothing left to go) is None, shown as "—";
* "as of" a day means at the END of that day, as `Period.elapsed_fraction` counts it:
  on the last day of the period the whole period is gone;
* pace is measured in working days of the organisation's calendar, or by seasonality
  weights per sub-period when a season matters more than the day count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median as _median
from statistics import quantiles as _quantiles

from accountable.org.calendar import Period

ZERO = Decimal(0)
CENT = Decimal("0.01")
SCORE_CAP = 1.5  # one metric can add at most 150 % of its weight to a score


def money(value: Decimal | float | int) -> Decimal:
    """Round to the cent, half up, as an invoice would."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(part: Decimal | float | int, whole: Decimal | float | int) -> float | None:
    """part ÷ whole as a float, or None when the whole is zero (undefined, not 0 %)."""
    if not whole:
        return None
    return float(Decimal(part) / Decimal(whole))


# --- pace ----------------------------------------------------------------------------


def pace(period: Period, as_of: date) -> float:
    """The share of the period gone at the end of `as_of`, in working days (0.0 to 1.0):
    what share of the target should be done by now. For a person, their own working
    days: the organisation's net of their time off (a week away is not a week they are
    expected to sell in); a team's target built from its people's expects the sum of
    what each of them is expected to have done."""
    return period.elapsed_fraction(as_of)


def seasonal_pace(parts: Sequence[tuple[Period, float]], as_of: date) -> float:
    """Pace by seasonality: each sub-period (a month, say) carries a weight — its share
    of last year's result — and within it the weight is spread over its working days.

    With weights (Jan 1, Feb 1, Mar 2) on 15 February (half of February's working days
    gone): (1 * 1.0 + 1 * 0.5 + 2 * 0.0) ÷ 4 = 0.375. Weights are normalised; all-zero
    weights fall back to the working-day pace over the parts. A person's time off is
    taken out of the working days of the sub-periods it falls in.
    """
    total = sum(max(weight, 0.0) for _, weight in parts)
    if total <= 0:
        days = sum(part.working_days for part, _ in parts)
        done = sum(part.working_days_elapsed(as_of) for part, _ in parts)
        return done / days if days else 0.0
    return sum(max(w, 0.0) * part.elapsed_fraction(as_of) for part, w in parts) / total


def expected_to_date(target: Decimal | None, fraction: float) -> Decimal | None:
    """How much of the target should be done by now: target * pace."""
    if target is None:
        return None
    return money(Decimal(target) * Decimal(str(fraction)))


def gap_to_pace(actual: Decimal, expected: Decimal | None) -> Decimal | None:
    """Actual minus expected to date: negative means behind pace."""
    if expected is None:
        return None
    return money(Decimal(actual) - expected)


# --- projections and run rates ---------------------------------------------------------


# A projection needs this share of the period behind it, by its pace: before, one deal
# won on the first day would project to many times the target. The card then shows
# the run rate so far and says it is too early to project.
PROJECTION_MIN_PACE = 0.2


def projection(
    actual: Decimal, period: Period, as_of: date, fraction: float | None = None
) -> Decimal | None:
    """Projected finish at the pace so far: actual ÷ the share of the period gone, by the
    same pace as expected-to-date (`fraction`: the target's seasonal pace when its parts
    set one; else working days). Whoever is exactly on pace projects to the target.

    None while it is too early to project (less than PROJECTION_MIN_PACE of the period
    gone by its pace); the actual itself once the period is over."""
    if as_of >= period.end:
        return money(actual)
    share = pace(period, as_of) if fraction is None else fraction
    if share < PROJECTION_MIN_PACE:
        return None
    return money(Decimal(actual) / Decimal(str(share)))


def too_early_to_project(period: Period, as_of: date, fraction: float | None = None) -> bool:
    """Whether `projection` is withheld for want of data (not because the period is over)."""
    share = pace(period, as_of) if fraction is None else fraction
    return as_of < period.end and share < PROJECTION_MIN_PACE


def run_rate_weekly(actual: Decimal, period: Period, as_of: date) -> Decimal | None:
    """What came in per working week so far (None before the first working day)."""
    elapsed = period.working_days_elapsed(min(as_of, period.end))
    if elapsed <= 0:
        return None
    return money(Decimal(actual) / elapsed * len(period.calendar.working_days))


def projection_with_pipeline(
    actual: Decimal, weighted_pipeline_left: Decimal, period: Period, as_of: date
) -> Decimal:
    """Projected finish counting the pipeline: what is won so far plus the weighted value
    (amount * stage probability) of open deals expected to close in the rest of the period.
    After the end of the period nothing more can close: the actual."""
    if as_of >= period.end:
        return money(actual)
    return money(Decimal(actual) + Decimal(weighted_pipeline_left))


def working_days_left(period: Period, as_of: date) -> int:
    """Working days after `as_of` up to the end of the period (0 on the last day and after)."""
    if as_of >= period.end:
        return 0
    start = max(period.start, as_of + timedelta(days=1))
    return period.calendar.working_days_between(start, period.end)


def weeks_left(period: Period, as_of: date) -> float:
    """Working weeks left: working days left ÷ working days in a week."""
    return working_days_left(period, as_of) / len(period.calendar.working_days)


def required_weekly(
    target: Decimal | None, actual: Decimal, period: Period, as_of: date
) -> Decimal | None:
    """The weekly run rate needed from now on to still reach the target: what is left to
    do ÷ working weeks left (a person's own: their time off to come is not a week left).

    None (shown "—") when there is no target, when the target is already met, and after
    the period's end (nothing can be caught up any more — the gap says how far short it
    ended). With less than a week left, the whole remainder is needed this week: the
    divisor is at least one week; on the last day, the whole shortfall.
    """
    if target is None or as_of > period.end:
        return None
    remaining = Decimal(target) - Decimal(actual)
    if remaining <= 0:
        return None
    weeks = weeks_left(period, as_of)
    return money(remaining / Decimal(str(max(weeks, 1.0))))


def coverage(pipeline_left: Decimal, target: Decimal | None, actual: Decimal) -> float | None:
    """Pipeline coverage: open pipeline expected to close in the rest of the period ÷
    target still to go. 3.0 reads "three times what is still needed". None without a
    target or when nothing is left to go."""
    if target is None:
        return None
    to_go = Decimal(target) - Decimal(actual)
    if to_go <= 0:
        return None
    return float(Decimal(pipeline_left) / to_go)


def attainment(
    actual: Decimal | float, target: Decimal | float | None, higher_is_better: bool = True
) -> float | None:
    """How much of the target is reached (1.0 = reached); None without a positive target.

    Actual ÷ target where more is better; target ÷ actual where less is better (a sales
    cycle of 60 days against a target of 30 is 50 %, and 20 days is 150 %), so that
    attainment always grows as the metric improves. A lower-is-better actual of 0 or
    less has no meaningful attainment (None)."""
    if target is None or target <= 0:
        return None
    if higher_is_better:
        return float(Decimal(str(actual)) / Decimal(str(target)))
    if Decimal(str(actual)) <= 0:
        return None
    return float(Decimal(str(target)) / Decimal(str(actual)))


# --- conversion ---------------------------------------------------------------------


def win_rate(won: int | float, lost: int | float) -> float | None:
    """Deals won ÷ deals closed (won + lost), by count; None with nothing closed."""
    return ratio(Decimal(str(won)), Decimal(str(won)) + Decimal(str(lost)))


def win_rate_value(won_amount: Decimal, lost_amount: Decimal) -> float | None:
    """Value won ÷ value closed: the win rate weighted by deal size."""
    return ratio(won_amount, Decimal(won_amount) + Decimal(lost_amount))


def average_deal_size(won_amount: Decimal, won_count: int | float) -> Decimal | None:
    """Won amount ÷ deals won; None with no win."""
    if not won_count:
        return None
    return money(Decimal(won_amount) / Decimal(str(won_count)))


def velocity(
    opportunities: int, rate: float | None, deal_size: Decimal | None, cycle_days: float | None
) -> Decimal | None:
    """Sales velocity, money per day: opportunities * win rate * average deal size ÷ cycle
    length in days. None when any part is unknown or the cycle is zero."""
    if rate is None or deal_size is None or not cycle_days:
        return None
    return money(Decimal(opportunities) * Decimal(str(rate)) * deal_size / Decimal(str(cycle_days)))


# --- benchmarks ---------------------------------------------------------------------


def median(values: Iterable[float | Decimal]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None if empty."""
    items = [float(v) for v in values]
    return float(_median(items)) if items else None


@dataclass(frozen=True)
class Quartiles:
    """The 25th, 50th and 75th percentiles of a team's values (inclusive method)."""

    q1: float
    median: float
    q3: float


def quartiles(values: Iterable[float | Decimal]) -> Quartiles | None:
    """Quartiles by the inclusive method (the values' own range); None if empty."""
    items = sorted(float(v) for v in values)
    if not items:
        return None
    if len(items) == 1:
        return Quartiles(items[0], items[0], items[0])
    q1, q2, q3 = _quantiles(items, n=4, method="inclusive")
    return Quartiles(q1, q2, q3)


def trailing_mean(values: Sequence[float | Decimal]) -> float | None:
    """The person's own baseline: the mean of their previous periods; None if there are none."""
    items = [float(v) for v in values]
    return sum(items) / len(items) if items else None


# --- weighted score -----------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One metric's part in a score: its attainment against pace (1.0 = on target) and weight."""

    attainment: float | None
    weight: float


def weighted_score(parts: Iterable[Scored], cap: float = SCORE_CAP) -> float | None:
    """A score where 100 means on target: the weighted mean of each metric's attainment,
    each capped at `cap` (150 %) so one metric cannot carry the score, with weights
    normalised over the metrics that have a target. None when none has."""
    counted = [
        (min(max(p.attainment, 0.0), cap), p.weight)
        for p in parts
        if p.attainment is not None and p.weight > 0
    ]
    total = sum(weight for _, weight in counted)
    if not total:
        return None
    return 100 * sum(a * w for a, w in counted) / total
