"""`accountable signals`, `diagnose` and `rights`: JSON a script can read, or a table."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accountable.crm.models import Feedback
from accountable.signals.models import SignalRun

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def complained(org):
    for days in (3, 30):
        Feedback.objects.create(
            person=org.rep, kind=Feedback.Kind.COMPLAINT, received_on=AS_OF - timedelta(days)
        )
    return org


def test_signals_runs_the_engine_when_needed_and_lists_live_warnings(complained):
    rows = json.loads(run("signals", "--as-of", "2026-08-17"))
    assert SignalRun.objects.count() == 1
    [row] = [r for r in rows if r["kind"] == "complaints"]
    assert set(row) == {"person", "kind", "severity", "period", "status", "message", "evidence"}
    assert row["person"] == "rep@acme.test"
    assert row["status"] == "open"
    run("signals", "--as-of", "2026-08-17")
    assert SignalRun.objects.count() == 1  # already run for that day
    run("signals", "--as-of", "2026-08-17", "--run")
    assert SignalRun.objects.count() == 2


def test_signals_as_a_table_and_for_one_person(complained):
    table = run("signals", "--as-of", "2026-08-17", "--format", "table")
    assert table.splitlines()[0].split()[:3] == ["person", "kind", "severity"]
    assert "complaints" in table
    none = json.loads(run("signals", "--as-of", "2026-08-17", "--person", "rep2@acme.test"))
    assert none == []


def test_diagnose_lists_cause_effort_and_next_step(org):
    rows = json.loads(run("diagnose", "--as-of", "2026-08-17", "--person", "rep@acme.test"))
    assert rows == [
        {
            "person": "rep@acme.test",
            "period": "2026-Q3",
            "cause": "unknown",  # no activity, no deals: nothing to judge yet
            "effort": "unknown",
            "message": rows[0]["message"],
            "next_step": rows[0]["next_step"],
        }
    ]
    assert rows[0]["message"] == (
        "Not enough history to judge yet: no touches logged in the last 16 weeks and no "
        "deal closed in the last year."
    )
    assert "—" not in rows[0]["message"]
    table = run("diagnose", "--as-of", "2026-08-17", "--format", "table")
    assert "unknown" in table and "Not enough history" in table


def test_rights_lists_the_three_rights_with_evidence(complained):
    rows = json.loads(run("rights", "--as-of", "2026-08-17"))
    mine = next(r for r in rows if r["person"] == "rep@acme.test")
    assert set(mine) == {"person", "period", "right_thing", "right_way", "right_time"}
    assert mine["right_way"]["status"] == "fail"  # the complaints
    assert mine["right_way"]["evidence"]["complaints_91d"] == 2
    assert mine["right_thing"]["status"] == "unknown"  # no activity, no deals
    assert mine["right_thing"]["message"].startswith("Not enough data to judge yet")
    table = run("rights", "--as-of", "2026-08-17", "--format", "table")
    assert table.splitlines()[0].split() == ["person", "period", "thing", "way", "time"]
    line = next(x for x in table.splitlines() if x.startswith("rep@acme.test"))
    assert line.split()[2:] == ["unknown", "fail", "unknown"]


@pytest.mark.parametrize("command", ["signals", "diagnose", "rights"])
def test_bad_input_is_a_readable_error(org, command):
    with pytest.raises(CommandError, match="Not a date"):
        run(command, "--as-of", "17/08/2026")
    with pytest.raises(CommandError, match=r'No person with the e-mail "nobody@x\.test"'):
        run(command, "--person", "nobody@x.test")
