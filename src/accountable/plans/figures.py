"""The numbers of a plan: its revenue target broken into quarters, months and weeks, and
that breakdown against what was sold.

The target is the person's own revenue target for the plan's period (`Target`). Each
finer part is the target set for it when every part of that kind has one (the split
the manager made, e.g. by seasonality), else the period's target shared by working
days; weeks that straddle the period's edge count only their days inside it.

What was sold comes from the scorecard's own read model (`scorecards.metrics.counts`
over the rollups, `metric_value` for revenue), over the same days the scorecard counts
for a period as of a day: from its start to the as-of day, or to its end once over.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from accountable.goals import splits
from accountable.org.calendar import Kind, Period
from accountable.org.models import Person
from accountable.scorecards import formulas as f
from accountable.scorecards import metrics as m

METRIC = "revenue"
ZERO = Decimal(0)
# The finer parts each kind of plan is broken into.
PARTS = {
    Kind.YEAR: (Kind.QUARTER, Kind.MONTH, Kind.WEEK),
    Kind.QUARTER: (Kind.MONTH, Kind.WEEK),
}


@dataclass(frozen=True)
class Part:
    """One span of a plan: what it plans to sell, and (against actuals) what was sold."""

    kind: str
    label: str
    start: date
    end: date
    planned: Decimal
    actual: Decimal | None = None
    expected: Decimal | None = None  # the share of `planned` due by the as-of day
    status: str = ""  # "done", "now" or "to come"

    @property
    def gap(self) -> Decimal | None:
        """Ahead (positive) or behind (negative) of where the plan said to be by now."""
        if self.actual is None or self.expected is None:
            return None
        return self.actual - self.expected

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["gap"] = self.gap
        return {k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in data.items()}


@dataclass(frozen=True)
class Breakdown:
    """A plan's target and its parts; `target` None when no target is set."""

    period: str
    target: Decimal | None
    parts: dict[str, list[Part]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "target": None if self.target is None else str(self.target),
            "parts": {kind: [p.as_dict() for p in ps] for kind, ps in self.parts.items()},
            "notes": list(self.notes),
        }


def _clip(part: Period, period: Period) -> tuple[date, date]:
    return max(part.start, period.start), min(part.end, period.end)


def _targets(person: Person, periods: list[Period]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for p in periods:
        value = m.person_targets([person.pk], p).get(person.pk, {}).get(METRIC)
        if value is not None:
            found[p.label] = value
    return found


def breakdown(person: Person, period: Period) -> Breakdown:
    """The person's revenue target for `period` and its parts (`PARTS`)."""
    target = m.person_targets([person.pk], period).get(person.pk, {}).get(METRIC)
    if target is None:
        return Breakdown(
            period.label,
            None,
            notes=[f"No revenue target is set for {person.name} in {period.label} yet."],
        )
    parts: dict[str, list[Part]] = {}
    notes: list[str] = []
    for kind in PARTS.get(period.kind, ()):
        children = period.children(kind)
        own = _targets(person, children) if kind is not Kind.WEEK else {}
        if len(own) == len(children):
            values, how = own, "the targets set for them"
        else:
            split = splits.split_by_working_days(target, children, within=period)
            values, how = split.values, "working days"
            if split.note:
                notes.append(split.note)
        notes.append(f"The {kind}s share the target by {how}.")
        parts[kind.value] = [
            Part(kind.value, c.label, *_clip(c, period), planned=values[c.label]) for c in children
        ]
    return Breakdown(period.label, target, parts, notes)


def _status(start: date, end: date, as_of: date) -> str:
    if as_of >= end:
        return "done"
    return "now" if as_of >= start else "to come"


def _expected(planned: Decimal, start: date, end: date, as_of: date, cal) -> Decimal:
    """The share of `planned` due by the end of `as_of`, by the span's working days."""
    if as_of >= end:
        return planned
    if as_of < start:
        return ZERO
    total = cal.working_days_between(start, end)
    if not total:
        return planned
    gone = cal.working_days_between(start, as_of)
    return f.money(planned * Decimal(gone) / Decimal(total))


@dataclass(frozen=True)
class AgainstActuals:
    """A plan's breakdown against what was sold as of a day, with the catch-up."""

    as_of: date
    quarter: Part | None
    parts: dict[str, list[Part]]
    required_weekly: Decimal | None  # to still reach the plan from the as-of day
    weeks_left: float
    notes: list[str]

    @property
    def behind(self) -> bool:
        return self.quarter is not None and (self.quarter.gap or ZERO) < 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "period": None if self.quarter is None else self.quarter.as_dict(),
            "parts": {kind: [p.as_dict() for p in ps] for kind, ps in self.parts.items()},
            "required_weekly": None if self.required_weekly is None else str(self.required_weekly),
            "weeks_left": round(self.weeks_left, 1),
            "notes": list(self.notes),
        }


def sold(person: Person, spans: list[tuple[date, date]], as_of: date) -> list[Decimal | None]:
    """Revenue won by the person in each span up to `as_of` (None: a span still to come),
    read from the scorecard's rollups. Spans must not overlap."""
    counted_spans = [(s, min(e, as_of)) for s, e in spans if s <= as_of]
    counted = iter(m.counts_by_span([person.pk], counted_spans))
    result: list[Decimal | None] = []
    for s, _ in spans:
        if s > as_of:
            result.append(None)
            continue
        counts = next(counted).get(person.pk) or m.Counts()
        result.append(m.metric_value(METRIC, counts))
    return result


def against_actuals(person: Person, period: Period, plan: Breakdown, as_of: date) -> AgainstActuals:
    """The plan's period and each of its parts against actuals as of a day: sold, due by
    now, the gap, and the weekly run rate needed from now on to reach the plan (in the
    person's own working days, as the scorecard counts them)."""
    cal = period.calendar
    if plan.target is None:
        return AgainstActuals(as_of, None, {}, None, 0.0, list(plan.notes))
    (total,) = sold(person, [(period.start, period.end)], as_of)
    whole = Part(
        period.kind.value,
        period.label,
        period.start,
        period.end,
        plan.target,
        actual=total,
        expected=_expected(plan.target, period.start, period.end, as_of, cal),
        status=_status(period.start, period.end, as_of),
    )
    parts: dict[str, list[Part]] = {}
    for kind, planned in plan.parts.items():
        actuals = sold(person, [(p.start, p.end) for p in planned], as_of)
        parts[kind] = [
            Part(
                p.kind,
                p.label,
                p.start,
                p.end,
                p.planned,
                actual=a,
                expected=_expected(p.planned, p.start, p.end, as_of, cal),
                status=_status(p.start, p.end, as_of),
            )
            for p, a in zip(planned, actuals, strict=True)
        ]
    own = m.person_paces([person.pk], period, as_of).period_of(person.pk)
    required = f.required_weekly(plan.target, total or ZERO, own, as_of)
    return AgainstActuals(as_of, whole, parts, required, f.weeks_left(own, as_of), list(plan.notes))


def catch_up_weeks(figures: AgainstActuals, period: Period) -> tuple[Decimal, list[dict[str, str]]]:
    """The shortfall as of the review, and the weeks left, each with its target: its
    plan plus its share of the shortfall by its working days left."""
    if figures.quarter is None or not figures.behind:
        return ZERO, []
    shortfall = -(figures.quarter.gap or ZERO)
    cal = period.calendar
    first = figures.as_of + timedelta(days=1)
    weeks = [w for w in figures.parts.get("week", []) if w.end >= first]
    if not weeks:
        return shortfall, []
    days = {w.label: cal.working_days_between(max(w.start, first), w.end) for w in weeks}
    share = splits.split_by_weights(shortfall, days).values
    rows = []
    for w in weeks:
        left = w.planned - (w.expected or ZERO) if w.start <= figures.as_of else w.planned
        rows.append(
            {
                "label": w.label,
                "start": max(w.start, first).isoformat(),
                "end": w.end.isoformat(),
                "target": str(f.money(left + share[w.label])),
            }
        )
    return shortfall, rows


@dataclass(frozen=True)
class ToClose:
    """The open pipeline expected to close in the rest of a plan's period, as the
    scorecard counts it (`scorecards.metrics.pipeline`: credited by split share), against
    what is still to win."""

    open_in_period: Decimal
    weighted: Decimal
    still_to_win: Decimal | None
    coverage: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "open_in_period": str(self.open_in_period),
            "weighted": str(self.weighted),
            "still_to_win": None if self.still_to_win is None else str(self.still_to_win),
            "coverage": None if self.coverage is None else round(self.coverage, 2),
        }


def to_close(person: Person, period: Period, target: Decimal | None, today: date) -> ToClose | None:
    """What the pipeline holds for the rest of `period` from `today`; None once it is over."""
    start = max(today, period.start)
    if start > period.end:
        return None
    pipe = m.pipeline([person.pk], (start, period.end)).get(person.pk) or m.Pipeline()
    (won,) = sold(person, [(period.start, period.end)], today)
    won = won or ZERO
    left = None if target is None else max(target - won, ZERO)
    return ToClose(
        pipe.in_window, pipe.weighted_in_window, left, f.coverage(pipe.in_window, target, won)
    )
