"""Writing commitments: made, reported on, confirmed, withdrawn, judged. Each checks
the actor against the person whose commitment it is (`org.abilities`; `actor` None
is the system: the command line, the worker) and is audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.commitments.errors import CommitmentError
from accountable.commitments.judge import verdict
from accountable.commitments.models import CLOSED_STATES, Commitment, State
from accountable.crm import credit
from accountable.crm.models import Deal
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST
from accountable.org.models import Person
from accountable.targets.catalogue import BY_KEY

AUDITED = ["text", "metric", "value", "deal", "start_on", "due_on", "state", "actual"]
MAX_VALUE = Decimal("1e12")
TEXT_LENGTH = 300
# Ratios measured within a period against the year before cannot be promised over a
# span of days; metrics typed in by hand have no data to judge them by.
UNPROMISABLE = {"revenue_growth"}


def commitment_metrics() -> list[str]:
    """The metrics a commitment may be bound to."""
    return [key for key, m in BY_KEY.items() if not m.manual and key not in UNPROMISABLE]


def _check(actor: Person | None, ability: abilities.Ability, person: Person, doing: str) -> None:
    if actor is not None and not abilities.may(actor, ability, person):
        raise PermissionDenied(f"You cannot {doing} for {person.name}.")


def _day(value: date | None, what: str) -> date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise CommitmentError(f"The {what} must be between {EARLIEST:%Y} and {LATEST:%Y}.")
    return value


def _value(value: object) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise CommitmentError(f'The value is a number, not "{value}".') from None
    if not number.is_finite() or number <= 0 or number >= MAX_VALUE:
        raise CommitmentError("The value is a number above 0 (and below a trillion).")
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def commitment_add(
    *,
    actor: Person | None,
    person: Person,
    due_on: date,
    text: str = "",
    metric: str = "",
    value: object = None,
    deal: Deal | None = None,
    start_on: date | None = None,
) -> Commitment:
    """A new commitment of `person`, bound to a metric and a value over [start_on,
    due_on] (start: today when not given), to a deal they are credited with, or to
    free text. Raises CommitmentError (what is wrong) or PermissionDenied."""
    _check(actor, abilities.MAKE_COMMITMENTS, person, "record a commitment")
    text = " ".join(str(text or "").split())
    metric = (metric or "").strip().lower()
    bound = [name for name, given in (("metric", metric), ("deal", deal), ("text", text)) if given]
    if len(bound) != 1:
        raise CommitmentError(
            "Say what is promised: a metric and a value, a deal, or a text — one of them."
        )
    _day(due_on, "due date")
    _day(start_on, "start date")
    commitment = Commitment(person=person, created_by=actor, due_on=due_on)
    if metric:
        if metric not in commitment_metrics():
            raise CommitmentError(
                f'"{metric}" is not a metric a commitment can be judged on; one of: '
                + ", ".join(commitment_metrics())
                + "."
            )
        if value is None or str(value).strip() == "":
            label = BY_KEY[metric].label
            raise CommitmentError(f"Say how many (or how much) {label[:1].lower()}{label[1:]}.")
        commitment.metric, commitment.value = metric, _value(value)
        commitment.start_on = start_on or min(timezone.localdate(), due_on)
        if commitment.start_on > due_on:
            raise CommitmentError("The span starts after the due date.")
    elif value is not None and str(value).strip():
        raise CommitmentError("A value goes with a metric: choose the metric it counts.")
    elif deal is not None:
        if not Deal.objects.filter(credit.credits_people([person.pk]), pk=deal.pk).exists():
            raise CommitmentError(f"{person.name} is not credited with that deal.")
        commitment.deal = deal
    else:
        if len(text) > TEXT_LENGTH:
            raise CommitmentError(f"Keep it to {TEXT_LENGTH} characters.")
        commitment.text = text
    commitment.save()
    audit_record(
        actor=actor,
        action="commitment.create",
        obj=commitment,
        after={"person": person.email, **snapshot(commitment, AUDITED)},
    )
    judge_one(commitment, timezone.localdate())
    return commitment


def _open(commitment: Commitment, doing: str) -> None:
    if commitment.state in CLOSED_STATES:
        raise CommitmentError(
            f"This commitment is {commitment.get_state_display().lower()} already: "
            f"it cannot be {doing}."
        )


@transaction.atomic
def commitment_report(
    *, actor: Person | None, commitment: Commitment, note: str = "", done: bool | None = None
) -> Commitment:
    """The person's own account: a note on any commitment and, for free text, whether
    it was done (then it awaits their manager's confirmation)."""
    person = commitment.person
    if actor is not None and actor.pk != person.pk and actor.role != "admin":
        raise PermissionDenied(f"Only {person.name} reports on their own commitment.")
    note = str(note or "").strip()
    if len(note) > 2000:
        raise CommitmentError("Keep the report to 2,000 characters.")
    _open(commitment, "reported on")
    if commitment.kind == "text":
        if done is None:
            raise CommitmentError("Say whether it was done.")
    elif not note:
        raise CommitmentError("Write what happened: the data judges the rest.")
    before = snapshot(commitment, ["report", "reported_done", "state"])
    commitment.report = note
    commitment.reported_on = timezone.localdate()
    if commitment.kind == "text":
        commitment.reported_done = done
        commitment.state = State.REPORTED
    commitment.save()
    audit_record(
        actor=actor,
        action="commitment.report",
        obj=commitment,
        before=before,
        after=snapshot(commitment, ["report", "reported_done", "state"]),
    )
    return commitment


@transaction.atomic
def commitment_confirm(*, actor: Person | None, commitment: Commitment, done: bool) -> Commitment:
    """The manager's word on a free-text commitment: met or missed (their own word
    over the person's report, which is kept)."""
    _check(actor, abilities.CONFIRM_COMMITMENTS, commitment.person, "confirm a commitment")
    if commitment.kind != "text":
        raise CommitmentError("The data judges this commitment: there is nothing to confirm.")
    _open(commitment, "confirmed")
    before = snapshot(commitment, ["state"])
    commitment.state = State.MET if done else State.MISSED
    commitment.confirmed_by = actor
    commitment.judged_on = timezone.localdate()
    commitment.save()
    audit_record(
        actor=actor,
        action="commitment.confirm",
        obj=commitment,
        before=before,
        after=snapshot(commitment, ["state"]),
    )
    return commitment


@transaction.atomic
def commitment_withdraw(*, actor: Person | None, commitment: Commitment, reason: str) -> Commitment:
    """Withdrawn with a reason, by the person or whoever may record commitments for them;
    a withdrawn commitment counts neither as kept nor as missed."""
    _check(actor, abilities.MAKE_COMMITMENTS, commitment.person, "withdraw a commitment")
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise CommitmentError("Say why it is withdrawn.")
    if len(reason) > TEXT_LENGTH:
        raise CommitmentError(f"Keep the reason to {TEXT_LENGTH} characters.")
    _open(commitment, "withdrawn")
    before = snapshot(commitment, ["state"])
    commitment.state = State.WITHDRAWN
    commitment.withdrawn_reason = reason
    commitment.save()
    audit_record(
        actor=actor,
        action="commitment.withdraw",
        obj=commitment,
        before=before,
        after={"state": commitment.state, "reason": reason},
    )
    return commitment


def judge_one(commitment: Commitment, today: date) -> bool:
    """Store the data's verdict on a metric or deal commitment that has fallen due (or
    a new one when data arrived late); True when it changed. Withdrawn ones stay."""
    if commitment.state == State.WITHDRAWN or commitment.kind == "text":
        return False
    found = verdict(commitment, today)
    if found.state is None:
        return False
    if (found.state, found.actual) == (commitment.state, commitment.actual):
        return False
    before = snapshot(commitment, ["state", "actual"])
    commitment.state, commitment.actual = found.state, found.actual
    commitment.judged_on = today
    commitment.save(update_fields=["state", "actual", "judged_on"])
    audit_record(
        actor=None,
        action="commitment.judge",
        obj=commitment,
        before=before,
        after={**snapshot(commitment, ["state", "actual"]), "why": found.why},
    )
    return True


@transaction.atomic
def commitments_judge(today: date | None = None, people: list[int] | None = None) -> int:
    """Judge every metric and deal commitment fallen due by `today` (of `people`, or
    everyone's) that is not withdrawn: the newly due, and the judged again in case data
    arrived late for their days. Returns how many changed."""
    today = today or timezone.localdate()
    due = Commitment.objects.filter(due_on__lt=today).exclude(state=State.WITHDRAWN)
    due = due.exclude(metric="", deal__isnull=True).select_related("deal")
    if people is not None:
        due = due.filter(person_id__in=people)
    return sum(judge_one(commitment, today) for commitment in due)
