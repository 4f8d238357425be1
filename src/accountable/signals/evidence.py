"""From raw inputs to the figures the rules judge: rates per week, baselines, benchmarks.

`figures_for` turns one rep's `PersonInputs` into `Figures` — touches a week
recently and over their own baseline, win rate, deal size and cycle now and
half a year earlier, coverage, attainment per quarter — and `benchmarks_for`
gives each rep the medians of their team (or of everyone, when the team is too
small to say anything) and what the team's top performers do.

New hires are judged against their ramp (`GoalSettings.ramp`): each week's
activity is divided by the share of a full quota they carried that week, so a
rep at half ramp making half the team's calls is on par. In the same way each
week counts by the working days the person had in it: the organisation's, net of
their own time off (`org.time_off`), so three days of leave make a week of two
days' expectations, and a week away is not judged at all. Their conversion, deal
size and cycle are not compared until they are ramped: too few of their deals
have closed to say anything.

Plain arithmetic, no database.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from accountable.org.calendar import Period
from accountable.org.time_off import Span, working_days_of
from accountable.signals.inputs import ACTIVITY_WEEKS, RECENT_WEEKS, PersonInputs, Window
from accountable.signals.rules import MIN_BASELINE_WEEKS, MIN_RECENT_WEEKS
from accountable.signals.stats import rate_drop, robust_level
from accountable.signals.thresholds import DEFAULTS, Thresholds

__all__ = [
    "Benchmarks",
    "Figures",
    "QuarterResult",
    "benchmarks_for",
    "calendar_adjusted",
    "figures_for",
    "not_enough_data",
    "ramp_share",
    "touches_against_own",
    "week_index",
]

RECENT_DAYS = 91  # won deals "now": the last quarter's worth of days
HALF_YEAR_DAYS = 182
YEAR_DAYS = 364
MIN_TEAM = 3  # below this many reps with a figure, the whole organisation is the benchmark
# Fewer reps than this counted in a week, and the organisation's week is not read: one
# person's slump would move it.
CALENDAR_MIN_REPS = 5


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - one of the four always fits


def ramp_share(start_date: date, on: date, ramp: Sequence[float]) -> float:
    """The share of a full quota someone who started on `start_date` carries on `on`:
    `ramp[n]` in their (n+1)th month, 1 after the ramp, 0 before they started."""
    if on < start_date:
        return 0.0
    for month, step in enumerate(ramp):
        if on < _add_months(start_date, month + 1):
            return float(step)
    return 1.0


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _median(values: Iterable[float]) -> float | None:
    values = list(values)
    return float(median(values)) if values else None


@dataclass(frozen=True)
class QuarterResult:
    """Revenue won against the (ramped) target in one quarter; `projected` is the run
    rate to the quarter's end when it is not over yet."""

    label: str
    target: float
    actual: float
    elapsed: float  # share of the target expected by now (its pace), 1.0 when complete

    @property
    def attainment(self) -> float:
        return self.actual / self.target if self.target else 0.0

    @property
    def projected(self) -> float:
        return self.attainment / self.elapsed if self.elapsed else 0.0


@dataclass
class Figures:
    """One rep's figures for one run. Rates are per week and, for new hires,
    divided by their ramp; None means there is not enough data to say."""

    person_id: int
    email: str
    name: str
    team_id: int | None
    in_ramp: bool
    ramp_now: float
    weeks_employed: int
    touches_window: int | None = None  # touches in the weeks read (None: not counted)
    closed_window: int | None = None  # deals closed (won or lost) in the year read
    touches_recent: float | None = None
    touches_baseline: float | None = None
    touches_quarter: float | None = None  # the last 12 weeks
    prospecting_recent: float | None = None
    prospecting_baseline: float | None = None
    first_meetings_recent: float | None = None
    first_meetings_baseline: float | None = None
    opportunities_recent: float | None = None
    opportunities_baseline: float | None = None
    pipeline_created_recent: float | None = None
    weeks_since_opportunity: int | None = None
    phone_share: float | None = None  # of prospecting touches, last 12 weeks
    meetings_per_100_touches: float | None = None
    win_rate_recent: float | None = None
    closed_recent: int = 0
    win_rate_baseline: float | None = None
    closed_baseline: int = 0
    deal_size_recent: float | None = None
    won_recent: int = 0
    deal_size_baseline: float | None = None
    won_baseline: int = 0
    cycle_recent: float | None = None
    cycle_baseline: float | None = None
    # The samples the statistical tests read (`stats`): deals won and closed in the last
    # 26 weeks and in the 26 weeks before, and the (ramp-adjusted) touches of each week
    # counted, recent and baseline.
    wins_recent: int = 0
    wins_baseline: int = 0
    won_amounts_recent: list[float] = field(default_factory=list)
    won_amounts_baseline: list[float] = field(default_factory=list)
    cycles_recent: list[float] = field(default_factory=list)
    cycles_baseline: list[float] = field(default_factory=list)
    touches_weeks_recent: list[float] = field(default_factory=list)
    touches_weeks_baseline: list[float] = field(default_factory=list)
    # Every week of the window, oldest first: its (ramp-adjusted) touches, None for a
    # week not counted (away, or before they started). What the organisation's week is
    # read from (`week_index`).
    touches_by_week: list[float | None] = field(default_factory=list)
    open_age: float | None = None  # median days open of the open deals
    priority_share: float | None = None  # of won value, last 26 weeks
    priority_won: int | None = None  # deals won in priority products, last 26 weeks
    priority_deal_share: float | None = None  # of deals won, last 26 weeks
    won_half_year: int = 0
    open_pipeline: float = 0.0
    open_deals: int = 0
    quarter_target: float = 0.0
    coverage: float | None = None
    quarters: list[QuarterResult] = field(default_factory=list)
    complaints_recent: int = 0
    complaints_dates: list[date] = field(default_factory=list)
    commitments_due: int = 0
    commitments_missed: int = 0
    as_of: date | None = None

    @property
    def recent_attainment(self) -> float | None:
        """The lower of the last completed quarter's attainment and the current
        one's projection (once half of it is gone): how results look now."""
        judged = [q for q in self.quarters if q.target and q.elapsed >= 0.5]
        complete = [q.projected for q in judged if q.elapsed >= 1.0][-1:]
        running = [q.projected for q in judged if q.elapsed < 1.0]
        return min([*complete, *running], default=None)


def working_share(week: Period, time_off: Sequence[Span] = ()) -> float:
    """The share of a full working week a week had for a person: 4 of 5 with a bank
    holiday in it, 1 of 5 when they also took three days off, 0 for a week away."""
    full = len(week.calendar.working_days)
    if not full:
        return 0.0
    return working_days_of(week.calendar, time_off, week.start, week.end) / full


def _present(weeks: Sequence[Period], time_off: Sequence[Span]) -> float:
    """The share of these weeks' working days the person was there (not on time off)."""
    if not time_off:
        return 1.0
    days = sum(week.working_days for week in weeks)
    own = sum(working_days_of(w.calendar, time_off, w.start, w.end) for w in weeks)
    return own / days if days and own else 1.0


def _weekly(counts: Sequence[int], ramps: Sequence[float], weeks: slice) -> list[float]:
    """`counts` of the `weeks` the person carried some quota, each divided by that
    week's ramp (and working days)."""
    return [c / r for c, r in zip(counts[weeks], ramps[weeks], strict=True) if r > 0]


def _per_week(
    counts: Sequence[int], ramps: Sequence[float], weeks: slice, *, min_weeks: int
) -> float | None:
    """Average of `counts` over the `weeks` the person carried some quota, each
    divided by that week's ramp; None when fewer than `min_weeks` count."""
    values = _weekly(counts, ramps, weeks)
    if len(values) < min_weeks:
        return None
    return sum(values) / len(values)


def figures_for(person: PersonInputs, window: Window, ramp: Sequence[float]) -> Figures:
    """The figures of one rep on `window.as_of`, given the organisation's ramp."""
    as_of = window.as_of
    # A week counts only if the person was there the whole of it; its counts are taken
    # as a share of a full week's by the ramp and by the working days they had in it
    # (net of holidays and their own time off), so a week with a bank holiday or a day
    # of leave is not a drop, and a week of days off or away is not judged at all.
    ramps = [
        ramp_share(person.start_date, week.start, ramp) * working_share(week, person.time_off)
        if person.start_date <= week.start
        else 0.0
        for week in window.weeks
    ]
    n, recent = len(window.weeks), len(window.recent)
    last, base, quarter = slice(n - recent, n), slice(0, n - recent), slice(n - 12, n)
    ramp_now = ramp_share(person.start_date, as_of, ramp)
    fig = Figures(
        person_id=person.person_id,
        email=person.email,
        name=person.name,
        team_id=person.team_id,
        in_ramp=ramp_now < 1.0,
        ramp_now=ramp_now,
        weeks_employed=(as_of - person.start_date).days // 7,
        touches_window=sum(person.touches),
        closed_window=len(person.closed),
        as_of=as_of,
    )
    fig.touches_recent = _per_week(person.touches, ramps, last, min_weeks=MIN_RECENT_WEEKS)
    fig.touches_baseline = _per_week(person.touches, ramps, base, min_weeks=MIN_BASELINE_WEEKS)
    fig.touches_quarter = _per_week(person.touches, ramps, quarter, min_weeks=MIN_BASELINE_WEEKS)
    fig.touches_weeks_recent = _weekly(person.touches, ramps, last)
    fig.touches_by_week = [
        c / r if r > 0 else None for c, r in zip(person.touches, ramps, strict=True)
    ]
    fig.touches_weeks_baseline = _weekly(person.touches, ramps, base)
    fig.prospecting_recent = _per_week(person.prospecting, ramps, last, min_weeks=MIN_RECENT_WEEKS)
    fig.prospecting_baseline = _per_week(
        person.prospecting, ramps, base, min_weeks=MIN_BASELINE_WEEKS
    )
    fig.first_meetings_recent = _per_week(
        person.first_meetings, ramps, last, min_weeks=MIN_RECENT_WEEKS
    )
    fig.first_meetings_baseline = _per_week(
        person.first_meetings, ramps, base, min_weeks=MIN_BASELINE_WEEKS
    )

    recent_start = window.recent[0].start
    base_start, base_end = window.baseline[0].start, window.baseline[-1].end
    opened = [day for day, _ in person.created]
    opened_recent = [(d, v) for d, v in person.created if d >= recent_start]
    if fig.touches_recent is not None:
        # The last week's ramp and bank holidays, and the share of the recent weeks'
        # working days the person was not away.
        last_week = window.weeks[-1]
        usual = ramp_share(person.start_date, last_week.start, ramp) * working_share(last_week)
        if person.start_date > last_week.start:
            usual = 0.0
        scale = (usual or 1.0) * _present(window.recent, person.time_off)
        fig.opportunities_recent = len(opened_recent) / recent / scale
        fig.pipeline_created_recent = sum(v for _, v in opened_recent) / recent / scale
    if fig.touches_baseline is not None:
        weeks = [r for r in ramps[base] if r > 0]
        count = sum(1 for d in opened if base_start <= d <= base_end)
        fig.opportunities_baseline = count / sum(weeks) if weeks else None
    if opened:
        fig.weeks_since_opportunity = (as_of - max(opened)).days // 7
    elif fig.weeks_employed >= 4:
        fig.weeks_since_opportunity = min(fig.weeks_employed, len(window.weeks))

    prospecting = sum(person.prospecting[quarter])
    if prospecting >= 20:
        fig.phone_share = sum(person.phone_prospecting[quarter]) / prospecting
        fig.meetings_per_100_touches = 100 * sum(person.first_meetings[quarter]) / prospecting

    _deal_figures(fig, person, as_of)
    _coverage(fig, person, window)
    _attainment(fig, person, window)
    fig.complaints_dates = sorted(person.complaints)
    fig.complaints_recent = sum(1 for d in person.complaints if (as_of - d).days < RECENT_DAYS)
    due = [c for c in person.commitments if c.due_on <= as_of and (as_of - c.due_on).days < 91]
    fig.commitments_due = len(due)
    fig.commitments_missed = sum(1 for c in due if c.met_on is None or c.met_on > c.due_on)
    return fig


def not_enough_data(fig: Figures, t: Thresholds = DEFAULTS, bench: Benchmarks | None = None) -> str:
    """Why there is not enough data to judge this rep, in words ("" when there is):
    they started too recently, or have logged (next to) no activity and closed no
    deal while their team logged none either (no data loaded yet, not a rep gone
    quiet: a rep idle in an active team is judged, and found idle). Without this,
    missing numbers would read as a pass."""
    if fig.weeks_employed < t.judge_min_weeks:
        weeks = max(fig.weeks_employed, 0)
        return (
            f"started {weeks} week{'' if weeks == 1 else 's'} ago, fewer than the "
            f"{t.judge_min_weeks} needed to judge"
        )
    touches, closed = fig.touches_window, fig.closed_window
    if touches is None or closed is None:
        return ""  # built by hand (tests): judged on the figures given
    team_touches = (bench.team.get("touches_recent") if bench else None) or 0
    if touches < t.judge_min_touches and closed < t.judge_min_closed and not team_touches:
        logged = "no touches" if touches == 0 else f"only {touches} touches"
        return (
            f"{logged} logged in the last {ACTIVITY_WEEKS} weeks and no deal closed in the "
            "last year"
        )
    return ""


def _deal_figures(fig: Figures, person: PersonInputs, as_of: date) -> None:
    def age(day: date) -> int:
        return (as_of - day).days

    half = [d for d in person.closed if age(d.closed_on) < HALF_YEAR_DAYS]
    older = [d for d in person.closed if HALF_YEAR_DAYS <= age(d.closed_on) < YEAR_DAYS]
    fig.closed_recent, fig.closed_baseline = len(half), len(older)
    if half:
        fig.win_rate_recent = sum(d.won for d in half) / len(half)
    if older:
        fig.win_rate_baseline = sum(d.won for d in older) / len(older)
    won_now = [d for d in person.closed if d.won and age(d.closed_on) < RECENT_DAYS]
    won_before = [d for d in older if d.won]
    fig.won_recent, fig.won_baseline = len(won_now), len(won_before)
    fig.deal_size_recent = _mean(d.amount for d in won_now)
    fig.deal_size_baseline = _mean(d.amount for d in won_before)
    fig.cycle_recent = _median(d.cycle_days for d in won_now)
    fig.cycle_baseline = _median(d.cycle_days for d in won_before)
    fig.wins_recent = sum(d.won for d in half)
    fig.wins_baseline = sum(d.won for d in older)
    fig.won_amounts_recent = [d.amount for d in half if d.won and d.amount > 0]
    fig.won_amounts_baseline = [d.amount for d in older if d.won and d.amount > 0]
    fig.cycles_recent = [max(1, d.cycle_days) for d in half if d.won]
    fig.cycles_baseline = [max(1, d.cycle_days) for d in older if d.won]
    won_half = [d for d in half if d.won and d.priority is not None]
    fig.won_half_year = len(won_half)
    value = sum(d.amount for d in won_half)
    if value:
        fig.priority_share = sum(d.amount for d in won_half if d.priority) / value
    if won_half:
        fig.priority_won = sum(1 for d in won_half if d.priority)
        fig.priority_deal_share = fig.priority_won / len(won_half)


def _coverage(fig: Figures, person: PersonInputs, window: Window) -> None:
    fig.open_pipeline = sum(deal.amount for deal in person.open)
    fig.open_deals = len(person.open)
    fig.open_age = _median((window.as_of - deal.created_on).days for deal in person.open)
    target = person.revenue_targets.get(window.current.label)
    if not target:
        completed = [person.revenue_targets.get(q.label) for q in window.quarters]
        target = next((t for t in reversed(completed) if t), None)
    if target:
        fig.quarter_target = target
        fig.coverage = fig.open_pipeline / target


def _attainment(fig: Figures, person: PersonInputs, window: Window) -> None:
    as_of = window.as_of
    for quarter in (*window.quarters, window.current):
        # Quarters that began before the deal history was read are left out.
        if quarter.start < window.deals_from + timedelta(days=1):
            continue
        target = person.revenue_targets.get(quarter.label)
        # A quarter someone joined part-way through is not judged: their first
        # full quarter (on a ramped target) is.
        if not target or person.start_date > quarter.start:
            continue
        actual = sum(
            d.amount
            for d in person.closed
            if d.won and quarter.contains(d.closed_on) and d.closed_on <= as_of
        )
        elapsed = quarter.elapsed_fraction(as_of - timedelta(days=1))
        if quarter is window.current and person.current_pace is not None and elapsed < 1.0:
            elapsed = person.current_pace  # a target split into months paces by them
        fig.quarters.append(QuarterResult(quarter.label, target, actual, elapsed))


@dataclass(frozen=True)
class Benchmarks:
    """What a rep is compared with: the medians of their team (or of everyone
    when the team has fewer than three reps with the figure), and the medians of
    the top performers (top quarter by attainment) for the "right way"."""

    team: dict[str, float | None]
    top: dict[str, float | None]
    team_size: int
    top_names: tuple[str, ...] = ()
    # The organisation's week (`week_index`): what everyone did each week of the window
    # against their usual week. Empty when too few people to say.
    week_index: tuple[float, ...] = ()


BENCHMARKED = (
    "touches_recent",
    "touches_quarter",
    "prospecting_recent",
    "first_meetings_recent",
    "opportunities_recent",
    "pipeline_created_recent",
    "win_rate_recent",
    "deal_size_recent",
    "cycle_recent",
    "open_age",
    "priority_share",
    "priority_deal_share",
    "coverage",
    "phone_share",
    "meetings_per_100_touches",
)
# Figures a new hire is not compared on while ramping (see module docstring).
NOT_WHILE_RAMPING = frozenset({"win_rate_recent", "deal_size_recent", "cycle_recent"})


def _score(fig: Figures) -> float | None:
    """How well someone is doing, for picking the top performers: the mean of
    their judged quarters' attainment."""
    judged = [q.projected for q in fig.quarters if q.target and q.elapsed >= 0.5]
    return _mean(judged[-2:])


def _typical_deal(fig: Figures) -> float | None:
    """The person's typical won deal over the year read (the median): what places them
    in a deal-size band among peers who sell alike."""
    won = [*fig.won_amounts_recent, *fig.won_amounts_baseline]
    return float(median(won)) if won else None


def _in_band(typical: float | None, other: float | None, band: float) -> bool:
    if band <= 1 or typical is None or other is None:
        return True
    return typical / band <= other <= typical * band


def week_index(figures: Sequence[Figures]) -> tuple[float, ...]:
    """The organisation's week, for each week of the window: the median touches of the
    reps counted that week (not ramping), over the mean of those medians. A holiday
    month in which everyone works at 60 % reads 0.6, a kickoff week 0.25, an ordinary
    week about 1. Only reps who logged touches in the window count. Empty — no
    adjustment — when any week has fewer than `CALENDAR_MIN_REPS` of them to say, or
    a median week of none (then the data, not the calendar, is missing)."""
    counted = [f.touches_by_week for f in figures if not f.in_ramp and any(f.touches_by_week)]
    medians = []
    for week in zip(*counted, strict=True):
        values = [v for v in week if v is not None]
        if len(values) < CALENDAR_MIN_REPS or not (middle := float(median(values))):
            return ()
        medians.append(middle)
    return tuple(m * len(medians) / sum(medians) for m in medians) if medians else ()


def calendar_adjusted(fig: Figures, index: Sequence[float]) -> tuple[list[float], list[float]]:
    """The person's weeks counted (baseline, then the recent ones), each measured
    against the organisation's week (`week_index`): touches ÷ that week's index, so a
    holiday month or a kickoff week everyone had is an ordinary week, and a drop of
    the person's own stands out. Unadjusted when there is no index."""
    weeks = fig.touches_by_week
    if not index or len(index) != len(weeks):
        return list(fig.touches_weeks_baseline), list(fig.touches_weeks_recent)
    adjusted = [
        v / i if v is not None and i > 0 else None for v, i in zip(weeks, index, strict=True)
    ]
    cut = len(adjusted) - RECENT_WEEKS
    return (
        [v for v in adjusted[:cut] if v is not None],
        [v for v in adjusted[cut:] if v is not None],
    )


def touches_against_own(fig: Figures, index: Sequence[float]) -> float | None:
    """Touches a week over the recent weeks ÷ the person's usual week before them — the
    activity drop's own measure (`stats.rate_drop`: their mean now against the median
    week before), so the diagnosis and the warning say the same number — each week
    measured against the organisation's week when there is one (`calendar_adjusted`):
    a month everyone had off is no drop in anyone's effort. None when fewer than
    `MIN_RECENT_WEEKS` recent or `MIN_BASELINE_WEEKS` earlier weeks count, or their
    usual week before was none."""
    baseline_weeks, recent_weeks = calendar_adjusted(fig, index)
    if len(recent_weeks) < MIN_RECENT_WEEKS or len(baseline_weeks) < MIN_BASELINE_WEEKS:
        return None
    if robust_level(baseline_weeks)[0] <= 0:
        return None
    return rate_drop(recent_weeks, baseline_weeks).effect


def benchmarks_for(
    figures: Sequence[Figures], band: float = DEFAULTS.peer_deal_size_band
) -> dict[int, Benchmarks]:
    """{person id: their benchmarks}, every rep against peers who sell alike: the reps of
    their own team whose typical deal is within `band` times theirs, either way; or, for
    a figure fewer than three of them have, the reps of the whole organisation in that
    band — never a median across segments that sell deals of another size on another
    cycle. With `band` 0 (or 1) the band is off: the team, then everyone, as in an
    organisation of one segment. Someone with no deal won in the year is in every band."""
    by_team: dict[int | None, list[Figures]] = {}
    for fig in figures:
        by_team.setdefault(fig.team_id, []).append(fig)
    typical = {f.person_id: _typical_deal(f) for f in figures}
    ordered = sorted((t, f.person_id) for f in figures if (t := typical[f.person_id]) is not None)
    by_id = {f.person_id: f for f in figures}
    no_deal = [f for f in figures if typical[f.person_id] is None]

    def band_of(value: float | None) -> tuple[int, int]:
        """The slice of `ordered` in the band around `value` (bisected, not a pass over
        everyone per rep); (0, len) when the band is off or the value unknown."""
        if band <= 1 or value is None:
            return 0, len(ordered)
        lo = bisect_left(ordered, (value / band, -1))
        return lo, bisect_right(ordered, (value * band, float("inf")))

    def medians(group: Sequence[Figures], wider: Sequence[Figures]) -> dict[str, float | None]:
        values: dict[str, float | None] = {}
        for name in BENCHMARKED:
            pool = [f for f in group if not (f.in_ramp and name in NOT_WHILE_RAMPING)]
            found = [getattr(f, name) for f in pool if getattr(f, name) is not None]
            if len(found) < MIN_TEAM:
                pool = [f for f in wider if not (f.in_ramp and name in NOT_WHILE_RAMPING)]
                found = [getattr(f, name) for f in pool if getattr(f, name) is not None]
            values[name] = _median(found)
        return values

    def top_of(group: Sequence[Figures], wider: Sequence[Figures]) -> list[Figures]:
        scored = sorted(
            ((s, f) for f in group if not f.in_ramp and (s := _score(f)) is not None),
            key=lambda pair: -pair[0],
        )
        if len(scored) < MIN_TEAM:
            pool = [f for f in wider if not f.in_ramp and _score(f) is not None]
            scored = sorted(((_score(f), f) for f in pool), key=lambda pair: -pair[0])
        return [f for _, f in scored[: max(1, round(len(scored) / 4))]]

    calendar = week_index(figures)
    result = {}
    cache: dict[tuple[int, ...], tuple[dict[str, float | None], list[Figures]]] = {}
    for members in by_team.values():
        for fig in members:
            mine = typical[fig.person_id]
            group = [f for f in members if _in_band(mine, typical[f.person_id], band)]
            lo, hi = band_of(mine)
            key = (*(f.person_id for f in group), -lo - 1, -hi - 1)
            if key not in cache:
                wider = [by_id[pid] for _, pid in ordered[lo:hi]] + no_deal
                cache[key] = (medians(group, wider), top_of(group, wider))
            team, top = cache[key]
            top_medians = {
                name: _median(getattr(f, name) for f in top if getattr(f, name) is not None)
                for name in BENCHMARKED
            }
            result[fig.person_id] = Benchmarks(
                team=team,
                top=top_medians,
                team_size=len(group),
                top_names=tuple(f.name for f in top),
                week_index=calendar,
            )
    return result
