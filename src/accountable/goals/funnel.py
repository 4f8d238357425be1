"""Accountability measures: the activity a goal takes, worked back through the funnel.

A revenue target says where to end up, not what to do on Monday. Working the person's
own funnel backwards turns it into things they control (SPEC §3)::

    revenue ÷ average deal size            = deals to win
    deals ÷ win rate                       = opportunities to open
    opportunities ÷ meeting→opportunity    = first meetings to hold
    first meetings ÷ touch→meeting         = calls and e-mails to make

Mid-period the chain starts from what is still to go — the target less what is won so
far — so it says what is needed *now*; the person's median sales cycle then says when a
first meeting held today would close, and whether it is already too late for new
prospecting to win this period (`Timing`).

Each step starts from the previous step's *whole* number — you win 18 deals, not
17.45 — and rounds up, because 3.2 calls is 4 calls. Rates are the person's own when
they have enough history (5 closed deals, 20 first meetings by default), else the
team's when the team has that history, and every plan says which; with too few closed
deals anywhere the plan says so instead of guessing. When a rate is missing the chain
stops there and says what data would complete it; the manager can fill the gap or
adjust any stage by hand.

Plain Python on purpose (no ORM), so the arithmetic can be tested exhaustively.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal

__all__ = [
    "RATES",
    "STAGES",
    "FunnelError",
    "FunnelPlan",
    "FunnelRates",
    "Stage",
    "Timing",
    "adjust",
    "choose_rates",
    "plain_number",
    "rates_from_counts",
    "timing",
    "work_back",
]

Number = Decimal | int | float
# Whose rate a plan uses; "thin": neither the person nor the team has the history.
Source = Literal["person", "team", "thin"]

# The activity stages, outcome first; each is reached from the one before through a rate.
STAGES = ("deals", "opportunities", "meetings", "touches")
RATES = ("avg_deal_size", "win_rate", "meeting_to_opportunity", "touch_to_meeting")
_RATE_INTO = dict(zip(STAGES, RATES, strict=True))  # the rate that leads *into* a stage
_NAMES = {
    "deals": ("deal", "deals"),
    "opportunities": ("opportunity", "opportunities"),
    "meetings": ("first meeting", "first meetings"),
    "touches": ("call or e-mail", "calls and e-mails"),
}
# Why a rate can't be used, in words: no history at all (None) or a zero (below), and
# what to log so it can be worked out.
_MISSING = {
    "avg_deal_size": "no deals have been won yet, so there is no average deal size",
    "win_rate": "no deals have closed (won or lost) yet, so there is no win rate",
    "meeting_to_opportunity": (
        "no first meetings are logged, so there is no meeting-to-opportunity rate"
    ),
    "touch_to_meeting": "no calls or e-mails are logged, so there is no touch-to-meeting rate",
}
# A rate whose history (the person's and the team's) is too thin to trust, in words.
_THIN = {
    "avg_deal_size": "too few deals have closed, yours or the team's, to know the average "
    "deal size, and the plan does not guess",
    "win_rate": "too few deals have closed, yours or the team's, to know the win rate, and "
    "the plan does not guess",
    "meeting_to_opportunity": "too few first meetings are logged, yours or the team's, to "
    "know how many lead to an opportunity, and the plan does not guess",
    "touch_to_meeting": "too few first meetings are logged, yours or the team's, to know "
    "how many calls and e-mails lead to one, and the plan does not guess",
}
_ZERO = {
    "avg_deal_size": "the deals won so far have no amount, so the average deal size is 0",
    "win_rate": "no closed deal has been won yet, so the win rate is 0%",
    "meeting_to_opportunity": "no first meeting has led to an opportunity yet",
    "touch_to_meeting": "no call or e-mail has led to a first meeting yet",
}
_FIX = {
    "avg_deal_size": "log won deals with their amounts",
    "win_rate": "log closed deals, won and lost",
    "meeting_to_opportunity": "log first meetings and the opportunities they open",
    "touch_to_meeting": "log calls and e-mails",
}


class FunnelError(ValueError):
    """A funnel calculation that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class FunnelRates:
    """How a person (or team) converts, from their trailing history.

    ``avg_deal_size`` is money per won deal; the other three are fractions (0.31 =
    31%). A rate is ``None`` when its history is empty. ``sample`` holds the counts
    behind them (won, lost, closed, opportunities, meetings, touches) so a reader can
    judge how much to trust them.
    """

    avg_deal_size: Decimal | None
    win_rate: Decimal | None
    meeting_to_opportunity: Decimal | None
    touch_to_meeting: Decimal | None
    sample: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    """One activity the goal takes: how many in the period, how many still to do, per week.

    ``total`` is ``None`` when the funnel stopped before this stage (a missing rate).
    ``adjusted`` marks a figure the manager set by hand; ``derived`` keeps what the
    funnel itself worked out, for comparison.
    """

    key: str
    total: int | None
    done: int = 0
    remaining: int | None = None
    per_week: int | None = None
    adjusted: bool = False
    derived: int | None = None

    @property
    def label(self) -> str:
        return _NAMES[self.key][1]


@dataclass(frozen=True)
class FunnelPlan:
    """The activity targets for one goal, with the reasoning in plain words.

    ``stages`` always lists the four activity stages in order; those the chain could
    not reach have ``total=None`` and ``missing`` names the rate that stopped it.
    """

    target: Decimal
    metric: str
    weeks: Decimal
    rates: FunnelRates
    stages: tuple[Stage, ...]
    lines: tuple[str, ...]
    missing: tuple[str, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)
    overrides: dict[str, int] = field(default_factory=dict)
    # Mid-period: what is won so far (money, or deals for a deals goal); the chain then
    # starts from the target still to go, and each stage's total is done + still needed.
    won: Decimal | None = None
    # The weeks in which a first meeting still closes in time (the sales cycle before the
    # end): opportunities, first meetings and touches are spread over these.
    prospecting_weeks: Decimal | None = None

    @property
    def to_go(self) -> Decimal:
        """The target still to go: all of it, or what is not won yet."""
        return self.target if self.won is None else max(self.target - self.won, Decimal(0))

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise FunnelError(f'There is no "{key}" stage; stages are {", ".join(STAGES)}.')

    @property
    def complete(self) -> bool:
        """True when every stage has a figure."""
        return all(s.total is not None for s in self.stages)

    @property
    def explanation(self) -> str:
        return " ".join(self.lines)


# ---- rates --------------------------------------------------------------------------


def _decimal(value: Number | None, what: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise FunnelError(f"{what} must be a number, not {value!r}.")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise FunnelError(f"{what} must be a number, not {value}.")
    return number


def _count(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FunnelError(f"{what} must be a whole number, 0 or more, not {value!r}.")
    return value


def _ratio(numerator: Decimal | int, denominator: int) -> Decimal | None:
    return Decimal(numerator) / denominator if denominator else None


def rates_from_counts(
    won_amount: Number,
    won: int,
    lost: int,
    opportunities: int,
    meetings: int,
    touches: int,
) -> FunnelRates:
    """Conversion rates from trailing counts; a rate whose denominator is 0 is ``None``.

    Win rate is won ÷ (won + lost) — of the deals that closed, how many were won.
    ``touches`` is calls plus e-mails.
    """
    amount = _decimal(won_amount, "The amount won")
    if amount is None or amount < 0:
        raise FunnelError(f"The amount won must be 0 or more, not {won_amount!r}.")
    won, lost = _count(won, "Deals won"), _count(lost, "Deals lost")
    opportunities = _count(opportunities, "Opportunities")
    meetings, touches = _count(meetings, "Meetings"), _count(touches, "Calls and e-mails")
    return FunnelRates(
        avg_deal_size=_ratio(amount, won),
        win_rate=_ratio(won, won + lost),
        meeting_to_opportunity=_ratio(opportunities, meetings),
        touch_to_meeting=_ratio(meetings, touches),
        sample={
            "won": won,
            "lost": lost,
            "closed": won + lost,
            "opportunities": opportunities,
            "meetings": meetings,
            "touches": touches,
        },
    )


def choose_rates(
    person: FunnelRates,
    team: FunnelRates,
    min_closed: int = 5,
    min_meetings: int = 20,
) -> tuple[FunnelRates, dict[str, Source]]:
    """The person's own rates where their history is big enough, the team's elsewhere.

    Deal size and win rate need ``min_closed`` closed deals; the two meeting rates need
    ``min_meetings`` first meetings. A person's rate that is missing or zero is not usable
    for working back (it would divide by nothing), so the team's is used instead — when
    the team's own history is big enough; else the rate is left out ("thin") and the
    plan says there is too little data rather than guess. Returns the mixed rates —
    ``sample`` is the person's — and, per rate, whose it is.
    """

    def enough(sample: dict[str, int], missing: int) -> dict[str, bool]:
        closed = sample.get("closed", missing) >= min_closed
        meetings = sample.get("meetings", missing) >= min_meetings
        return {
            "avg_deal_size": closed,
            "win_rate": closed,
            "meeting_to_opportunity": meetings,
            "touch_to_meeting": meetings,
        }

    mine = enough(person.sample, 0)
    # A team rate built by hand, with no sample, is taken as it is.
    theirs = enough(team.sample, max(min_closed, min_meetings))
    chosen: dict[str, Decimal | None] = {}
    sources: dict[str, Source] = {}
    for rate in RATES:
        own = getattr(person, rate)
        if mine[rate] and own is not None and own > 0:
            chosen[rate], sources[rate] = own, "person"
        elif theirs[rate]:
            chosen[rate], sources[rate] = getattr(team, rate), "team"
        else:
            chosen[rate], sources[rate] = None, "thin"
    return FunnelRates(**chosen, sample=dict(person.sample)), sources


# ---- working back -------------------------------------------------------------------


def _ceil(value: Decimal) -> int:
    """Round up to a whole activity, ignoring the last-digit noise of rates such as 1/3
    (54 ÷ 0.333… must give 162, not 163)."""
    with localcontext() as ctx:
        ctx.prec = 60
        return int(value.quantize(Decimal("1e-9")).to_integral_value(ROUND_CEILING))


def _per_week(remaining: int, weeks: Decimal) -> int:
    # Exact, so per_week * weeks is never short of what remains.
    return math.ceil(Fraction(remaining) / Fraction(weeks))


def plain_number(value: Decimal | int | float, places: int | None = None) -> str:
    """A number as the product writes it: ``410,000``, ``23,456.50``, ``2.6``.

    With ``places=None`` whole numbers show no decimals and others show two.
    """
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if places is None:
        places = 0 if number == number.to_integral_value() else 2
    rounded = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


def _percent(rate: Decimal) -> str:
    """31%, 8.5%: whole percents from 10% up, one decimal below (small rates matter)."""
    value = rate * 100
    text = plain_number(value, 0 if value >= 10 else 1)
    return f"{text.removesuffix('.0')}%"


def _weeks(weeks: Decimal) -> str:
    return plain_number(weeks, 1).removesuffix(".0")


def _n_weeks(weeks: Decimal) -> str:
    """ "13 weeks", "1 week"."""
    shown = _weeks(weeks)
    return f"{shown} week" if shown == "1" else f"{shown} weeks"


def _of(n: int, key: str) -> str:
    singular, plural = _NAMES[key]
    return f"{plain_number(n)} {singular if n == 1 else plural}"


# Said after a borrowed rate, so a rep knows why the plan is not built on their numbers.
_TEAM_NOTE = "too little history of your own yet"


def _rate_words(key: str, rate: Decimal, source: Source | None) -> str:
    """The opening of a step's sentence, e.g. "At a 31% win rate"."""
    team = source == "team"
    if key == "opportunities":
        whose = "the team's" if team else "a"
        return f"At {whose} {_percent(rate)} win rate" + (f" ({_TEAM_NOTE})" if team else "")
    if key == "meetings":
        lead = f"If {_percent(rate)} of first meetings lead to an opportunity"
    else:
        lead = f"If {_percent(rate)} of calls and e-mails lead to a first meeting"
    return lead + (f" (the team's rate; {_TEAM_NOTE})," if team else ",")


def _missing_words(rate: str, value: Decimal | None, source: Source | None = None) -> str:
    if source == "thin":
        return _THIN[rate]
    return _ZERO[rate] if value is not None else _MISSING[rate]


def _plan(
    target: Decimal,
    rates: FunnelRates,
    weeks: Decimal,
    metric: str,
    already: dict[str, int],
    sources: dict[str, Source],
    overrides: dict[str, int],
    won: Decimal | None = None,
    prospecting_weeks: Decimal | None = None,
) -> FunnelPlan:
    lines: list[str] = []
    stages: list[Stage] = []
    missing: list[str] = []
    previous: int | None = None  # the whole number reached at the stage before
    # From here: the chain starts from what is still to go, and each stage's figure is
    # what is still needed (its total for the period adds what is done).
    from_here = won is not None
    goal = max(target - won, Decimal(0)) if from_here else target
    if from_here:
        what = _of(_ceil(target), "deals") if metric == "deals_won" else plain_number(target)
        so_far = _of(int(won), "deals") if metric == "deals_won" else plain_number(won)
        lines.append(f"Still to go: {plain_number(goal)} of {what} ({so_far} won so far).")
    for key in STAGES:
        rate_key = _RATE_INTO[key]
        rate = getattr(rates, rate_key)
        derived: int | None = None
        words = ""
        if key == "deals" and metric == "deals_won":
            derived = _ceil(goal)
            words = (
                f"That is {_of(derived, 'deals')} still to win."
                if from_here
                else f"The goal is {_of(derived, 'deals')} won."
            )
        elif key != "deals" and previous is None:
            pass  # the chain stopped at an earlier stage
        elif rate is None or rate <= 0:
            if key not in overrides:  # a figure set by hand fills the gap
                missing.append(rate_key)
                words = (
                    f"The {_NAMES[key][1]} needed can't be worked out: "
                    f"{_missing_words(rate_key, rate, sources.get(rate_key))}. To complete "
                    "the plan, "
                    f"{_FIX[rate_key]}, or set the figures by hand."
                )
        elif key == "deals":
            derived = _ceil(goal / rate)
            team = sources.get(rate_key) == "team"
            whose = "the team's" if team else "an"
            note = f" ({_TEAM_NOTE})" if team else ""
            more = " more" if from_here else ""
            words = (
                f"To win {plain_number(goal)} at {whose} average deal of "
                f"{plain_number(rate, 0)}{note} you need {_of(derived, 'deals')}{more}."
            )
        else:
            derived = _ceil(previous / rate)
            words = f"{_rate_words(key, rate, sources.get(rate_key))} that is {_of(derived, key)}."
        done = already.get(key, 0)
        if from_here and derived is not None:
            derived += done  # the stage's total for the period: done + still needed
        total = overrides.get(key, derived)
        if key in overrides:
            funnel_says = ""
            if derived is not None:
                funnel_says = f" (the funnel works out {plain_number(derived)})"
            words = (
                f"{_NAMES[key][1].capitalize()}: {plain_number(overrides[key])}, "
                f"set by the manager{funnel_says}."
            )
        if words:
            lines.append(words)
        if total is None:
            stages.append(Stage(key=key, total=None, done=done, derived=derived))
        else:
            remaining = max(total - done, 0)
            span = weeks if key == "deals" or prospecting_weeks is None else prospecting_weeks
            stages.append(
                Stage(
                    key=key,
                    total=total,
                    done=done,
                    remaining=remaining,
                    per_week=_per_week(remaining, span),
                    adjusted=key in overrides,
                    derived=derived,
                )
            )
        # From here the next stage follows what is still needed, not the period's total.
        previous = None if total is None else (max(total - done, 0) if from_here else total)
    reached = [s for s in stages if s.total is not None]
    if any(s.done for s in reached):
        done_words = [_of(s.done, s.key) for s in reached if s.done]
        lines.append(f"Already done: {_and(done_words)}.")
    if reached and prospecting_weeks is not None and prospecting_weeks != weeks:
        deals = [_of(s.per_week or 0, s.key) for s in reached if s.key == "deals"]
        rest = [_of(s.per_week or 0, s.key) for s in reached if s.key != "deals"]
        if deals:
            lines.append(f"Each week for {_n_weeks(weeks)}: {_and(deals)}.")
        if rest:
            lines.append(
                f"Each week for the {_n_weeks(prospecting_weeks)} in which a first meeting "
                f"still closes in time: {_and(rest)}."
            )
    elif reached:
        weekly = [_of(s.per_week or 0, s.key) for s in reached]
        lines.append(f"Each week for {_n_weeks(weeks)}: {_and(weekly)}.")
    return FunnelPlan(
        target=target,
        metric=metric,
        weeks=weeks,
        rates=rates,
        stages=tuple(stages),
        lines=tuple(lines),
        missing=tuple(missing),
        sources=dict(sources),
        already=dict(already),
        overrides=dict(overrides),
        won=won,
        prospecting_weeks=prospecting_weeks,
    )


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _stage_counts(values: dict[str, int] | None, what: str) -> dict[str, int]:
    values = dict(values or {})
    unknown = [k for k in values if k not in STAGES]
    if unknown:
        raise FunnelError(
            f"{what}: unknown stage {', '.join(unknown)}; stages are {', '.join(STAGES)}."
        )
    return {k: _count(v, f"{what} for {k}") for k, v in values.items()}


def work_back(
    target_revenue: Number,
    rates: FunnelRates,
    weeks: float,
    already: dict[str, int] | None = None,
    *,
    metric: Literal["revenue", "deals_won"] = "revenue",
    sources: dict[str, Source] | None = None,
    won: Number | None = None,
    prospecting_weeks: float | None = None,
) -> FunnelPlan:
    """The deals, opportunities, first meetings and calls/e-mails a goal takes, per week.

    ``target_revenue`` is the goal: money for ``metric="revenue"``, or a number of deals
    for ``metric="deals_won"`` (the chain then starts at deals). ``weeks`` is how many
    weeks the work is spread over — the whole period when it starts, the weeks left
    mid-period. ``already`` counts what is done so far per stage (``{"deals": 5}``); the
    per-week figures cover only what remains. ``sources`` (from :func:`choose_rates`)
    lets the explanation say which rates are the team's.

    ``won`` (what is won so far: money, or deals for a deals goal) works back from the
    target still to go instead: each stage is what is still needed *now* from the
    person's own rates (a deal won, an opportunity opened earlier are not counted twice),
    its total for the period that plus what is done. ``prospecting_weeks`` spreads the
    stages before a deal (opportunities, first meetings, touches) over the weeks in which
    a first meeting still closes in time (`timing`), deals over ``weeks``.
    """
    if metric not in ("revenue", "deals_won"):
        raise FunnelError(f'Work back from "revenue" or "deals_won", not "{metric}".')
    target = _decimal(target_revenue, "The target")
    if target is None or target < 0:
        raise FunnelError(f"The target must be 0 or more, not {target_revenue!r}.")
    span = _decimal(weeks, "The number of weeks")
    if span is None or span <= 0:
        raise FunnelError(f"The number of weeks must be above zero, not {weeks!r}.")
    so_far = _decimal(won, "What is won so far")
    if so_far is not None and so_far < 0:
        raise FunnelError(f"What is won so far must be 0 or more, not {won!r}.")
    prospecting = _decimal(prospecting_weeks, "The weeks to prospect")
    if prospecting is not None and prospecting <= 0:
        raise FunnelError(f"The weeks to prospect must be above zero, not {prospecting_weeks!r}.")
    return _plan(
        target,
        rates,
        span,
        metric,
        _stage_counts(already, "Already done"),
        dict(sources or {}),
        {},
        so_far,
        prospecting,
    )


def adjust(plan: FunnelPlan, overrides: dict[str, int]) -> FunnelPlan:
    """The plan with the manager's own figures for some stages, marked as theirs.

    Stages after an adjusted one are worked out again from the adjusted figure (ask for
    70 opportunities and the meetings and calls follow); earlier ones are unchanged.
    A figure set for a stage the funnel could not reach fills the gap. Overrides add to
    those already on the plan.
    """
    merged = {**plan.overrides, **_stage_counts(overrides, "Adjusted figure")}
    return _plan(
        plan.target,
        plan.rates,
        plan.weeks,
        plan.metric,
        plan.already,
        plan.sources,
        merged,
        plan.won,
        plan.prospecting_weeks,
    )


# ---- timing ---------------------------------------------------------------------------

# A median sales cycle from fewer won deals than this would be a guess.
MIN_WON_FOR_CYCLE = 5


@dataclass(frozen=True)
class Timing:
    """When a first meeting held today would close, at the person's median sales cycle.

    ``too_late``: that day is after the period ends, so new prospecting can no longer win
    the period — what is still to go must come from deals already open, and prospecting
    now plans for the next period. ``cycle_days`` None: too few won deals to know the
    cycle (``won`` of them), and ``words`` says so rather than guess.
    """

    today: date
    period_label: str
    period_end: date
    cycle_days: Decimal | None
    won: int
    close_on: date | None = None
    too_late: bool = False
    last_first_meeting: date | None = None  # the last day one still closes in the period
    words: str = ""


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def timing(
    today: date,
    period_label: str,
    period_end: date,
    cycle_days: Number | None,
    won: int,
    *,
    who: str = "your",
    min_won: int = MIN_WON_FOR_CYCLE,
) -> Timing:
    """Whether new prospecting can still win the period: a first meeting today closes
    ``cycle_days`` (the median of the person's ``won`` deals) later."""
    if cycle_days is None or won < min_won:
        return Timing(
            today,
            period_label,
            period_end,
            None,
            won,
            words=(
                f"When a first meeting held today would close can't be said: {who} sales "
                f"cycle rests on {_of(won, 'deals')} won, too few ({min_won} needed)."
            ),
        )
    cycle = _decimal(cycle_days, "The sales cycle")
    days = int(cycle.to_integral_value(ROUND_HALF_UP))
    close_on = today + timedelta(days=days)
    last = period_end - timedelta(days=days)
    at = f"At {who} median sales cycle of {plain_number(cycle, 1).removesuffix('.0')} days"
    if close_on > period_end:
        words = (
            f"It is already too late for {period_label} to be won from new prospecting. "
            f"{at}, a first meeting held today ({_day(today)}) would close around "
            f"{_day(close_on)}, after {period_label} ends on {_day(period_end)}: what is "
            "still to go has to come from deals already open."
        )
        return Timing(today, period_label, period_end, cycle, won, close_on, True, last, words)
    words = (
        f"{at}, a first meeting held today ({_day(today)}) would close around "
        f"{_day(close_on)}, within {period_label}; first meetings held after "
        f"{_day(last)} would close too late for it."
    )
    return Timing(today, period_label, period_end, cycle, won, close_on, False, last, words)
