"""The default demo's sales data: each planted archetype shows in the numbers, in
the direction a manager would expect, and the data hangs together.

The demo (40 people, like `accountable demo`) is generated once for the module,
read into memory, and rolled back; the tests look at the numbers only.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from accountable.crm.models import (
    Account,
    Activity,
    Deal,
    DealMilestone,
    DealSplit,
    DealStageChange,
    Feedback,
    Milestone,
    Product,
    Stage,
)
from accountable.demo.archetypes import BY_KEY
from accountable.demo.generator import DEMO_CALENDAR, DemoResult, generate_demo
from accountable.org.calendar import Kind
from accountable.org.models import Person, Role, Team
from accountable.scorecards import metrics
from accountable.targets.models import Target

TODAY = date(2026, 3, 16)

# The mark matters even though the tests read only memory: without a test that
# asks for the database, pytest-django would not set up the test database and
# the module fixture below would run against the real one.
pytestmark = pytest.mark.django_db
# Read at import, before the test database replaces it: the fixture checks it is
# not writing here.
REAL_DATABASE = django_settings.DATABASES["default"]["NAME"]


@dataclass
class Rep:
    email: str
    id: int
    team_id: int
    start_date: date
    archetype: str
    facts: dict[str, str]


@dataclass
class DemoData:
    """Everything the tests look at, read from the database once."""

    result: DemoResult
    truth: dict
    reps: dict[int, Rep]
    activities: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    deals: list[dict] = field(default_factory=list)
    stage_changes: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    milestones: list[tuple] = field(default_factory=list)
    splits: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    targets: list[tuple] = field(default_factory=list)
    feedback: list[tuple] = field(default_factory=list)
    accounts: list[tuple] = field(default_factory=list)
    products: list[tuple] = field(default_factory=list)
    stages: dict[int, tuple] = field(default_factory=dict)
    milestone_stage: dict[int, int] = field(default_factory=dict)
    scorecard_activities: int = 0  # every activity as the scorecards' rollups count them
    teams: dict[int, tuple] = field(default_factory=dict)

    def of(self, archetype: str) -> list[Rep]:
        return [rep for rep in self.reps.values() if rep.archetype == archetype]

    def one(self, archetype: str) -> Rep:
        reps = self.of(archetype)
        assert reps, f"no {archetype} in the demo"
        return reps[0]

    def ramped(self) -> list[Rep]:
        """Reps who have been selling normally all along: the team's yardstick."""
        return [rep for rep in self.reps.values() if rep.archetype != "new_hire"]


def _load(result: DemoResult) -> DemoData:
    truth = json.loads(result.ground_truth_path.read_text())
    reps = {
        person.id: Rep(
            email=person.email,
            id=person.id,
            team_id=person.team_id,
            start_date=person.start_date,
            archetype=truth["people"][person.email]["archetype"],
            facts=truth["people"][person.email]["facts"],
        )
        for person in Person.objects.filter(role=Role.REP)
    }
    data = DemoData(result=result, truth=truth, reps=reps)
    for person, occurred, kind, prospecting, number, deal in Activity.objects.values_list(
        "person_id", "occurred_at", "kind", "is_prospecting", "meeting_number", "deal_id"
    ).iterator():
        data.activities[person].append((occurred, kind, prospecting, number, deal))
    data.deals = list(
        Deal.objects.values(
            "id",
            "external_id",
            "owner_id",
            "account__owner_id",
            "status",
            "amount",
            "type",
            "created_on",
            "engaged_on",
            "expected_close_on",
            "closed_on",
            "lost_reason",
            "stage_id",
            "product__is_priority",
        )
    )
    for deal, from_stage, to_stage, changed_on in DealStageChange.objects.order_by(
        "changed_on", "recorded_at", "id"
    ).values_list("deal_id", "from_stage_id", "to_stage_id", "changed_on"):
        data.stage_changes[deal].append((from_stage, to_stage, changed_on))
    data.milestones = list(DealMilestone.objects.values_list("deal_id", "milestone_id", "done_on"))
    for deal, person, share in DealSplit.objects.values_list("deal_id", "person_id", "share"):
        data.splits[deal].append((person, share))
    data.targets = list(
        Target.objects.values_list("person_id", "team_id", "metric", "period", "value")
    )
    data.feedback = list(Feedback.objects.values_list("person_id", "kind", "received_on"))
    data.accounts = list(Account.objects.values_list("owner_id", "tier", "segment"))
    data.products = list(Product.objects.values_list("name", "product_line", "is_priority"))
    data.stages = {s.id: (s.order, s.is_won, s.is_lost) for s in Stage.objects.all()}
    data.milestone_stage = dict(Milestone.objects.values_list("id", "stage_id"))
    data.teams = {t.id: (t.name, t.parent_id) for t in Team.objects.all()}
    return data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoData:
    path = tmp_path_factory.mktemp("demo") / "truth.json"
    with django_db_blocker.unblock(), transaction.atomic():
        assert connection.settings_dict["NAME"] != REAL_DATABASE, "not on the test database"
        result = generate_demo(seed=7, people=40, today=TODAY, ground_truth_path=path)
        data = _load(result)
        data.scorecard_activities = sum(
            c.total for c in metrics.counts(None, date(2000, 1, 1), TODAY).values()
        )
        transaction.set_rollback(True)
    return data


# --- Measures, as a manager would read them ------------------------------------------


def weekly(
    demo: DemoData,
    rep: Rep,
    *,
    since: date | None = None,
    until: date = TODAY,
    own_touches: bool = False,
) -> float:
    """Activities per week from `since` (their start, or the data's) to `until`; with
    `own_touches`, only the calls, e-mails and social touches of their own outreach
    (not the ones that move a deal along, which follow the deals in hand)."""
    start = max(since or date.min, rep.start_date, _history_start(demo))
    days = [
        o.date()
        for o, kind, _p, _n, deal in demo.activities[rep.id]
        if start <= o.date() < until
        and (not own_touches or (deal is None and kind in {"call", "email", "social"}))
    ]
    return len(days) / ((until - start).days / 7)


def _history_start(demo: DemoData) -> date:
    return date.fromisoformat(demo.truth["sales_data"]["activities_from"])


def won(demo: DemoData, rep: Rep, since: date = date.min, until: date = TODAY) -> list[dict]:
    return [
        d
        for d in demo.deals
        if d["owner_id"] == rep.id and d["status"] == "won" and since <= d["closed_on"] < until
    ]


def win_rate(demo: DemoData, rep: Rep) -> float:
    closed = [d for d in demo.deals if d["owner_id"] == rep.id and d["status"] != "open"]
    return sum(d["status"] == "won" for d in closed) / len(closed)


def cycle_days(demo: DemoData, rep: Rep, since: date) -> float:
    """Average days from opening to winning, of the deals won since `since`."""
    return statistics.mean((d["closed_on"] - d["created_on"]).days for d in won(demo, rep, since))


def priority_share(demo: DemoData, rep: Rep) -> float:
    deals = won(demo, rep)
    priority = sum(d["amount"] for d in deals if d["product__is_priority"])
    return float(priority / sum(d["amount"] for d in deals))


def credited(demo: DemoData, rep: Rep, start: date, end: date) -> Decimal:
    """Won revenue credited to the rep in [start, end]: their share of split deals."""
    total = Decimal(0)
    for deal in demo.deals:
        if deal["status"] != "won" or not start <= deal["closed_on"] <= end:
            continue
        shares = dict(demo.splits.get(deal["id"], ())) or {deal["owner_id"]: Decimal(100)}
        total += deal["amount"] * shares.get(rep.id, Decimal(0)) / 100
    return total


def attainment(demo: DemoData, rep: Rep, year: int) -> float:
    fiscal_year = DEMO_CALENDAR.parse(str(year))
    target = sum(
        value
        for person, _team, metric, period, value in demo.targets
        if person == rep.id and metric == "revenue" and period.startswith(f"{year}-")
    )
    return float(credited(demo, rep, fiscal_year.start, fiscal_year.end) / target)


def median_of(values) -> float:
    return statistics.median(list(values))


# --- Every archetype shows in the data ------------------------------------------------


def test_every_archetype_is_in_the_default_demo(demo):
    assert {rep.archetype for rep in demo.reps.values()} == set(BY_KEY)


def test_low_activity_works_far_less_than_the_team(demo):
    team = median_of(weekly(demo, rep) for rep in demo.ramped())
    assert weekly(demo, demo.one("low_activity")) < 0.65 * team


def test_slump_has_fallen_well_below_their_own_usual_level(demo):
    # The last four weeks against three ordinary weeks before the fall (after the
    # kickoff week, which everyone spends away from their desks).
    slump = demo.one("slump")
    earlier_weeks = {"since": TODAY - timedelta(weeks=9), "until": TODAY - timedelta(weeks=6)}
    last_four = weekly(demo, slump, since=TODAY - timedelta(weeks=4), own_touches=True)
    before = weekly(demo, slump, **earlier_weeks, own_touches=True)
    assert last_four < 0.8 * before
    # Nobody steady moves like that.
    for rep in demo.of("steady"):
        recent = weekly(demo, rep, since=TODAY - timedelta(weeks=4), own_touches=True)
        earlier = weekly(demo, rep, **earlier_weeks, own_touches=True)
        assert recent > 0.85 * earlier, rep.email


def test_busy_not_converting_works_hard_but_wins_little(demo):
    busy = demo.one("busy_not_converting")
    assert weekly(demo, busy) >= median_of(weekly(demo, rep) for rep in demo.ramped())
    meetings = sum(1 for _o, kind, *_ in demo.activities[busy.id] if kind == "meeting")
    team_meetings = median_of(
        sum(1 for _o, kind, *_ in demo.activities[rep.id] if kind == "meeting")
        for rep in demo.ramped()
    )
    assert meetings >= team_meetings
    assert win_rate(demo, busy) < 0.6 * median_of(win_rate(demo, rep) for rep in demo.ramped())


def test_shrinking_deals_are_well_smaller_in_the_last_two_quarters(demo):
    rep = demo.one("shrinking_deals")
    declining_since = TODAY - timedelta(weeks=26)

    def average(since: date, until: date = TODAY) -> Decimal:
        return statistics.mean(d["amount"] for d in won(demo, rep, since, until))

    before = average(declining_since - timedelta(weeks=26), declining_since)
    assert average(declining_since) < Decimal("0.9") * before
    assert average(TODAY - timedelta(weeks=13)) < Decimal("0.8") * before


def test_wrong_products_sells_far_less_of_the_priorities(demo):
    team = median_of(priority_share(demo, rep) for rep in demo.ramped())
    assert priority_share(demo, demo.one("wrong_products")) < 0.5 * team


def test_stopped_prospecting_early_in_this_quarter_and_never_again(demo):
    rep = demo.one("stopped_prospecting")
    stopped = date.fromisoformat(rep.facts["prospecting_stopped_on"])
    quarter = DEMO_CALENDAR.period(Kind.QUARTER, TODAY)
    assert quarter.start < stopped <= quarter.start + timedelta(weeks=3)
    prospecting = [
        o.date() for o, _k, is_prospecting, *_ in demo.activities[rep.id] if is_prospecting
    ]
    assert prospecting and max(prospecting) < stopped
    assert sum(1 for day in prospecting if day >= stopped - timedelta(weeks=3)) > 20
    assert not [d for d in demo.deals if d["owner_id"] == rep.id and d["created_on"] >= stopped]
    # Still busy: working the deals and customers they have.
    assert weekly(demo, rep, since=stopped) > 0.8 * weekly(demo, rep, until=stopped)


def test_long_cycles_take_well_longer_than_the_team(demo):
    since = TODAY - timedelta(weeks=26)
    team = median_of(cycle_days(demo, rep, since) for rep in demo.ramped())
    assert cycle_days(demo, demo.one("long_cycles"), since) > 1.15 * team


def test_the_new_hire_starts_on_their_start_date_and_ramps(demo):
    hire = demo.one("new_hire")
    days = sorted(o.date() for o, *_ in demo.activities[hire.id])
    assert days[0] >= hire.start_date
    assert (days[0] - hire.start_date).days <= 4
    first_weeks = weekly(demo, hire, until=hire.start_date + timedelta(weeks=2))
    last_weeks = weekly(demo, hire, since=TODAY - timedelta(weeks=2))
    assert last_weeks > 1.15 * first_weeks
    # Starting at about a third of a ramped rep, and still below one.
    team = median_of(weekly(demo, rep) for rep in demo.ramped())
    assert first_weeks < 0.6 * team
    assert last_weeks < 0.9 * team


def test_the_stars_have_the_highest_attainment(demo):
    year = TODAY.year - 1  # the last full fiscal year
    stars = {rep.id: attainment(demo, rep, year) for rep in demo.of("star")}
    others = {
        rep.id: attainment(demo, rep, year) for rep in demo.ramped() if rep.archetype != "star"
    }
    assert min(stars.values()) > max(others.values())
    steady = median_of(attainment(demo, rep, year) for rep in demo.of("steady"))
    assert 0.85 < steady < 1.15


def test_only_the_planted_complainer_draws_complaints(demo):
    complaints = Counter(person for person, kind, _day in demo.feedback if kind == "complaint")
    complainer = demo.one("customer_complaints")
    planted = [key for key, a in BY_KEY.items() if a.behaviour.complaints_per_quarter]
    assert set(complaints) == {rep.id for key in planted for rep in demo.of(key)}
    recent = [
        day
        for person, kind, day in demo.feedback
        if person == complainer.id and kind == "complaint" and day >= TODAY - timedelta(days=91)
    ]
    assert len(recent) >= 2
    assert any(kind == "praise" for _person, kind, _day in demo.feedback)


def test_careless_reps_tick_fewer_checklist_items(demo):
    done = Counter(deal for deal, _milestone, _day in demo.milestones)
    owner = {d["id"]: d["owner_id"] for d in demo.deals if d["status"] == "won"}

    def per_won_deal(rep: Rep) -> float:
        deals = [deal for deal, person in owner.items() if person == rep.id]
        return sum(done[deal] for deal in deals) / len(deals)

    team = median_of(per_won_deal(rep) for rep in demo.of("steady"))
    assert per_won_deal(demo.one("busy_not_converting")) < 0.75 * team


# --- The data hangs together --------------------------------------------------------


def test_the_catalogue_and_the_accounts_look_like_a_real_company(demo):
    assert len(demo.products) == 8
    assert len({line for _n, line, _p in demo.products}) == 3
    assert sum(priority for *_, priority in demo.products) == 3
    assert {tier for _o, tier, _s in demo.accounts} == {"A", "B", "C"}
    assert {segment for *_, segment in demo.accounts} == {"Enterprise", "Mid-Market", "SMB"}
    assert {owner for owner, *_ in demo.accounts} == set(demo.reps)
    assert all(d["account__owner_id"] == d["owner_id"] for d in demo.deals)
    assert {d["type"] for d in demo.deals} == {"new_business", "renewal", "expansion"}


def test_stage_history_walks_the_pipeline_and_ends_at_the_current_stage(demo):
    for deal in demo.deals:
        history = demo.stage_changes[deal["id"]]
        assert history[0][0] is None and history[0][2] == deal["created_on"]
        for (_f, before, on_before), (after_from, after, on_after) in pairwise(history):
            assert after_from == before
            assert demo.stages[after][0] > demo.stages[before][0]
            assert on_after >= on_before
        assert history[-1][1] == deal["stage_id"], deal["external_id"]
        assert history[-1][2] <= TODAY


def test_won_lost_and_open_deals_have_consistent_dates_and_amounts(demo):
    statuses = Counter(d["status"] for d in demo.deals)
    assert statuses["won"] and statuses["lost"] and statuses["open"]
    for deal in demo.deals:
        _order, is_won, is_lost = demo.stages[deal["stage_id"]]
        if deal["status"] == "won":
            assert is_won and deal["amount"] > 0
            assert deal["created_on"] <= deal["closed_on"] <= TODAY
        elif deal["status"] == "lost":
            assert is_lost and deal["lost_reason"] and deal["closed_on"] <= TODAY
        else:
            assert not (is_won or is_lost) and deal["closed_on"] is None
            assert deal["expected_close_on"] is not None
        assert deal["created_on"] <= TODAY
        if deal["engaged_on"]:
            assert deal["engaged_on"] > deal["created_on"]


def test_milestones_are_done_only_in_stages_the_deal_reached(demo):
    reached = {
        deal: max(
            demo.stages[to][0]
            for _f, to, _d in changes
            if not demo.stages[to][1] and not demo.stages[to][2]
        )
        for deal, changes in demo.stage_changes.items()
    }
    created = {d["id"]: d["created_on"] for d in demo.deals}
    for deal, milestone, done_on in demo.milestones:
        assert demo.stages[demo.milestone_stage[milestone]][0] <= reached[deal]
        assert created[deal] <= done_on <= TODAY


def test_split_deals_credit_an_owner_and_an_overlay_in_full(demo):
    assert demo.splits
    owners = {d["id"]: d["owner_id"] for d in demo.deals}
    for deal, shares in demo.splits.items():
        assert sum(share for _person, share in shares) == 100
        assert owners[deal] in {person for person, _share in shares}
        assert len(shares) == 2
        team = {demo.reps[person].team_id for person, _share in shares}
        assert len(team) == 1


def test_activities_are_in_the_past_after_the_start_date_and_on_the_reps_own_deals(demo):
    owner = {d["id"]: d["owner_id"] for d in demo.deals}
    kinds = Counter()
    for person, rows in demo.activities.items():
        start = demo.reps[person].start_date
        for occurred, kind, _prospecting, number, deal in rows:
            assert start <= occurred.date() < TODAY
            assert occurred.weekday() < 5
            assert deal is None or owner[deal] == person
            kinds[(kind, number)] += 1
    assert {("meeting", 1), ("meeting", 2), ("demo", None), ("proposal", None)} <= set(kinds)
    assert {"call", "email", "social", "follow_up"} <= {kind for kind, _n in kinds}
    # Across segments (fewer touches on large deals, more on small ones) and the
    # seasons (a quiet turn of the year, the kickoff week).
    per_rep_week = median_of(weekly(demo, rep) for rep in demo.of("steady"))
    assert 45 < per_rep_week < 90


def test_every_rep_has_targets_for_this_quarter_and_teams_carry_their_sum(demo):
    quarter = DEMO_CALENDAR.period(Kind.QUARTER, TODAY).label
    mine = {(p, m) for p, _t, m, period, _v in demo.targets if p and period == quarter}
    for rep in demo.reps:
        assert {(rep, "revenue"), (rep, "calls"), (rep, "meetings")} <= mine
    periods = {period for *_, period, _v in demo.targets}
    assert {f"2025-Q{n}" for n in range(1, 5)} | {f"2026-Q{n}" for n in range(1, 5)} == periods

    person_value = {(p, m, period): v for p, _t, m, period, v in demo.targets if p}
    team_value = {(t, m, period): v for _p, t, m, period, v in demo.targets if t}
    for team_id, (name, _parent) in demo.teams.items():
        below = {rep.id for rep in demo.reps.values() if _under(demo, rep.team_id, team_id)}
        expected = sum(person_value.get((rep, "revenue", quarter), 0) for rep in below)
        assert team_value[(team_id, "revenue", quarter)] == expected, name


def _under(demo: DemoData, team_id: int, ancestor: int) -> bool:
    while team_id is not None:
        if team_id == ancestor:
            return True
        team_id = demo.teams[team_id][1]
    return False


def test_the_result_counts_what_was_written(demo):
    sales = demo.result.sales
    assert sales["deals"] == len(demo.deals)
    assert sales["activities"] == sum(len(rows) for rows in demo.activities.values())
    assert sales["deals_won"] + sales["deals_lost"] + sales["deals_open"] == sales["deals"]
    assert sales["split_deals"] == len(demo.splits)
    assert sales["targets"] == len(demo.targets)
    assert demo.result.counts["activities"] == sales["activities"]
    assert set(demo.result.seconds) == {"organisation", "sales_data", "rollups", "loop"}
    loop = demo.result.loop  # tests/demo/test_loop.py looks at the rows themselves
    assert set(loop) == {
        "forecasts", "commitments", "checkins", "action_items", "loop_audit_entries",
        "plans", "plan_reviews", "account_plans",
    }  # fmt: skip
    assert all(loop.values())


def test_the_scorecards_count_every_activity_the_demo_wrote(demo):
    assert demo.scorecard_activities == demo.result.sales["activities"] > 0


def test_ground_truth_records_the_sales_window_and_each_reps_facts(demo):
    window = demo.truth["sales_data"]
    assert window["weeks"] == 65 and window["activities_per_rep_week"] is None
    assert date.fromisoformat(window["activities_from"]) == date(2024, 10, 1)
    for rep in demo.reps.values():
        assert rep.facts["start_date"] == rep.start_date.isoformat()
    assert "prospecting_stopped_on" in demo.one("stopped_prospecting").facts
    assert "activity_falling_since" in demo.one("slump").facts
