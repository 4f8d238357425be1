"""Reads of the signals app, always scoped to a viewer (`org.scoping`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accountable.audit.models import AuditEntry
from accountable.org.calendar import Period
from accountable.org.models import Person, Team
from accountable.org.scoping import can_manage_person, visible_people
from accountable.signals.engine import Assessment, assess, thresholds_get
from accountable.signals.models import (
    PersonAssessment,
    SignalRun,
    WarningSign,
    WarningStatus,
)
from accountable.signals.summaries import (
    BoardSignals,
    DiagnosisSummary,
    Flag,
    ScorecardSignals,
    evidence_rows,
    flags_sorted,
    rights_from,
    undecided_rows,
)

__all__ = [
    "assessment_list",
    "board_signals",
    "run_latest",
    "scorecard_signals",
    "thresholds_get",
    "warning_get",
    "warning_list",
]

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


# The status filters a list of warnings takes, by name (the page, the API, the CLI).
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "live": (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED),
    "open": (WarningStatus.OPEN,),
    "acknowledged": (WarningStatus.ACKNOWLEDGED,),
    "resolved": (WarningStatus.RESOLVED,),
    "all": (),
}


def warning_list(
    viewer: Person,
    *,
    statuses: tuple[str, ...] = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED),
    person: Person | None = None,
    team: Team | None = None,
) -> QuerySet[WarningSign]:
    """Warnings about the people the viewer may see, live ones by default; with `team`,
    only about people in that team or a team below it (as on the team's board)."""
    warnings = WarningSign.objects.filter(person__in=visible_people(viewer))
    if statuses:
        warnings = warnings.filter(status__in=statuses)
    if person is not None:
        warnings = warnings.filter(person=person)
    if team is not None:
        warnings = warnings.filter(person__team__in=Team.objects.subtree_of([team]))
    return warnings.select_related("person", "person__team").order_by("person__name", "kind", "-pk")


def warning_get(viewer: Person, pk: int) -> WarningSign:
    """One warning the viewer may see, or 404 (never a hint that it exists)."""
    warning = warning_list(viewer, statuses=()).filter(pk=pk).first()
    if warning is None:
        raise Http404("No such warning.")
    return warning


@dataclass(frozen=True)
class HistoryEvent:
    """One thing that happened to a warning: seen, acknowledged, resolved."""

    at: date
    what: str
    who: str = ""
    note: str = ""


@dataclass(frozen=True)
class WarningHistory:
    """What happened to a warning, oldest first, and the person's earlier warnings of
    the same kind (a pattern that comes back is worth knowing)."""

    events: list[HistoryEvent]
    earlier: list[WarningSign]


HANDLED = {"warning.acknowledge": "Acknowledged", "warning.resolve": "Resolved"}


def warning_history(viewer: Person, warning: WarningSign) -> WarningHistory:
    """The history of a warning the viewer may see (from its dates and the audit trail)."""
    events = [HistoryEvent(warning.first_seen_on, f"First seen, for {warning.period}")]
    entries = AuditEntry.objects.filter(
        object_type=WarningSign._meta.label_lower, object_id=str(warning.pk)
    ).select_related("actor")
    for entry in entries.order_by("at"):
        events.append(
            HistoryEvent(
                timezone.localdate(entry.at),
                HANDLED.get(entry.action, entry.action),
                who=str(entry.actor) if entry.actor else "",
                note=str(entry.after.get("note", "")),
            )
        )
    if warning.last_seen_on != warning.first_seen_on:
        events.append(
            HistoryEvent(warning.last_seen_on, "Last seen by the engine, evidence updated")
        )
    if warning.resolved_automatically and warning.resolved_at:
        events.append(
            HistoryEvent(timezone.localdate(warning.resolved_at), "Resolved: the condition cleared")
        )
    earlier = list(
        warning_list(viewer, statuses=())
        .filter(person=warning.person, kind=warning.kind, first_seen_on__lt=warning.first_seen_on)
        .order_by("-first_seen_on")[:10]
    )
    return WarningHistory(sorted(events, key=lambda e: e.at), earlier)


def run_latest(as_of: date | None = None) -> SignalRun | None:
    """The latest engine run (for `as_of`, when given)."""
    runs = SignalRun.objects.all()
    if as_of is not None:
        runs = runs.filter(as_of=as_of)
    return runs.first()


def assessment_list(
    viewer: Person, *, as_of: date, person: Person | None = None
) -> list[Assessment]:
    """The engine's diagnosis and three rights for the reps the viewer may see
    (benchmarks still use the whole team). Computed on demand: nothing stored."""
    people = visible_people(viewer)
    if person is not None:
        people = people.filter(pk=person.pk)
    ids = list(people.values_list("pk", flat=True))
    if not ids:
        return []
    return sorted(assess(as_of=as_of, people=ids), key=lambda a: a.figures.name)


# How old a stored judgement may be and still stand for a day: the nightly run makes
# it a day at most; a week covers a worker that stopped over a long weekend.
STALE_DAYS = 7
LIVE = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)


def _judged_day(period: Period, as_of: date) -> date:
    """The day the signals speak for: `as_of`, or the period's last day once it is over
    (the same "to date" as the scorecards)."""
    return min(as_of, period.end)


def _stored_day(day: date) -> date | None:
    """The latest day on or before `day` (within STALE_DAYS) with stored judgements."""
    return PersonAssessment.objects.filter(
        as_of__lte=day, as_of__gt=day - timedelta(days=STALE_DAYS)
    ).aggregate(day=Max("as_of"))["day"]


def _live_warnings(ids: list[int], day: date) -> QuerySet[WarningSign]:
    """The warnings that stood on `day`: the live ones when `day` is the latest run's day
    or later; for an earlier day, those the engine saw then and no one had resolved by
    then (their status is today's)."""
    warnings = WarningSign.objects.filter(person_id__in=ids)
    latest = SignalRun.objects.aggregate(day=Max("as_of"))["day"]
    if latest is None or day >= latest:
        return warnings.filter(status__in=LIVE)
    return warnings.filter(first_seen_on__lte=day, last_seen_on__gte=day).exclude(
        Q(status=WarningStatus.RESOLVED) & Q(resolved_at__date__lt=day)
    )


def _visible_ids(viewer: Person, people: Iterable[Person | int]) -> list[int]:
    wanted = {p if isinstance(p, int) else p.pk for p in people}
    if not wanted:
        return []
    return list(visible_people(viewer).filter(pk__in=wanted).values_list("pk", flat=True))


def board_signals(
    viewer: Person, people: Iterable[Person | int], *, period: Period, as_of: date
) -> dict[int, BoardSignals]:
    """{person id: their board signals} for the `people` (or ids) the viewer may see;
    the others are left out. Reads what the last run stored — it never runs the engine,
    which reads the whole organisation to benchmark anyone (seconds at a few hundred
    reps) — so a person not judged yet has no rights or cause (`judged_on` None).
    Four or five queries, however many people."""
    ids = _visible_ids(viewer, people)
    if not ids:
        return {}
    day = _judged_day(period, as_of)
    stored_day = _stored_day(day)
    judged: dict[int, tuple] = {}
    if stored_day is not None:
        rows = PersonAssessment.objects.filter(as_of=stored_day, person_id__in=ids)
        for person_id, cause, effort, rights in rows.values_list(
            "person_id", "cause", "effort", "rights"
        ):
            judged[person_id] = (cause, effort, rights_from(rights))
    flags: dict[int, list[Flag]] = {pk: [] for pk in ids}
    for pk, person_id, kind, severity, status, period_label in _live_warnings(ids, day).values_list(
        "pk", "person_id", "kind", "severity", "status", "period"
    ):
        flags[person_id].append(Flag(pk, kind, severity, status, period_label))
    result = {}
    for pk in ids:
        cause, effort, rights = judged.get(pk, ("", "", ()))
        result[pk] = BoardSignals(
            person_id=pk,
            flags=flags_sorted(flags[pk]),
            rights=rights,
            cause=cause,
            effort=effort,
            judged_on=stored_day if pk in judged else None,
        )
    return result


def scorecard_signals(
    viewer: Person, person: Person, *, period: Period, as_of: date
) -> ScorecardSignals:
    """The scorecard's signals for one person the viewer may see (else 404): their live
    warnings with evidence, the diagnosis and the three rights with evidence. Reads the
    stored judgement of the day; with none (no run within STALE_DAYS of it) the engine
    runs for this page, which costs what a run costs."""
    if not visible_people(viewer).filter(pk=person.pk).exists():
        raise Http404("No such person.")
    day = _judged_day(period, as_of)
    stored_day = _stored_day(day)
    computed = False
    diagnosis, rights, label = None, (), ""
    undecided: tuple[tuple[str, str], ...] = ()
    row = (
        PersonAssessment.objects.filter(as_of=stored_day, person=person).first()
        if stored_day is not None
        else None
    )
    if row is not None:
        diagnosis = DiagnosisSummary(
            row.cause, row.effort, row.message, row.next_step, evidence_rows(row.evidence)
        )
        rights = rights_from(row.rights, with_evidence=True)
        undecided = undecided_rows(row.undecided)
        label, judged_on = row.period, row.as_of
    elif stored_day is not None:
        judged_on = None  # judged that day, but not this person (not a rep then)
    else:
        found = assess(as_of=day, people=[person.pk])
        computed, judged_on = True, day
        if found:
            a = found[0]
            d = a.diagnosis
            diagnosis = DiagnosisSummary(
                d.cause, d.effort, d.message, d.next_step, evidence_rows(d.evidence)
            )
            rights, label = rights_from(a.rights.as_dict(), with_evidence=True), a.period
            undecided = undecided_rows([{"kind": u.kind, "reason": u.reason} for u in a.undecided])
        else:
            judged_on = None
    flags = [
        Flag(
            w.pk,
            w.kind,
            w.severity,
            w.status,
            w.period,
            message=w.message,
            evidence=evidence_rows(w.evidence, w.kind),
            first_seen_on=w.first_seen_on,
        )
        for w in _live_warnings([person.pk], day)
    ]
    return ScorecardSignals(
        person_id=person.pk,
        name=person.name,
        flags=flags_sorted(flags),
        diagnosis=diagnosis,
        rights=rights,
        period=label,
        judged_on=judged_on,
        computed=computed,
        can_handle=can_manage_person(viewer, person),
        undecided=undecided,
    )
