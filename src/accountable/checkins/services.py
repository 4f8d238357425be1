"""Writing check-ins and action items. The one who runs a person's check-ins is whoever
may run them (`abilities.RUN_CHECKINS`: their managers, an admin); the person adds their
own agenda items. `actor` None is the system. Every change is audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import (
    RECURRENCE_DAYS,
    ActionItem,
    ActionState,
    AgendaItem,
    CheckIn,
    CheckinState,
    Recurrence,
)
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST
from accountable.org.models import Person

NOTES_LENGTH = 20_000
FIELDS = ["starts_at", "minutes", "recurrence", "location", "state"]


def may_run(actor: Person | None, person: Person) -> bool:
    return actor is None or abilities.may(actor, abilities.RUN_CHECKINS, person)


def _check_run(actor: Person | None, person: Person, doing: str) -> None:
    if not may_run(actor, person):
        raise PermissionDenied(f"You cannot {doing} with {person.name}.")


def _when(starts_at: datetime, minutes: object) -> tuple[datetime, int]:
    if starts_at is None or not EARLIEST <= timezone.localdate(starts_at) <= LATEST:
        raise CheckinError(f"Choose a day between {EARLIEST:%Y} and {LATEST:%Y}.")
    try:
        length = int(minutes)
    except (TypeError, ValueError):
        raise CheckinError(f'A check-in lasts a number of minutes, not "{minutes}".') from None
    if not 5 <= length <= 240:
        raise CheckinError("A check-in lasts from 5 minutes to 4 hours.")
    return starts_at, length


def _open(checkin: CheckIn, doing: str) -> None:
    if checkin.state != CheckinState.SCHEDULED:
        raise CheckinError(
            f"This check-in is {checkin.get_state_display().lower()}: it cannot be {doing}."
        )


@transaction.atomic
def checkin_schedule(
    *,
    actor: Person | None,
    person: Person,
    starts_at: datetime,
    minutes: object = 30,
    recurrence: str = Recurrence.WEEKLY,
    location: str = "",
    manager: Person | None = None,
) -> CheckIn:
    """A 1:1 with `person`, run by the actor (or `manager`, for the system)."""
    _check_run(actor, person, "schedule a check-in")
    runner = manager or actor
    if runner is None:
        raise CheckinError("Say who runs the check-in.")
    if runner.pk == person.pk:
        raise CheckinError("A check-in is with someone else.")
    if recurrence not in Recurrence.values:
        raise CheckinError(f'Repeat it {", ".join(Recurrence.values)}, not "{recurrence}".')
    starts_at, minutes = _when(starts_at, minutes)
    checkin = CheckIn.objects.create(
        person=person,
        manager=runner,
        starts_at=starts_at,
        minutes=minutes,
        recurrence=recurrence,
        location=str(location or "").strip()[:200],
    )
    audit_record(
        actor=actor, action="checkin.schedule", obj=checkin,
        after={"person": person.email, **snapshot(checkin, FIELDS)},
    )  # fmt: skip
    return checkin


@transaction.atomic
def checkin_reschedule(
    *, actor: Person | None, checkin: CheckIn, starts_at: datetime, minutes: object = None
) -> CheckIn:
    """A new time (the invite's update: its revision goes up)."""
    _check_run(actor, checkin.person, "reschedule a check-in")
    _open(checkin, "rescheduled")
    before = snapshot(checkin, FIELDS)
    checkin.starts_at, checkin.minutes = _when(
        starts_at, checkin.minutes if minutes is None else minutes
    )
    checkin.sequence += 1
    checkin.save()
    audit_record(
        actor=actor,
        action="checkin.reschedule",
        obj=checkin,
        before=before,
        after=snapshot(checkin, FIELDS),
    )
    return checkin


@transaction.atomic
def checkin_cancel(*, actor: Person | None, checkin: CheckIn) -> CheckIn:
    """Cancelled (the invite's cancellation); a recurring series goes on from the next."""
    _check_run(actor, checkin.person, "cancel a check-in")
    _open(checkin, "cancelled")
    before = snapshot(checkin, FIELDS)
    checkin.state = CheckinState.CANCELLED
    checkin.sequence += 1
    checkin.save()
    audit_record(
        actor=actor,
        action="checkin.cancel",
        obj=checkin,
        before=before,
        after=snapshot(checkin, FIELDS),
    )
    _schedule_next(actor, checkin)
    return checkin


def _notes(value: object) -> str:
    text = str(value or "").strip()
    if len(text) > NOTES_LENGTH:
        raise CheckinError(f"Keep notes to {NOTES_LENGTH:,} characters.")
    return text


@transaction.atomic
def checkin_notes(
    *, actor: Person | None, checkin: CheckIn, shared: object = None, private: object = None
) -> CheckIn:
    """The notes of the meeting: shared (the person sees them) and private (the manager
    chain only)."""
    _check_run(actor, checkin.person, "write the notes of a check-in")
    before = {"shared_notes": checkin.shared_notes, "private_notes": "(private)"}
    if shared is not None:
        checkin.shared_notes = _notes(shared)
    if private is not None:
        checkin.private_notes = _notes(private)
    checkin.save(update_fields=["shared_notes", "private_notes"])
    # The trail says that private notes changed, never what they say.
    hidden = "(private, changed)" if private is not None else "(private)"
    audit_record(
        actor=actor,
        action="checkin.notes",
        obj=checkin,
        before=before,
        after={"shared_notes": checkin.shared_notes, "private_notes": hidden},
    )
    return checkin


@transaction.atomic
def checkin_hold(
    *, actor: Person | None, checkin: CheckIn, today: date | None = None
) -> CheckIn | None:
    """Mark the meeting held; a recurring one schedules the next. Returns the next."""
    _check_run(actor, checkin.person, "hold a check-in")
    _open(checkin, "held again")
    before = snapshot(checkin, FIELDS)
    checkin.state = CheckinState.HELD
    checkin.held_on = today or timezone.localdate()
    checkin.save()
    audit_record(
        actor=actor,
        action="checkin.hold",
        obj=checkin,
        before=before,
        after=snapshot(checkin, FIELDS),
    )
    return _schedule_next(actor, checkin)


def _schedule_next(actor: Person | None, checkin: CheckIn) -> CheckIn | None:
    days = RECURRENCE_DAYS.get(checkin.recurrence)
    if not days:
        return None
    later = CheckIn.objects.filter(
        person=checkin.person, manager=checkin.manager, starts_at__gt=checkin.starts_at,
        state=CheckinState.SCHEDULED,
    )  # fmt: skip
    if later.exists():
        return None
    return checkin_schedule(
        actor=None,
        person=checkin.person,
        manager=checkin.manager,
        starts_at=checkin.starts_at + timedelta(days=days),
        minutes=checkin.minutes,
        recurrence=checkin.recurrence,
        location=checkin.location,
    )


@transaction.atomic
def agenda_add(*, actor: Person | None, checkin: CheckIn, text: str) -> AgendaItem:
    """Something to talk about: the person's own, or their manager's."""
    if actor is not None and actor.pk != checkin.person_id and not may_run(actor, checkin.person):
        raise PermissionDenied("Only the people in the meeting add to its agenda.")
    _open(checkin, "added to")
    text = " ".join(str(text or "").split())
    if not text:
        raise CheckinError("Say what you want to talk about.")
    if len(text) > 500:
        raise CheckinError("Keep it to 500 characters.")
    item = AgendaItem.objects.create(checkin=checkin, text=text, added_by=actor)
    audit_record(actor=actor, action="checkin.agenda", obj=checkin, after={"item": text})
    return item


@transaction.atomic
def action_add(
    *, actor: Person | None, checkin: CheckIn, owner: Person, text: str, due_on: date
) -> ActionItem:
    """An action item agreed in the meeting, owned by the person or the manager."""
    _check_run(actor, checkin.person, "record the outcome of a check-in")
    if owner.pk not in (checkin.person_id, checkin.manager_id):
        raise CheckinError("An action item is owned by someone in the meeting.")
    text = " ".join(str(text or "").split())
    if not text:
        raise CheckinError("Say what is to be done.")
    if len(text) > 300:
        raise CheckinError("Keep it to 300 characters.")
    if due_on is None or not EARLIEST <= due_on <= LATEST:
        raise CheckinError("Give the day it is due.")
    action = ActionItem.objects.create(
        owner=owner,
        about=checkin.person,
        text=text,
        due_on=due_on,
        checkin=checkin,
        created_by=actor,
    )
    audit_record(
        actor=actor, action="action.create", obj=action,
        after={"owner": owner.email, "text": text, "due_on": due_on.isoformat()},
    )  # fmt: skip
    return action


def may_change_action(actor: Person | None, action: ActionItem, *, runs=may_run) -> bool:
    """Whether the actor may mark the action item done or drop it: its owner, or whoever
    runs the check-ins of the person it is about (`runs`: `may_run`, or a memo of it)."""
    return actor is None or actor.pk == action.owner_id or runs(actor, action.about)


def actions_changeable(actor: Person | None, actions: Iterable[ActionItem]) -> set[int]:
    """The ids of `actions` the actor may change (`may_change_action`), asking who runs
    whose check-ins once per person rather than once per item."""
    known: dict[int, bool] = {}

    def runs(actor: Person | None, person: Person) -> bool:
        if person.pk not in known:
            known[person.pk] = may_run(actor, person)
        return known[person.pk]

    return {a.pk for a in actions if may_change_action(actor, a, runs=runs)}


@transaction.atomic
def action_set(*, actor: Person | None, action: ActionItem, state: str) -> ActionItem:
    """Done or dropped (or open again), by its owner or whoever runs the check-ins."""
    if not may_change_action(actor, action):
        raise PermissionDenied("Only its owner or their manager changes an action item.")
    if state not in ActionState.values:
        raise CheckinError(f'An action item is {", ".join(ActionState.values)}, not "{state}".')
    before = {"state": action.state}
    action.state = state
    action.done_on = timezone.localdate() if state == ActionState.DONE else None
    action.save(update_fields=["state", "done_on"])
    audit_record(
        actor=actor, action="action.update", obj=action, before=before, after={"state": state}
    )
    return action
