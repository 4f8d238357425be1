"""Id lists cut into pieces any database accepts in one `…__in` lookup."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

# SQLite allowed 999 variables per statement before 3.32; stay under it everywhere.
LOOKUP_CHUNK = 900
T = TypeVar("T")


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """`values` LOOKUP_CHUNK at a time, for `…__in` lookups any SQLite accepts."""
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]
