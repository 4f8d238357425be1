"""The wizard's steps go through the real queue: the request only keeps the file and
queues the work, the page shows it working until the background worker has done it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accountable.crm.models import Deal
from accountable.imports import services
from accountable.imports.models import ImportRun
from tests.crm.factories import ensure_pipeline
from tests.imports.conftest import deals_csv

pytestmark = pytest.mark.django_db

ROW = "D-1,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821,renewal,Won,,2026-01-05,2026-03-01,"  # noqa: E501 - one whole CSV line


@pytest.fixture(autouse=True)
def _real_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def work():
    call_command("worker", batch=True, no_schedule=True, verbosity=0)


# The worker closes stale connections between tasks, as in production: that needs real
# transactions, not the test's enclosing atomic block.
@pytest.mark.django_db(transaction=True)
def test_each_step_waits_for_the_worker_and_the_page_follows_it(client, org, catalogue):
    ensure_pipeline()  # an earlier test in real transactions may have flushed it
    client.force_login(org.manager)
    file = SimpleUploadedFile("deals.csv", deals_csv(ROW).encode())
    response = client.post(
        reverse("imports:new"), {"kind": "deals", "preset": "generic", "file": file}
    )
    run = ImportRun.objects.get()
    working = reverse("imports:working", args=[run.pk])
    assert response["Location"] == working
    run.refresh_from_db()
    assert services.step_working(run) == services.READ and "file_columns" not in run.mapping

    page = client.get(working)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reading the file…" in html and 'hx-trigger="every 1s"' in html
    assert "Waiting for the background worker" in html
    # The columns page is not offered while the file is being read.
    assert client.get(reverse("imports:columns", args=[run.pk]))["Location"] == working

    work()
    polled = client.get(working, headers={"HX-Request": "true"})
    assert polled.status_code == 204
    assert polled["HX-Redirect"] == reverse("imports:columns", args=[run.pk])

    run.refresh_from_db()
    columns = {name: name for name in run.mapping["columns"]}
    client.post(reverse("imports:columns", args=[run.pk]), columns)
    assert "Checking every row…" in client.get(working).content.decode()
    work()
    assert client.get(working)["Location"] == reverse("imports:preview", args=[run.pk])

    response = client.post(reverse("imports:apply", args=[run.pk]))
    assert not Deal.objects.exists(), "nothing is written in the request"
    assert "Applying the import…" in client.get(response["Location"]).content.decode()
    work()
    report = client.get(response["Location"], follow=True)
    assert report.redirect_chain[-1][0] == reverse("imports:run", args=[run.pk])
    assert "Imported. Every row was applied." in report.content.decode()
    assert Deal.objects.get(external_id="D-1").owner == org.rep


def test_the_page_shows_how_far_a_step_got(client, org, catalogue):
    client.force_login(org.admin)
    file = SimpleUploadedFile("deals.csv", deals_csv(ROW).encode())
    client.post(reverse("imports:new"), {"kind": "deals", "preset": "generic", "file": file})
    run = ImportRun.objects.get()
    services.progress_path(run).write_text("[1500, 6000]")
    html = client.get(reverse("imports:working", args=[run.pk])).content.decode()
    assert "1,500 of about 6,000 rows so far." in html and 'aria-valuenow="25"' in html


def test_another_managers_run_is_not_shown(client, org, catalogue):
    client.force_login(org.manager)
    file = SimpleUploadedFile("deals.csv", deals_csv(ROW).encode())
    client.post(reverse("imports:new"), {"kind": "deals", "preset": "generic", "file": file})
    run = ImportRun.objects.get()
    client.force_login(org.other_manager)
    assert client.get(reverse("imports:working", args=[run.pk])).status_code == 404


def test_a_step_for_a_run_that_moved_on_does_nothing(org, catalogue):
    run = ImportRun.objects.create(
        kind="deals", source="upload", status="failed", created_by=org.admin
    )
    assert services.step_run(run_id=run.pk, step=services.APPLY, actor_id=org.admin.pk) == "failed"
    assert (
        services.step_run(run_id=run.pk + 1, step=services.APPLY, actor_id=org.admin.pk) == "gone"
    )
