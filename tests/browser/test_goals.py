"""A manager sets a quarterly team target, allocates it, sets a SMART goal for a rep
(watching the SMART letters update as they type) and reads the weekly activity it takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountable.goals.models import Goal
from accountable.org.services import organisation_get
from accountable.targets.models import Target
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import ActivityFactory, DealFactory, ensure_pipeline, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots"


@pytest.fixture
def history(org):
    """A year of Rita's selling: three wins and three losses, ten first meetings and forty
    calls a quarter, so her own funnel rates are used."""
    ensure_pipeline()
    cal = organisation_get().calendar
    quarter = cal.period("quarter", timezone.localdate())
    won, lost = stage("Won"), stage("Lost")
    for back in range(1, 5):
        q = quarter.shift(-back)
        day = q.start + timedelta(days=20)
        for _n in range(3):
            DealFactory(
                owner=org.rep, stage=won, amount=Decimal(20000), created_on=day, closed_on=day
            )
            DealFactory(owner=org.rep, stage=lost, created_on=day, closed_on=day)
        at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        for _n in range(10):
            ActivityFactory(person=org.rep, kind="meeting", meeting_number=1, occurred_at=at)
        for _n in range(40):
            ActivityFactory(person=org.rep, kind="call", occurred_at=at)
    return quarter


def test_manager_sets_allocates_and_derives_activity_targets(page, shoot, org, history):
    quarter = history.label
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("link", name="Goals").first.click()
    page.goto(f"/targets/?period={quarter}&metric=revenue&team={org.north_field.pk}")
    expect(page.get_by_role("heading", name=f"Targets · {quarter}")).to_be_visible()

    # 1. The team's quarterly target.
    page.get_by_label(f"North Field {quarter}").fill("240000")
    page.locator(f"#row-team-{org.north_field.pk} button").click()
    expect(page.get_by_text("no team target")).to_have_count(0)
    expect(page.locator(".team-row .badge")).to_contain_text("under by 240,000")
    shoot(page, "goals-1-team-target")

    # 2. Allocated evenly to Rita and Rob.
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".team-row .badge")).to_have_text("exactly allocated")
    expect(page.get_by_label(f"Rita Rep {quarter}")).to_have_value("120000")
    assert Target.objects.filter(person__isnull=False, period=quarter).count() == 2
    shoot(page, "goals-2-allocated")

    # 3. A SMART goal for Rita: the letters update as the manager types.
    page.goto(f"/goals/new/?person={org.rep.pk}")
    page.get_by_label("Metric", exact=True).select_option("revenue")
    page.get_by_label("Target", exact=True).fill("60000")
    page.get_by_label("Period").fill(quarter)
    expect(page.locator('[data-letter="R"]')).to_have_class("smart-fail")
    page.get_by_label("Company objective or priority it serves").fill("Grow the GTX line")
    expect(page.locator('[data-letter="R"]')).to_have_class("smart-pass")
    expect(page.locator('[data-letter="A"]')).to_contain_text("60,000")
    shoot(page, "goals-3-smart-goal")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_text("Saved the goal.")).to_be_visible()
    goal = Goal.objects.get()
    assert goal.status == "active" and not goal.smart_override
    shoot(page, "goals-3b-goal-detail")
    page.goto("/goals/")
    expect(page.get_by_role("link", name="Revenue (won amount): $60,000")).to_be_visible()
    shoot(page, "goals-3c-goal-list")
    page.goto(f"/goals/{goal.pk}/")

    # 4. The weekly activity it takes, worked back from Rita's own rates; saved as targets.
    page.get_by_role("link", name="Accountability measures").click()
    expect(page.locator(".measures-table")).to_contain_text("Opportunities")
    expect(page.locator(".explanation")).to_contain_text("win rate")
    shoot(page, "goals-4-measures")
    page.get_by_label("Adjust first meetings").fill("30")
    page.get_by_role("button", name="Save as Rita's activity targets").click()
    expect(page.locator(".messages")).to_contain_text("Saved 4 activity targets")
    target = Target.objects.get(person=org.rep, metric="first_meetings", period=quarter)
    assert target.value == 30
    expect(page.locator(".saved-targets")).to_contain_text("30 first meetings")
    shoot(page, "goals-5-measures-saved")


def test_okr_tree_with_computed_progress_and_confidence(page, shoot, org, history):
    from accountable.goals import okrs

    quarter = history.label
    company = okrs.objective_create(
        actor=org.executive, title="Win the mid-market", level="company", period_label=quarter
    )
    team = okrs.objective_create(
        actor=org.manager,
        title="North Field leads on GTX",
        level="team",
        owner=org.north_field,
        parent=company,
        period_label=quarter,
    )
    okrs.key_result_create(
        actor=org.executive, objective=company, metric="revenue", target_value=500000
    )
    sign_in(page, org.manager.email, PASSWORD)
    page.goto("/okrs/")
    page.get_by_text("Add a key result").click()
    page.get_by_label("Metric").select_option("meetings")
    page.get_by_label("Target", exact=True).fill("60")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Added a key result")
    page.get_by_label("Confidence").fill("7")
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".messages")).to_contain_text("now 7/10")
    assert team.key_results.get().confidence == 7
    shoot(page, "goals-6-okrs")


@pytest.fixture
def slow_history(org):
    """A year of Rita's selling with a long sales cycle — 120 days, longer than any quarter
    — so a first meeting held today closes after the quarter: too late for it. In this
    quarter so far: one 100-day win."""
    ensure_pipeline()
    cal = organisation_get().calendar
    today = timezone.localdate()
    quarter = cal.period("quarter", today)
    won, lost = stage("Won"), stage("Lost")
    for back in range(1, 5):
        day = quarter.shift(-back).start + timedelta(days=20)
        for _n in range(3):
            DealFactory(
                owner=org.rep,
                stage=won,
                amount=Decimal(20000),
                created_on=day - timedelta(days=120),
                closed_on=day,
            )
        for _n in range(2):
            DealFactory(owner=org.rep, stage=lost, created_on=day, closed_on=day)
        at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        for _n in range(10):
            ActivityFactory(person=org.rep, kind="meeting", meeting_number=1, occurred_at=at)
        for _n in range(40):
            ActivityFactory(person=org.rep, kind="call", occurred_at=at)
    DealFactory(
        owner=org.rep,
        stage=won,
        amount=Decimal(15000),
        created_on=today - timedelta(days=100),
        closed_on=today,
    )
    return quarter


def test_a_cycle_goal_reads_lower_is_better_and_the_funnel_says_too_late(
    page, shoot, org, slow_history
):
    quarter = slow_history
    common = {
        "person": org.rep,
        "created_by": org.manager,
        "period": quarter.label,
        "period_start": quarter.start,
        "period_end": quarter.end,
    }
    cycle = Goal.objects.create(metric="cycle_days", target_value=Decimal(60), **common)
    Goal.objects.create(metric="revenue", target_value=Decimal(80000), **common)
    sign_in(page, org.manager.email, PASSWORD)

    # A goal on the sales cycle: 100 days against 60 is 60 % attained, lower is better.
    page.goto(f"/goals/{cycle.pk}/")
    expect(page.get_by_role("heading", name="Sales cycle length: 60 days")).to_be_visible()
    progress = page.locator(".goal-progress")
    expect(progress).to_contain_text("100 days against 60 days")
    expect(progress).to_contain_text("60% attained (lower is better)")
    shoot(page, "goals-7-cycle-goal")
    page.screenshot(path=f"{SHOTS}/goals-7-cycle-goal.png", full_page=True)

    # The revenue goal's funnel: too late for this quarter, planned for the next.
    page.goto(f"/goals/person/{org.rep.pk}/")
    timing = page.locator(".timing.too-late")
    expect(timing).to_contain_text(f"Too late for {quarter.label}.")
    expect(timing).to_contain_text("median sales cycle of 120 days")
    closes_in = organisation_get().calendar.period(
        "quarter", timezone.localdate() + timedelta(days=120)
    )
    expect(timing).to_contain_text(f"The plan below is for {closes_in.label}")
    expect(page.locator(".measures-table")).to_contain_text("First meetings")
    shoot(page, "goals-8-funnel-too-late")
    page.screenshot(path=f"{SHOTS}/goals-8-funnel-too-late.png", full_page=True)
