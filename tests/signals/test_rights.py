"""The three rights: pass, warn or fail, each with its evidence."""

from __future__ import annotations

from accountable.signals.rights import rights_assess
from tests.signals.builders import benchmarks, figures


def test_a_typical_rep_passes_all_three():
    rights = rights_assess(figures(), benchmarks())
    assert (rights.thing.status, rights.way.status, rights.time.status) == ("pass",) * 3
    out = rights.as_dict()
    assert set(out) == {"right_thing", "right_way", "right_time"}
    assert out["right_time"]["evidence"]["commitments_due"] == 0
    assert "no commitments due in the last 91 days" in out["right_time"]["message"]


def test_right_thing_fails_on_late_prospecting_or_the_wrong_products():
    assert rights_assess(figures(), benchmarks(), {"late_prospecting"}).thing.status == "fail"
    assert rights_assess(figures(), benchmarks(), {"wrong_product_mix"}).thing.status == "fail"
    little = figures(prospecting_recent=55 * 0.3)  # 30% of touches: under 35%
    assert rights_assess(little, benchmarks()).thing.status == "warn"
    mix = figures(priority_share=0.62 * 0.7)
    assert rights_assess(mix, benchmarks()).thing.status == "warn"


def test_right_way_compares_outcomes_with_the_top_performers():
    weak = figures(win_rate_recent=0.33 * 0.6)
    assert rights_assess(weak, benchmarks()).way.status == "warn"
    poor = figures(win_rate_recent=0.33 * 0.4)
    rights = rights_assess(poor, benchmarks())
    assert rights.way.status == "fail"
    assert rights.way.evidence["top_performers"] == ["Omar Reyes"]
    assert "win rate 13% over 26 weeks (top 33%)" in rights.way.message


def test_right_way_fails_on_complaints():
    assert rights_assess(figures(), benchmarks(), {"complaints"}).way.status == "fail"
    assert rights_assess(figures(complaints_recent=1), benchmarks()).way.status == "warn"


def test_right_time_fails_without_pipeline_for_next_period():
    assert rights_assess(figures(), benchmarks(), {"low_coverage"}).time.status == "fail"
    assert rights_assess(figures(coverage=1.0), benchmarks()).time.status == "warn"
    missed = figures(commitments_due=3, commitments_missed=1)
    assert rights_assess(missed, benchmarks()).time.status == "warn"
    assert rights_assess(figures(), benchmarks(), {"missed_commitments"}).time.status == "fail"
