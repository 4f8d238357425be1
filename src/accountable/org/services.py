"""Writes to the organisation, its teams and its people. Each is atomic and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.org import holidays
from accountable.org.calendar import PeriodError
from accountable.org.models import Organisation, Person, PersonChange, Role, Team, TeamKind
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
    and once the change is committed the scorecards' rollups are rebuilt in it."""
    from accountable.scorecards.tasks import rollups_rebuild

    zone_forget()
    transaction.on_commit(rollups_rebuild.enqueue)


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
