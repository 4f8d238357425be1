"""How the scorecard tables are laid out: their sortable columns, the order of rows,
and leaderboard ranks. No numbers are computed here beyond what ordering needs; every
figure comes from `scorecards.selectors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from accountable.scorecards import formulas
from accountable.signals.summaries import BoardSignals


@dataclass(frozen=True)
class Column:
    key: str  # the ?sort= value
    label: str
    value: Callable[[Any], Any]  # what the rows are ordered by
    numeric: bool = True
    title: str = ""  # the header's tooltip: what the column means
    css: str = ""  # the header's class, when not the usual one


@dataclass(frozen=True)
class Header:
    column: Column
    href: str
    sort: str  # "ascending" / "descending" / "" (aria-sort)


def projected_share(row) -> float | None:
    """The projected finish as a share of the target (run rate to date)."""
    if row.projected is None:
        return None
    return formulas.attainment(row.projected, row.target)


BOARD = [
    Column("name", "Person", lambda r: r.name.lower(), numeric=False),
    Column(
        "attainment",
        "Attainment (| = pace)",
        lambda r: r.attainment,
        title="Won to date ÷ target; the black mark is where the bar should be by now",
    ),
    Column(
        "projected",
        "Proj.",
        projected_share,
        title="Projected finish at the run rate to date, as a share of the target",
    ),
    Column(
        "need",
        "Need/wk",
        lambda r: r.required_weekly,
        title="What must be won each working week left to still reach the target",
    ),
    Column(
        "coverage",
        "Cov.",
        lambda r: r.coverage,
        title="Open pipeline expected to close in the period ÷ target still to go",
    ),
    Column(
        "activity",
        "Activity",
        lambda r: r.activity_attainment,
        title="Activities done ÷ activity targets expected by now",
    ),
]


def board_columns(signals: Mapping[int, BoardSignals]) -> list[Column]:
    """The board's columns, with Rights and Flags sorted by the warning engine's
    judgements (`signals.selectors.board_signals`): worst first when sorted high to low,
    people not judged (or with no warning) last either way."""

    def rights(row) -> tuple[int, int, int] | None:
        found = signals.get(row.person_id)
        return found.rights_sort_key() if found else None

    def flags(row) -> tuple[int, int] | None:
        found = signals.get(row.person_id)
        return found.flags_sort_key() if found else None

    return [
        *BOARD,
        Column(
            "rights",
            "Rights",
            rights,
            title="The three rights — right thing, right way, right time: ● pass, ◐ warn, "
            "○ fail, ? not enough data. Sorted: most fails first, then warns",
            css="sig-col",
        ),
        Column(
            "flags",
            "Flags",
            flags,
            title="Open warnings (▲ high, △ medium, ▿ low; ✓ acknowledged) and the diagnosis: "
            "why results are weak. Sorted: most severe first, then most warnings",
            css="sig-col",
        ),
    ]


ROLLUP = [
    Column("team", "Team", lambda r: r.team.lower(), numeric=False),
    Column("attainment", "Attainment (| = pace)", lambda r: r.attainment),
    Column("projected", "Proj.", projected_share, title="Projected finish ÷ target"),
    Column("coverage", "Cov.", lambda r: r.coverage),
    Column("win_rate", "Win rate", lambda r: r.win_rate),
    Column("activities", "Activities", lambda r: r.activities),
]


def column_get(columns: Sequence[Column], key: str | None, default: str) -> Column:
    by_key = {c.key: c for c in columns}
    return by_key.get(key or "", by_key[default])


def sort_rows(rows: Sequence[Any], column: Column, descending: bool) -> list[Any]:
    """Rows ordered by one column; rows with no figure go last either way, by name."""
    known = [r for r in rows if column.value(r) is not None]
    unknown = [r for r in rows if column.value(r) is None]
    known.sort(key=column.value, reverse=descending)
    return known + unknown


def headers(
    columns: Sequence[Column], current: Column, descending: bool, query: dict[str, str]
) -> list[Header]:
    """Sort links for each header: a click sorts by that column (numbers biggest first,
    names A-Z); a second click on the current one turns the order round."""
    result = []
    for column in columns:
        if column is current:
            flip = not descending
            sort = "descending" if descending else "ascending"
        else:
            flip = column.numeric
            sort = ""
        params = {**query, "sort": column.key, "dir": "desc" if flip else "asc"}
        result.append(Header(column, "?" + urlencode(params), sort))
    return result


def ranks(values: Sequence[Any]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) for values already in order; no figure, no rank."""
    result: list[int | None] = []
    for i, value in enumerate(values):
        if value is None:
            result.append(None)
        elif i and value == values[i - 1]:
            result.append(result[-1])
        else:
            result.append(i + 1)
    return result
