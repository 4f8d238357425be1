"""Acceptance on the harder demo (issue 16): segments that sell differently, lumpy
large deals, a holiday month, a kickoff week, ramping hires, declines of a third and
reps with two problems at once.

The bar held here is the one the engine reaches on seeds 1-3 (docs/signals.md has the
figures over 20 seeds and what is missed): healthy reps (stars, steady performers, new
hires ramping) draw at most 1.5 false alarms per 20 together; the warnings that are
facts or large gaps against peers are all found; overall recall at least 0.6 (the
statistical kinds miss in the large-deal segment, where a handful of deals a half-year
cannot tell a decline of a third from chance — and say so: not enough data). The
planted habits of the accountability loop are all shown (tests/demo/test_loop.py has
the details).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from accountable.demo.evaluation import demo_evaluate, evaluation_summary

TODAY = date(2026, 11, 24)
ALWAYS_FOUND = ("low_activity", "late_prospecting", "complaints", "missed_commitments")


@pytest.mark.django_db
def test_the_engine_on_the_harder_demo(tmp_path):
    runs = []
    for seed in (1, 2, 3):
        with transaction.atomic():
            runs.append(
                demo_evaluate(seed=seed, people=40, as_of=TODAY, truth_path=tmp_path / "t.json")
            )
            transaction.set_rollback(True)
    summary = evaluation_summary(runs)
    assert summary["healthy"] == 60
    assert summary["healthy_alarms_per_20"] <= 1.5, summary["false_alarms"]
    for kind in ALWAYS_FOUND:
        assert summary["kinds"][kind]["recall"] == 1.0, (kind, summary["missed"])
    assert summary["found"] / summary["expected"] >= 0.6, summary["missed"]
    for run in runs:
        assert run["habits_planted"] == 8
        assert run["habits_right"] == 8, run["habits_wrong"]


def test_the_summary_adds_seeds_up_per_kind():
    def run(seed, tp, fn, undecided, alarms, healthy):
        tally = {"tp": tp, "fp": 0, "fn": fn, "fn_not_enough_data": undecided}
        return {
            "seed": seed,
            "warnings": {"deal_size_decline": {**tally, "healthy_alarms": alarms}},
            "healthy": healthy,
            "false_alarms": alarms,
            "expected": tp + fn,
            "found": tp,
            "missed": [f"m{seed}"] * fn,
            "false_alarm_detail": [],
        }

    summary = evaluation_summary([run(1, 2, 1, 1, 1, 20), run(2, 1, 0, 0, 0, 20)])
    kind = summary["kinds"]["deal_size_decline"]
    assert kind == {
        "planted": 4,
        "found": 3,
        "missed": 1,
        "not_enough_data": 1,
        "alarms": 1,
        "recall": 0.75,
        "alarms_per_20_healthy": 0.5,
    }
    assert summary["healthy_alarms_per_20"] == 0.5
    assert summary["missed"] == ["seed 1: m1"]
