"""The engine runs nightly and after every change of the sales data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from accountable.crm.services import activity_log
from accountable.imports.pipeline import import_rows
from accountable.jobs.schedule import PERIODIC_JOBS
from accountable.signals import services, tasks
from accountable.signals.models import PersonAssessment, SignalRun

pytestmark = pytest.mark.django_db


def test_the_nightly_run_is_a_periodic_job():
    [job] = [job for job in PERIODIC_JOBS if job.name == "signals-nightly"]
    assert job.task_path == "accountable.signals.tasks.signals_nightly"
    assert job.weekday is None


def test_the_tasks_run_the_engine(org):
    assert tasks.signals_nightly.call()["people"] == 4
    assert tasks.signals_after_change.call()["people"] == 4
    assert list(SignalRun.objects.values_list("trigger", flat=True).order_by("pk")) == [
        "nightly",
        "change",
    ]


def test_an_applied_import_enqueues_one_run(org, django_capture_on_commit_callbacks):
    rows = [
        {"external_id": f"A-{n}", "owner_email": org.rep.email, "kind": "call", "occurred_at": day}
        for n, day in enumerate(["2026-08-03", "2026-08-04", "2026-11-20"])
    ]
    with django_capture_on_commit_callbacks(execute=True):
        import_rows(kind="activities", rows=rows, actor=org.admin, source="api")
    names = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == ["accountable.signals.tasks.signals_after_change"]


def test_a_form_edit_enqueues_a_run(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(
            actor=org.rep,
            data={
                "person": org.rep,
                "kind": "call",
                "occurred_at": datetime(2026, 8, 3, 10, tzinfo=UTC),
            },
        )
    names = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == ["accountable.signals.tasks.signals_after_change"]


def test_an_import_of_accounts_changes_no_figure_and_enqueues_nothing(
    org, django_capture_on_commit_callbacks
):
    rows = [{"name": "Granite Freight Ltd", "external_id": "ACC-1"}]
    with django_capture_on_commit_callbacks(execute=True):
        import_rows(kind="accounts", rows=rows, actor=org.admin, source="api")
    assert not DBTaskResult.objects.exists()


def test_a_dry_run_enqueues_nothing(org, django_capture_on_commit_callbacks):
    rows = [
        {
            "external_id": "A-1",
            "owner_email": org.rep.email,
            "kind": "call",
            "occurred_at": "2026-08-03",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        import_rows(kind="accounts", rows=rows, actor=org.admin, source="api", dry_run=True)
    assert not DBTaskResult.objects.exists()


def _assessed_on(run: SignalRun, person, day: date) -> None:
    PersonAssessment.objects.create(
        run=run, person=person, as_of=day, period="x", cause="", effort="", message="", next_step=""
    )


def test_old_assessments_are_pruned_to_month_ends(org):
    """Every day of the last 90 days stays; before that, the last day stored in each
    month (what a past month's board reads); the rest goes."""
    today = date(2026, 11, 24)
    run = SignalRun.objects.create(as_of=today, trigger=SignalRun.Trigger.NIGHTLY)
    days = [today - timedelta(days=n) for n in range(0, 200, 3)]
    for day in days:
        _assessed_on(run, org.rep, day)
    cutoff = today - timedelta(days=services.KEEP_EVERY_DAY)
    old = [day for day in days if day < cutoff]
    last_of_month = {(d.year, d.month): d for d in sorted(old)}
    expected = sorted([day for day in days if day >= cutoff] + list(last_of_month.values()))

    deleted = services.assessments_prune(today=today)

    kept = sorted(PersonAssessment.objects.values_list("as_of", flat=True))
    assert kept == expected
    assert deleted == len(days) - len(expected) > 0
    assert services.assessments_prune(today=today) == 0  # nothing more to forget


def test_the_nightly_run_prunes(org):
    run = SignalRun.objects.create(as_of=date(2020, 1, 1), trigger=SignalRun.Trigger.NIGHTLY)
    for day in (date(2020, 1, 2), date(2020, 1, 3)):
        _assessed_on(run, org.rep, day)
    counts = tasks.signals_nightly.call()
    assert counts["assessments_pruned"] == 1
    assert list(
        PersonAssessment.objects.filter(as_of__year=2020).values_list("as_of", flat=True)
    ) == [date(2020, 1, 3)]


# Each service commits on its own: real transactions.
@pytest.mark.django_db(transaction=True)
def test_time_off_recorded_or_removed_enqueues_a_run(org):
    from accountable.org.services import time_off_delete, time_off_record

    span, _ = time_off_record(
        actor=org.rep, person=org.rep, first_day=date(2026, 8, 10), last_day=date(2026, 8, 14)
    )
    time_off_delete(actor=org.rep, time_off=span)
    names = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == ["accountable.signals.tasks.signals_after_change"] * 2
