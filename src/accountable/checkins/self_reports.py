"""Self-reports on a cadence (SPEC §6): each person reports on their own days — once a
week on a set weekday by default — with their numbers filled in from the data.

Someone struggling (an open high-severity warning) is proposed a shorter cadence,
twice a week, which their manager confirms or declines (recorded either way); a
shortened cadence returns to normal once those warnings have cleared
(`cadence_review`, each night after the warnings run). A due day without a report is
late, for the person and their manager to see, for `LATE_WINDOW_DAYS`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import (
    CadenceProposal,
    ProposalState,
    ReportingCadence,
    SelfReport,
)
from accountable.checkins.services import may_run
from accountable.commitments.services import commitment_add
from accountable.goals import actuals
from accountable.org import abilities
from accountable.org.models import Person, Role
from accountable.scorecards import metrics
from accountable.signals.models import Severity, WarningSign, WarningStatus

LATE_WINDOW_DAYS = 14
TEXT_LENGTH = 2000
SHORTER = 2  # times a week proposed to someone struggling


def cadence_of(person: Person) -> ReportingCadence:
    found = ReportingCadence.objects.filter(person=person).first()
    return found or ReportingCadence(person=person)


def due_days(cadence: ReportingCadence, start: date, end: date) -> list[date]:
    """The days a report is due from `start` to `end`: the weekday, and three days
    before it too when twice a week."""
    weekdays = {cadence.weekday}
    if cadence.times_a_week >= 2:
        weekdays.add((cadence.weekday - 3) % 7)
    days, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def late_days(person: Person, today: date) -> list[date]:
    """Due days of the last `LATE_WINDOW_DAYS` days (before today) with no report."""
    start = today - timedelta(days=LATE_WINDOW_DAYS)
    due = due_days(cadence_of(person), start, today - timedelta(days=1))
    done = set(
        SelfReport.objects.filter(person=person, due_on__in=due).values_list("due_on", flat=True)
    )
    return [day for day in due if day not in done]


def cadences_of(people: list[Person]) -> dict[int, ReportingCadence]:
    """{person id: cadence} of many people in one query (`cadence_of` of each)."""
    found = {c.person_id: c for c in ReportingCadence.objects.filter(person__in=people)}
    return {p.pk: found.get(p.pk) or ReportingCadence(person=p) for p in people}


def late_by_person(people: list[Person], today: date) -> dict[int, list[date]]:
    """{person id: late due days} of many people in two queries (`late_days` of each)."""
    start = today - timedelta(days=LATE_WINDOW_DAYS)
    ids = [p.pk for p in people]
    cadences = cadences_of(people)
    done: dict[int, set[date]] = {}
    rows = SelfReport.objects.filter(person_id__in=ids, due_on__gte=start, due_on__lt=today)
    for person_id, due_on in rows.values_list("person_id", "due_on"):
        done.setdefault(person_id, set()).add(due_on)
    late = {}
    for person in people:
        days = due_days(cadences[person.pk], start, today - timedelta(days=1))
        missing = [day for day in days if day not in done.get(person.pk, set())]
        if missing:
            late[person.pk] = missing
    return late


def open_due(person: Person, today: date) -> date:
    """The due day a report made today is for: the oldest late one, else the next."""
    late = late_days(person, today)
    if late:
        return late[0]
    return due_days(cadence_of(person), today, today + timedelta(days=7))[0]


def numbers(person: Person, due_on: date) -> dict[str, object]:
    """The person's numbers for the days a report covers (the week to its due day), as
    the board counts them."""
    start = due_on - timedelta(days=6)
    counted = metrics.counts([person.pk], start, due_on).get(person.pk) or metrics.Counts()
    won = actuals.total("revenue", [person.pk], start, due_on)
    return {
        "from": start.isoformat(),
        "to": due_on.isoformat(),
        "calls": counted.calls,
        "meetings": counted.meetings,
        "first_meetings": counted.first_meetings,
        "prospecting": counted.prospecting,
        "won": f"{won:.2f}",
    }


def _text(value: object, what: str) -> str:
    text = str(value or "").strip()
    if len(text) > TEXT_LENGTH:
        raise CheckinError(f"Keep {what} to {TEXT_LENGTH:,} characters.")
    return text


@transaction.atomic
def report_submit(
    *,
    actor: Person | None,
    person: Person,
    went_well: str = "",
    went_badly: str = "",
    next_step: str = "",
    need: str = "",
    commit_next: bool = False,
    today: date | None = None,
) -> SelfReport:
    """The person's report for their open due day (`open_due`); `commit_next` makes
    what they commit to next a commitment, due on their next due day."""
    if actor is not None and not abilities.may(actor, abilities.SELF_REPORT, person):
        raise PermissionDenied("A self-report is the person's own.")
    today = today or timezone.localdate()
    fields = {
        "went_well": _text(went_well, "what went well"),
        "went_badly": _text(went_badly, "what did not"),
        "next_step": _text(next_step, "what you commit to next"),
        "need": _text(need, "what you need"),
    }
    if not any(fields.values()):
        raise CheckinError("Say at least one thing: what went well, what did not, what next.")
    due_on = open_due(person, today)
    if SelfReport.objects.filter(person=person, due_on=due_on).exists():
        raise CheckinError(f"The report due {due_on:%a %d %b} is in already.")
    report = SelfReport.objects.create(
        person=person, due_on=due_on, numbers=numbers(person, min(due_on, today)), **fields
    )
    audit_record(
        actor=actor, action="self_report.submit", obj=report,
        after={"person": person.email, "due_on": due_on.isoformat()},
    )  # fmt: skip
    if commit_next and fields["next_step"]:
        following = due_days(
            cadence_of(person), due_on + timedelta(days=1), due_on + timedelta(days=8)
        )
        commitment_add(
            actor=actor, person=person, text=fields["next_step"][:300], due_on=following[0]
        )
    return report


def _struggling(ids: list[int]) -> dict[int, list[str]]:
    """{person id: messages} of the live high-severity warnings of these people."""
    found: dict[int, list[str]] = {}
    rows = WarningSign.objects.filter(
        person_id__in=ids,
        severity=Severity.HIGH,
        status__in=[WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED],
    ).values_list("person_id", "message")
    for person_id, message in rows:
        found.setdefault(person_id, []).append(message)
    return found


@transaction.atomic
def cadence_review(today: date | None = None) -> dict[str, int]:
    """Propose a shorter cadence to each rep with a live high-severity warning (once per
    episode), and end a shortened one whose warnings have all cleared."""
    today = today or timezone.localdate()
    reps = list(Person.objects.filter(role=Role.REP, is_active=True).values_list("pk", flat=True))
    struggling = _struggling(reps)
    proposed = ended = 0
    live = set(
        CadenceProposal.objects.filter(
            state__in=[ProposalState.PENDING, ProposalState.CONFIRMED, ProposalState.DECLINED],
            person_id__in=reps,
        ).values_list("person_id", flat=True)
    )
    shortened = set(
        ReportingCadence.objects.filter(shortened=True).values_list("person_id", flat=True)
    )
    for person_id, messages in struggling.items():
        if person_id in live or person_id in shortened:
            continue
        proposal = CadenceProposal.objects.create(
            person_id=person_id, times_a_week=SHORTER, because="; ".join(messages)[:2000],
            proposed_on=today,
        )  # fmt: skip
        audit_record(
            actor=None, action="cadence.propose", obj=proposal, after={"times_a_week": SHORTER}
        )
        proposed += 1
    for proposal in CadenceProposal.objects.filter(
        person_id__in=[p for p in reps if p not in struggling],
        state__in=[ProposalState.PENDING, ProposalState.CONFIRMED, ProposalState.DECLINED],
    ):
        # The warnings cleared: the episode is over, and a shortened cadence with it.
        was = proposal.state
        proposal.state, proposal.decided_on = ProposalState.ENDED, today
        proposal.note = proposal.note or "The warnings cleared."
        proposal.save()
        if was == ProposalState.CONFIRMED:
            ReportingCadence.objects.filter(person_id=proposal.person_id).update(
                times_a_week=1, shortened=False
            )
            ended += 1
        audit_record(
            actor=None,
            action="cadence.end",
            obj=proposal,
            before={"state": was},
            after={"state": proposal.state},
        )
    return {"proposed": proposed, "ended": ended}


@transaction.atomic
def proposal_decide(
    *, actor: Person | None, proposal: CadenceProposal, confirm: bool, note: str = ""
) -> CadenceProposal:
    """The manager confirms the shorter cadence (it applies from now) or declines it;
    either way it is recorded, with their note."""
    if not may_run(actor, proposal.person) or (actor and actor.pk == proposal.person_id):
        raise PermissionDenied(f"Only {proposal.person.name}'s manager decides this.")
    if proposal.state != ProposalState.PENDING:
        raise CheckinError(f"This proposal is {proposal.get_state_display().lower()} already.")
    proposal.state = ProposalState.CONFIRMED if confirm else ProposalState.DECLINED
    proposal.decided_by, proposal.decided_on = actor, timezone.localdate()
    proposal.note = str(note or "").strip()[:300]
    proposal.save()
    if confirm:
        cadence = cadence_of(proposal.person)
        cadence.times_a_week, cadence.shortened = proposal.times_a_week, True
        cadence.save()
    after = {"state": proposal.state, "note": proposal.note}
    before = {"state": ProposalState.PENDING}
    audit_record(actor=actor, action="cadence.decide", obj=proposal, before=before, after=after)
    return proposal
