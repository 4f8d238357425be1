"""The accountability loop in the demo: forecast calls, commitments and check-ins, with
their history (SPEC §6).

Once the sales data is in, every rep gets

- **forecast calls**: a commit and a best case for the quarter, every week of every
  quarter the data covers (and of this one so far), drawn from what the quarter
  actually brought them, so accuracy can be read off the completed quarters. The
  commit always includes what was won by the day of the call, as the product
  requires (`forecasts.services.forecast_submit`);
- **commitments**: one or two a week over the last twelve weeks and this one — first
  meetings, calls or prospecting activities over the week, near their own recent
  rate — judged by the product's own judge (`commitments_judge`) as the nightly job
  would;
- **check-ins**: a weekly 1:1 with their team's manager over the last eight weeks,
  held, with short shared notes (private ones now and then), a few action items
  (most done, some open, one overdue in each team) and the next one scheduled;
- **plans**: a quarterly plan each, and their A accounts' plans (`demo.plans`).

A few reps carry a planted habit (`accountable.demo.habits`): the over-caller, the
sandbagger, the keepers and the missers. Each rep's draws come from their own
generators (`Random(f"{seed}:{email}:forecasts")` …), so the same seed and day give
the same loop.

Rows are written in bulk (a service call per row would be most of the demo's time),
with the audit entries the services write for them (`forecast.submit`,
`commitment.create`, `checkin.schedule`, `.hold`, `.notes`, `.cancel`,
`action.create`, `action.update`), recorded as the system's import of history. The
commitments are then judged through the service itself, which audits each verdict.

In a large organisation (a benchmark's thousand reps) the loop is planted only for
the reps of the first teams, up to `LOOP_MAX_REPS`: it is there to show the loop and
to be scored, and the benchmark times the sales data.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from accountable.audit.services import audit_records, snapshot
from accountable.checkins import services as checkin_services
from accountable.checkins.models import ActionItem, ActionState, CheckIn, CheckinState
from accountable.commitments import services as commitment_services
from accountable.commitments.models import Commitment, State
from accountable.demo.habits import MISSER, Habit, HabitPlan, habit_of, habits_deal
from accountable.demo.plans import plans_create
from accountable.forecasts import services as forecast_services
from accountable.forecasts.models import ForecastSubmission
from accountable.goals import actuals
from accountable.org.calendar import FiscalCalendar, Kind, Period
from accountable.org.models import Person, Role, Team
from accountable.org.services import organisation_get
from accountable.org.zone import zone_of

if TYPE_CHECKING:
    from accountable.demo.generator import OrganisationPlan, PersonPlan

__all__ = [
    "CHECKIN_WEEKS",
    "COMMITMENT_WEEKS",
    "LOOP_MAX_REPS",
    "LoopPlan",
    "loop_data_create",
    "loop_plan",
]

LOOP_MAX_REPS = 150
COMMITMENT_WEEKS = 12  # complete weeks of commitments before this one
CHECKIN_WEEKS = 8  # weekly check-ins before this week's
# The metrics a rep promises a week of, and how often each is chosen.
COMMITMENT_METRICS = {"first_meetings": 3, "calls": 4, "prospecting_activities": 3}
RATE_WEEKS = 4  # a rep's own rate: the weeks before the one promised
MIN_RATE = 2  # nobody promises a metric they barely do
TWO_COMMITMENTS = 0.4  # the share of weeks with two commitments instead of one
HONEST_MISS = 0.3  # the chance an honest rep lets their one miss of the quarter happen
# Forecast calls: from the third to the fifth day of the week, before the deadline.
CALL_DAYS = (2, 4)
FORECAST_NOTE_SHARE = 0.2
BEST_CASE_UPSIDE = (0.1, 0.35)  # best case above commit, of what the quarter brings
ROUND_TO = 1_000
FIRST_CALL_AFTER_DAYS = 14  # a new hire's first call, after joining
CANCELLED_SHARE = 0.06
PRIVATE_NOTE_SHARE = 0.3
ACTION_SHARE = 0.3  # held check-ins that agree an action item
CHECKIN_MINUTES = 30

FORECAST_NOTES = (
    "Two renewals moved into commit after the pricing call.",
    "One proposal slipped to next quarter; best case unchanged.",
    "Commit is what is signed plus the two deals in negotiation.",
    "Legal review on the largest deal; keeping it in best case.",
    "New opportunity from an existing customer, too early to commit.",
)
SHARED_NOTES = (
    "Went through the pipeline deal by deal; two close dates moved to next month.",
    "Good week for first meetings; keep the Tuesday calling block.",
    "Agreed to focus on the three largest open deals until the quarter closes.",
    "Reviewed last month's lost deals: price came up twice, timing once.",
    "Talked through the renewal proposal; it goes out by Thursday.",
    "Prospecting slipped this week; back to an hour a day, first thing.",
    "Walked through the forecast: commit unchanged, one deal moved to best case.",
    "Practised the discovery questions for next week's demo.",
    "Checked the checklist on the deals in proposal: two are missing a decision maker.",
    "Planned the account review with the largest customer.",
)
PRIVATE_NOTES = (
    "Seems stretched; ask about workload next time.",
    "Ready for a larger territory next year.",
    "Would benefit from shadowing one of the stars on a demo.",
    "Confident with customers, less so with the pipeline hygiene.",
)
HABIT_NOTES = {
    "over_caller": "Forecast runs high again; ask for the evidence behind each deal in commit.",
    "sandbagger": "Keeps the commit low to beat it; push for an honest call.",
    "misser": "Another commitment missed; agree smaller, concrete promises.",
    "keeper": "Does what they say; could take on a stretch goal.",
}
REP_ACTIONS = (
    "Update the close dates of the open deals",
    "Book two first meetings with dormant customers",
    "Send the revised proposal",
    "Note why each deal lost last month was lost",
    "Block an hour a day for prospecting calls",
    "Shadow a demo with a colleague",
    "Prepare the account plan for the largest customer",
)
MANAGER_ACTIONS = (
    "Ask product about the integration roadmap",
    "Join the next call with the largest prospect",
    "Check the discount approval with finance",
)
LOCATIONS = ("Video call", "Meeting room 2", "Manager's office")


@dataclass(frozen=True)
class LoopPlan:
    """Who the loop is planted for (the first teams' reps, up to LOOP_MAX_REPS) and
    each one's planted habits (email → habit keys)."""

    reps: tuple[PersonPlan, ...]
    habits: dict[str, tuple[str, ...]]

    def habits_of(self, email: str) -> tuple[str, ...]:
        return self.habits.get(email, ())


def loop_plan(plan: OrganisationPlan) -> LoopPlan:
    """The loop's reps and their habits, from the seed alone (no database): whole teams
    in the plan's order up to LOOP_MAX_REPS reps, so every team planted is complete."""
    by_team: dict[str, list[PersonPlan]] = defaultdict(list)
    for person in plan.people:
        if person.role == Role.REP:
            by_team[person.team].append(person)
    reps: list[PersonPlan] = []
    for team in by_team.values():
        if reps and len(reps) + len(team) > LOOP_MAX_REPS:
            break
        reps.extend(team)
    habits = habits_deal(
        [
            HabitPlan(rep.email, rep.team, rep.archetype or "steady", rep.password is not None)
            for rep in reps
        ],
        random.Random(f"{plan.seed}:habits"),
    )
    return LoopPlan(reps=tuple(reps), habits=habits)


# --- Reading the data the sales data wrote -------------------------------------------------


class _Daily:
    """One metric's daily figures per person, as the board counts them, summed over
    any span in constant time."""

    def __init__(self, rows: Sequence[tuple[int, date, Decimal]]) -> None:
        by_person: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for person_id, day, value in rows:
            by_person[person_id][day] += value
        self.days: dict[int, list[date]] = {}
        self.sums: dict[int, list[Decimal]] = {}
        for person_id, values in by_person.items():
            days = sorted(values)
            self.days[person_id] = days
            self.sums[person_id] = list(accumulate((values[d] for d in days), initial=Decimal(0)))

    def upto(self, person_id: int, day: date) -> Decimal:
        """From the beginning to `day`, included."""
        days = self.days.get(person_id)
        if not days:
            return Decimal(0)
        return self.sums[person_id][bisect_right(days, day)]

    def between(self, person_id: int, first: date, last: date) -> Decimal:
        if last < first:
            return Decimal(0)
        return self.upto(person_id, last) - self.upto(person_id, first - timedelta(days=1))


def _daily(metric: str, ids: list[int], first: date, last: date) -> _Daily:
    return _Daily(actuals.daily_by_person(metric, ids, first, last) if ids else [])


# --- Writing ---------------------------------------------------------------------------------


@dataclass
class _Rep:
    spec: PersonPlan
    person: Person
    habits: tuple[str, ...]

    @property
    def pk(self) -> int:
        return self.person.pk


class _Audit:
    """Audit entries to write once the rows have their ids, grouped by actor and action."""

    def __init__(self) -> None:
        self.changes: dict[tuple[int | None, str], list[tuple[Any, dict, dict]]] = defaultdict(list)
        self.actors: dict[int | None, Person | None] = {None: None}

    def add(self, actor: Person | None, action: str, obj: Any, before: dict, after: dict) -> None:
        key = actor.pk if actor else None
        self.actors[key] = actor
        self.changes[(key, action)].append((obj, before, after))

    def write(self) -> int:
        written = 0
        for (actor, action), changes in self.changes.items():
            written += audit_records(actor=self.actors[actor], action=action, changes=changes)
        self.changes.clear()
        return written


def loop_data_create(
    plan: OrganisationPlan,
    loop: LoopPlan,
    *,
    calendar: FiscalCalendar,
    history_from: date,
) -> dict[str, int]:
    """Forecast calls, commitments and check-ins for the loop's reps, from the sales
    data already stored (the caller holds the transaction, and has built the
    scorecards' rollups, which the figures are read from). Returns row counts."""
    if not loop.reps:
        return {}
    people = Person.objects.in_bulk([rep.email for rep in loop.reps], field_name="email")
    reps = [_Rep(spec, people[spec.email], loop.habits_of(spec.email)) for spec in loop.reps]
    zone = zone_of(organisation_get().time_zone)
    audit = _Audit()
    counts = {"forecasts": _forecasts_create(plan, reps, calendar, history_from, zone, audit)}
    counts["commitments"] = _commitments_create(plan, reps, calendar, zone, audit)
    counts.update(_checkins_create(plan, reps, calendar, zone, audit))
    counts["loop_audit_entries"] = audit.write()
    team_managers = _team_managers(reps)
    counts.update(
        plans_create(
            seed=plan.seed,
            reps=[rep.person for rep in reps],
            managers={
                r.pk: team_managers[r.spec.team] for r in reps if r.spec.team in team_managers
            },
            calendar=calendar,
            today=plan.today,
        )
    )
    # Judged by the product's own judge as of the demo's today, as the nightly job
    # would: the verdicts (and their `commitment.judge` audit entries) are its own.
    commitment_services.commitments_judge(today=plan.today, people=[rep.pk for rep in reps])
    return counts


def _at(day: date, minute: int, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)


def _round(value: float) -> Decimal:
    return Decimal(round(value / ROUND_TO) * ROUND_TO)


# --- Forecasts -------------------------------------------------------------------------------


def _forecasts_create(
    plan: OrganisationPlan,
    reps: list[_Rep],
    calendar: FiscalCalendar,
    history_from: date,
    zone: tzinfo,
    audit: _Audit,
) -> int:
    today = plan.today
    quarters = [calendar.period(Kind.QUARTER, history_from)]
    while quarters[-1].end < today:
        quarters.append(quarters[-1].next())
    recent_from = today - timedelta(days=91)
    revenue = _daily(
        "revenue", [rep.pk for rep in reps], min(quarters[0].start, recent_from), today
    )
    rows: list[ForecastSubmission] = []
    for rep in reps:
        rng = random.Random(f"{plan.seed}:{rep.spec.email}:forecasts")
        habit = habit_of(rep.habits, forecast=True)
        # What a quarter not over yet will bring: won so far, and the rest at the rate
        # of the last 91 days.
        daily_rate = float(revenue.between(rep.pk, recent_from, today - timedelta(days=1))) / 91
        for quarter in quarters:
            if quarter.end < today:
                brings = float(revenue.between(rep.pk, quarter.start, quarter.end))
            else:
                won = revenue.between(rep.pk, quarter.start, today - timedelta(days=1))
                brings = float(won) + daily_rate * ((quarter.end - today).days + 1)
            rows.extend(
                _quarter_calls(rep, habit, quarter, brings, revenue, rng, calendar, today, zone)
            )
    ForecastSubmission.objects.bulk_create(rows, batch_size=1_000)
    for row in rows:
        after = {"person": row.person.email, **snapshot(row, forecast_services.FIELDS)}
        audit.add(None, "forecast.submit", row, {}, after)
    return len(rows)


def _quarter_calls(
    rep: _Rep,
    habit: Habit,
    quarter: Period,
    brings: float,
    revenue: _Daily,
    rng: random.Random,
    calendar: FiscalCalendar,
    today: date,
    zone: tzinfo,
) -> list[ForecastSubmission]:
    """One call a week for `quarter`, from the week it starts in to its last, made
    before today: the commit drawn from what the quarter brings by the rep's habit,
    never below what they had won by the day of the call."""
    low, high = habit.commit_ratio or (1.0, 1.0)
    first_call = rep.spec.start_date + timedelta(days=FIRST_CALL_AFTER_DAYS)
    week = calendar.period(Kind.WEEK, quarter.start).start
    calls = []
    while week <= quarter.end:
        day = week + timedelta(days=rng.randint(*CALL_DAYS))
        minute = rng.randint(9 * 60, 16 * 60 + 30)
        ratio, upside = rng.uniform(low, high), rng.uniform(*BEST_CASE_UPSIDE)
        note = rng.choice(FORECAST_NOTES) if rng.random() < FORECAST_NOTE_SHARE else ""
        if first_call <= day < today:
            won = revenue.between(rep.pk, quarter.start, min(day, quarter.end))
            commit = max(_round(brings * ratio), won)
            best_case = max(commit + _round(brings * upside), commit)
            calls.append(
                ForecastSubmission(
                    person=rep.person,
                    period=quarter.label,
                    week_of=week,
                    commit=commit,
                    best_case=best_case,
                    note=note,
                    submitted_by=None,
                    submitted_at=_at(day, minute, zone),
                )
            )
        week += timedelta(days=7)
    return calls


# --- Commitments -----------------------------------------------------------------------------


@dataclass
class _Promising:
    """How a rep's promises have gone so far: made, kept, missed on purpose."""

    made: int = 0
    kept: int = 0
    missed: int = 0


def _commitments_create(
    plan: OrganisationPlan,
    reps: list[_Rep],
    calendar: FiscalCalendar,
    zone: tzinfo,
    audit: _Audit,
) -> int:
    today = plan.today
    this_week = calendar.period(Kind.WEEK, today).start
    weeks = [this_week - timedelta(weeks=n) for n in range(COMMITMENT_WEEKS, -1, -1)]
    ids = [rep.pk for rep in reps]
    first = weeks[0] - timedelta(weeks=RATE_WEEKS)
    daily = {
        metric: _daily(metric, ids, first, today - timedelta(days=1))
        for metric in COMMITMENT_METRICS
    }
    rows: list[Commitment] = []
    for rep in reps:
        rng = random.Random(f"{plan.seed}:{rep.spec.email}:commitments")
        habit = habit_of(rep.habits, forecast=False)
        so_far = _Promising()
        for week in weeks:
            rows.extend(_week_promises(rep, habit, week, daily, so_far, rng, calendar, today, zone))
    Commitment.objects.bulk_create(rows, batch_size=1_000)
    for row in rows:
        after = {"person": row.person.email, **snapshot(row, commitment_services.AUDITED)}
        audit.add(row.person, "commitment.create", row, {}, after)
    return len(rows)


def _week_promises(
    rep: _Rep,
    habit: Habit,
    week: date,
    daily: dict[str, _Daily],
    so_far: _Promising,
    rng: random.Random,
    calendar: FiscalCalendar,
    today: date,
    zone: tzinfo,
) -> list[Commitment]:
    """One or two of the rep's commitments over the working days of `week`."""
    due = max(d for d in (week + timedelta(days=n) for n in range(7)) if calendar.is_working_day(d))
    # The metrics in a random order, the more common ones more often first.
    metrics = sorted(COMMITMENT_METRICS, key=lambda m: -COMMITMENT_METRICS[m] * rng.random())
    wanted = 2 if rng.random() < TWO_COMMITMENTS else 1
    rate_from = max(week - timedelta(weeks=RATE_WEEKS), rep.spec.start_date)
    rate_weeks = (week - rate_from).days / 7
    if rate_weeks < 2:
        return []  # too new to know their own rate
    made = []
    for metric in metrics:
        if len(made) == wanted:
            break
        rate = float(daily[metric].between(rep.pk, rate_from, week - timedelta(days=1)))
        rate /= rate_weeks
        if rate < MIN_RATE:
            continue
        actual = int(daily[metric].between(rep.pk, week, due)) if due < today else None
        value = _promise(habit, rate, actual, so_far, rng)
        if value is None:
            continue
        made.append(
            Commitment(
                person=rep.person,
                created_by=rep.person,
                metric=metric,
                value=Decimal(value),
                start_on=week,
                due_on=due,
                state=State.OPEN,
                created_at=_at(week, rng.randint(8 * 60, 9 * 60 + 30), zone),
            )
        )
    return made


def _promise(
    habit: Habit, rate: float, actual: int | None, so_far: _Promising, rng: random.Random
) -> int | None:
    """The value a rep promises, given their rate and (for a week that is over) what the
    week brought: a keeper promises no more than they do; a misser more than they do,
    but for one promise in five (never more than one in four kept); anyone else no
    more than they do but for one miss at most. None: no promise of this metric this
    week."""
    low, high = habit.promise_ratio or (1.0, 1.0)
    value = max(1, round(rate * rng.uniform(low, high)))
    chance = rng.random()
    if actual is None:
        return value  # this week's: not over yet
    so_far.made += 1
    if habit is MISSER:
        keep = chance >= habit.misses and so_far.kept + 1 <= so_far.made // 4 and actual >= 1
        if keep:
            so_far.kept += 1
            return min(value, actual)
        return max(value, actual + 1)
    if value > actual and not so_far.missed and habit.misses is None and chance < HONEST_MISS:
        so_far.missed += 1
        return value
    if actual < 1:
        so_far.made -= 1
        return None  # nothing done: nothing they would have promised
    so_far.kept += 1
    return min(value, actual)


# --- Check-ins -------------------------------------------------------------------------------


def _team_managers(reps: list[_Rep]) -> dict[str, Person]:
    names = {rep.spec.team for rep in reps}
    managers: dict[str, Person] = {}
    for team in Team.objects.filter(name__in=names).prefetch_related("managers"):
        found = sorted(team.managers.all(), key=lambda person: person.pk)
        if found:
            managers[team.name] = found[0]
    return managers


def _checkins_create(
    plan: OrganisationPlan,
    reps: list[_Rep],
    calendar: FiscalCalendar,
    zone: tzinfo,
    audit: _Audit,
) -> dict[str, int]:
    today = plan.today
    this_week = calendar.period(Kind.WEEK, today).start
    managers = _team_managers(reps)
    slots: dict[str, int] = defaultdict(int)
    series: list[tuple[_Rep, Person, list[CheckIn], random.Random]] = []
    for rep in reps:
        manager = managers.get(rep.spec.team)
        if manager is None or manager.pk == rep.pk:
            continue
        index = slots[rep.spec.team]
        slots[rep.spec.team] += 1
        rng = random.Random(f"{plan.seed}:{rep.spec.email}:checkins")
        meetings = _series(rep, manager, index, this_week, today, rng, zone)
        series.append((rep, manager, meetings, rng))
    CheckIn.objects.bulk_create([m for _, _, meetings, _ in series for m in meetings])

    actions: list[ActionItem] = []
    by_team: dict[str, list[ActionItem]] = defaultdict(list)
    for rep, manager, meetings, rng in series:
        _audit_series(rep, manager, meetings, audit)
        for action in _actions(rep, manager, meetings, rng, today):
            actions.append(action)
            by_team[rep.spec.team].append(action)
    # One action item overdue in each team: the latest one past its day is still open.
    # Not one agreed again later: reopened, it would stand twice on the lists.
    for theirs in by_team.values():
        again = Counter((a.owner.pk, a.about.pk, a.text) for a in theirs)
        past = [
            a for a in theirs if a.due_on < today and again[(a.owner.pk, a.about.pk, a.text)] == 1
        ]
        if past:
            late = max(past, key=lambda a: (a.due_on, a.owner.email))
            late.state, late.done_on = ActionState.OPEN, None
    ActionItem.objects.bulk_create(actions)
    for action in actions:
        after = {"owner": action.owner.email, "text": action.text, "due_on": str(action.due_on)}
        audit.add(action.created_by, "action.create", action, {}, after)
        if action.state == ActionState.DONE:
            audit.add(action.owner, "action.update", action, {"state": "open"}, {"state": "done"})
    return {
        "checkins": sum(len(meetings) for _, _, meetings, _ in series),
        "action_items": len(actions),
    }


def _series(
    rep: _Rep,
    manager: Person,
    index: int,
    this_week: date,
    today: date,
    rng: random.Random,
    zone: tzinfo,
) -> list[CheckIn]:
    """The weekly 1:1s of a rep with their manager: held (a few cancelled) from
    CHECKIN_WEEKS weeks ago, or from a week after they joined, and the next one
    scheduled. Each rep of a team has their own slot: Tuesday to Thursday, from 9:00."""
    weekday = 1 + index % 3
    minute = 9 * 60 + 45 * (index // 3)
    location = rng.choice(LOCATIONS)
    day = this_week - timedelta(weeks=CHECKIN_WEEKS) + timedelta(days=weekday)
    while day < rep.spec.start_date + timedelta(days=7):
        day += timedelta(days=7)
    meetings: list[CheckIn] = []
    created = _at(day - timedelta(days=5), minute, zone)
    while True:
        starts_at = _at(day, minute, zone)
        meeting = CheckIn(
            person=rep.person,
            manager=manager,
            starts_at=starts_at,
            minutes=CHECKIN_MINUTES,
            location=location,
            uid=uuid.UUID(int=rng.getrandbits(128), version=4),
            created_at=created,
        )
        meetings.append(meeting)
        if day >= today:
            break  # the next one, still to come
        if rng.random() < CANCELLED_SHARE and len(meetings) > 1:
            meeting.state, meeting.sequence = CheckinState.CANCELLED, 1
        else:
            meeting.state, meeting.held_on = CheckinState.HELD, day
            meeting.shared_notes = " ".join(rng.sample(SHARED_NOTES, k=rng.randint(1, 2)))
            if rng.random() < PRIVATE_NOTE_SHARE:
                meeting.private_notes = _private_note(rep, rng)
        # A recurring check-in schedules the next when it is held or cancelled.
        created = starts_at + timedelta(minutes=CHECKIN_MINUTES)
        day += timedelta(days=7)
    return meetings


def _private_note(rep: _Rep, rng: random.Random) -> str:
    planted = [HABIT_NOTES[key] for key in rep.habits if key in HABIT_NOTES]
    return rng.choice(planted) if planted and rng.random() < 0.7 else rng.choice(PRIVATE_NOTES)


def _audit_series(rep: _Rep, manager: Person, meetings: list[CheckIn], audit: _Audit) -> None:
    """The entries the check-in services write for the series: the manager schedules
    the first, the system each next one; the manager holds (or cancels) each and
    writes the notes."""
    fields = checkin_services.FIELDS
    for number, meeting in enumerate(meetings):
        scheduled = {**snapshot(meeting, fields), "state": CheckinState.SCHEDULED.value}
        after = {"person": rep.person.email, **scheduled}
        audit.add(manager if number == 0 else None, "checkin.schedule", meeting, {}, after)
        if meeting.state == CheckinState.SCHEDULED:
            continue
        action = "checkin.hold" if meeting.state == CheckinState.HELD else "checkin.cancel"
        audit.add(manager, action, meeting, scheduled, snapshot(meeting, fields))
        if meeting.shared_notes:
            hidden = "(private, changed)" if meeting.private_notes else "(private)"
            audit.add(
                manager,
                "checkin.notes",
                meeting,
                {"shared_notes": "", "private_notes": "(private)"},
                {"shared_notes": meeting.shared_notes, "private_notes": hidden},
            )


def _actions(
    rep: _Rep, manager: Person, meetings: list[CheckIn], rng: random.Random, today: date
) -> list[ActionItem]:
    """Action items agreed in some of the held check-ins, due a week or two later:
    done by then when the day is past (a day or so early), open when it is not. Nobody
    is given an action item they still have open: it is not agreed twice."""
    found = []
    open_until: dict[tuple[int, str], date | None] = {}  # the day each was done; None: open
    for meeting in meetings:
        if meeting.state != CheckinState.HELD or rng.random() >= ACTION_SHARE:
            continue
        held = meeting.held_on
        by_rep = rng.random() < 0.75
        owner = rep.person if by_rep else manager
        text = rng.choice(REP_ACTIONS if by_rep else MANAGER_ACTIONS)
        due = held + timedelta(days=rng.choice((7, 14)))
        done_on = due - timedelta(days=rng.randint(0, 3))
        key = (owner.pk, text)
        if key in open_until and (open_until[key] is None or open_until[key] >= held):
            continue
        action = ActionItem(
            owner=owner,
            about=rep.person,
            text=text,
            due_on=due,
            checkin=meeting,
            created_by=manager,
            created_at=meeting.starts_at + timedelta(minutes=CHECKIN_MINUTES - 5),
        )
        if due < today:
            action.state, action.done_on = ActionState.DONE, max(done_on, held)
        open_until[key] = action.done_on
        found.append(action)
    return found
