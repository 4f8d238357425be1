"""From raw weekly numbers to figures and benchmarks: ramp, baselines, medians."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountable.org.calendar import FiscalCalendar
from accountable.signals.evidence import benchmarks_for, figures_for, ramp_share
from accountable.signals.inputs import (
    ClosedDeal,
    OpenDeal,
    PersonInputs,
    Window,
    inputs_gather,
)
from accountable.targets.models import Target

CALENDAR = FiscalCalendar()
AS_OF = date(2026, 8, 17)  # Monday of week 8 of 2026-Q3
RAMP = [0.25, 0.5, 0.75]
WINDOW = Window.ending(AS_OF, CALENDAR)


def test_the_window_is_sixteen_full_weeks_before_this_one():
    assert WINDOW.weeks[-1].label == "2026-W33"
    assert len(WINDOW.recent) == 4
    assert len(WINDOW.baseline) == 12
    assert [q.label for q in WINDOW.quarters] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert WINDOW.current.label == "2026-Q3"


def test_ramp_share_by_month_of_tenure():
    start = date(2026, 5, 15)
    assert ramp_share(start, date(2026, 5, 14), RAMP) == 0
    assert ramp_share(start, start, RAMP) == 0.25
    assert ramp_share(start, date(2026, 6, 15), RAMP) == 0.5
    assert ramp_share(start, date(2026, 8, 14), RAMP) == 0.75
    assert ramp_share(start, date(2026, 8, 15), RAMP) == 1.0
    # A month after 31 January is 28 February (there is no 31 February).
    assert ramp_share(date(2026, 1, 31), date(2026, 2, 27), RAMP) == 0.25
    assert ramp_share(date(2026, 1, 31), date(2026, 2, 28), RAMP) == 0.5


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 2000))
def test_ramp_share_never_falls_as_tenure_grows(start, days):
    on = start + timedelta(days=days)
    assert ramp_share(start, on, RAMP) <= ramp_share(start, on + timedelta(days=1), RAMP)


def _person(**changes) -> PersonInputs:
    values = dict(
        person_id=1,
        email="rep@acme.test",
        name="Rita Rep",
        team_id=1,
        start_date=date(2020, 1, 6),
        touches=[50] * 12 + [30] * 4,
        prospecting=[30] * 12 + [18] * 4,
        phone_prospecting=[12] * 16,
        first_meetings=[4] * 16,
        meetings=[7] * 16,
    )
    values.update(changes)
    return PersonInputs(**values)


def test_weekly_figures_recent_against_baseline():
    fig = figures_for(_person(), WINDOW, RAMP)
    assert fig.touches_recent == 30
    assert fig.touches_baseline == 50
    assert fig.touches_quarter == pytest.approx((8 * 50 + 4 * 30) / 12)
    assert fig.prospecting_recent == 18
    assert fig.in_ramp is False


def test_a_new_hires_weeks_are_divided_by_their_ramp():
    # Joined on Monday 6 July: five weeks at 25% of full quota, then one at 50%.
    start = WINDOW.weeks[-6].start
    weeks = [0] * 10 + [10, 10, 10, 10, 10, 20]
    fig = figures_for(_person(start_date=start, touches=weeks), WINDOW, RAMP)
    assert fig.in_ramp and fig.ramp_now == 0.5
    assert fig.touches_recent == 40  # 10 a week at a quarter, 20 at half: 40 at full
    assert fig.touches_baseline is None  # two weeks are too few for a baseline


def test_a_week_with_days_off_is_counted_as_a_share_of_a_full_week():
    """40 touches in a week with a bank holiday is 50 in a full week: no drop. A week of
    days off (the last one here) is not judged at all."""
    last = WINDOW.weeks[-1]
    bank_holiday = WINDOW.weeks[-2].start  # a Monday
    days_off = {bank_holiday} | {last.start + timedelta(days=n) for n in range(5)}
    window = Window.ending(AS_OF, FiscalCalendar(holidays=frozenset(days_off)))
    touches = [50] * 14 + [40, 0]
    fig = figures_for(_person(touches=touches), window, RAMP)
    assert fig.touches_recent == 50  # three full weeks of 50 and one of 40 in four days
    assert fig.touches_baseline == 50
    plain = figures_for(_person(touches=touches), WINDOW, RAMP)
    assert plain.touches_recent == pytest.approx((50 + 50 + 40 + 0) / 4)


def test_deal_figures_win_rate_size_cycle_and_mix():
    recent = AS_OF - timedelta(days=30)
    older = AS_OF - timedelta(days=250)
    closed = [
        ClosedDeal(True, recent - timedelta(days=60), recent, 20_000, True),
        ClosedDeal(True, recent - timedelta(days=40), recent, 10_000, False),
        ClosedDeal(False, recent - timedelta(days=20), recent, 9_000, True),
        ClosedDeal(True, older - timedelta(days=50), older, 30_000, True),
        ClosedDeal(False, older - timedelta(days=50), older, 30_000, True),
    ]
    person = _person(
        closed=closed,
        open=[OpenDeal(50_000, AS_OF - timedelta(days=10), None)],
        revenue_targets={"2026-Q3": 100_000},
    )
    fig = figures_for(person, WINDOW, RAMP)
    assert fig.win_rate_recent == pytest.approx(2 / 3)
    assert fig.win_rate_baseline == 0.5
    assert fig.deal_size_recent == 15_000
    assert fig.cycle_recent == 50
    assert fig.priority_share == pytest.approx(20_000 / 30_000)
    assert fig.coverage == 0.5
    assert fig.open_age == 10
    q3 = fig.quarters[-1]
    assert q3.label == "2026-Q3" and q3.actual == 30_000
    assert q3.projected == pytest.approx(0.3 / q3.elapsed)


def test_a_quarter_split_into_months_is_paced_by_them():
    """A back-loaded quarter (its revenue target split into months) is judged against
    the share its months expect by now, not against its working days gone."""
    closed = [ClosedDeal(True, AS_OF - timedelta(days=30), AS_OF - timedelta(days=5), 30_000, True)]
    even = figures_for(_person(closed=closed, revenue_targets={"2026-Q3": 100_000}), WINDOW, RAMP)
    split = _person(closed=closed, revenue_targets={"2026-Q3": 100_000}, current_pace=0.25)
    back_loaded = figures_for(split, WINDOW, RAMP)
    assert even.quarters[-1].elapsed == pytest.approx(33 / 66)  # as of the day before
    assert back_loaded.quarters[-1].elapsed == 0.25
    assert back_loaded.quarters[-1].projected == pytest.approx(0.3 / 0.25)


@pytest.mark.django_db
def test_the_running_quarters_pace_is_read_from_its_split_target(org):
    def target(label: str, value: int) -> None:
        period = CALENDAR.parse(label)
        Target.objects.create(
            person=org.rep,
            metric="revenue",
            period=label,
            period_start=period.start,
            period_end=period.end,
            value=value,
        )

    for label, value in (
        ("2026-Q3", 4000),
        ("2026-07", 1000),
        ("2026-08", 1000),
        ("2026-09", 2000),
    ):
        target(label, value)
    gathered = inputs_gather([org.rep, org.rep2], WINDOW)
    # As of 16 August: July gone, 10 of August's 21 working days
    assert gathered[org.rep.pk].current_pace == pytest.approx((1000 + 1000 * 10 / 21) / 4000)
    assert gathered[org.rep2.pk].current_pace is None


def test_a_quarter_joined_part_way_through_is_not_judged():
    person = _person(start_date=date(2026, 7, 20), revenue_targets={"2026-Q3": 20_000})
    assert figures_for(person, WINDOW, RAMP).quarters == []


def test_benchmarks_are_team_medians_and_the_top_performers():
    people = []
    for pid, touches in enumerate([40, 50, 60, 70], start=1):
        fig = figures_for(_person(person_id=pid, touches=[touches] * 16), WINDOW, RAMP)
        people.append(fig)
    alone = figures_for(_person(person_id=9, team_id=2, touches=[10] * 16), WINDOW, RAMP)
    bench = benchmarks_for([*people, alone])
    assert bench[1].team["touches_recent"] == 55
    assert bench[1].team_size == 4
    # A team of one is compared with everyone.
    assert bench[9].team["touches_recent"] == 50
