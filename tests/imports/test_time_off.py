"""Time off as an import: a file, the command line or a bulk call; idempotent, and scoped
by the importer's reach exactly as the other kinds are."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.imports.errors import ImportNotAllowed
from accountable.imports.formats import template_csv
from accountable.imports.pipeline import import_file, import_rows
from accountable.org.models import TimeOff
from accountable.tokens.services import token_create

pytestmark = pytest.mark.django_db

HEADER = "person_email,first_day,last_day,note"
GOOD = [
    "rep@acme.test,2026-08-03,2026-08-07,Summer holiday",
    "rep2@acme.test,2026-08-10,,Dentist",  # one day: no last day
    "Ian Inside,24/08/2026,28/08/2026,",  # by exact name; unambiguous day/month order
]


def _file(write, *rows: str):
    return write("time_off.csv", "\n".join([HEADER, *rows]) + "\n")


def _spans():
    return sorted((s.person.email, s.first_day, s.last_day, s.note) for s in TimeOff.objects.all())


def test_a_file_is_applied_and_a_second_run_changes_nothing(org, write):
    path = _file(write, *GOOD)
    first = import_file(kind="time_off", path=path, actor=org.north_boss, source="upload")
    assert first.applied and first.summary["created"] == 3, first.rejects
    assert _spans() == [
        ("insiderep@acme.test", date(2026, 8, 24), date(2026, 8, 28), ""),
        ("rep2@acme.test", date(2026, 8, 10), date(2026, 8, 10), "Dentist"),
        ("rep@acme.test", date(2026, 8, 3), date(2026, 8, 7), "Summer holiday"),
    ]
    assert AuditEntry.objects.filter(action="time_off.create", actor=org.north_boss).count() == 3
    again = import_file(kind="time_off", path=path, actor=org.north_boss, source="upload")
    assert again.applied
    assert (again.summary["created"], again.summary["unchanged"]) == (0, 3)
    assert TimeOff.objects.count() == 3


def test_a_new_note_updates_the_span_and_no_note_column_keeps_it(org, write):
    import_rows(
        kind="time_off", rows=[_row(org.rep.email, note="Summer")], actor=None, source="api"
    )
    noted = import_rows(
        kind="time_off", rows=[_row(org.rep.email, note="Beach")], actor=None, source="api"
    )
    assert noted.summary["updated"] == 1
    row = _row(org.rep.email)
    del row["note"]
    kept = import_rows(kind="time_off", rows=[row], actor=None, source="api")
    assert kept.summary["unchanged"] == 1
    assert TimeOff.objects.get().note == "Beach"


def _row(email: str, first="2026-08-03", last="2026-08-07", note="") -> dict:
    return {"person_email": email, "first_day": first, "last_day": last, "note": note}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"first_day": "2026-08-07", "last_day": "2026-08-03"}, "is before first_day"),
        ({"first_day": ""}, "first_day is missing"),
        ({"first_day": "03/04/2026"}, "ambiguous"),
        ({"first_day": "9999-12-31", "last_day": ""}, "outside the calendar"),
        ({"note": "x" * 121}, "longer than 120"),
        ({"person_email": "nobody@acme.test"}, "nobody@acme.test"),
        ({"first_day": "2026-08-06", "last_day": "2026-08-12"}, "time off cannot overlap"),
    ],
)
def test_bad_rows_are_rejected_and_nothing_is_applied(org, row, reason):
    import_rows(kind="time_off", rows=[_row(org.rep.email)], actor=None, source="api")
    result = import_rows(
        kind="time_off",
        rows=[_row(org.rep2.email, "2026-09-01", "2026-09-02"), {**_row(org.rep.email), **row}],
        actor=None,
        source="api",
    )
    assert not result.applied
    assert reason in " ".join(r.reason for r in result.rejects)
    assert TimeOff.objects.count() == 1


def test_the_same_days_twice_in_one_file_are_rejected(org):
    rows = [_row(org.rep.email), _row(org.rep.email, note="again")]
    result = import_rows(kind="time_off", rows=rows, actor=None, source="api")
    assert not result.applied and "appears twice" in result.rejects[0].reason


def test_a_manager_imports_for_their_teams_only(org, write):
    path = _file(write, "otherrep@acme.test,2026-08-03,2026-08-07,")
    result = import_file(kind="time_off", path=path, actor=org.manager, source="upload")
    assert not result.applied and result.summary["rejected"] == 1
    mine = _file(write, "manager@acme.test,2026-08-03,2026-08-07,", "rep@acme.test,2026-08-03,,")
    assert import_file(kind="time_off", path=mine, actor=org.manager, source="upload").applied
    assert TimeOff.objects.count() == 2


@pytest.mark.parametrize("role", ["rep", "executive"])
def test_reps_and_executives_do_not_import(org, write, role):
    path = _file(write, f"{getattr(org, role).email},2026-08-03,2026-08-07,")
    with pytest.raises(ImportNotAllowed):
        import_file(kind="time_off", path=path, actor=getattr(org, role), source="upload")
    assert not TimeOff.objects.exists()


def test_the_bulk_api_and_the_command_line(org, client, write):
    _, secret = token_create(actor=org.manager, name="t", scopes=["read", "write"])
    response = client.post(
        reverse("api:bulk_time_off"),
        {"rows": [_row(org.rep.email), _row(org.other_rep.email)]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422  # Olga is not in his teams: nothing applied
    assert not TimeOff.objects.exists()
    call_command("import", "time_off", str(_file(write, *GOOD)))
    assert TimeOff.objects.count() == 3


def test_the_template_has_the_columns():
    assert template_csv("time_off").splitlines()[0] == HEADER
