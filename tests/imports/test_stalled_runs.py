"""Runs that stop half-way, unexpected errors in the wizard, and what a run keeps.

A run whose process died (a restart, memory) is marked failed after an hour instead
of showing "uploaded" for ever; an unexpected error in a wizard step fails the run
and says so instead of a 500; the messages kept in a run's summary are short.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from accountable.imports import services
from accountable.imports.errors import MESSAGE_MAX_CHARS, ImportFileError
from accountable.imports.models import WARNINGS_KEPT, ImportRun
from accountable.jobs.schedule import PERIODIC_JOBS
from tests.imports.conftest import deals_csv

pytestmark = pytest.mark.django_db

GOOD = "D-1,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821,renewal,Won,,2026-01-05,2026-03-01,"  # noqa: E501 - one whole CSV line
STALLED = "The import stopped before it finished (the server restarted?); nothing was changed."
UNEXPECTED = "The import stopped on an unexpected error; nothing was changed."


def upload(client, text: str = deals_csv(GOOD)):
    data = {
        "kind": "deals",
        "preset": "generic",
        "file": SimpleUploadedFile("d.csv", text.encode()),
    }
    return client.post(reverse("imports:new"), data)


def a_run(person, *, source: str, status: str, age: timedelta, **fields) -> ImportRun:
    return ImportRun.objects.create(
        kind="deals",
        source=source,
        status=status,
        created_by=person,
        created_at=timezone.now() - age,
        **fields,
    )


# --- runs that stopped half-way --------------------------------------------------------


def test_runs_in_progress_for_over_an_hour_are_failed_and_no_other(org):
    hours, minutes = timedelta(hours=2), timedelta(minutes=10)
    long_ago = (timezone.now() - hours).isoformat()
    cli = a_run(None, source="cli", status="uploaded", age=hours)
    api = a_run(org.admin, source="api", status="uploaded", age=hours)
    running = a_run(None, source="cli", status="uploaded", age=minutes)
    # A wizard run waits for the person between steps: "uploaded" is no sign of a death…
    waiting = a_run(
        org.manager, source="upload", status="uploaded", age=hours, mapping={"file_columns": []}
    )
    # … the mark a step leaves while it works on the run is.
    died_reading = a_run(
        org.manager,
        source="upload",
        status="uploaded",
        age=hours,
        summary={"running_since": long_ago},
    )
    died_applying = a_run(
        org.manager,
        source="upload",
        status="previewed",
        age=hours,
        summary={"rows": 3, "running_since": long_ago},
    )
    working = a_run(
        org.manager,
        source="upload",
        status="previewed",
        age=hours,
        summary={"running_since": timezone.now().isoformat()},
    )
    applied = a_run(None, source="cli", status="applied", age=hours, summary={"created": 1})

    assert services.runs_stalled_fail() == 4

    def state(run):
        run.refresh_from_db()
        return run.status, run.summary

    for run in (cli, api, died_reading, died_applying):
        assert state(run) == ("failed", {"error": STALLED})
    assert state(running)[0] == state(waiting)[0] == "uploaded"
    assert state(working)[0] == "previewed"
    assert state(applied) == ("applied", {"created": 1})
    assert services.runs_stalled_fail() == 0


def test_the_imports_list_shows_a_dead_run_as_failed(client, org):
    run = a_run(None, source="cli", status="uploaded", age=timedelta(hours=3))
    client.force_login(org.admin)
    page = client.get(reverse("imports:list")).content.decode()
    assert "Failed" in page and "Uploaded (not previewed yet)" not in page
    run.refresh_from_db()
    assert run.status == "failed"
    report = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "The import stopped before it finished (the server restarted?)" in report


def test_a_process_killed_while_reading_an_upload_leaves_a_run_the_sweep_fails(
    client, org, monkeypatch
):
    def killed(*args, **kwargs):
        raise SystemExit("killed")  # not an Exception: as nothing in the process catches

    monkeypatch.setattr(services, "read_table", killed)
    client.force_login(org.manager)
    upload(client)  # the worker's process dies while it reads the file
    run = ImportRun.objects.get()
    assert run.status == "uploaded" and "running_since" in run.summary
    assert services.runs_stalled_fail() == 0  # not yet: it may still be at work
    assert services.runs_stalled_fail(now=timezone.now() + timedelta(hours=2)) == 1
    run.refresh_from_db()
    assert (run.status, run.summary) == ("failed", {"error": STALLED})


def test_a_finished_upload_carries_no_mark(client, org, catalogue):
    client.force_login(org.manager)
    upload(client)
    run = ImportRun.objects.get()
    assert run.status == "uploaded" and run.summary == {}
    columns = {name: name for name in run.mapping["columns"]}
    client.post(reverse("imports:columns", args=[run.pk]), columns)
    run.refresh_from_db()
    assert run.status == "previewed" and "running_since" not in run.summary


def test_the_sweep_is_a_daily_job(org):
    [job] = [job for job in PERIODIC_JOBS if job.name == "imports-stalled"]
    assert job.weekday is None
    task = import_string(job.task_path)
    a_run(None, source="cli", status="uploaded", age=timedelta(days=1))
    assert task.call() == {"failed": 1}


# --- unexpected errors in the wizard ---------------------------------------------------


def broken_pipeline(monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services.pipeline, "import_file", crash)


def test_an_unexpected_error_in_the_preview_fails_the_run_and_says_so(
    client, org, catalogue, monkeypatch
):
    client.force_login(org.manager)
    upload(client)
    run = ImportRun.objects.get()
    broken_pipeline(monkeypatch)
    columns = {name: name for name in run.mapping["columns"]}
    response = client.post(reverse("imports:columns", args=[run.pk]), columns, follow=True)
    assert response.redirect_chain[-1] == (reverse("imports:run", args=[run.pk]), 302)
    assert UNEXPECTED in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.summary) == ("failed", {"error": UNEXPECTED})


def test_an_unexpected_error_when_mapping_names_or_applying_is_a_message(
    client, org, catalogue, monkeypatch
):
    client.force_login(org.manager)
    upload(client)
    run = ImportRun.objects.get()
    client.post(reverse("imports:columns", args=[run.pk]), {n: n for n in run.mapping["columns"]})
    broken_pipeline(monkeypatch)
    response = client.post(reverse("imports:preview", args=[run.pk]), {"go": "1"}, follow=True)
    assert response.status_code == 200
    assert UNEXPECTED in response.content.decode()
    response = client.post(reverse("imports:apply", args=[run.pk]), follow=True)
    assert response.status_code == 200
    assert UNEXPECTED in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.summary) == ("failed", {"error": UNEXPECTED})


def test_an_unexpected_error_reading_an_upload_fails_the_run(client, org, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "read_table", crash)
    client.force_login(org.manager)
    response = client.get(upload(client)["Location"], follow=True)
    error = "The file could not be read (an unexpected error); nothing was changed."
    assert error in response.content.decode()
    assert ImportRun.objects.get().status == "failed"


def test_a_file_error_before_the_pipeline_records_the_run_still_fails_it(
    client, org, catalogue, monkeypatch
):
    client.force_login(org.manager)
    upload(client)
    run = ImportRun.objects.get()

    def refuse(**kwargs):
        raise ImportFileError("The file changed.")

    monkeypatch.setattr(services.pipeline, "import_file", refuse)
    client.post(reverse("imports:columns", args=[run.pk]), {n: n for n in run.mapping["columns"]})
    run.refresh_from_db()
    assert (run.status, run.summary) == ("failed", {"error": "The file changed."})


# --- what a run keeps ------------------------------------------------------------------


def test_the_messages_a_run_keeps_are_short(org):
    summary = {
        "error": "e" * 600_000,
        "warnings": [f"{n} " + "w" * 10_000 for n in range(WARNINGS_KEPT + 5)],
        "rejects_shown": [[2, 'amount "' + "9" * 1_000_000 + '" is not a number'], [3, "short"]],
        "created": 0,
    }
    run = ImportRun.objects.create(kind="deals", source="cli", status="rejected", summary=summary)
    run.refresh_from_db()
    kept = run.summary
    assert len(kept["error"]) == MESSAGE_MAX_CHARS and kept["error"].endswith("…")
    assert len(kept["warnings"]) == WARNINGS_KEPT + 1
    assert all(len(warning) <= MESSAGE_MAX_CHARS for warning in kept["warnings"])
    assert kept["warnings"][-1] == "… and 5 more warnings"
    assert kept["rejects_shown"][0][0] == 2 and len(kept["rejects_shown"][0][1]) == 500
    assert kept["rejects_shown"][1] == [3, "short"]
    assert kept["created"] == 0
    assert len(summary["error"]) == 600_000  # the caller's summary is left whole
