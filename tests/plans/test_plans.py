"""Sales plans: drafted, submitted, returned with reasons, revised and approved with
every version kept; the target broken down; plan against actuals equal to the
scorecard's figures; reviews that turn answers into commitments and open a catch-up
plan when behind; key accounts flagged; and nobody else's plan in reach."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accountable.audit.models import AuditEntry
from accountable.commitments.models import Commitment
from accountable.crm.models import Account
from accountable.org.services import organisation_get
from accountable.plans import figures, selectors, services
from accountable.plans.errors import PlanError
from accountable.plans.models import (
    AccountPlan,
    ActionState,
    CatchUp,
    CatchUpState,
    PlanState,
)
from accountable.scorecards import selectors as scorecards
from accountable.targets.models import Target
from tests.crm.factories import AccountFactory, DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 16)  # a Monday in the seventh week of 2026-Q4


@pytest.fixture(autouse=True)
def _monday_16_november():
    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=UTC), tick=False):
        yield


def q(label: str):
    return organisation_get().calendar.parse(label)


def target(person, label: str, value: str) -> Target:
    period = q(label)
    return Target.objects.create(
        person=person,
        metric="revenue",
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        value=Decimal(value),
    )


def won(person, amount: str, on: date):
    ensure_pipeline()
    return DealFactory(owner=person, stage=stage("Won"), amount=Decimal(amount), closed_on=on)


def approved_plan(org, quarter="2026-Q4"):
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period=quarter)
    services.plan_update(actor=org.rep, plan=plan, summary="Grow the North accounts.")
    services.plan_submit(actor=org.rep, plan=plan)
    return services.plan_decide(actor=org.manager, plan=plan, approve=True)


def test_a_plan_is_returned_with_reasons_revised_and_approved_every_version_kept(org):
    target(org.rep, "2026-Q4", "90000")
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q4")
    assert plan.state == PlanState.DRAFT and plan.due_on >= TODAY
    with pytest.raises(PlanError, match="before submitting"):
        services.plan_submit(actor=org.rep, plan=plan)
    services.plan_update(
        actor=org.rep, plan=plan, summary="Win back Globex.", pipeline="Three deals"
    )
    first = services.plan_submit(actor=org.rep, plan=plan)
    with pytest.raises(PlanError, match="returned"):
        services.plan_update(actor=org.rep, plan=plan, summary="changed behind the manager's back")
    services.plan_comment(actor=org.manager, plan=plan, section="pipeline", text="Which three?")
    with pytest.raises(PlanError, match="Say why"):
        services.plan_decide(actor=org.manager, plan=plan, approve=False)
    services.plan_decide(actor=org.manager, plan=plan, approve=False, reason="Name the deals.")
    assert plan.state == PlanState.RETURNED
    services.plan_update(actor=org.rep, plan=plan, pipeline="Globex renewal, Initech, Umbrella")
    second = services.plan_submit(actor=org.rep, plan=plan)
    services.plan_decide(actor=org.manager, plan=plan, approve=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, first.decision, first.reason) == (1, "returned", "Name the deals.")
    assert first.content["sections"]["pipeline"] == "Three deals"  # frozen as submitted
    assert second.content["sections"]["pipeline"] == "Globex renewal, Initech, Umbrella"
    assert (second.decision, plan.state) == ("approved", PlanState.APPROVED)
    assert second.content["figures"]["target"] == "90000.00"
    assert plan.comments.get().section == "pipeline"
    actions = set(
        AuditEntry.objects.filter(object_id=str(plan.pk)).values_list("action", flat=True)
    )
    assert {"plan.create", "plan.submit", "plan.return", "plan.approve", "plan.comment"} <= actions


def test_only_the_manager_chain_decides_and_a_rep_never_reaches_another_reps_plan(org):
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q4")
    services.plan_update(actor=org.rep, plan=plan, summary="Mine")
    services.plan_submit(actor=org.rep, plan=plan)
    for outsider in (org.rep, org.rep2, org.other_manager):
        with pytest.raises(PermissionDenied):
            services.plan_decide(actor=outsider, plan=plan, approve=True)
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=org.rep2, person=org.rep, kind="annual", period="2027")
    for outsider in (org.rep2, org.other_rep, org.other_manager):
        with pytest.raises(Http404):
            selectors.plan_get(outsider, plan.pk)
        assert selectors.plan_list(outsider) == []
    for chain in (org.manager, org.north_boss, org.executive, org.admin, org.rep):
        assert selectors.plan_get(chain, plan.pk) == plan


def test_bad_input_is_refused_in_words_and_writes_nothing(org):
    for kind, period, says in [
        ("monthly", "2026-Q4", "annual"),
        ("quarterly", "2026", "for a quarter"),
        ("annual", "2026-Q4", "for a year"),
        ("quarterly", "2026-Q9", "Q1 to Q4"),
        ("quarterly", "", "period"),
    ]:
        with pytest.raises(PlanError, match=says):
            services.plan_start(actor=org.rep, person=org.rep, kind=kind, period=period)
    services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q4")
    with pytest.raises(PlanError, match="already has"):
        services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q4")
    plan = selectors.plan_list(org.rep)[0]
    with pytest.raises(PlanError, match="10,000"):
        services.plan_update(actor=org.rep, plan=plan, summary="x" * 10_001)
    with pytest.raises(PlanError, match="no section"):
        services.plan_update(actor=org.rep, plan=plan, state="approved")
    plan.refresh_from_db()
    assert (plan.summary, plan.state) == ("", PlanState.DRAFT)


def test_the_target_breaks_down_by_the_split_targets_or_by_working_days(org):
    target(org.rep, "2026-Q4", "90000")
    plan = figures.breakdown(org.rep, q("2026-Q4"))
    months = plan.parts["month"]
    assert [m.label for m in months] == ["2026-10", "2026-11", "2026-12"]
    assert sum(m.planned for m in months) == Decimal("90000")  # by working days
    assert sum(w.planned for w in plan.parts["week"]) == Decimal("90000")
    target(org.rep, "2026-10", "20000")
    target(org.rep, "2026-11", "30000")
    target(org.rep, "2026-12", "40000")
    split = figures.breakdown(org.rep, q("2026-Q4")).parts["month"]
    assert [m.planned for m in split] == [Decimal("20000"), Decimal("30000"), Decimal("40000")]
    assert figures.breakdown(org.rep2, q("2026-Q4")).target is None


def test_plan_against_actuals_equals_the_scorecards_figures_for_the_same_spans(org):
    target(org.rep, "2026-Q4", "90000")
    for amount, day in [("12000", date(2026, 10, 6)), ("7000", date(2026, 11, 3)),
                        ("5000", date(2026, 11, 12)), ("999", date(2026, 11, 17))]:  # fmt: skip
        won(org.rep, amount, day)
    won(org.rep2, "40000", date(2026, 11, 4))  # a teammate's: not the rep's
    shown = figures.against_actuals(
        org.rep, q("2026-Q4"), figures.breakdown(org.rep, q("2026-Q4")), TODAY
    )
    assert shown.quarter.actual == Decimal("24000")

    def scorecard(label):
        period = q(label)
        as_of = scorecards.period_default_as_of(period, TODAY)
        return scorecards.metric_summary(
            org.manager, metric="revenue", period=period, as_of=as_of, person=org.rep
        )

    quarter = scorecard("2026-Q4")
    assert shown.quarter.actual == quarter.actual
    assert shown.required_weekly == quarter.required_weekly
    for month in shown.parts["month"]:
        expected = scorecard(month.label).actual if month.status != "to come" else None
        assert month.actual == expected, month.label
    inside = [
        w for w in shown.parts["week"] if w.start == q(w.label).start and w.status != "to come"
    ]
    assert len(inside) >= 6
    for week in inside:
        assert week.actual == scorecard(week.label).actual, week.label
    assert shown.behind and shown.quarter.gap < 0


def test_a_review_turns_what_now_into_commitments_and_opens_a_catch_up_when_behind(org):
    target(org.rep, "2026-Q4", "90000")
    won(org.rep, "10000", date(2026, 10, 8))
    plan = approved_plan(org)
    review = services.review_record(
        actor=org.rep,
        plan=plan,
        why="Two deals slipped into January.",
        what_now="Book four first meetings a week\n\nClose Initech by the 30th",
    )
    commitments = list(review.commitments.order_by("text"))
    assert [c.text for c in commitments] == [
        "Book four first meetings a week",
        "Close Initech by the 30th",
    ]
    assert all(c.due_on == date(2026, 11, 30) and c.person == org.rep for c in commitments)
    catch_up = review.catch_up
    assert catch_up.state == CatchUpState.OPEN
    shown = figures.against_actuals(
        org.rep, q("2026-Q4"), figures.breakdown(org.rep, q("2026-Q4")), TODAY
    )
    assert catch_up.shortfall == -shown.quarter.gap
    assert catch_up.weeks[0]["start"] == "2026-11-17"
    # The weeks left carry the plan still to come plus the shortfall.
    total = sum(Decimal(w["target"]) for w in catch_up.weeks)
    assert abs(total - (Decimal("90000") - Decimal("10000"))) < Decimal("0.05")
    assert review.figures["period"]["actual"] == "10000.00"
    # A second review while it is open opens no second catch-up plan.
    again = services.review_record(actor=org.manager, plan=plan, why="Still", what_now="Call")
    assert CatchUp.objects.filter(review__plan=plan).count() == 1
    services.review_sign_off(actor=org.manager, review=review)
    with pytest.raises(PermissionDenied):
        services.review_sign_off(actor=org.rep, review=again)


def test_a_catch_up_plan_ends_met_once_caught_up_or_not_met_with_the_quarter(org):
    target(org.rep, "2026-Q4", "90000")
    plan = approved_plan(org)
    review = services.review_record(actor=org.rep, plan=plan, why="Slow start", what_now="Call")
    assert services.catch_ups_judge(TODAY) == 0
    won(org.rep, "95000", date(2026, 11, 20))
    assert services.catch_ups_judge(date(2026, 11, 21)) == 1
    review.catch_up.refresh_from_db()
    assert review.catch_up.state == CatchUpState.MET
    target(org.rep2, "2026-Q4", "50000")
    plan2 = services.plan_start(actor=org.rep2, person=org.rep2, kind="quarterly", period="2026-Q4")
    services.plan_update(actor=org.rep2, plan=plan2, summary="x")
    services.plan_submit(actor=org.rep2, plan=plan2)
    services.plan_decide(actor=org.manager, plan=plan2, approve=True)
    review2 = services.review_record(actor=org.rep2, plan=plan2, why="y", what_now="z")
    assert services.catch_ups_judge(date(2027, 1, 2)) == 1
    review2.catch_up.refresh_from_db()
    assert review2.catch_up.state == CatchUpState.MISSED


def test_the_next_quarter_starts_from_the_last_open_actions_what_was_learnt_accounts(org):
    target(org.rep, "2026-Q4", "90000")
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q4")
    kept = services.action_add(actor=org.rep, plan=plan, text="Map Globex", due_on=TODAY)
    done = services.action_add(actor=org.rep, plan=plan, text="Old", due_on=TODAY)
    services.action_set(actor=org.rep, action=done, state=ActionState.DONE)
    account = AccountFactory(owner=org.rep, tier="A")
    services.account_plan_save(
        actor=org.rep, account=account, year=2026, tier="A", goal="Renew and grow",
        next_action="Meet the CFO", next_action_on=date(2026, 11, 10),
    )  # fmt: skip
    services.plan_update(actor=org.rep, plan=plan, summary="s")
    services.plan_submit(actor=org.rep, plan=plan)
    services.plan_decide(actor=org.manager, plan=plan, approve=True)
    services.review_record(actor=org.rep, plan=plan, why="Globex slipped", what_now="Escalate")
    following = services.plan_start(
        actor=org.rep, person=org.rep, kind="quarterly", period="2027-Q1"
    )
    assert following.carried_from == plan
    assert [a.text for a in following.actions.all()] == ["Map Globex"]
    assert following.actions.get().carried_from == kept
    assert "Globex slipped" in following.learnt and "Escalate" in following.learnt
    assert AccountPlan.objects.filter(person=org.rep, year=2027, account=account).exists()


def test_a_accounts_without_a_plan_or_with_an_overdue_next_action_are_flagged(org):
    bare = AccountFactory(owner=org.rep, tier="A", name="Bare A")
    AccountFactory(owner=org.rep, tier="B", name="Plain B")  # no plan needed
    late = AccountFactory(owner=org.rep, tier="B", name="Late B")
    services.account_plan_save(
        actor=org.rep, account=late, year=2026, tier="B", goal="Grow",
        next_action="Send the proposal", next_action_on=date(2026, 11, 2),
    )  # fmt: skip
    flags = selectors.account_flags([org.rep], 2026, TODAY)
    assert [(f.account.name, f.why.split(":")[0]) for f in flags] == [
        ("Bare A", "an A account with no plan for 2026"),
        ("Late B", "next action overdue since 2 Nov"),
    ]
    assert bare.tier == "A"
    with pytest.raises(PermissionDenied):
        services.account_plan_save(actor=org.rep2, account=bare, year=2026, tier="A", goal="x")
    with pytest.raises(PlanError, match="A, B or C"):
        services.account_plan_save(actor=org.rep, account=bare, year=2026, tier="D", goal="x")
    orphan = Account.objects.create(name="Nobody's")
    with pytest.raises(PlanError, match="no owner"):
        services.account_plan_save(actor=org.admin, account=orphan, year=2026, tier="A", goal="x")
    assert Commitment.objects.count() == 0


def test_the_activity_a_plan_takes_is_the_goals_pages_own_funnel(org):
    from accountable.goals.models import Goal
    from accountable.goals.selectors import funnel_plan_for

    target(org.rep, "2026-Q4", "90000")
    for month in (4, 5, 6, 7, 8, 9):
        won(org.rep, "15000", date(2026, month, 3))
    DealFactory(owner=org.rep, stage=stage("Lost"), closed_on=date(2026, 8, 20))
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q4")
    shown = selectors.activity_plan(plan, selectors.plan_breakdown(plan).target, TODAY)
    goal = Goal.objects.create(
        person=org.rep, metric="revenue", period="2026-Q4", target_value=Decimal("90000")
    )
    page = funnel_plan_for(goal, today=TODAY)
    assert [s.total for s, _ in shown.rows] == [s.total for s, _ in page.rows]
    assert shown.rows[0][0].total is not None
    other = services.plan_start(actor=org.rep2, person=org.rep2, kind="quarterly", period="2026-Q4")
    # No target: nothing to work back.
    assert selectors.activity_plan(other, selectors.plan_breakdown(other).target, TODAY) is None


def test_the_pipeline_to_close_is_the_scorecards_own(org):
    target(org.rep, "2026-Q4", "90000")
    won(org.rep, "10000", date(2026, 10, 8))
    ensure_pipeline()
    for amount, close in [("30000", date(2026, 12, 10)), ("20000", date(2027, 2, 1))]:
        DealFactory(
            owner=org.rep, stage=stage("Proposal"), amount=Decimal(amount), expected_close_on=close
        )
    shown = figures.to_close(org.rep, q("2026-Q4"), Decimal("90000"), TODAY)
    row = scorecards.scorecard_rows(org.manager, period=q("2026-Q4"), as_of=TODAY, person=org.rep)[
        0
    ]
    assert shown.open_in_period == row.pipeline_in_period == Decimal("30000")
    assert shown.weighted == row.weighted_pipeline
    assert shown.coverage == row.coverage == pytest.approx(30000 / 80000)
    assert shown.still_to_win == Decimal("80000")
    assert figures.to_close(org.rep, q("2026-Q3"), Decimal("1"), TODAY) is None  # over


def test_an_annual_plan_breaks_the_year_into_quarters_months_and_weeks(org):
    target(org.rep, "2026", "400000")
    for label, value in [("2026-Q1", "70000"), ("2026-Q2", "90000"), ("2026-Q3", "100000"),
                         ("2026-Q4", "140000")]:  # fmt: skip
        target(org.rep, label, value)
    plan = figures.breakdown(org.rep, q("2026"))
    assert [p.planned for p in plan.parts["quarter"]] == [
        Decimal("70000"), Decimal("90000"), Decimal("100000"), Decimal("140000")
    ]  # fmt: skip
    assert sum(p.planned for p in plan.parts["month"]) == Decimal("400000")
    assert len(plan.parts["week"]) >= 52
    assert sum(p.planned for p in plan.parts["week"]) == Decimal("400000")
