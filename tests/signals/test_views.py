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
    assert "Complaints 91d" in page
    assert "Acknowledge" in page and "Resolve" in page
    client.force_login(warned.rep)
    page = client.get(reverse("signals:warning", args=[warning.pk])).content.decode()
    assert "Complaints 91d" in page
    assert "<textarea" not in page


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
