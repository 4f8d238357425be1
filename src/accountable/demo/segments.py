"""Segments: teams that sell alike, and differently from the other teams.

A real sales organisation mixes them: one team sells many small deals on short
cycles, another a few large deals — sizes spread wide, one deal a quarter can be
half the number — on long cycles. Each selling team of the demo sells in one
segment, named in the team's name ("North — Enterprise"); a segment scales the
`BASELINE` funnel of every rep in the team before their archetype and their own
style do, and sets how lumpy their deal sizes are.

The calendar of the year moves everyone too (`season`): a summer holiday month
with less done, the quiet weeks at the turn of the year, and the week of the
sales kickoff when the whole team is away from its desks.

Pure data, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["SEGMENTS", "Segment", "season", "segment_of"]


@dataclass(frozen=True)
class Segment:
    """How a segment's reps sell, as multiples of `BASELINE` (1.0 = typical);
    `amount_spread` is the log-normal spread of their deal sizes."""

    key: str
    label: str
    activity: float = 1.0  # touches a week
    meeting_rate: float = 1.0  # meetings (and so opportunities) per touch
    win_rate: float = 1.0
    deal_size: float = 1.0
    cycle: float = 1.0
    amount_spread: float = 0.25

    @property
    def revenue(self) -> float:
        """Revenue a typical rep of the segment brings, relative to `BASELINE`'s."""
        return self.activity * self.meeting_rate * self.win_rate * self.deal_size


LARGE = Segment(
    "large",
    "a few large deals on long cycles",
    activity=0.7,
    meeting_rate=0.7,
    deal_size=4.0,
    cycle=2.0,
    amount_spread=0.6,
)
MID = Segment("mid", "mid-sized deals", amount_spread=0.25)
SMALL = Segment(
    "small",
    "many small deals on short cycles",
    activity=1.3,
    meeting_rate=1.3,
    win_rate=1.2,
    deal_size=0.3,
    cycle=0.5,
    amount_spread=0.3,
)
SEGMENTS = {segment.key: segment for segment in (LARGE, MID, SMALL)}
# The words of a team's name that say its segment (`generator.SEGMENT_NAMES`).
_LARGE_WORDS = ("Enterprise", "Strategic Accounts", "Public Sector")
_SMALL_WORDS = ("SMB", "Inside Sales", "Retail", "Channel")


def segment_of(team_name: str) -> Segment:
    """The segment a team sells in, by the words of its name (mid-sized by default)."""
    if any(word in team_name for word in _LARGE_WORDS):
        return LARGE
    if any(word in team_name for word in _SMALL_WORDS):
        return SMALL
    return MID


# The year's rhythm: (month, first day, last day, share of a normal day's work).
HOLIDAY_MONTH = 8  # August: half the team is away at some point
HOLIDAY_SHARE = 0.6
YEAR_END = ((12, 22, 31), (1, 1, 2))
YEAR_END_SHARE = 0.3
KICKOFF_SHARE = 0.25  # the week of the sales kickoff: the first full week of January


def season(day: date) -> float:
    """How much of a normal day's prospecting and selling happens on `day`."""
    if day.month == HOLIDAY_MONTH:
        return HOLIDAY_SHARE
    for month, first, last in YEAR_END:
        if day.month == month and first <= day.day <= last:
            return YEAR_END_SHARE
    if day.month == 1:
        # The first Monday on or after 3 January starts the kickoff week.
        monday = 3 + (7 - date(day.year, 1, 3).weekday()) % 7
        if monday <= day.day < monday + 7:
            return KICKOFF_SHARE
    return 1.0
