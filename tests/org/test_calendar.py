"""Tests for the fiscal calendar: hand-worked examples first, then properties."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accountable.org.calendar import (
    DEFAULT_CALENDAR,
    EARLIEST,
    LATEST,
    FiscalCalendar,
    Kind,
    Period,
    PeriodError,
    date_check,
    parse_date,
)

D = date.fromisoformat
APRIL = FiscalCalendar(fiscal_year_start_month=4)
NOVEMBER = FiscalCalendar(fiscal_year_start_month=11)
SUNDAY = FiscalCalendar(week_start=6)


def bounds(p: Period) -> tuple[str, str]:
    return p.start.isoformat(), p.end.isoformat()


# ---- hand-worked examples ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "label", "start", "end"),
    [
        (DEFAULT_CALENDAR, "2026", "2026-01-01", "2026-12-31"),
        (DEFAULT_CALENDAR, "2026-Q3", "2026-07-01", "2026-09-30"),
        (APRIL, "2026", "2026-04-01", "2027-03-31"),
        (APRIL, "2026-Q1", "2026-04-01", "2026-06-30"),
        (APRIL, "2026-Q3", "2026-10-01", "2026-12-31"),
        (APRIL, "2026-Q4", "2027-01-01", "2027-03-31"),
        (NOVEMBER, "2026", "2026-11-01", "2027-10-31"),
        (NOVEMBER, "2026-Q1", "2026-11-01", "2027-01-31"),
        (NOVEMBER, "2026-Q2", "2027-02-01", "2027-04-30"),
        (NOVEMBER, "2026-Q4", "2027-08-01", "2027-10-31"),
        (APRIL, "2026-08", "2026-08-01", "2026-08-31"),
        (DEFAULT_CALENDAR, "2024-02", "2024-02-01", "2024-02-29"),
        (DEFAULT_CALENDAR, "2023-02", "2023-02-01", "2023-02-28"),
        (DEFAULT_CALENDAR, "2028-Q1", "2028-01-01", "2028-03-31"),
        (DEFAULT_CALENDAR, "2020-W53", "2020-12-28", "2021-01-03"),
        (DEFAULT_CALENDAR, "2026-W01", "2025-12-29", "2026-01-04"),
        (DEFAULT_CALENDAR, "2026-W32", "2026-08-03", "2026-08-09"),
        (SUNDAY, "2026-W01", "2026-01-04", "2026-01-10"),
        (SUNDAY, "2026-W32", "2026-08-09", "2026-08-15"),
        (SUNDAY, "2025-W53", "2025-12-28", "2026-01-03"),
    ],
)
def test_period_bounds(cal: FiscalCalendar, label: str, start: str, end: str) -> None:
    p = cal.parse(label)
    assert bounds(p) == (start, end)
    assert str(p) == label


def test_leap_years_have_the_extra_day() -> None:
    assert DEFAULT_CALENDAR.parse("2024-02").days == 29
    assert DEFAULT_CALENDAR.parse("2028-Q1").days == 91
    assert DEFAULT_CALENDAR.parse("2027-Q1").days == 90
    assert DEFAULT_CALENDAR.parse("2024").days == 366
    assert APRIL.parse("2027-Q4").days == 91  # Jan-Mar 2028


@pytest.mark.parametrize(
    ("cal", "on", "year", "quarter"),
    [
        (DEFAULT_CALENDAR, "2026-03-15", 2026, "2026-Q1"),
        (APRIL, "2026-03-15", 2025, "2025-Q4"),
        (APRIL, "2026-04-01", 2026, "2026-Q1"),
        (NOVEMBER, "2026-10-31", 2025, "2025-Q4"),
        (NOVEMBER, "2026-11-01", 2026, "2026-Q1"),
        (NOVEMBER, "2027-01-15", 2026, "2026-Q1"),
    ],
)
def test_which_fiscal_year_a_date_is_in(
    cal: FiscalCalendar, on: str, year: int, quarter: str
) -> None:
    assert cal.fiscal_year_of(D(on)) == year
    assert cal.period(Kind.YEAR, D(on)).label == str(year)
    assert cal.period("quarter", D(on)).label == quarter


def test_week_labels_at_year_boundaries() -> None:
    cal = DEFAULT_CALENDAR
    assert cal.weeks_in_year(2020) == 53
    assert cal.weeks_in_year(2021) == 52
    assert cal.weeks_in_year(2026) == 53
    assert cal.period("week", D("2021-01-03")).label == "2020-W53"
    assert cal.period("week", D("2026-01-01")).label == "2026-W01"
    assert cal.period("week", D("2025-12-29")).label == "2026-W01"
    assert cal.parse("2020-W53").next().label == "2021-W01"
    assert cal.parse("2021-W01").previous().label == "2020-W53"


def test_sunday_weeks_worked_by_hand() -> None:
    # 4 Jan 2026 is a Sunday, so Sunday-start week 1 begins that day; New Year's Day 2026
    # (a Thursday) sits in the week from Sun 28 Dec 2025, whose 4th day is still in 2025.
    assert SUNDAY.period("week", D("2026-01-01")).label == "2025-W53"
    assert SUNDAY.period("week", D("2026-01-04")).label == "2026-W01"
    assert SUNDAY.period("week", D("2026-01-03")).label == "2025-W53"
    assert SUNDAY.weeks_in_year(2025) == 53
    assert DEFAULT_CALENDAR.weeks_in_year(2025) == 52
    assert SUNDAY.period("week", D("2026-08-15")).label == "2026-W32"
    assert SUNDAY.period("week", D("2026-08-16")).label == "2026-W33"


def test_parse_is_lenient_but_printing_is_canonical() -> None:
    assert DEFAULT_CALENDAR.parse(" 2026-w5 ").label == "2026-W05"
    assert DEFAULT_CALENDAR.parse("2026-W5") == DEFAULT_CALENDAR.parse("2026-W05")
    assert DEFAULT_CALENDAR.parse("2026-q3").label == "2026-Q3"
    assert DEFAULT_CALENDAR.parse("2026-08").kind is Kind.MONTH


@pytest.mark.parametrize(
    "label",
    [
        "2026-Q5",
        "2026-Q0",
        "2026-13",
        "2026-00",
        "2026-W54",
        "2026-W00",
        "2025-W53",
        "2026-W100",
        "1899",
        "3000-Q1",
        "2026-8",
        "2026-Q",
        "26",
        "last quarter",
        "",
        "2026-08-01",
    ],
)
def test_bad_labels_say_what_was_written(label: str) -> None:
    with pytest.raises(PeriodError) as err:
        DEFAULT_CALENDAR.parse(label)
    assert f'"{label}"' in str(err.value)


def test_working_days_of_a_quarter() -> None:
    q3 = DEFAULT_CALENDAR.parse("2026-Q3")  # Wed 1 Jul .. Wed 30 Sep: 13 weeks + 1 day
    assert q3.working_days == 66
    labour_day = FiscalCalendar(holidays=frozenset({D("2026-09-07")}))
    assert labour_day.parse("2026-Q3").working_days == 65
    saturday = FiscalCalendar(holidays=frozenset({D("2026-08-15")}))
    assert saturday.parse("2026-Q3").working_days == 66
    assert not labour_day.is_working_day(D("2026-09-07"))
    assert labour_day.is_working_day(D("2026-09-08"))
    assert not labour_day.is_working_day(D("2026-09-06"))
    assert DEFAULT_CALENDAR.working_days_between(D("2026-07-02"), D("2026-07-01")) == 0


def test_elapsed_fraction_of_a_quarter() -> None:
    q3 = DEFAULT_CALENDAR.parse("2026-Q3")
    assert q3.elapsed_fraction(D("2026-06-30")) == 0.0
    assert q3.elapsed_fraction(D("2026-07-01")) == pytest.approx(1 / 66)  # first day done
    assert q3.working_days_elapsed(D("2026-08-17")) == 34  # 23 in July, 11 in August
    assert q3.elapsed_fraction(D("2026-08-17")) == pytest.approx(34 / 66)
    assert q3.elapsed_fraction(D("2026-09-30")) == 1.0
    assert q3.elapsed_fraction(D("2027-01-01")) == 1.0
    assert q3.working_days_elapsed(D("2027-01-01")) == 66
    assert q3.working_days_elapsed(D("2026-01-01")) == 0


def test_elapsed_fraction_without_working_days_uses_calendar_days() -> None:
    christmas = frozenset(D("2026-12-21") + timedelta(days=i) for i in range(7))
    week = FiscalCalendar(holidays=christmas).period("week", D("2026-12-23"))
    assert week.working_days == 0
    assert week.elapsed_fraction(D("2026-12-23")) == pytest.approx(3 / 7)


def test_week_of_period() -> None:
    q3 = DEFAULT_CALENDAR.parse("2026-Q3")
    assert q3.week_of_period(D("2026-08-17")) == (7, 13)
    assert q3.week_of_period(D("2026-07-01")) == (1, 13)
    assert q3.week_of_period(D("2026-09-30")) == (14, 14)  # the stub day after 13 weeks
    with pytest.raises(PeriodError):
        q3.week_of_period(D("2026-10-01"))


def test_children() -> None:
    year = APRIL.parse("2026")
    assert [p.label for p in year.children("quarter")] == [f"2026-Q{q}" for q in (1, 2, 3, 4)]
    months = year.children(Kind.MONTH)
    assert (months[0].label, months[-1].label, len(months)) == ("2026-04", "2027-03", 12)
    august = DEFAULT_CALENDAR.parse("2026-08")  # Sat 1 .. Mon 31
    weeks = [w.label for w in august.children("week")]
    assert weeks == ["2026-W31", "2026-W32", "2026-W33", "2026-W34", "2026-W35", "2026-W36"]
    assert len(DEFAULT_CALENDAR.parse("2026-Q3").children("month")) == 3
    for parent, kind in [("2026-08", "quarter"), ("2026-08", "month"), ("2026-W32", "week")]:
        with pytest.raises(PeriodError):
            DEFAULT_CALENDAR.parse(parent).children(kind)
    with pytest.raises(PeriodError):
        august.children("fortnight")


def test_overlap_working_days_prorates_a_straddling_week() -> None:
    week = DEFAULT_CALENDAR.parse("2026-W31")  # Mon 27 Jul .. Sun 2 Aug
    assert week.overlap_working_days(DEFAULT_CALENDAR.parse("2026-07")) == 5
    assert week.overlap_working_days(DEFAULT_CALENDAR.parse("2026-08")) == 0
    assert week.overlap_working_days(DEFAULT_CALENDAR.parse("2026-10")) == 0


def test_shift_and_last_year() -> None:
    cal = DEFAULT_CALENDAR
    assert cal.parse("2026-Q4").next().label == "2027-Q1"
    assert cal.parse("2026-01").previous().label == "2025-12"
    assert cal.parse("2026-08").shift(-20).label == "2024-12"
    assert cal.parse("2026").shift(3).label == "2029"
    assert cal.parse("2026-W53").same_period_last_year().label == "2025-W52"
    assert cal.parse("2021-W10").same_period_last_year().label == "2020-W10"
    assert APRIL.parse("2026-Q3").same_period_last_year().label == "2025-Q3"
    assert cal.parse("2024-02").same_period_last_year().days == 28
    # Labels run 1900 to 2999; the periods next to those are there for what looks
    # back or ahead from them, and no further.
    assert cal.parse("2999").next().label == "3000"
    assert cal.parse("1900-Q1").shift(-4).label == "1899-Q1"
    with pytest.raises(PeriodError):
        cal.parse("2999").shift(11)


def test_periods_are_values() -> None:
    holidays = FiscalCalendar(holidays=frozenset({D("2026-08-03")}))
    a, b = DEFAULT_CALENDAR.parse("2026-Q3"), holidays.parse("2026-Q3")
    assert a == b and hash(a) == hash(b)
    assert len({a, b, DEFAULT_CALENDAR.parse("2026-07")}) == 2
    labels = ["2026-Q3", "2026-07", "2026", "2026-W27", "2025-12"]
    ordered = sorted(DEFAULT_CALENDAR.parse(x) for x in labels)
    assert [p.label for p in ordered] == ["2025-12", "2026", "2026-W27", "2026-07", "2026-Q3"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"fiscal_year_start_month": 0},
        {"fiscal_year_start_month": 13},
        {"week_start": 7},
        {"week_start": -1},
        {"working_days": frozenset()},
        {"working_days": frozenset({5, 7})},
    ],
)
def test_calendar_settings_are_validated(kwargs: dict) -> None:
    with pytest.raises(PeriodError):
        FiscalCalendar(**kwargs)


def test_parse_date() -> None:
    assert parse_date("2026-08-17") == D("2026-08-17")
    assert parse_date(" 2024-02-29 ") == D("2024-02-29")
    for bad in ["2026-8-17", "20260817", "2026-02-30", "17/08/2026", ""]:
        with pytest.raises(PeriodError, match="YYYY-MM-DD"):
            parse_date(bad)
    with pytest.raises(PeriodError, match='"2026-02-30"'):
        parse_date("2026-02-30")
    assert (parse_date("1900-01-01"), parse_date("2999-12-31")) == (EARLIEST, LATEST)
    for outside in ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"]:
        with pytest.raises(PeriodError, match="dates run 1900-01-01 to 2999-12-31"):
            parse_date(outside)
    with pytest.raises(PeriodError, match="YYYY-MM-DD"):
        parse_date("10000-01-01")


def test_date_check() -> None:
    assert date_check(EARLIEST) == EARLIEST and date_check(LATEST) == LATEST
    assert date_check(datetime(2999, 12, 31, 23, 59)) == datetime(2999, 12, 31, 23, 59)
    for outside in [date.min, date.max, datetime(1899, 12, 31, 23, 59), date(3000, 1, 1)]:
        with pytest.raises(PeriodError, match="outside the calendar"):
            date_check(outside)


# ---- properties -------------------------------------------------------------------------

# Far enough from the calendar's limits (1900 to 2999) for a period five years on or back.
dates = st.dates(date(1906, 1, 1), date(2990, 12, 31))
calendars = st.builds(
    FiscalCalendar,
    fiscal_year_start_month=st.integers(1, 12),
    week_start=st.integers(0, 6),
)
kinds = st.sampled_from(list(Kind))


@settings(max_examples=300)
@given(calendars, kinds, dates)
def test_period_contains_date_and_round_trips(cal: FiscalCalendar, kind: Kind, on: date) -> None:
    p = cal.period(kind, on)
    assert p.contains(on) and p.kind is kind
    assert cal.parse(p.label) == p
    assert cal.parse(p.label.lower()).label == p.label
    assert p.next().start == p.end + timedelta(days=1)
    assert p.previous().end == p.start - timedelta(days=1)
    assert p.shift(5).shift(-5) == p
    assert p.shift(2) == p.next().next()
    assert p.same_period_last_year().start < p.start


@settings(max_examples=100)
@given(calendars, dates)
def test_quarters_and_months_tile_the_year(cal: FiscalCalendar, on: date) -> None:
    year = cal.period(Kind.YEAR, on)
    for kind, count in [(Kind.QUARTER, 4), (Kind.MONTH, 12)]:
        parts = year.children(kind)
        assert len(parts) == count
        assert parts[0].start == year.start and parts[-1].end == year.end
        for a, b in pairwise(parts):
            assert b.start == a.end + timedelta(days=1)


@settings(max_examples=150)
@given(calendars, st.sampled_from([Kind.YEAR, Kind.QUARTER, Kind.MONTH]), dates)
def test_child_weeks_cover_the_period(cal: FiscalCalendar, kind: Kind, on: date) -> None:
    parent = cal.period(kind, on)
    weeks = parent.children(Kind.WEEK)
    assert weeks[0].contains(parent.start) and weeks[-1].contains(parent.end)
    for a, b in pairwise(weeks):
        assert b.start == a.end + timedelta(days=1)
    assert sum(parent.overlap_working_days(w) for w in weeks) == parent.working_days


@settings(max_examples=300)
@given(
    st.frozensets(st.integers(0, 6), min_size=1),
    st.frozensets(st.dates(date(2024, 1, 1), date(2027, 12, 31)), max_size=20),
    st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    st.integers(-3, 800),
)
def test_working_days_between_matches_brute_force(
    working: frozenset[int], holidays: frozenset[date], start: date, length: int
) -> None:
    cal = FiscalCalendar(working_days=working, holidays=holidays)
    end = start + timedelta(days=length)
    brute = sum(
        cal.is_working_day(start + timedelta(days=i)) for i in range((end - start).days + 1)
    )
    assert cal.working_days_between(start, end) == brute


@settings(max_examples=300)
@given(dates)
def test_monday_weeks_are_iso_weeks(on: date) -> None:
    iso_year, iso_week, _ = on.isocalendar()
    assert DEFAULT_CALENDAR.period(Kind.WEEK, on).label == f"{iso_year}-W{iso_week:02d}"
    assert DEFAULT_CALENDAR.weeks_in_year(iso_year) == date(iso_year, 12, 28).isocalendar()[1]


@settings(max_examples=150)
@given(
    calendars,
    kinds,
    dates,
    st.lists(st.integers(-40, 400), min_size=2, max_size=6),
)
def test_elapsed_fraction_is_monotone_and_bounded(
    cal: FiscalCalendar, kind: Kind, on: date, offsets: list[int]
) -> None:
    p = cal.period(kind, on)
    fractions = [p.elapsed_fraction(p.start + timedelta(days=n)) for n in sorted(offsets)]
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions)


@settings(max_examples=200)
@given(calendars, kinds, st.dates(EARLIEST, LATEST))
def test_every_day_the_calendar_covers_has_periods_around_it(
    cal: FiscalCalendar, kind: Kind, on: date
) -> None:
    """What looks back or ahead from a day (four periods back, last year, the next
    period, a day either side) never runs off the calendar."""
    p = cal.period(kind, on)
    assert p.shift(-4).same_period_last_year().start < p.start < p.next().start
    assert p.contains(on) and cal.period(kind, on + timedelta(days=1)) >= p
