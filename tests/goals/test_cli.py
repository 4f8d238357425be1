"""`accountable targets split|allocate`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accountable.goals import services
from accountable.targets.models import Target

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("targets", *args, stdout=out)
    return out.getvalue()


def test_split_by_working_days_as_json(org):
    services.target_set(
        actor=org.admin, owner=org.rep, metric="revenue", period_label="2026", value=1000000
    )
    out = json.loads(
        run(
            "split",
            "--owner",
            "rep@acme.test",
            "--metric",
            "revenue",
            "--year",
            "2026",
            "--method",
            "working_days",
            "--into",
            "quarter",
            "--format",
            "json",
        )
    )
    assert [t["period"] for t in out["targets"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert sum(float(t["value"]) for t in out["targets"]) == 1000000


def test_allocate_as_a_table_and_errors(org):
    services.target_set(
        actor=org.admin,
        owner=org.north_field,
        metric="revenue",
        period_label="2026-Q3",
        value=90000,
    )
    out = run(
        "allocate", "--team", "north field", "--period", "2026-Q3", "--actor", "manager@acme.test"
    )
    assert "Rita Rep" in out and "45000.00" in out and "exactly allocated" in out
    assert Target.objects.filter(person__isnull=False).count() == 2
    with pytest.raises(CommandError, match="may not"):
        run(
            "allocate",
            "--team",
            "South Field",
            "--period",
            "2026-Q3",
            "--actor",
            "manager@acme.test",
        )
    with pytest.raises(CommandError, match="No person with the e-mail or team"):
        run("allocate", "--team", "Nowhere", "--period", "2026-Q3")


def test_ramp_show_and_set(org):
    assert "month 1: 25%, month 2: 50%, month 3: 75%" in run("ramp")
    assert json.loads(run("ramp", "--set", "0.5,1", "--format", "json")) == {"ramp": [0.5, 1.0]}
    with pytest.raises(CommandError, match="Only admins"):
        run("ramp", "--set", "0.1", "--actor", "manager@acme.test")
    with pytest.raises(CommandError, match="as fractions"):
        run("ramp", "--set", "half")
