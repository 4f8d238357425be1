"""The time-off page: who sees whose days, recording, removing, bad input."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accountable.org import services
from accountable.org.models import TimeOff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_17_august():
    with time_machine.travel("2026-08-17 09:00Z", tick=False):
        yield


PAGE = reverse("org:time_off")


def _span(person, first=date(2026, 8, 24), last=date(2026, 8, 28), note="Summer"):
    span, _ = services.time_off_record(
        actor=None, person=person, first_day=first, last_day=last, note=note
    )
    return span


def test_a_rep_sees_their_own_time_off_and_no_one_elses(client, org):
    _span(org.rep)
    _span(org.rep2, note="Rob away")
    client.force_login(org.rep)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rita Rep" in html and "Summer" in html and "Rob away" not in html
    assert 'type="hidden" name="person"' in html  # only for themself: no choice to make
    assert "Mon 24 Aug \N{EN DASH}" in html and "Fri 28 Aug 2026" in html


def test_a_manager_sees_and_records_their_teams_time_off(client, org):
    _span(org.rep2, note="Rob away")
    _span(org.other_rep, note="Olga away")
    client.force_login(org.manager)
    html = client.get(PAGE).content.decode()
    assert "Rob away" in html and "Olga away" not in html
    assert "Max Manager (you)" in html and "Rita Rep" in html and "Olga Other" not in html
    response = client.post(
        PAGE,
        {
            "person": org.rep.pk,
            "first_day": "2026-09-07",
            "last_day": "2026-09-09",
            "note": "Course",
        },
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    span = TimeOff.objects.get(person=org.rep)
    assert (span.first_day, span.last_day, span.note) == (
        date(2026, 9, 7),
        date(2026, 9, 9),
        "Course",
    )
    assert "Recorded" in client.get(PAGE).content.decode()


def test_a_manager_cannot_record_for_another_team(client, org):
    client.force_login(org.manager)
    response = client.post(
        PAGE, {"person": org.other_rep.pk, "first_day": "2026-09-07", "last_day": "2026-09-09"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_day": "2026-09-09", "last_day": "2026-09-07"}, "cannot be before the first"),
        ({"first_day": "9999-12-31", "last_day": "9999-12-31"}, "outside the calendar"),
        ({"first_day": "not a day", "last_day": "2026-09-07"}, "Enter a valid date"),
        ({"first_day": "", "last_day": ""}, "This field is required"),
        ({"first_day": "2026-09-07", "last_day": "2026-09-07", "note": "x" * 121}, "at most 120"),
        ({"first_day": "2026-08-26", "last_day": "2026-09-02"}, "already off from Mon 24 Aug"),
    ],
)
def test_bad_input_is_a_message_and_changes_nothing(client, org, data, message):
    _span(org.rep)
    client.force_login(org.rep)
    response = client.post(PAGE, {"person": org.rep.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TimeOff.objects.count() == 1


def test_removing_time_off(client, org):
    span = _span(org.rep)
    client.force_login(org.rep)
    url = reverse("org:time_off_delete", args=[span.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("role", "own_team", "other_team"),
    [("rep", 302, 404), ("manager", 302, 404), ("executive", 403, 403), ("admin", 302, 302)],
)
def test_who_may_remove_whose_time_off(client, org, role, own_team, other_team):
    """An executive sees everyone's time off but removes only their own."""
    mine, theirs = _span(org.rep), _span(org.other_rep)
    client.force_login(getattr(org, role))
    for span, expected in ((mine, own_team), (theirs, other_team)):
        response = client.post(reverse("org:time_off_delete", args=[span.pk]))
        assert response.status_code == expected
        assert TimeOff.objects.filter(pk=span.pk).exists() == (expected != 302)


def test_an_unknown_span_is_404(client, org):
    client.force_login(org.admin)
    assert client.post(reverse("org:time_off_delete", args=[999_999])).status_code == 404


def test_the_navigation_shows_time_off_to_everyone_signed_in(client, org):
    for person in (org.rep, org.manager, org.executive, org.admin):
        client.force_login(person)
        assert f'href="{PAGE}"' in client.get(reverse("home")).content.decode()
