"""The fiscal calendar of an organisation: how Accountable names and bounds periods.

Every number the product shows (a target, a pace, a forecast) says which period it covers,
and periods are written the same way everywhere -- CLI, API and URLs:

* ``2026``     fiscal year 2026, named by the calendar year in which it *starts*
  (with an April start, FY2026 runs 2026-04-01 .. 2027-03-31);
* ``2026-Q3``  third quarter of fiscal year 2026;
* ``2026-08``  the calendar month August 2026;
* ``2026-W32`` week 32, numbered like ISO 8601 but starting on the organisation's week day.

Working days drive pace: "60% of the quarter's working days are gone, so 60% of the quota
should be closed". Plain stdlib on purpose, so forecasting code and tests need no database.
"""

from __future__ import annotations

import calendar as _cal
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

__all__ = [
    "DEFAULT_CALENDAR",
    "EARLIEST",
    "LATEST",
    "FiscalCalendar",
    "Kind",
    "Period",
    "PeriodError",
    "date_check",
    "parse_date",
]

MIN_YEAR = 1900
MAX_YEAR = 2999
# The days anyone may type, import or ask about. Periods are built some years beyond
# them, so that one at either end still has the periods before it (baselines, last
# year) and after it that pace, trends and growth look at; no date arithmetic near
# them can run off the end of Python's calendar (years 1 to 9999).
EARLIEST = date(MIN_YEAR, 1, 1)
LATEST = date(MAX_YEAR, 12, 31)
DATE_RANGE = f"dates run {EARLIEST.isoformat()} to {LATEST.isoformat()}"
_SPARE_YEARS = 10
_HELP = "Write 2026, 2026-Q3, 2026-08 or 2026-W32."
_LABEL = re.compile(r"(\d{4})(?:-(?:[Qq](\d)|(\d{2})|[Ww](\d{1,2})))?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ONE_DAY = timedelta(days=1)


class PeriodError(ValueError):
    """A period label or request the user can read: the message says what is wrong.

    Example: ``Not a period: "2026-Q5" — quarters run Q1 to Q4.``
    """


class Kind(StrEnum):
    """The grains a sales number can be reported at, coarsest first."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"


# Coarse-to-fine rank: a period can be split into any strictly finer kind.
_RANK = {Kind.YEAR: 0, Kind.QUARTER: 1, Kind.MONTH: 2, Kind.WEEK: 3}


def _kind(kind: Kind | str) -> Kind:
    try:
        return Kind(str(kind).strip().lower())
    except ValueError:
        raise PeriodError(
            f'Not a kind of period: "{kind}". Use year, quarter, month or week.'
        ) from None


def _month_bounds(index: int) -> tuple[date, date]:
    """First and last day of the month numbered ``year * 12 + (month - 1)``."""
    year, m0 = divmod(index, 12)
    return date(year, m0 + 1, 1), date(year, m0 + 1, _cal.monthrange(year, m0 + 1)[1])


def date_check(day: date) -> date:
    """``day`` itself when it lies between EARLIEST and LATEST, or PeriodError saying so."""
    on = day.date() if isinstance(day, datetime) else day
    if not EARLIEST <= on <= LATEST:
        raise PeriodError(f"{on.isoformat()} is outside the calendar: {DATE_RANGE}.")
    return day


def parse_date(value: str) -> date:
    """Parse a ``YYYY-MM-DD`` date as typed on the CLI or in a URL, or raise PeriodError.

    Only days between EARLIEST and LATEST: ``9999-12-31`` is a date, but not one a
    period, a pace or a day after it can be worked out for.
    """
    text = value.strip() if isinstance(value, str) else ""
    if _ISO_DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if EARLIEST <= day <= LATEST:
                return day
            raise PeriodError(f'Not a date the calendar covers: "{value}" — {DATE_RANGE}.')
    raise PeriodError(f'Not a date: "{value}" — write it as YYYY-MM-DD.')


@dataclass(frozen=True)
class FiscalCalendar:
    """An organisation's fiscal year start, week start, working days and holidays.

    Targets are set per fiscal year/quarter; pace ("are we on track?") is measured in
    working days, so a rep is not behind just because a bank holiday fell this week.
    """

    fiscal_year_start_month: int = 1
    week_start: int = 0  # 0=Monday .. 6=Sunday, like date.weekday()
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = frozenset()
    # Sorted ordinals of holidays that fall on working weekdays, so range counts can bisect.
    _holiday_ordinals: tuple[int, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        m, ws = self.fiscal_year_start_month, self.week_start
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12:
            raise PeriodError(f"Fiscal year start month must be 1..12, not {m!r}.")
        if isinstance(ws, bool) or not isinstance(ws, int) or not 0 <= ws <= 6:
            raise PeriodError(f"Week start must be 0 (Monday) .. 6 (Sunday), not {ws!r}.")
        days = frozenset(self.working_days)
        if not days or not days <= set(range(7)):
            raise PeriodError(
                f"Working days must be a non-empty set of 0 (Monday) .. 6 (Sunday), "
                f"not {sorted(days)!r}."
            )
        # A datetime is a date subclass but never equals the plain date we look up.
        hols = frozenset(h.date() if isinstance(h, datetime) else h for h in self.holidays)
        if not all(isinstance(h, date) for h in hols):
            raise PeriodError("Holidays must be dates.")
        object.__setattr__(self, "working_days", days)
        object.__setattr__(self, "holidays", hols)
        ordinals = sorted(h.toordinal() for h in hols if h.weekday() in days)
        object.__setattr__(self, "_holiday_ordinals", tuple(ordinals))

    # ---- naming periods -------------------------------------------------------------

    def parse(self, label: str) -> Period:
        """Turn a label such as ``2026-Q3`` or ``2026-w5`` into its Period, or raise."""
        text = label.strip() if isinstance(label, str) else ""
        match = _LABEL.fullmatch(text)
        if not match:
            raise PeriodError(f'Not a period: "{label}". {_HELP}')
        year_s, quarter, month, week = match.groups()
        year = int(year_s)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(f'Not a period: "{text}" — years run {MIN_YEAR} to {MAX_YEAR}.')
        if quarter is not None:
            if not 1 <= int(quarter) <= 4:
                raise PeriodError(f'Not a period: "{text}" — quarters run Q1 to Q4.')
            return self._quarter(year, int(quarter))
        if month is not None:
            if not 1 <= int(month) <= 12:
                raise PeriodError(f'Not a period: "{text}" — months run 01 to 12.')
            return self._month(year * 12 + int(month) - 1)
        if week is not None:
            total = self.weeks_in_year(year)
            if not 1 <= int(week) <= total:
                raise PeriodError(f'Not a period: "{text}" — {year} has weeks W01 to W{total}.')
            return self._week(year, int(week))
        return self._year(year)

    def period(self, kind: Kind | str, on: date) -> Period:
        """The year, quarter, month or week that contains ``on``."""
        kind = _kind(kind)
        if kind is Kind.YEAR:
            return self._year(self.fiscal_year_of(on))
        if kind is Kind.QUARTER:
            fy = self.fiscal_year_of(on)
            return self._quarter(fy, (on.month - self.fiscal_year_start_month) % 12 // 3 + 1)
        if kind is Kind.MONTH:
            return self._month(on.year * 12 + on.month - 1)
        start = self._week_start_of(on)
        # Like ISO, a week belongs to the year holding its 4th day (its "Thursday").
        year = (start + timedelta(days=3)).year
        return self._week(year, (start - self._week_one(year)).days // 7 + 1)

    def fiscal_year_of(self, on: date) -> int:
        """The fiscal year of a date: 2026-03-15 is in FY2025 when the year starts in April."""
        return on.year if on.month >= self.fiscal_year_start_month else on.year - 1

    def weeks_in_year(self, year: int) -> int:
        """52 or 53: how many weeks the week-numbering year has."""
        return (self._week_one(year + 1) - self._week_one(year)).days // 7

    # ---- working days ---------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True when people are expected to sell on ``d`` (a working weekday, not a holiday)."""
        return d.weekday() in self.working_days and d not in self.holidays

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from ``start`` through ``end`` inclusive; 0 when ``end < start``.

        Called for every person on every dashboard, so whole weeks are counted
        arithmetically and holidays are found by bisection rather than walking the days.
        """
        if end < start:
            return 0
        full_weeks, rest = divmod((end - start).days + 1, 7)
        first = start.weekday()
        leftover = sum((first + i) % 7 in self.working_days for i in range(rest))
        ords = self._holiday_ordinals
        on_holiday = bisect_right(ords, end.toordinal()) - bisect_left(ords, start.toordinal())
        return full_weeks * len(self.working_days) + leftover - on_holiday

    # ---- building periods (all go through here, so labels and bounds always agree) ----

    def _make(self, kind: Kind, start: date, end: date, label: str) -> Period:
        return Period(kind=kind, start=start, end=end, label=label, calendar=self)

    @staticmethod
    def _check_year(year: int) -> None:
        # Labels are read for MIN_YEAR..MAX_YEAR only (`parse`); the spare years hold
        # the periods next to those.
        if not MIN_YEAR - _SPARE_YEARS <= year <= MAX_YEAR + _SPARE_YEARS:
            raise PeriodError(f"Year {year} is too far outside {MIN_YEAR} to {MAX_YEAR}.")

    def _year(self, fy: int) -> Period:
        self._check_year(fy)
        first = fy * 12 + self.fiscal_year_start_month - 1
        return self._make(Kind.YEAR, _month_bounds(first)[0], _month_bounds(first + 11)[1], f"{fy}")

    def _quarter(self, fy: int, q: int) -> Period:
        self._check_year(fy)
        first = fy * 12 + self.fiscal_year_start_month - 1 + (q - 1) * 3
        start, end = _month_bounds(first)[0], _month_bounds(first + 2)[1]
        return self._make(Kind.QUARTER, start, end, f"{fy}-Q{q}")

    def _month(self, index: int) -> Period:
        year, m0 = divmod(index, 12)
        self._check_year(year)
        start, end = _month_bounds(index)
        return self._make(Kind.MONTH, start, end, f"{year}-{m0 + 1:02d}")

    def _week(self, year: int, n: int) -> Period:
        self._check_year(year)
        start = self._week_one(year) + timedelta(weeks=n - 1)
        return self._make(Kind.WEEK, start, start + timedelta(days=6), f"{year}-W{n:02d}")

    def _week_start_of(self, d: date) -> date:
        return d - timedelta(days=(d.weekday() - self.week_start) % 7)

    def _week_one(self, year: int) -> date:
        """Start of week 1: the week containing 4 January, as in ISO 8601."""
        return self._week_start_of(date(year, 1, 4))


# Fields are ordered so that sorting goes by start date first; kw_only keeps callers from
# depending on that order.
@dataclass(frozen=True, order=True, kw_only=True)
class Period:
    """A named stretch of days that a sales number covers, e.g. ``2026-Q3``.

    Equal, hashable and sortable by its bounds and label; the calendar it came from
    is carried along for working-day maths but ignored when comparing.
    """

    start: date
    end: date  # inclusive last day
    kind: Kind
    label: str
    calendar: FiscalCalendar = field(compare=False, repr=False)

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        """Calendar days in the period."""
        return (self.end - self.start).days + 1

    @property
    def working_days(self) -> int:
        """Selling days in the period: the denominator of pace."""
        return self.calendar.working_days_between(self.start, self.end)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    # ---- moving between periods -----------------------------------------------------

    def _number(self) -> tuple[int, int]:
        """(year, quarter/month/week number) -- derived from the dates, not the label."""
        cal = self.calendar
        if self.kind is Kind.YEAR:
            return cal.fiscal_year_of(self.start), 0
        if self.kind is Kind.QUARTER:
            q = (self.start.month - cal.fiscal_year_start_month) % 12 // 3 + 1
            return cal.fiscal_year_of(self.start), q
        if self.kind is Kind.MONTH:
            return self.start.year, self.start.month
        year = (self.start + timedelta(days=3)).year
        return year, (self.start - cal._week_one(year)).days // 7 + 1

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (earlier when negative), of the same kind."""
        cal = self.calendar
        year, num = self._number()
        if self.kind is Kind.YEAR:
            return cal._year(year + n)
        if self.kind is Kind.QUARTER:
            fy, q0 = divmod(year * 4 + num - 1 + n, 4)
            return cal._quarter(fy, q0 + 1)
        if self.kind is Kind.MONTH:
            return cal._month(year * 12 + num - 1 + n)
        return cal.period(Kind.WEEK, self.start + timedelta(weeks=n))

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def same_period_last_year(self) -> Period:
        """The comparable period a year earlier, for year-on-year growth.

        Week 53 maps to week 52 when last year had only 52 weeks.
        """
        cal = self.calendar
        year, num = self._number()
        if self.kind is Kind.YEAR:
            return cal._year(year - 1)
        if self.kind is Kind.QUARTER:
            return cal._quarter(year - 1, num)
        if self.kind is Kind.MONTH:
            return cal._month((year - 1) * 12 + num - 1)
        return cal._week(year - 1, min(num, cal.weeks_in_year(year - 1)))

    def children(self, kind: Kind | str) -> list[Period]:
        """The finer periods a target is broken into: a year into quarters, months or weeks.

        Quarters and months tile their parent exactly. Weeks do not line up with months,
        so every week that overlaps the period is included; the first and last may
        straddle its edges (prorate them with ``overlap_working_days``).
        """
        kind = _kind(kind)
        if _RANK[kind] <= _RANK[self.kind]:
            raise PeriodError(f"A {self.kind} cannot be split into {kind}s.")
        result = [self.calendar.period(kind, self.start)]
        while result[-1].end < self.end:
            result.append(result[-1].next())
        return result

    # ---- pace -----------------------------------------------------------------------

    def working_days_elapsed(self, as_of: date) -> int:
        """Working days from the start through ``as_of`` inclusive, clamped to the period."""
        if as_of < self.start:
            return 0
        return self.calendar.working_days_between(self.start, min(as_of, self.end))

    def elapsed_fraction(self, as_of: date) -> float:
        """How much of the period is gone at the end of ``as_of``: 0.0 before, 1.0 after.

        This is the expected share of the target ("pace"). Measured in working days; a
        period with none (a holiday week) falls back to calendar days.
        """
        if as_of < self.start:
            return 0.0
        if as_of >= self.end:
            return 1.0
        total = self.working_days
        if total == 0:
            return ((as_of - self.start).days + 1) / self.days
        return self.working_days_elapsed(as_of) / total

    def overlap_working_days(self, other: Period) -> int:
        """Working days both periods share, e.g. to prorate a weekly target across months."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return self.calendar.working_days_between(start, end)

    def week_of_period(self, on: date) -> tuple[int, int]:
        """("week n of total") for a date, counting 7-day blocks from the period start.

        ``total`` is the period's length rounded to whole weeks (Q3 of 92 days has 13),
        but never less than ``n``, so the last stub days read "week 14 of 14".
        """
        if not self.contains(on):
            raise PeriodError(f"{on.isoformat()} is not in {self.label}.")
        n = (on - self.start).days // 7 + 1
        return n, max(round(self.days / 7), n)


DEFAULT_CALENDAR = FiscalCalendar()
