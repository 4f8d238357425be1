"""The demo's accountability loop: every rep's forecast calls, commitments and check-ins
with their history, the planted habits (the over-caller, the sandbagger, the keepers,
the missers) in the ground truth, and `evaluate` finding each of them.

A small demo (20 people, 14 reps) is generated and evaluated once for the module —
as `accountable evaluate` does: the demo, then the warnings run — read into memory,
and rolled back; the tests look at what was read.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from accountable.checkins.models import ActionItem, ActionState, CheckIn, CheckinState
from accountable.commitments.models import Commitment, State
from accountable.commitments.services import commitments_judge
from accountable.demo.evaluation import demo_evaluate, habits_score
from accountable.demo.generator import DEMO_CALENDAR, plan_organisation
from accountable.demo.habits import HABITS
from accountable.demo.loop import COMMITMENT_WEEKS, LOOP_MAX_REPS, loop_plan
from accountable.demo.management.commands.evaluate import Command as EvaluateCommand
from accountable.forecasts.errors import ForecastError
from accountable.forecasts.models import ForecastSubmission
from accountable.forecasts.services import forecast_submit, won_by
from accountable.org.calendar import Kind
from accountable.org.models import Person, Role, Team, TeamKind
from accountable.plans.models import Plan, PlanState
from accountable.plans.selectors import account_flags

TODAY = date(2026, 11, 24)  # a Tuesday in the fourth quarter
PEOPLE = 20

pytestmark = pytest.mark.django_db
REAL_DATABASE = django_settings.DATABASES["default"]["NAME"]


@dataclass
class Loop:
    """What the tests look at, read once from the evaluated demo."""

    figures: dict
    truth: dict
    reps: dict[str, Person]
    managers: dict[int, int]  # rep id → their team manager's id
    teams: dict[int, int]  # rep id → team id
    forecasts: list[ForecastSubmission] = field(default_factory=list)
    floors: dict[int, Decimal] = field(default_factory=dict)  # submission id → won by its week
    won: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # resubmitted through the service
    commitments: list[Commitment] = field(default_factory=list)
    judged_again: int = -1
    checkins: list[CheckIn] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    plans: list = field(default_factory=list)  # (plan, [(as of, commitments, figures)], actions)
    flags: list = field(default_factory=list)

    def with_habit(self, habit: str) -> list[Person]:
        return [
            self.reps[email]
            for email, record in self.truth["people"].items()
            if habit in record.get("habits", ())
        ]

    def plain(self) -> list[Person]:
        """Reps with no planted habit, ramped (not new hires)."""
        return [
            self.reps[email]
            for email, record in self.truth["people"].items()
            if not record.get("habits") and record["archetype"] != "new_hire"
        ]


def _read(figures: dict, truth: dict) -> Loop:
    reps = {p.email: p for p in Person.objects.filter(role=Role.REP)}
    managers, teams = {}, {}
    for team in Team.objects.filter(kind=TeamKind.TEAM).prefetch_related("managers"):
        manager = team.managers.get()
        for rep in reps.values():
            if rep.team_id == team.pk:
                managers[rep.pk], teams[rep.pk] = manager.pk, team.pk
    loop = Loop(figures=figures, truth=truth, reps=reps, managers=managers, teams=teams)
    loop.forecasts = list(ForecastSubmission.objects.order_by("person_id", "period", "week_of"))
    calendar = DEMO_CALENDAR
    for submission in loop.forecasts:
        period = calendar.parse(submission.period)
        loop.floors[submission.pk] = won_by(submission.person_id, period, submission.week_of)
        key = (submission.person_id, submission.period)
        if key not in loop.won and period.end < TODAY:
            loop.won[key] = won_by(submission.person_id, period, period.end)
    # The planted figures are what the service itself accepts for history.
    for submission in random.Random(1).sample(loop.forecasts, 40):
        try:
            with transaction.atomic():
                forecast_submit(
                    actor=None,
                    person=submission.person,
                    period=submission.period,
                    week=submission.week_of,
                    commit=submission.commit,
                    best_case=submission.best_case,
                )
                transaction.set_rollback(True)
        except ForecastError as error:
            loop.refused.append(f"{submission}: {error}")
    # The weekly promises; a plan review's answers are commitments in words (below).
    loop.commitments = list(
        Commitment.objects.exclude(metric="").order_by("person_id", "due_on", "pk")
    )
    loop.plans = [
        (
            plan,
            [(r.as_of, r.commitments.count(), r.figures) for r in plan.reviews.all()],
            plan.actions.count(),
        )
        for plan in Plan.objects.filter(kind="quarterly", period="2026-Q4")
    ]
    loop.flags = account_flags(Person.objects.filter(role=Role.REP), TODAY.year, TODAY)
    loop.checkins = list(CheckIn.objects.order_by("person_id", "starts_at"))
    loop.actions = list(
        ActionItem.objects.select_related("checkin").order_by("about_id", "due_on", "pk")
    )
    # Judging again as of the demo's today changes nothing: the verdicts are the
    # product's own.
    with transaction.atomic():
        loop.judged_again = commitments_judge(today=TODAY)
        transaction.set_rollback(True)
    return loop


@pytest.fixture(scope="module")
def loop(django_db_setup, django_db_blocker, tmp_path_factory) -> Loop:
    path = tmp_path_factory.mktemp("loop") / "truth.json"
    with django_db_blocker.unblock(), transaction.atomic():
        assert connection.settings_dict["NAME"] != REAL_DATABASE, "not on the test database"
        figures = demo_evaluate(seed=7, people=PEOPLE, as_of=TODAY, truth_path=path)
        data = _read(figures, json.loads(path.read_text()))
        transaction.set_rollback(True)
    return data


# --- evaluate -----------------------------------------------------------------------------


def test_evaluate_shows_every_planted_habit(loop):
    figures = loop.figures
    planted = {key: tally["planted"] for key, tally in figures["habits"].items()}
    assert planted == {"over_caller": 1, "sandbagger": 1, "misser": 2, "keeper": 4}
    assert figures["habits_right"] == figures["habits_planted"] == 8, figures["habits_wrong"]
    assert figures["habits_wrong"] == []
    # The missers' warning counts with the engine's own: found, and never raised elsewhere.
    assert figures["warnings"]["missed_commitments"] == {
        "tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0,
        "fn_not_enough_data": 0, "healthy_alarms": 0,
    }  # fmt: skip
    assert figures["false_alarms"] == 0, figures["false_alarm_detail"]


def test_evaluate_prints_the_habits_after_the_warnings(loop):
    out = StringIO()
    command = EvaluateCommand(stdout=out)
    command._table(loop.figures)
    text = out.getvalue()
    assert "Planted habits shown right: 8 of 8" in text
    assert text.index("missed_commitments") < text.index("planted habit")
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.strip()}
    assert lines["over_caller"] == ["1", "1"] and lines["misser"] == ["2", "2"]
    assert "habit not shown" not in text


def test_habits_score_says_what_the_product_shows_instead():
    truth = {
        "over@x": {"habits": ["over_caller"]},
        "sand@x": {"habits": ["sandbagger"]},
        "keep@x": {"habits": ["keeper"]},
        "miss@x": {"habits": ["misser"]},
        "both@x": {"habits": ["over_caller", "keeper"]},
        "plain@x": {"habits": []},
    }
    warned = {"keep@x": {"missed_commitments"}, "plain@x": {"missed_commitments"}}
    bias = {"over@x": -0.04, "sand@x": None, "both@x": 0.4, "plain@x": 0.9}
    result = habits_score(truth, warned, bias, "2026-Q3").as_dict()

    assert result["habits"]["over_caller"] == {"planted": 2, "right": 1}
    assert result["habits"]["keeper"] == {"planted": 2, "right": 1}
    assert result["habits_right"] == 2 and result["habits_planted"] == 6
    assert result["habits_wrong"] == [
        "over@x (over_caller): forecast bias -4.0% in 2026-Q3, expected above 0",
        "sand@x (sandbagger): no forecast accuracy in 2026-Q3 (not enough data)",
        "keep@x (keeper): a missed_commitments warning",
        "miss@x (misser): no missed_commitments warning",
    ]


# --- the ground truth -----------------------------------------------------------------------


def test_the_ground_truth_records_who_has_which_habit(loop):
    people = loop.truth["people"]
    assert loop.truth["loop"] == {
        "reps": 14,
        "forecast_judged_in": "2026-Q3",
        "commitments_from": (date(2026, 11, 23) - timedelta(weeks=COMMITMENT_WEEKS)).isoformat(),
    }
    assert all("habits" in record for record in people.values())
    for email, record in people.items():
        habits = record["habits"]
        bias = {"over_caller": "positive", "sandbagger": "negative"}
        assert record["expected_forecast_bias"] == next(
            (bias[h] for h in habits if h in bias), None
        ), email
        assert ("missed_commitments" in record["expected_warnings"]) == ("misser" in habits)
        if "misser" in habits:
            # On a star or steady rep the warning would count as a false alarm.
            assert record["archetype"] not in {"star", "steady", "new_hire"}
        if "keeper" in habits:
            assert record["archetype"] in {"star", "steady"}
        if habits:
            assert record["archetype"] != "new_hire"
    [over], [sand] = loop.with_habit("over_caller"), loop.with_habit("sandbagger")
    assert over != sand
    assert people[over.email]["facts"]["forecast_judged_in"] == "2026-Q3"
    assert "keeper" in people["rep@demo.test"]["habits"]


def test_the_loop_is_planted_for_whole_teams_up_to_a_bound():
    plan = plan_organisation(seed=7, people=600, today=TODAY)
    loop = loop_plan(plan)
    teams = Counter(rep.team for rep in loop.reps)
    everyone = Counter(p.team for p in plan.people if p.role == Role.REP)

    assert 100 < len(loop.reps) <= LOOP_MAX_REPS < sum(everyone.values())
    assert all(teams[team] == everyone[team] for team in teams)  # whole teams only
    assert set(loop.habits) <= {rep.email for rep in loop.reps}
    dealt = Counter(key for keys in loop.habits.values() for key in keys)
    assert dealt["over_caller"] == dealt["sandbagger"] == len(loop.reps) // 30
    assert dealt["misser"] == len(loop.reps) // 15 and dealt["keeper"] == len(loop.reps) // 8
    assert loop_plan(plan) == loop
    assert set(HABITS) >= set(dealt)


# --- forecasts ------------------------------------------------------------------------------


def _quarters() -> list:
    first = DEMO_CALENDAR.period(Kind.QUARTER, date(2025, 7, 1))
    quarters = [first]
    while quarters[-1].end < TODAY:
        quarters.append(quarters[-1].next())
    return quarters


def test_every_rep_calls_their_forecast_every_week(loop):
    by_rep: dict[int, Counter] = defaultdict(Counter)
    for submission in loop.forecasts:
        by_rep[submission.person_id][submission.period] += 1
        assert submission.best_case >= submission.commit >= loop.floors[submission.pk]
        assert submission.submitted_at.date() < TODAY
        assert submission.submitted_by_id is None  # the system's import of history
        assert submission.submitted_at.weekday() in (2, 3, 4)
        week = DEMO_CALENDAR.period(Kind.WEEK, submission.week_of)
        assert week.start == submission.week_of
    assert loop.refused == []

    quarters = _quarters()
    assert [q.label for q in quarters] == [
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
    ]  # fmt: skip
    for rep in loop.plain() + loop.with_habit("over_caller") + loop.with_habit("sandbagger"):
        calls = by_rep[rep.pk]
        assert set(calls) == {q.label for q in quarters}, rep.email
        for quarter in quarters[:-1]:
            weeks = {
                DEMO_CALENDAR.period(Kind.WEEK, quarter.start).start + timedelta(weeks=n)
                for n in range(15)
            }
            assert calls[quarter.label] == sum(1 for w in weeks if w <= quarter.end), rep.email
        # This quarter's so far: every week from the one it starts in (28 September) to
        # last week; this week's call is due from tomorrow.
        assert calls["2026-Q4"] == 8, rep.email


def test_calls_follow_each_reps_habit(loop):
    """Over the completed quarters: the over-caller commits 1.3 to 1.6 times what they
    won, the sandbagger half to two thirds of it (or what was won already, later in
    the quarter), everyone else within about 10%."""

    def ratios(rep: Person) -> list[float]:
        found = []
        for submission in loop.forecasts:
            won = loop.won.get((submission.person_id, submission.period))
            if submission.person_id == rep.pk and won:
                found.append(float(submission.commit / won))
        return found

    [over] = loop.with_habit("over_caller")
    assert min(ratios(over)) > 1.25 and max(ratios(over)) < 1.65
    [sand] = loop.with_habit("sandbagger")
    assert max(ratios(sand)) <= 1.0 and sum(ratios(sand)) / len(ratios(sand)) < 0.85
    early = [
        float(s.commit / loop.won[(s.person_id, s.period)])
        for s in loop.forecasts
        if s.person_id == sand.pk
        and loop.won.get((s.person_id, s.period))
        and s.week_of <= DEMO_CALENDAR.parse(s.period).start + timedelta(days=14)
    ]
    assert early and max(early) < 0.75
    for rep in loop.plain():
        theirs = ratios(rep)
        assert theirs, rep.email
        assert 0.95 < sum(theirs) / len(theirs) < 1.05, rep.email
        assert max(abs(r - 1) for r in theirs) < 0.13, rep.email


# --- commitments ----------------------------------------------------------------------------


def test_commitments_are_made_weekly_and_judged_by_the_product(loop):
    this_week = date(2026, 11, 23)
    assert loop.judged_again == 0
    by_rep: dict[int, Counter] = defaultdict(Counter)
    for commitment in loop.commitments:
        assert commitment.metric in {"first_meetings", "calls", "prospecting_activities"}
        assert commitment.value > 0 and commitment.created_by_id == commitment.person_id
        assert commitment.start_on.weekday() == 0 and commitment.due_on.weekday() == 4
        assert commitment.due_on - commitment.start_on == timedelta(days=4)
        by_rep[commitment.person_id][commitment.start_on] += 1
        if commitment.due_on < TODAY:
            assert commitment.state in {State.MET, State.PARTLY, State.MISSED}
            assert commitment.actual is not None and commitment.judged_on == TODAY
        else:
            assert commitment.start_on == this_week and commitment.state == State.OPEN
    first = this_week - timedelta(weeks=COMMITMENT_WEEKS)
    for rep in loop.plain():
        weeks = by_rep[rep.pk]
        assert set(weeks) <= {first + timedelta(weeks=n) for n in range(COMMITMENT_WEEKS + 1)}
        assert len(weeks) >= COMMITMENT_WEEKS - 1, rep.email
        assert set(weeks.values()) <= {1, 2} and 2 in weeks.values(), rep.email


def test_keepers_keep_missers_miss_and_the_rest_keep_nearly_all(loop):
    since = TODAY - timedelta(days=91)

    def decided(rep: Person) -> list[Commitment]:
        return [
            c
            for c in loop.commitments
            if c.person_id == rep.pk and since <= c.due_on < TODAY and c.state != State.OPEN
        ]

    for keeper in loop.with_habit("keeper"):
        theirs = decided(keeper)
        assert len(theirs) >= 10 and {c.state for c in theirs} == {State.MET}, keeper.email
    for misser in loop.with_habit("misser"):
        theirs = decided(misser)
        missed = [c for c in theirs if c.state != State.MET]
        # What the missed_commitments warning needs: two or more, and half or more.
        assert len(missed) >= 2 and len(missed) >= 0.7 * len(theirs), misser.email
        assert all(c.value > c.actual for c in missed)
        rates = [float(c.actual / c.value) for c in missed]
        assert sum(rates) / len(rates) < 0.85
    for rep in loop.plain():
        assert sum(c.state != State.MET for c in decided(rep)) <= 1, rep.email


# --- check-ins ------------------------------------------------------------------------------


def test_every_rep_has_weekly_check_ins_with_their_manager(loop):
    by_rep: dict[int, list[CheckIn]] = defaultdict(list)
    for checkin in loop.checkins:
        by_rep[checkin.person_id].append(checkin)
    assert set(by_rep) == {rep.pk for rep in loop.reps.values()}
    private = 0
    for rep in loop.reps.values():
        theirs = by_rep[rep.pk]
        assert {c.manager_id for c in theirs} == {loop.managers[rep.pk]}
        days = [c.starts_at.date() for c in theirs]
        assert all(b - a == timedelta(days=7) for a, b in pairwise(days))
        *past, upcoming = theirs
        # The next one is scheduled, within the week; everything before it is over.
        assert upcoming.state == CheckinState.SCHEDULED
        assert TODAY <= upcoming.starts_at.date() < TODAY + timedelta(days=7)
        assert all(c.starts_at.date() < TODAY for c in past)
        held = [c for c in past if c.state == CheckinState.HELD]
        assert all(c.state in {CheckinState.HELD, CheckinState.CANCELLED} for c in past)
        assert all(c.held_on == c.starts_at.date() and c.shared_notes for c in held)
        if loop.truth["people"][rep.email]["archetype"] != "new_hire":
            assert len(past) == 8 and len(held) >= 6, rep.email
        private += sum(bool(c.private_notes) for c in held)
        assert len({c.uid for c in theirs}) == len(theirs)
    assert private >= 5


def test_action_items_some_done_some_open_one_overdue_in_each_team(loop):
    overdue_by_team = Counter()
    states = Counter()
    for action in loop.actions:
        rep = action.about_id
        assert action.owner_id in {rep, loop.managers[rep]}
        assert action.checkin.state == CheckinState.HELD and action.checkin.person_id == rep
        assert action.due_on > action.checkin.held_on
        if action.state == ActionState.DONE:
            assert action.checkin.held_on <= action.done_on <= action.due_on < TODAY
            states["done"] += 1
        elif action.due_on < TODAY:
            overdue_by_team[loop.teams[rep]] += 1
            states["overdue"] += 1
        else:
            states["open"] += 1
    assert set(overdue_by_team.values()) == {1}
    assert len(overdue_by_team) == len(set(loop.teams.values()))
    assert states["done"] >= 5 and states["open"] >= 2


def test_nobody_is_given_an_action_item_they_still_have_open(loop):
    # Agreed again while the first was open, it stood twice on the manager's list.
    agreed = sorted(loop.actions, key=lambda a: a.checkin.held_on)
    for i, action in enumerate(agreed):
        for later in agreed[i + 1 :]:
            same = (later.owner_id, later.about_id, later.text)
            if same != (action.owner_id, action.about_id, action.text):
                continue
            assert action.done_on is not None and action.done_on < later.checkin.held_on


# --- plans ----------------------------------------------------------------------------------


def test_every_rep_plans_the_quarter_and_most_plans_are_approved_and_reviewed(loop):
    assert {plan.person_id for plan, _, _ in loop.plans} == {r.pk for r in loop.reps.values()}
    states = Counter(plan.state for plan, _, _ in loop.plans)
    assert states[PlanState.APPROVED] >= len(loop.plans) // 2
    assert states[PlanState.SUBMITTED] + states[PlanState.RETURNED] > 0
    for plan, reviews, actions in loop.plans:
        assert actions == 2
        if plan.state != PlanState.APPROVED:
            assert reviews == []
            continue
        ((as_of, commitments, figures),) = reviews
        assert as_of == TODAY and commitments == 2
        if figures["period"] is not None:  # the review keeps the plan against actuals
            assert Decimal(figures["period"]["planned"]) > 0


def test_each_team_has_an_a_account_without_a_plan_to_flag(loop):
    flagged = {loop.teams[f.owner.pk] for f in loop.flags if "no plan" in f.why}
    assert flagged and flagged <= set(loop.teams.values())
