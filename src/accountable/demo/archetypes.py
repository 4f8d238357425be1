"""The planted archetypes of the demo organisation, as data.

A sales manager recognises these people: the star, the steady performer, the
rep who is busy but does not close, the one who barely picks up the phone, and
so on (SPEC §9). The demo generator gives each rep one archetype and records it
as ground truth, together with what a correct warning and diagnosis engine
should say about that person (SPEC §5). The product's own tests score the
engine against it. Beyond SPEC §9's list there is one more, the rep whose
customers complain, so that the complaints warning has planted cases too.

Each archetype also carries the `Behaviour` a data generator uses to produce
that person's deals and activities: plain multipliers on the `BASELINE` of a
typical rep in a typical team, plus a few shapes in time (a trend over the
last weeks, a prospecting cut-off, a ramp). `accountable.demo.timeline` turns
those shapes into numbers for a given day; `deals` and `activities` turn them
into rows. Nothing here touches the database.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ARCHETYPES",
    "BASELINE",
    "BY_KEY",
    "CAUSES",
    "EFFORTS",
    "HEALTHY",
    "PLANTED",
    "WARNING_KINDS",
    "Archetype",
    "Baseline",
    "Behaviour",
    "archetype_get",
    "deal_archetypes",
]

# The vocabularies of the warning and diagnosis engine (SPEC §5).
WARNING_KINDS = (
    "quota_miss_streak",
    "low_activity",
    "activity_drop",
    "win_rate_decline",
    "cycle_lengthening",
    "deal_size_decline",
    "low_coverage",
    "late_prospecting",
    "wrong_product_mix",
    "channel_mix",
    "complaints",
    "missed_commitments",
)
CAUSES = ("prospecting", "conversion", "deal_size", "cycle", "none")
EFFORTS = ("low", "normal")


@dataclass(frozen=True)
class Baseline:
    """What a typical rep in a typical team does; archetypes are multiples of it.

    A funnel of `weekly_touches` calls, e-mails and follow-ups, of which
    `meeting_rate` become meetings, `opportunity_rate` of meetings become
    opportunities, and `win_rate` of opportunities are won after `cycle_days`
    at `deal_size` (organisation currency). `priority_share` is the share of
    won value in the products the company prioritises.
    """

    weekly_touches: int = 50
    meeting_rate: float = 0.08
    opportunity_rate: float = 0.5
    win_rate: float = 0.25
    deal_size: int = 24_000
    cycle_days: int = 55
    priority_share: float = 0.6


BASELINE = Baseline()


@dataclass(frozen=True)
class Behaviour:
    """How a rep of an archetype behaves, relative to `BASELINE` (1.0 = typical).

    Trends are the relative change reached `trend_ends_weeks_ago` weeks before
    `today` (and held since), moving in a straight line from no change
    `trend_weeks` weeks before that: an `activity_trend` of -0.35 means their
    activity ends at 65% of what it was.
    """

    activity_level: float = 1.0  # weekly touches
    meeting_rate: float = 1.0  # meetings per touch
    win_rate: float = 1.0  # opportunities won
    deal_size: float = 1.0  # value of a won deal
    cycle_length: float = 1.0  # days from opportunity to close
    priority_share: float = 1.0  # share of won value in priority products
    activity_trend: float = 0.0
    win_rate_trend: float = 0.0
    deal_size_trend: float = 0.0
    cycle_length_trend: float = 0.0
    trend_weeks: int = 0
    # Weeks before `today` the trend was complete (it has held since): 0, still moving.
    trend_ends_weeks_ago: int = 0
    # Week of the quarter (1-based) after which they open no new opportunities
    # and spend their time on deals already in the pipeline. It applies to the
    # quarter holding `today`, or to the one before when `today` is less than
    # four weeks past the cut-off, so the gap shows in the data.
    prospecting_cutoff_week: int | None = None
    # Months from the start date until they sell like everyone else; activity
    # and win rate climb in a straight line from a third of the norm.
    ramp_months: int = 0
    # Share of a deal's checklist milestones they tick off before moving it on
    # (1.0 = as thorough as the team, which misses about one in twenty).
    checklist_discipline: float = 1.0
    # Customer complaints a quarter; nobody else draws any.
    complaints_per_quarter: float = 0.0


@dataclass(frozen=True)
class Archetype:
    """A recognisable kind of salesperson, what they do, and what a correct
    engine concludes about them.

    `expected_warnings` are the warning kinds that should be open for this
    person; `expected_cause` the cause the diagnosis should name, and
    `expected_effort` whether the problem is lack of effort (`low`) or a
    genuine challenge despite normal effort (`normal`).
    """

    key: str
    label: str
    description: str
    expected_warnings: tuple[str, ...]
    expected_cause: str
    expected_effort: str
    behaviour: Behaviour

    def __post_init__(self) -> None:
        unknown = set(self.expected_warnings) - set(WARNING_KINDS)
        if unknown:
            raise ValueError(f"{self.key}: unknown warning kinds {sorted(unknown)}")
        if self.expected_cause not in CAUSES:
            raise ValueError(f"{self.key}: unknown cause {self.expected_cause!r}")
        if self.expected_effort not in EFFORTS:
            raise ValueError(f"{self.key}: unknown effort {self.expected_effort!r}")

    def ground_truth(self) -> dict[str, object]:
        """The record written to the ground-truth file for a rep of this archetype."""
        return {
            "archetype": self.key,
            "expected_warnings": list(self.expected_warnings),
            "expected_cause": self.expected_cause,
            "expected_effort": self.expected_effort,
        }


STAR = Archetype(
    key="star",
    label="The star",
    description=(
        "Works a little harder than the team and converts better at every step: more "
        "meetings, a higher win rate, bigger deals, sold sooner and mostly in the products "
        "the company wants. The benchmark the others are compared with; nothing to fix."
    ),
    expected_warnings=(),
    expected_cause="none",
    expected_effort="normal",
    behaviour=Behaviour(
        activity_level=1.25,
        meeting_rate=1.2,
        win_rate=1.35,
        deal_size=1.2,
        cycle_length=0.85,
        priority_share=1.2,
    ),
)

STEADY = Archetype(
    key="steady",
    label="The steady performer",
    description=(
        "Does what the team does, week in, week out, and lands close to target every "
        "period. Most of a healthy team; no warnings should be raised about them."
    ),
    expected_warnings=(),
    expected_cause="none",
    expected_effort="normal",
    behaviour=Behaviour(),
)

BUSY_NOT_CONVERTING = Archetype(
    key="busy_not_converting",
    label="Busy but not converting",
    description=(
        "Makes more calls and gets as many meetings as anyone, but loses most of the "
        "opportunities they open, so they keep missing target. Effort is not the problem; "
        "selling skill is — a coaching opportunity (discovery, qualification, closing)."
    ),
    expected_warnings=("quota_miss_streak",),
    expected_cause="conversion",
    expected_effort="normal",
    behaviour=Behaviour(
        activity_level=1.35, meeting_rate=1.0, win_rate=0.4, checklist_discipline=0.55
    ),
)

LOW_ACTIVITY = Archetype(
    key="low_activity",
    label="Low activity",
    description=(
        "Converts as well as the team once in front of a customer, but makes about half "
        "the calls and e-mails, so there are too few meetings, too thin a pipeline and "
        "missed targets. A prospecting problem caused by lack of effort."
    ),
    expected_warnings=("low_activity", "low_coverage", "quota_miss_streak"),
    expected_cause="prospecting",
    expected_effort="low",
    behaviour=Behaviour(activity_level=0.5),
)

SLUMP = Archetype(
    key="slump",
    label="In a slump",
    description=(
        "Was a normal performer until about six weeks ago; for the last month they have "
        "been making about a third fewer calls and e-mails than their own usual week. Targets "
        "are not missed yet and the pipeline still looks full — the deals already open are "
        "still closing — which is exactly when a manager should talk to them."
    ),
    expected_warnings=("activity_drop",),
    expected_cause="prospecting",
    expected_effort="low",
    behaviour=Behaviour(activity_trend=-0.35, trend_weeks=2, trend_ends_weeks_ago=4),
)

SHRINKING_DEALS = Archetype(
    key="shrinking_deals",
    label="Shrinking deals",
    description=(
        "As busy as the team and wins as often, but since the spring their deals have been "
        "about a third smaller (smaller accounts, discounting, selling single seats), so "
        "revenue and attainment fall. A deal size and targeting problem."
    ),
    expected_warnings=("deal_size_decline", "quota_miss_streak"),
    expected_cause="deal_size",
    expected_effort="normal",
    behaviour=Behaviour(deal_size_trend=-1 / 3, trend_weeks=6, trend_ends_weeks_ago=22),
)

WRONG_PRODUCTS = Archetype(
    key="wrong_products",
    label="Selling the wrong products",
    description=(
        "Hits the number, but mostly with the easy, older products rather than the ones "
        "the company has asked the team to push. Not a performance problem in the funnel; "
        "a 'right thing' conversation about product mix."
    ),
    expected_warnings=("wrong_product_mix",),
    expected_cause="none",
    expected_effort="normal",
    behaviour=Behaviour(priority_share=0.25),
)

STOPPED_PROSPECTING = Archetype(
    key="stopped_prospecting",
    label="Stopped prospecting",
    description=(
        "Prospected normally until the third week of the quarter, then stopped opening new "
        "opportunities to work the deals already in hand. Still busy, so activity looks "
        "fine, but no prospecting now means no deals next quarter: pipeline coverage for "
        "the next period is too low. A 'right time' problem."
    ),
    expected_warnings=("late_prospecting", "low_coverage"),
    expected_cause="prospecting",
    expected_effort="normal",
    behaviour=Behaviour(prospecting_cutoff_week=3),
)

LONG_CYCLES = Archetype(
    key="long_cycles",
    label="Lengthening sales cycles",
    description=(
        "Opens as many opportunities and eventually wins as many, but over the last "
        "three quarters their deals have taken longer and longer to close — stalled at "
        "proposal, waiting on a decision — up to half as long again as they used to, so "
        "revenue keeps slipping into later periods. A deal progression problem."
    ),
    expected_warnings=("cycle_lengthening", "quota_miss_streak"),
    expected_cause="cycle",
    expected_effort="normal",
    behaviour=Behaviour(cycle_length_trend=0.8, trend_weeks=40, checklist_discipline=0.7),
)

LOSING_TOUCH = Archetype(
    key="losing_touch",
    label="Losing their touch",
    description=(
        "As busy as ever and as many meetings, but for the last two quarters they have won "
        "about half as many of the deals they open as they used to — a new competitor they "
        "have not learnt to beat, proposals that stopped landing. Effort is not the "
        "problem; selling skill is."
    ),
    expected_warnings=("win_rate_decline", "quota_miss_streak"),
    expected_cause="conversion",
    expected_effort="normal",
    behaviour=Behaviour(win_rate_trend=-0.5, trend_weeks=4, trend_ends_weeks_ago=32),
)

SHRINKING_OFF_PRIORITY = Archetype(
    key="shrinking_off_priority",
    label="Shrinking deals, and not the priority products",
    description=(
        "Two problems at once: deals about a third smaller since the spring, and sold "
        "mostly in the older products rather than the ones the company asked for. The "
        "numbers come first (a deal size conversation), the product mix with it."
    ),
    expected_warnings=("deal_size_decline", "wrong_product_mix", "quota_miss_streak"),
    expected_cause="deal_size",
    expected_effort="normal",
    behaviour=Behaviour(
        priority_share=0.25, deal_size_trend=-1 / 3, trend_weeks=6, trend_ends_weeks_ago=22
    ),
)

QUIET_AND_COMPLAINED_ABOUT = Archetype(
    key="quiet_and_complained_about",
    label="Low activity, and customers complain",
    description=(
        "Two problems at once: about half the calls and e-mails of the team, and customers "
        "complaining about the ones they do make — calls not returned, promises not kept. "
        "Too few meetings, a thin pipeline and missed targets; a lack of effort first."
    ),
    expected_warnings=("low_activity", "low_coverage", "quota_miss_streak", "complaints"),
    expected_cause="prospecting",
    expected_effort="low",
    behaviour=Behaviour(activity_level=0.5, complaints_per_quarter=2.5),
)

NEW_HIRE = Archetype(
    key="new_hire",
    label="New hire ramping",
    description=(
        "Joined one to three months ago and is still learning the products and building a "
        "pipeline. Lower numbers are expected while they ramp against a ramped target; "
        "no warnings should be raised just for being new."
    ),
    expected_warnings=(),
    expected_cause="none",
    expected_effort="normal",
    behaviour=Behaviour(win_rate=0.8, ramp_months=4),
)

CUSTOMER_COMPLAINTS = Archetype(
    key="customer_complaints",
    label="Customers complain",
    description=(
        "Sells like the rest of the team and lands close to target, but customers keep "
        "complaining about them — promises the product cannot keep, pushy follow-ups, calls "
        "not returned after the sale. The numbers are fine; the way they sell is not. A "
        "'right way' conversation before it costs renewals."
    ),
    expected_warnings=("complaints",),
    expected_cause="none",
    expected_effort="normal",
    behaviour=Behaviour(complaints_per_quarter=2.5),
)

ARCHETYPES: tuple[Archetype, ...] = (
    STAR,
    STEADY,
    BUSY_NOT_CONVERTING,
    LOW_ACTIVITY,
    SLUMP,
    SHRINKING_DEALS,
    WRONG_PRODUCTS,
    STOPPED_PROSPECTING,
    LONG_CYCLES,
    NEW_HIRE,
    CUSTOMER_COMPLAINTS,
    LOSING_TOUCH,
    SHRINKING_OFF_PRIORITY,
    QUIET_AND_COMPLAINED_ABOUT,
)
BY_KEY: dict[str, Archetype] = {archetype.key: archetype for archetype in ARCHETYPES}
# Healthy reps — nothing to find: any warning about them is a false alarm.
HEALTHY: frozenset[str] = frozenset({"star", "steady", "new_hire"})
# The archetypes dealt as planted patterns (the new hire among them, so every demo has
# one); the rest are star or steady.
PLANTED: tuple[str, ...] = tuple(a.key for a in ARCHETYPES if a.key not in {"star", "steady"})

# In a large organisation about a third of reps carry a planted pattern and one
# in ten is a star; everyone else is steady.
PLANTED_SHARE = 0.3
MAX_PLANTED_SHARE = 0.6
STAR_SHARE = 0.1


def archetype_get(key: str) -> Archetype:
    """The archetype called `key`, or a readable error."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(
            f'No archetype called "{key}". Choose one of: {", ".join(BY_KEY)}.'
        ) from None


def _spread(total: int, capacities: list[int], start: int = 0) -> list[int]:
    """Hand out `total` slots one at a time round the teams, within each team's capacity."""
    counts = [0] * len(capacities)
    remaining = min(total, sum(capacities))
    index = start
    while remaining:
        team = index % len(capacities)
        if counts[team] < capacities[team]:
            counts[team] += 1
            remaining -= 1
        index += 1
    return counts


def _planted_sequence(count: int, rng: random.Random) -> list[str]:
    """`count` planted keys: whole shuffled rounds of every planted archetype, so
    each one appears before any appears twice."""
    keys: list[str] = []
    while len(keys) < count:
        round_ = list(PLANTED)
        rng.shuffle(round_)
        keys.extend(round_)
    return keys[:count]


def deal_archetypes(team_sizes: Sequence[int], rng: random.Random) -> list[list[str]]:
    """Archetype keys for every rep slot of every team, dealt deterministically by `rng`.

    - every team keeps at least one star or steady rep, and the first team at
      least one steady rep (the demo rep login sits there);
    - planted archetypes go round the teams one at a time, so each team gets a
      mix and no team gets the same one twice before all have had one;
    - with a dozen or more reps in teams of five or more, every archetype
      appears at least once; in a large organisation most reps are steady.
    """
    sizes = [max(0, int(size)) for size in team_sizes]
    reps = sum(sizes)
    if not reps:
        return [[] for _ in sizes]
    planted_capacity = [max(0, size - 1) for size in sizes]
    # Every planted archetype once where there are enough reps, but never more than
    # `MAX_PLANTED_SHARE` of them: a small organisation stays mostly healthy.
    planted_total = min(
        max(min(len(PLANTED), reps), round(PLANTED_SHARE * reps)),
        round(MAX_PLANTED_SHARE * reps),
    )
    planted_counts = _spread(planted_total, planted_capacity)

    # Stars fill slots left after the planted ones; the first team keeps a steady
    # rep, so stars start from the second team and use it only when they must.
    free = [size - planted for size, planted in zip(sizes, planted_counts, strict=True)]
    if free and free[0] > 0:
        free[0] -= 1
    star_total = max(1, round(STAR_SHARE * reps))
    star_counts = _spread(star_total, free, start=1 if len(sizes) > 1 else 0)

    planted_keys = iter(_planted_sequence(sum(planted_counts), rng))
    teams: list[list[str]] = [[] for _ in sizes]
    # Deal planted keys round the teams in the same order they were counted.
    pending = list(planted_counts)
    while any(pending):
        for team, left in enumerate(pending):
            if left:
                teams[team].append(next(planted_keys))
                pending[team] -= 1
    for team, size in enumerate(sizes):
        teams[team].extend(["star"] * star_counts[team])
        teams[team].extend(["steady"] * (size - len(teams[team])))
        rng.shuffle(teams[team])
    return teams
