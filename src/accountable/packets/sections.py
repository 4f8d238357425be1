"""The review packet's sections, in the order the packet shows them (SPEC §6: "one click
prepares everything for a difficult conversation").

Each section is a small function that takes the packet's `Subject` (who reads it, about
whom, which period as of which day) and returns a `Section`: its title, the template
include that draws it and the data that template reads — or None when it has nothing
to say. `SECTIONS` is the order; adding a section is a function, a template under
`packets/sections/` and a line in that list.

Every figure is read through the product's own selectors, scoped to the reader: the
scorecard section is `scorecards.selectors.person_scorecard`, the very read model of
the scorecard page (a test holds the two equal), the warnings are the scorecard's own,
the kept record and forecast accuracy are the figures the scorecard shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from accountable.checkins import selectors as checkins
from accountable.checkins.models import ActionItem, ActionState, CheckinState
from accountable.checkins.services import may_run
from accountable.commitments import selectors as commitments
from accountable.commitments.models import CLOSED_STATES
from accountable.forecasts import selectors as forecasts
from accountable.org.calendar import Kind, Period
from accountable.org.models import Person
from accountable.plans import selectors as plans
from accountable.reviews import selectors as reviews
from accountable.scorecards import selectors as scorecards
from accountable.signals import selectors as signals

HISTORY_PERIODS = 4  # earlier periods of the same kind beside this one
FORECAST_QUARTERS = 4  # quarters of forecast calls: the one of the as-of day and before
CHECKINS_SHOWN = 3  # the last check-ins held


@dataclass(frozen=True)
class Subject:
    """What a packet is about and for whom: the reader decides what each section may
    show (`private`: the manager chain's private notes, asked for and allowed)."""

    viewer: Person
    person: Person
    period: Period
    as_of: date
    today: date
    private: bool = False

    @property
    def to_date(self) -> date:
        """The last day the figures count: the as-of day, or the period's end."""
        return min(self.as_of, self.period.end)

    @cached_property
    def card(self) -> scorecards.PersonScorecard:
        return scorecards.person_scorecard(
            self.viewer, self.person, period=self.period, as_of=self.as_of
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


def scorecard(s: Subject) -> Section:
    """The scorecard against the team and the person's own usual: the headline figures,
    a tile per metric with its 13-week trend, the team's middle half and median and the
    person's mean over their last four periods, and the funnel against the team."""
    return Section(
        "scorecard",
        "Scorecard against the team",
        "packets/sections/scorecard.html",
        {
            "card": s.card,
            "row": s.card.row,
            "kept": _kept(s),
            "calls": forecasts.last_quarter_accuracy(s.person, s.period.calendar, s.as_of),
        },
    )


def history(s: Subject) -> Section:
    """The same figures for the periods before this one, as of each one's last day."""
    periods = [s.period.shift(-n) for n in range(HISTORY_PERIODS, 0, -1)]
    rows = [
        scorecards.scorecard_rows(s.viewer, period=p, as_of=p.end, person=s.person)[0]
        for p in periods
        if p.end >= s.person.start_date
    ]
    return Section(
        "history",
        "Against their own history",
        "packets/sections/history.html",
        {"rows": [*rows, s.card.row], "current": s.card.row},
    )


def warnings(s: Subject) -> Section:
    """The open warnings with their evidence, the diagnosis and the three rights."""
    found = signals.scorecard_signals(s.viewer, s.person, period=s.period, as_of=s.as_of)
    return Section(
        "warnings",
        "Warnings, diagnosis and the three rights",
        "packets/sections/warnings.html",
        {"signals": found},
    )


def commitments_kept(s: Subject) -> Section:
    """The commitments that fell due in the period (to the as-of day) and how each
    stands, and those still running; the kept record the scorecard shows."""
    listed = commitments.commitment_list(s.viewer, as_of=s.as_of, person=s.person)
    due = [i for i in listed if s.period.start <= i.commitment.due_on <= s.to_date]
    running = [
        i
        for i in listed
        if i.commitment.due_on > s.to_date and i.commitment.state not in CLOSED_STATES
    ]
    return Section(
        "commitments",
        "Commitments kept and missed",
        "packets/sections/commitments.html",
        {
            "due": due,
            "running": running,
            "counts": list(Counter(i.standing for i in due).items()),
            "kept": _kept(s),
            "window": commitments.KEPT_WINDOW_DAYS,
        },
    )


def forecast_accuracy(s: Subject) -> Section:
    """How far the weekly calls were off, quarter by quarter, and which way."""
    quarter = s.period.calendar.period(Kind.QUARTER, s.to_date)
    quarters = [quarter.shift(-n) for n in range(FORECAST_QUARTERS - 1, -1, -1)]
    rows = [(q, forecasts.accuracy([s.person.pk], q, s.as_of).get(s.person.pk)) for q in quarters]
    return Section(
        "forecasts",
        "Forecast accuracy",
        "packets/sections/forecasts.html",
        {"rows": rows},
    )


def action_items(s: Subject) -> Section:
    """The action items about the person still open, soonest due first."""
    # Whoever may see a person sees the action items about them (`checkins.selectors.
    # actions_visible`); the packet's reader may see the person (`packet_get` checked).
    found = (
        ActionItem.objects.filter(about=s.person, state=ActionState.OPEN)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    return Section(
        "actions", "Open action items", "packets/sections/actions.html", {"actions": list(found)}
    )


def last_checkins(s: Subject) -> Section:
    """The last check-ins held by the as-of day, with their shared notes — and their
    private notes only in a packet asked for with them by someone who may read them."""
    held = (
        checkins.visible(s.viewer)
        .filter(person=s.person, state=CheckinState.HELD, held_on__lte=s.as_of)
        .prefetch_related("actions")
        .order_by("-held_on", "-starts_at")[:CHECKINS_SHOWN]
    )
    return Section(
        "checkins",
        "The last check-ins",
        "packets/sections/checkins.html",
        {"checkins": list(held), "private": s.private},
    )


def latest_review(s: Subject) -> Section:
    """The outcome agreed at the person's latest performance review, if any."""
    return Section(
        "review",
        "Latest performance review",
        "packets/sections/review.html",
        {"review": reviews.latest_outcome(s.viewer, s.person)},
    )


def plan_against_actual(s: Subject) -> Section:
    """The person's plan covering the period (the annual plan of a year, else the
    quarterly plan of its quarter) against what was sold as of the packet's day — the
    scorecard's figures for the same days — with the latest review and any catch-up."""
    plan = plans.plan_for(s.viewer, s.person, s.period)
    data: dict[str, Any] = {"plan": plan}
    if plan is not None:
        day = min(s.as_of, plan.period_end)
        data.update(
            shown=plans.plan_figures(plan, day),
            review=plan.reviews.first(),
            catch_ups=[(c, plans.catch_up_progress(c, s.today)) for c in plans.catch_ups_of(plan)],
        )
    return Section("plan", "Plan against actual", "packets/sections/plan.html", data)


def may_read_private(viewer: Person, person: Person) -> bool:
    """The check-ins' own rule: the manager chain and admins, never the person."""
    return viewer.pk != person.pk and may_run(viewer, person)


def _kept(s: Subject) -> commitments.Kept | None:
    return commitments.kept_record([s.person.pk], s.as_of).get(s.person.pk)


SECTIONS: list[Callable[[Subject], Section | None]] = [
    scorecard,
    history,
    warnings,
    commitments_kept,
    forecast_accuracy,
    plan_against_actual,
    action_items,
    last_checkins,
    latest_review,
]
