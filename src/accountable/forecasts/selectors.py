"""Reading forecasts, scoped to the viewer (a person sees their own, a manager their
people's, an executive and an admin everyone's), and their accuracy.

Accuracy is stated with what it rests on. For one person and a period that is over,
with `won` the period's final won revenue and their submissions' commits c₁…cₙ:

- `mean_abs_error` = mean of |cᵢ - won| ÷ won;
- `bias` = mean of (cᵢ - won) ÷ won — above 0 over-calls, below 0 sandbags.

A team takes every submission of its people together, weighted by what was won:
Σ|cᵢ - wonᵢ| ÷ Σwonᵢ. A period not over yet, or one with nothing won, has no accuracy:
not enough data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accountable.crm import credit
from accountable.crm.models import Deal, DealStatus
from accountable.forecasts import weeks
from accountable.forecasts.models import ForecastSubmission
from accountable.forecasts.services import STALE_AFTER
from accountable.goals import actuals
from accountable.org.calendar import FiscalCalendar, Period
from accountable.org.models import Person
from accountable.org.scoping import visible_people
from accountable.scorecards import metrics as board


def visible(viewer: Person) -> QuerySet[ForecastSubmission]:
    return ForecastSubmission.objects.filter(person__in=visible_people(viewer)).select_related(
        "person", "adjustment", "adjustment__adjusted_by"
    )


def submission_get(viewer: Person, pk: int) -> ForecastSubmission:
    found = visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("No such forecast among those you may see.")
    return found


@dataclass(frozen=True)
class Latest:
    """A person's latest forecast of a period, and how it stands."""

    person: Person
    submission: ForecastSubmission | None
    won: Decimal
    stale: bool  # none yet, or the latest older than the weekly cadence
    locked: bool

    @property
    def called(self) -> Decimal | None:
        """The manager's call where they made one, else the person's own commit."""
        if self.submission is None:
            return None
        adjusted = getattr(self.submission, "adjustment", None)
        return adjusted.commit if adjusted else self.submission.commit


def latest(
    viewer: Person, people: Iterable[Person], period: Period, now: datetime | None = None
) -> list[Latest]:
    """Each person's latest submission for `period` (people the viewer may see only)."""
    now = now or timezone.now()
    people = list(people)
    allowed = set(visible_people(viewer).values_list("pk", flat=True))
    people = [p for p in people if p.pk in allowed]
    found: dict[int, ForecastSubmission] = {}
    for submission in (
        visible(viewer)
        .filter(period=period.label, person__in=[p.pk for p in people])
        .order_by("week_of", "pk")
    ):
        found[submission.person_id] = submission
    today = timezone.localdate(now)
    won = won_by_person([p.pk for p in people], period, today)
    rows = []
    for person in people:
        submission = found.get(person.pk)
        stale = submission is None or now - submission.submitted_at > STALE_AFTER
        rows.append(
            Latest(
                person=person,
                submission=submission,
                won=won.get(person.pk, Decimal(0)),
                stale=stale,
                locked=submission is not None and weeks.is_locked(submission.week_of, now),
            )
        )
    return rows


def won_by_person(ids: list[int], period: Period, today: date) -> dict[int, Decimal]:
    """{person id: revenue won in the period to `today`}, in one query."""
    end = min(today, period.end)
    won: dict[int, Decimal] = defaultdict(Decimal)
    if ids and end >= period.start:
        for person_id, _, value in actuals.daily_by_person("revenue", ids, period.start, end):
            won[person_id] += value
    return won


@dataclass(frozen=True)
class Accuracy:
    """Forecast accuracy of a person (or a team) in one period, with what it rests on."""

    submissions: int
    won: Decimal | None
    mean_abs_error: float | None = None
    bias: float | None = None
    why: str = ""

    @property
    def off_by(self) -> str:
        """The mean absolute error as a percentage ("12%")."""
        return "" if self.mean_abs_error is None else f"{self.mean_abs_error:.0%}"

    @property
    def leaning(self) -> str:
        """The bias as a signed percentage and in words ("+15% over-calls")."""
        if self.bias is None:
            return ""
        words = (
            "over-calls" if self.bias > 0.05 else "sandbags" if self.bias < -0.05 else "on the mark"
        )
        return f"{self.bias:+.0%} {words}"

    def as_dict(self) -> dict:
        return {
            "submissions": self.submissions,
            "won": None if self.won is None else f"{self.won:.2f}",
            "mean_abs_error": None
            if self.mean_abs_error is None
            else round(self.mean_abs_error, 4),
            "bias": None if self.bias is None else round(self.bias, 4),
            "why": self.why,
        }


def _commits(people: list[int], period: Period) -> dict[int, list[Decimal]]:
    commits: dict[int, list[Decimal]] = defaultdict(list)
    rows = ForecastSubmission.objects.filter(person_id__in=people, period=period.label)
    for person_id, commit in rows.order_by("week_of").values_list("person_id", "commit"):
        commits[person_id].append(commit)
    return commits


def accuracy(
    people: Iterable[int], period: Period, today: date | None = None
) -> dict[int, Accuracy]:
    """{person id: Accuracy} on `period` for the people who submitted for it."""
    today = today or timezone.localdate()
    ids = list(people)
    commits = _commits(ids, period)
    result = {}
    for person_id, theirs in commits.items():
        result[person_id] = _accuracy(theirs, person_id, period, today)
    return result


def last_quarter_accuracy(
    person: Person, calendar: FiscalCalendar, as_of: date
) -> tuple[Period, Accuracy] | None:
    """(quarter, Accuracy) of the person's calls for the last quarter over by `as_of`:
    the "Forecast calls" figure of the scorecard and the review packet (None: no calls)."""
    last = calendar.period("quarter", calendar.period("quarter", as_of).start - timedelta(days=1))
    found = accuracy([person.pk], last, as_of).get(person.pk)
    return (last, found) if found else None


def _accuracy(commits: list[Decimal], person_id: int, period: Period, today: date) -> Accuracy:
    n = len(commits)
    if today <= period.end:
        return Accuracy(n, None, why=f"{period.label} is not over: not enough data yet")
    won = actuals.total("revenue", [person_id], period.start, period.end)
    if not won:
        return Accuracy(n, won, why="nothing was won in the period: there is no error to measure")
    errors = [(c - won) / won for c in commits]
    return Accuracy(
        n,
        won,
        mean_abs_error=float(sum(abs(e) for e in errors) / n),
        bias=float(sum(errors) / n),
    )


def team_accuracy(people: Iterable[int], period: Period, today: date | None = None) -> Accuracy:
    """Every call of the people together, each against its own person's won revenue and
    weighted by it: Σ|commit - won| ÷ Σwon over the calls (and the signed form for bias).
    `won` is what the people won in the period together."""
    today = today or timezone.localdate()
    ids = list(people)
    commits = _commits(ids, period)
    n = sum(len(c) for c in commits.values())
    if not n:
        return Accuracy(0, None, why="no calls for the period")
    if today <= period.end:
        return Accuracy(n, None, why=f"{period.label} is not over: not enough data yet")
    won = won_by_person(list(commits), period, period.end)
    team_won = sum((won.get(pid, Decimal(0)) for pid in commits), Decimal(0))
    weights = sum(
        (won.get(pid, Decimal(0)) * len(theirs) for pid, theirs in commits.items()), Decimal(0)
    )
    if not weights:
        return Accuracy(n, team_won, why="nothing was won in the period")
    missed = sum(
        (abs(c - won.get(pid, Decimal(0))) for pid, theirs in commits.items() for c in theirs),
        Decimal(0),
    )
    signed = sum((sum(theirs, Decimal(0)) for theirs in commits.values()), Decimal(0)) - weights
    return Accuracy(n, team_won, float(missed / weights), float(signed / weights))


@dataclass(frozen=True)
class Guidance:
    """What a person has to go on when they forecast a period: won so far, and the
    open deals credited to them expected to close in the rest of it, by forecast
    category (their share), with the weighted total (amount x stage probability)."""

    won: Decimal
    by_category: dict[str, Decimal]
    weighted: Decimal

    @property
    def projection(self) -> Decimal:
        """The rule-based call: won so far plus the weighted pipeline left."""
        return self.won + self.weighted


def guidance(people: Iterable[int], period: Period, today: date) -> Guidance:
    """The figures a forecast of `period` starts from, for one person or a team's people
    together (a deal credited to two of them counts by each share)."""
    ids = list(people)
    end = min(today, period.end)
    won = actuals.total("revenue", ids, period.start, end) if end >= period.start else Decimal(0)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    weighted = Decimal(0)
    if today < period.end:
        window = (max(today, period.start), period.end)
        deals = Deal.objects.filter(
            status=DealStatus.OPEN,
            expected_close_on__gte=window[0],
            expected_close_on__lte=window[1],
        )
        fields = ["amount", "stage__forecast_category"]
        for _, share, amount, category in credit.credited_rows(deals, ids, fields):
            by_category[category] += credit.credited_amount(amount, share)
        # The weighted pipeline as the board has it (its "projected with pipeline").
        pipes = board.pipeline(ids, window, on=today)
        weighted = board.pipelines_sum(pipes.values()).weighted_in_window
    return Guidance(won, dict(by_category), weighted)


def open_deals_closing(person: Person, period: Period, today: date) -> QuerySet[Deal]:
    """The person's open deals (owned or split) expected to close in the rest of the
    period: what a call may name as the deals behind it."""
    return (
        Deal.objects.filter(credit.credits_people([person.pk]), status=DealStatus.OPEN)
        .filter(expected_close_on__gte=max(today, period.start), expected_close_on__lte=period.end)
        .select_related("stage")
        .order_by("expected_close_on", "pk")
    )
