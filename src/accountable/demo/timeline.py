"""How a rep's behaviour moves over the weeks: trends, the ramp, the prospecting stop.

An archetype's `Behaviour` says *what* kind of rep someone is ("activity falls
60% over ten weeks"); a `RepTimeline` says what that means on a given day ("on
3 March they work at 71% of their usual level"). The deal, activity and target
generators all ask the same timeline, so the shapes they draw agree, and the
ground truth records the same dates the data was drawn from.

Pure arithmetic on dates, no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from accountable.demo.archetypes import BASELINE, Behaviour
from accountable.demo.segments import MID, Segment, season
from accountable.org.calendar import FiscalCalendar, Kind

__all__ = ["DAYS_PER_MONTH", "PERSONAL_SPREAD", "RAMP_FLOOR", "RepTimeline", "personal_style"]

DAYS_PER_MONTH = 30.44
# A new hire starts at a third of the norm (see `Behaviour.ramp_months`).
RAMP_FLOOR = 1 / 3
# The prospecting cut-off shows in the data only once it is four weeks old.
CUTOFF_VISIBLE_DAYS = 28
# How far one rep's own style moves them from their archetype, either way.
PERSONAL_SPREAD = 0.05


def personal_style(behaviour: Behaviour, rng: random.Random) -> Behaviour:
    """The archetype's behaviour with the rep's own touch: a little more or less
    activity, a slightly better or worse win rate, bigger or smaller deals,
    faster or slower cycles (each within `PERSONAL_SPREAD`). No two steady reps
    look alike, yet none strays far enough to look like a problem."""

    def nudge(value: float) -> float:
        return value * (1 + rng.uniform(-PERSONAL_SPREAD, PERSONAL_SPREAD))

    return replace(
        behaviour,
        activity_level=nudge(behaviour.activity_level),
        meeting_rate=nudge(behaviour.meeting_rate),
        win_rate=nudge(behaviour.win_rate),
        deal_size=nudge(behaviour.deal_size),
        cycle_length=nudge(behaviour.cycle_length),
    )


@dataclass(frozen=True)
class RepTimeline:
    """One rep's behaviour as multipliers of `BASELINE` on any given day.

    Before `start_date` everything is zero: nobody sells before they join.
    """

    behaviour: Behaviour
    start_date: date
    today: date
    calendar: FiscalCalendar
    # The segment the rep's team sells in (`segments`): scales the funnel first.
    segment: Segment = MID
    prospecting_stopped_on: date | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prospecting_stopped_on", self._cutoff())

    # --- shapes in time ----------------------------------------------------------------

    @property
    def trend_starts_on(self) -> date | None:
        """The day the archetype's trend (activity, win rate, deal size, cycle) begins."""
        weeks = self.behaviour.trend_weeks
        if not weeks:
            return None
        return self.today - timedelta(weeks=weeks + self.behaviour.trend_ends_weeks_ago)

    def trend(self, on: date) -> float:
        """How far along the trend `on` is: 0 before it starts, 1 once it is complete
        (`trend_ends_weeks_ago` before `today`, or at `today`)."""
        weeks = self.behaviour.trend_weeks
        if not weeks:
            return 0.0
        complete = self.today - timedelta(weeks=self.behaviour.trend_ends_weeks_ago)
        elapsed = (on - complete).days / (weeks * 7) + 1
        return min(1.0, max(0.0, elapsed))

    def ramp(self, on: date) -> float:
        """Share of a ramped rep's output: 0 before the start date, a third on the
        first day, climbing to 1 after `ramp_months` months."""
        if on < self.start_date:
            return 0.0
        months = self.behaviour.ramp_months
        if not months:
            return 1.0
        progress = (on - self.start_date).days / (months * DAYS_PER_MONTH)
        return RAMP_FLOOR + (1 - RAMP_FLOOR) * min(1.0, progress)

    def revenue_ramp(self, on: date) -> float:
        """Share of a ramped rep's revenue a rep can be expected to close on `on`:
        deals close a sales cycle after they open, and a ramping rep both opens
        fewer and wins fewer of them. The ramp plan quotas follow."""
        opened = self.ramp(on - timedelta(days=BASELINE.cycle_days * self.segment.cycle))
        return opened * opened if self.behaviour.ramp_months else opened

    @property
    def ramped_on(self) -> date | None:
        months = self.behaviour.ramp_months
        if not months:
            return None
        return self.start_date + timedelta(days=round(months * DAYS_PER_MONTH))

    def _cutoff(self) -> date | None:
        """The first day without prospecting: the day after week N of the quarter
        holding `today`, or of the quarter before while the stop is under four
        weeks old (so that the gap shows)."""
        week = self.behaviour.prospecting_cutoff_week
        if week is None:
            return None
        quarter = self.calendar.period(Kind.QUARTER, self.today)
        stopped = quarter.start + timedelta(weeks=week)
        if (self.today - stopped).days < CUTOFF_VISIBLE_DAYS:
            stopped = quarter.previous().start + timedelta(weeks=week)
        return stopped

    # --- the multipliers the generators use ---------------------------------------------

    def activity(self, on: date) -> float:
        """Weekly touches (calls, e-mails, social) relative to a typical rep."""
        behaviour = self.behaviour
        return (
            behaviour.activity_level
            * self.segment.activity
            * season(on)
            * (1 + behaviour.activity_trend * self.trend(on))
            * self.ramp(on)
        )

    def prospects(self, on: date) -> bool:
        """Whether they look for new business on `on` (and so open new deals)."""
        return on >= self.start_date and (
            self.prospecting_stopped_on is None or on < self.prospecting_stopped_on
        )

    def opportunities(self, on: date) -> float:
        """New opportunities relative to a typical rep: more touches and a better
        meeting rate open more of them; no prospecting opens none."""
        if not self.prospects(on):
            return 0.0
        return self.activity(on) * self.behaviour.meeting_rate * self.segment.meeting_rate

    def win_rate(self, on: date) -> float:
        """Chance of winning an opportunity opened on `on`, relative to a typical rep."""
        behaviour = self.behaviour
        return (
            behaviour.win_rate
            * self.segment.win_rate
            * (1 + behaviour.win_rate_trend * self.trend(on))
            * (self.ramp(on) if behaviour.ramp_months else 1.0)
        )

    def deal_size(self, on: date) -> float:
        """Value of a deal priced on `on`, relative to a typical rep."""
        behaviour = self.behaviour
        return (
            behaviour.deal_size
            * self.segment.deal_size
            * (1 + behaviour.deal_size_trend * self.trend(on))
        )

    def cycle(self, on: date) -> float:
        """Days from opening to closing for a deal opened on `on`, relative to a typical rep."""
        behaviour = self.behaviour
        return (
            behaviour.cycle_length
            * self.segment.cycle
            * (1 + behaviour.cycle_length_trend * self.trend(on))
        )

    # --- ground truth --------------------------------------------------------------------

    def facts(self) -> dict[str, str]:
        """Dates a warning engine should be able to find in the data, by name."""
        behaviour, facts = self.behaviour, {"start_date": self.start_date.isoformat()}
        facts["segment"] = self.segment.key
        start = self.trend_starts_on
        if start and behaviour.activity_trend:
            facts["activity_falling_since"] = start.isoformat()
        if start and behaviour.win_rate_trend:
            facts["win_rate_falling_since"] = start.isoformat()
        if start and behaviour.deal_size_trend:
            facts["deal_size_falling_since"] = start.isoformat()
        if start and behaviour.cycle_length_trend:
            facts["cycle_lengthening_since"] = start.isoformat()
        if self.prospecting_stopped_on:
            stopped = self.prospecting_stopped_on
            facts["prospecting_stopped_on"] = stopped.isoformat()
            facts["prospecting_stopped_in"] = self.calendar.period(Kind.QUARTER, stopped).label
        if self.ramped_on:
            facts["ramped_on"] = self.ramped_on.isoformat()
        return facts
