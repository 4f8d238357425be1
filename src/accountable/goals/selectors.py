"""Reads of targets and goals, always scoped to the viewer through `org.scoping`.

A rep sees their own targets and goals; a manager those of the people and teams
below them; executives and admins everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accountable.goals import actuals
from accountable.goals.funnel import (
    RATES,
    FunnelPlan,
    Timing,
    choose_rates,
    plain_number,
    rates_from_counts,
    timing,
    work_back,
)
from accountable.goals.models import Goal
from accountable.goals.owners import calendar, can_set_target, owner_people
from accountable.goals.smart import Best, GoalInput, SmartContext
from accountable.goals.suggest import target_suggest
from accountable.org.calendar import Kind, Period, PeriodError
from accountable.org.models import Person, Role, Team
from accountable.org.scoping import (
    SEES_EVERYONE,
    managed_subtree,
    visible_people,
    visible_teams,
)
from accountable.scorecards import formulas as f
from accountable.scorecards import metrics as board
from accountable.targets.catalogue import Unit, metric_get
from accountable.targets.models import Target

ZERO = Decimal(0)


def targets_visible_to(viewer: Person) -> QuerySet[Target]:
    if not viewer.is_authenticated:
        return Target.objects.none()
    if viewer.role in SEES_EVERYONE:
        return Target.objects.all()
    return Target.objects.filter(
        Q(person__in=visible_people(viewer)) | Q(team__in=visible_teams(viewer))
    )


def goals_visible_to(viewer: Person) -> QuerySet[Goal]:
    if not viewer.is_authenticated:
        return Goal.objects.none()
    if viewer.role in SEES_EVERYONE:
        return Goal.objects.all()
    return Goal.objects.filter(
        Q(person__in=visible_people(viewer)) | Q(team__in=visible_teams(viewer))
    )


def target_list(
    viewer: Person, *, period: str = "", metric: str = "", owner: str = ""
) -> QuerySet[Target]:
    """The viewer's targets, filtered; `owner` is a person's e-mail or a team's name."""
    targets = targets_visible_to(viewer).select_related("person", "team")
    if period:
        targets = targets.filter(period=period)
    if metric:
        targets = targets.filter(metric=metric)
    if owner:
        targets = targets.filter(Q(person__email__iexact=owner) | Q(team__name__iexact=owner))
    return targets.order_by("period_start", "metric", "team__name", "person__name")


# ---- allocation status -----------------------------------------------------------------


@dataclass(frozen=True)
class AllocationStatus:
    """A team target against the sum of its people's targets for the same metric and period."""

    team_value: Decimal | None
    allocated: Decimal
    difference: Decimal | None
    status: str  # exact, over, under, unset

    @property
    def words(self) -> str:
        if self.status == "unset":
            return "no team target"
        if self.status == "exact":
            return "exactly allocated"
        return f"{self.status} by {self.difference.copy_abs():,.2f}".replace(".00", "")


def allocation_status(
    team: Team, metric: str, period: str, product_line: str = "", deal_type: str = ""
) -> AllocationStatus:
    """Over- or under-allocation of a team target: two queries."""
    narrow = {
        "metric": metric,
        "period": period,
        "product_line": product_line,
        "deal_type": deal_type,
    }
    team_value = Target.objects.filter(team=team, **narrow).values_list("value", flat=True).first()
    people = Person.objects.filter(team__in=Team.objects.subtree_of([team]), role=Role.REP)
    allocated = (
        Target.objects.filter(person__in=people, **narrow).aggregate(s=Sum("value"))["s"] or ZERO
    )
    if team_value is None:
        return AllocationStatus(None, allocated, None, "unset")
    difference = allocated - team_value
    status = "exact" if difference == 0 else "over" if difference > 0 else "under"
    return AllocationStatus(team_value, allocated, difference, status)


# ---- the targets grid -------------------------------------------------------------------


@dataclass
class GridRow:
    owner: Person | Team
    kind: str  # person | team
    total: Decimal | None
    cells: list[tuple[str, Decimal | None]]
    editable: bool
    suggestion: Decimal | None = None
    suggestion_note: str = ""
    status: AllocationStatus | None = None

    @property
    def form_id(self) -> str:
        return f"row-{self.kind}-{self.owner.pk}"


@dataclass
class TargetGrid:
    period: Period
    metric: str
    team: Team | None
    columns: list[Period]
    rows: list[GridRow] = field(default_factory=list)
    can_edit_team: bool = False


def columns_for(period: Period) -> list[Period]:
    if period.kind == Kind.YEAR:
        return period.children("quarter")
    if period.kind == Kind.QUARTER:
        return period.children("month")
    return []


def editable_people_ids(viewer: Person, people: list[Person]) -> set[int]:
    """Which of `people` the viewer may set targets for, in one query rather than one
    manager-chain walk per row. The same rule as `services.can_set_target` (admins; a
    manager for anyone in a team at or below one they manage, never themself) — a test
    holds the two to agreement for every named person."""
    if not viewer.is_authenticated or not viewer.is_active:
        return set()
    if viewer.role == Role.ADMIN:
        return {p.pk for p in people}
    if viewer.role != Role.MANAGER:
        return set()
    teams = set(managed_subtree(viewer).values_list("pk", flat=True))
    return {p.pk for p in people if p.team_id in teams and p.pk != viewer.pk}


def target_grid(viewer: Person, *, period: Period, metric: str, team: Team | None) -> TargetGrid:
    """Rows of people (with the team on top) and columns of the period's parts.

    One query for every target in the grid; suggestions cost one query per person.
    """
    grid = TargetGrid(period=period, metric=metric, team=team, columns=columns_for(period))
    if team is not None:
        people = list(
            visible_people(viewer)
            .filter(team__in=Team.objects.subtree_of([team]), role=Role.REP)
            .filter(is_active=True)
            .order_by("name")
        )
    else:
        people = list(visible_people(viewer).filter(pk=viewer.pk))
    labels = [period.label, *(c.label for c in grid.columns)]
    rows = Target.objects.filter(metric=metric, period__in=labels, product_line="", deal_type="")
    rows = rows.filter(Q(person__in=people) | Q(team=team) if team else Q(person__in=people))
    values: dict[tuple[str, int, str], Decimal] = {}
    for t in rows:
        kind = "team" if t.team_id else "person"
        values[(kind, t.team_id or t.person_id, t.period)] = t.value

    editable = editable_people_ids(viewer, people)

    def row(owner, kind: str) -> GridRow:
        return GridRow(
            owner=owner,
            kind=kind,
            total=values.get((kind, owner.pk, period.label)),
            cells=[(c.label, values.get((kind, owner.pk, c.label))) for c in grid.columns],
            editable=can_set_target(viewer, owner) if kind == "team" else owner.pk in editable,
        )

    if team is not None:
        top = row(team, "team")
        top.status = allocation_status(team, metric, period.label)
        grid.can_edit_team = top.editable
        grid.rows.append(top)
    for person in people:
        person_row = row(person, "person")
        if person_row.editable:
            person_row.suggestion, person_row.suggestion_note = target_suggest(
                person, metric, period
            )
        grid.rows.append(person_row)
    return grid


# ---- goals ---------------------------------------------------------------------------------


def goal_list(viewer: Person, *, person: Person | None = None) -> QuerySet[Goal]:
    goals = goals_visible_to(viewer).select_related("person", "team", "created_by")
    if person is not None:
        goals = goals.filter(person=person)
    return goals


def goal_get(viewer: Person, pk: int) -> Goal:
    try:
        return goals_visible_to(viewer).select_related("person", "team").get(pk=pk)
    except Goal.DoesNotExist:
        raise Http404("No such goal") from None


def person_get(viewer: Person, pk: int) -> Person:
    try:
        return visible_people(viewer).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


@dataclass(frozen=True)
class Progress:
    """A goal's figure so far against its target. `percent` is attainment as the board
    reads it (`formulas.attainment`: for a lower-is-better metric, target ÷ actual);
    `expected_percent` the board's pace for the same target (`metrics.metric_pace`).
    `note` says why there is no figure (too little data)."""

    actual: Decimal | None
    target: Decimal
    percent: int | None
    expected_percent: int | None
    unit: str = Unit.COUNT
    higher_is_better: bool = True
    note: str = ""

    @property
    def attainment(self) -> float | None:
        """Attainment as the board's bar takes it (1.0 = the target)."""
        return None if self.percent is None else self.percent / 100

    @property
    def pace(self) -> float | None:
        return None if self.expected_percent is None else self.expected_percent / 100

    @property
    def actual_text(self) -> str:
        return shown(self.actual, self.unit)

    @property
    def target_text(self) -> str:
        return shown(self.target, self.unit)


def shown(value: Decimal | None, unit: str) -> str:
    """A figure in its unit's words for a page: 42.5 %, 38 days, 1,200 (money is left to
    the page's currency filter)."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{plain_number(value, 1).removesuffix('.0')} %"
    if unit == Unit.DAYS:
        days = plain_number(value, 1).removesuffix(".0")
        return f"{days} day" if days == "1" else f"{days} days"
    return plain_number(value)


def goal_progress(goal: Goal, today: date | None = None) -> Progress:
    """The goal's figure to date against its target for its period (`goals.actuals`), with
    the attainment and pace the board would show for the same target."""
    today = today or timezone.localdate()
    if not actuals.is_computed(goal.metric) or goal.period_start is None:
        return Progress(None, goal.target_value, None, None)
    meta = metric_get(goal.metric)
    period = calendar().parse(goal.period)
    ids = [p.pk for p in owner_people(goal.owner)]
    end = min(goal.period_end, today)
    found = actuals.figure(goal.metric, ids, goal.period_start, end, period=period)
    reached = (
        f.attainment(found.value, goal.target_value, meta.higher_is_better)
        if found.value is not None
        else None
    )
    owner = ("person_id", goal.person_id) if goal.person_id else ("team_id", goal.team_id)
    pace = board.metric_pace(goal.metric, *owner, period, today)
    return Progress(
        found.value,
        goal.target_value,
        None if reached is None else int(reached * 100),
        round(pace * 100),
        meta.unit,
        meta.higher_is_better,
        found.why,
    )


def _history_periods(label: str, today: date) -> list[Period]:
    """The four periods of the goal's kind before the goal's period (or before today)."""
    cal = calendar()
    try:
        period = cal.parse(label) if label else cal.period("quarter", today)
    except PeriodError:
        period = cal.period("quarter", today)
    return [period.shift(-n) for n in range(4, 0, -1)]


def smart_context_for(goal: GoalInput, today: date | None = None) -> SmartContext:
    """What the SMART check compares the goal with: the owner's best period of the same kind,
    the best any team member had, and the team median."""
    today = today or timezone.localdate()
    start = end = None
    if goal.period:
        try:
            period = calendar().parse(goal.period)
            start, end = period.start, period.end
        except PeriodError:
            pass
    person_best = team_best = median = None
    if goal.metric and actuals.is_computed(goal.metric):
        owner = goal.owner
        team = owner.team if isinstance(owner, Person) else owner
        team_ids = [p.pk for p in owner_people(team)] if team else []
        person_id = owner.pk if isinstance(owner, Person) else None
        history = actuals.history(
            goal.metric,
            person_id,
            team_ids,
            _history_periods(goal.period, today),
            metric_get(goal.metric).higher_is_better,
        )
        if history.person_best:
            person_best = Best(*history.person_best)
        if history.team_best:
            team_best = Best(*history.team_best)
        median = history.team_median
    return SmartContext(
        today=today,
        person_best=person_best,
        team_best=team_best,
        team_median=median,
        period_start=start,
        period_end=end,
    )


# ---- accountability measures -----------------------------------------------------------


@dataclass(frozen=True)
class Measures:
    """A goal's worked-back funnel, with the history its rates came from.

    `period` is the period the plan is for: the goal's, or — when it is already too late
    for new prospecting to win it (`timing`) — the first one a first meeting held today
    can still close in, for `target` (that period's own target, else the goal's again,
    as `target_note` says)."""

    goal: Goal
    plan: FunnelPlan
    sources: dict[str, str]
    calls: int
    emails: int
    weeks: Decimal
    timing: Timing | None = None
    period: str = ""
    target: Decimal | None = None
    target_note: str = ""

    @property
    def rows(self) -> list[tuple]:
        """Each stage with whose rate led into it: "own", "team" or "thin" (too little)."""
        words = {"person": "own", "team": "team", "thin": "thin"}
        return [
            (stage, words.get(self.sources.get(rate, "team"), "team"))
            for stage, rate in zip(self.plan.stages, RATES, strict=True)
        ]


def _working_weeks(cal, first: date, last: date) -> Decimal:
    """Working weeks from `first` to `last` inclusive, at least one."""
    days = cal.working_days_between(first, last) if first <= last else 0
    return max(Decimal(days) / len(cal.working_days), Decimal(1))


def funnel_plan_for(goal: Goal, today: date | None = None) -> Measures:
    """The activity a revenue or deals goal takes from today, worked back (`funnel`) from
    what is still to go through the person's rates of the last four quarters (the team's
    where theirs are too thin; neither: the plan says so). The person's median sales
    cycle says by when a first meeting must be held to close in the period; when that
    is already past, the plan is for the first period a first meeting held today can
    still close in."""
    today = today or timezone.localdate()
    cal = calendar()
    period = cal.parse(goal.period)
    this_quarter = cal.period("quarter", min(today, period.start))
    start, end = this_quarter.shift(-4).start, this_quarter.shift(-1).end
    person = goal.person
    mine = actuals.funnel_counts([person.pk], start, end)
    team_people = owner_people(person.team) if person.team_id else [person]
    team = actuals.funnel_counts([p.pk for p in team_people], start, end)

    def rates(c):
        return rates_from_counts(
            c["won_amount"],
            c["won"],
            c["lost"],
            c["opportunities"],
            c["first_meetings"],
            c["calls"] + c["emails"],
        )

    chosen, sources = choose_rates(rates(mine), rates(team))
    metric = "deals_won" if goal.metric == "deals_won" else "revenue"
    cycles = board.cycle_days([person.pk], start, end).get(person.pk, [])
    first = max(today, period.start)
    when = timing(
        first,
        period.label,
        period.end,
        f.median(cycles),
        len(cycles),
        who=f"{person.first_name}'s",
    )
    target, note, plan_period = goal.target_value, "", period
    if first > period.end:  # the period is over: nothing can be planned for it any more
        when = None
    if when is not None and when.too_late:
        # The first period a first meeting held today can still close in.
        plan_period = period.shift(1)
        while plan_period.end < when.close_on:
            plan_period = plan_period.shift(1)
        own = (
            Target.objects.filter(
                person=person, metric=goal.metric, period=plan_period.label, product_line=""
            )
            .filter(deal_type="")
            .values_list("value", flat=True)
            .first()
        )
        target = own if own is not None else goal.target_value
        note = "its own target" if own is not None else f"the same target as {period.label}"
        weeks = _working_weeks(cal, plan_period.start, plan_period.end)
        close_by = plan_period.end - timedelta(days=int(when.cycle_days))
        prospecting = _working_weeks(cal, first, close_by)
        plan = work_back(
            target,
            chosen,
            float(weeks),
            {},
            metric=metric,
            sources=sources,
            prospecting_weeks=float(prospecting),
        )
    else:
        weeks = _working_weeks(cal, first, period.end)
        prospecting = (
            _working_weeks(cal, first, when.last_first_meeting)
            if when is not None and when.last_first_meeting is not None
            else None
        )
        done = actuals.funnel_counts([person.pk], period.start, min(today, period.end))
        already = {
            "deals": done["won"],
            "opportunities": done["opportunities"],
            "meetings": done["first_meetings"],
            "touches": done["calls"] + done["emails"],
        }
        won = done["won_amount"] if metric == "revenue" else Decimal(done["won"])
        plan = work_back(
            target,
            chosen,
            float(weeks),
            already,
            metric=metric,
            sources=sources,
            won=won,
            prospecting_weeks=None if prospecting is None else float(prospecting),
        )
    return Measures(
        goal,
        plan,
        sources,
        mine["calls"],
        mine["emails"],
        weeks.quantize(Decimal("0.1")),
        when,
        plan_period.label,
        target,
        note,
    )


ACTIVITY_TARGET_METRICS = ("opportunities_created", "first_meetings", "calls", "emails")


def activity_targets_for(goal: Goal) -> list[Target]:
    """The activity targets already set for the goal's person and period (saved measures)."""
    if goal.person_id is None or not goal.period:
        return []
    targets = Target.objects.filter(
        person_id=goal.person_id,
        period=goal.period,
        metric__in=ACTIVITY_TARGET_METRICS,
        product_line="",
        deal_type="",
    )
    order = {m: i for i, m in enumerate(ACTIVITY_TARGET_METRICS)}
    return sorted(targets, key=lambda t: order[t.metric])
