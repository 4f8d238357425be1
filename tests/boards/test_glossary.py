"""docs/metrics.md is what `accountable metrics` prints from the definitions in the
code: a change to a definition that is not in the glossary fails here."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from accountable.boards.glossary import glossary_markdown
from accountable.targets.catalogue import CATALOGUE

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def test_the_committed_glossary_is_the_one_the_code_prints():
    out = StringIO()
    call_command("metrics", stdout=out)
    assert out.getvalue() == glossary_markdown()
    assert DOC.read_text() == out.getvalue(), "run: accountable metrics > docs/metrics.md"


def test_every_metric_says_what_it_counts_and_when():
    for metric in CATALOGUE:
        assert metric.means and metric.counted_on, metric.key
        assert f"`{metric.key}`" in glossary_markdown()
