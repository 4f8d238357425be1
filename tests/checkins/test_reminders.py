"""Reminders go out each morning, before and after due days, one e-mail a person."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail

from accountable.checkins.models import ActionItem
from accountable.checkins.reminders import reminders_for, send_reminders
from accountable.checkins.tasks import reminders_daily
from accountable.commitments.models import Commitment, State
from accountable.jobs.schedule import PERIODIC_JOBS

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 9, 17)  # a Friday report day follows; the forecast locks on Friday


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(datetime(2026, 9, 17, 5, tzinfo=UTC), tick=False):
        yield


def test_reminders_before_and_after_due_days(org):
    Commitment.objects.create(person=org.rep, text="Send the proposal", due_on=date(2026, 9, 18))
    Commitment.objects.create(person=org.rep, text="Call Initech", due_on=date(2026, 9, 16))
    Commitment.objects.create(
        person=org.rep2, text="Done already", due_on=date(2026, 9, 18), state=State.MET
    )
    ActionItem.objects.create(
        owner=org.rep, about=org.rep, text="Book the demo", due_on=date(2026, 9, 16)
    )
    Commitment.objects.create(
        person=org.rep2, text="Fix the CRM", due_on=date(2026, 9, 15), state=State.REPORTED
    )
    found = {person.email: lines for person, lines in reminders_for(THURSDAY).items()}
    assert found["rep@acme.test"] == [
        "Due tomorrow: Send the proposal.",
        "Overdue: Call Initech (due yesterday): report on it.",
        "Action item overdue: Book the demo (due yesterday).",
        "Your self-report is due tomorrow.",
    ]
    assert "Rob Rep reported on “Fix the CRM”: confirm it." in found["manager@acme.test"]
    assert "exec@acme.test" not in found


def test_on_the_deadline_day_whoever_has_not_called_is_reminded(org):
    with time_machine.travel(datetime(2026, 9, 18, 5, tzinfo=UTC), tick=False):
        found = {p.email: lines for p, lines in reminders_for(date(2026, 9, 18)).items()}
    assert any("locks today at 17:00" in line for line in found["rep@acme.test"])


def test_one_email_a_person_through_the_daily_job(org):
    Commitment.objects.create(person=org.rep, text="Send the proposal", due_on=date(2026, 9, 18))
    assert send_reminders(THURSDAY) == len(reminders_for(THURSDAY))
    to_rep = [m for m in mail.outbox if m.to == ["rep@acme.test"]]
    assert len(to_rep) == 1 and "Due tomorrow: Send the proposal." in to_rep[0].body
    assert to_rep[0].subject == "Accountable: 2 things for Thu 17 Sep"
    assert reminders_daily.call()["sent"] == len(mail.outbox) // 2
    [job] = [job for job in PERIODIC_JOBS if job.name == "reminders"]
    assert job.task_path == "accountable.checkins.tasks.reminders_daily"
