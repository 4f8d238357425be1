"""The planted habits of the accountability loop: how a rep calls their forecast and
whether they keep their word.

An archetype (`accountable.demo.archetypes`) says how a rep sells; a habit says how
they account for it. A manager knows these people too: the rep whose forecast is
always a third too high, the one who calls half of what they will close so as to
beat it, the one whose weekly promises are as good as done, and the one who
promises a big week every week and delivers an ordinary one. The demo gives a few
reps one of these habits and records them in the ground truth, with what the
product should show: the over-caller's forecast bias above zero and the
sandbagger's below (`forecasts.selectors.accuracy`), the `missed_commitments`
warning on the missers and never on the keepers.

Everyone else forecasts near the mark (within about 10% of what the quarter
brings) and keeps their commitments, with a miss now and then — never enough to
warn. Nothing here touches the database.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "HABITS",
    "HONEST",
    "KEEPER",
    "MISSER",
    "OVER_CALLER",
    "SANDBAGGER",
    "Habit",
    "HabitPlan",
    "habit_of",
    "habit_warnings",
    "habits_deal",
    "habits_truth",
]


@dataclass(frozen=True)
class Habit:
    """How a rep forecasts or keeps commitments, and what the product should conclude.

    `commit_ratio` is the range their weekly commit is drawn from, as a multiple of
    what the quarter brings them (never below what they have won by then);
    `promise_ratio` the range a weekly commitment is drawn from, as a multiple of
    their own recent weekly rate. `misses` is the share of their commitments they
    miss (the rest are kept), or None for "one at most in the quarter".
    `expected_bias` is the sign of their forecast bias over a completed quarter
    (+1 over-calls, -1 sandbags, 0 nothing expected).
    """

    key: str
    label: str
    description: str
    commit_ratio: tuple[float, float] | None = None
    promise_ratio: tuple[float, float] | None = None
    misses: float | None = None
    expected_warnings: tuple[str, ...] = ()
    expected_bias: int = 0


# Everyone without a planted habit: calls near the mark, promises a little under
# their rate and keeps nearly every promise.
HONEST = Habit(
    key="honest",
    label="Calls it straight",
    description="Forecasts within about 10% of what the quarter brings and keeps their "
    "commitments, missing one now and then.",
    commit_ratio=(0.9, 1.1),
    promise_ratio=(0.8, 1.0),
)
OVER_CALLER = Habit(
    key="over_caller",
    label="Over-calls the forecast",
    description="Every week commits 30% to 60% more than the quarter will bring: the "
    "team's forecast cannot be trusted until their call is discounted.",
    commit_ratio=(1.3, 1.6),
    expected_bias=1,
)
SANDBAGGER = Habit(
    key="sandbagger",
    label="Sandbags the forecast",
    description="Commits half to two thirds of what they will close, to beat it "
    "comfortably: the team's forecast is low and the manager cannot plan on it.",
    commit_ratio=(0.5, 0.7),
    expected_bias=-1,
)
KEEPER = Habit(
    key="keeper",
    label="Keeps every commitment",
    description="Promises what they do and does what they promise: every weekly commitment met.",
    promise_ratio=(0.8, 1.0),
    misses=0.0,
)
MISSER = Habit(
    key="misser",
    label="Misses commitments",
    description="Promises a big week every week — a third to two thirds above their own "
    "rate — and delivers an ordinary one: most commitments missed or only partly met.",
    promise_ratio=(1.3, 1.6),
    misses=0.8,
    expected_warnings=("missed_commitments",),
)
HABITS: dict[str, Habit] = {h.key: h for h in (HONEST, OVER_CALLER, SANDBAGGER, KEEPER, MISSER)}

# How many of each, for every this many reps (at least one over-caller and one
# sandbagger, two missers and four keepers wherever there are enough reps).
OVER_CALLERS_PER_REPS = 30
MISSERS_PER_REPS = 15
KEEPERS_PER_REPS = 8
HEALTHY = frozenset({"star", "steady"})


@dataclass(frozen=True)
class HabitPlan:
    """One rep as the habits see them: who, in which team, selling how."""

    email: str
    team: str
    archetype: str
    is_login: bool = False


def _ordered(reps: Sequence[HabitPlan], rng: random.Random, first_team: str) -> list[HabitPlan]:
    """The reps shuffled, the first team's first (its manager is the demo login)."""
    shuffled = list(reps)
    rng.shuffle(shuffled)
    return sorted(shuffled, key=lambda rep: rep.team != first_team)


def habits_deal(reps: Sequence[HabitPlan], rng: random.Random) -> dict[str, tuple[str, ...]]:
    """{email: habit keys} for the reps given a planted habit, dealt by `rng`.

    Over-callers and sandbaggers are ramped star or steady reps where there are
    enough (the pattern is the forecast, not the selling); missers are reps with a
    planted selling problem (a missed-commitments warning on a star or steady rep
    would count as a false alarm); keepers are star or steady reps, the demo rep
    login first. New hires get no habit: a ramping rep's numbers move too much to
    promise against. The first team (the demo manager's) is served first, so the
    demo manager sees each habit.
    """
    if not reps:
        return {}
    first_team = reps[0].team
    count = len(reps)
    ramped = [rep for rep in reps if rep.archetype != "new_hire"]
    order = _ordered(ramped, rng, first_team)
    healthy = [rep for rep in order if rep.archetype in HEALTHY and not rep.is_login]
    planted = [rep for rep in order if rep.archetype not in HEALTHY]
    login = [rep for rep in order if rep.is_login]

    given: dict[str, list[str]] = {}
    taken: set[str] = set()

    def give(habit: Habit, candidates: Sequence[HabitPlan], wanted: int) -> None:
        for rep in candidates:
            if wanted <= 0:
                return
            if rep.email in taken:
                continue
            given.setdefault(rep.email, []).append(habit.key)
            taken.add(rep.email)
            wanted -= 1

    forecasters = max(1, count // OVER_CALLERS_PER_REPS)
    # Fall back to planted reps, then the demo rep, in a very small organisation.
    give(OVER_CALLER, [*healthy, *planted, *login], forecasters)
    give(SANDBAGGER, [*healthy, *planted, *login], forecasters)
    give(MISSER, planted, max(2, count // MISSERS_PER_REPS))
    # A keeper may also be an over-caller or a sandbagger: the habits are independent.
    taken = {email for email, keys in given.items() if MISSER.key in keys}
    fresh = [rep for rep in healthy if rep.email not in given]
    give(KEEPER, [*login, *fresh, *healthy], max(4, count // KEEPERS_PER_REPS))
    return {email: tuple(keys) for email, keys in given.items()}


def habit_of(keys: Sequence[str], *, forecast: bool) -> Habit:
    """The habit that decides how a rep forecasts (`forecast`) or makes commitments:
    their planted one for that, else `HONEST`."""
    for key in keys:
        habit = HABITS[key]
        if (habit.commit_ratio if forecast else habit.promise_ratio) is not None:
            return habit
    return HONEST


def habits_truth(keys: Sequence[str]) -> dict[str, object]:
    """What the ground truth adds to a rep's record for their habits: the habits and
    the sign their forecast bias should have ("positive", "negative" or None). The
    warnings their habits call for join their `expected_warnings` (`habit_warnings`)."""
    bias = habit_of(keys, forecast=True).expected_bias
    return {
        "habits": list(keys),
        "expected_forecast_bias": {1: "positive", -1: "negative"}.get(bias),
    }


def habit_warnings(keys: Sequence[str]) -> list[str]:
    """The warnings a correct engine raises for these habits."""
    return [warning for key in keys for warning in HABITS[key].expected_warnings]
