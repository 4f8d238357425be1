"""Target and goal services: the rows they write, sums to the cent, audit, ramp, proration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from accountable.audit.models import AuditEntry
from accountable.goals import services
from accountable.goals.errors import GoalsError, NotAllowed, SmartFailed
from accountable.goals.models import Goal, GoalStatus
from accountable.goals.selectors import allocation_status
from accountable.goals.smart import GoalInput
from accountable.goals.suggest import target_suggest
from accountable.org.models import PersonChange
from accountable.targets.models import Target
from tests.crm.factories import ActivityFactory, DealFactory, stage

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_target_set_creates_then_updates_and_audits(org):
    target = services.target_set(
        actor=org.manager, owner=org.rep, metric="revenue", period_label="2026-q3", value="120000"
    )
    assert (target.period, target.period_start, target.period_end) == (
        "2026-Q3",
        date(2026, 7, 1),
        date(2026, 9, 30),
    )
    services.target_set(
        actor=org.manager, owner=org.rep, metric="revenue", period_label="2026-Q3", value=130000
    )
    assert Target.objects.get().value == Decimal("130000.00")
    entries = list(AuditEntry.objects.filter(object_type="targets.target").order_by("pk"))
    assert [e.action for e in entries] == ["target.create", "target.update"]
    assert entries[1].before == {"value": "120000.00"} and entries[1].after == {
        "value": "130000.00"
    }


@pytest.mark.parametrize(
    ("metric", "period", "value", "message"),
    [
        ("revenu", "2026-Q3", "1", 'Unknown metric "revenu"'),
        ("revenue", "2026-Q5", "1", "quarters run Q1 to Q4"),
        ("revenue", "2026-Q3", "-5", "can't be negative"),
        ("revenue", "2026-Q3", "lots", "must be a number"),
        ("calls", "2026-Q3", "10.5", "whole numbers"),
    ],
)
def test_target_set_refuses_bad_input_with_a_plain_message(org, metric, period, value, message):
    with pytest.raises(GoalsError, match=message):
        services.target_set(
            actor=org.manager, owner=org.rep, metric=metric, period_label=period, value=value
        )
    assert not Target.objects.exists() and not AuditEntry.objects.exists()


def test_who_may_set_targets(org):
    def allowed(actor, owner):
        return services.can_set_target(actor, owner)

    assert allowed(org.manager, org.rep) and allowed(org.manager, org.north_field)
    assert allowed(org.north_boss, org.rep) and allowed(org.admin, org.other_rep)
    assert not allowed(org.rep, org.rep)  # reps don't set their own targets
    assert not allowed(org.manager, org.other_rep) and not allowed(org.manager, org.south_field)
    assert not allowed(org.executive, org.rep) and not allowed(org.manager, org.north)
    with pytest.raises(NotAllowed):
        services.target_set(
            actor=org.rep, owner=org.rep, metric="revenue", period_label="2026-Q3", value=1
        )


def test_product_line_and_deal_type_targets_sit_beside_the_overall_one(org):
    kw = dict(actor=org.manager, owner=org.rep, metric="revenue", period_label="2026-Q3")
    services.target_set(**kw, value=100)
    services.target_set(**kw, value=40, product_line="GTX", deal_type="new_business")
    services.target_set(**kw, value=45, product_line="GTX", deal_type="new_business")
    assert Target.objects.count() == 2
    with pytest.raises(GoalsError, match="Deal type"):
        services.target_set(**kw, value=1, deal_type="upsell")


def test_split_by_working_days_adds_up_to_the_cent(org):
    services.target_set(
        actor=org.admin,
        owner=org.north_field,
        metric="revenue",
        period_label="2026",
        value="1000000",
    )
    result = services.target_split(
        actor=org.admin,
        owner=org.north_field,
        metric="revenue",
        year_label="2026",
        method="working_days",
        into="month",
    )
    months = Target.objects.filter(team=org.north_field).exclude(period="2026")
    assert months.count() == 12 and result.method == "working_days"
    assert sum(t.value for t in months) == Decimal("1000000.00")
    # July 2026 has 23 working days, February 20: the split follows them.
    assert months.get(period="2026-07").value > months.get(period="2026-02").value


def test_split_by_seasonality_follows_last_years_actuals(org):
    won = stage("Won")
    for month, amount in [(2, 10000), (5, 30000), (8, 40000), (11, 20000)]:
        DealFactory(owner=org.rep, stage=won, amount=amount, closed_on=date(2025, month, 10))
    services.target_set(
        actor=org.manager, owner=org.rep, metric="revenue", period_label="2026", value=200000
    )
    services.target_split(
        actor=org.manager,
        owner=org.rep,
        metric="revenue",
        year_label="2026",
        method="seasonality",
        into="quarter",
    )
    values = dict(
        Target.objects.filter(person=org.rep, period__contains="Q").values_list("period", "value")
    )
    assert values == {
        "2026-Q1": Decimal("20000.00"),
        "2026-Q2": Decimal("60000.00"),
        "2026-Q3": Decimal("80000.00"),
        "2026-Q4": Decimal("40000.00"),
    }


def test_split_without_a_parent_target_says_so(org):
    with pytest.raises(GoalsError, match=r"no Revenue .* target for 2026 to split"):
        services.target_split(actor=org.manager, owner=org.rep, metric="revenue", year_label="2026")


def test_allocate_evenly_and_the_over_under_selector(org):
    services.target_set(
        actor=org.manager,
        owner=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        value=100001,
    )
    assert allocation_status(org.north_field, "revenue", "2026-Q3").status == "under"
    result = services.target_allocate(
        actor=org.manager, team=org.north_field, metric="revenue", period_label="2026-Q3"
    )
    values = {t.person.email: t.value for t in result.targets}
    assert values == {"rep@acme.test": Decimal("50000.50"), "rep2@acme.test": Decimal("50000.50")}
    status = allocation_status(org.north_field, "revenue", "2026-Q3")
    assert (status.status, status.difference) == ("exact", Decimal(0))
    services.target_set(
        actor=org.manager, owner=org.rep, metric="revenue", period_label="2026-Q3", value=60000
    )
    status = allocation_status(org.north_field, "revenue", "2026-Q3")
    assert status.status == "over" and status.difference == Decimal("9999.50")
    assert status.words == "over by 9,999.50"


def test_allocate_by_share_uses_last_years_same_period(org):
    won = stage("Won")
    DealFactory(owner=org.rep, stage=won, amount=30000, closed_on=date(2025, 8, 1))
    DealFactory(owner=org.rep2, stage=won, amount=10000, closed_on=date(2025, 9, 1))
    DealFactory(owner=org.rep2, stage=won, amount=90000, closed_on=date(2025, 3, 1))  # not Q3
    services.target_set(
        actor=org.manager,
        owner=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        value=80000,
    )
    services.target_allocate(
        actor=org.manager,
        team=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        method="share",
    )
    assert Target.objects.get(person=org.rep).value == Decimal("60000.00")
    assert Target.objects.get(person=org.rep2).value == Decimal("20000.00")


def test_allocate_ramps_new_hires_and_prorates_people_who_leave(org):
    org.rep2.start_date = date(2026, 7, 1)  # joins on the first day of the quarter
    org.rep2.save()
    org.rep.left_on = date(2026, 8, 14)
    org.rep.save()
    services.target_set(
        actor=org.manager,
        owner=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        value=200000,
    )
    result = services.target_allocate(
        actor=org.manager, team=org.north_field, metric="revenue", period_label="2026-Q3"
    )
    # Ramp 25% / 50% / 75% over July, August, September: half a quota on average.
    rep2 = Target.objects.get(person=org.rep2).value
    assert Decimal("45000") < rep2 < Decimal("55000")
    # Rita leaves mid-August: 33 of the quarter's 66 working days.
    assert Target.objects.get(person=org.rep).value == Decimal("50000.00")
    assert (
        "ramping" in result.adjustments["Rob Rep"] and "left on" in result.adjustments["Rita Rep"]
    )
    assert allocation_status(org.north_field, "revenue", "2026-Q3").status == "under"


def test_allocate_prorates_someone_who_moved_in_mid_period(org):
    PersonChange.objects.create(
        person=org.rep2,
        effective_on=date(2026, 8, 17),
        from_team=org.south_field,
        to_team=org.north_field,
    )
    services.target_set(
        actor=org.manager, owner=org.north_field, metric="calls", period_label="2026-Q3", value=1000
    )
    services.target_allocate(
        actor=org.manager, team=org.north_field, metric="calls", period_label="2026-Q3"
    )
    assert Target.objects.get(person=org.rep).value == 500
    assert 0 < Target.objects.get(person=org.rep2).value < 500


def test_a_rep_may_not_allocate(org):
    services.target_set(
        actor=org.manager, owner=org.north_field, metric="revenue", period_label="2026-Q3", value=1
    )
    with pytest.raises(NotAllowed):
        services.target_allocate(
            actor=org.rep, team=org.north_field, metric="revenue", period_label="2026-Q3"
        )


def test_suggestion_is_the_80th_percentile_of_the_last_12_weeks(org):
    # One call a day in each of the 12 weeks before 13 July 2026, and a busier last week.
    first_monday = date(2026, 4, 13)
    for week in range(12):
        for n in range(10 if week == 11 else 5):
            day = date.fromordinal(first_monday.toordinal() + week * 7 + n % 5)
            ActivityFactory(
                person=org.rep, occurred_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
            )
    suggestion, note = target_suggest(org.rep, "calls", "2026-Q3")
    # 11 weeks of 5 and one of 10: the 80th percentile is 5; Q3 has 66 working days = 13.2 weeks.
    assert suggestion == Decimal("66") and "80th percentile" in note
    assert target_suggest(org.rep2, "calls", "2026-Q3")[0] is None
    org.rep2.start_date = date(2026, 7, 1)
    assert target_suggest(org.rep2, "calls", "2026-Q3")[0] is None


def goal_input(org, **kw) -> GoalInput:
    return GoalInput(
        **{
            "owner": org.rep,
            "metric": "revenue",
            "target_value": "50000",
            "period": "2026-Q3",
            "priority": "Grow the GTX line",
            **kw,
        }
    )


def test_goal_create_runs_the_smart_check(org):
    goal = services.goal_create(actor=org.manager, data=goal_input(org))
    assert goal.status == GoalStatus.ACTIVE and not goal.smart_override
    with pytest.raises(SmartFailed) as failed:
        services.goal_create(actor=org.manager, data=goal_input(org, priority=""))
    assert [r.letter for r in failed.value.results if not r.ok] == ["R"]
    assert Goal.objects.count() == 1


def test_a_smart_override_needs_a_reason_and_is_audited(org):
    with pytest.raises(SmartFailed, match="Say why"):
        services.goal_create(actor=org.manager, data=goal_input(org, priority="", override=True))
    goal = services.goal_create(
        actor=org.manager,
        data=goal_input(org, priority="", override=True, override_reason="Agreed in the QBR"),
    )
    assert goal.smart_override and goal.override_reason == "Agreed in the QBR"
    entry = AuditEntry.objects.get(action="goal.create")
    assert (
        entry.after["smart_override"] is True
        and entry.after["override_reason"] == "Agreed in the QBR"
    )


def test_achievable_fails_far_beyond_anyones_best(org):
    DealFactory(owner=org.rep2, stage=stage("Won"), amount=20000, closed_on=date(2026, 2, 3))
    with pytest.raises(SmartFailed) as failed:
        services.goal_create(actor=org.manager, data=goal_input(org, target_value="90000"))
    a = failed.value.results[2]
    assert a.letter == "A" and not a.ok and "20,000 in 2026-Q1" in a.message


def test_a_rep_proposes_a_draft_and_cannot_set_others_goals(org):
    goal = services.goal_create(actor=org.rep, data=goal_input(org))
    assert goal.status == GoalStatus.DRAFT
    with pytest.raises(NotAllowed):
        services.goal_create(actor=org.rep, data=goal_input(org, owner=org.rep2))
    updated = services.goal_update(
        actor=org.manager, goal=goal, data=goal_input(org, target_value="55000"), status="active"
    )
    assert updated.status == "active" and updated.target_value == Decimal("55000.00")
    assert AuditEntry.objects.filter(action="goal.update").count() == 1
    with pytest.raises(NotAllowed):
        services.goal_update(actor=org.rep, goal=goal, data=goal_input(org))


def test_activity_targets_from_the_funnel_with_an_adjustment(org):
    won, lost = stage("Won"), stage("Lost")
    # Trailing four quarters (2025-Q3..2026-Q2): 5 won of 10 closed, avg 10,000.
    for n in range(5):
        DealFactory(
            owner=org.rep,
            stage=won,
            amount=10000,
            created_on=date(2025, 12, 20),
            closed_on=date(2026, 1, 5 + n),
        )
        DealFactory(
            owner=org.rep, stage=lost, created_on=date(2025, 9, 1), closed_on=date(2026, 1, 5 + n)
        )
    for _n in range(20):
        ActivityFactory(
            person=org.rep,
            kind="meeting",
            meeting_number=1,
            occurred_at=datetime(2026, 2, 2, 9, tzinfo=UTC),
        )
    for _n in range(60):
        ActivityFactory(
            person=org.rep, kind="call", occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC)
        )
    for _n in range(20):
        ActivityFactory(
            person=org.rep,
            kind="email",
            channel="email",
            occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        )
    goal = services.goal_create(
        actor=org.manager,
        data=goal_input(org, target_value="50000", override=True, override_reason="x"),
    )
    saved = services.activity_targets_save(actor=org.manager, goal=goal, overrides={"meetings": 40})
    values = {t.metric: t.value for t in saved}
    # 50,000 / 10,000 = 5 deals; / 50% = 10 opportunities; meetings adjusted to 40;
    # 20 first meetings from 80 touches = 25% → 160 touches, split 3:1 calls to e-mails.
    assert values == {
        "opportunities_created": 10,
        "first_meetings": 40,
        "calls": 120,
        "emails": 40,
    }
    with pytest.raises(NotAllowed):
        services.activity_targets_save(actor=org.rep, goal=goal)


def test_the_organisations_ramp_is_used_and_only_admins_change_it(org):
    with pytest.raises(NotAllowed):
        services.ramp_set(actor=org.manager, ramp=[0.5])
    with pytest.raises(GoalsError, match="from 0 to 1"):
        services.ramp_set(actor=org.admin, ramp=[1.5])
    services.ramp_set(actor=org.admin, ramp=[0, 0, 0])  # three months with no quota at all
    assert services.ramp_get() == [0.0, 0.0, 0.0]
    assert AuditEntry.objects.filter(action="goals.ramp").exists()
    org.rep2.start_date = date(2026, 7, 1)
    org.rep2.save()
    services.target_set(
        actor=org.manager,
        owner=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        value=1000,
    )
    services.target_allocate(
        actor=org.manager, team=org.north_field, metric="revenue", period_label="2026-Q3"
    )
    assert Target.objects.get(person=org.rep2).value == 0
    assert Target.objects.get(person=org.rep).value == 500


def test_manual_allocation_reports_over_allocation(org):
    services.target_set(
        actor=org.manager,
        owner=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        value=1000,
    )
    result = services.target_allocate(
        actor=org.manager,
        team=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        method="manual",
        manual={org.rep.pk: "700", org.rep2.pk: "450.50"},
    )
    assert [t.value for t in result.targets] == [Decimal("700.00"), Decimal("450.50")]
    status = allocation_status(org.north_field, "revenue", "2026-Q3")
    assert (status.status, status.words) == ("over", "over by 150.50")
    with pytest.raises(GoalsError, match="active reps"):
        services.target_allocate(
            actor=org.manager,
            team=org.north_field,
            metric="revenue",
            period_label="2026-Q3",
            method="manual",
            manual={org.other_rep.pk: 1},
        )
