"""Acceptance (issue 6): on the demo, the engine finds the planted archetypes and
leaves the star and steady performers alone.

Every planted archetype gets its expected warnings and diagnosis (overall
recall at least 0.9), and no more than one star or steady rep in twenty gets a
medium or high warning other than a quota miss they really had. The planted
habits of the accountability loop are all shown (tests/demo/test_loop.py has the
details).
"""

from __future__ import annotations

from datetime import date

import pytest

from accountable.demo.evaluation import demo_evaluate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_engine_finds_the_planted_archetypes(seed, tmp_path):
    figures = demo_evaluate(seed=seed, people=40, as_of=TODAY, truth_path=tmp_path / "truth.json")
    assert figures["overall_recall"] >= 0.9, figures["missed"]
    assert figures["false_alarm_rate"] <= 1 / 20, figures["false_alarm_detail"]
    # Each diagnosis cause the demo plants is named for most of its reps.
    for cause in ("prospecting", "conversion", "deal_size", "cycle"):
        assert figures["causes"][cause]["recall"] >= 0.5, (cause, figures["causes"][cause])
    # The accountability loop's planted habits show: the over-caller's and the
    # sandbagger's forecast bias, the missers' warning and none on the keepers.
    assert figures["habits_planted"] == 8
    assert figures["habits_right"] == 8, figures["habits_wrong"]
