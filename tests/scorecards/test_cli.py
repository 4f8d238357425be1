"""`accountable scorecard` and its errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(capsys, *args: str) -> str:
    call_command("scorecard", *args)
    return capsys.readouterr().out


def test_json_rows_for_the_whole_organisation(capsys, sales):
    rows = json.loads(
        run(capsys, "--period", "2026-Q3", "--as-of", "2026-08-17", "--format", "json")
    )
    assert [r["person"] for r in rows] == [
        "insiderep@acme.test",
        "otherrep@acme.test",
        "rep@acme.test",
        "rep2@acme.test",
    ]
    rep = rows[2]
    assert (rep["won_amount"], rep["won_count"], rep["lost_count"]) == ("3000.00", 2, 1)


def test_a_team_or_a_person(capsys, sales):
    out = run(capsys, "--period", "2026-Q3", "--team", "north field", "--format", "json")
    assert [r["person"] for r in json.loads(out)] == ["rep@acme.test", "rep2@acme.test"]
    out = run(capsys, "--period", "2026-Q3", "--person", "REP2@acme.test", "--format", "json")
    assert [r["person"] for r in json.loads(out)] == ["rep2@acme.test"]


def test_csv_and_table(capsys, sales):
    out = run(capsys, "--period", "2026-Q3", "--as-of", "2026-08-17", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[2]["person"] == "rep@acme.test" and rows[2]["won_amount"] == "3000.00"
    assert rows[2]["target"] == ""
    out = run(capsys, "--period", "2026-Q3", "--as-of", "2026-08-17")
    assert "Rita Rep" in out and "3000.00" in out and "2026-Q3 as of 2026-08-17" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-Q7"], "quarters run Q1 to Q4"),
        (["--period", "2026-Q3", "--as-of", "tomorrow"], "YYYY-MM-DD"),
        (["--period", "2026-Q3", "--team", "Atlantis"], 'No team called "Atlantis"'),
        (["--period", "2026-Q3", "--person", "nobody@acme.test"], "No person with the e-mail"),
    ],
)
def test_clear_errors(org, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("scorecard", *args)
