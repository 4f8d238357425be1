"""Writing many rows fast: batched raw INSERTs through Django's own connection.

The demo writes a few thousand activities; a benchmark organisation tens of
millions. `BatchInserter` keeps a small buffer and sends it with one
`executemany` when it fills, so memory stays flat however many rows pass
through. It goes through `django.db.connection` with `%s` placeholders, so the
same code runs on SQLite and PostgreSQL, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time

from django.db import connection, models

__all__ = ["BATCH_SIZE", "BatchInserter", "timestamper"]

BATCH_SIZE = 5_000
_CLOCK = [f"{minute // 60:02d}:{minute % 60:02d}:00" for minute in range(24 * 60)]


class BatchInserter:
    """Rows for one model, in the order of `fields`, sent `batch_size` at a time.

    Values go to the driver as they are, except datetimes, which are adapted
    the way the ORM would (`adapt_datetimes=False` when the caller already
    passes them adapted, as the activity stream does through `timestamper`).
    Call `flush()` at the end; `count` is the number of rows written.
    """

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        *,
        batch_size: int = BATCH_SIZE,
        adapt_datetimes: bool = True,
    ) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        columns = [meta.get_field(name).column for name in fields]
        # Table and column names come from the model's own metadata; values
        # always travel as parameters.
        table, names = quote(meta.db_table), ", ".join(quote(c) for c in columns)
        placeholders = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
        self.datetime_positions = (
            [
                index
                for index, name in enumerate(fields)
                if isinstance(meta.get_field(name), models.DateTimeField)
            ]
            if adapt_datetimes
            else []
        )
        self.batch_size = batch_size
        self.rows: list[Sequence[object]] = []
        self.count = 0

    def add(self, row: Sequence[object]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def extend(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self.rows
        if self.datetime_positions:
            adapt = connection.ops.adapt_datetimefield_value
            rows = [list(row) for row in rows]
            for row in rows:
                for index in self.datetime_positions:
                    if isinstance(row[index], datetime):
                        row[index] = adapt(row[index])
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
        self.count += len(rows)
        self.rows = []


def timestamper() -> Callable[[date, int], object]:
    """A function (day, minute of the day) → a UTC time as the database stores it.

    On SQLite in UTC (the default) that is the text Django itself would write,
    built from a table of clock times: it runs for every one of millions of
    activities. Elsewhere the ORM's own adaptation is used.
    """
    if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
        clock = _CLOCK

        def stamp(day: date, minute: int) -> object:
            return f"{day.isoformat()} {clock[minute]}"

        return stamp

    adapt = connection.ops.adapt_datetimefield_value

    def stamp_adapted(day: date, minute: int) -> object:
        return adapt(datetime.combine(day, time(minute // 60, minute % 60), tzinfo=UTC))

    return stamp_adapted
