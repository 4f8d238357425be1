"""The commitment pages through the test client (who may open them:
tests/commitments/permission_cases.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from accountable.commitments.models import Commitment, State

pytestmark = pytest.mark.django_db

LIST = reverse("commitments:list")


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime(2026, 9, 14, 8, tzinfo=UTC), tick=False):
        yield


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_rep_commits_to_a_number_and_sees_it_listed(client, org):
    client.force_login(org.rep)
    page = client.get(LIST)
    assert page.status_code == 200 and not page.context["form"].for_others
    done = client.post(
        LIST,
        {"person": org.rep.pk, "kind": "metric", "metric": "first_meetings", "value": "6",
         "due_on": "2026-09-18"},
        follow=True,
    )  # fmt: skip
    assert "Committed: 6 first meetings by Fri 18 Sep." in said(done)
    made = Commitment.objects.get()
    assert (made.person, made.metric, made.start_on.isoformat()) == (
        org.rep,
        "first_meetings",
        "2026-09-14",
    )
    assert [item.commitment for item in done.context["mine"]] == [made]
    assert 'class="badge standing-open"' in done.content.decode()


def test_the_list_puts_what_is_still_open_first_and_the_decided_latest_first(client, org):
    made = {}
    for text, due, state in (
        ("met long ago", "2026-08-07", State.MET),
        ("missed lately", "2026-09-04", State.MISSED),
        ("due later", "2026-09-25", State.OPEN),
        ("due this week", "2026-09-18", State.OPEN),
        ("reported", "2026-09-11", State.REPORTED),
    ):
        made[text] = Commitment.objects.create(person=org.rep, text=text, due_on=due, state=state)
    client.force_login(org.manager)
    page = client.get(LIST)
    order = [item.commitment.text for item in page.context["theirs"]]
    assert order == ["reported", "due this week", "due later", "missed lately", "met long ago"]


def test_a_bad_commitment_is_refused_with_its_reason(client, org):
    client.force_login(org.rep)
    page = client.post(
        LIST, {"person": org.rep.pk, "kind": "metric", "metric": "calls", "due_on": "2026-09-18"}
    )
    assert page.status_code == 200
    assert "Say how many (or how much) calls." in page.content.decode()
    bad_day = client.post(
        LIST, {"person": org.rep.pk, "kind": "text", "text": "x", "due_on": "2026-02-30"}
    )
    assert bad_day.context["form"].errors["due_on"]
    assert not Commitment.objects.exists()


def test_a_manager_commits_for_a_rep_who_reports_and_the_manager_confirms(client, org):
    client.force_login(org.manager)
    form = client.get(LIST).context["form"]
    assert form.for_others and org.rep in form.fields["person"].queryset
    assert org.other_rep not in form.fields["person"].queryset
    client.post(
        LIST,
        {
            "person": org.rep.pk,
            "kind": "text",
            "text": "Send the Globex proposal",
            "due_on": "2026-09-18",
        },
    )
    made = Commitment.objects.get()
    client.force_login(org.rep)
    page = client.get(reverse("commitments:detail", args=[made.pk]))
    assert page.context["may_report"] and not page.context["may_confirm"]
    client.post(
        reverse("commitments:report", args=[made.pk]), {"note": "Sent it Thursday", "done": "yes"}
    )
    made.refresh_from_db()
    assert made.state == State.REPORTED and made.reported_done is True
    client.force_login(org.manager)
    page = client.get(reverse("commitments:detail", args=[made.pk]))
    assert page.context["may_confirm"] and "Rita Rep says it was done." in page.content.decode()
    confirmed = client.post(
        reverse("commitments:confirm", args=[made.pk]), {"done": "yes"}, follow=True
    )
    assert "Confirmed: met." in said(confirmed)
    made.refresh_from_db()
    assert made.state == State.MET and made.confirmed_by == org.manager


def test_a_withdrawal_needs_a_reason(client, org):
    client.force_login(org.rep)
    client.post(
        LIST, {"person": org.rep.pk, "kind": "text", "text": "Call Initech", "due_on": "2026-09-18"}
    )
    made = Commitment.objects.get()
    refused = client.post(
        reverse("commitments:withdraw", args=[made.pk]), {"reason": ""}, follow=True
    )
    assert "Say why it is withdrawn." in said(refused)
    client.post(reverse("commitments:withdraw", args=[made.pk]), {"reason": "Initech went quiet"})
    made.refresh_from_db()
    assert made.state == State.WITHDRAWN and made.withdrawn_reason == "Initech went quiet"


def test_the_list_shows_a_rep_only_their_own(client, org):
    Commitment.objects.create(person=org.rep2, text="theirs", due_on="2026-09-18")
    Commitment.objects.create(person=org.rep, text="mine", due_on="2026-09-18")
    client.force_login(org.rep)
    page = client.get(LIST)
    texts = [item.commitment.text for item in page.context["listed"]]
    assert texts == ["mine"] and "theirs" not in page.content.decode()
    client.force_login(org.manager)
    page = client.get(LIST, {"state": "open"})
    assert {item.commitment.text for item in page.context["theirs"]} == {"mine", "theirs"}
    assert client.get(LIST, {"state": "met"}).context["listed"] == []


def test_the_scorecard_shows_how_many_commitments_were_kept(client, org):
    for state in (State.MET, State.MISSED, State.WITHDRAWN):
        Commitment.objects.create(person=org.rep, text=state, due_on="2026-09-04", state=state)
    client.force_login(org.manager)
    page = client.get(reverse("scorecards:person", args=[org.rep.pk])).content.decode()
    assert "Commitments kept</dt><dd>1 of 2" in page
    assert (
        "none due" in client.get(reverse("scorecards:person", args=[org.rep2.pk])).content.decode()
    )


def test_a_long_list_shows_the_first_hundred_and_says_so(client, org):
    Commitment.objects.bulk_create(
        Commitment(person=org.rep2, text=f"c{n}", due_on="2026-09-18") for n in range(105)
    )
    client.force_login(org.manager)
    page = client.get(LIST)
    assert len(page.context["theirs"]) == 100 and page.context["theirs_count"] == 105
    assert "The first 100 of 105: those still open, soonest due first" in page.content.decode()
