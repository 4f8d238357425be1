"""Commitments: made for the people one may, judged by the data when they fall due
(at the edges: a holiday, data arriving late, a withdrawal), reported and confirmed,
and fed to the `missed_commitments` warning."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django_tasks_db.models import DBTaskResult

from accountable.audit.models import AuditEntry
from accountable.commitments import judge, selectors, services
from accountable.commitments.errors import CommitmentError
from accountable.commitments.models import Commitment, State
from accountable.commitments.tasks import commitments_rejudge
from accountable.crm.models import ActivityKind, Deal
from accountable.imports.pipeline import import_rows
from accountable.org.services import organisation_get
from accountable.signals.models import WarningSign
from accountable.signals.services import signals_run
from tests.crm.factories import ActivityFactory, DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_14_september():
    """The commitments below are made on Monday 14 September 2026."""
    with time_machine.travel(datetime(2026, 9, 14, 8, tzinfo=UTC), tick=False):
        yield


MON, FRI = date(2026, 9, 14), date(2026, 9, 18)


def meetings(person, days, first=True):
    for day in days:
        ActivityFactory(
            person=person,
            kind=ActivityKind.MEETING,
            channel="in_person",
            meeting_number=1 if first else 2,
            occurred_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
        )


def six_first_meetings(org, **extra):
    return services.commitment_add(
        actor=org.rep,
        person=org.rep,
        metric="first_meetings",
        value="6",
        start_on=MON,
        due_on=FRI,
        **extra,
    )


def test_a_metric_commitment_is_judged_by_the_data_once_its_day_is_over(org):
    commitment = six_first_meetings(org)
    meetings(org.rep, [MON, MON, date(2026, 9, 15), date(2026, 9, 16), FRI, FRI])
    meetings(org.rep, [date(2026, 9, 19)])  # the day after: not in the span
    assert services.commitments_judge(today=FRI) == 0  # still its day
    assert judge.standing(commitment, FRI) == judge.DUE_SOON
    assert services.commitments_judge(today=date(2026, 9, 19)) == 1
    commitment.refresh_from_db()
    assert (commitment.state, commitment.actual) == (State.MET, Decimal(6))
    entry = AuditEntry.objects.get(action="commitment.judge")
    assert entry.after["state"] == "met" and entry.actor is None


@pytest.mark.parametrize(
    ("held", "state"), [(5, State.PARTLY), (3, State.PARTLY), (2, State.MISSED)]
)
def test_short_of_the_value_is_partly_met_from_half_else_missed(org, held, state):
    commitment = six_first_meetings(org)
    meetings(org.rep, [MON] * held)
    services.commitments_judge(today=date(2026, 9, 21))
    commitment.refresh_from_db()
    assert commitment.state == state and commitment.actual == held


def test_due_on_a_holiday_counts_the_holiday_and_is_judged_the_day_after(org):
    holiday = date(2026, 12, 25)
    organisation = organisation_get()
    organisation.holiday_country = "GB"
    organisation.save()
    assert organisation.calendar.working_days_between(holiday, holiday) == 0
    commitment = services.commitment_add(
        actor=org.rep, person=org.rep, metric="calls", value=2,
        start_on=date(2026, 12, 21), due_on=holiday,
    )  # fmt: skip
    ActivityFactory(person=org.rep, occurred_at=datetime(2026, 12, 24, 9, tzinfo=UTC))
    ActivityFactory(person=org.rep, occurred_at=datetime(2026, 12, 25, 9, tzinfo=UTC))
    services.commitments_judge(today=holiday)
    assert Commitment.objects.get(pk=commitment.pk).state == State.OPEN
    services.commitments_judge(today=date(2026, 12, 26))
    assert Commitment.objects.get(pk=commitment.pk).state == State.MET


def test_data_arriving_late_judges_it_again(org, django_capture_on_commit_callbacks):
    commitment = six_first_meetings(org)
    meetings(org.rep, [MON] * 2)
    services.commitments_judge(today=date(2026, 9, 21))
    assert Commitment.objects.get(pk=commitment.pk).state == State.MISSED
    # Last week's meetings imported on Monday: the write announces the days, and once
    # it has committed the commitment is queued to be judged again (once, however many
    # changes the write announced).
    with time_machine.travel(datetime(2026, 9, 21, 8, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            meetings(org.rep, [date(2026, 9, 16)] * 4)
        queued = DBTaskResult.objects.filter(task_path__endswith="commitments_rejudge")
        assert [result.args_kwargs["args"] for result in queued] == [[[org.rep.pk]]]
        commitments_rejudge.call([org.rep.pk])
    judged = Commitment.objects.get(pk=commitment.pk)
    assert (judged.state, judged.actual) == (State.MET, Decimal(6))
    # Data for other days, or other people, judges nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        meetings(org.rep, [date(2026, 10, 1)])
        meetings(org.rep2, [date(2026, 9, 16)])
    assert queued.count() == 1


def test_a_withdrawn_commitment_is_never_judged_nor_counted(org):
    commitment = six_first_meetings(org)
    with pytest.raises(CommitmentError, match="Say why"):
        services.commitment_withdraw(actor=org.rep, commitment=commitment, reason=" ")
    services.commitment_withdraw(actor=org.manager, commitment=commitment, reason="Territory moved")
    services.commitments_judge(today=date(2026, 9, 30))
    commitment.refresh_from_db()
    assert commitment.state == State.WITHDRAWN and commitment.actual is None
    assert selectors.kept_record([org.rep.pk], date(2026, 9, 30)) == {}
    with pytest.raises(CommitmentError, match="withdrawn already"):
        services.commitment_withdraw(actor=org.rep, commitment=commitment, reason="again")


def test_a_deal_commitment_is_met_when_the_deal_is_won_in_time(org):
    ensure_pipeline()
    deal = DealFactory(owner=org.rep, name="Acme renewal")
    commitment = services.commitment_add(
        actor=org.rep, person=org.rep, deal=deal, due_on=date(2026, 9, 30)
    )
    assert commitment.what() == "win Acme renewal"
    deal.stage, deal.status, deal.closed_on = stage("Won"), "won", date(2026, 9, 29)
    deal.save()
    services.commitments_judge(today=date(2026, 10, 1))
    commitment.refresh_from_db()
    assert commitment.state == State.MET and commitment.actual == deal.amount
    other = DealFactory(owner=org.rep2)
    with pytest.raises(CommitmentError, match="not credited with that deal"):
        services.commitment_add(actor=org.rep, person=org.rep, deal=other, due_on=date(2026, 9, 30))


def test_a_free_text_commitment_is_reported_then_confirmed_by_the_manager(org):
    commitment = services.commitment_add(
        actor=org.manager, person=org.rep, text="Send the Globex proposal", due_on=FRI
    )
    assert commitment.created_by == org.manager
    with pytest.raises(PermissionDenied):
        services.commitment_report(actor=org.manager, commitment=commitment, done=True)
    services.commitment_report(actor=org.rep, commitment=commitment, done=True, note="Sent Thu")
    assert commitment.state == State.REPORTED
    with pytest.raises(PermissionDenied):
        services.commitment_confirm(actor=org.rep, commitment=commitment, done=True)
    with pytest.raises(PermissionDenied):
        services.commitment_confirm(actor=org.other_manager, commitment=commitment, done=True)
    services.commitment_confirm(actor=org.manager, commitment=commitment, done=True)
    assert commitment.state == State.MET and commitment.confirmed_by == org.manager
    assert commitment.report == "Sent Thu"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "one of them"),
        ({"text": "x", "metric": "calls", "value": 3}, "one of them"),
        ({"metric": "calls"}, "Say how many"),
        ({"metric": "calls", "value": "lots"}, 'not "lots"'),
        ({"metric": "calls", "value": "-3"}, "above 0"),
        ({"metric": "calls", "value": "1e40"}, "above 0"),
        ({"metric": "revenue_growth", "value": 3}, "not a metric a commitment"),
        ({"metric": "nonsense", "value": 3}, "not a metric a commitment"),
        ({"text": "x", "value": 3}, "A value goes with a metric"),
        ({"text": "x" * 301}, "300 characters"),
        ({"metric": "calls", "value": 3, "start_on": date(2026, 9, 30)}, "starts after"),
        ({"text": "x", "due_on": date(1066, 10, 14)}, "between"),
    ],
)
def test_a_bad_commitment_says_why_and_writes_nothing(org, kwargs, message):
    kwargs = {"due_on": FRI, **kwargs}
    with pytest.raises(CommitmentError, match=message):
        services.commitment_add(actor=org.rep, person=org.rep, **kwargs)
    assert not Commitment.objects.exists() and not AuditEntry.objects.exists()


def test_who_may_record_a_commitment_for_whom(org):
    services.commitment_add(actor=org.manager, person=org.rep, text="Call Initech", due_on=FRI)
    for actor, person in [
        (org.rep, org.rep2),
        (org.manager, org.other_rep),
        (org.executive, org.rep),
    ]:
        with pytest.raises(PermissionDenied):
            services.commitment_add(actor=actor, person=person, text="x", due_on=FRI)
    services.commitment_add(actor=org.admin, person=org.other_rep, text="x", due_on=FRI)


def test_a_rep_never_sees_another_reps_commitments(org):
    mine = services.commitment_add(actor=org.rep, person=org.rep, text="mine", due_on=FRI)
    theirs = services.commitment_add(actor=org.rep2, person=org.rep2, text="theirs", due_on=FRI)
    seen = [c.commitment for c in selectors.commitment_list(org.rep, as_of=MON)]
    assert seen == [mine]
    assert {c.commitment for c in selectors.commitment_list(org.manager, as_of=MON)} == {
        mine,
        theirs,
    }
    assert selectors.commitment_list(org.other_manager, as_of=MON) == []


def test_overdue_and_due_this_week(org):
    late = services.commitment_add(actor=org.rep, person=org.rep, text="late", due_on=MON)
    soon = services.commitment_add(actor=org.rep, person=org.rep, text="soon", due_on=FRI)
    services.commitment_add(actor=org.rep, person=org.rep, text="later", due_on=date(2026, 10, 30))
    today = date(2026, 9, 16)
    assert [c.commitment for c in selectors.due_this_week(org.rep, today)] == [late, soon]
    assert [c.commitment for c in selectors.overdue_in_team(org.manager, today)] == [late]
    assert judge.standing(late, today) == judge.OVERDUE


def test_two_missed_commitments_raise_the_warning(org):
    as_of = date(2026, 10, 5)
    for due in (date(2026, 9, 11), date(2026, 9, 25)):
        services.commitment_add(
            actor=org.rep, person=org.rep, metric="calls", value=50, start_on=due, due_on=due
        )
    services.commitments_judge(today=as_of)
    assert selectors.kept_record([org.rep.pk], as_of)[org.rep.pk] == selectors.Kept(0, 2)
    signals_run(as_of=as_of)
    warning = WarningSign.objects.get(person=org.rep, kind="missed_commitments")
    assert warning.evidence["due"] == 2 and warning.evidence["missed"] == 2
    assert not WarningSign.objects.filter(person=org.rep2, kind="missed_commitments").exists()


def test_a_deal_won_without_a_close_date_is_not_judged(org):
    ensure_pipeline()
    deal = DealFactory(owner=org.rep, name="Acme renewal")
    commitment = services.commitment_add(actor=org.rep, person=org.rep, deal=deal, due_on=FRI)
    Deal.objects.filter(pk=deal.pk).update(status="won", stage=stage("Won"), closed_on=None)
    commitment.refresh_from_db()
    assert judge.verdict(commitment, date(2026, 9, 21)).state is None
    assert services.commitments_judge(today=date(2026, 9, 21)) == 0


def test_a_decided_commitment_takes_no_more_reports(org):
    commitment = services.commitment_add(actor=org.rep, person=org.rep, text="x", due_on=FRI)
    services.commitment_withdraw(actor=org.rep, commitment=commitment, reason="moved on")
    with pytest.raises(CommitmentError, match="withdrawn already"):
        services.commitment_report(actor=org.rep, commitment=commitment, note="late note")


def test_a_commitment_is_judged_on_imported_data_and_again_when_an_import_comes_late(
    org, django_capture_on_commit_callbacks
):
    commitment = services.commitment_add(
        actor=org.rep, person=org.rep, metric="calls", value=3, start_on=MON, due_on=FRI
    )

    def calls(*days: str) -> list[dict[str, str]]:
        return [
            {"external_id": f"C-{day}-{n}", "owner_email": "rep@acme.test", "kind": "call",
             "occurred_at": f"{day} 10:0{n}"}
            for n, day in enumerate(days)
        ]  # fmt: skip

    import_rows(
        kind="activities", rows=calls("2026-09-14", "2026-09-17"), actor=org.admin, source="api"
    )
    with time_machine.travel(datetime(2026, 9, 21, 8, tzinfo=UTC), tick=False):
        services.commitments_judge()
        commitment.refresh_from_db()
        assert (commitment.state, commitment.actual) == (State.PARTLY, Decimal(2))
        # Friday's calls, imported on Monday: the import announces the days, and the
        # commitment is judged again once it has committed.
        with django_capture_on_commit_callbacks(execute=True):
            import_rows(kind="activities", rows=calls("2026-09-18"), actor=org.admin, source="api")
        [queued] = DBTaskResult.objects.filter(task_path__endswith="commitments_rejudge")
        commitments_rejudge.call(*queued.args_kwargs["args"])
    commitment.refresh_from_db()
    assert (commitment.state, commitment.actual) == (State.MET, Decimal(3))
