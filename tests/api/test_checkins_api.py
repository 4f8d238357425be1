"""Check-ins, self-reports and pipeline reviews through the API: the same services and
selectors as the follow-up pages, scoped to the caller. A rep never sees another rep's
check-ins, reports or reviews, and never gets private notes from any endpoint; private
notes reach the manager chain. 400 says what is wrong, 403 who may not, 404 what the
caller may not see, 422 a body that does not validate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.checkins import pipeline_review as reviews
from accountable.checkins import selectors, services
from accountable.checkins import self_reports as reports
from accountable.checkins.models import (
    ActionItem,
    AgendaItem,
    CheckIn,
    PipelineReview,
    ReviewDecision,
    SelfReport,
)
from accountable.commitments.models import Commitment
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

CHECKINS = reverse("api:checkin_list")
REPORTS = reverse("api:self_report_list")
REVIEWS = reverse("api:review_list")
TUESDAY = datetime(2026, 9, 15, 8, tzinfo=UTC)
MEETING = datetime(2026, 9, 17, 14, tzinfo=UTC)
SECRET = "Worried about morale"


@pytest.fixture(autouse=True)
def _tuesday_15_september():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def _post(client, url, headers=None, **body):
    return client.post(url, body, content_type="application/json", headers=headers or {})


def _url(name: str, checkin: CheckIn) -> str:
    return reverse(f"api:{name}", kwargs={"checkin_id": checkin.pk})


def _review_url(name: str, review: PipelineReview) -> str:
    return reverse(f"api:{name}", kwargs={"review_id": review.pk})


def _schedule(manager, person, starts_at=MEETING, **extra) -> CheckIn:
    return services.checkin_schedule(actor=manager, person=person, starts_at=starts_at, **extra)


# --- check-ins --------------------------------------------------------------------------


def test_a_manager_schedules_a_check_in_and_holds_it(client, org, token):
    headers = token(org.manager, "read", "write")
    body = {"person": "REP@acme.test", "starts_at": "2026-09-17T16:00:00+02:00", "minutes": 45,
            "recurrence": "fortnightly", "location": "Room 4"}  # fmt: skip
    response = _post(client, CHECKINS, headers, **body)
    assert response.status_code == 201, response.json()
    out = response.json()
    made = CheckIn.objects.get()
    assert out == {
        "id": made.pk,
        "person": "rep@acme.test",
        "manager": "manager@acme.test",
        "starts_at": "2026-09-17T14:00:00Z",
        "minutes": 45,
        "recurrence": "fortnightly",
        "state": "scheduled",
        "location": "Room 4",
        "held_on": None,
    }
    assert made.starts_at == MEETING
    assert AuditEntry.objects.filter(action="checkin.schedule", actor=org.manager).exists()
    held = _post(client, _url("checkin_hold", made), headers)
    assert held.status_code == 200, held.json()
    assert (held.json()["held"]["state"], held.json()["held"]["held_on"]) == ("held", "2026-09-15")
    following = held.json()["next"]
    assert following["starts_at"] == "2026-10-01T14:00:00Z" and following["state"] == "scheduled"
    again = _post(client, _url("checkin_hold", made), headers)
    assert again.status_code == 400
    assert again.json()["detail"] == "This check-in is held: it cannot be held again."
    once = _schedule(org.manager, org.rep2, recurrence="none")
    assert _post(client, _url("checkin_hold", once), headers).json()["next"] is None


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"minutes": 600}, 400, "A check-in lasts from 5 minutes to 4 hours."),
        ({"minutes": 4}, 400, "from 5 minutes"),
        ({"person": "manager@acme.test"}, 403, "You cannot schedule a check-in with Max Manager."),
        ({"person": "otherrep@acme.test"}, 404, "among the people you may see"),
        ({"person": ""}, 422, ""),
        ({"minutes": 10**6}, 422, ""),
        ({"recurrence": "daily"}, 422, ""),
        ({"starts_at": "2026-09-17T14:00:00"}, 422, "timezone"),  # no offset: whose 14:00?
        ({"starts_at": "9999-12-31T23:00:00-05:00"}, 422, ""),
        ({"starts_at": "1900-01-01T00:00:00+14:00"}, 422, ""),
        ({"starts_at": "someday"}, 422, ""),
        ({"location": "x" * 201}, 422, ""),
    ],
)
def test_a_check_in_that_cannot_be_scheduled_writes_nothing(client, org, body, status, words):
    client.force_login(org.manager)
    base = {"person": "rep@acme.test", "starts_at": "2026-09-17T14:00:00Z"}
    response = _post(client, CHECKINS, **{**base, **body})
    assert response.status_code == status, response.json()
    assert words in str(response.json()["detail"])
    assert not CheckIn.objects.exists() and not AuditEntry.objects.exists()


def test_who_may_schedule(client, org, token):
    body = {"person": "rep@acme.test", "starts_at": "2026-09-17T14:00:00Z"}
    read_only = _post(client, CHECKINS, token(org.manager), **body)
    assert read_only.status_code == 403 and "write scope" in read_only.json()["detail"]
    for who in (org.rep, org.executive):
        client.force_login(who)
        refused = _post(client, CHECKINS, **body)
        assert refused.status_code == 403
        assert "may run check-ins and pipeline reviews" in refused.json()["detail"]
    client.force_login(org.north_boss)  # up the chain: runs the rep's check-ins too
    assert _post(client, CHECKINS, **body).status_code == 201
    elsewhere = _post(client, CHECKINS, token(org.other_manager, "read", "write"), **body)
    assert elsewhere.status_code == 404


def test_the_check_ins_are_scoped_a_rep_never_sees_another_reps(client, org, token):
    rep = _schedule(org.manager, org.rep)
    rep2 = _schedule(org.manager, org.rep2, starts_at=MEETING + timedelta(hours=1))
    south = _schedule(org.other_manager, org.other_rep, starts_at=MEETING + timedelta(hours=2))
    manager = _schedule(org.north_boss, org.manager, starts_at=MEETING + timedelta(hours=3))
    services.checkin_cancel(actor=org.manager, checkin=rep2)  # the next is scheduled

    def ids(who, **query):
        response = client.get(CHECKINS, query, headers=token(who))
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()]

    following = CheckIn.objects.get(person=org.rep2, state="scheduled")
    assert ids(org.rep) == [rep.pk]
    assert ids(org.rep2) == [rep2.pk, following.pk]
    assert ids(org.manager) == [rep.pk, rep2.pk, manager.pk, following.pk]
    assert ids(org.other_manager) == [south.pk]
    assert ids(org.north_boss) == [rep.pk, rep2.pk, manager.pk, following.pk]
    assert ids(org.executive) == [rep.pk, rep2.pk, south.pk, manager.pk, following.pk]
    assert ids(org.manager, person="rep2@acme.test", state="cancelled") == [rep2.pk]
    assert (
        client.get(CHECKINS, {"person": "rep2@acme.test"}, headers=token(org.rep)).status_code
        == 404
    )
    assert client.get(CHECKINS, {"state": "late"}, headers=token(org.rep)).status_code == 422
    for name in ("checkin_get", "checkin_agenda"):
        assert client.get(_url(name, rep), headers=token(org.rep)).status_code == 200
        assert client.get(_url(name, rep), headers=token(org.rep2)).status_code == 404
        assert client.get(_url(name, south), headers=token(org.manager)).status_code == 404
        assert client.get(_url(name, south), headers=token(org.executive)).status_code == 200
    missing = client.get(reverse("api:checkin_get", kwargs={"checkin_id": 99999}),
                         headers=token(org.admin))  # fmt: skip
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No such check-in among those you may see."


def test_private_notes_reach_the_manager_chain_and_never_the_person(client, org, token):
    rep = _schedule(org.manager, org.rep)
    services.checkin_notes(actor=org.manager, checkin=rep, shared="Focus on Globex", private=SECRET)
    manager = _schedule(org.north_boss, org.manager, starts_at=MEETING + timedelta(hours=1))
    services.checkin_notes(actor=org.north_boss, checkin=manager, private="Coach Max on 1:1s")

    def read(who, checkin):
        response = client.get(_url("checkin_get", checkin), headers=token(who))
        assert response.status_code == 200, response.json()
        return response.json()

    for who in (org.manager, org.north_boss, org.admin):
        assert read(who, rep)["private_notes"] == SECRET
    for who in (org.rep, org.executive):
        seen = read(who, rep)
        assert "private_notes" not in seen and seen["shared_notes"] == "Focus on Globex"
    for who in (org.north_boss, org.admin):
        assert read(who, manager)["private_notes"] == "Coach Max on 1:1s"
    assert "private_notes" not in read(org.manager, manager)  # their own: never
    assert client.get(_url("checkin_get", rep), headers=token(org.rep2)).status_code == 404
    assert (
        client.get(_url("checkin_get", rep), headers=token(org.inside_manager)).status_code == 404
    )
    # The list and the agenda carry no private notes, whoever asks.
    for who in (org.manager, org.north_boss):
        assert SECRET not in client.get(CHECKINS, headers=token(who)).content.decode()
        assert (
            SECRET
            not in client.get(_url("checkin_agenda", rep), headers=token(who)).content.decode()
        )


def test_a_rep_gets_private_notes_from_no_endpoint(client, org, token):
    last = _schedule(org.manager, org.rep, starts_at=MEETING - timedelta(days=7))
    services.checkin_notes(
        actor=org.manager, checkin=last, shared="Focus on Globex", private=SECRET
    )
    with time_machine.travel(MEETING - timedelta(days=7), tick=False):
        services.checkin_hold(actor=org.manager, checkin=last)
    coming = CheckIn.objects.get(state="scheduled")
    services.checkin_notes(actor=org.manager, checkin=coming, private=SECRET)
    reports.report_submit(actor=org.rep, person=org.rep, went_well="Two demos")
    reviews.review_start(actor=org.manager, person=org.rep)
    headers = token(org.rep)
    client.force_login(org.rep)
    answers = [
        client.get(CHECKINS, headers=headers),
        client.get(_url("checkin_get", last), headers=headers),
        client.get(_url("checkin_get", coming), headers=headers),
        client.get(_url("checkin_agenda", coming), headers=headers),
        _post(client, _url("checkin_item_add", coming), text="Pricing"),  # the session
        client.get(REPORTS, headers=headers),
        client.get(REVIEWS, headers=headers),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 201, 200, 200]
    assert answers[3].json()["last_notes"] == "Focus on Globex"  # shared notes: yes
    for answer in answers:
        assert SECRET not in answer.content.decode() and "private" not in answer.content.decode()


def test_the_agenda_and_what_each_side_adds_to_it(client, org, token):
    checkin = _schedule(org.manager, org.rep)
    reports.report_submit(actor=org.rep, person=org.rep, went_well="Two demos", need="Budget")
    items = _url("checkin_item_add", checkin)
    client.force_login(org.rep)
    added = _post(client, items, text="  Travel budget   for the Acme visit ")
    assert added.status_code == 201, added.json()
    assert added.json() == {
        "id": AgendaItem.objects.get().pk,
        "text": "Travel budget for the Acme visit",
        "added_by": "rep@acme.test",
        "added_at": "2026-09-15T08:00:00Z",
    }
    empty = _post(client, items, text="   ")
    assert empty.status_code == 400
    assert empty.json()["detail"] == "Say what you want to talk about."
    assert _post(client, items, text="x" * 501).status_code == 422
    assert _post(client, items).status_code == 422
    client.force_login(org.rep2)
    assert _post(client, items, text="Mine too").status_code == 404
    client.force_login(org.executive)  # sees it, is not in the meeting
    refused = _post(client, items, text="A word")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the people in the meeting add to its agenda."
    headers = token(org.manager, "read", "write")
    assert _post(client, items, headers, text="Globex pricing").status_code == 201
    agenda = client.get(_url("checkin_agenda", checkin), headers=token(org.rep)).json()
    assert (agenda["person"], agenda["manager"]) == ("rep@acme.test", "manager@acme.test")
    assert (agenda["since"], agenda["until"]) == ("2026-09-01", "2026-09-15")
    assert agenda["items"] == ["Travel budget for the Acme visit", "Globex pricing"]
    assert agenda["self_report"]["went_well"] == "Two demos"
    assert set(agenda["activity_since"]) == {
        "calls", "meetings", "first_meetings", "prospecting", "emails"
    }  # fmt: skip
    services.checkin_hold(actor=org.manager, checkin=checkin)
    closed = _post(client, items, headers, text="Too late")
    assert closed.status_code == 400
    assert closed.json()["detail"] == "This check-in is held: it cannot be added to."
    assert AgendaItem.objects.count() == 2


def test_action_items_are_owned_by_someone_in_the_meeting(client, org, token):
    checkin = _schedule(org.manager, org.rep)
    actions = _url("checkin_action_add", checkin)
    headers = token(org.manager, "read", "write")
    body = {"owner": "rep@acme.test", "text": "Book the demo", "due_on": "2026-09-22"}
    for changed, status, words in [
        ({"owner": "rep2@acme.test"}, 400, "An action item is owned by someone in the meeting."),
        ({"owner": "otherrep@acme.test"}, 404, "among the people you may see"),
        ({"text": "  "}, 400, "Say what is to be done."),
        ({"text": "x" * 301}, 422, ""),
        ({"due_on": "9999-12-31"}, 422, ""),
        ({"due_on": None}, 422, ""),
        ({"owner": ""}, 422, ""),
    ]:
        response = _post(client, actions, headers, **{**body, **changed})
        assert response.status_code == status, (changed, response.json())
        assert words in str(response.json()["detail"])
    assert not ActionItem.objects.exists()
    client.force_login(org.rep)
    assert _post(client, actions, **body).status_code == 403  # a rep records no outcomes
    made = _post(client, actions, headers, **body)
    assert made.status_code == 201, made.json()
    assert made.json() == {
        "id": ActionItem.objects.get().pk,
        "owner": "rep@acme.test",
        "about": "rep@acme.test",
        "text": "Book the demo",
        "due_on": "2026-09-22",
        "state": "open",
        "checkin": checkin.pk,
    }
    mine = _post(client, actions, headers, **{**body, "owner": "manager@acme.test"})
    assert mine.status_code == 201 and mine.json()["owner"] == "manager@acme.test"
    agenda = client.get(_url("checkin_agenda", checkin), headers=token(org.rep)).json()
    assert [(a["text"], a["owner"]) for a in agenda["actions"]] == [
        ("Book the demo", "rep@acme.test"),
        ("Book the demo", "manager@acme.test"),
    ]


# --- self-reports -----------------------------------------------------------------------


def test_a_rep_sends_their_own_self_report(client, org, token):
    client.force_login(org.rep)
    first = _post(client, REPORTS, went_well="Two demos booked")
    assert first.status_code == 201, first.json()
    out = first.json()
    assert (out["person"], out["due_on"], out["late"]) == ("rep@acme.test", "2026-09-04", True)
    assert out["submitted_at"] == "2026-09-15T08:00:00Z"
    assert set(out["numbers"]) == {
        "from", "to", "calls", "meetings", "first_meetings", "prospecting", "won"
    }  # fmt: skip
    assert _post(client, REPORTS, went_badly="Initech quiet").json()["due_on"] == "2026-09-11"
    on_time = _post(client, REPORTS, next_step="Call Initech", commit_next=True)
    assert (on_time.json()["due_on"], on_time.json()["late"]) == ("2026-09-18", False)
    assert Commitment.objects.get().due_on == date(2026, 9, 25)
    nothing = _post(client, REPORTS, went_well="  ")
    assert nothing.status_code == 400
    assert nothing.json()["detail"].startswith("Say at least one thing")
    assert _post(client, REPORTS, need="x" * 2001).status_code == 422
    assert _post(client, REPORTS, went_well="x", commit_next="maybe").status_code == 422
    read_only = _post(client, REPORTS, token(org.manager), went_well="x")
    assert read_only.status_code == 403 and "write scope" in read_only.json()["detail"]
    client.force_login(org.executive)
    assert _post(client, REPORTS, went_well="x").status_code == 403
    assert SelfReport.objects.count() == 3


def test_self_reports_are_scoped_a_rep_never_sees_another_reps(client, org, token):
    reports.report_submit(actor=org.rep, person=org.rep, went_well="mine")
    reports.report_submit(actor=org.rep2, person=org.rep2, went_well="theirs")
    reports.report_submit(actor=org.rep2, person=org.rep2, went_well="theirs, later")
    reports.report_submit(actor=org.other_rep, person=org.other_rep, went_well="south")

    def said(who, **query):
        response = client.get(REPORTS, query, headers=token(who))
        assert response.status_code == 200, response.json()
        return [row["went_well"] for row in response.json()]

    assert said(org.rep) == ["mine"]
    assert said(org.rep2) == ["theirs, later", "theirs"]
    assert said(org.manager) == ["theirs, later", "mine", "theirs"]  # latest due day first
    assert said(org.other_manager) == ["south"]
    assert sorted(said(org.executive)) == ["mine", "south", "theirs", "theirs, later"]
    assert said(org.manager, person="rep2@acme.test", since="2026-09-10") == ["theirs, later"]
    assert (
        client.get(REPORTS, {"person": "rep@acme.test"}, headers=token(org.rep2)).status_code == 404
    )
    assert client.get(REPORTS, {"since": "9999-12-31"}, headers=token(org.rep)).status_code == 422


# --- pipeline reviews -------------------------------------------------------------------


@pytest.fixture
def pipeline(org):
    ensure_pipeline()
    DealFactory(owner=org.rep, name="Initech", external_id="OPP-NEW", created_on=date(2026, 9, 10))
    DealFactory(owner=org.rep, name="Umbrella", external_id="OPP-WON", stage=stage("Won"),
                closed_on=date(2026, 9, 12))  # fmt: skip
    DealFactory(owner=org.rep, name="Old", external_id="OPP-OLD", stage=stage("Proposal"),
                created_on=date(2026, 3, 2))  # fmt: skip
    DealFactory(owner=org.rep2, name="Not hers", external_id="OPP-REP2",
                created_on=date(2026, 9, 10))  # fmt: skip
    DealFactory(owner=org.other_rep, external_id="OPP-SOUTH", created_on=date(2026, 9, 10))


def test_a_manager_reviews_a_reps_pipeline_and_decides_on_a_deal(client, org, token, pipeline):
    headers = token(org.manager, "read", "write")
    started = _post(client, REVIEWS, headers, person="rep@acme.test")
    assert started.status_code == 201, started.json()
    out = started.json()
    review = PipelineReview.objects.get()
    assert (out["id"], out["person"], out["team"], out["run_by"]) == (
        review.pk, "rep@acme.test", None, "manager@acme.test"
    )  # fmt: skip
    assert (out["since"], out["held_on"]) == ("2026-09-01", "2026-09-15")
    assert [m["deal"] for m in out["moved"]["new"]] == ["OPP-NEW"]
    assert out["moved"]["won"] == [
        {"deal": "OPP-WON", "name": "Umbrella", "owner": "rep@acme.test", "why": "won 12 Sep"}
    ]
    assert set(out["moved"]) == {
        "new", "advanced", "slipped_back", "pushed", "pulled_in", "resized", "won", "lost"
    }  # fmt: skip
    assert out["stale"] == ["OPP-OLD"] and "OPP-OLD" in out["missing"]
    assert out["decisions"] == []
    decide = _review_url("review_decision_add", review)
    body = {"deal": "OPP-NEW", "decision": "Push for a signature", "next_step": "Book legal",
            "owner": "rep@acme.test", "due_on": "2026-09-22"}  # fmt: skip
    for changed, status, words in [
        ({"owner": ""}, 400, "A next step has an owner and a day."),
        ({"deal": "OPP-REP2"}, 400, "That deal is not in this pipeline."),
        ({"deal": "OPP-SOUTH"}, 404, "No deal 'OPP-SOUTH' among the deals you may see."),
        ({"owner": "otherrep@acme.test"}, 404, "among the people you may see"),
        ({"decision": " "}, 400, "Say what was decided."),
        ({"decision": "x" * 301}, 422, ""),
        ({"due_on": "9999-12-31"}, 422, ""),
        ({"deal": ""}, 422, ""),
    ]:
        response = _post(client, decide, headers, **{**body, **changed})
        assert response.status_code == status, (changed, response.json())
        assert words in str(response.json()["detail"])
    assert not ReviewDecision.objects.exists() and not ActionItem.objects.exists()
    client.force_login(org.rep)
    assert _post(client, decide, **body).status_code == 403
    made = _post(client, decide, headers, **body)
    assert made.status_code == 201, made.json()
    decision = made.json()
    assert (decision["deal"], decision["decision"]) == ("OPP-NEW", "Push for a signature")
    assert decision["action"]["text"] == "Initech: Book legal"
    assert decision["action"]["owner"] == "rep@acme.test"
    plain = _post(client, decide, headers, deal="OPP-OLD", decision="Close it out")
    assert plain.status_code == 201 and plain.json()["action"] is None
    read = client.get(_review_url("review_get", review), headers=token(org.rep))
    assert [d["deal"] for d in read.json()["decisions"]] == ["OPP-NEW", "OPP-OLD"]
    assert ActionItem.objects.get().owner == org.rep


def test_a_team_review_and_who_may_start_one(client, org, token, pipeline):
    headers = token(org.manager, "read", "write")
    team = _post(client, REVIEWS, headers, team=org.north_field.pk)
    assert team.status_code == 201, team.json()
    assert (team.json()["team"], team.json()["team_id"]) == ("North Field", org.north_field.pk)
    assert {m["deal"] for m in team.json()["moved"]["new"]} == {"OPP-NEW", "OPP-REP2"}
    for body, status, words in [
        ({}, 400, "Review one person's pipeline, or one team's."),
        ({"person": "rep@acme.test", "team": org.north_field.pk}, 400, "or one team's"),
        ({"team": org.south_field.pk}, 404, "among the teams you may see"),
        ({"person": "otherrep@acme.test"}, 404, "among the people you may see"),
        ({"person": "manager@acme.test"}, 403, "You do not review this pipeline."),
        ({"team": 0}, 422, ""),
        ({"team": 2**31}, 422, ""),
    ]:
        response = _post(client, REVIEWS, headers, **body)
        assert response.status_code == status, (body, response.json())
        assert words in str(response.json()["detail"])
    client.force_login(org.rep)
    assert _post(client, REVIEWS, person="rep@acme.test").status_code == 403
    client.force_login(org.executive)
    assert _post(client, REVIEWS, person="rep@acme.test").status_code == 403
    assert _post(client, REVIEWS, token(org.manager), person="rep@acme.test").status_code == 403
    assert PipelineReview.objects.count() == 1


def test_reviews_are_scoped_a_rep_never_sees_another_reps_or_a_teams(client, org, token, pipeline):
    mine = reviews.review_start(actor=org.manager, person=org.rep)
    theirs = reviews.review_start(actor=org.manager, person=org.rep2)
    team = reviews.review_start(actor=org.manager, team=org.north_field)
    south = reviews.review_start(actor=org.other_manager, person=org.other_rep)

    def ids(who):
        response = client.get(REVIEWS, headers=token(who))
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()}

    assert ids(org.rep) == {mine.pk}
    assert ids(org.rep2) == {theirs.pk}
    assert ids(org.manager) == {mine.pk, theirs.pk, team.pk}
    assert ids(org.other_manager) == {south.pk}
    assert ids(org.executive) == {mine.pk, theirs.pk, team.pk, south.pk}
    for who, review, status in [
        (org.rep, mine, 200),
        (org.rep, theirs, 404),
        (org.rep, team, 404),
        (org.manager, south, 404),
        (org.executive, south, 200),
    ]:
        response = client.get(_review_url("review_get", review), headers=token(who))
        assert response.status_code == status, (who, review)
    hidden = client.get(_review_url("review_get", theirs), headers=token(org.rep))
    assert hidden.json()["detail"] == "No such review among those you may see."
    decide = _review_url("review_decision_add", south)
    refused = _post(client, decide, token(org.manager, "read", "write"), deal="OPP-SOUTH",
                    decision="x")  # fmt: skip
    assert refused.status_code == 404


def test_the_agenda_is_the_selectors_own_with_nothing_private(client, org, token):
    checkin = _schedule(org.manager, org.rep)
    services.checkin_notes(actor=org.manager, checkin=checkin, private=SECRET)
    answer = client.get(_url("checkin_agenda", checkin), headers=token(org.manager)).json()
    expected = selectors.agenda(org.manager, checkin).as_dict()
    assert answer["items"] == expected["items"] and answer["since"] == expected["since"]
    assert set(answer) == set(expected)
