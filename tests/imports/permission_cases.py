"""Who may use the import pages: admins and managers (a manager only their own runs).

Executives get 403 everywhere here: importing changes data, and the history of
imports is an admin's and a manager's working tool, not a read-only report.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accountable.imports.models import ImportRun
from accountable.imports.rejects import run_dir_fresh
from accountable.org import abilities
from tests.test_permissions import HIDDEN, LOGIN, NOT_ALLOWED, OK, Case, holders, url


def importers(status: int = OK) -> dict[str, int]:
    """Whoever may import something."""
    return holders(*abilities.ANY_IMPORT, yes=status)


def _run(person, status=ImportRun.Status.PREVIEWED, summary=None, **extra) -> ImportRun:
    run = ImportRun.objects.create(
        kind="deals",
        source=ImportRun.Source.UPLOAD,
        file_name="deals.csv",
        status=status,
        created_by=person,
        mapping={"columns": {}, "names": {}, "file_columns": ["Opportunity ID"], "sample": {}},
        summary=summary or {"rejected": 1, "rejects_shown": [[2, "amount is negative"]]},
        **extra,
    )
    run_dir_fresh(run.pk)  # nothing left over from an earlier test's run of the same id
    return run


def managers_run(view: str, **options):
    return lambda org: reverse(view, kwargs={"pk": _run(org.manager, **options).pk})


def other_managers_run(view: str):
    return lambda org: reverse(view, kwargs={"pk": _run(org.other_manager).pk})


def run_with_rejects(org) -> str:
    run = _run(org.manager, status=ImportRun.Status.REJECTED)
    folder = settings.VAR_DIR / "imports" / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rejected.csv").write_text("line,reason\n2,amount is negative\n")
    return reverse("imports:rejects", kwargs={"pk": run.pk})


def someone_elses(expect_admin: int = OK) -> dict[str, int]:
    return {**importers(HIDDEN), "admin": expect_admin}


CASES = {
    "imports:list": [Case(url("imports:list"), importers())],
    "imports:new": [Case(url("imports:new"), importers())],
    "imports:template": [
        Case(url("imports:template", kind=lambda o: "deals"), importers()),
        Case(url("imports:template", kind=lambda o: "nonsense"), importers(HIDDEN)),
    ],
    "imports:run": [
        Case(managers_run("imports:run"), importers(), note="the manager's own import"),
        Case(other_managers_run("imports:run"), someone_elses(), note="another manager's"),
    ],
    "imports:columns": [
        Case(managers_run("imports:columns", status=ImportRun.Status.UPLOADED), importers()),
        Case(other_managers_run("imports:columns"), someone_elses()),
        Case(
            managers_run("imports:columns", status=ImportRun.Status.APPLIED),
            importers(HIDDEN),
            note="an applied import is no longer in the wizard",
        ),
    ],
    "imports:preview": [
        Case(managers_run("imports:preview"), importers()),
        Case(other_managers_run("imports:preview"), someone_elses()),
    ],
    "imports:apply": [
        Case(
            managers_run("imports:apply"),
            {**importers(NOT_ALLOWED), "rep": NOT_ALLOWED, "executive": NOT_ALLOWED},
            note="POST only",
        ),
        Case(
            managers_run("imports:apply"),
            importers(LOGIN),
            method="post",
            note="the kept file is gone: a message and back to the run",
        ),
    ],
    "imports:stages": [
        Case(
            managers_run("imports:stages"),
            {**importers(NOT_ALLOWED), "rep": NOT_ALLOWED, "executive": NOT_ALLOWED},
            note="POST only",
        ),
        Case(
            managers_run("imports:stages"),
            importers(LOGIN),
            method="post",
            data={"adopt": "yes"},
            note="a generic file has no CRM stages: a message and back to the preview",
        ),
        Case(
            other_managers_run("imports:stages"),
            someone_elses(expect_admin=LOGIN),
            method="post",
            data={"adopt": "yes"},
        ),
    ],
    "imports:working": [
        Case(
            managers_run("imports:working", summary={"working": "preview"}),
            importers(),
            note="a step queued: the page follows it",
        ),
        Case(managers_run("imports:working"), importers(LOGIN), note="done: on to the preview"),
        Case(other_managers_run("imports:working"), someone_elses(expect_admin=LOGIN)),
    ],
    "imports:rejects": [
        Case(run_with_rejects, importers()),
        Case(managers_run("imports:rejects"), importers(HIDDEN), note="nothing was rejected"),
    ],
}
