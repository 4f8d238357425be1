"""Check-ins: scheduled by whoever may run them, held (a recurring one schedules the
next), moved and cancelled with their invites updated; agendas prepared from the data;
private notes kept from the person; outcomes recorded."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from icalendar import Calendar

from accountable.checkins import ics, selectors, services
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import ActionState, CheckIn, CheckinState, Recurrence
from accountable.commitments.services import commitment_add
from accountable.crm.models import ActivityKind
from accountable.targets.models import Target
from tests.crm.factories import ActivityFactory

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 9, 15, 8, tzinfo=UTC)
MEETING = datetime(2026, 9, 17, 14, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def schedule(org, **extra):
    return services.checkin_schedule(actor=org.manager, person=org.rep, starts_at=MEETING, **extra)


def test_a_manager_schedules_and_holding_a_weekly_one_schedules_the_next(org):
    checkin = schedule(org)
    assert (checkin.manager, checkin.recurrence) == (org.manager, Recurrence.WEEKLY)
    following = services.checkin_hold(actor=org.manager, checkin=checkin)
    assert following.starts_at == MEETING + timedelta(days=7)
    assert checkin.state == CheckinState.HELD and checkin.held_on == date(2026, 9, 15)
    with pytest.raises(CheckinError, match="held"):
        services.checkin_hold(actor=org.manager, checkin=checkin)
    once = services.checkin_schedule(
        actor=org.manager, person=org.rep2, starts_at=MEETING, recurrence=Recurrence.NONE
    )
    assert services.checkin_hold(actor=org.manager, checkin=once) is None


def test_only_their_managers_run_a_persons_check_ins(org):
    for actor, person in [
        (org.rep, org.rep2),
        (org.rep, org.rep),
        (org.other_manager, org.rep),
        (org.executive, org.rep),
    ]:
        with pytest.raises(PermissionDenied):
            services.checkin_schedule(actor=actor, person=person, starts_at=MEETING)
    services.checkin_schedule(actor=org.north_boss, person=org.rep, starts_at=MEETING)
    with pytest.raises(CheckinError, match="5 minutes to 4 hours"):
        schedule(org, minutes=600)
    with pytest.raises(CheckinError, match="Repeat it"):
        schedule(org, recurrence="daily")


def test_the_invite_is_updated_and_cancelled_as_the_same_event(org):
    checkin = schedule(org, location="Room 4")
    first = Calendar.from_ical(ics.invite(checkin))
    [event] = first.walk("VEVENT")
    assert first["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == "mailto:rep@acme.test" and event["LOCATION"] == "Room 4"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    services.checkin_reschedule(
        actor=org.manager, checkin=checkin, starts_at=MEETING + timedelta(hours=1)
    )
    [moved] = Calendar.from_ical(ics.invite(checkin)).walk("VEVENT")
    assert moved["UID"] == event["UID"] and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == MEETING + timedelta(hours=1)
    services.checkin_cancel(actor=org.manager, checkin=checkin)
    cancelled = Calendar.from_ical(ics.invite(checkin))
    [gone] = cancelled.walk("VEVENT")
    assert (
        cancelled["METHOD"] == "CANCEL" and gone["STATUS"] == "CANCELLED" and gone["SEQUENCE"] == 2
    )
    # A cancelled weekly check-in leaves the series going: the next is scheduled.
    assert CheckIn.objects.filter(state=CheckinState.SCHEDULED, person=org.rep).count() == 1


def test_the_agenda_is_prepared_from_the_data_since_the_last_check_in(org):
    last = services.checkin_schedule(
        actor=org.manager, person=org.rep, starts_at=MEETING - timedelta(days=7)
    )
    services.checkin_notes(
        actor=org.manager, checkin=last, shared="Focus on Globex", private="Worried about morale"
    )
    with time_machine.travel(MEETING - timedelta(days=7), tick=False):
        services.checkin_hold(actor=org.manager, checkin=last)
    checkin = CheckIn.objects.get(state=CheckinState.SCHEDULED)
    for day in (11, 14, 15):
        ActivityFactory(
            person=org.rep,
            kind=ActivityKind.MEETING,
            channel="in_person",
            meeting_number=1,
            occurred_at=datetime(2026, 9, day, 10, tzinfo=UTC),
        )
    ActivityFactory(
        person=org.rep, occurred_at=datetime(2026, 9, 1, 10, tzinfo=UTC)
    )  # before: not counted
    due = commitment_add(
        actor=org.rep, person=org.rep, text="Send the Globex proposal", due_on=date(2026, 9, 16)
    )
    services.agenda_add(actor=org.rep, checkin=checkin, text="Travel budget for the Acme visit")
    services.action_add(
        actor=org.manager,
        checkin=last,
        owner=org.rep,
        text="Book the demo",
        due_on=date(2026, 9, 16),
    )
    agenda = selectors.agenda(org.manager, checkin)
    assert agenda.since == date(2026, 9, 10) and agenda.until == date(2026, 9, 15)
    assert (agenda.activity.meetings, agenda.activity.first_meetings, agenda.activity.calls) == (
        3,
        3,
        0,
    )
    assert [c for c, _ in agenda.commitments] == [due]
    assert [a.text for a in agenda.actions] == ["Book the demo"]
    assert [i.text for i in agenda.items] == ["Travel budget for the Acme visit"]
    assert agenda.last == last and agenda.private
    assert not selectors.agenda(org.rep, checkin).private  # the rep never gets private notes
    data = agenda.as_dict()
    assert data["last_notes"] == "Focus on Globex" and "Worried" not in str(data)


def test_the_agenda_page_says_attainment_and_pace_as_percentages(org, client):
    Target.objects.create(
        person=org.rep, metric="revenue", period="2026-Q3", period_start="2026-07-01",
        period_end="2026-09-30", value=Decimal("90000"),
    )  # fmt: skip
    checkin = schedule(org)
    client.force_login(org.manager)
    html = client.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    # nothing won yet, the quarter's pace by the meeting: as the board says them
    assert '<dd>0% <span class="faint">of target; pace 83%</span>' in html
    assert "\u00d7 target" not in html  # the multiple it used to show


def test_private_notes_are_the_manager_chains_only(org):
    checkin = schedule(org)
    with pytest.raises(PermissionDenied):
        services.checkin_notes(actor=org.rep, checkin=checkin, shared="mine")
    services.checkin_notes(
        actor=org.manager, checkin=checkin, private="Needs coaching on discovery"
    )
    assert selectors.may_see_private(org.manager, checkin)
    assert selectors.may_see_private(org.north_boss, checkin)
    assert not selectors.may_see_private(org.rep, checkin)
    assert not selectors.may_see_private(org.executive, checkin)
    assert list(selectors.visible(org.rep2)) == []


def test_action_items_are_owned_by_someone_in_the_meeting(org):
    checkin = schedule(org)
    with pytest.raises(CheckinError, match="someone in the meeting"):
        services.action_add(
            actor=org.manager, checkin=checkin, owner=org.rep2, text="x", due_on=date(2026, 9, 20)
        )
    action = services.action_add(
        actor=org.manager,
        checkin=checkin,
        owner=org.rep,
        text="Call Initech",
        due_on=date(2026, 9, 20),
    )
    with pytest.raises(PermissionDenied):
        services.action_set(actor=org.rep2, action=action, state=ActionState.DONE)
    services.action_set(actor=org.rep, action=action, state=ActionState.DONE)
    assert action.state == ActionState.DONE and action.done_on == date(2026, 9, 15)


def with_two_action_items(org) -> CheckIn:
    """A check-in of Rita's with two action items: the manager's own, and hers."""
    checkin = schedule(org)
    for owner, text in ((org.manager, "Ask legal"), (org.rep, "Call Initech")):
        services.action_add(
            actor=org.manager, checkin=checkin, owner=owner, text=text, due_on=date(2026, 9, 20)
        )
    return checkin


def test_the_list_of_action_items_says_whom_a_managers_own_item_is_about(org, client):
    checkin = with_two_action_items(org)
    client.force_login(org.manager)
    listed = client.get(reverse("checkins:list")).content.decode()
    assert f"{org.manager.name}, about {org.rep.name} · by" in listed
    assert f"{org.rep.name} · by" in listed  # the rep's own item: no "about"
    detail = client.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    assert ", about " not in detail  # the check-in is about that rep already


def test_the_next_check_in_is_the_soonest_still_scheduled_from_today_on(org):
    once = {"actor": org.manager, "recurrence": Recurrence.NONE}
    first = services.checkin_schedule(person=org.rep, starts_at=MEETING, **once)  # Thu 17 Sep
    later = services.checkin_schedule(person=org.rep, starts_at=MEETING + timedelta(days=7), **once)
    theirs = services.checkin_schedule(person=org.rep2, starts_at=MEETING, **once)
    found = selectors.next_checkins(org.manager, [org.rep.pk, org.rep2.pk], date(2026, 9, 15))
    assert found == {org.rep.pk: first, org.rep2.pk: theirs}
    services.checkin_cancel(actor=org.manager, checkin=first)
    assert selectors.next_checkins(org.manager, [org.rep.pk], date(2026, 9, 15)) == {
        org.rep.pk: later
    }
    # from the start of the day asked for: the meeting that day still counts, not before
    assert selectors.next_checkins(org.manager, [org.rep.pk], date(2026, 9, 24)) == {
        org.rep.pk: later
    }
    assert selectors.next_checkins(org.manager, [org.rep.pk], date(2026, 9, 25)) == {}
    # a rep sees their own, never another rep's
    assert selectors.next_checkins(org.rep, [org.rep.pk, org.rep2.pk], date(2026, 9, 15)) == {
        org.rep.pk: later
    }


def test_an_action_item_is_changed_and_audited_together_or_not_at_all(org, monkeypatch):
    checkin = with_two_action_items(org)
    action = checkin.actions.get(text="Call Initech")

    def audit_fails(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(services, "audit_record", audit_fails)
    with pytest.raises(RuntimeError):
        services.action_set(actor=org.rep, action=action, state=ActionState.DONE)
    action.refresh_from_db()
    assert action.state == ActionState.OPEN and action.done_on is None


def test_who_may_change_many_action_items_is_asked_once_per_person(org, monkeypatch):
    checkin = with_two_action_items(org)
    for n in range(3):
        services.action_add(
            actor=org.manager, checkin=checkin, owner=org.rep, text=f"Call {n}",
            due_on=date(2026, 9, 21),
        )  # fmt: skip
    actions = list(checkin.actions.select_related("about"))
    asked = []
    real = services.may_run
    monkeypatch.setattr(
        services, "may_run", lambda actor, person: asked.append(person) or real(actor, person)
    )
    assert services.actions_changeable(org.manager, actions) == {a.pk for a in actions}
    assert asked == [org.rep]  # five items about Rita, one question
    assert services.actions_changeable(org.executive, actions) == set()


def test_done_is_offered_only_to_whoever_may_change_the_action_item(org, client):
    checkin = with_two_action_items(org)
    lists = reverse("checkins:list")
    detail = reverse("checkins:detail", args=[checkin.pk])
    for viewer, offered in (
        (org.manager, {"Ask legal", "Call Initech"}),  # runs Rita's check-ins
        (org.rep, {"Call Initech"}),  # her own only
        (org.executive, set()),  # sees them, runs nobody's check-ins
    ):
        client.force_login(viewer)
        for url in (lists, detail):
            html = client.get(url).content.decode()
            assert "Ask legal" in html and "Call Initech" in html
            shown = {text for text in ("Ask legal", "Call Initech") if f"Done: {text}" in html}
            assert shown == offered, (viewer.email, url)


def test_the_command_line_prints_the_next_agenda(org, capsys):
    checkin = schedule(org)
    services.agenda_add(actor=org.rep, checkin=checkin, text="Pricing of the renewal")
    services.checkin_notes(actor=org.manager, checkin=checkin, private="keep this private")
    call_command("checkin", "agenda", "--person", "rep@acme.test", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["person"] == "rep@acme.test" and data["manager"] == "manager@acme.test"
    assert data["items"] == ["Pricing of the renewal"] and "keep this private" not in str(data)
    assert set(data["activity_since"]) == {
        "calls",
        "meetings",
        "first_meetings",
        "prospecting",
        "emails",
    }
    call_command("checkin", "agenda", "--person", "rep2@acme.test")  # none scheduled: today's
    assert "1:1 Rob Rep with Max Manager" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("checkin", "agenda", "--person", "rep@acme.test", "--as-of", "someday")
