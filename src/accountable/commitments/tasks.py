"""Commitments judged by the worker: each night the ones that fell due, and again when
data arrives for days a judged one covered (`core.changes`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accountable.commitments.models import Commitment, State
from accountable.commitments.services import commitments_judge
from accountable.core.changes import Changed


@task()
def commitments_nightly() -> dict[str, int]:
    return {"changed": commitments_judge()}


@task()
def commitments_rejudge(people: list[int]) -> dict[str, int]:
    return {"changed": commitments_judge(people=people)}


def commitments_follow(changed: Changed) -> None:
    """Subscribed in the app's configuration: once the write has committed, judge again
    the commitments fallen due whose days it touched (data arriving late)."""
    if not changed.tables:  # working days only: no figure moved
        return
    touched = {person_id: (first, last) for person_id, first, last in changed.runs}
    rows = (
        Commitment.objects.filter(due_on__lt=timezone.localdate())  # fallen due: judged
        .exclude(state=State.WITHDRAWN)
        .exclude(metric="", deal__isnull=True)
    )
    if not changed.everything and not changed.everyone:
        rows = rows.filter(person_id__in=list(touched))
    wanted = sorted(
        {
            pid
            for pid, start, due in rows.values_list("person_id", "start_on", "due_on")
            if changed.everything
            or changed.everyone
            or (pid in touched and touched[pid][0] <= due and touched[pid][1] >= (start or due))
        }
    )
    if not wanted:
        return
    # One task per transaction, however many changes it announces.
    for _, callback, _ in transaction.get_connection().run_on_commit:
        if isinstance(callback, _Rejudge):
            callback.people.update(wanted)
            return
    transaction.on_commit(_Rejudge(set(wanted)))


class _Rejudge:
    """The commitments of these people judged again once the write has committed."""

    def __init__(self, people: set[int]) -> None:
        self.people = people

    def __call__(self) -> None:
        commitments_rejudge.enqueue(sorted(self.people))
