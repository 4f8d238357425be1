"""Writes of the signals app: run the engine, acknowledge and resolve warnings,
change thresholds. Keyword-only, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.org import abilities
from accountable.org.models import Person
from accountable.org.scoping import can_manage_person
from accountable.org.services import organisation_get
from accountable.signals.engine import Assessment, assess
from accountable.signals.models import (
    PersonAssessment,
    SignalRun,
    SignalSettings,
    WarningSign,
    WarningStatus,
)
from accountable.signals.rules import Finding
from accountable.signals.thresholds import INFO, ThresholdError, Thresholds

__all__ = [
    "RunResult",
    "SignalsError",
    "assessments_prune",
    "signals_run",
    "thresholds_update",
    "warning_acknowledge",
    "warning_resolve",
]

LIVE = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)
KEEP_EVERY_DAY = 90  # days of stored assessments kept whole; before that, month ends
AUDITED = ["status", "note"]
MAX_NOTE = 2000


class SignalsError(ValueError):
    """Something the user can fix; the message says what, and `errors` (thresholds)
    what is wrong with each field, by name."""

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


@dataclass
class RunResult:
    run: SignalRun
    assessments: list[Assessment]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.run.counts)


def _write(warning: WarningSign, finding: Finding, period: str, as_of: date) -> None:
    warning.severity = finding.severity
    warning.period = finding.period or period
    warning.message = finding.message
    warning.evidence = finding.evidence
    warning.active = True
    warning.last_seen_on = as_of
    warning.updated_at = timezone.now()


@transaction.atomic
def signals_run(
    *,
    as_of: date,
    trigger: str = SignalRun.Trigger.MANUAL,
    actor: Person | None = None,
    thresholds: Thresholds | None = None,
) -> RunResult:
    """Run the engine for every active rep on `as_of` and bring the warnings up to date.

    A condition found for a rep with no live warning of that kind opens one; a
    live one has its evidence, severity and period updated (never a duplicate);
    a live warning whose condition is gone is resolved automatically. A warning
    resolved by hand stays resolved while its condition persists.
    """
    assessments = assess(as_of=as_of, thresholds=thresholds)
    run = SignalRun.objects.create(as_of=as_of, trigger=trigger, actor=actor)
    counts = {"people": len(assessments), "opened": 0, "updated": 0, "resolved": 0}
    people = [a.figures.person_id for a in assessments]
    latest: dict[tuple[int, str], WarningSign] = {}
    for warning in WarningSign.objects.filter(person_id__in=people).order_by("created_at", "pk"):
        latest[(warning.person_id, warning.kind)] = warning
    found: set[tuple[int, str]] = set()
    for assessment in assessments:
        person_id = assessment.figures.person_id
        for finding in assessment.findings:
            key = (person_id, finding.kind)
            found.add(key)
            warning = latest.get(key)
            if warning is not None and (warning.status in LIVE or warning.active):
                _write(warning, finding, assessment.period, as_of)
                warning.save()
                counts["updated"] += 1
                continue
            warning = WarningSign(
                person_id=person_id, kind=finding.kind, first_seen_on=as_of, last_seen_on=as_of
            )
            _write(warning, finding, assessment.period, as_of)
            warning.save()
            latest[key] = warning
            counts["opened"] += 1
    now = timezone.now()
    for key, warning in latest.items():
        if key in found or not warning.active:
            continue
        warning.active = False
        if warning.status in LIVE:
            warning.status = WarningStatus.RESOLVED
            warning.resolved_at = now
            warning.resolved_by = None
            warning.note = (warning.note + "\n" if warning.note else "") + (
                f"Resolved automatically on {as_of.isoformat()}: the condition cleared."
            )
            counts["resolved"] += 1
        warning.updated_at = now
        warning.save()
    run.counts = counts
    run.save(update_fields=["counts"])
    _store_assessments(run, assessments)
    audit_record(
        actor=actor,
        action="signals.run",
        obj=run,
        after={"as_of": as_of.isoformat(), "trigger": str(trigger), **counts},
    )
    return RunResult(run=run, assessments=assessments)


def _store_assessments(run: SignalRun, assessments: list[Assessment]) -> None:
    """Keep the diagnosis and the three rights of the run, one row per rep and day:
    the board and the scorecard read these rather than run the engine again."""
    PersonAssessment.objects.filter(as_of=run.as_of).delete()
    PersonAssessment.objects.bulk_create(
        [
            PersonAssessment(
                run=run,
                person_id=a.figures.person_id,
                as_of=run.as_of,
                period=a.period,
                cause=a.diagnosis.cause,
                effort=a.diagnosis.effort,
                message=a.diagnosis.message,
                next_step=a.diagnosis.next_step,
                evidence=a.diagnosis.evidence,
                rights=a.rights.as_dict(),
                undecided=[{"kind": u.kind, "reason": u.reason} for u in a.undecided],
            )
            for a in assessments
        ],
        batch_size=500,
    )


def _check_may_handle(actor: Person, warning: WarningSign) -> None:
    if not can_manage_person(actor, warning.person):
        raise SignalsError(
            "Only the person's managers and admins can acknowledge or resolve their warnings."
        )


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise SignalsError("Write a note: what was agreed, or why this is resolved.")
    if len(note) > MAX_NOTE:
        raise SignalsError(f"Keep the note under {MAX_NOTE} characters.")
    return note


@transaction.atomic
def warning_acknowledge(*, actor: Person, warning: WarningSign, note: str) -> WarningSign:
    """A manager has seen the warning and says what happens next (the note)."""
    _check_may_handle(actor, warning)
    if warning.status != WarningStatus.OPEN:
        raise SignalsError(f"This warning is {warning.get_status_display().lower()} already.")
    note = _clean_note(note, required=True)
    before = snapshot(warning, AUDITED)
    warning.status = WarningStatus.ACKNOWLEDGED
    warning.note = note
    warning.acknowledged_by = actor
    warning.acknowledged_at = timezone.now()
    warning.updated_at = warning.acknowledged_at
    warning.save()
    audit_record(
        actor=actor,
        action="warning.acknowledge",
        obj=warning,
        before=before,
        after=snapshot(warning, AUDITED),
    )
    return warning


@transaction.atomic
def warning_resolve(*, actor: Person, warning: WarningSign, note: str) -> WarningSign:
    """A manager closes the warning by hand, saying why."""
    _check_may_handle(actor, warning)
    if warning.status == WarningStatus.RESOLVED:
        raise SignalsError("This warning is resolved already.")
    note = _clean_note(note, required=True)
    before = snapshot(warning, AUDITED)
    warning.status = WarningStatus.RESOLVED
    warning.note = f"{warning.note}\n{note}".strip() if warning.note else note
    warning.resolved_by = actor
    warning.resolved_at = timezone.now()
    warning.updated_at = warning.resolved_at
    warning.save()
    audit_record(
        actor=actor,
        action="warning.resolve",
        obj=warning,
        before=before,
        after=snapshot(warning, AUDITED),
    )
    return warning


@transaction.atomic
def thresholds_update(*, actor: Person, changes: dict[str, Any]) -> Thresholds:
    """Change warning thresholds (admins only); `None` for a name restores its default.

    Every change is checked (a number, in its range, not crossing a related edge)
    before anything is written: one bad value changes nothing. The new values
    apply from the next run (nightly, after the sales data changed, or on demand)."""
    if not abilities.may(actor, abilities.ADMINISTER):
        raise SignalsError("Only admins change the warning thresholds.")
    unknown = sorted(set(changes) - set(INFO))
    if unknown:  # even to reset: a name nobody knows is a typo worth saying
        message = f"Unknown threshold {', '.join(unknown)}. Known ones: {', '.join(INFO)}."
        raise SignalsError(message, errors={"__all__": message})
    settings, _ = SignalSettings.objects.get_or_create(pk=1)
    before = dict(settings.thresholds)
    merged = {**before, **changes}
    merged = {name: value for name, value in merged.items() if value is not None}
    try:
        thresholds = Thresholds.from_overrides(merged)
    except ThresholdError as error:
        raise SignalsError(str(error), errors=error.errors) from None
    defaults = Thresholds().as_dict()
    settings.thresholds = {
        name: value for name, value in thresholds.as_dict().items() if value != defaults[name]
    }
    settings.save()
    audit_record(
        actor=actor,
        action="signals.thresholds",
        obj=settings,
        before={"thresholds": before},
        after={"thresholds": settings.thresholds},
    )
    return thresholds


def assessments_prune(*, today: date) -> int:
    """Forget the stored assessments older than KEEP_EVERY_DAY days, except those of the
    last day stored in each month of the organisation's calendar: a past month's,
    quarter's or year's board reads its end. Returns the rows deleted.

    A rep's assessment is a few kilobytes a day: a thousand reps kept every day would
    add about a gigabyte a year."""
    cutoff = today - timedelta(days=KEEP_EVERY_DAY)
    old_days = (
        PersonAssessment.objects.filter(as_of__lt=cutoff)
        .values_list("as_of", flat=True)
        .distinct()
        .order_by("as_of")
    )
    calendar = organisation_get().calendar
    month_ends: dict[str, date] = {}
    for day in old_days:  # in order: the last one of a month wins
        month_ends[calendar.period("month", day).label] = day
    deleted, _ = (
        PersonAssessment.objects.filter(as_of__lt=cutoff)
        .exclude(as_of__in=list(month_ends.values()))
        .delete()
    )
    return deleted
