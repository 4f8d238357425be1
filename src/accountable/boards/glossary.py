"""The glossary of every figure (docs/metrics.md), written from the definitions
themselves: the metric catalogue's words and the docstrings of the formulas the
scorecards, goals and warnings compute with. `accountable metrics` prints it; a test
checks the committed docs/metrics.md is what it prints, so the two cannot drift."""

from __future__ import annotations

import inspect

from accountable.crm import credit
from accountable.org import time_off
from accountable.scorecards import formulas as f
from accountable.signals import rules
from accountable.targets.catalogue import CATALOGUE, Unit

UNITS = {Unit.MONEY: "money", Unit.COUNT: "count", Unit.PERCENT: "%", Unit.DAYS: "days"}

# The figures of a board row, in the order a sales manager reads them.
FIGURES = [
    ("A person's working days", time_off.working_days_of),
    ("Pace", f.pace),
    ("Pace by seasonality", f.seasonal_pace),
    ("Expected to date", f.expected_to_date),
    ("Gap to pace", f.gap_to_pace),
    ("Attainment", f.attainment),
    ("Projection", f.projection),
    ("Run rate so far", f.run_rate_weekly),
    ("Projection with pipeline", f.projection_with_pipeline),
    ("Required weekly rate", f.required_weekly),
    ("Coverage", f.coverage),
    ("Win rate", f.win_rate),
    ("Win rate by value", f.win_rate_value),
    ("Average deal size", f.average_deal_size),
    ("Sales velocity", f.velocity),
    ("Weighted score", f.weighted_score),
]

INTRO = """\
# Metrics: what every figure means

Every figure Accountable shows — on the board, the personal scorecard, the
roll-up, the leaderboard, in a goal or an OKR, in a warning's evidence, in the
API and on the command line — comes from these definitions. This page is
printed by `accountable metrics` from the definitions in the code
(`src/accountable/targets/catalogue.py`, `src/accountable/scorecards/formulas.py`,
`src/accountable/crm/credit.py`, `src/accountable/org/time_off.py`); a test keeps it
identical.

They are computed once, in the scorecards' read model (`src/accountable/scorecards/`):
the sums from its rollups of each person's days, a span's figures for a person or a
team from `metrics.counted_together`. Goals, key results, suggested targets, the SMART
check's history and the funnel read the same functions; the warning engine reads the
same credited deals and the same pace.
"""


def _doc(function) -> str:
    return " ".join(inspect.getdoc(function).split())


def glossary_markdown() -> str:
    lines = [INTRO, "## Who a deal credits", "", _doc_module(credit), ""]
    lines += [
        "## The metrics",
        "",
        "Targets and goals are set on these. *Better* says which way is good: a "
        "lower-is-better metric's attainment grows as it falls.",
        "",
        "| metric | key | unit | better | what it counts | which date puts it in a period |",
        "|---|---|---|---|---|---|",
    ]
    for metric in CATALOGUE:
        better = "higher" if metric.higher_is_better else "lower"
        lines.append(
            f"| {metric.label} | `{metric.key}` | {UNITS[metric.unit]} | {better} | "
            f"{metric.means} | {metric.counted_on} |"
        )
    lines += ["", "## The figures of a scorecard", ""]
    for title, function in FIGURES:
        lines += [f"### {title}", "", _doc(function), ""]
    lines += ["### Pipeline-to-quota (in warnings)", "", _doc(rules.low_coverage), ""]
    return "\n".join(lines).rstrip() + "\n"


def _doc_module(module) -> str:
    text = inspect.getdoc(module) or ""
    return text.split("\n\n", 1)[1] if "\n\n" in text else text
