"""The roll-up's table rows, written here rather than in its template.

A roll-up shows every team the viewer may see (176 at the benchmark's size). Drawn by
the template engine, those rows took some 35 ms of a roll-up computed afresh, whose
budget is 100 ms (docs/benchmarks.md); written here they take a few. Each cell uses the
function behind the template filter that drew it, so the figures read the same, and
every piece of text is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accountable.boards.charts import attainment_bar, compact, percent
from accountable.boards.templatetags.scorecard_charts import times
from accountable.crm.templatetags.money import money_short
from accountable.scorecards.rows import TeamSummary


def rollup_rows(
    lines: Iterable[tuple[TeamSummary, int, float | None]],
    *,
    tree_order: bool,
    keep: dict[str, str],
    currency: str,
) -> SafeString:
    """The <tr> of each (summary, depth below the viewer's top team, projected share);
    `tree_order`: indented by depth; `keep`: the period and day the board links keep."""
    board = reverse("scorecards:board")
    kept = escape("&" + urlencode(keep)) if keep else ""
    rows = []
    for s, depth, projected in lines:
        href = f"{board}?team={s.team_id}{kept}"
        indent = f" depth-{depth}" if tree_order else ""
        bar = attainment_bar(s.attainment, s.pace, subject=s.team)
        rows.append(
            f'<tr><td class="who{indent}"><a href="{href}">{escape(s.team)}</a>'
            f'<span class="faint">{s.people} {"person" if s.people == 1 else "people"}</span></td>'
            f'<td class="num" data-label="Won">{escape(money_short(s.won_amount, currency))}'
            f'<span class="faint block">of {escape(money_short(s.target, currency))}</span></td>'
            f'<td class="bar">{bar}</td>'
            f'<td class="num" data-label="Proj.">{percent(projected)}</td>'
            f'<td class="num" data-label="Cov.">{times(s.coverage)}</td>'
            f'<td class="num" data-label="Win rate">{percent(s.win_rate)}</td>'
            f'<td class="num" data-label="Activities">{compact(s.activities)}'
            f'<span class="faint block">{compact(s.meetings)} meetings</span></td></tr>'
        )
    # Every text is escaped above; the figures are formatted numbers, the bar is an SVG
    # built from numbers and escaped text.
    return mark_safe("\n".join(rows))  # noqa: S308
