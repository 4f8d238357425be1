"""The statistics behind the warnings: is a change larger than the person's own noise?

Each test answers one question the rules ask — "is the win rate of the last half-year
lower than the half-year before?", "are the deals won lately smaller?", "are fewer
touches a week being made than usual?" — with the chance that a change at least this
large happens by luck alone when nothing has really changed (a one-sided p-value).
A rule warns only when that chance is small (below `1 - confidence`) *and* the change
is large enough to matter (its own threshold): a big sample makes a tiny change
"significant", a small sample makes a big one look like a trend.

- `proportion_drop` — Fisher's exact test of two proportions (win rate): exact for
  the handful of deals a large-deal rep closes in a half-year.
- `rank_shift` — the Mann-Whitney rank test, exact for small samples, on values
  compared on a log scale (deal size, cycle length): one large deal in either window
  moves a rank by one, not an average by a third. Its effect is the Hodges-Lehmann
  ratio, the typical factor between a value now and one before.
- `rate_drop` — a rate per week against the person's own weekly figures, like a
  control chart: their usual level (the median week, so a holiday month does not
  drag it down) and their usual week-to-week variation (from the moving ranges, as
  an individuals chart does, never below the Poisson noise a count has anyway).
- `detectable` helpers say whether a sample is large enough that a change of the
  size that matters *could* be told from chance at all; when it is not, the rule
  says "not enough data" instead of passing.

Standard library only, no database: exact where the samples are small, normal
approximations where they are large enough for them to be good.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from statistics import NormalDist, median

__all__ = [
    "Test",
    "chance_in_words",
    "fisher_lower",
    "hodges_lehmann_ratio",
    "mann_whitney_lower",
    "normal_lower",
    "poisson_lower",
    "proportion_drop",
    "rank_shift",
    "rank_shift_detectable",
    "rate_drop",
    "robust_level",
    "simes",
    "z_for",
]

_NORMAL = NormalDist()
# Above this many pairs the rank test uses its normal approximation (with ties corrected).
_EXACT_PAIRS = 400


@dataclass(frozen=True)
class Test:
    """The outcome of one test: `p` is the chance of a change at least this large by
    luck alone, `effect` the size of the change (a ratio, 1.0 = none)."""

    p: float
    effect: float


def z_for(confidence: float) -> float:
    """The one-sided z a change must reach to be believed at `confidence` (0.98 → 2.05)."""
    confidence = min(max(confidence, 0.5), 0.999999)
    return _NORMAL.inv_cdf(confidence)


def normal_lower(z: float) -> float:
    return _NORMAL.cdf(z)


def chance_in_words(p: float) -> str:
    """ "about 1 time in 50" — how often a change this large happens by chance."""
    if p >= 0.5:
        return "about half the time or more"
    if p < 0.001:
        return "less than 1 time in 1,000"
    times = 1 / p
    step = 1 if times < 20 else 5 if times < 100 else 10 if times < 200 else 50
    rounded = max(2, int(round(times / step) * step))
    return f"about 1 time in {rounded:,}"


# --- win rate: two proportions ----------------------------------------------------------


def fisher_lower(k1: int, n1: int, k2: int, n2: int) -> float:
    """Fisher's exact one-sided p: the chance that, with the k1 + k2 successes of both
    samples spread at random, the first sample of n1 gets k1 or fewer."""
    if n1 <= 0 or n2 <= 0:
        return 1.0
    total, successes = n1 + n2, k1 + k2
    low = max(0, n1 - (total - successes))
    denominator = math.comb(total, n1)
    tail = sum(
        math.comb(successes, x) * math.comb(total - successes, n1 - x) for x in range(low, k1 + 1)
    )
    return min(1.0, tail / denominator)


def proportion_drop(k1: int, n1: int, k2: int, n2: int) -> Test:
    """Is the rate k1/n1 (now) lower than k2/n2 (before)? Effect: now ÷ before."""
    before = k2 / n2 if n2 else 0.0
    now = k1 / n1 if n1 else 0.0
    effect = now / before if before else 1.0
    return Test(fisher_lower(k1, n1, k2, n2), effect)


# --- deal size and cycle: two samples on a log scale -------------------------------------


@lru_cache(maxsize=4096)
def _u_tail(m: int, n: int) -> tuple[float, ...]:
    """P(U <= u) for u = 0 … m·n under no change: the cumulative distribution of the
    Mann-Whitney U for samples of m and n, computed once per pair of sizes."""
    counts = _gaussian_binomial(m, n)
    total = math.comb(m + n, m)
    running, tail = 0, []
    for count in counts:
        running += count
        tail.append(running / total)
    return tuple(tail)


def _gaussian_binomial(m: int, n: int) -> list[int]:
    """How many arrangements of m and n values give each Mann-Whitney U (0 … m·n): the
    coefficients of the Gaussian binomial [m+n choose m] in q."""
    size = m * n + 1
    poly = [0] * size
    poly[0] = 1
    # prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), kept exact in integers.
    for i in range(1, m + 1):
        shift = n + i
        for u in range(size - 1, shift - 1, -1):
            poly[u] -= poly[u - shift]
        for u in range(i, size):
            poly[u] += poly[u - i]
    return poly


def _u_statistic(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pairs (x, y) with x below y count 0, ties ½, above 1: small U, xs lower (by
    bisection in the sorted ys, not pair by pair)."""
    ordered = sorted(ys)
    return sum(
        bisect_left(ordered, x) + (bisect_right(ordered, x) - bisect_left(ordered, x)) / 2
        for x in xs
    )


def mann_whitney_lower(xs: Sequence[float], ys: Sequence[float]) -> float:
    """One-sided p that the xs are no lower than the ys: the chance of a U this small
    when both come from the same spread."""
    m, n = len(xs), len(ys)
    if not m or not n:
        return 1.0
    u = _u_statistic(xs, ys)
    if m * n <= _EXACT_PAIRS:
        # Ties count ½: take the whole count up to the floor (a little conservative).
        return min(1.0, _u_tail(m, n)[math.floor(u + 1e-9)])
    values = sorted([*xs, *ys])
    ties = 0.0
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        t = j - i
        ties += t**3 - t
        i = j
    total = m + n
    variance = m * n / 12 * ((total + 1) - ties / (total * (total - 1)))
    if variance <= 0:
        return 1.0
    return normal_lower((u + 0.5 - m * n / 2) / math.sqrt(variance))


def hodges_lehmann_ratio(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The typical factor between a value of xs and one of ys: exp of the median of
    every pairwise difference of logs (0.67: a third smaller)."""
    log_x = [math.log(x) for x in xs if x > 0]
    log_y = [math.log(y) for y in ys if y > 0]
    diffs = [a - b for a in log_x for b in log_y]
    return math.exp(median(diffs)) if diffs else 1.0


def rank_shift(now: Sequence[float], before: Sequence[float], *, lower: bool) -> Test:
    """Are the values now lower (`lower`) — or higher — than before? Effect: the
    Hodges-Lehmann ratio now ÷ before."""
    effect = hodges_lehmann_ratio(now, before)
    if lower:
        return Test(mann_whitney_lower(now, before), effect)
    return Test(mann_whitney_lower(before, now), effect)


def _log_spread(*samples: Sequence[float]) -> float:
    """The pooled spread of the logs, each sample about its own median (robust: 1.4826 times
    the median absolute deviation), never below 0.1."""
    deviations = []
    for sample in samples:
        logs = [math.log(v) for v in sample if v > 0]
        if logs:
            centre = median(logs)
            deviations += [abs(v - centre) for v in logs]
    return max(0.1, 1.4826 * median(deviations)) if deviations else 1.0


def rank_shift_detectable(
    now: Sequence[float], before: Sequence[float], *, ratio: float, confidence: float
) -> bool:
    """Could a change by `ratio` be told from chance with samples this size? The
    smallest p the rank test can reach must be below 1 - confidence, and a shift of
    log(ratio) must clear the noise of the pooled log spread (the rank test has about
    the power of a t-test on the logs)."""
    m, n = len(now), len(before)
    if not m or not n:
        return False
    alpha = 1 - confidence
    if 1 / math.comb(m + n, m) > alpha:
        return False
    spread = _log_spread(now, before)
    standard_error = spread * math.sqrt(1 / m + 1 / n) * math.sqrt(math.pi / 3)
    return abs(math.log(ratio)) / standard_error >= z_for(confidence)


# --- counts against an expected rate ----------------------------------------------------


def poisson_lower(k: int, mean: float) -> float:
    """The chance of k or fewer events when `mean` are expected (Poisson)."""
    if mean <= 0:
        return 1.0
    term = math.exp(-mean)
    total = term
    for i in range(1, max(0, k) + 1):
        term *= mean / i
        total += term
    return min(1.0, total)


def binomial_lower(k: int, n: int, p: float) -> float:
    """The chance of k or fewer of n deals being of a kind that is a share `p` of its
    peers' (binomial): how often so few happen by chance."""
    if n <= 0 or p <= 0:
        return 1.0
    if p >= 1:
        return 1.0 if k >= n else 0.0
    k = min(max(k, -1), n)
    return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)))


def simes(chances: Sequence[float]) -> float:
    """One chance for several looks at the same question (Simes): the smallest of
    m·p₍ᵢ₎/i over the chances sorted up. Taking the smallest chance as it stands would
    let luck through more often than the confidence asked for — two looks, nearly
    twice as often; this keeps it to the confidence when the looks agree, as looks at
    overlapping weeks do. 1.0 for no chance at all."""
    ordered = sorted(chances)
    m = len(ordered)
    return min((min(1.0, m * p / i) for i, p in enumerate(ordered, 1)), default=1.0)


# --- weekly counts: a control band of the person's own weeks -----------------------------


def robust_level(weeks: Sequence[float]) -> tuple[float, float]:
    """(usual level, usual week-to-week variation) of weekly figures, in week order: the
    median week, and the spread of an individuals control chart — from the median of the
    moving ranges (one week to the next), so a holiday month moves it at its two edges
    only — never below the Poisson noise √level a count has anyway."""
    level = float(median(weeks))
    ranges = [abs(b - a) for a, b in pairwise(weeks)]
    spread = float(median(ranges)) / 0.954 if ranges else 0.0
    return level, max(spread, math.sqrt(max(level, 0.0)))


def rate_drop(now: Sequence[float], before: Sequence[float]) -> Test:
    """Are the weekly figures now below the person's usual level? The mean of the recent
    weeks against the median of the weeks before, in units of their own variation
    (the median's own uncertainty included). Effect: mean now ÷ usual level."""
    if not now or not before:
        return Test(1.0, 1.0)
    level, spread = robust_level(before)
    mean_now = sum(now) / len(now)
    # The median of n weeks is about 1.25 times as uncertain as their mean.
    standard_error = spread * math.sqrt(1 / len(now) + (math.pi / 2) / len(before))
    effect = mean_now / level if level else 1.0
    if standard_error <= 0:
        return Test(0.0 if mean_now < level else 1.0, effect)
    return Test(normal_lower((mean_now - level) / standard_error), effect)
