"""The watchlist and the warning page: who sees what, and acknowledging or resolving."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accountable.crm.models import Feedback
from accountable.signals.models import WarningSign, WarningStatus
from accountable.signals.services import signals_run

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


@pytest.fixture
def warned(org):
    for person in (org.rep, org.other_rep):
        for days in (3, 30):
            Feedback.objects.create(
                person=person, kind=Feedback.Kind.COMPLAINT, received_on=AS_OF - timedelta(days)
            )
    signals_run(as_of=AS_OF)
    return org


def mine(org) -> WarningSign:
    return WarningSign.objects.get(person=org.rep, kind="complaints")


def test_the_watchlist_shows_the_managers_people_only(client, warned):
    client.force_login(warned.manager)
    page = client.get(reverse("signals:watchlist")).content.decode()
    assert "Rita Rep" in page and "Olga Other" not in page
    assert "2 customer complaints in the last 91 days" in page
    assert "Medium" in page


def test_the_watchlist_narrows_to_a_team_the_viewer_may_see(client, warned):
    client.force_login(warned.executive)
    north = client.get(reverse("signals:watchlist"), {"team": warned.north.pk}).content.decode()
    assert "Watchlist · North" in north and "Rita Rep" in north and "Olga Other" not in north
    assert f'name="team" value="{warned.north.pk}"' in north  # kept by the status filter
    south = client.get(reverse("signals:watchlist"), {"team": warned.south_field.pk})
    assert "Olga Other" in south.content.decode() and "Rita Rep" not in south.content.decode()


def test_a_team_out_of_reach_is_ignored_not_shown(client, warned):
    client.force_login(warned.manager)
    page = client.get(reverse("signals:watchlist"), {"team": warned.south_field.pk})
    html = page.content.decode()
    assert "South Field" not in html and "Olga Other" not in html and "Rita Rep" in html


def test_a_rep_sees_their_own_warnings(client, warned):
    client.force_login(warned.rep2)
    page = client.get(reverse("signals:watchlist")).content.decode()
    assert "No warnings here" in page


def test_resolved_warnings_are_a_filter_away(client, warned):
    client.force_login(warned.admin)
    assert (
        "Rita Rep"
        not in client.get(reverse("signals:watchlist"), {"status": "resolved"}).content.decode()
    )


def test_the_warning_page_shows_the_evidence_and_the_forms_to_its_handlers(client, warned):
    warning = mine(warned)
    client.force_login(warned.manager)
    page = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "Complaints, last 91 days" in page
    assert "Acknowledge" in page and "Resolve" in page
    client.force_login(warned.rep)
    page = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "Complaints, last 91 days" in page
    assert "<textarea" not in page


def test_the_warning_page_says_the_threshold_in_its_settings_unit(client, warned):
    warning = mine(warned)
    client.force_login(warned.manager)
    page = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "<td>Threshold</td><td>2</td>" in page  # complaints: a count
    WarningSign.objects.filter(pk=warning.pk).update(
        kind="activity_drop", evidence={"threshold": 0.8}
    )
    page = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "<td>Threshold</td><td>80%</td>" in page  # a share of the usual week


def test_acknowledge_then_resolve_with_a_note(client, warned):
    warning = mine(warned)
    client.force_login(warned.manager)
    response = client.post(
        reverse("signals:acknowledge", args=[warning.pk]), {"note": "1:1 on Thursday."}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED
    assert warning.note == "1:1 on Thursday."
    client.post(reverse("signals:resolve", args=[warning.pk]), {"note": "Customer happy again."})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RESOLVED
    page = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "Resolved by Max Manager" in page


def test_a_note_is_required(client, warned):
    warning = mine(warned)
    client.force_login(warned.manager)
    response = client.post(
        reverse("signals:acknowledge", args=[warning.pk]), {"note": ""}, follow=True
    )
    assert "Nothing was changed: Write a note" in response.content.decode()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_the_warning_page_tells_its_history_and_earlier_warnings_of_the_kind(client, warned):
    warning = mine(warned)
    client.force_login(warned.manager)
    client.post(reverse("signals:acknowledge", args=[warning.pk]), {"note": "1:1 on Thursday."})
    client.post(reverse("signals:resolve", args=[warning.pk]), {"note": "Customer happy again."})
    # The complaints age out, then come back: a new warning, with the old one behind it.
    signals_run(as_of=AS_OF + timedelta(days=100))
    for days in (1, 2):
        Feedback.objects.create(
            person=warned.rep,
            kind=Feedback.Kind.COMPLAINT,
            received_on=AS_OF + timedelta(days=130 - days),
        )
    signals_run(as_of=AS_OF + timedelta(days=130))
    again = WarningSign.objects.filter(person=warned.rep, kind="complaints").latest("pk")
    assert again.pk != warning.pk

    old = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "First seen, for" in old
    assert "Acknowledged</span>" not in old  # the history is words, not a badge
    assert "Acknowledged by Max Manager: <q>1:1 on Thursday.</q>" in old
    assert "Resolved by Max Manager: <q>" in old and "Customer happy again.</q>" in old
    new = client.get(reverse("signals:warning", args=[again.pk])).content.decode()
    assert reverse("signals:warning", args=[warning.pk]) in new
    assert "Earlier customer complaints warnings" in new


def test_another_managers_warning_history_is_not_shown(client, warned):
    theirs = WarningSign.objects.get(person=warned.other_rep, kind="complaints")
    client.force_login(warned.manager)
    assert client.get(reverse("signals:warning", args=[theirs.pk])).status_code == 404
