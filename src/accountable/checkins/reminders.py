"""Reminders before and after due days (SPEC §6: "reminders go out before and after"),
sent each morning by the worker, one e-mail per person with all that concerns them:

- due tomorrow: their open commitments, their open action items, their self-report;
- overdue since yesterday: commitments in words not reported, action items not done,
  a self-report not sent;
- on the forecast deadline's day: their call for the week, if they have not made it;
- for a manager: commitments their people reported, waiting for their word;
- plans due and key accounts' next actions, and plans waiting for a manager's decision
  (`plans.reminders`).

Sent through Django's mail (EMAIL_URL; the console on the demo). Nothing is sent to a
person with nothing to be reminded of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from accountable.checkins import self_reports
from accountable.checkins.models import ActionItem, ActionState
from accountable.commitments.models import Commitment, State
from accountable.forecasts import weeks
from accountable.forecasts.models import ForecastSubmission
from accountable.org import abilities
from accountable.org.calendar import Kind
from accountable.org.models import Person, Role
from accountable.org.services import organisation_get
from accountable.plans.reminders import plan_reminders

# More reminders from the apps above this one (performance reviews): each a function of
# the day giving {person id: lines}, registered from its app's configuration, so each
# person still gets one e-mail with everything.
Source = Callable[[date], dict[int, list[str]]]
SOURCES: list[Source] = []


def reminder_source(source: Source) -> Source:
    """Add a source of reminders (once)."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def reminders_for(today: date) -> dict[Person, list[str]]:
    """{person: lines} of what each active person is reminded of on `today`."""
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    lines: dict[int, list[str]] = defaultdict(list)
    for c in Commitment.objects.filter(state=State.OPEN, due_on=tomorrow):
        lines[c.person_id].append(f"Due tomorrow: {c.what()}.")
    for c in Commitment.objects.filter(state=State.OPEN, due_on=yesterday, metric="", deal=None):
        lines[c.person_id].append(f"Overdue: {c.what()} (due yesterday): report on it.")
    actions = ActionItem.objects.filter(state=ActionState.OPEN)
    for a in actions.filter(due_on=tomorrow):
        lines[a.owner_id].append(f"Action item due tomorrow: {a.text}.")
    for a in actions.filter(due_on=yesterday):
        lines[a.owner_id].append(f"Action item overdue: {a.text} (due yesterday).")
    people = Person.objects.filter(is_active=True).exclude(role=Role.EXECUTIVE)
    by_id = {p.pk: p for p in people}
    reporters = list(people.filter(role__in=[Role.REP, Role.OUTSIDE_SALES]))
    cadences = self_reports.cadences_of(reporters)
    late = self_reports.late_by_person(reporters, today)
    for person in reporters:
        if tomorrow in self_reports.due_days(cadences[person.pk], tomorrow, tomorrow):
            lines[person.pk].append("Your self-report is due tomorrow.")
        if yesterday in late.get(person.pk, ()):
            lines[person.pk].append("Your self-report due yesterday is late: send it today.")
    week = weeks.week_of(today)
    if weeks.deadline(week).date() == today:
        quarter = organisation_get().calendar.period(Kind.QUARTER, today)
        called = set(
            ForecastSubmission.objects.filter(period=quarter.label, week_of=week).values_list(
                "person_id", flat=True
            )
        )
        at = weeks.deadline(week)
        for person in people.filter(role__in=[Role.REP, Role.MANAGER]):
            if person.pk not in called and abilities.may(
                person, abilities.SUBMIT_FORECASTS, person
            ):
                said = f"Your forecast for {quarter.label} locks today at {at:%H:%M}"
                lines[person.pk].append(f"{said}: make this week's call.")
    for c in Commitment.objects.filter(state=State.REPORTED).select_related("person"):
        for manager in _managers(c.person):
            lines[manager.pk].append(f"{c.person.name} reported on “{c.what()}”: confirm it.")
    for pid, said in plan_reminders(today, _managers).items():
        lines[pid].extend(said)
    for source in SOURCES:
        for person_id, found in source(today).items():
            lines[person_id].extend(found)
    return {by_id[pid]: found for pid, found in lines.items() if pid in by_id}


def _managers(person: Person) -> list[Person]:
    team = person.team
    found: list[Person] = []
    while team is not None and not found:
        found = [m for m in team.managers.all() if m.pk != person.pk and m.is_active]
        team = team.parent
    return found


def send_reminders(today: date | None = None) -> int:
    """Send each person their reminders of `today`; returns how many e-mails went."""
    today = today or timezone.localdate()
    sent = 0
    for person, lines in reminders_for(today).items():
        body = "\n".join(f"- {line}" for line in lines)
        things = f"{len(lines)} thing{'s' if len(lines) != 1 else ''}"
        send_mail(
            subject=f"Accountable: {things} for {today:%a} {today.day} {today:%b}",
            message=f"Good morning {person.first_name},\n\n{body}\n\nAccountable",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
        sent += 1
    return sent
