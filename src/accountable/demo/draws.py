"""The few random draws the demo generators share, all from a seeded `random.Random`.

Counts of things that happen at a steady rate (calls in a day, deals opened)
are Poisson, and a deal is won or lost by its chance alone, so a steady rep's
half-year can be ten points better or worse than the one before, as in life:
the warning engine has to tell that noise from a real change. `Dither` (counts
that add up to what is expected, one at a time random) smooths a rep's touches
over the days of a week. Sizes
and durations that are never negative and have a long tail (deal values,
sales cycles) are log-normal with a mean of one, so that a multiplier of 1.2
really means 20% more on average.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Generic, TypeVar

from accountable.org.calendar import FiscalCalendar

__all__ = ["Dither", "Rotation", "on_working_day", "poisson", "spread"]

# Above this mean the normal approximation is as good and far cheaper.
_NORMAL_ABOVE = 30.0


def poisson(rng: random.Random, mean: float) -> int:
    """How many times something with this average count happens this time."""
    if mean <= 0:
        return 0
    if mean > _NORMAL_ABOVE:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    # Knuth: multiply uniforms until the product drops below e^-mean.
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def spread(rng: random.Random, sigma: float) -> float:
    """A log-normal factor with mean 1: `sigma` 0.3 puts most draws within ±30%."""
    return rng.lognormvariate(-sigma * sigma / 2, sigma)


def on_working_day(calendar: FiscalCalendar, day: date) -> date:
    """`day`, or the next working day when it falls on a weekend."""
    for _ in range(7):
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


class Dither:
    """Counts that look random one at a time but add up to what is expected.

    Each call adds the expected count to what is owed and hands out a whole
    number near it, jittered; the total handed out never strays more than
    about one from the sum of the means. Used for deals opened in a day and
    for whether a deal is won, so quarters differ by a deal, not by five.
    """

    def __init__(self, rng: random.Random, jitter: float = 0.5) -> None:
        self.rng = rng
        self.jitter = jitter
        self.owed = rng.random() - 0.5

    def count(self, mean: float, jitter: float | None = None) -> int:
        """A whole count for something expected `mean` times now; `jitter` (the
        instance's by default) is how far one count may stray."""
        if mean <= 0:
            return 0  # nothing expected, nothing handed out (whatever is owed)
        self.owed += mean
        jitter = self.jitter if jitter is None else jitter
        handed = max(0, round(self.owed + self.rng.uniform(-jitter, jitter)))
        self.owed -= handed
        return handed

    def happens(self, chance: float) -> bool:
        """Whether a thing with this chance happens this time (at most once)."""
        self.owed += min(1.0, max(0.0, chance))
        happened = self.owed + self.rng.uniform(-self.jitter, self.jitter) >= 0.5
        self.owed -= happened
        return happened


K = TypeVar("K")


class Rotation(Generic[K]):
    """Picks among options in proportion to their shares, spread out evenly.

    Smooth weighted round robin with a little jitter: over any dozen picks the
    mix is close to the shares (a rep's deals are not all with small accounts
    one quarter and big ones the next), while the order still looks random.
    """

    def __init__(self, rng: random.Random, shares: Mapping[K, float], jitter: float = 0.3) -> None:
        total = sum(shares.values())
        self.rng = rng
        self.jitter = jitter
        self.shares = {key: share / total for key, share in shares.items()}
        self.owed = {key: rng.random() * share for key, share in self.shares.items()}

    def pick(self) -> K:
        for key, share in self.shares.items():
            self.owed[key] += share
        chosen = max(self.owed, key=lambda key: self.owed[key] + self.rng.uniform(0, self.jitter))
        self.owed[chosen] -= 1
        return chosen
