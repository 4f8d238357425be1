"""Writes to the organisation, its teams and its people. Each is atomic and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.core import changes
from accountable.org import abilities, holidays
from accountable.org.calendar import PeriodError, date_check
from accountable.org.models import (
    Organisation,
    Person,
    PersonChange,
    Role,
    Team,
    TeamKind,
    TimeOff,
)
from accountable.org.zone import zone_forget

ORGANISATION_FIELDS = [
    "name",
    "currency",
    "time_zone",
    "fiscal_year_start_month",
    "week_start_day",
    "working_days",
    "holiday_country",
    "holiday_subdivision",
    "own_days_off",
    "date_order",
]
TEAM_FIELDS = ["name", "kind", "parent"]
PERSON_FIELDS = ["email", "name", "role", "team", "start_date", "left_on", "is_active"]


class OrgError(ValueError):
    """A change to the organisation that cannot be made; the message says why."""


def organisation_get() -> Organisation:
    """The organisation (created with defaults on first use)."""
    organisation = Organisation.objects.order_by("pk").first()
    return organisation or Organisation.objects.create()


@transaction.atomic
def organisation_update(*, actor: Person | None, **changes: Any) -> Organisation:
    organisation = organisation_get()
    if "working_days" in changes:
        days = sorted({int(day) for day in changes["working_days"]})
        if not days or any(day < 0 or day > 6 for day in days):
            raise OrgError("Choose at least one working day.")
        changes["working_days"] = days
    if "holiday_country" in changes or "holiday_subdivision" in changes:
        country = changes.get("holiday_country", organisation.holiday_country) or ""
        region = changes.get("holiday_subdivision", organisation.holiday_subdivision) or ""
        try:
            holidays.check(country.upper(), region.upper())
        except PeriodError as error:
            raise OrgError(str(error)) from None
        changes["holiday_country"], changes["holiday_subdivision"] = country.upper(), region.upper()
    if isinstance(changes.get("own_days_off"), str):
        try:
            changes["own_days_off"] = holidays.own_days_parse(changes["own_days_off"])
        except PeriodError as error:
            raise OrgError(str(error)) from None
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    if before.get("time_zone") != organisation.time_zone:
        _zone_changed()
    audit_record(
        actor=actor,
        action="organisation.update",
        obj=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


def _zone_changed() -> None:
    """Days are cut in the organisation's zone (`org.zone`): this process reads it again,
    and every day of everyone may have moved, which is announced (`core.changes`): the
    scorecards rebuild their rollups in it and the warnings judge again."""
    zone_forget()
    changes.announce(changes.Changed(everything=True))


def _refresh_paths(team: Team) -> None:
    """Recompute the materialised path of a team and everything below it."""
    old_path = team.path
    team.path = team.compute_path()
    team.depth = team.path.count("/") - 2
    Team.objects.filter(pk=team.pk).update(path=team.path, depth=team.depth)
    if old_path and old_path != team.path:
        for child in Team.objects.filter(path__startswith=old_path).exclude(pk=team.pk):
            child.path = team.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])


def _check_team_name(name: str, exclude_pk: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise OrgError("A team needs a name.")
    clash = Team.objects.filter(name__iexact=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise OrgError(f'There is already a team called "{clash.first().name}".')
    return name


@transaction.atomic
def team_create(
    *,
    actor: Person | None,
    name: str,
    kind: str = TeamKind.TEAM,
    parent: Team | None = None,
    managers: list[Person] | None = None,
) -> Team:
    """A new team under `parent` (or a new root: the company)."""
    team = Team.objects.create(name=_check_team_name(name), kind=kind, parent=parent)
    _refresh_paths(team)
    if managers:
        team.managers.set(managers)
    audit_record(
        actor=actor,
        action="team.create",
        obj=team,
        after={**snapshot(team, TEAM_FIELDS), "managers": [str(m) for m in managers or []]},
    )
    return team


@transaction.atomic
def team_update(
    *,
    actor: Person | None,
    team: Team,
    name: str | None = None,
    kind: str | None = None,
    parent: Team | object | None = ...,
    managers: list[Person] | None = None,
) -> Team:
    """Rename, re-kind, move (with its subtree) or re-staff a team."""
    before = {**snapshot(team, TEAM_FIELDS), "managers": [str(m) for m in team.managers.all()]}
    if name is not None:
        team.name = _check_team_name(name, exclude_pk=team.pk)
    if kind is not None:
        team.kind = kind
    if parent is not ...:
        if parent is not None and (parent.pk == team.pk or parent.is_within(team)):
            raise OrgError(f'"{team.name}" cannot move under itself or one of its own teams.')
        team.parent = parent
    team.save()
    _refresh_paths(team)
    if managers is not None:
        team.managers.set(managers)
    after = {**snapshot(team, TEAM_FIELDS), "managers": [str(m) for m in team.managers.all()]}
    audit_record(actor=actor, action="team.update", obj=team, before=before, after=after)
    return team


def _record_change(
    *,
    actor: Person | None,
    person: Person,
    effective_on: date,
    from_role: str,
    from_team: Team | None,
    reason: str,
) -> None:
    if from_role == person.role and from_team == person.team:
        return
    PersonChange.objects.create(
        person=person,
        effective_on=effective_on,
        changed_by=actor if getattr(actor, "pk", None) else None,
        from_role=from_role,
        to_role=person.role,
        from_team=from_team,
        to_team=person.team,
        reason=reason,
    )


@transaction.atomic
def person_create(
    *,
    actor: Person | None,
    email: str,
    name: str,
    role: str = Role.REP,
    team: Team | None = None,
    start_date: date | None = None,
    password: str | None = None,
) -> Person:
    """Add someone to the organisation. Without a password they cannot sign in
    until they reset it (the invitation)."""
    email = email.strip().lower()
    if Person.objects.filter(email__iexact=email).exists():
        raise OrgError(f"{email} is already in the organisation.")
    person = Person.objects.create_user(
        email,
        password,
        name=" ".join(name.split()),
        role=role,
        team=team,
        start_date=start_date or timezone.localdate(),
    )
    _record_change(
        actor=actor,
        person=person,
        effective_on=person.start_date,
        from_role="",
        from_team=None,
        reason="Joined",
    )
    audit_record(
        actor=actor, action="person.create", obj=person, after=snapshot(person, PERSON_FIELDS)
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Person | None,
    person: Person,
    effective_on: date | None = None,
    reason: str = "",
    **changes: Any,
) -> Person:
    """Change a person's details, role or team. A role or team change is kept in
    their history from `effective_on` (default today)."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise OrgError(f"Cannot change {', '.join(sorted(unknown))} here.")
    if "email" in changes:
        changes["email"] = changes["email"].strip().lower()
        if Person.objects.filter(email__iexact=changes["email"]).exclude(pk=person.pk).exists():
            raise OrgError(f"{changes['email']} belongs to someone else.")
    before = snapshot(person, PERSON_FIELDS)
    from_role, from_team = person.role, person.team
    for field, value in changes.items():
        setattr(person, field, value)
    if person.left_on and person.is_active and "is_active" not in changes:
        person.is_active = False
    person.save()
    _record_change(
        actor=actor,
        person=person,
        effective_on=effective_on or timezone.localdate(),
        from_role=from_role,
        from_team=from_team,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
    )
    return person


TIME_OFF_FIELDS = ["person", "first_day", "last_day", "note"]
TIME_OFF_NOTE_MAX = TimeOff._meta.get_field("note").max_length


def _day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _span_text(first: date, last: date) -> str:
    if first == last:
        return f"on {_day_text(first)}"
    return f"from {_day_text(first)} to {_day_text(last)}"


def time_off_check(*, first_day: date, last_day: date, note: str = "") -> str:
    """The note cleaned, or OrgError saying what is wrong with the days: both within
    the calendar (`calendar.date_check`), the last not before the first."""
    for day in (first_day, last_day):
        try:
            date_check(day)
        except PeriodError as error:
            raise OrgError(str(error)) from None
    if last_day < first_day:
        raise OrgError(
            f"The last day ({last_day.isoformat()}) is before the first ({first_day.isoformat()})."
        )
    note = " ".join((note or "").split())
    if len(note) > TIME_OFF_NOTE_MAX:
        raise OrgError(f"The note is longer than {TIME_OFF_NOTE_MAX} characters.")
    return note


@transaction.atomic
def time_off_record(
    *, actor: Person | None, person: Person, first_day: date, last_day: date, note: str = ""
) -> tuple[TimeOff, str]:
    """Record days `person` is away, `first_day` through `last_day` inclusive: from
    then on those days are not working days for them (their pace, required weekly rate
    and the activity the warnings expect). Who may: the table of abilities
    (`RECORD_TIME_OFF`: everyone for themself, a manager for the people they manage,
    an admin for everyone; `actor` None is the system itself).

    The same days recorded again change only the note, so a file imported twice
    changes nothing; days that overlap another span of the same person are refused
    with the span they clash with — remove it first, or record the days around it.
    Returns the span and "created", "updated" or "unchanged"."""
    if actor is not None and not abilities.may(actor, abilities.RECORD_TIME_OFF, person):
        raise PermissionDenied(f"You cannot record time off for {person.name}.")
    note = time_off_check(first_day=first_day, last_day=last_day, note=note)
    # One person's spans are written one at a time, so two overlapping ones cannot
    # both pass the check below.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    same = TimeOff.objects.filter(person=person, first_day=first_day, last_day=last_day).first()
    if same is not None:
        if same.note == note:
            return same, "unchanged"
        before = snapshot(same, TIME_OFF_FIELDS)
        same.note = note
        same.save(update_fields=["note"])
        audit_record(
            actor=actor,
            action="time_off.update",
            obj=same,
            before=before,
            after=snapshot(same, TIME_OFF_FIELDS),
        )
        return same, "updated"
    clash = (
        TimeOff.objects.filter(person=person, first_day__lte=last_day, last_day__gte=first_day)
        .order_by("first_day")
        .first()
    )
    if clash is not None:
        raise OrgError(
            f"{person.name} is already off {_span_text(clash.first_day, clash.last_day)}"
            f"{f' ({clash.note})' if clash.note else ''}: time off cannot overlap. "
            "Remove that entry first, or record only the days around it."
        )
    time_off = TimeOff.objects.create(
        person=person,
        first_day=first_day,
        last_day=last_day,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="time_off.create",
        obj=time_off,
        after=snapshot(time_off, TIME_OFF_FIELDS),
    )
    _working_days_changed(time_off)
    return time_off, "created"


@transaction.atomic
def time_off_delete(*, actor: Person | None, time_off: TimeOff) -> None:
    """Remove a span of time off: its days are working days for the person again."""
    if actor is not None and not abilities.may(actor, abilities.RECORD_TIME_OFF, time_off.person):
        raise PermissionDenied(f"You cannot remove time off of {time_off.person.name}.")
    before = snapshot(time_off, TIME_OFF_FIELDS)
    audit_record(actor=actor, action="time_off.delete", obj=time_off, before=before)
    _working_days_changed(time_off)
    time_off.delete()


def _working_days_changed(time_off: TimeOff) -> None:
    """The person's working days moved: announced (`core.changes`), so the warnings judge
    again once the change has committed. No sales data changed: no rollup is touched."""
    run = (time_off.person_id, time_off.first_day, time_off.last_day)
    changes.announce(changes.Changed(runs=(run,), tables=()))
