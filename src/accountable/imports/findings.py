"""Warnings about the data an import met: flaws it worked around, counted.

A warning is not a rejection: the rows were imported, but someone should know
(e.g. '"GTXPro" matched product "GTX Pro"'). The same warning on 1,480 rows is
reported once, with its count.
"""

from __future__ import annotations

PLURALS = {"person": "people"}


class Findings:
    """Warning messages in the order first met, each with how many rows it concerns."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._unit: dict[str, str] = {}

    def add(self, message: str, count: int = 1, *, unit: str = "row") -> None:
        """Count `count` more occurrences of `message` (a unit of "" means: no count shown)."""
        self._counts[message] = self._counts.get(message, 0) + count
        self._unit[message] = unit

    def note(self, message: str) -> None:
        """A warning that is said once, without a count."""
        self.add(message, 0, unit="")

    def merge(self, other: Findings) -> None:
        for message, count in other._counts.items():
            self.add(message, count, unit=other._unit[message])

    def messages(self) -> list[str]:
        """Each warning as a sentence, with its count ("… (1,480 rows)")."""
        lines = []
        for message, count in self._counts.items():
            unit = self._unit[message]
            if not unit:
                lines.append(message)
            else:
                plural = unit if count == 1 else PLURALS.get(unit, f"{unit}s")
                lines.append(f"{message} ({count:,} {plural})")
        return lines

    def __bool__(self) -> bool:
        return bool(self._counts)
