"""Time off and the warnings: a week away is never an activity warning, a week partly
away is judged on the days the person had."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accountable.org import services
from accountable.org.calendar import FiscalCalendar
from accountable.signals.engine import assess, findings_for
from accountable.signals.evidence import benchmarks_for, figures_for, working_share
from accountable.signals.inputs import PersonInputs, Window
from accountable.signals.thresholds import DEFAULTS
from tests.factories import TeamFactory
from tests.signals.builders import benchmarks
from tests.signals.test_engine import AS_OF, _activities, _rep

ACTIVITY_KINDS = {"low_activity", "activity_drop", "late_prospecting"}
WINDOW = Window.ending(AS_OF, FiscalCalendar())
RAMP = [0.25, 0.5, 0.75]


def _person(touches: list[int], time_off=()) -> PersonInputs:
    return PersonInputs(
        person_id=1,
        email="rep@acme.test",
        name="Rita Rep",
        team_id=1,
        start_date=date(2020, 1, 6),
        touches=touches,
        prospecting=list(touches),
        phone_prospecting=[0] * 16,
        first_meetings=[4] * 16,
        meetings=[7] * 16,
        time_off=list(time_off),
    )


def _week(n: int) -> tuple[date, date]:
    """The n-th week of the window counted back from the last (1: the last one)."""
    week = WINDOW.weeks[-n]
    return week.start, week.end


def test_a_week_away_counts_for_nothing_and_a_partial_week_for_its_days():
    week = WINDOW.weeks[-1]
    assert working_share(week) == 1.0
    assert working_share(week, [(week.start, week.start + timedelta(days=2))]) == 0.4
    assert working_share(week, [_week(1)]) == 0.0
    # Days away on a Saturday take nothing from the week.
    assert working_share(week, [(week.end - timedelta(days=1), week.end)]) == 1.0


def test_weeks_away_are_not_an_activity_drop():
    # 50 touches a week, then two weeks away with nothing logged, and a week with three
    # days of leave and 20 touches in the two days left: 50 a full week, as ever.
    touches = [50] * 12 + [50, 0, 0, 20]
    week = WINDOW.weeks[-1]
    leave = [_week(2), _week(3), (week.start, week.start + timedelta(days=2))]
    away = figures_for(_person(touches, leave), WINDOW, RAMP)
    assert away.touches_recent is None  # two weeks left to judge: fewer than three
    assert away.touches_baseline == 50
    found = {f.kind for f in findings_for(away, benchmarks(), DEFAULTS)}
    assert not found & ACTIVITY_KINDS
    # Without the time off the same numbers are a collapse.
    there = figures_for(_person(touches), WINDOW, RAMP)
    assert there.touches_recent == pytest.approx(70 / 4)
    found = {f.kind for f in findings_for(there, benchmarks(), DEFAULTS)}
    assert "activity_drop" in found


def test_a_partial_week_of_leave_scales_what_is_expected():
    touches = [50] * 15 + [20]
    week = WINDOW.weeks[-1]
    leave = [(week.start, week.start + timedelta(days=2))]  # Mon-Wed away
    fig = figures_for(_person(touches, leave), WINDOW, RAMP)
    assert fig.touches_recent == 50
    bench = benchmarks_for([fig])[1]
    assert not {f.kind for f in findings_for(fig, bench, DEFAULTS)} & ACTIVITY_KINDS


@pytest.mark.django_db
def test_the_engine_raises_no_activity_warning_for_weeks_on_leave(org):
    team = TeamFactory(name="East Field", parent=org.north)
    _rep(team, "a@acme.test", 40)
    _rep(team, "b@acme.test", 40)
    _rep(team, "d@acme.test", 40)
    away = _rep(team, "c@acme.test", 0)
    _activities(away, 40, weeks=range(5, 17))  # the 12 weeks before the last four

    def kinds() -> set[str]:
        found = {a.figures.email: a for a in assess(as_of=AS_OF)}
        return {f.kind for f in found["c@acme.test"].findings}

    assert {"activity_drop", "low_activity"} <= kinds()
    last_four = Window.ending(AS_OF, FiscalCalendar()).recent
    services.time_off_record(
        actor=None,
        person=away,
        first_day=last_four[0].start,
        last_day=last_four[-1].end,
        note="Parental leave",
    )
    assert not kinds() & ACTIVITY_KINDS
