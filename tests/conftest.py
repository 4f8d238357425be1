"""Named people for every test: who must see a thing, and who must not.

Acme (company)
├── North (region)          managed by north_boss
│   ├── North Field (team)  managed by manager; reps: rep, rep2
│   └── North Inside (team) managed by inside_manager; rep: inside_rep
└── South (region)
    └── South Field (team)  managed by other_manager; rep: other_rep
executive, admin: at the company.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accountable.org.models import Person, Role, Team, TeamKind
from tests.factories import PersonFactory, TeamFactory

PASSWORD = "pass-word-123"


@dataclass
class Org:
    company: Team
    north: Team
    north_field: Team
    north_inside: Team
    south: Team
    south_field: Team
    admin: Person
    executive: Person
    north_boss: Person
    manager: Person
    inside_manager: Person
    other_manager: Person
    rep: Person
    rep2: Person
    inside_rep: Person
    other_rep: Person

    def by_role(self) -> dict[str, Person]:
        return {
            "admin": self.admin,
            "executive": self.executive,
            "manager": self.manager,
            "rep": self.rep,
        }


@pytest.fixture
def org(db) -> Org:
    company = TeamFactory(name="Acme", kind=TeamKind.COMPANY)
    north = TeamFactory(name="North", kind=TeamKind.REGION, parent=company)
    north_field = TeamFactory(name="North Field", parent=north)
    north_inside = TeamFactory(name="North Inside", parent=north)
    south = TeamFactory(name="South", kind=TeamKind.REGION, parent=company)
    south_field = TeamFactory(name="South Field", parent=south)

    def person(email: str, name: str, role: str, team: Team) -> Person:
        return PersonFactory(email=email, name=name, role=role, team=team)

    people = dict(
        admin=person("admin@acme.test", "Ada Admin", Role.ADMIN, company),
        executive=person("exec@acme.test", "Eve Exec", Role.EXECUTIVE, company),
        north_boss=person("north@acme.test", "Nora North", Role.MANAGER, north),
        manager=person("manager@acme.test", "Max Manager", Role.MANAGER, north_field),
        inside_manager=person("inside@acme.test", "Ines Inside", Role.MANAGER, north_inside),
        other_manager=person("south@acme.test", "Sam South", Role.MANAGER, south_field),
        rep=person("rep@acme.test", "Rita Rep", Role.REP, north_field),
        rep2=person("rep2@acme.test", "Rob Rep", Role.REP, north_field),
        inside_rep=person("insiderep@acme.test", "Ian Inside", Role.REP, north_inside),
        other_rep=person("otherrep@acme.test", "Olga Other", Role.REP, south_field),
    )
    north.managers.set([people["north_boss"]])
    north_field.managers.set([people["manager"]])
    north_inside.managers.set([people["inside_manager"]])
    south_field.managers.set([people["other_manager"]])
    return Org(
        company=company,
        north=north,
        north_field=north_field,
        north_inside=north_inside,
        south=south,
        south_field=south_field,
        **people,
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing at production strength would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back tests reuse ids, so answers
    kept under one test's data could otherwise meet the next test's."""
    from django.core.cache import cache
    from django.utils import timezone

    from accountable.org.zone import zone_forget

    cache.clear()
    zone_forget()  # the organisation's time zone is read again, from this test's data
    timezone.deactivate()
