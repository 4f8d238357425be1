"""factory_boy factories for the organisation."""

from __future__ import annotations

from datetime import date

import factory

from accountable.org.models import Person, Role, Team, TeamKind


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.TEAM

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = obj.compute_path()
        obj.depth = obj.path.count("/") - 2
        obj.save(update_fields=["path", "depth"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.REP
    start_date = date(2024, 1, 8)
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
