"""Thresholds: documented defaults, organisation overrides, readable errors."""

from __future__ import annotations

import pytest

from accountable.signals.thresholds import DEFAULTS, ThresholdError, Thresholds


def test_overrides_apply_over_the_defaults():
    changed = Thresholds.from_overrides({"complaints_count": "3", "low_activity_ratio": 0.6})
    assert changed.complaints_count == 3
    assert changed.low_activity_ratio == 0.6
    assert changed.activity_drop_ratio == DEFAULTS.activity_drop_ratio
    assert Thresholds.from_overrides(None) == DEFAULTS


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nonsense": 1}, "Unknown threshold nonsense"),
        ({"complaints_count": "many"}, 'complaints_count must be a number, not "many"'),
        ({"low_activity_ratio": -1}, "low_activity_ratio cannot be negative"),
    ],
)
def test_bad_overrides_say_what_is_wrong(overrides, message):
    with pytest.raises(ThresholdError, match=message):
        Thresholds.from_overrides(overrides)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"product_mix_ratio": 1.5}, "product_mix_ratio", "at most 1"),
        ({"complaints_count": 2.5}, "complaints_count", "whole number"),
        ({"cycle_ratio": 0.5}, "cycle_ratio", "at least 1"),
        ({"right_way_fail": 0.8}, "right_way_fail", "cannot be above right_way_warn"),
        ({"complaints_high_count": 1}, "complaints_high_count", "cannot be above"),
        ({"low_activity_ratio": "nan"}, "low_activity_ratio", "must be a number"),
    ],
)
def test_impossible_values_are_refused_by_name(overrides, field, message):
    with pytest.raises(ThresholdError, match=message) as raised:
        Thresholds.from_overrides(overrides)
    assert set(raised.value.errors) == {field}


def test_every_threshold_is_described_and_its_default_is_allowed():
    from dataclasses import fields

    from accountable.signals.thresholds import GROUPS, INFO

    assert list(INFO) == [f.name for f in fields(Thresholds)]
    for info in INFO.values():
        assert info.group in GROUPS and info.meaning
        assert Thresholds.from_overrides({info.name: info.default}) == DEFAULTS
