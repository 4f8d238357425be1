"""The permission matrix of writes: for every write path and every role, a record of
another team is refused and left as it was (SPEC "Who uses it"; the table of
abilities in `org.abilities`).

The other team's records here belong to Olga, a rep of South Field. Nobody in the
North may touch them; an admin may. Each path is tried with the record's own
external id, as a hostile caller who guessed it would.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accountable.crm.models import Activity, Deal, Feedback
from accountable.imports.errors import ImportNotAllowed
from accountable.imports.pipeline import import_file
from accountable.org import abilities
from accountable.targets.models import Target
from accountable.tokens.services import token_create
from tests.crm.factories import ActivityFactory, DealFactory, FeedbackFactory, stage

pytestmark = pytest.mark.django_db

ROLES = ["rep", "manager", "executive", "admin"]


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def theirs(org):
    """Records of another team (South Field), each with a guessable external id."""
    deal = DealFactory(external_id="S-DEAL", owner=org.other_rep, stage=stage("Won"))
    activity = ActivityFactory(external_id="S-ACT", person=org.other_rep)
    feedback = FeedbackFactory(external_id="S-FB", person=org.other_rep)
    target = Target.objects.create(
        person=org.other_rep,
        metric="revenue",
        period="2026",
        period_start="2026-01-01",
        period_end="2026-12-31",
        value=Decimal("100000"),
    )
    return {"deals": deal, "activities": activity, "feedback": feedback, "targets": target}


def stored(records: dict) -> dict:
    return {
        kind: type(obj).objects.filter(pk=obj.pk).values().get() for kind, obj in records.items()
    }


def rows_for(kind: str, org) -> list[dict]:
    """A row that rewrites the other team's record and gives it to a North rep."""
    mine = org.rep.email
    return {
        "deals": [{"external_id": "S-DEAL", "owner_email": mine, "amount": 1, "stage": "Won",
                   "created_date": "2026-07-01", "close_date": "2026-12-01"}],
        "activities": [{"external_id": "S-ACT", "owner_email": mine, "kind": "email",
                        "occurred_at": "2026-08-04 09:00"}],
        "feedback": [{"external_id": "S-FB", "owner_email": mine, "kind": "complaint",
                      "received_on": "2026-08-04"}],
        "targets": [{"owner_email": org.other_rep.email, "metric": "revenue", "period": "2026",
                     "value": 1}],
    }[kind]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["deals", "activities", "feedback", "targets"])
def test_bulk_api(client, org, theirs, kind, role):
    person = getattr(org, role)
    # Reps and executives cannot make a write token: they try with the one they can.
    scopes = ["read", "write"] if role in ("manager", "admin") else ["read"]
    _, secret = token_create(actor=person, name="t", scopes=scopes)
    before = stored(theirs)
    response = client.post(
        reverse(f"api:bulk_{kind}"),
        {"rows": rows_for(kind, org)},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    if role == "admin":
        assert response.status_code == 200, response.json()
        assert stored(theirs)[kind] != before[kind]
        return
    assert response.status_code == (422 if role == "manager" else 403), response.json()
    assert stored(theirs) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["deals", "activities", "feedback", "targets"])
def test_file_import(org, theirs, kind, role, tmp_path):
    """The wizard and the command line read files through this same pipeline."""
    rows = rows_for(kind, org)
    path = tmp_path / f"{kind}.csv"
    path.write_text(
        ",".join(rows[0]) + "\n" + "\n".join(",".join(map(str, r.values())) for r in rows) + "\n"
    )
    before = stored(theirs)
    person = getattr(org, role)
    if role in ("rep", "executive"):
        with pytest.raises(ImportNotAllowed):
            import_file(kind=kind, path=path, actor=person, source="upload")
        assert stored(theirs) == before
        return
    result = import_file(kind=kind, path=path, actor=person, source="upload")
    if role == "admin":
        assert result.applied and stored(theirs)[kind] != before[kind]
    else:
        assert not result.applied and result.summary["rejected"] == 1
        assert stored(theirs) == before


@pytest.mark.parametrize("role", ROLES)
def test_manual_deal_with_a_taken_external_id(client, org, theirs, role):
    client.force_login(getattr(org, role))
    before = stored(theirs)
    response = client.post(
        reverse("crm:deal_new"),
        {"external_id": "S-DEAL", "name": "Mine", "owner": org.rep.pk, "amount": "5",
         "stage": stage("Won").pk, "created_on": "2026-07-01", "closed_on": "2026-12-01"},
    )  # fmt: skip
    assert response.status_code in (200, 403)  # the form again with its message, or refused
    assert stored(theirs) == before
    assert Deal.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_manual_deal_edit_of_another_teams_deal(client, org, theirs, role):
    client.force_login(getattr(org, role))
    before = stored(theirs)
    client.post(
        reverse("crm:deal_edit", args=[theirs["deals"].pk]),
        {"name": "Mine", "owner": org.rep.pk, "amount": "5", "stage": stage("Won").pk,
         "created_on": "2026-07-01", "closed_on": "2026-12-01"},
    )  # fmt: skip
    if role != "admin":
        assert stored(theirs) == before


@pytest.mark.parametrize("role", ROLES)
def test_target_form_for_another_teams_rep(client, org, theirs, role):
    client.force_login(getattr(org, role))
    before = stored(theirs)
    client.post(
        reverse("goals:target_row"),
        {"owner_kind": "person", "owner_id": org.other_rep.pk, "metric": "revenue",
         "value:2026": "1"},
    )  # fmt: skip
    if role != "admin":
        assert stored(theirs) == before


@pytest.mark.parametrize("role", ROLES)
def test_manual_activity_with_a_taken_external_id(client, org, theirs, role):
    client.force_login(getattr(org, role))
    before = stored(theirs)
    client.post(
        reverse("crm:activity_new"),
        {"external_id": "S-ACT", "person": org.rep.pk, "kind": "email",
         "occurred_at": "2026-08-04T09:00"},
    )  # fmt: skip
    assert stored(theirs) == before


@pytest.mark.parametrize("role", ROLES)
def test_goal_edit_and_done_of_another_teams_goal(client, org, theirs, role):
    from accountable.goals.models import Goal

    goal = Goal.objects.create(
        person=org.other_rep, kind="milestone", title="Close Acme", period="2026-Q3"
    )
    before = Goal.objects.filter(pk=goal.pk).values().get()
    client.force_login(getattr(org, role))
    client.post(
        reverse("goals:goal_edit", args=[goal.pk]),
        {"metric": "revenue", "target_value": "1", "period": "2026-Q3", "priority": "Mine"},
    )
    client.post(reverse("goals:goal_done", args=[goal.pk]), {"done": "1"})
    after = Goal.objects.filter(pk=goal.pk).values().get()
    assert (after == before) is (role != "admin")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["signals:acknowledge", "signals:resolve"])
def test_handling_another_teams_warning(client, org, theirs, role, action):
    from accountable.signals.models import WarningSign

    warning = WarningSign.objects.create(
        person=org.other_rep,
        kind="complaints",
        severity="medium",
        period="2026-Q3",
        message="2 customer complaints in the last 91 days.",
        evidence={},
        first_seen_on=date(2026, 8, 17),
        last_seen_on=date(2026, 8, 17),
    )
    before = WarningSign.objects.filter(pk=warning.pk).values().get()
    client.force_login(getattr(org, role))
    client.post(reverse(action, args=[warning.pk]), {"note": "Handled, by someone else"})
    after = WarningSign.objects.filter(pk=warning.pk).values().get()
    assert (after == before) is (role != "admin")


def test_no_other_rows_were_created_by_refused_writes(org, theirs):
    assert Activity.objects.count() == Feedback.objects.count() == 1


# --- the table itself ----------------------------------------------------------------


@pytest.mark.parametrize("ability", list(abilities.ABILITIES.values()), ids=str)
def test_each_abilitys_check_and_list_agree_for_every_pair(org, ability):
    """`may` and `people` (and `grant`) come from one rule: for every actor and every
    person they give the same answer."""
    everybody = [getattr(org, name) for name in vars(org) if hasattr(getattr(org, name), "role")]
    for actor in everybody:
        listed = set(abilities.people(actor, ability).values_list("pk", flat=True))
        held = abilities.grant(actor, ability)
        for person in everybody:
            answer = abilities.may(actor, ability, person)
            assert answer == (person.pk in listed) == held.allows(person.pk), (
                actor.email,
                person.email,
            )


def test_nobody_but_an_admin_sets_their_own_targets(org):
    for person in (org.manager, org.north_boss, org.rep, org.executive):
        assert not abilities.may(person, abilities.SET_TARGETS, person)
    assert abilities.may(org.admin, abilities.SET_TARGETS, org.admin)


def test_the_documented_table_is_the_table():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "organisation.md").read_text()
    block = doc.split("<!-- abilities: generated from src/accountable/org/abilities.py -->\n")[1]
    assert block.split("<!-- /abilities -->")[0] == abilities.abilities_markdown()


# --- time off -------------------------------------------------------------------------


@pytest.fixture
def olgas_leave(org):
    from accountable.org.models import TimeOff

    return TimeOff.objects.create(
        person=org.other_rep, first_day=date(2026, 8, 3), last_day=date(2026, 8, 7), note="Hers"
    )


def _leave_state(org) -> list[tuple]:
    from accountable.org.models import TimeOff

    return sorted(TimeOff.objects.values_list("person_id", "first_day", "last_day", "note"))


@pytest.mark.parametrize("role", ROLES)
def test_time_off_of_another_team_through_every_path(client, org, olgas_leave, role, tmp_path):
    """The page, the API, a bulk call and a file: Olga's time off is written and removed by
    an admin only; everyone else is refused and her days stay as they were."""
    person = getattr(org, role)
    before = _leave_state(org)
    client.force_login(person)
    new = {"first_day": "2026-09-07", "last_day": "2026-09-08", "note": "Not hers"}
    client.post(reverse("org:time_off"), {"person": org.other_rep.pk, **new})
    client.post(
        reverse("api:time_off_create"),
        {"person": org.other_rep.email, **new},
        content_type="application/json",
    )
    rows = [{"person_email": org.other_rep.email, **new}]
    path = tmp_path / "time_off.csv"
    path.write_text("person_email,first_day,last_day,note\n" + ",".join(rows[0].values()) + "\n")
    if role in ("manager", "admin"):
        result = import_file(kind="time_off", path=path, actor=person, source="upload")
        assert result.applied == (role == "admin")
    else:
        with pytest.raises(ImportNotAllowed):
            import_file(kind="time_off", path=path, actor=person, source="upload")
    if role != "admin":
        assert _leave_state(org) == before
    page = client.post(reverse("org:time_off_delete", args=[olgas_leave.pk]))
    api = client.delete(reverse("api:time_off_delete", args=[olgas_leave.pk]))
    if role == "admin":
        assert page.status_code == 302 and api.status_code == 404  # the page removed it
        assert not any(start == date(2026, 8, 3) for _, start, _, _ in _leave_state(org))
    else:
        assert page.status_code in (403, 404) and api.status_code in (403, 404)
        assert _leave_state(org) == before
    assert abilities.may(person, abilities.RECORD_TIME_OFF, person)
