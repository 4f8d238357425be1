"""The scorecard screens in a real browser, at laptop and phone widths: the team board a
manager opens on Monday, a rep's scorecard, the executive roll-up and the TV leaderboard.

The data is a quarter of selling for North Field (six reps, from well ahead of pace to
far behind) and a little for the other teams, relative to today, so the screens look
the way they will on the day the test runs."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accountable.checkins.services import action_add, checkin_schedule
from accountable.commitments.services import commitment_add
from accountable.crm.models import ActivityKind
from accountable.crm.upsert import activities_upsert, deals_upsert
from accountable.goals import services as goals
from accountable.org.services import organisation_get
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.conftest import PASSWORD
from tests.crm.factories import AccountFactory, ensure_pipeline, stage
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# name, quarterly revenue target, share of the target won by today relative to pace,
# activities a week, meetings a week
PROFILES = [
    ("Omar Reyes", 120_000, 1.5, 70, 6),
    ("Ava Hart", 120_000, 0.92, 62, 5),
    ("Kai Holm", 100_000, 0.4, 75, 3),
    ("Gus Berg", 90_000, 0.33, 22, 1),
]


def quarter_of_selling(org, today=None):
    """Targets, won and lost deals, open pipeline and activities for this quarter, and
    thirteen weeks of activity before today. Returns the quarter."""
    ensure_pipeline()
    today = today or timezone.localdate()
    cal = organisation_get().calendar
    quarter = cal.period("quarter", today)
    # Early in a quarter there is little to win yet; a floor keeps every rep's numbers
    # (and so the order the tests read) whatever the day the suite runs.
    pace = max(quarter.elapsed_fraction(today - timedelta(days=1)), 0.25)
    rng = random.Random(7)
    reps = [
        PersonFactory(name=name, email=f"{name.split()[0].lower()}@acme.test", team=org.north_field)
        for name, *_ in PROFILES
    ]
    profiles = [
        *zip(reps, PROFILES, strict=True),
        (org.rep, ("Rita Rep", 110_000, 1.05, 60, 4)),
        (org.rep2, ("Rob Rep", 100_000, 0.75, 55, 4)),
        (org.inside_rep, ("Ian Inside", 80_000, 1.2, 65, 5)),
        (org.other_rep, ("Olga Other", 150_000, 0.6, 50, 3)),
    ]
    account = AccountFactory()
    deals, activities = [], []
    days_so_far = max((today - quarter.start).days, 1)
    for person, (_name, target, speed, per_week, meetings) in profiles:
        for metric, value in (
            ("revenue", target),
            ("calls", per_week * 9),
            ("meetings", 60),
            ("prospecting_activities", per_week * 3),
        ):
            goals.target_set(
                actor=org.admin,
                owner=person,
                metric=metric,
                period_label=quarter.label,
                value=value,
            )
        to_win = Decimal(round(target * pace * speed, -2))
        n = 0
        while to_win > 0:
            amount = min(to_win, Decimal(rng.choice([8, 12, 15, 22, 30]) * 1000))
            to_win -= amount
            n += 1
            closed = quarter.start + timedelta(days=rng.randrange(days_so_far))
            deals.append(
                {
                    "external_id": f"W-{person.pk}-{n}",
                    "name": f"{person.first_name} win {n}",
                    "owner": person,
                    "account": account,
                    "stage": stage("Won"),
                    "amount": amount,
                    "created_on": closed - timedelta(days=rng.randrange(20, 80)),
                    "closed_on": closed,
                }
            )
        for k in range(rng.randrange(2, 5)):
            closed = quarter.start + timedelta(days=rng.randrange(days_so_far))
            deals.append(
                {
                    "external_id": f"L-{person.pk}-{k}",
                    "name": f"{person.first_name} loss {k}",
                    "owner": person,
                    "account": account,
                    "stage": stage("Lost"),
                    "amount": Decimal(rng.choice([9, 14, 20]) * 1000),
                    "created_on": closed - timedelta(days=40),
                    "closed_on": closed,
                }
            )
        for k, name in enumerate(["Prospecting", "Engaging", "Proposal", "Negotiation"]):
            for j in range(rng.randrange(1, 4) if speed > 0.5 else 1):
                slipped = k == 2 and j == 0
                stale = k == 0 and j == 0
                deals.append(
                    {
                        "external_id": f"O-{person.pk}-{k}-{j}",
                        "name": f"{account.name} {name.lower()} {j + 1}",
                        "owner": person,
                        "account": account,
                        "stage": stage(name),
                        "amount": Decimal(rng.choice([10, 15, 25, 40]) * 1000),
                        "created_on": today - timedelta(days=90 if stale else 20),
                        "engaged_on": today - timedelta(days=90 if stale else 10),
                        "expected_close_on": today - timedelta(days=6)
                        if slipped
                        else quarter.end - timedelta(days=5),
                    }
                )
        for week in range(13):
            monday = today - timedelta(days=today.weekday() + 7 * week)
            ramp = 1.0 if week > 3 else speed**0.5
            for i in range(int(per_week * ramp * rng.uniform(0.75, 1.15))):
                day = monday + timedelta(days=i % 5)
                if day >= today:
                    continue
                kind = ActivityKind.CALL if i % 3 else ActivityKind.EMAIL
                activities.append(
                    {
                        "external_id": f"A-{person.pk}-{week}-{i}",
                        "person": person,
                        "kind": kind,
                        "occurred_at": datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
                        + timedelta(minutes=7 * i),
                        "is_prospecting": i % 4 == 0,
                    }
                )
            for i in range(meetings):
                day = monday + timedelta(days=i % 5)
                if day >= today:
                    continue
                activities.append(
                    {
                        "external_id": f"M-{person.pk}-{week}-{i}",
                        "person": person,
                        "kind": ActivityKind.MEETING,
                        "occurred_at": datetime(day.year, day.month, day.day, 14, tzinfo=UTC),
                        "meeting_number": 1 if i % 2 else 2,
                    }
                )
    deals_upsert(deals, today=today)
    activities_upsert(activities)
    goals.target_set(
        actor=org.admin,
        owner=org.north_field,
        metric="revenue",
        period_label=quarter.label,
        value=sum(p[1][1] for p in profiles[:6]),
    )
    return quarter


@pytest.fixture
def selling(org):
    return quarter_of_selling(org)


def test_the_manager_reads_the_board_sorts_it_and_opens_a_scorecard(page, shoot, org, selling):
    sign_in(page, org.manager.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"North Field · {selling.label}")
    expect(page.locator(".sc-summary")).to_contain_text("pace")
    rows = page.locator("table.board tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("Omar Reyes")  # best attainment first
    label = page.locator("table.board svg[role=img]").first.get_attribute("aria-label")
    assert label.startswith("Omar Reyes:") and "of target" in label
    shoot(page, "scorecards-1-board")
    page.emulate_media(media="print")  # menus and controls drop out; the charts stay
    expect(page.locator(".sc-head-tools")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "scorecards-1-board-print.png", full_page=True)
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Cov.").click()
    expect(page.locator("th[aria-sort]")).to_contain_text("Cov.")
    page.get_by_role("link", name="Person").click()
    expect(rows.first).to_contain_text("Ava Hart")  # A to Z

    page.get_by_role("link", name="Kai Holm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kai Holm · {selling.label}")
    expect(page.locator(".sc-tile").first).to_contain_text("Revenue")
    expect(page.locator("svg.funnel")).to_be_visible()
    shoot(page, "scorecards-2-scorecard-manager")


def test_the_board_and_the_scorecard_show_the_next_1on1_and_what_is_open(page, shoot, org, selling):
    tomorrow = timezone.localtime() + timedelta(days=1)
    at = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = checkin_schedule(actor=org.manager, person=org.rep, starts_at=at)
    commitment_add(actor=org.rep, person=org.rep, text="Send the Globex proposal", due_on=at.date())
    action_add(
        actor=org.manager, checkin=meeting, owner=org.rep, text="Call Initech back",
        due_on=at.date() + timedelta(days=7),
    )  # fmt: skip
    sign_in(page, org.manager.email, PASSWORD)
    page.goto("/board/")
    rita = page.locator("table.board tbody tr", has_text="Rita Rep")
    day = f"{at:%a} {at.day} {at:%b}"
    expect(rita.locator("td.next-1on1")).to_have_text(day)
    expect(
        page.locator("table.board tbody tr", has_text="Rob Rep").locator("td.next-1on1")
    ).to_have_text("—")
    rita.get_by_role("link", name="Rita Rep").click()
    follow_up = page.locator("section.sc-follow-up")
    expect(follow_up).to_contain_text("Send the Globex proposal")
    expect(follow_up).to_contain_text("Call Initech back")
    expect(follow_up.get_by_role("button")).to_have_count(0)  # read only here
    follow_up.scroll_into_view_if_needed()
    shoot(page, "scorecards-2b-follow-up")
    follow_up.get_by_role("link", name=f"{at:%A} {at.day} {at:%B}, 10:00").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1:1 · Rita Rep")


def test_a_rep_sees_their_scorecard_and_the_team_leaderboard(page, shoot, org, selling):
    sign_in(page, org.rep.email, PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Board")).to_have_count(0)
    nav.get_by_role("link", name="Scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rita Rep · {selling.label}")
    expect(page.locator(".sc-tile")).to_have_count(4)
    expect(page.locator(".deal-list").first).to_be_visible()
    shoot(page, "scorecards-3-scorecard-rep")

    page.get_by_role("link", name="Leaderboard").click()
    expect(page.locator("table.leaderboard tbody tr")).to_have_count(6)
    expect(page.locator("tr.me")).to_contain_text("Rita Rep")
    expect(page.locator("table.leaderboard")).not_to_contain_text("Olga")
    page.get_by_label("Rank by").select_option("meetings")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaderboard · Meetings")
    shoot(page, "scorecards-4-leaderboard")


def test_the_executive_compares_teams(page, shoot, org, selling):
    sign_in(page, org.executive.email, PASSWORD)
    page.goto("/rollup/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Teams compared · {selling.label}")
    expect(page.locator("svg.bars")).to_be_visible()
    expect(page.locator("table.rollup tbody tr")).to_have_count(6)
    shoot(page, "scorecards-5-rollup")
    page.get_by_role("link", name="North Field").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"North Field · {selling.label}")


def test_tv_mode_is_large_bare_and_refreshes_itself(page, shoot, org, selling):
    sign_in(page, org.manager.email, PASSWORD)
    page.goto("/leaderboard/tv/")
    expect(page.locator(".site-header")).to_have_count(0)
    board = page.locator("#tv-board")
    expect(board).to_have_attribute("hx-trigger", "every 60s")
    expect(page.locator("table.tv-table tbody tr").first).to_contain_text("Omar Reyes")
    size = page.locator("table.tv-table td.who").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size >= 26
    # What the minute's refresh does, done now: fetch the page, swap the board in place.
    with page.expect_response(lambda r: "/leaderboard/tv/" in r.url):
        page.evaluate(
            "htmx.ajax('GET', location.pathname + location.search,"
            " {target: '#tv-board', select: '#tv-board', swap: 'outerHTML'})"
        )
    expect(page.locator("#tv-board")).to_have_count(1)
    expect(page.locator("table.tv-table tbody tr")).to_have_count(6)
    shoot(page, "scorecards-6-tv")


def test_the_admin_sets_the_rep_scorecard_and_bad_weights_change_nothing(page, shoot, org):
    sign_in(page, org.admin.email, PASSWORD)
    page.goto("/settings/scorecards/")
    page.get_by_label("Revenue (won amount): weight").fill("-5")
    page.get_by_role("button", name="Save the rep scorecard").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    page.get_by_label("Revenue (won amount): weight").fill("60")
    page.get_by_role("button", name="Save the rep scorecard").click()
    expect(page.locator(".messages")).to_contain_text("rep scorecard is saved")
    shoot(page, "scorecards-7-settings")


def test_a_new_rep_with_no_numbers_yet_sees_plain_empty_states(page, shoot, org):
    ensure_pipeline()
    newcomer = PersonFactory(name="Nia New", email="nia@acme.test", team=org.north_field)
    sign_in(page, newcomer.email, PASSWORD)
    page.goto("/scorecard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nia New")
    expect(page.locator(".sc-tile").first).to_contain_text("no target")
    expect(page.get_by_text("No open deals.")).to_be_visible()
    shoot(page, "scorecards-8-scorecard-empty")


def test_a_scorecard_as_of_a_past_day_shows_that_days_pipeline(page, shoot, org):
    """A deal moved from Engaging at 30,000 to Negotiation at 50,000 five days ago: as of
    ten days ago the scorecard shows it as it was then."""
    ensure_pipeline()
    today = timezone.localdate()
    then, moved = today - timedelta(days=10), today - timedelta(days=5)
    newcomer = PersonFactory(name="Pia Past", email="pia@acme.test", team=org.north_field)
    row = {
        "external_id": "PAST-1",
        "name": "Harbour Freight renewal",
        "owner": newcomer,
        "account": AccountFactory(name="Harbour Freight"),
        "created_on": today - timedelta(days=40),
        "expected_close_on": today + timedelta(days=30),
    }
    deals_upsert([{**row, "stage": stage("Engaging"), "amount": Decimal("30000")}])
    with time_machine.travel(datetime(moved.year, moved.month, moved.day, 12, tzinfo=UTC)):
        deals_upsert(
            [{**row, "stage": stage("Negotiation"), "amount": Decimal("50000")}], today=moved
        )
    quarter = organisation_get().calendar.period("quarter", then)
    sign_in(page, org.manager.email, PASSWORD)
    page.goto(f"/scorecard/{newcomer.pk}/?period={quarter.label}&as_of={then.isoformat()}")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="Open pipeline"))
    expect(card.get_by_role("heading")).to_contain_text(f"on {then.day} {then:%b %Y}")
    expect(card.locator("tbody").first).to_contain_text("Engaging")
    expect(card.locator("tbody").first).not_to_contain_text("Negotiation")
    shoot(page, "scorecards-9-scorecard-past-day")
    page.goto(f"/scorecard/{newcomer.pk}/")
    expect(card.get_by_role("heading")).to_have_text("Open pipeline")
    expect(card.locator("tbody").first).to_contain_text("Negotiation")
