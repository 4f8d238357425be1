from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accountable.org.models import Person, PersonChange, Role, Team

pytestmark = pytest.mark.django_db


def test_people_list_is_scoped_and_filterable(client, org):
    client.force_login(org.manager)
    page = client.get(reverse("org:people")).content.decode()
    assert "Rita Rep" in page and "Rob Rep" in page
    assert "Olga Other" not in page
    page = client.get(reverse("org:people"), {"q": "rob"}).content.decode()
    assert "Rob Rep" in page and "Rita Rep" not in page


def test_a_persons_page_leads_to_their_scorecard_goals_and_review_packet(client, org):
    client.force_login(org.manager)
    page = client.get(reverse("org:person", args=[org.rep.pk])).content.decode()
    for name in ("scorecards:person", "goals:person", "packets:page"):
        assert f'href="{reverse(name, args=[org.rep.pk])}"' in page
    assert reverse("org:person_edit", args=[org.rep.pk]) not in page  # admins edit
    client.force_login(org.admin)
    admin = client.get(reverse("org:person", args=[org.executive.pk])).content.decode()
    # an executive carries no scorecard
    assert reverse("scorecards:person", args=[org.executive.pk]) not in admin
    assert reverse("org:person_edit", args=[org.executive.pk]) in admin


def test_org_tree_shows_only_the_managers_subtree(client, org):
    client.force_login(org.north_boss)
    page = client.get(reverse("org:tree")).content.decode()
    assert "North Inside" in page and "Ian Inside" in page
    assert "South Field" not in page


def test_admin_edits_a_person_and_the_move_is_recorded(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("org:person_edit", args=[org.rep.pk]),
        {
            "name": "Rita Rep",
            "email": "rep@acme.test",
            "role": Role.REP,
            "team": org.south_field.pk,
            "start_date": "2024-01-08",
            "effective_on": "2026-07-01",
            "reason": "Territory swap",
        },
    )
    assert response.status_code == 302
    change = PersonChange.objects.get(person=org.rep)
    assert change.to_team == org.south_field and change.reason == "Territory swap"


def test_bad_person_input_gets_a_message_and_changes_nothing(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("org:person_edit", args=[org.rep.pk]),
        {
            "name": "Rita Rep",
            "email": "rep2@acme.test",  # taken by Rob
            "role": Role.REP,
            "team": org.north_field.pk,
            "start_date": "2024-01-08",
            "left_on": "2023-01-01",
            "effective_on": "2026-07-01",
        },
    )
    assert response.status_code == 200
    assert "cannot leave before they started" in response.content.decode()
    org.rep.refresh_from_db()
    assert org.rep.email == "rep@acme.test" and org.rep.left_on is None


def test_adding_a_person_sends_an_invitation(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("org:person_new"),
        {
            "name": "Nia New",
            "email": "nia@acme.test",
            "role": Role.REP,
            "team": org.north_field.pk,
            "start_date": "2026-11-02",
            "send_invitation": "on",
        },
    )
    person = Person.objects.get(email="nia@acme.test")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["nia@acme.test"]
    assert not person.has_usable_password()


def test_team_form_refuses_a_duplicate_name(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("org:team_new"), {"name": "south field", "kind": "team", "parent": ""}
    )
    assert response.status_code == 200
    assert "already a team called" in response.content.decode()
    assert Team.objects.filter(name__iexact="south field").count() == 1


def test_settings_form_checks_the_currency(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("org:settings"),
        {
            "name": "Acme",
            "currency": "dollars",
            "time_zone": "Europe/London",
            "fiscal_year_start_month": 4,
            "week_start_day": 0,
            "working_days": [0, 1, 2, 3, 4],
        },
    )
    assert "three-letter currency code" in response.content.decode()


def test_pages_carry_a_content_security_policy(client, org):
    client.force_login(org.rep)
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
