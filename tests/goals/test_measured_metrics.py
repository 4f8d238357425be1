"""Every measurable goal is measured: new accounts, revenue growth, win rate, average deal
size and sales cycle, for a person (a split deal by share) and a team (a split deal
once), with the board's attainment (lower is better for the cycle) and the board's pace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from accountable.crm.models import DealSplit
from accountable.goals import actuals, okrs, services
from accountable.goals.models import Goal
from accountable.goals.selectors import goal_progress, smart_context_for
from accountable.goals.suggest import target_suggest
from accountable.org.calendar import DEFAULT_CALENDAR
from accountable.org.services import organisation_get
from accountable.scorecards import formulas as f
from accountable.scorecards.selectors import metric_summary
from tests.crm.factories import AccountFactory, DealFactory, announce_deals, stage

pytestmark = pytest.mark.django_db

Q3 = DEFAULT_CALENDAR.parse("2026-Q3")
AS_OF = date(2026, 9, 30)


@pytest.fixture
def sales(org):
    """Q3 2026: a 10,000 deal split 60/40 between Rita and Rob (a new account, 44 days),
    Rita's own 2,000 (an account first won in 2025, 50 days from engagement) and a loss,
    Rob's own 1,000 (a new account, 49 days) and a loss. Q3 2025: Rita won 4,000."""
    won, lost = stage("Won"), stage("Lost")
    fresh, old, other = AccountFactory(), AccountFactory(), AccountFactory()
    DealFactory(
        owner=org.rep,
        account=old,
        stage=won,
        amount=4000,
        created_on=date(2025, 7, 1),
        closed_on=date(2025, 8, 1),
    )
    shared = DealFactory(
        owner=org.rep,
        account=fresh,
        stage=won,
        amount=10000,
        created_on=date(2026, 7, 1),
        closed_on=date(2026, 8, 14),
    )
    DealSplit.objects.create(deal=shared, person=org.rep, share=60)
    DealSplit.objects.create(deal=shared, person=org.rep2, share=40)
    announce_deals([shared])  # splits written straight in the table
    DealFactory(
        owner=org.rep,
        account=old,
        stage=won,
        amount=2000,
        created_on=date(2026, 6, 1),
        engaged_on=date(2026, 6, 11),
        closed_on=date(2026, 7, 31),
    )
    DealFactory(owner=org.rep, stage=lost, amount=5000, closed_on=date(2026, 8, 1))
    DealFactory(
        owner=org.rep2,
        account=other,
        stage=won,
        amount=1000,
        created_on=date(2026, 7, 2),
        closed_on=date(2026, 8, 20),
    )
    DealFactory(owner=org.rep2, stage=lost, amount=700, closed_on=date(2026, 9, 1))
    return org


def goal(owner, metric: str, target) -> Goal:
    person = owner if hasattr(owner, "email") else None
    return Goal.objects.create(
        person=person,
        team=None if person else owner,
        metric=metric,
        target_value=Decimal(str(target)),
        period=Q3.label,
        period_start=Q3.start,
        period_end=Q3.end,
    )


def figure(metric: str, *people) -> Decimal | None:
    return actuals.figure(metric, [p.pk for p in people], Q3.start, AS_OF, period=Q3).value


def test_a_split_deal_counts_by_share_for_a_person_and_once_for_a_team(sales):
    org = sales
    rita, rob, team = (org.rep,), (org.rep2,), (org.rep, org.rep2)
    # Win rate: Rita won the shared deal and her own, lost one; the team won 3 of 5.
    assert figure("win_rate", *rita) == pytest.approx(Decimal(200) / 3)
    assert figure("win_rate", *team) == Decimal(60)
    # Deal size: Rita's 6,000 share and 2,000 over two wins; the team's 13,000 over three.
    assert figure("avg_deal_size", *rita) == Decimal("4000.00")
    assert figure("avg_deal_size", *rob) == Decimal("2500.00")
    assert figure("avg_deal_size", *team) == Decimal("4333.33")
    # Cycle: the median days of each win, the shared one once for the team.
    assert figure("cycle_days", *rita) == Decimal(47)
    assert figure("cycle_days", *team) == Decimal(49)
    # New accounts: the shared deal's account is new for both, once for the team.
    assert figure("new_accounts", *rita) == 1
    assert figure("new_accounts", *rob) == 2
    assert figure("new_accounts", *team) == 2
    # Growth: Rita's 8,000 against last Q3's 4,000; Rob had nothing a year before.
    assert figure("revenue_growth", *rita) == Decimal(100)
    assert figure("revenue_growth", *rob) is None
    assert figure("revenue_growth", *team) == Decimal(225)


@pytest.mark.parametrize(
    ("metric", "target", "percent"),
    [
        ("win_rate", 50, 133),  # 66.7 % against 50 %
        ("avg_deal_size", 8000, 50),
        ("cycle_days", 23.5, 50),  # 47 days against 23.5: lower is better
        ("new_accounts", 2, 50),
        ("revenue_growth", 50, 200),
    ],
)
def test_goal_progress_for_each_new_metric(sales, metric, target, percent):
    progress = goal_progress(goal(sales.rep, metric, target), today=AS_OF)
    assert progress.percent == percent
    # Ratios are not paced: the target itself is expected now, as on the board.
    assert progress.expected_percent == 100


def test_team_goal_progress_counts_the_split_deal_once(sales):
    org = sales
    assert goal_progress(goal(org.north_field, "win_rate", 60), today=AS_OF).percent == 100
    cycle = goal_progress(goal(org.north_field, "cycle_days", 49), today=AS_OF)
    assert (cycle.actual, cycle.percent) == (Decimal(49), 100)
    assert goal_progress(goal(org.north_field, "new_accounts", 4), today=AS_OF).percent == 50


def test_no_revenue_a_year_before_gives_no_growth_figure_and_says_so(sales):
    progress = goal_progress(goal(sales.rep2, "revenue_growth", 10), today=AS_OF)
    assert progress.actual is None and progress.percent is None
    assert "not enough data" in progress.note


def test_a_cycle_goal_reads_half_at_twice_the_target_and_improves_as_it_falls(org):
    won = stage("Won")
    DealFactory(owner=org.rep, stage=won, created_on=date(2026, 7, 1), closed_on=date(2026, 8, 30))
    cycle = goal(org.rep, "cycle_days", 30)
    assert goal_progress(cycle, today=AS_OF).actual == Decimal(60)
    assert goal_progress(cycle, today=AS_OF).percent == 50
    DealFactory(owner=org.rep, stage=won, created_on=date(2026, 9, 1), closed_on=date(2026, 9, 11))
    faster = goal_progress(cycle, today=AS_OF)
    assert faster.actual == Decimal(35) and faster.percent == 85


def test_goal_pace_is_the_boards_pace_seasonal_when_the_target_is_split(sales):
    org = sales
    as_of = date(2026, 8, 14)
    parts = (("2026-Q3", 40000), ("2026-07", 5000), ("2026-08", 5000), ("2026-09", 30000))
    for label, value in parts:
        services.target_set(
            actor=org.admin, owner=org.rep, metric="revenue", period_label=label, value=value
        )
    revenue = goal(org.rep, "revenue", 40000)
    board = metric_summary(org.admin, metric="revenue", period=Q3, as_of=as_of, person=org.rep)
    progress = goal_progress(revenue, today=as_of)
    assert progress.expected_percent == round(board.pace * 100)
    assert progress.expected_percent != round(f.pace(Q3, as_of) * 100)
    # Without parts: the period's working days, as the board paces it.
    calls = goal(org.rep, "calls", 100)
    assert goal_progress(calls, today=as_of).expected_percent == round(f.pace(Q3, as_of) * 100)


def test_a_ratio_is_worked_out_per_period_never_added_up(sales):
    org = sales
    months = Q3.children("month")
    rates = actuals.by_person_and_period("win_rate", [org.rep.pk], months)[org.rep.pk]
    # July: one win; August: the shared win and a loss; September: nothing closed.
    assert rates == {"2026-07": Decimal(100), "2026-08": Decimal(50), "2026-09": None}
    sizes = actuals.by_person_and_period("avg_deal_size", [org.rep.pk], [Q3])[org.rep.pk]
    assert sizes == {"2026-Q3": Decimal("4000.00")}


def test_an_okr_key_result_on_the_cycle_and_on_new_accounts(sales, monkeypatch):
    org = sales
    team = okrs.objective_create(
        actor=org.manager,
        title="Faster",
        level="team",
        owner=org.north_field,
        period_label="2026-Q3",
    )
    okrs.key_result_create(actor=org.manager, objective=team, metric="cycle_days", target_value=98)
    okrs.key_result_create(actor=org.manager, objective=team, metric="new_accounts", target_value=4)
    (node,) = okrs.okr_tree(org.manager, today=AS_OF)
    rows = {row.key_result.metric: row for row in node.key_results}
    assert (rows["cycle_days"].actual, rows["cycle_days"].percent) == (Decimal(49), 200)
    assert rows["cycle_days"].actual_text == "49 days"
    assert (rows["new_accounts"].actual, rows["new_accounts"].percent) == (2, 50)


def test_the_smart_check_compares_a_win_rate_with_past_quarters(sales):
    org = sales
    draft = services.GoalInput(
        owner=org.rep, metric="win_rate", target_value=Decimal(90), period="2026-Q4"
    )
    context = smart_context_for(draft, today=date(2026, 10, 5))
    # Q3 is the only quarter with closed deals: Rita's 66.7 %, Rob's 50 %.
    assert context.person_best.label == "2026-Q3"
    assert context.person_best.value == pytest.approx(Decimal(200) / 3)
    with time_machine.travel(date(2026, 10, 5), tick=False):
        results = {r.letter: r for r in services.smart_results(draft)}
    assert results["M"].ok
    assert "66.67 in 2026-Q3" in results["A"].message


def test_a_cycle_history_picks_the_lowest_quarter(sales):
    org = sales
    draft = services.GoalInput(
        owner=org.rep, metric="cycle_days", target_value=Decimal(10), period="2026-Q4"
    )
    context = smart_context_for(draft, today=date(2026, 10, 5))
    assert context.team_best.value == Decimal("46.5")  # Rob's 44 and 49


def test_suggestions_for_rates_are_unscaled_and_need_enough_deals(org):
    won, lost = stage("Won"), stage("Lost")
    for n in range(6):
        day = date(2026, 6, 1 + n)
        DealFactory(owner=org.rep, stage=won, amount=3000, created_on=day, closed_on=day)
        DealFactory(owner=org.rep, stage=lost, created_on=day, closed_on=day)
    with time_machine.travel(date(2026, 7, 15), tick=False):
        rate, note = target_suggest(org.rep, "win_rate", "2026-Q3")
        size, _ = target_suggest(org.rep, "avg_deal_size", "2026-Q4")
        thin, why = target_suggest(org.rep2, "win_rate", "2026-Q3")
        growth, plainly = target_suggest(org.rep, "revenue_growth", "2026-Q3")
    assert rate == Decimal("50.00") and "12 deals closed" in note
    assert size == Decimal("3000.00")
    assert thin is None and "Too little history" in why and "5 needed" in why
    assert growth is None and "no suggestion" in plainly


def test_rates_are_not_split_by_seasons_nor_allocated_by_shares(org):
    services.target_set(
        actor=org.manager, owner=org.north_field, metric="win_rate", period_label="2026-Q3",
        value=40,
    )  # fmt: skip
    with pytest.raises(services.GoalsError, match="is a rate"):
        services.target_allocate(
            actor=org.manager,
            team=org.north_field,
            metric="win_rate",
            period_label="2026-Q3",
            method="share",
        )


@given(
    target=st.decimals(min_value=1, max_value=1000, places=1),
    faster=st.decimals(min_value=1, max_value=500, places=1),
    slower=st.decimals(min_value=1, max_value=500, places=1),
)
def test_attainment_of_a_lower_is_better_metric_improves_as_it_falls(target, faster, slower):
    low, high = sorted((faster, slower))
    assert f.attainment(low, target, False) >= f.attainment(high, target, False)
    assert f.attainment(target * 2, target, False) == pytest.approx(0.5)


@given(
    now=st.decimals(min_value=0, max_value=10**6, places=2),
    before=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
)
def test_growth_has_the_sign_of_the_change(now, before):
    from accountable.scorecards.metrics import Counts, metric_value

    growth = metric_value(
        "revenue_growth", Counts(won_amount=now), last_year=Counts(won_amount=before)
    )
    assert (growth > 0) == (now > before) and (growth < 0) == (now < before)
    assert metric_value("revenue_growth", Counts(won_amount=now), last_year=Counts()) is None


def test_calendar_is_the_default(org):
    assert organisation_get().calendar.parse("2026-Q3") == Q3


def test_a_goal_paces_by_the_persons_own_working_days_as_the_board_does(org):
    from accountable.org import services as org_services

    org_services.time_off_record(
        actor=None, person=org.rep, first_day=date(2026, 8, 3), last_day=date(2026, 8, 7)
    )
    as_of = date(2026, 8, 17)
    board = metric_summary(org.admin, metric="calls", period=Q3, as_of=as_of, person=org.rep)
    progress = goal_progress(goal(org.rep, "calls", 100), today=as_of)
    assert progress.expected_percent == round(board.pace * 100)
    assert progress.expected_percent < round(f.pace(Q3, as_of) * 100)
