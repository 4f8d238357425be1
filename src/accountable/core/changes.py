"""The one place that hears about changes to the sales data.

Every write to the CRM's tables — a form, the bulk API, a file import, a first load of
millions of activities — ends by announcing what it changed: whose days, in which
tables. So does a change of a person's working days (time off), in no table. The apps
that keep something derived from the sales data subscribe here from their app
configuration, so the writers never reach up to them:

- the scorecards refresh their rollups of those people and days, inside the writer's
  transaction, so every figure is right as soon as it commits;
- the warning engine queues a run once the transaction has committed.

A change of how days are cut (the organisation's time zone) touches every day of
everyone: it is announced with `everything=True`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

ACTIVITIES = "activities"
OUTCOMES = "outcomes"  # deals: won, lost and created amounts and counts
TABLES = (ACTIVITIES, OUTCOMES)


@dataclass(frozen=True)
class Changed:
    """What one write changed.

    `runs`: (person id, first day, last day) — the days of each person the write touched,
    before and after it (a deal moved from one owner to another touches both).
    `tables`: which of the derived tables those days need recomputing in; none when
    only who was working changed (time off), which the warnings still follow.
    `everyone`: the write replaced most of the table (a first load), so recomputing
    everyone's days at once is cheaper than person by person.
    `everything`: every day of everyone may have moved (the time zone changed).
    """

    runs: tuple[tuple[int, date, date], ...] = ()
    tables: tuple[str, ...] = TABLES
    everyone: bool = False
    everything: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.tables) - set(TABLES)
        if unknown:
            raise ValueError(f"Unknown tables {sorted(unknown)}; they are {TABLES}.")

    @property
    def empty(self) -> bool:
        return not (self.runs or self.everything)


Listener = Callable[[Changed], None]


@dataclass
class _Collector:
    listeners: dict[str, Listener] = field(default_factory=dict)

    def listen(self, name: str, listener: Listener) -> None:
        """Subscribe `listener` under `name` (listening twice under one name keeps one)."""
        self.listeners[name] = listener

    def announce(self, changed: Changed) -> None:
        """Tell every listener, in the order they subscribed, inside the caller's
        transaction: a listener that fails fails the write."""
        if changed.empty:
            return
        for listener in list(self.listeners.values()):
            listener(changed)


_collector = _Collector()
listen = _collector.listen


def announce(changed: Changed) -> None:
    _collector.announce(changed)


def days_changed(pairs: Iterable[tuple[int, date]], *, tables: Iterable[str] = TABLES) -> None:
    """Announce the (person id, day) keys a write touched, cut into runs of days per
    person (`runs_of`)."""
    announce(Changed(runs=tuple(runs_of(pairs)), tables=tuple(tables)))


def runs_of(pairs: Iterable[tuple[int, date]], gap: int = 31) -> list[tuple[int, date, date]]:
    """(person id, first day, last day) runs of the keys: each person's sorted days cut
    where neighbours are more than `gap` days apart, so a stray old day (a correction of
    an old record) never makes a span of years."""
    days_by_person: dict[int, set[date]] = {}
    for person_id, day in pairs:
        if person_id is not None and day is not None:
            days_by_person.setdefault(person_id, set()).add(day)
    runs: list[tuple[int, date, date]] = []
    for person_id, days in days_by_person.items():
        first = last = None
        for day in sorted(days):
            if last is not None and (day - last).days <= gap:
                last = day
                continue
            if first is not None:
                runs.append((person_id, first, last))
            first = last = day
        runs.append((person_id, first, last))
    return runs
