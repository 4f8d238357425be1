"""Reading check-ins, scoped to the viewer (the person, their managers, executives and
admins see a person's check-ins; a rep never another rep's), and the agenda each meeting
is prepared with.

Private notes are shown only to whoever may run the person's check-ins (their manager
chain, an admin): `may_see_private`. No page, export or API answer the person can reach
carries them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accountable.checkins.models import (
    ActionItem,
    ActionState,
    AgendaItem,
    CheckIn,
    CheckinState,
    SelfReport,
)
from accountable.checkins.services import may_run
from accountable.commitments.judge import standing
from accountable.commitments.models import Commitment
from accountable.core.local_day import day_start
from accountable.org.calendar import Kind
from accountable.org.models import Person
from accountable.org.scoping import visible_people
from accountable.org.services import organisation_get
from accountable.scorecards import metrics
from accountable.scorecards.rows import ScoreRow
from accountable.scorecards.selectors import scorecard_rows
from accountable.signals.selectors import scorecard_signals
from accountable.signals.summaries import ScorecardSignals

FIRST_LOOK_BACK = 14  # days the first check-in looks back over


def visible(viewer: Person) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(person__in=visible_people(viewer)).select_related(
        "person", "manager"
    )


def checkin_get(viewer: Person, pk: int) -> CheckIn:
    found = visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("No such check-in among those you may see.")
    return found


def may_see_private(viewer: Person, checkin: CheckIn) -> bool:
    return viewer.pk != checkin.person_id and may_run(viewer, checkin.person)


def next_checkins(viewer: Person, people: Iterable[int], today: date) -> dict[int, CheckIn]:
    """{person id: their next check-in} for those of `people` the viewer may see: what the
    board, the scorecard and the home page show (`soonest_scheduled`)."""
    return soonest_scheduled(visible(viewer), people, today)


def soonest_scheduled(
    checkins: QuerySet[CheckIn], people: Iterable[int], today: date
) -> dict[int, CheckIn]:
    """{person id: the soonest of `checkins` still scheduled, from the start of `today`
    on} for `people` — a meeting earlier today not yet marked held still counts; one
    query."""
    found: dict[int, CheckIn] = {}
    coming = checkins.filter(
        person_id__in=list(people), state=CheckinState.SCHEDULED, starts_at__gte=day_start(today)
    )
    for checkin in coming.order_by("person_id", "starts_at", "pk"):
        found.setdefault(checkin.person_id, checkin)
    return found


def actions_visible(viewer: Person) -> QuerySet[ActionItem]:
    """Action items about people the viewer may see, and those they own."""
    return ActionItem.objects.filter(
        Q(about__in=visible_people(viewer)) | Q(owner=viewer)
    ).select_related("owner", "about")


@dataclass(frozen=True)
class Agenda:
    """What a check-in is prepared with: numbers since the last one against pace, open
    warnings with the diagnosis and the three rights, commitments due and how they went,
    open action items, the last meeting's notes, and what either side added."""

    checkin: CheckIn
    since: date
    until: date
    row: ScoreRow | None
    activity: metrics.Counts
    signals: ScorecardSignals | None
    commitments: list[tuple[Commitment, str]] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    last: CheckIn | None = None
    items: list[AgendaItem] = field(default_factory=list)
    report: SelfReport | None = None  # the person's latest self-report
    private: bool = False  # whether the last meeting's private notes may be shown

    def as_dict(self) -> dict:
        """The agenda as JSON (without private notes: `accountable checkin agenda`)."""
        row = self.row.as_dict() if self.row else None
        keep = ("won_amount", "target", "attainment", "pace", "gap_to_pace", "required_weekly")
        return {
            "person": self.checkin.person.email,
            "manager": self.checkin.manager.email,
            "starts_at": self.checkin.starts_at.isoformat(),
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "numbers": {k: row[k] for k in keep} if row else None,
            "activity_since": {
                "calls": self.activity.calls,
                "meetings": self.activity.meetings,
                "first_meetings": self.activity.first_meetings,
                "prospecting": self.activity.prospecting,
                "emails": self.activity.emails,
            },
            "warnings": [
                {"kind": f.kind, "severity": f.severity, "message": f.message}
                for f in (self.signals.flags if self.signals else ())
            ],
            "diagnosis": self.signals.diagnosis.message
            if self.signals and self.signals.diagnosis
            else None,
            "commitments": [
                {"what": c.what(), "due": c.due_on.isoformat(), "state": s}
                for c, s in self.commitments
            ],
            "actions": [
                {
                    "text": a.text,
                    "owner": a.owner.email,
                    "due": a.due_on.isoformat(),
                    "state": a.state,
                }
                for a in self.actions
            ],
            "last_notes": self.last.shared_notes if self.last else None,
            "items": [i.text for i in self.items],
            "self_report": {
                "due": self.report.due_on.isoformat(),
                "went_well": self.report.went_well,
                "went_badly": self.report.went_badly,
                "next_step": self.report.next_step,
                "need": self.report.need,
            }
            if self.report
            else None,
        }


def agenda(viewer: Person, checkin: CheckIn, today: date | None = None) -> Agenda:
    """The prepared agenda of `checkin` as the viewer sees it (the person's own numbers
    need the viewer to see the person: 404 otherwise)."""
    today = today or timezone.localdate()
    person = checkin.person
    last = (
        CheckIn.objects.filter(
            person=person, state=CheckinState.HELD, starts_at__lt=checkin.starts_at
        )
        .order_by("-starts_at")
        .first()
    )
    until = min(today, timezone.localdate(checkin.starts_at))
    since = last.held_on if last and last.held_on else until - timedelta(days=FIRST_LOOK_BACK)
    period = organisation_get().calendar.period(Kind.QUARTER, until)
    rows = scorecard_rows(viewer, period=period, as_of=until, person=person)
    counted = metrics.counts([person.pk], since, until).get(person.pk) or metrics.Counts()
    commitments = Commitment.objects.filter(
        person=person, due_on__gte=since, due_on__lte=until + timedelta(days=7)
    ).select_related("deal")
    return Agenda(
        checkin=checkin,
        since=since,
        until=until,
        row=rows[0] if rows else None,
        activity=counted,
        signals=scorecard_signals(viewer, person, period=period, as_of=until)
        if person.role == "rep"
        else None,
        commitments=[(c, standing(c, today)) for c in commitments.order_by("due_on")],
        actions=list(
            ActionItem.objects.filter(about=person, state=ActionState.OPEN)
            .select_related("owner")
            .order_by("due_on")
        ),
        last=last,
        items=list(checkin.items.select_related("added_by")) if checkin.pk else [],
        report=SelfReport.objects.filter(person=person, due_on__lte=until).first(),
        private=may_see_private(viewer, checkin),
    )
