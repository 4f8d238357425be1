"""How the scorecards follow the sales data: every announced change (`core.changes`)
refreshes the rollups of the days it touched, in the writer's transaction; a change of
how days are cut (the organisation's time zone; see `org.zone`) rebuilds them all in
the background."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from accountable.core.changes import Changed
from accountable.scorecards.rollups import rebuild, refresh_runs


@task()
def rollups_rebuild() -> dict[str, int]:
    """Rebuild the rollups in the organisation's zone (the worker runs every task in it)."""
    return rebuild()


def rollups_follow(changed: Changed) -> None:
    """Subscribed in the app's configuration: recompute the days `changed` touched now,
    or queue a rebuild of every day once the change has committed."""
    if changed.everything:
        transaction.on_commit(rollups_rebuild.enqueue)
    elif changed.tables:  # working days (time off) change no sales figure
        refresh_runs(changed.runs, tables=changed.tables, everyone=changed.everyone)
