"""The `accountable` command's own subcommands, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from accountable.org.models import Person
from accountable.signals.models import PersonAssessment, SignalRun

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_period_prints_json_for_scripts():
    info = json.loads(run("period", "2026-q3", "--as-of", "2026-08-17", "--format", "json"))
    assert info["label"] == "2026-Q3"
    assert info["working_days"] == 66
    assert info["working_days_elapsed"] == 34


def test_period_explains_a_bad_label():
    with pytest.raises(CommandError, match='"2026-Q5"'):
        run("period", "2026-Q5")


def test_demo_sets_up_once_and_prints_the_logins(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    # the clock is pinned, so a run that crosses midnight judges the day it started on
    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=UTC)):
        output = run("demo", "--no-serve", "--people", "20")
    assert "manager@demo.test" in output and "password: demo" in output
    assert Person.objects.count() == 20
    # the warning engine has judged the reps once, as of the demo's today
    (judged,) = SignalRun.objects.all()
    assert judged.as_of == date(2026, 11, 16)
    assert PersonAssessment.objects.filter(as_of=judged.as_of).count() == judged.counts["people"]
    assert f"Judged {judged.counts['people']} reps" in output
    assert output.index("Judged") < output.index("manager@demo.test")
    again = run("demo", "--no-serve")
    assert "keeping it" in again
    assert Person.objects.count() == 20
    assert SignalRun.objects.count() == 1  # an organisation kept is not judged again


def test_the_cli_entry_point_lists_the_products_commands():
    result = subprocess.run(
        [sys.executable, "-m", "accountable", "help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "accountable.settings"},
    )
    for command in ("demo", "worker", "bench", "period", "migrate"):
        assert command in result.stdout
