"""Background work of the imports: the daily sweep of imports that stopped half-way.

A thin wrapper around `services.runs_stalled_fail`, scheduled by
`jobs.schedule.PERIODIC_JOBS`; the imports pages also sweep when they are read.
"""

from __future__ import annotations

from django_tasks import task

from accountable.imports.services import runs_stalled_fail


@task()
def imports_stalled_fail() -> dict[str, int]:
    """Mark failed the imports whose process died before they finished."""
    return {"failed": runs_stalled_fail()}
