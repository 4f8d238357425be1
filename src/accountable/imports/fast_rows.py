"""Activity rows turned into plain tuples for the bulk path, checked in a tight loop.

A file of activities can have millions of rows. Checking each through
`ActivityValidator.check` costs some 18 µs: dicts, regular expressions, a
datetime and a lookup per cell. Here a well-formed row costs about 2 µs, and any
other row is handed to the validator itself, so that a rejected row gets the
very reason it always got and a warning is counted as it always was. What makes
the common row cheap:

- cells are picked by position from the reader's list, with no dict per row;
- kind, channel, outcome, is_prospecting and meeting_number take few distinct
  values: they are checked once per distinct combination of cells, and a row
  carries the number of its *combination* (the bulk loader stores each
  combination once, and every staged row binds fewer values);
- owners and accounts are looked up once per distinct cell;
- `occurred_at` in the usual shapes (YYYY-MM-DD, then HH:MM or HH:MM:SS) is read
  with slices rather than a regular expression, and made UTC with one offset per
  day of the organisation's time zone.

A staged row is (line, external_id, occurred_at as UTC text, person id,
account id, deal id, combination number); see `crm.bulk_load`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from operator import itemgetter
from typing import Any

from accountable.imports.errors import RowError
from accountable.imports.readers import EXTRA_CELLS, Table, as_row
from accountable.imports.validate import (
    ActivityValidator,
    check_cell_count,
    check_cells,
    meeting_number_limit,
)
from accountable.imports.values import required
from accountable.org.calendar import EARLIEST, LATEST

Staged = tuple[int, str, str, int, int | None, int | None, int]
Numbered = tuple[int, dict[str, Any], dict[str, Any]]  # line, generic row, row as in the file
RejectRow = Callable[[int, str, dict[str, Any]], None]

BATCH = 20_000
# The generic columns in the order the loop unpacks them.
PICKED = (
    "external_id",
    "owner_email",
    "kind",
    "channel",
    "outcome",
    "occurred_at",
    "account",
    "deal_external_id",
    "is_prospecting",
    "meeting_number",
)
# Columns a file may leave out to keep the stored value (ActivityValidator.kept_when_absent),
# in the order of the `sets_…` flags of a combination.
KEPT = ("outcome", "account", "deal_external_id", "is_prospecting", "meeting_number")
# A cell starting with one of these may be a formula, or have spaces to strip: the
# validator decides.
SUSPECT_START = frozenset("=+-@\t\r ")
SLOW = -1  # a combination of cells the validator must look at, row by row

CLOCKS = frozenset(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))
SECONDS = frozenset(f"{second:02d}" for second in range(60))
ZERO = timedelta(0)


def utc_text(moment: datetime) -> str:
    """An aware datetime as the UTC text Django keeps on SQLite ("2026-03-02 09:30:00",
    microseconds only when there are some); PostgreSQL reads it as UTC too."""
    return str(moment.astimezone(UTC).replace(tzinfo=None))


class UtcText:
    """`occurred_at` cells in the usual shapes as UTC text; None for any other shape
    (the validator then reads the cell, and says what is wrong with it).

    Times are in the organisation's time zone. A day whose UTC offset is the same at
    both ends is converted with that offset; the few rows on a daylight-saving
    changeover day are left to the validator too. The day ("2026-03-02") and the
    time ("T09:30") are each checked once and remembered when right (a file has a
    few hundred days; a day has 86,400 seconds); a wrong one is not remembered, so
    a column of nonsense cannot fill memory.
    """

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._offsets: dict[str, timedelta] = {}  # "2026-03-02" → its UTC offset
        self._clocks: dict[str, str] = {}  # "T09:30" → " 09:30:00"

    def __call__(self, text: str) -> str | None:
        day, time_of_day = text[:10], text[10:]
        try:
            offset, clock = self._offsets[day], self._clocks[time_of_day]
        except KeyError:
            offset, clock = self._offset(day), _clock(time_of_day)
            if offset is None or clock is None:
                return None
            self._offsets[day], self._clocks[time_of_day] = offset, clock
        if offset == ZERO:  # the text is already the UTC text
            return day + clock
        return str(datetime.fromisoformat(day + clock) - offset)

    def _offset(self, day: str) -> timedelta | None:
        """The UTC offset all through `day` ("YYYY-MM-DD"), or None when it is not a
        date written so, or the offset changes that day."""
        digits = day[:4] + day[5:7] + day[8:]
        if not (len(day) == 10 and day[4] == day[7] == "-" and digits.isascii()):
            return None
        if not digits.isdigit():
            return None
        try:
            start = datetime(int(day[:4]), int(day[5:7]), int(day[8:]), tzinfo=self.zone)
            offset, then = start.utcoffset(), (start + timedelta(days=1)).utcoffset()
        except (ValueError, OverflowError):  # not a real date (the validator says so)
            return None
        if not EARLIEST <= start.date() <= LATEST:
            return None  # outside the calendar: the validator rejects it, with its reason
        return offset if offset == then else None


def _clock(text: str) -> str | None:
    """The time after the date ("T09:30", " 09:30:15", or none) as " 09:30:00"."""
    if not text:
        return " 00:00:00"
    if len(text) == 6 and text[0] in "T " and text[1:] in CLOCKS:
        return f" {text[1:]}:00"
    if len(text) == 9 and text[0] in "T " and text[1:6] in CLOCKS and text[6] == ":":
        return f" {text[1:]}" if text[7:] in SECONDS else None
    return None


def reads_cells(columns: dict[str, str]) -> bool:
    """Whether a file mapped with `columns` can go through the fast loop: it maps only
    the generic columns (anything else is checked by the validator, row by row)."""
    return set(columns) <= set(PICKED)


class ActivityRows:
    """Compiles activity rows into staged tuples, in batches; reports rejects as it goes.

    `combinations` maps each combination's values — (kind, channel, outcome,
    is_prospecting, meeting_number, then the five `sets_…` flags of KEPT) — to its
    number. `rows` counts the rows read, rejected or not.
    """

    def __init__(self, validator: ActivityValidator, reject: RejectRow) -> None:
        self.validator = validator
        self.reject = reject
        self.findings = validator.context.findings
        self.rows = 0
        self.combinations: dict[tuple, int] = {}
        # Cells found good, and what they name: (id, warning or "").
        self._owners: dict[str, tuple[int, str]] = {}
        self._accounts: dict[str, tuple[int | None, str]] = {}
        self._meeting_limit = meeting_number_limit()
        self._utc = UtcText(validator.context.zone)

    # --- rows as dicts: every one through the validator ----------------------------------

    def from_rows(self, rows: Iterable[Numbered]) -> Iterator[list[Staged]]:
        """Rows in the generic columns as dicts (the API's, a preset's expanded rows)."""
        batch: list[Staged] = []
        for line, row, original in rows:
            self.rows += 1
            staged = self.checked(line, row, original)
            if staged is not None:
                batch.append(staged)
                if len(batch) >= BATCH:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def checked(self, line: int, row: dict[str, Any], original: dict[str, Any]) -> Staged | None:
        """One row through the validator: staged, or rejected (then None)."""
        try:
            check_cell_count(row, original)
            values = self.validator.checked(row)
        except RowError as error:
            self.reject(line, error.reason, original)
            return None
        # A column the row leaves out keeps the stored value; a new record takes the
        # model's default, which is what these fallbacks are.
        sets = (
            "outcome" in values,
            "account" in values,
            "deal" in values,
            "is_prospecting" in values,
            "meeting_number" in values,
        )
        number = self.combination(
            values["kind"],
            values["channel"],
            values.get("outcome", ""),
            values.get("is_prospecting", False),
            values.get("meeting_number"),
            sets,
        )
        account, deal = values.get("account"), values.get("deal")
        return (
            line,
            values["external_id"],
            utc_text(values["occurred_at"]),
            values["person"].pk,
            account.pk if account else None,
            deal.pk if deal else None,
            number,
        )

    def combination(
        self,
        kind: str,
        channel: str,
        outcome: str,
        is_prospecting: bool,
        meeting_number: int | None,
        sets: tuple[bool, ...],
    ) -> int:
        key = (kind, channel, outcome, is_prospecting, meeting_number, *sets)
        number = self.combinations.get(key)
        if number is None:
            number = self.combinations[key] = len(self.combinations)
        return number

    # --- rows of a file: the fast loop ----------------------------------------------------

    def from_table(self, table: Table, columns: dict[str, str]) -> Iterator[list[Staged]]:
        """The file's rows, read as lists of cells; `columns` maps generic fields to the
        file's columns (no preset expander: the cells are the values)."""
        header = table.columns
        width = len(header)
        where = {name: header.index(column) for name, column in columns.items()}
        # A field the file has no column for reads the blank cell put after the row's own.
        pick = itemgetter(*(where.get(name, width) for name in PICKED))
        sets = tuple(name in columns for name in KEPT)
        by_cells: dict[tuple[str, ...], int] = {}
        owners, accounts = self._owners, self._accounts
        utc, add_warning = self._utc, self.findings.add
        deal_ids: dict[str, int] | None = None
        batch: list[Staged] = []

        def slowly(line: int, cells: list[str]) -> None:
            original = as_row(header, cells)
            if EXTRA_CELLS in original:
                row: dict[str, Any] = {EXTRA_CELLS: original[EXTRA_CELLS]}
            else:
                row = {name: original.get(column) for name, column in columns.items()}
            staged = self.checked(line, row, original)
            if staged is not None:
                batch.append(staged)

        for line, cells in table.records():
            self.rows += 1
            if len(cells) != width:
                slowly(line, cells)
                continue
            cells.append("")
            (
                external_id,
                owner,
                kind,
                channel,
                outcome,
                occurred_at,
                account,
                deal,
                is_prospecting,
                meeting_number,
            ) = pick(cells)
            number = by_cells.get((kind, channel, outcome, is_prospecting, meeting_number))
            if number is None:
                number = self._combination_of_cells(
                    by_cells, (kind, channel, outcome, is_prospecting, meeting_number), sets
                )
            moment = utc(occurred_at)
            stripped = external_id.strip()
            # Names are looked up last, and only for a row the validator would look them
            # up for: looking up may create an account ("+create"), and whether it does
            # must not depend on the path a row takes.
            if (
                number == SLOW
                or moment is None
                or not stripped
                or external_id[0] in SUSPECT_START
                or len(stripped) > 100
                or (deal and deal[0] in SUSPECT_START)
            ):
                cells.pop()
                slowly(line, cells)
                continue
            found_owner = owners.get(owner) or self._owner(owner)
            found_account = found_owner and (accounts.get(account) or self._account(account))
            deal_id = None
            if deal and found_account:
                if deal_ids is None:
                    deal_ids = self.validator.deal_ids()
                deal_id = deal_ids.get(deal)
            if not found_account or (deal and deal_id is None):
                cells.pop()
                slowly(line, cells)
                continue
            # The row is imported: count its warnings as the validator would have.
            if found_owner[1]:
                add_warning(found_owner[1])
            if found_account[1]:
                add_warning(found_account[1])
            batch.append(
                (line, stripped, moment, found_owner[0], found_account[0], deal_id, number)
            )
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _combination_of_cells(
        self, by_cells: dict[tuple[str, ...], int], cells: tuple[str, ...], sets: tuple[bool, ...]
    ) -> int:
        kind, channel, outcome, is_prospecting, meeting_number = cells
        row = {
            "kind": kind,
            "channel": channel,
            "outcome": outcome,
            "is_prospecting": is_prospecting,
            "meeting_number": meeting_number,
        }
        try:
            check_cells(row)
            values = self.validator.choices(row)
        except RowError:
            return SLOW  # not remembered, as below: wrong cells may all differ
        meeting = values["meeting_number"]
        if meeting is not None and meeting > self._meeting_limit:
            return SLOW
        number = by_cells[cells] = self.combination(
            values["kind"],
            values["channel"],
            values["outcome"],
            values["is_prospecting"],
            meeting,
            sets,
        )
        return number

    def _owner(self, cell: str) -> tuple[int, str] | None:
        """The person a cell names (id, warning), or None for the validator to say why."""
        try:
            check_cells({"owner_email": cell})
            person, warning = self.validator.context.lookup("owner").match(
                required("owner_email", cell)
            )
            self.validator.scope.check_person(person)
        except RowError:
            return None
        found = self._owners[cell] = (person.pk, warning)
        return found

    def _account(self, cell: str) -> tuple[int | None, str] | None:
        """The account a cell names (id or None for a blank cell, warning), or None for
        the validator to say why — or to create it ("+create"), if the row gets that far."""
        if not cell.strip():  # no account: no need to read them all
            found = self._accounts[cell] = (None, "")
            return found
        lookup = self.validator.context.lookup("account")
        try:
            check_cells({"account": cell})
            if lookup.creates(cell):
                return None
            account, warning = lookup.match(cell)
        except RowError:
            return None
        found = self._accounts[cell] = (account.pk if account else None, warning)
        return found
