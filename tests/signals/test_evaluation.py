"""Scoring against the ground truth: precision, recall, false alarms."""

from __future__ import annotations

from accountable.signals.evaluation import Said, score

TRUTH = {
    "low@x": {
        "archetype": "low_activity",
        "expected_warnings": ["low_activity", "low_coverage", "quota_miss_streak"],
        "expected_cause": "prospecting",
        "expected_effort": "low",
    },
    "steady@x": {
        "archetype": "steady",
        "expected_warnings": [],
        "expected_cause": "none",
        "expected_effort": "normal",
    },
    "star@x": {
        "archetype": "star",
        "expected_warnings": [],
        "expected_cause": "none",
        "expected_effort": "normal",
    },
}
MISSED = {"quarters": [{"period": "2026-Q2", "attainment": 0.8}]}


def test_score_counts_hits_misses_and_false_alarms():
    said = {
        "low@x": Said(
            [("low_activity", "medium", {}), ("low_coverage", "high", {})], "prospecting", "low"
        ),
        "steady@x": Said([("quota_miss_streak", "medium", MISSED)], "none", "normal"),
        "star@x": Said(
            [("complaints", "medium", {}), ("channel_mix", "low", {})], "none", "normal"
        ),
    }
    result = score(said, TRUTH)
    assert result.expected == 4 and result.found == 3
    assert result.recall == 0.75
    assert result.missed == ["low@x (low_activity): quota_miss_streak"]
    assert result.false_alarms == ["star@x (star): complaints"]
    assert result.real_quota_misses == 1
    assert result.false_alarm_rate == 0.5
    out = result.as_dict()
    assert out["warnings"]["quota_miss_streak"] == {
        "tp": 0,
        "fp": 1,
        "fn": 1,
        "fn_not_enough_data": 0,
        "healthy_alarms": 0,
        "precision": 0.0,
        "recall": 0.0,
    }
    assert out["warnings"]["complaints"]["healthy_alarms"] == 1
    assert out["causes"]["prospecting"]["recall"] == 1.0
    assert out["effort_accuracy"] == 1.0


def test_a_quota_miss_that_was_not_real_is_a_false_alarm():
    fake = {"quarters": [{"period": "2026-Q2", "attainment": 1.2}]}
    said = {"steady@x": Said([("quota_miss_streak", "high", fake)], "none", "normal")}
    assert score(said, {"steady@x": TRUTH["steady@x"]}).false_alarms


def test_new_hires_are_healthy_and_a_miss_for_want_of_data_is_named():
    truth = {
        "hire@x": {
            "archetype": "new_hire",
            "expected_warnings": [],
            "expected_cause": "none",
            "expected_effort": "normal",
        },
        "shrink@x": {
            "archetype": "shrinking_deals",
            "expected_warnings": ["deal_size_decline"],
            "expected_cause": "none",
            "expected_effort": "normal",
            "facts": {"segment": "large"},
        },
    }
    said = {
        "hire@x": Said([("activity_drop", "medium", {})], "none", "normal"),
        "shrink@x": Said([], "none", "normal", undecided=["deal_size_decline"]),
    }
    result = score(said, truth)
    assert result.healthy == 1
    assert result.false_alarms == ["hire@x (new_hire): activity_drop"]
    assert result.missed == [
        "shrink@x (shrinking_deals, large deals): deal_size_decline — not enough data"
    ]
    assert result.kinds["deal_size_decline"].fn_undecided == 1
