"""Writes for targets and goals. Each is atomic, checks who may do it, and is audited.

Who may set what (SPEC "Who uses it"), through `org.scoping`:
- a person's target: admins, and managers above the person (never the person themself);
- a team's target: admins, and managers of the team or a team above it;
- goals: the same people; a rep may also *propose* a goal for themself (saved as draft).
Executives read everything and set nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.goals import actuals
from accountable.goals.errors import GoalsError, NotAllowed, SmartFailed
from accountable.goals.funnel import adjust
from accountable.goals.models import Goal, GoalKind, GoalSettings, GoalStatus
from accountable.goals.owners import (
    Owner,
    calendar,
    can_propose_goal,
    can_set_target,
    known_metric,
    owner_people,
    period_parse,
)
from accountable.goals.selectors import funnel_plan_for, smart_context_for
from accountable.goals.smart import GoalDraft, GoalInput, LetterResult, smart_check
from accountable.goals.splits import (
    SplitError,
    allocate,
    prorate,
    ramp_factor,
    split_by_seasonality,
    split_by_weights,
    split_by_working_days,
    split_evenly,
)
from accountable.goals.suggest import places_for
from accountable.org.calendar import Kind, Period, PeriodError
from accountable.org.models import Person, PersonChange, Role, Team
from accountable.targets.catalogue import Unit
from accountable.targets.models import Target

TARGET_FIELDS = ["value"]
GOAL_FIELDS = [
    "kind",
    "title",
    "done_on",
    "metric",
    "target_value",
    "baseline",
    "period",
    "deadline",
    "priority",
    "objective",
    "status",
    "smart_override",
    "override_reason",
]
DEAL_TYPES = ("", "new_business", "renewal", "expansion")


# ---- who may -------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


# ---- small readers used by the services ----------------------------------------------


# Targets and goals are kept with 16 digits, 2 of them cents.
VALUE_LIMIT = Decimal(10) ** 14


def _value(value: Any, what: str = "The target") -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise GoalsError(f'{what} must be a number, not "{value}".') from None
    if not number.is_finite():
        raise GoalsError(f'{what} must be a number, not "{value}".')
    if number < 0:
        raise GoalsError(f"{what} can't be negative: {value}.")
    if number >= VALUE_LIMIT:
        raise GoalsError(f"{what} must be less than {VALUE_LIMIT:,}: {value} is too large.")
    return number.quantize(Decimal("0.01"))


def _deal_type(value: str) -> str:
    value = (value or "").strip()
    if value not in DEAL_TYPES:
        raise GoalsError(
            f'Deal type is new_business, renewal or expansion (or blank), not "{value}".'
        )
    return value


def ramp_get() -> list[float]:
    settings = GoalSettings.objects.order_by("pk").first()
    return list(settings.ramp) if settings else [0.25, 0.5, 0.75]


@transaction.atomic
def ramp_set(*, actor: Person, ramp: list[float]) -> GoalSettings:
    """The organisation's new-hire ramp (admins only): fractions of quota by month of tenure."""
    _require(actor.role == Role.ADMIN, "Only admins change the new-hire ramp.")
    if any(not 0 <= float(step) <= 1 for step in ramp):
        raise GoalsError("Each ramp step is a fraction of full quota, from 0 to 1.")
    settings = GoalSettings.objects.order_by("pk").first() or GoalSettings.objects.create()
    before = snapshot(settings, ["ramp"])
    settings.ramp = [float(step) for step in ramp]
    settings.save()
    audit_record(
        actor=actor, action="goals.ramp", obj=settings, before=before, after={"ramp": settings.ramp}
    )
    return settings


# ---- targets -------------------------------------------------------------------------


def _owner_filter(owner: Owner) -> dict[str, Any]:
    return {"team": owner} if isinstance(owner, Team) else {"person": owner}


@transaction.atomic
def target_set(
    *,
    actor: Person,
    owner: Owner,
    metric: str,
    period_label: str,
    value: Any,
    product_line: str = "",
    deal_type: str = "",
) -> Target:
    """Set (create or change) one target: a quota for a person or team on a metric and period.

    The metric must be in the catalogue, the period a label of the organisation's
    calendar, the value 0 or more (whole for counts). Audited with before and after.
    """
    _require(
        can_set_target(actor, owner),
        f"You may not set targets for {owner}: managers set them for the people and "
        "teams they manage, admins for everyone.",
    )
    known = known_metric(metric)
    period = period_parse(period_label)
    number = _value(value)
    if known.unit == Unit.COUNT and number != number.to_integral_value():
        raise GoalsError(f"{known.label} is counted in whole numbers, not {value}.")
    product_line = " ".join((product_line or "").split())
    deal_type = _deal_type(deal_type)
    target, created = Target.objects.select_for_update().get_or_create(
        **_owner_filter(owner),
        metric=known.key,
        period=period.label,
        product_line=product_line,
        deal_type=deal_type,
        defaults={"period_start": period.start, "period_end": period.end, "value": number},
    )
    before = {} if created else snapshot(target, TARGET_FIELDS)
    if not created:
        target.value = number
        target.updated_at = timezone.now()
        target.save(update_fields=["value", "updated_at"])
    audit_record(
        actor=actor,
        action="target.create" if created else "target.update",
        obj=target,
        before=before,
        after=snapshot(target, TARGET_FIELDS),
    )
    return target


@dataclass(frozen=True)
class SplitResult:
    """The child targets written by a split, and the method the split actually used."""

    parent: Target
    targets: list[Target]
    method: str
    note: str


@transaction.atomic
def target_split(
    *,
    actor: Person,
    owner: Owner,
    metric: str,
    year_label: str,
    method: str = "even",
    into: str = "quarter",
    product_line: str = "",
    deal_type: str = "",
) -> SplitResult:
    """Split the owner's target for a year (or any period) into quarters, months or weeks.

    Methods: `even`, `working_days` (selling days), `seasonality` (in proportion to
    what the owner sold in the same periods last year, from `goals.actuals`). The parts
    add up to the whole to the cent; each is written with `target_set` (audited).
    """
    _require(can_set_target(actor, owner), f"You may not set targets for {owner}.")
    known = known_metric(metric)
    period = period_parse(year_label)
    parent = Target.objects.filter(
        **_owner_filter(owner),
        metric=known.key,
        period=period.label,
        product_line=product_line,
        deal_type=deal_type,
    ).first()
    if parent is None:
        raise GoalsError(
            f"{owner} has no {known.label} target for {period.label} to split; set one first."
        )
    try:
        children = period.children(into)
    except PeriodError as error:
        raise GoalsError(str(error)) from error
    places = places_for(known.key)
    within = period if Kind(str(into)) == Kind.WEEK else None
    try:
        if method == "even":
            split = split_evenly(parent.value, children, places)
        elif method == "working_days":
            split = split_by_working_days(parent.value, children, places, within=within)
        elif method == "seasonality" and actuals.is_ratio(known.key):
            raise GoalsError(
                f"{known.label} is a rate: its parts are not shares of it, so it has no "
                "seasons to split by. Split it evenly or set each part."
            )
        elif method == "seasonality":
            last_year = [p.same_period_last_year() for p in children]
            ids = [p.pk for p in owner_people(owner)]
            if not actuals.is_computed(known.key):
                raise GoalsError(
                    f"{known.label} is not computed from the data, so it has no seasons."
                )
            history = actuals.by_period(
                known.key, ids, last_year, product_line=product_line, deal_type=deal_type
            )
            split = split_by_seasonality(parent.value, children, history, places, within=within)
        else:
            raise GoalsError(f'Split by "even", "working_days" or "seasonality", not "{method}".')
    except SplitError as error:
        raise GoalsError(str(error)) from error
    targets = [
        target_set(
            actor=actor,
            owner=owner,
            metric=known.key,
            period_label=label,
            value=value,
            product_line=product_line,
            deal_type=deal_type,
        )
        for label, value in split.values.items()
    ]
    return SplitResult(parent=parent, targets=targets, method=split.method, note=split.note)


@dataclass(frozen=True)
class AllocationResult:
    """The people's targets written from a team target, and how they compare with it."""

    team_target: Target
    targets: list[Target]
    method: str
    note: str
    adjustments: dict[str, str]  # person name -> why their share was reduced (ramp, joined…)


def _active_span(person: Person, team: Team, period: Period) -> tuple[date | None, date | None]:
    """When in the period the person carried quota on this team: joined, moved in, left."""
    first = person.start_date if person.start_date and person.start_date > period.start else None
    moved = (
        PersonChange.objects.filter(
            person=person,
            to_team__in=Team.objects.subtree_of([team]),
            effective_on__gt=period.start,
            effective_on__lte=period.end,
        )
        .order_by("-effective_on")
        .first()
    )
    if moved and (first is None or moved.effective_on > first):
        first = moved.effective_on
    last = person.left_on if person.left_on and person.left_on < period.end else None
    return first, last


@transaction.atomic
def target_allocate(
    *,
    actor: Person,
    team: Team,
    metric: str,
    period_label: str,
    method: str = "even",
    manual: dict[int, Any] | None = None,
    product_line: str = "",
    deal_type: str = "",
) -> AllocationResult:
    """Share a team's target among its active reps and write one target per person.

    `even`, `share` (last year's share of the same period) or `manual` ({person id:
    amount}). New hires carry the organisation's ramp (`GoalSettings.ramp`) and people
    who join, move in or leave mid-period a prorated part (by working days), so the
    people may then add up to less than the team: the allocation status says by how much.
    """
    _require(can_set_target(actor, team), f"You may not allocate {team}'s targets.")
    known = known_metric(metric)
    period = period_parse(period_label)
    team_target = Target.objects.filter(
        team=team,
        metric=known.key,
        period=period.label,
        product_line=product_line,
        deal_type=deal_type,
    ).first()
    if team_target is None:
        raise GoalsError(
            f"{team} has no {known.label} target for {period.label} to allocate; set one first."
        )
    people = owner_people(team)
    if not people:
        raise GoalsError(f"{team} has no active reps to allocate the target to.")
    keys = {str(p.pk): p for p in people}
    places = places_for(known.key)
    try:
        if method == "share" and actuals.is_ratio(known.key):
            raise GoalsError(
                f"{known.label} is a rate: it is not shared out by last year's shares. "
                "Allocate it evenly (each rep the same rate) or set each rep's by hand."
            )
        if method == "share":
            last = period.same_period_last_year()
            shares = (
                actuals.per_person_totals(
                    known.key,
                    [p.pk for p in people],
                    last.start,
                    last.end,
                    product_line=product_line,
                    deal_type=deal_type,
                )
                if actuals.is_computed(known.key)
                else {}
            )
            result = allocate(
                team_target.value,
                list(keys),
                "share",
                shares={str(k): v for k, v in shares.items()},
                places=places,
            )
        elif method == "manual":
            unknown = [k for k in (manual or {}) if str(k) not in keys]
            if unknown:
                raise GoalsError("Manual amounts can only be given for the team's active reps.")
            result = allocate(
                team_target.value,
                list(keys),
                "manual",
                manual={str(k): _value(v, "An amount") for k, v in (manual or {}).items()},
                places=places,
            )
        elif method == "even":
            result = allocate(team_target.value, list(keys), "even", places=places)
        else:
            raise GoalsError(f'Allocate by "even", "share" or "manual", not "{method}".')
    except SplitError as error:
        raise GoalsError(str(error)) from error
    ramp = ramp_get()
    targets, adjustments = [], {}
    for key, value in result.values.items():
        person = keys[key]
        amount = value
        why = []
        if method != "manual":
            if person.start_date:
                factor = ramp_factor(person.start_date, period, ramp)
                if factor < 1:
                    amount = amount * factor
                    why.append(f"ramping ({factor:.0%} of full quota)")
            first, last = _active_span(person, team, period)
            if first or last:
                amount = prorate(amount, period, first, last, places=2)
                if first:
                    why.append(f"on the team from {first:%-d %b}")
                if last:
                    why.append(f"left on {last:%-d %b}")
        amount = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
        if why:
            adjustments[person.name] = ", ".join(why)
        targets.append(
            target_set(
                actor=actor,
                owner=person,
                metric=known.key,
                period_label=period.label,
                value=amount,
                product_line=product_line,
                deal_type=deal_type,
            )
        )
    return AllocationResult(team_target, targets, result.method, result.note, adjustments)


@transaction.atomic
def target_set_many(
    *, actor: Person, owner: Owner, metric: str, values: dict[str, Any], **narrow: str
) -> list[Target]:
    """Several periods' targets for one owner at once (a row of the grid); blanks are skipped."""
    return [
        target_set(
            actor=actor, owner=owner, metric=metric, period_label=label, value=value, **narrow
        )
        for label, value in values.items()
        if str(value).strip() != ""
    ]


# ---- goals ---------------------------------------------------------------------------


def milestone_check(goal: GoalInput, today: date) -> list:
    """SMART for a milestone: a named outcome, done or not, by a deadline that is to come."""
    title = " ".join((goal.title or "").split())
    serves = (goal.objective.title if goal.objective else "") or goal.priority.strip()
    deadline = goal.deadline
    return [
        LetterResult(
            "S",
            bool(title),
            f"Specific: {title}."
            if title
            else "Specific: say what will be done, e.g. complete the enterprise certification.",
        ),
        LetterResult(
            "M", True, "Measurable: a milestone is done or not; its owner's manager marks it done."
        ),
        LetterResult(
            "A",
            True,
            "Achievable: agree it with the person; "
            "there is no history to compare a milestone with.",
        ),
        LetterResult(
            "R",
            bool(serves),
            f'Relevant: it supports "{serves}".'
            if serves
            else "Relevant: link it to a company objective or priority, "
            "so everyone can see why it matters.",
        ),
        LetterResult(
            "T",
            deadline is not None and deadline >= today,
            "Time-bound: a milestone needs a deadline date."
            if deadline is None
            else f"Time-bound: the deadline, {deadline:%-d %B %Y}, has passed."
            if deadline < today
            else f"Time-bound: due by {deadline:%-d %B %Y}.",
        ),
    ]


def smart_results(goal: GoalInput) -> list:
    """The five SMART letters for a goal as entered, with the owner's history looked up."""
    if goal.kind == GoalKind.MILESTONE:
        return milestone_check(goal, timezone.localdate())

    def number(value):
        try:
            return _value(value) if value not in (None, "") else None
        except GoalsError:
            return None

    draft = GoalDraft(
        owner=str(goal.owner),
        metric=goal.metric or None,
        target=number(goal.target_value),
        baseline=number(goal.baseline),
        period=goal.period or None,
        deadline=goal.deadline,
        objective=(goal.objective.title if goal.objective else "") or goal.priority or None,
    )
    results = smart_check(draft, smart_context_for(goal))
    if goal.period:
        # smart.py judges the label's shape; the calendar knows "2026-Q9" is no quarter.
        try:
            calendar().parse(goal.period)
        except PeriodError as error:
            results[4] = LetterResult("T", False, f"Time-bound: {error}")
    return results


def _check_smart(goal: GoalInput) -> list:
    results = smart_results(goal)
    failing = [r for r in results if not r.ok]
    if failing and not goal.override:
        letters = ", ".join(r.letter for r in failing)
        raise SmartFailed(
            f"The goal fails the SMART check ({letters}). Fix it, or save it anyway with a reason.",
            results,
        )
    if failing and not goal.override_reason.strip():
        raise SmartFailed("Say why the goal is saved although it fails the SMART check.", results)
    return results


def _apply(goal: Goal, data: GoalInput, results: list) -> None:
    if data.kind not in GoalKind.values:
        raise GoalsError(f'A goal is a metric goal or a milestone, not "{data.kind}".')
    goal.kind = data.kind
    if data.kind == GoalKind.MILESTONE:
        goal.title = " ".join((data.title or "").split())
        if not goal.title or data.deadline is None:
            raise GoalsError("A milestone needs a title and a deadline.")
        goal.metric, goal.target_value = "", Decimal(0)
    else:
        goal.title = ""
        goal.metric = known_metric(data.metric).key
        goal.target_value = _value(data.target_value)
    goal.baseline = (
        _value(data.baseline, "The baseline") if data.baseline not in (None, "") else None
    )
    if data.period:
        period = period_parse(data.period)
        goal.period, goal.period_start, goal.period_end = period.label, period.start, period.end
    else:
        goal.period, goal.period_start, goal.period_end = "", None, None
    goal.deadline = data.deadline
    goal.priority = data.priority.strip()
    goal.objective = data.objective
    failing = any(not r.ok for r in results)
    goal.smart_override = failing
    goal.override_reason = data.override_reason.strip() if failing else ""
    goal.updated_at = timezone.now()


@transaction.atomic
def goal_create(*, actor: Person, data: GoalInput) -> Goal:
    """Create a SMART goal. A failing check needs an explicit override with a reason (audited).

    Managers and admins create active goals; a rep proposing one for themself gets a draft.
    """
    _require(
        can_propose_goal(actor, data.owner),
        f"You may not set goals for {data.owner}: managers set them for their people.",
    )
    results = _check_smart(data)
    goal = Goal(created_by=actor, **_owner_filter(data.owner))
    _apply(goal, data, results)
    goal.status = GoalStatus.ACTIVE if can_set_target(actor, data.owner) else GoalStatus.DRAFT
    goal.save()
    audit_record(actor=actor, action="goal.create", obj=goal, after=snapshot(goal, GOAL_FIELDS))
    return goal


def can_edit_goal(actor: Person, goal: Goal) -> bool:
    """The owner's manager or an admin; a rep only their own draft."""
    if can_set_target(actor, goal.owner):
        return True
    return actor.pk == goal.person_id and goal.status == GoalStatus.DRAFT


@transaction.atomic
def goal_update(*, actor: Person, goal: Goal, data: GoalInput, status: str | None = None) -> Goal:
    """Change a goal, with the SMART check run again; a rep may only edit their own draft."""
    owner = goal.owner
    _require(
        can_edit_goal(actor, goal), "Only the goal owner's manager or an admin changes this goal."
    )
    data.owner = owner
    results = _check_smart(data)
    before = snapshot(goal, GOAL_FIELDS)
    _apply(goal, data, results)
    if status:
        if status not in GoalStatus.values:
            raise GoalsError(f'A goal is draft, active, done or dropped, not "{status}".')
        _require(
            can_set_target(actor, owner) or status == GoalStatus.DRAFT,
            "Your manager approves goals.",
        )
        goal.status = status
    goal.save()
    audit_record(
        actor=actor,
        action="goal.update",
        obj=goal,
        before=before,
        after=snapshot(goal, GOAL_FIELDS),
    )
    return goal


@transaction.atomic
def goal_mark_done(*, actor: Person, goal: Goal, done: bool) -> Goal:
    """Mark a milestone done (today) or not done; by the owner's manager or an admin."""
    _require(can_set_target(actor, goal.owner), "The owner's manager marks a milestone done.")
    if goal.kind != GoalKind.MILESTONE:
        raise GoalsError("Only a milestone is marked done; a metric goal's progress is counted.")
    before = snapshot(goal, GOAL_FIELDS)
    goal.done_on = timezone.localdate() if done else None
    goal.status = GoalStatus.DONE if done else GoalStatus.ACTIVE
    goal.updated_at = timezone.now()
    goal.save()
    audit_record(
        actor=actor,
        action="goal.done" if done else "goal.undone",
        obj=goal,
        before=before,
        after=snapshot(goal, GOAL_FIELDS),
    )
    return goal


# ---- accountability measures -----------------------------------------------------------

ACTIVITY_METRICS = {"opportunities": "opportunities_created", "meetings": "first_meetings"}


@transaction.atomic
def activity_targets_save(
    *, actor: Person, goal: Goal, overrides: dict[str, int] | None = None
) -> list[Target]:
    """Save the goal's worked-back funnel (with the manager's adjustments) as the person's
    activity targets for the goal's period: opportunities created, meetings, calls, e-mails."""
    if goal.person is None or not goal.period:
        raise GoalsError("Activity targets are worked out for a person's goal with a period.")
    _require(
        can_set_target(actor, goal.person), "Only their manager or an admin sets activity targets."
    )
    measures = funnel_plan_for(goal)
    plan = adjust(measures.plan, overrides) if overrides else measures.plan
    saved = []
    for stage, metric in ACTIVITY_METRICS.items():
        total = plan.stage(stage).total
        if total is not None:
            saved.append(
                target_set(
                    actor=actor,
                    owner=goal.person,
                    metric=metric,
                    period_label=measures.period or goal.period,
                    value=total,
                )
            )
    touches = plan.stage("touches").total
    if touches is not None:
        mix = {"calls": measures.calls or 0, "emails": measures.emails or 0}
        split = split_by_weights(touches, mix, places=0)
        for metric, value in split.values.items():
            saved.append(
                target_set(
                    actor=actor,
                    owner=goal.person,
                    metric=metric,
                    period_label=measures.period or goal.period,
                    value=value,
                )
            )
    return saved
