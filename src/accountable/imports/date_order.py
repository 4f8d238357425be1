"""Which way round a file writes its dates, decided per column from all of its values.

A Salesforce report exported by a user in the United States writes 4/28/2026; one
from the United Kingdom 28/4/2026. A date such as 3/4/2026 could be either. Rather
than guess, or reject every such row, the order of a column is settled by its other
values: one value whose first number is over 12 (28/4/2026) shows the column is
day-first, one whose second is (4/28/2026) that it is month-first.

The order is worked out the first time an ambiguous date is met in a column — a file
written in ISO dates is never read twice — from every value of that column, and said
in the import's warnings ("close_date read as month/day, because of 13 values like
4/28/2026"). A column none of whose values settles it takes the order of the file's other date
columns (one export is written in one locale: a deal's created dates 3/4/2026 and
1/5/2026 are month-first when its close dates include 4/28/2026). A column whose values
go both ways leaves its ambiguous dates rejected, with the reason; so does a file none
of whose dates settles it, unless the organisation has said how its files write dates
(`Organisation.date_order`, on the settings page).

No ORM here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from accountable.imports.findings import Findings
from accountable.imports.values import DAY_FIRST, MONTH_FIRST, order_of


@dataclass(frozen=True)
class ColumnOrder:
    """What a column's values say: the order (None when they do not settle it), how
    many values show each order, and one of each to quote."""

    order: str | None
    day_first: int = 0
    month_first: int = 0
    example: str = ""
    other_example: str = ""

    @property
    def why_not(self) -> str:
        """Why an ambiguous date of the column cannot be read, in plain words."""
        if self.day_first and self.month_first:
            return (
                f"the column has dates both ways round ({self.example} and "
                f"{self.other_example}), so it does not say which this one is"
            )
        return "no other date in the column settles it (such as 28/4 or 4/28)"


def column_order(values: Iterable[str | None]) -> ColumnOrder:
    """The order all of a column's values agree on (see the module docstring)."""
    counts = {DAY_FIRST: 0, MONTH_FIRST: 0}
    examples: dict[str, str] = {}
    for value in values:
        shown = order_of(value)
        if shown is not None:
            counts[shown] += 1
            examples.setdefault(shown, (value or "").strip())
    day, month = counts[DAY_FIRST], counts[MONTH_FIRST]
    if day and month:
        return ColumnOrder(None, day, month, examples[DAY_FIRST], examples[MONTH_FIRST])
    if day or month:
        order = DAY_FIRST if day else MONTH_FIRST
        return ColumnOrder(order, day, month, examples[order])
    return ColumnOrder(None)


class DateOrders:
    """The order of each date column of one import, decided when first needed.

    `rows_again` reads the import's rows once more, as (line, generic row, original)
    (None: no second reading, so an ambiguous date stays ambiguous). `columns`: the
    date columns of the kind imported, set by its validator."""

    def __init__(
        self,
        rows_again: Callable[[], Iterable[tuple]] | None,
        findings: Findings,
        columns: tuple[str, ...] = (),
        default: str = "",
    ) -> None:
        self.rows_again = rows_again
        self.findings = findings
        self.columns = columns
        self.default = default  # the organisation's order, for a file nothing settles
        self.decided: dict[str, ColumnOrder] = {}

    def of(self, column: str) -> ColumnOrder:
        if column not in self.decided:
            self.decided[column] = self._decide(column)
        return self.decided[column]

    def _decide(self, column: str) -> ColumnOrder:
        if self.rows_again is None:
            return ColumnOrder(None)
        found = column_order(row.get(column) for _, row, *_ in self.rows_again())
        if found.order is not None:
            count = found.day_first or found.month_first
            values = "value" if count == 1 else "values"
            self.findings.note(
                f"{column} read as {found.order}, because of {count:,} {values} "
                f"like {found.example}"
            )
            return found
        if found.day_first or found.month_first:  # both ways round
            return found
        if len(self.columns) > 1:
            found = self._from_the_file(column)
            if found.day_first or found.month_first:
                return found
        if self.default in (DAY_FIRST, MONTH_FIRST):
            self.findings.note(
                f"{column} read as {self.default}: no date in the file settles it, so the "
                "organisation's setting does"
            )
            return ColumnOrder(self.default)
        return found

    def _from_the_file(self, column: str) -> ColumnOrder:
        """The order the file's other date columns agree on, for a column with none."""
        others = [c for c in self.columns if c != column]
        found = column_order(row.get(other) for _, row, *_ in self.rows_again() for other in others)
        if found.order is not None:
            self.findings.note(
                f"{column} read as {found.order}, as the file's other dates are "
                f"(like {found.example})"
            )
        return found
