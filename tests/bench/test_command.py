"""`accountable bench`, run as a user would: every case on a scratch database."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from accountable.org.models import Person


@pytest.mark.django_db(transaction=True)
def test_bench_runs_every_case_on_a_scratch_database_and_prints_json():
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "accountable",
            "bench",
            *("--reps", "10", "--activities", "0", "--repeat", "1"),
            *("--import-rows", "2000", "--load-seconds", "2", "--load-users", "2"),
            *("--load-workers", "1", "--format", "json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["reps"] >= 10
    assert figures["org_tree_ms"] > 0
    assert figures["exec_rollup_ms"] > 0 and figures["team_board_ms"] > 0
    assert figures["duckdb_reps"] > 0 and figures["duckdb_mismatched_reps"] == 0
    assert figures["batch_import_and_fresh_s"] >= figures["batch_import_s"] > 0
    assert figures["fresh_after_batch_s"] >= 0
    assert figures["board_load_requests"] > 0 and figures["board_load_errors"] == 0
    assert figures["import_rows"] == 2000 and figures["import_ratio"] > 0
    assert figures["unchecked_load_s"] >= figures["sqlite_import_s"]
    assert figures["unchecked_ratio"] > 1
    assert not Person.objects.exists()  # the real database is untouched


def test_bench_names_an_unknown_case():
    result = subprocess.run(
        [sys.executable, "-m", "accountable", "bench", "--only", "nonsense"],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "No benchmark case nonsense" in result.stderr
