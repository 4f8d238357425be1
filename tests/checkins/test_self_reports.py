"""Self-reports on a cadence: due on a weekday, late when missed, numbers filled in;
a shorter cadence proposed to someone struggling, confirmed or declined by their
manager, and ended when the warnings clear."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accountable.checkins import self_reports as reports
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import CadenceProposal, ProposalState, SelfReport
from accountable.commitments.models import Commitment
from accountable.signals.models import WarningSign, WarningStatus
from tests.crm.factories import ActivityFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 9, 16)


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(datetime(2026, 9, 16, 8, tzinfo=UTC), tick=False):
        yield


def warn(person, severity="high"):
    return WarningSign.objects.create(
        person=person, kind="low_activity", severity=severity, period="2026-Q3",
        message="Calls are down by half.", evidence={},
        first_seen_on=WEDNESDAY, last_seen_on=WEDNESDAY,
    )  # fmt: skip


def test_reports_fall_due_on_the_cadence_and_a_missed_one_is_late(org):
    cadence = reports.cadence_of(org.rep)
    assert reports.due_days(cadence, date(2026, 9, 7), date(2026, 9, 20)) == [
        date(2026, 9, 11),
        date(2026, 9, 18),
    ]
    assert reports.late_days(org.rep, WEDNESDAY) == [date(2026, 9, 4), date(2026, 9, 11)]
    ActivityFactory(person=org.rep, occurred_at=datetime(2026, 9, 8, 10, tzinfo=UTC))
    made = reports.report_submit(actor=org.rep, person=org.rep, went_well="Two demos booked")
    assert made.due_on == date(2026, 9, 4) and made.late  # the oldest late one first
    again = reports.report_submit(actor=org.rep, person=org.rep, went_badly="Initech went quiet")
    assert again.due_on == date(2026, 9, 11) and again.numbers["calls"] == 1
    on_time = reports.report_submit(
        actor=org.rep, person=org.rep, next_step="Call Initech", commit_next=True
    )
    assert on_time.due_on == date(2026, 9, 18) and not on_time.late
    assert Commitment.objects.get().due_on == date(2026, 9, 25)  # the next report day
    assert reports.late_days(org.rep, WEDNESDAY) == []


def test_a_report_is_the_persons_own_and_says_something(org):
    with pytest.raises(PermissionDenied):
        reports.report_submit(actor=org.manager, person=org.rep, went_well="x")
    with pytest.raises(CheckinError, match="at least one thing"):
        reports.report_submit(actor=org.rep, person=org.rep)
    assert not SelfReport.objects.exists()


def test_a_struggling_rep_is_proposed_twice_a_week_and_it_ends_when_warnings_clear(org):
    warning = warn(org.rep)
    warn(org.rep2, severity="medium")
    assert reports.cadence_review(WEDNESDAY) == {"proposed": 1, "ended": 0}
    proposal = CadenceProposal.objects.get()
    assert proposal.person == org.rep and proposal.state == ProposalState.PENDING
    assert reports.cadence_review(WEDNESDAY)["proposed"] == 0  # once per episode
    with pytest.raises(PermissionDenied):
        reports.proposal_decide(actor=org.rep, proposal=proposal, confirm=True)
    reports.proposal_decide(
        actor=org.manager, proposal=proposal, confirm=True, note="Until Q3 ends"
    )
    cadence = reports.cadence_of(org.rep)
    assert (cadence.times_a_week, cadence.shortened) == (2, True)
    assert reports.due_days(cadence, date(2026, 9, 14), date(2026, 9, 20)) == [
        date(2026, 9, 15),
        date(2026, 9, 18),
    ]
    warning.status = WarningStatus.RESOLVED
    warning.save()
    assert reports.cadence_review(date(2026, 9, 30)) == {"proposed": 0, "ended": 1}
    assert reports.cadence_of(org.rep).times_a_week == 1
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ENDED and proposal.decided_by == org.manager


def test_a_declined_proposal_is_recorded_and_not_proposed_again_in_the_episode(org, client):
    warn(org.rep)
    reports.cadence_review(WEDNESDAY)
    proposal = CadenceProposal.objects.get()
    client.force_login(org.manager)
    page = client.get(reverse("checkins:reports"))
    assert page.context["proposals"] == [proposal]
    client.post(
        reverse("checkins:cadence_decide", args=[proposal.pk]),
        {"decision": "decline", "note": "On leave next week"},
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.note) == (ProposalState.DECLINED, "On leave next week")
    assert reports.cadence_of(org.rep).times_a_week == 1
    assert reports.cadence_review(WEDNESDAY)["proposed"] == 0


def test_the_page_takes_a_report_and_shows_late_people_to_their_manager(client, org):
    client.force_login(org.rep)
    page = client.get(reverse("checkins:reports"))
    assert page.context["due_on"] == date(2026, 9, 4) and page.context["late"]
    client.post(reverse("checkins:reports"), {"went_well": "Booked two demos", "next_step": ""})
    assert SelfReport.objects.get().went_well == "Booked two demos"
    client.force_login(org.manager)
    rows = {
        person: late
        for person, _, late, _ in client.get(reverse("checkins:reports")).context["theirs"]
    }
    assert rows[org.rep] == [date(2026, 9, 11)] and len(rows[org.rep2]) == 2


def test_no_decision_changes_nothing(client, org):
    warn(org.rep)
    reports.cadence_review(WEDNESDAY)
    proposal = CadenceProposal.objects.get()
    client.force_login(org.manager)
    page = client.post(reverse("checkins:cadence_decide", args=[proposal.pk]), follow=True)
    assert "Choose: confirm the shorter cadence, or decline it." in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING


def test_late_days_of_many_people_at_once_are_each_ones(org):
    reports.report_submit(actor=org.rep, person=org.rep, went_well="x")  # the 4th, late
    each = {p.pk: reports.late_days(p, WEDNESDAY) for p in (org.rep, org.rep2)}
    together = reports.late_by_person([org.rep, org.rep2], WEDNESDAY)
    assert together == {pk: days for pk, days in each.items() if days}
    assert together[org.rep.pk] == [date(2026, 9, 11)]
