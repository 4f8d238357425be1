"""Background work of the imports: the wizard's steps, and the daily sweep of imports
that stopped half-way.

Thin wrappers around `services.step_run` (queued by `services.step_queue`) and
`services.runs_stalled_fail` (scheduled by `jobs.schedule.PERIODIC_JOBS`; the imports
pages also sweep when they are read).
"""

from __future__ import annotations

from django_tasks import task

from accountable.imports.models import ImportRun
from accountable.imports.services import runs_stalled_fail, step_mark, step_run
from accountable.org.models import Person


@task()
def import_step(run_id: int, step: str, actor_id: int) -> str:
    """Read, preview or apply an uploaded file, for the person who asked."""
    return step_run(run_id=run_id, step=step, actor_id=actor_id)


def step_queue(*, actor: Person, run: ImportRun, step: str) -> ImportRun:
    """Mark the run as working on `step` and hand the step to the background worker."""
    step_mark(run=run, step=step)
    import_step.enqueue(run.pk, step, actor.pk)
    return run


@task()
def imports_stalled_fail() -> dict[str, int]:
    """Mark failed the imports whose process died before they finished."""
    return {"failed": runs_stalled_fail()}
