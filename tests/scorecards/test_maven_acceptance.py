"""Acceptance: the CRM Sales Opportunities data set (shared/data) imported whole, and
every sales agent's 2017 numbers from `accountable scorecard --format json` equal to a
computation done here straight from the CSV file with the csv module.

Which date puts a deal in 2017: its close_date (a won or lost deal counts in the
period it closed; open deals have none). The sales cycle runs from engage_date to
close_date — the data set has no separate creation date.
"""

from __future__ import annotations

import csv
import json
import statistics
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from accountable.imports.pipeline import import_maven
from tests.imports.conftest import MAVEN_DIR

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not MAVEN_DIR.is_dir(), reason=f"no data set at {MAVEN_DIR}"),
]


def from_the_csv() -> dict[str, dict]:
    """{agent name: 2017 numbers}, from sales_pipeline.csv and sales_teams.csv alone."""
    numbers: dict[str, dict] = {}
    with open(MAVEN_DIR / "sales_teams.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            numbers[row["sales_agent"]] = {"won": Decimal(0), "wins": 0, "losses": 0, "days": []}
    with open(MAVEN_DIR / "sales_pipeline.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["deal_stage"] not in ("Won", "Lost") or not row["close_date"]:
                continue
            closed = date.fromisoformat(row["close_date"])
            if closed.year != 2017:
                continue
            agent = numbers[row["sales_agent"]]
            if row["deal_stage"] == "Won":
                agent["won"] += Decimal(row["close_value"])
                agent["wins"] += 1
                agent["days"].append((closed - date.fromisoformat(row["engage_date"])).days)
            else:
                agent["losses"] += 1
    expected = {}
    for name, agent in numbers.items():
        closed = agent["wins"] + agent["losses"]
        expected[name] = {
            "won_amount": f"{agent['won']:.2f}",
            "won_count": agent["wins"],
            "lost_count": agent["losses"],
            "win_rate": round(agent["wins"] / closed, 4) if closed else None,
            "avg_deal_size": (
                f"{(agent['won'] / agent['wins']).quantize(Decimal('0.01')):.2f}"
                if agent["wins"]
                else None
            ),
            "cycle_days_median": statistics.median(agent["days"]) if agent["days"] else None,
        }
    return expected


def test_every_agents_2017_numbers_equal_the_csv(capsys):
    assert import_maven(folder=MAVEN_DIR, actor=None, source="cli").applied
    capsys.readouterr()
    call_command("scorecard", "--period", "2017", "--format", "json")
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    expected = from_the_csv()
    assert len(expected) == 35
    assert set(expected) <= set(rows)
    keys = list(next(iter(expected.values())))
    for name, numbers in expected.items():
        got = {key: rows[name][key] for key in keys}
        assert got == numbers, name
        assert rows[name]["period"] == "2017"
    # the totals too, as a sanity check on the file itself
    assert sum(n["won_count"] for n in expected.values()) == 4238
