from __future__ import annotations

from datetime import date

import pytest

from accountable.audit.models import AuditEntry
from accountable.org import services
from accountable.org.models import PersonChange, Role, TeamKind
from accountable.org.services import OrgError

pytestmark = pytest.mark.django_db


def test_team_paths_follow_the_tree_and_moves(org):
    assert org.north_field.path == f"{org.north.path}{org.north_field.pk}/"
    services.team_update(actor=org.admin, team=org.north, parent=org.south)
    org.north_field.refresh_from_db()
    org.south.refresh_from_db()
    assert org.north_field.path.startswith(org.south.path)
    assert org.north_field.depth == 3


def test_a_team_cannot_move_under_itself(org):
    with pytest.raises(OrgError, match="cannot move under itself"):
        services.team_update(actor=org.admin, team=org.north, parent=org.north_field)
    org.north.refresh_from_db()
    assert org.north.parent == org.company


def test_team_names_are_unique_whatever_the_case(org):
    with pytest.raises(OrgError, match='already a team called "North Field"'):
        services.team_create(actor=org.admin, name="  north   FIELD ", parent=org.north)


def test_creating_a_team_is_audited(org):
    team = services.team_create(
        actor=org.admin, name="East", kind=TeamKind.REGION, parent=org.company
    )
    entry = AuditEntry.objects.get(action="team.create", object_id=str(team.pk))
    assert entry.actor == org.admin
    assert entry.after["name"] == "East"


def test_role_and_team_change_is_kept_in_history_and_audited(org):
    services.person_update(
        actor=org.admin,
        person=org.rep,
        role=Role.OUTSIDE_SALES,
        team=org.south_field,
        effective_on=date(2026, 3, 1),
        reason="Moved to customer success",
    )
    change = PersonChange.objects.get(person=org.rep)
    assert (change.from_role, change.to_role) == (Role.REP, Role.OUTSIDE_SALES)
    assert (change.from_team, change.to_team) == (org.north_field, org.south_field)
    assert change.effective_on == date(2026, 3, 1)
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.before == {"role": "rep", "team": "North Field"}
    assert entry.after == {"role": "outside_sales", "team": "South Field"}


def test_a_change_of_nothing_records_nothing(org):
    services.person_update(actor=org.admin, person=org.rep, name=org.rep.name)
    assert not PersonChange.objects.exists()
    assert not AuditEntry.objects.exists()


def test_leaving_deactivates_but_keeps_the_person(org):
    services.person_update(actor=org.admin, person=org.rep, left_on=date(2026, 6, 30))
    org.rep.refresh_from_db()
    assert org.rep.is_active is False
    assert org.rep.left_on == date(2026, 6, 30)


def test_email_clash_is_refused(org):
    with pytest.raises(OrgError, match="belongs to someone else"):
        services.person_update(actor=org.admin, person=org.rep, email="REP2@acme.test")
    with pytest.raises(OrgError, match="already in the organisation"):
        services.person_create(actor=org.admin, email="Rep@Acme.test", name="Dup")


def test_person_create_records_joining(org):
    person = services.person_create(
        actor=org.admin,
        email="New.Hire@Acme.test",
        name="  New   Hire ",
        team=org.north_field,
        start_date=date(2026, 9, 1),
    )
    assert person.email == "new.hire@acme.test"
    assert person.name == "New Hire"
    assert not person.has_usable_password()
    change = person.changes.get()
    assert change.reason == "Joined" and change.to_team == org.north_field


def test_organisation_settings_are_validated_and_audited(org):
    with pytest.raises(OrgError, match="at least one working day"):
        services.organisation_update(actor=org.admin, working_days=[])
    organisation = services.organisation_update(
        actor=org.admin, fiscal_year_start_month=4, working_days=[0, 1, 2, 3]
    )
    assert organisation.calendar.parse("2026").start == date(2026, 4, 1)
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.after == {"fiscal_year_start_month": 4, "working_days": [0, 1, 2, 3]}
