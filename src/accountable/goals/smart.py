"""The SMART check of a goal, letter by letter, in words a manager understands (SPEC §3).

A goal is **S**pecific (one metric, one number), **M**easurable (on a metric the system
computes, so progress is counted rather than typed), **A**chievable (compared with the
owner's own history and the team's: far beyond what anyone has done is a warning sign,
not ambition), **R**elevant (linked to a company objective or priority) and
**T**ime-bound (a period or a deadline that has not passed).

The goal form shows the five results as they are; each failing message says what is
missing and how to fix it. Plain Python on purpose (no ORM): the caller looks up the
history (best periods, the team median) and passes it in a :class:`SmartContext`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from accountable.goals.actuals import is_computed
from accountable.goals.funnel import plain_number
from accountable.goals.owners import Owner
from accountable.targets.catalogue import Metric, metric_get

__all__ = ["Best", "GoalDraft", "LetterResult", "SmartContext", "smart_check"]

Letter = Literal["S", "M", "A", "R", "T"]
TIMES = "\N{MULTIPLICATION SIGN}"
# How far beyond the best anyone on the team has done a target may go before it fails A.
STRETCH_LIMIT = Decimal("1.5")


@dataclass
class GoalInput:
    """A goal as entered: what goal_create / goal_update / the SMART check take."""

    owner: Owner
    metric: str
    target_value: Any
    baseline: Any = None
    period: str = ""
    deadline: date | None = None
    priority: str = ""
    override: bool = False
    override_reason: str = ""
    objective: Any = None  # an Objective the goal serves (else `priority` names it)
    kind: str = "metric"  # or "milestone": a title and a deadline, done or not
    title: str = ""


@dataclass(frozen=True)
class GoalDraft:
    """A goal as typed into the form, before it is saved; any part may still be missing.

    ``period`` is a period label (``2026-Q3``); ``deadline`` a date for milestone-like
    goals. ``baseline`` is where the owner stands now, shown alongside the target.
    """

    owner: str
    metric: str | None = None
    target: Decimal | None = None
    baseline: Decimal | None = None
    period: str | None = None
    deadline: date | None = None
    objective: str | None = None


@dataclass(frozen=True)
class Best:
    """A best result on the metric and the period it happened in (``158,000 in 2026-Q1``)."""

    value: Decimal
    label: str


@dataclass(frozen=True)
class SmartContext:
    """What the check compares a goal with, looked up by the caller.

    ``person_best`` / ``team_best`` are the best single periods of the same kind as the
    goal (the best quarter for a quarterly goal) — for lower-is-better metrics such as
    cycle length, the lowest. ``period_start`` / ``period_end`` are the goal period's
    bounds when known.
    """

    today: date
    metric_lookup: Callable[[str], Metric] = field(default=metric_get)
    person_best: Best | None = None
    team_best: Best | None = None
    team_median: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class LetterResult:
    """One letter's verdict. ``warn`` marks a pass that deserves a second look (a stretch)."""

    letter: Letter
    ok: bool
    message: str
    warn: bool = False


def smart_check(
    goal: GoalDraft,
    context: SmartContext,
    *,
    stretch_limit: Decimal = STRETCH_LIMIT,
) -> list[LetterResult]:
    """Check the five letters of a goal; always five results, in S, M, A, R, T order."""
    metric, unknown = _metric(goal, context)
    return [
        _specific(goal, metric, unknown),
        _measurable(metric, unknown),
        _achievable(goal, metric, context, Decimal(stretch_limit)),
        _relevant(goal),
        _time_bound(goal, context),
    ]


def _metric(goal: GoalDraft, context: SmartContext) -> tuple[Metric | None, bool]:
    """The goal's metric, and whether a metric was named that the catalogue doesn't know."""
    if not goal.metric or not goal.metric.strip():
        return None, False
    try:
        return context.metric_lookup(goal.metric), False
    except KeyError:
        return None, True


# ---- formatting ---------------------------------------------------------------------


def _ratio(value: Decimal, limit: Decimal) -> str:
    """One decimal (2.6); two when one would read as the limit itself (1.54 → 1.54, not
    1.5), so a failing ratio never looks equal to the allowed one."""
    shown = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if shown == limit and value != limit:
        shown = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{shown}{TIMES}"


def _kind(label: str) -> str:
    """The kind of period a label names: "2026-Q1" → "quarter"."""
    if re.fullmatch(r"\d{4}-[Qq]\d", label):
        return "quarter"
    if re.fullmatch(r"\d{4}-[Ww]\d{1,2}", label):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return "month"
    if re.fullmatch(r"\d{4}", label):
        return "year"
    return "period"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# ---- the letters --------------------------------------------------------------------


def _specific(goal: GoalDraft, metric: Metric | None, unknown: bool) -> LetterResult:
    if unknown:
        return LetterResult(
            "S",
            False,
            f'Specific: "{goal.metric}" is not a metric Accountable knows. '
            "Choose one metric from the list and one number.",
        )
    if metric is None and goal.target is None:
        return LetterResult("S", False, "Specific: choose one metric and one number.")
    if metric is None:
        return LetterResult(
            "S",
            False,
            f"Specific: choose the metric that {plain_number(goal.target)} is counted in.",
        )
    if goal.target is None:
        return LetterResult("S", False, f"Specific: set the one number to reach on {metric.label}.")
    if goal.baseline is not None:
        return LetterResult(
            "S",
            True,
            f"Specific: {metric.label} from {plain_number(goal.baseline)} "
            f"to {plain_number(goal.target)}.",
        )
    return LetterResult("S", True, f"Specific: {metric.label}, {plain_number(goal.target)}.")


def _measurable(metric: Metric | None, unknown: bool) -> LetterResult:
    if metric is None:
        what = "a metric Accountable knows" if unknown else "a metric"
        return LetterResult(
            "M",
            False,
            f"Measurable: choose {what} the system computes (revenue, meetings, calls…), "
            "so progress is counted from the data rather than typed in.",
        )
    if metric.manual:
        return LetterResult(
            "M",
            False,
            f'Measurable: "{metric.label}" is entered by hand, so progress can\'t be checked '
            "against the data. Pick a computed metric or accept manual tracking.",
        )
    if not is_computed(metric.key):
        return LetterResult(
            "M",
            False,
            f"Measurable: Accountable cannot yet follow {metric.label.lower()} for a goal from "
            "the deals and activities, so its progress would be tracked by hand. Pick a "
            "computed metric (revenue, deals won, meetings…) or accept manual tracking.",
        )
    return LetterResult(
        "M",
        True,
        f"Measurable: {metric.label} is computed from the deals and activities, "
        "so progress shows up by itself.",
    )


def _achievable(
    goal: GoalDraft, metric: Metric | None, context: SmartContext, limit: Decimal
) -> LetterResult:
    target = goal.target
    if metric is None or target is None:
        return LetterResult(
            "A",
            False,
            "Achievable: can't be judged until the goal has one metric and one number; "
            f"then it is compared with {_possessive(goal.owner)} history and the team's.",
        )
    target = Decimal(str(target)) if isinstance(target, float) else Decimal(target)
    higher = metric.higher_is_better
    own, team = context.person_best, context.team_best
    # The best anyone has done: the team's, unless the owner's own record is better.
    anyone = team
    if own is not None and (anyone is None or _beats(own.value, anyone.value, higher)):
        anyone = own
    median = (
        f" The team median is {plain_number(context.team_median)}."
        if context.team_median is not None
        else ""
    )
    if anyone is None:
        return LetterResult(
            "A",
            True,
            f"Achievable: there is no history on {metric.label} yet, so "
            f"{plain_number(target)} can't be compared with what anyone has done. "
            "Check it by hand.",
        )
    kind = _kind(anyone.label)
    best_words = f"the best {kind} anyone on this team has had"
    if not higher:
        best_words = f"the best (lowest) {kind} anyone on this team has had"
    at = f"({plain_number(anyone.value)} in {anyone.label})"
    ratio = _how_far(target, anyone.value, higher)
    when = (goal.period or "").strip() or "this time"
    than = "" if higher else " lower than"
    allowed = _ratio(limit, limit)
    if ratio is not None and ratio > limit:
        size = plain_number(anyone.value * limit if higher else anyone.value / limit, 0)
        bound = f"or less ({allowed} that best)" if higher else f"or more ({allowed} below it)"
        return LetterResult(
            "A",
            False,
            f"Achievable: {plain_number(target)} is {_ratio(ratio, limit)}{than} {best_words} "
            f"{at}. Bring it to {size} {bound}, or agree why {when} will be different.",
        )
    if _beats(target, anyone.value, higher):
        how = "beyond" if ratio is None else f"{_ratio(ratio, limit)}{than}"
        tail = "." if ratio is None else f", within the {allowed} limit."
        return LetterResult(
            "A",
            True,
            f"Achievable: a stretch — {plain_number(target)} is {how} {best_words} {at}"
            f"{tail}{median}",
            warn=True,
        )
    mine = _possessive(goal.owner)
    if own is not None and _beats(target, own.value, higher):
        return LetterResult(
            "A",
            True,
            f"Achievable: a stretch — {plain_number(target)} is beyond {mine} best "
            f"{_kind(own.label)} ({plain_number(own.value)} in {own.label}), but someone on "
            f"the team has done {plain_number(anyone.value)} ({anyone.label}).{median}",
            warn=True,
        )
    if own is not None:
        return LetterResult(
            "A",
            True,
            f"Achievable: {plain_number(target)} is within {mine} best {_kind(own.label)} "
            f"({plain_number(own.value)} in {own.label}).{median}",
        )
    return LetterResult(
        "A",
        True,
        f"Achievable: {plain_number(target)} is within {best_words} {at}; "
        f"{goal.owner} has no history on {metric.label} yet.{median}",
    )


def _beats(a: Decimal, b: Decimal, higher: bool) -> bool:
    """True when ``a`` is a better result than ``b``."""
    return a > b if higher else a < b


def _how_far(target: Decimal, best: Decimal, higher: bool) -> Decimal | None:
    """How many times the best the target is (for lower-is-better: how many times lower);
    ``None`` when a zero or negative makes a ratio meaningless."""
    top, bottom = (target, best) if higher else (best, target)
    if top <= 0 or bottom <= 0:
        return None
    return top / bottom


def _relevant(goal: GoalDraft) -> LetterResult:
    objective = (goal.objective or "").strip()
    if not objective:
        return LetterResult(
            "R",
            False,
            "Relevant: link it to a company objective or priority, so everyone can see "
            "why it matters.",
        )
    return LetterResult("R", True, f'Relevant: it supports "{objective}".')


def _time_bound(goal: GoalDraft, context: SmartContext) -> LetterResult:
    period = (goal.period or "").strip()
    deadline, today = goal.deadline, context.today
    start, end = context.period_start, context.period_end
    if not period and deadline is None:
        return LetterResult(
            "T", False, "Time-bound: pick a period (such as 2026-Q3) or a deadline date."
        )
    if period and _kind(period) == "period":
        return LetterResult(
            "T",
            False,
            f'Time-bound: "{period}" is not a period. Write it as 2026, 2026-Q3, 2026-08 '
            "or 2026-W32, or give a deadline date.",
        )
    if deadline is not None and deadline < today:
        return LetterResult(
            "T",
            False,
            f"Time-bound: the deadline, {_day(deadline)}, has passed. "
            f"Pick today ({_day(today)}) or a later date.",
        )
    if period and end is not None and end < today:
        return LetterResult(
            "T",
            False,
            f"Time-bound: {period} ended on {_day(end)}. Pick a current or future period.",
        )
    outside = (
        deadline is not None
        and start is not None
        and end is not None
        and not (start <= deadline <= end)
    )
    if period and outside:
        return LetterResult(
            "T",
            False,
            f"Time-bound: the deadline, {_day(deadline)}, falls outside {period} "
            f"({_day(start)} to {_day(end)}). Move the deadline or the period.",
        )
    if deadline is not None:
        within = f", within {period}" if period else ""
        return LetterResult("T", True, f"Time-bound: due by {_day(deadline)}{within}.")
    if end is not None:
        return LetterResult("T", True, f"Time-bound: {period}, ending {_day(end)}.")
    return LetterResult("T", True, f"Time-bound: {period}.")
