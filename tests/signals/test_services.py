"""Running the engine and handling warnings: no duplicates, auto-resolve, audited, scoped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404

from accountable.audit.models import AuditEntry
from accountable.crm.models import Feedback
from accountable.signals.models import SignalRun, SignalSettings, WarningSign, WarningStatus
from accountable.signals.selectors import thresholds_get, warning_get, warning_list
from accountable.signals.services import (
    SignalsError,
    signals_run,
    thresholds_update,
    warning_acknowledge,
    warning_resolve,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


def complain(person, *days_ago: int) -> None:
    for days in days_ago:
        Feedback.objects.create(
            person=person, kind=Feedback.Kind.COMPLAINT, received_on=AS_OF - timedelta(days)
        )


def complaints_of(person) -> list[WarningSign]:
    return list(WarningSign.objects.filter(person=person, kind="complaints").order_by("pk"))


def test_a_condition_opens_one_warning_and_later_runs_update_it(org):
    complain(org.rep, 10, 40)
    first = signals_run(as_of=AS_OF)
    assert first.counts["opened"] >= 1
    [warning] = complaints_of(org.rep)
    assert warning.status == WarningStatus.OPEN
    assert warning.severity == "medium"
    assert warning.period == "2026-Q3"
    assert warning.evidence["complaints_91d"] == 2
    assert warning.message == "2 customer complaints in the last 91 days, the latest on 2026-08-07."

    complain(org.rep, 3, 5)
    signals_run(as_of=AS_OF)
    [warning] = complaints_of(org.rep)  # still one: updated, not duplicated
    assert warning.evidence["complaints_91d"] == 4
    assert warning.severity == "high"
    assert warning.first_seen_on == AS_OF


def test_a_warning_resolves_itself_when_the_condition_clears(org):
    complain(org.rep, 10, 40)
    signals_run(as_of=AS_OF)
    result = signals_run(as_of=AS_OF + timedelta(days=60))  # the complaints are old now
    assert result.counts["resolved"] == 1
    [warning] = complaints_of(org.rep)
    assert warning.status == WarningStatus.RESOLVED
    assert warning.resolved_automatically
    assert "Resolved automatically on 2026-10-16" in warning.note


def test_resolved_by_hand_stays_resolved_until_the_condition_comes_back(org):
    complain(org.rep, 10, 40)
    signals_run(as_of=AS_OF)
    [warning] = complaints_of(org.rep)
    warning_resolve(actor=org.manager, warning=warning, note="Talked it through; agreed a plan.")
    signals_run(as_of=AS_OF + timedelta(days=1))
    [warning] = complaints_of(org.rep)
    assert warning.status == WarningStatus.RESOLVED and warning.active
    assert not warning.resolved_automatically

    signals_run(as_of=AS_OF + timedelta(days=120))  # cleared
    complain(org.rep, -118, -119)  # …and back again
    signals_run(as_of=AS_OF + timedelta(days=121))
    old, new = complaints_of(org.rep)
    assert old.status == WarningStatus.RESOLVED and not old.active
    assert new.status == WarningStatus.OPEN


def test_each_run_is_recorded_and_audited(org):
    result = signals_run(as_of=AS_OF, trigger=SignalRun.Trigger.NIGHTLY)
    assert result.run.counts["people"] == 4  # the four reps
    entry = AuditEntry.objects.get(action="signals.run")
    assert entry.after["trigger"] == "nightly"


def test_acknowledge_and_resolve_need_a_note_and_the_right_person(org):
    complain(org.rep, 10, 40)
    signals_run(as_of=AS_OF)
    [warning] = complaints_of(org.rep)
    with pytest.raises(SignalsError, match="Write a note"):
        warning_acknowledge(actor=org.manager, warning=warning, note="  ")
    for outsider in (org.other_manager, org.rep, org.rep2):
        with pytest.raises(SignalsError, match="managers and admins"):
            warning_acknowledge(actor=outsider, warning=warning, note="Seen.")
    warning_acknowledge(actor=org.manager, warning=warning, note="Seen; 1:1 on Thursday.")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED
    assert warning.acknowledged_by == org.manager
    with pytest.raises(SignalsError, match="acknowledged already"):
        warning_acknowledge(actor=org.manager, warning=warning, note="Again.")

    signals_run(as_of=AS_OF + timedelta(days=1))  # still there: stays acknowledged
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED

    warning_resolve(actor=org.north_boss, warning=warning, note="Customer called back, happy.")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RESOLVED
    assert warning.note == "Seen; 1:1 on Thursday.\nCustomer called back, happy."
    actions = list(
        AuditEntry.objects.filter(object_type="signals.warningsign").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["warning.acknowledge", "warning.resolve"]
    with pytest.raises(SignalsError, match="resolved already"):
        warning_resolve(actor=org.admin, warning=warning, note="Again.")


def test_warnings_are_read_only_by_those_who_may_see_the_person(org):
    complain(org.rep, 10, 40)
    complain(org.other_rep, 10, 40)
    signals_run(as_of=AS_OF)
    mine = complaints_of(org.rep)[0]

    def emails(viewer) -> set[str]:
        return {w.person.email for w in warning_list(viewer)}

    assert emails(org.manager) == {"rep@acme.test"}
    assert emails(org.other_manager) == {"otherrep@acme.test"}
    assert emails(org.executive) == {"rep@acme.test", "otherrep@acme.test"}
    assert emails(org.rep) == {"rep@acme.test"}
    assert emails(org.rep2) == set()
    assert warning_get(org.manager, mine.pk) == mine
    with pytest.raises(Http404):
        warning_get(org.other_manager, mine.pk)


def test_thresholds_are_changed_by_admins_only_and_audited(org):
    with pytest.raises(SignalsError, match="Only admins"):
        thresholds_update(actor=org.manager, changes={"complaints_count": 3})
    with pytest.raises(SignalsError, match="Unknown threshold"):
        thresholds_update(actor=org.admin, changes={"nonsense": 3})
    thresholds_update(actor=org.admin, changes={"complaints_count": 3})
    assert thresholds_get().complaints_count == 3
    assert SignalSettings.objects.get().thresholds == {"complaints_count": 3}
    assert AuditEntry.objects.filter(action="signals.thresholds").count() == 1

    complain(org.rep, 10, 40)
    signals_run(as_of=AS_OF)
    assert complaints_of(org.rep) == []  # two is under the organisation's three

    thresholds_update(actor=org.admin, changes={"complaints_count": None})
    assert thresholds_get().complaints_count == 2
