"""The engine runs nightly and after every applied import."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from accountable.imports.pipeline import import_rows
from accountable.jobs.schedule import PERIODIC_JOBS
from accountable.signals import tasks
from accountable.signals.models import SignalRun

pytestmark = pytest.mark.django_db


def test_the_nightly_run_is_a_periodic_job():
    [job] = [job for job in PERIODIC_JOBS if job.name == "signals-nightly"]
    assert job.task_path == "accountable.signals.tasks.signals_nightly"
    assert job.weekday is None


def test_the_tasks_run_the_engine(org):
    assert tasks.signals_nightly.call()["people"] == 4
    assert tasks.signals_after_import.call()["people"] == 4
    assert list(SignalRun.objects.values_list("trigger", flat=True).order_by("pk")) == [
        "nightly",
        "import",
    ]


def test_an_applied_import_enqueues_a_run(org, django_capture_on_commit_callbacks):
    rows = [{"name": "Granite Freight Ltd", "external_id": "ACC-1"}]
    with django_capture_on_commit_callbacks(execute=True):
        import_rows(kind="accounts", rows=rows, actor=org.admin, source="api")
    names = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == ["accountable.signals.tasks.signals_after_import"]


def test_a_dry_run_enqueues_nothing(org, django_capture_on_commit_callbacks):
    rows = [{"name": "Granite Freight Ltd", "external_id": "ACC-1"}]
    with django_capture_on_commit_callbacks(execute=True):
        import_rows(kind="accounts", rows=rows, actor=org.admin, source="api", dry_run=True)
    assert not DBTaskResult.objects.exists()
