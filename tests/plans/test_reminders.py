"""The morning's reminders speak of plans: due tomorrow, overdue since yesterday,
waiting for the manager's decision; key accounts' next actions. The nightly job ends
catch-up plans."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from accountable.checkins.reminders import reminders_for
from accountable.jobs.schedule import PERIODIC_JOBS
from accountable.plans import services
from accountable.plans.models import Plan, PlanState
from tests.crm.factories import AccountFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime(2026, 11, 16, 6, tzinfo=UTC), tick=False):
        yield


def test_plans_and_key_accounts_are_reminded_before_and_after_their_days(org):
    services.plan_start(
        actor=org.rep, person=org.rep, kind="quarterly", period="2027-Q1",
        due_on=date(2026, 11, 17),
    )  # fmt: skip
    late = services.plan_start(
        actor=org.rep2, person=org.rep2, kind="quarterly", period="2027-Q1",
        due_on=date(2026, 11, 15),
    )  # fmt: skip
    services.plan_start(
        actor=org.inside_rep, person=org.inside_rep, kind="annual", period="2027",
        due_on=date(2026, 11, 15),
    )  # fmt: skip
    Plan.objects.filter(person=org.inside_rep).update(state=PlanState.SUBMITTED)
    account = AccountFactory(owner=org.rep, name="Globex")
    services.account_plan_save(
        actor=org.rep, account=account, year=2026, tier="A", goal="Renew",
        next_action="Send the proposal", next_action_on=date(2026, 11, 15),
    )  # fmt: skip
    found = {p.email: lines for p, lines in reminders_for(MONDAY).items()}
    assert "Your quarterly plan for 2027-Q1 is due tomorrow: submit it." in found[org.rep.email]
    assert "Globex: Send the proposal was due yesterday." in found[org.rep.email]
    assert (
        "Your quarterly plan for 2027-Q1 was due yesterday: submit it today."
        in found[org.rep2.email]
    )
    assert (
        "Ian Inside's annual plan for 2027 waits for your decision."
        in found[org.inside_manager.email]
    )
    # Submitted: no longer the person's to send.
    assert not any("annual plan" in line for line in found.get(org.inside_rep.email, []))
    late.state = PlanState.APPROVED
    late.save()
    found = {p.email: lines for p, lines in reminders_for(MONDAY).items()}
    assert not any("2027-Q1" in line for line in found.get(org.rep2.email, []))


def test_catch_up_plans_are_judged_each_night_before_the_warnings():
    names = [job.name for job in PERIODIC_JOBS]
    job = PERIODIC_JOBS[names.index("catch-ups-nightly")]
    assert job.task_path == "accountable.plans.tasks.catch_ups_nightly"
    assert names.index("catch-ups-nightly") < names.index("signals-nightly")
