from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accountable.jobs.models import ScheduledRun
from accountable.jobs.schedule import PeriodicJob, enqueue_due

pytestmark = pytest.mark.django_db

UTC_ZONE = ZoneInfo("UTC")
NIGHTLY = PeriodicJob("prune", "accountable.jobs.tasks.prune_task_results", time(3, 15))
MONDAY = PeriodicJob("weekly", "accountable.jobs.tasks.prune_task_results", time(6, 0), weekday=0)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_last_slot_daily_and_weekly():
    assert NIGHTLY.last_slot(at(2026, 8, 17, 3, 14), UTC_ZONE) == at(2026, 8, 16, 3, 15)
    assert NIGHTLY.last_slot(at(2026, 8, 17, 3, 15), UTC_ZONE) == at(2026, 8, 17, 3, 15)
    # Wednesday 19 Aug: the last Monday 06:00 is the 17th.
    assert MONDAY.last_slot(at(2026, 8, 19, 12, 0), UTC_ZONE) == at(2026, 8, 17, 6, 0)
    assert MONDAY.last_slot(at(2026, 8, 17, 5, 0), UTC_ZONE) == at(2026, 8, 10, 6, 0)


def test_slots_follow_the_organisations_time_zone():
    new_york = ZoneInfo("America/New_York")
    slot = NIGHTLY.last_slot(at(2026, 8, 17, 8, 0), new_york)  # 04:00 in New York
    assert slot.astimezone(UTC) == at(2026, 8, 17, 7, 15)


def test_a_due_job_is_enqueued_once_however_often_asked():
    now = at(2026, 8, 17, 3, 20)
    assert enqueue_due(now, UTC_ZONE, [NIGHTLY]) == ["prune"]
    assert enqueue_due(now, UTC_ZONE, [NIGHTLY]) == []
    run = ScheduledRun.objects.get()
    assert run.slot == at(2026, 8, 17, 3, 15) and run.task_id


def test_a_long_missed_slot_is_not_run_late():
    assert enqueue_due(at(2026, 8, 17, 12, 0), UTC_ZONE, [NIGHTLY]) == []
    assert not ScheduledRun.objects.exists()


# The worker closes stale connections between tasks, as in production: that needs
# real transactions, not the test's enclosing atomic block.
@pytest.mark.django_db(transaction=True)
def test_the_enqueued_task_runs_in_the_worker_and_prunes_old_records():
    ScheduledRun.objects.create(job="prune", slot=at(2026, 6, 1, 3, 15))  # over 30 days old
    with time_machine.travel(at(2026, 8, 17, 3, 20)):
        enqueue_due(at(2026, 8, 17, 3, 20), UTC_ZONE, [NIGHTLY])
        call_command("worker", batch=True, no_schedule=True, verbosity=0)
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"task_results": 0, "scheduled_runs": 1}
    assert list(ScheduledRun.objects.values_list("slot", flat=True)) == [at(2026, 8, 17, 3, 15)]
