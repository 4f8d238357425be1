"""`accountable forecast submit|list|accuracy` on the command line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from accountable.forecasts.models import ForecastSubmission
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db


def run(capsys, *args) -> object:
    call_command("forecast", *args)
    return json.loads(capsys.readouterr().out)


def test_submit_list_and_score_a_periods_calls(org, capsys):
    ensure_pipeline()
    DealFactory(
        owner=org.rep, stage=stage("Won"), amount=Decimal(1000), closed_on=date(2026, 9, 10)
    )
    for week, commit in (("2026-07-06", "1500"), ("2026-08-03", "1200")):
        made = run(capsys, "submit", "--person", "rep@acme.test", "--period", "2026-Q3",
                   "--commit", commit, "--best-case", "2000", "--week", week)  # fmt: skip
        assert made["week_of"] == week and made["commit"] == f"{commit}.00"
    listed = run(capsys, "list", "--period", "2026-Q3", "--format", "json")
    assert [row["week_of"] for row in listed] == ["2026-07-06", "2026-08-03"]
    with time_machine.travel(datetime(2026, 10, 2, 9, tzinfo=UTC), tick=False):
        scored = run(capsys, "accuracy", "--period", "2026-Q3", "--format", "json")
    [rep] = scored["people"]
    assert rep["person"] == "rep@acme.test" and rep["submissions"] == 2 and rep["won"] == "1000.00"
    assert rep["mean_abs_error"] == pytest.approx(0.35) and rep["bias"] == pytest.approx(0.35)
    assert scored["team"]["mean_abs_error"] == pytest.approx(0.35)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--person", "nobody@acme.test"], "No person"),
        (["--commit", "lots"], 'not "lots"'),
        (["--best-case", "10"], "best case includes the commit"),
        (["--week", "someday"], "YYYY-MM-DD"),
        (["--period", "2026-W40"], "not 2026-W40"),
    ],
)
def test_bad_input_says_why_and_writes_nothing(org, args, message):
    base = {"--person": "rep@acme.test", "--period": "2026-Q3", "--commit": "100",
            "--best-case": "150", "--week": "2026-07-06"}  # fmt: skip
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        call_command("forecast", "submit", *flat)
    assert not ForecastSubmission.objects.exists()
