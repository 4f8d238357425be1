"""The demo organisation: seeded, complete, scoped correctly, and safe to run."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accountable.crm.models import Account
from accountable.demo.archetypes import ARCHETYPES, BY_KEY, CAUSES, EFFORTS, WARNING_KINDS
from accountable.demo.archetypes import deal_archetypes as deal
from accountable.demo.generator import DemoError, generate_demo, plan_organisation
from accountable.org.models import Organisation, Person, Role, Team, TeamKind
from accountable.org.scoping import visible_people
from accountable.org.services import person_create

TODAY = date(2026, 3, 16)
LOGINS = ["admin@demo.test", "exec@demo.test", "manager@demo.test", "rep@demo.test"]


@pytest.fixture
def demo(tmp_path):
    """Generate a demo organisation of `people` into the test database, ground truth
    under tmp_path. Without its sales data unless asked: these tests are about the
    organisation (tests/demo/test_sales_data.py covers the rest)."""

    def run(people: int = 24, seed: int = 7, sales_data: bool = False, **kwargs):
        return generate_demo(
            seed=seed,
            people=people,
            today=TODAY,
            ground_truth_path=tmp_path / f"truth-{seed}-{people}.json",
            sales_data=sales_data,
            **kwargs,
        )

    return run


def _flush() -> None:
    Person.objects.all().delete()
    for team in Team.objects.order_by("-depth"):
        team.delete()


def _people_snapshot() -> list[tuple]:
    return list(
        Person.objects.order_by("email").values_list(
            "email", "name", "role", "team__name", "start_date"
        )
    )


@pytest.mark.django_db
def test_same_seed_gives_the_same_organisation(demo):
    first = demo(seed=7)
    people, truth_file = _people_snapshot(), first.ground_truth_path.read_text()
    _flush()
    second = demo(seed=7)

    assert second.ground_truth == first.ground_truth
    assert _people_snapshot() == people
    assert second.ground_truth_path.read_text() == truth_file


@pytest.mark.django_db
def test_another_seed_gives_another_organisation(demo):
    first = demo(seed=7)
    people = _people_snapshot()
    _flush()
    second = demo(seed=8)

    assert _people_snapshot() != people
    assert set(second.ground_truth) != set(first.ground_truth)


def test_the_plan_needs_no_database_and_is_repeatable():
    assert plan_organisation(seed=3, people=60, today=TODAY) == plan_organisation(
        seed=3, people=60, today=TODAY
    )


@pytest.mark.django_db
def test_every_archetype_appears_in_the_default_demo(demo):
    result = demo(people=40)

    assert set(result.ground_truth.values()) == set(BY_KEY)
    rep = Person.objects.get(email="rep@demo.test")
    assert result.ground_truth[rep.email] == "steady"


@pytest.mark.django_db
def test_team_tree_has_regions_and_a_manager_for_every_team(demo):
    demo(people=24)

    company = Team.objects.get(kind=TeamKind.COMPANY)
    assert [m.email for m in company.managers.all()] == ["exec@demo.test"]
    assert Team.objects.filter(kind=TeamKind.REGION, parent=company).count() >= 2
    for team in Team.objects.exclude(kind=TeamKind.COMPANY):
        managers = list(team.managers.all())
        assert len(managers) == 1, team
        assert managers[0].role == Role.MANAGER


@pytest.mark.django_db
def test_managers_see_their_reps_and_no_others(demo):
    demo(people=40)

    for team in Team.objects.filter(kind=TeamKind.TEAM):
        manager = team.managers.get()
        reps = set(Person.objects.filter(team=team, role=Role.REP))
        seen = set(visible_people(manager).filter(role=Role.REP))
        assert reps and seen == reps, team
    for region in Team.objects.filter(kind=TeamKind.REGION):
        below = Person.objects.filter(team__path__startswith=region.path, role=Role.REP)
        seen = set(visible_people(region.managers.get()).filter(role=Role.REP))
        assert seen == set(below), region


@pytest.mark.django_db
def test_demo_logins_work_and_sit_together(demo):
    result = demo(people=24)

    assert [email for _role, email, _password in result.logins] == LOGINS
    for _role, email, password in result.logins:
        assert Person.objects.get(email=email).check_password(password)
    manager = Person.objects.get(email="manager@demo.test")
    rep = Person.objects.get(email="rep@demo.test")
    assert rep.team in manager.managed_teams.all()
    assert rep in visible_people(manager)
    others = Person.objects.exclude(email__in=LOGINS)
    assert not any(person.has_usable_password() for person in others)


@pytest.mark.django_db
def test_demo_login_authenticates_through_the_login_backends(demo):
    demo(people=24)

    request = RequestFactory().post("/login/")
    person = authenticate(request, username="manager@demo.test", password="demo")
    assert person is not None and person.email == "manager@demo.test"


@pytest.mark.django_db
def test_ground_truth_file_describes_every_rep(demo):
    result = demo(people=24)

    truth = json.loads(result.ground_truth_path.read_text())
    assert truth["seed"] == 7
    assert truth["generated_on"] == TODAY.isoformat()
    reps = set(Person.objects.filter(role=Role.REP).values_list("email", flat=True))
    assert set(truth["people"]) == reps == set(result.ground_truth)
    for email, record in truth["people"].items():
        archetype = BY_KEY[record["archetype"]]
        assert record["archetype"] == result.ground_truth[email]
        assert record["expected_warnings"] == list(archetype.expected_warnings)
        assert record["expected_cause"] in CAUSES
        assert record["expected_effort"] in EFFORTS
        person = Person.objects.get(email=email)
        assert record["facts"]["start_date"] == person.start_date.isoformat()
    assert "sales_data" not in truth  # none was asked for


@pytest.mark.django_db
def test_ground_truth_goes_to_var_dir_by_default(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    result = generate_demo(people=20, today=TODAY)

    assert result.ground_truth_path == tmp_path / "demo-ground-truth.json"
    truth = json.loads(result.ground_truth_path.read_text())
    assert truth["people"] and truth["sales_data"]["weeks"] == 65
    assert result.sales["deals"] and result.sales["activities"]


@pytest.mark.django_db
def test_new_hires_joined_one_to_three_months_ago(demo):
    result = demo(people=60)

    new_hires = [email for email, key in result.ground_truth.items() if key == "new_hire"]
    assert new_hires
    for person in Person.objects.filter(email__in=new_hires):
        assert TODAY - timedelta(days=92) <= person.start_date <= TODAY - timedelta(days=44)
    assert Person.objects.filter(start_date__gt=TODAY).count() == 0
    # Everyone else has been selling since before the sales data begins.
    others = Person.objects.filter(role=Role.REP).exclude(email__in=new_hires)
    assert all(person.start_date <= TODAY - timedelta(days=600) for person in others)


@pytest.mark.django_db
def test_refuses_a_database_that_already_has_people(demo):
    person_create(actor=None, email="someone@example.test", name="Someone")

    with pytest.raises(DemoError, match="empty database"):
        demo(people=24)
    assert Person.objects.count() == 1
    assert not Team.objects.exists()


def test_refuses_too_few_people():
    with pytest.raises(DemoError, match="at least"):
        plan_organisation(people=5, today=TODAY)


def test_refuses_too_short_a_sales_history(tmp_path):
    with pytest.raises(DemoError, match="at least 26 weeks"):
        generate_demo(people=20, today=TODAY, weeks=8, ground_truth_path=tmp_path / "t.json")


@pytest.mark.django_db
def test_people_counts_everyone_and_progress_reaches_the_total(demo):
    calls: list[tuple[int, int]] = []
    result = demo(people=300, progress=lambda done, total: calls.append((done, total)))

    assert Person.objects.count() == 300 == result.people
    assert result.people_by_role == dict(Counter(Person.objects.values_list("role", flat=True)))
    assert result.people_by_role["executive"] == 1 and result.people_by_role["admin"] == 1
    assert result.teams == Team.objects.count() == result.counts["teams"]
    assert result.counts["people"] == 300
    assert calls[-1] == (300, 300)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    sizes = Counter(Person.objects.filter(role=Role.REP).values_list("team", flat=True))
    assert min(sizes.values()) >= 5 and max(sizes.values()) <= 9
    organisation = Organisation.objects.get()
    assert (organisation.currency, organisation.fiscal_year_start_month) == ("USD", 1)
    assert organisation.working_days == [0, 1, 2, 3, 4]


def test_archetypes_name_only_known_warnings_and_causes():
    assert len(ARCHETYPES) == 14
    for archetype in ARCHETYPES:
        assert set(archetype.expected_warnings) <= set(WARNING_KINDS)
        assert archetype.description
    assert BY_KEY["star"].expected_warnings == BY_KEY["steady"].expected_warnings == ()
    # Reps with two problems at once expect the warnings of both.
    assert {"deal_size_decline", "wrong_product_mix"} <= set(
        BY_KEY["shrinking_off_priority"].expected_warnings
    )
    assert {"low_activity", "complaints"} <= set(
        BY_KEY["quiet_and_complained_about"].expected_warnings
    )


@pytest.mark.parametrize("seed", range(5))
def test_dealing_gives_each_team_an_anchor_and_the_org_every_archetype(seed):
    teams = deal([6, 8, 5, 7, 7], random.Random(seed))

    for team in teams:
        assert {"star", "steady"} & set(team)
    assert "steady" in teams[0]
    assert {key for team in teams for key in team} == set(BY_KEY)
    dealt = Counter(key for team in teams for key in team)
    assert dealt["steady"] == max(dealt.values())


def test_dealing_is_deterministic():
    assert deal([7] * 30, random.Random(1)) == deal([7] * 30, random.Random(1))


@pytest.mark.django_db
def test_refuses_a_database_that_already_has_accounts(demo):
    Account.objects.create(name="Acme Corp")

    with pytest.raises(DemoError, match="1 accounts"):
        demo(people=24)
    assert not Person.objects.exists()
