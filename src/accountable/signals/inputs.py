"""The numbers the warning engine reads, gathered for many people in a few queries.

One pass per source over the whole window — activities grouped by person, day
and kind; the deals that were open, closed or created in the window; revenue
targets; complaints — bucketed into weeks and quarters in Python, never a query
per person or per period. Everything after this module is plain arithmetic
(`evidence`, `rules`, `diagnosis`, `rights`), so it can be tested without a
database.

Which date decides the period: an activity's `occurred_at`, a closed deal's
`closed_on`, a new deal's `created_on`, a complaint's `received_on`. A deal
credits its owner, or its split people by share (`crm.credit`), as on the
scorecards and in `goals.actuals`. Only full weeks before the week
holding `as_of` count, so a run on a Tuesday does not see a half-empty week.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from accountable.commitments.selectors import KEPT_WINDOW_DAYS, decided_for_warnings
from accountable.core.local_day import day_start, local_day
from accountable.crm import credit
from accountable.crm.models import Activity, ActivityKind, Channel, Deal, DealStatus, Feedback
from accountable.org.calendar import FiscalCalendar, Kind, Period
from accountable.org.models import Person, Role
from accountable.org.selectors import time_off_spans
from accountable.scorecards.metrics import person_paces
from accountable.targets.models import Target

__all__ = [
    "ClosedDeal",
    "Commitment",
    "OpenDeal",
    "PersonInputs",
    "Window",
    "inputs_gather",
    "reps_in_scope",
]

# Kinds of activity that count as a touch (outreach), as opposed to meetings,
# demos and proposals, which are what touches lead to.
TOUCH_KINDS = frozenset(
    {ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.SOCIAL, ActivityKind.FOLLOW_UP}
)
ACTIVITY_WEEKS = 16  # 4 recent weeks and the 12 before them (the person's own baseline)
RECENT_WEEKS = 4
DEAL_WEEKS = 52  # closed deals: the last half-year against the half-year before
QUARTERS_BACK = 4  # completed quarters whose attainment is read


@dataclass(frozen=True)
class Window:
    """The stretch of time one run reads: `weeks` oldest first (the last
    `RECENT_WEEKS` of them are "recent", the rest the baseline), the completed
    quarters before `as_of` (oldest first) and the quarter holding it."""

    as_of: date
    weeks: tuple[Period, ...]
    quarters: tuple[Period, ...]
    current: Period

    @classmethod
    def ending(cls, as_of: date, calendar: FiscalCalendar) -> Window:
        this_week = calendar.period(Kind.WEEK, as_of)
        current = calendar.period(Kind.QUARTER, as_of)
        return cls(
            as_of=as_of,
            weeks=tuple(this_week.shift(-n) for n in range(ACTIVITY_WEEKS, 0, -1)),
            quarters=tuple(current.shift(-n) for n in range(QUARTERS_BACK, 0, -1)),
            current=current,
        )

    @property
    def recent(self) -> tuple[Period, ...]:
        return self.weeks[-RECENT_WEEKS:]

    @property
    def baseline(self) -> tuple[Period, ...]:
        return self.weeks[:-RECENT_WEEKS]

    @property
    def deals_from(self) -> date:
        return self.as_of - timedelta(weeks=DEAL_WEEKS)


@dataclass(frozen=True)
class ClosedDeal:
    won: bool
    created_on: date
    closed_on: date
    amount: float
    priority: bool | None  # None: no product on the deal

    @property
    def cycle_days(self) -> int:
        return (self.closed_on - self.created_on).days


@dataclass(frozen=True)
class OpenDeal:
    amount: float
    created_on: date
    expected_close_on: date | None


@dataclass(frozen=True)
class Commitment:
    """A commitment decided by its data or its manager (`commitments`), with the day it
    was met (its due day) or None: missed, or only partly met."""

    due_on: date
    met_on: date | None


@dataclass
class PersonInputs:
    """One rep's raw numbers for one run; weekly lists follow `Window.weeks`."""

    person_id: int
    email: str
    name: str
    team_id: int | None
    start_date: date
    touches: list[int]
    prospecting: list[int]
    phone_prospecting: list[int]
    first_meetings: list[int]
    meetings: list[int]
    closed: list[ClosedDeal] = field(default_factory=list)
    open: list[OpenDeal] = field(default_factory=list)
    created: list[tuple[date, float]] = field(default_factory=list)
    revenue_targets: dict[str, float] = field(default_factory=dict)
    # The running quarter's pace when its revenue target is split into months, or the
    # person has time off in it (`scorecards.metrics.person_paces`); None: its working
    # days gone.
    current_pace: float | None = None
    complaints: list[date] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    # Their time off touching the window, (first, last day) each (`org.time_off`): a
    # week away is not judged, a week partly away is judged on the days they had.
    time_off: list[tuple[date, date]] = field(default_factory=list)


def reps_in_scope(as_of: date, people: Iterable[int] | None = None) -> list[Person]:
    """The reps the engine judges: active sales reps who had started by `as_of`."""
    reps = Person.objects.filter(role=Role.REP, is_active=True, start_date__lte=as_of).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of)
    )
    if people is not None:
        reps = reps.filter(pk__in=list(people))
    return list(reps.order_by("pk"))


def inputs_gather(reps: list[Person], window: Window) -> dict[int, PersonInputs]:
    """{person id: their inputs} for `reps`: a fixed number of queries whatever their number."""
    n = len(window.weeks)
    found = {
        rep.pk: PersonInputs(
            person_id=rep.pk,
            email=rep.email,
            name=rep.name,
            team_id=rep.team_id,
            start_date=rep.start_date,
            touches=[0] * n,
            prospecting=[0] * n,
            phone_prospecting=[0] * n,
            first_meetings=[0] * n,
            meetings=[0] * n,
        )
        for rep in reps
    }
    if not found:
        return found
    ids = list(found)
    _activities(found, ids, window)
    _deals(found, ids, window)
    for person_id, label, value in Target.objects.filter(
        person_id__in=ids,
        metric="revenue",
        product_line="",
        deal_type="",
        period__in=[q.label for q in (*window.quarters, window.current)],
    ).values_list("person_id", "period", "value"):
        found[person_id].revenue_targets[label] = float(value)
    # Judged as of the day before, as `evidence` counts the quarter gone; by the person's
    # own working days when they have time off in it, as on their scorecard.
    paces = person_paces(ids, window.current, window.as_of - timedelta(days=1))
    for person_id in {*paces.periods, *paces.by_target}:
        found[person_id].current_pace = paces.of(person_id, "revenue")
    spans = time_off_spans(ids, window.weeks[0].start, window.weeks[-1].end)
    for person_id, theirs in spans.items():
        found[person_id].time_off = theirs
    for person_id, received_on in Feedback.objects.filter(
        person_id__in=ids,
        kind=Feedback.Kind.COMPLAINT,
        received_on__gte=window.as_of - timedelta(days=365),
        received_on__lte=window.as_of,
    ).values_list("person_id", "received_on"):
        found[person_id].complaints.append(received_on)
    since = window.as_of - timedelta(days=KEPT_WINDOW_DAYS)
    for person_id, due_on, met in decided_for_warnings(ids, since, window.as_of):
        found[person_id].commitments.append(Commitment(due_on, due_on if met else None))
    return found


def _activities(found: dict[int, PersonInputs], ids: list[int], window: Window) -> None:
    starts = [week.start for week in window.weeks]
    first, end = window.weeks[0].start, window.weeks[-1].end
    rows = (
        Activity.objects.filter(
            person_id__in=ids,
            occurred_at__gte=day_start(first),
            occurred_at__lt=day_start(end + timedelta(days=1)),
        )
        .order_by()
        .annotate(day=local_day("occurred_at", first, end))
        .values_list("person_id", "day", "kind", "channel", "is_prospecting", "meeting_number")
        .annotate(count=Count("pk"))
    )
    for person_id, day, kind, channel, prospecting, number, count in rows:
        week = bisect_right(starts, day) - 1
        if week < 0 or day > end:
            continue
        person = found[person_id]
        if kind in TOUCH_KINDS:
            person.touches[week] += count
            if prospecting:
                person.prospecting[week] += count
                if channel == Channel.PHONE:
                    person.phone_prospecting[week] += count
        elif kind == ActivityKind.MEETING:
            person.meetings[week] += count
            if number == 1:
                person.first_meetings[week] += count


def _deals(found: dict[int, PersonInputs], ids: list[int], window: Window) -> None:
    created_from = window.weeks[0].start
    deals = Deal.objects.filter(
        Q(status=DealStatus.OPEN)
        | Q(closed_on__gte=window.deals_from, closed_on__lte=window.as_of)
        | Q(created_on__gte=created_from, created_on__lte=window.as_of)
    )
    fields = ["status", "amount", "created_on", "closed_on", "expected_close_on"]
    # A deal credits its owner, or its split people by share (`crm.credit`), as on the
    # scorecards and in goals.
    rows = credit.credited_rows(deals, ids, [*fields, "product__is_priority"])
    by_person: dict[int, list] = defaultdict(list)
    for row in rows:
        by_person[row[0]].append(row)
    for person_id, credited in by_person.items():
        person = found[person_id]
        for _, share, status, amount, created_on, closed_on, expected, priority in credited:
            value = float(credit.credited_amount(amount, share))
            if created_from <= created_on <= window.as_of:
                person.created.append((created_on, value))
            closed_by_then = closed_on is not None and closed_on <= window.as_of
            if created_on > window.as_of:
                continue
            if status == DealStatus.OPEN or (closed_on is not None and closed_on > window.as_of):
                person.open.append(OpenDeal(value, created_on, expected))
            elif closed_by_then and closed_on >= window.deals_from:
                person.closed.append(
                    ClosedDeal(status == DealStatus.WON, created_on, closed_on, value, priority)
                )
