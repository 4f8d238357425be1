"""The home page is the day's work: a manager sees who is off pace and why, new
warnings, today's check-ins, overdue commitments and who has not called their forecast;
a rep sees their pace, what is due and their next check-in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accountable.boards.home import SHOWN
from accountable.checkins.services import action_add, checkin_schedule
from accountable.commitments.services import commitment_add
from accountable.forecasts.services import forecast_submit
from accountable.org.models import Role
from accountable.signals.models import PersonAssessment, SignalRun, WarningSign
from accountable.targets.models import Target
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2026, 8, 19, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def warn(person, kind: str, severity: str, message: str) -> WarningSign:
    """An open warning about `person`, first seen the day before this Wednesday."""
    seen = date(2026, 8, 18)
    return WarningSign.objects.create(
        person=person, kind=kind, severity=severity, period="2026-Q3", message=message,
        evidence={}, first_seen_on=seen, last_seen_on=seen,
    )  # fmt: skip


@pytest.fixture
def day(org):
    Target.objects.create(
        person=org.rep, metric="revenue", period="2026-Q3", period_start="2026-07-01",
        period_end="2026-09-30", value=Decimal("90000"),
    )  # fmt: skip
    warn(org.rep, "low_activity", "high", "Calls are down by half against the team.")
    checkin = checkin_schedule(
        actor=org.manager, person=org.rep, starts_at=datetime(2026, 8, 19, 14, tzinfo=UTC)
    )
    commitment_add(
        actor=org.rep2, person=org.rep2, text="Send the Globex proposal", due_on=date(2026, 8, 14)
    )
    commitment_add(
        actor=org.rep, person=org.rep, text="Call Initech back", due_on=date(2026, 8, 21)
    )
    action_add(
        actor=org.manager,
        checkin=checkin,
        owner=org.rep,
        text="Book the demo",
        due_on=date(2026, 8, 20),
    )
    forecast_submit(actor=org.rep, person=org.rep, period="2026-Q3", commit=1000, best_case=2000)
    return checkin


def test_a_managers_home_is_the_days_work(client, org, day):
    client.force_login(org.manager)
    page = client.get(reverse("home"))
    html = page.content.decode()
    assert [row.person_id for row, _ in page.context["behind"]] == [org.rep.pk]
    assert page.context["behind"][0][1] == "Calls are down by half against the team."
    assert [w.message for w in page.context["new_warnings"]] == [
        "Calls are down by half against the team."
    ]
    assert page.context["todays_checkins"] == [day]
    assert [i.commitment.text for i in page.context["team_overdue"]] == ["Send the Globex proposal"]
    assert page.context["not_called"] == [org.rep2]
    assert page.context["not_called_count"] == 1 and page.context["not_called_more"] == 0
    assert page.context["own_row"] is None  # no quota of their own, nothing won: no "$0" line
    late = dict(page.context["late_reports"])
    assert late[org.rep] == [date(2026, 8, 7), date(2026, 8, 14)]  # Fridays with no report
    assert reverse("checkins:detail", args=[day.pk]) in html and "Rob Rep" in html


def test_someone_off_pace_is_explained_by_their_most_severe_warning(client, org, day):
    # its kind sorts before "low_activity"; its severity does not
    warn(org.rep, "complaints", "medium", "2 complaints in 91 days.")
    client.force_login(org.manager)
    page = client.get(reverse("home"))
    assert page.context["behind"][0][1] == "Calls are down by half against the team."


def test_someone_off_pace_without_a_warning_shows_the_diagnosis_cause(client, org, day):
    WarningSign.objects.all().delete()
    run = SignalRun.objects.create(as_of=date(2026, 8, 19))
    PersonAssessment.objects.create(
        run=run, person=org.rep, as_of=date(2026, 8, 19), period="2026-Q3", cause="deal_size",
        effort="normal", message="Small deals.", next_step="Coach on targeting.",
    )  # fmt: skip
    client.force_login(org.manager)
    page = client.get(reverse("home"))
    assert page.context["behind"] == [
        (page.context["behind"][0][0], "Most likely cause: Deal size and targeting: normal win "
         "rate, small deals")
    ]  # fmt: skip


def test_a_managers_own_action_item_says_whom_it_is_about(client, org, day):
    action_add(
        actor=org.manager,
        checkin=day,
        owner=org.manager,
        text="Ask legal",
        due_on=date(2026, 8, 20),
    )
    client.force_login(org.manager)
    html = client.get(reverse("home")).content.decode()
    assert f'Ask legal <span class="faint">action item about {org.rep.name} · by' in html


def test_a_reps_home_shows_their_pace_what_is_due_and_their_next_check_in(client, org, day):
    client.force_login(org.rep)
    page = client.get(reverse("home"))
    assert page.context["own_row"].target == Decimal("90000")
    assert [i.commitment.text for i in page.context["own_due"]] == ["Call Initech back"]
    assert [a.text for a in page.context["own_actions"]] == ["Book the demo"]
    assert page.context["next_checkin"] == day
    html = page.content.decode()
    assert "Needed each week from now" in html and "Send the Globex proposal" not in html


def test_a_long_list_on_the_home_page_says_how_many_there_are(client, org, day):
    for i in range(SHOWN + 3):
        extra = PersonFactory(
            name=f"Extra Rep {i:02}", team=org.manager.team, role=Role.REP,
            start_date=date(2026, 7, 1),
        )  # fmt: skip
        Target.objects.create(
            person=extra, metric="revenue", period="2026-Q3", period_start="2026-07-01",
            period_end="2026-09-30", value=Decimal("90000"),
        )  # fmt: skip
        warn(extra, "low_activity", "high", "Calls are down.")
    client.force_login(org.manager)
    page = client.get(reverse("home"))
    html = page.content.decode()
    behind = page.context["behind_count"]  # the extra reps and rep, nothing won
    assert behind == SHOWN + 4 and len(page.context["behind"]) == SHOWN
    assert f"and {behind - SHOWN} more, furthest behind first: <a href=" in html
    assert len(page.context["new_warnings"]) == SHOWN
    assert f'and {SHOWN + 4 - SHOWN} more: <a href="{reverse("signals:watchlist")}">' in html
    everyone = SHOWN + 3 + 1  # the extra reps and rep2 (rep has called)
    assert len(page.context["not_called"]) == SHOWN
    assert page.context["not_called_count"] == everyone
    assert f"{everyone} people" in html and f"and {everyone - SHOWN} more." in html
    late = page.context["late_count"]
    assert late > SHOWN and len(page.context["late_reports"]) == SHOWN
    assert f"and {late - SHOWN} more" in html
