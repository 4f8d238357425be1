"""What the board and the scorecard read from signals: stored judgements, scoped, cheap."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404

from accountable.crm.models import Feedback
from accountable.org.models import Role
from accountable.org.services import organisation_get
from accountable.signals.models import PersonAssessment, WarningSign, WarningStatus
from accountable.signals.selectors import board_signals, scorecard_signals
from accountable.signals.services import signals_run, warning_acknowledge, warning_resolve
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


def quarter(day: date = AS_OF):
    return organisation_get().calendar.period("quarter", day)


def complain(person, *days_ago: int, as_of: date = AS_OF) -> None:
    for days in days_ago:
        Feedback.objects.create(
            person=person, kind=Feedback.Kind.COMPLAINT, received_on=as_of - timedelta(days)
        )


@pytest.fixture
def judged(org):
    complain(org.rep, 3, 30, 40, 50)  # four: high severity
    complain(org.other_rep, 3, 30)
    signals_run(as_of=AS_OF)
    return org


def test_a_run_stores_each_reps_diagnosis_and_rights_once_a_day(judged):
    rows = PersonAssessment.objects.filter(as_of=AS_OF)
    assert rows.count() == 4  # the four reps
    signals_run(as_of=AS_OF)
    assert PersonAssessment.objects.filter(as_of=AS_OF).count() == 4
    row = rows.get(person=judged.rep)
    # No activity and no deals: not enough data to judge, never "none" or a pass …
    assert (row.cause, row.effort) == ("unknown", "unknown")
    assert row.message.startswith("Not enough history to judge yet: no touches logged")
    assert set(row.rights) == {"right_thing", "right_way", "right_time"}
    assert row.rights["right_thing"]["status"] == "unknown"
    assert row.rights["right_time"]["status"] == "unknown"
    assert row.rights["right_way"]["status"] == "fail"  # … but complaints are facts


def test_the_board_shows_flags_rights_and_cause_for_the_people_the_viewer_may_see(judged):
    org = judged
    people = [org.rep, org.rep2, org.other_rep, org.manager]
    found = board_signals(org.manager, people, period=quarter(), as_of=AS_OF)
    assert set(found) == {org.rep.pk, org.rep2.pk, org.manager.pk}  # not the other region
    rita = found[org.rep.pk]
    assert [(f.kind, f.severity, f.short_label) for f in rita.flags] == [
        ("complaints", "high", "complaints")
    ]
    assert [r.name for r in rita.rights] == ["thing", "way", "time"]
    assert rita.rights[1].status == "fail" and rita.rights[1].mark == "○"
    assert [r.status for r in rita.rights] == ["unknown", "fail", "unknown"]
    assert rita.rights[0].mark == "?" and "not enough data" in rita.rights[0].words
    assert (rita.cause, rita.effort) == ("unknown", "unknown")
    assert rita.judged_on == AS_OF
    assert found[org.rep2.pk].flags == ()
    assert found[org.manager.pk].judged_on is None  # managers are not judged
    assert found[org.manager.pk].rights == ()


def test_a_board_of_many_takes_as_many_queries_as_a_board_of_one(
    judged, django_assert_max_num_queries
):
    org = judged
    extra = [PersonFactory(team=org.north_field, role=Role.REP) for _ in range(12)]
    for person in extra:
        complain(person, 3, 30)
    signals_run(as_of=AS_OF)
    with django_assert_max_num_queries(8) as one:
        board_signals(org.manager, [org.rep], period=quarter(), as_of=AS_OF)
    with django_assert_max_num_queries(len(one.captured_queries)):
        many = board_signals(org.manager, [org.rep, *extra], period=quarter(), as_of=AS_OF)
    assert len(many) == 13
    assert all(s.flags and s.rights for s in many.values())


def test_acknowledged_warnings_stay_and_resolved_ones_go(judged):
    org = judged
    warning = WarningSign.objects.get(person=org.rep)
    warning_acknowledge(actor=org.manager, warning=warning, note="1:1 on Thursday.")
    found = board_signals(org.manager, [org.rep], period=quarter(), as_of=AS_OF)[org.rep.pk]
    assert found.flags[0].acknowledged and found.open_count == 0
    warning_resolve(actor=org.manager, warning=warning, note="Settled.")
    found = board_signals(org.manager, [org.rep], period=quarter(), as_of=AS_OF)[org.rep.pk]
    assert found.flags == ()


def test_an_earlier_day_shows_what_stood_then(judged):
    org = judged
    later = AS_OF + timedelta(days=28)
    signals_run(as_of=later)  # the complaints are still within 91 days
    complain(org.rep2, 1, 2, as_of=later)
    signals_run(as_of=later)
    period = quarter(later)
    today = board_signals(org.admin, [org.rep, org.rep2], period=period, as_of=later)
    assert today[org.rep2.pk].flags  # new
    then = board_signals(org.admin, [org.rep, org.rep2], period=quarter(), as_of=AS_OF)
    assert then[org.rep.pk].flags and then[org.rep2.pk].flags == ()
    assert then[org.rep.pk].judged_on == AS_OF


def test_a_past_period_is_judged_on_its_last_day(judged):
    org = judged
    period = quarter()
    signals_run(as_of=period.end)
    found = board_signals(org.admin, [org.rep], period=period, as_of=period.end + timedelta(40))
    assert found[org.rep.pk].judged_on == period.end


def test_the_board_never_runs_the_engine(org, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        found = board_signals(org.admin, [org.rep], period=quarter(), as_of=AS_OF)
    assert found[org.rep.pk].judged_on is None and found[org.rep.pk].rights == ()


def test_the_scorecard_has_the_diagnosis_rights_and_warnings_with_evidence(judged):
    org = judged
    card = scorecard_signals(org.manager, org.rep, period=quarter(), as_of=AS_OF)
    assert card.diagnosis is not None and card.diagnosis.next_step
    assert card.diagnosis.evidence  # the figures it used
    assert card.rights[1].status == "fail" and card.rights[1].evidence
    assert card.flags[0].message.startswith("4 customer complaints")
    assert ("Complaints, last 91 days", "4") in card.flags[0].evidence
    assert card.can_handle and not card.computed and card.judged_on == AS_OF
    own = scorecard_signals(org.rep, org.rep, period=quarter(), as_of=AS_OF)
    assert not own.can_handle


def test_the_scorecards_warning_evidence_says_the_threshold_in_its_unit(judged):
    org = judged
    card = scorecard_signals(org.manager, org.rep, period=quarter(), as_of=AS_OF)
    assert ("Threshold", "2") in card.flags[0].evidence  # complaints: a count
    WarningSign.objects.filter(pk=card.flags[0].pk).update(
        kind="low_activity", evidence={"threshold": 0.7}
    )
    card = scorecard_signals(org.manager, org.rep, period=quarter(), as_of=AS_OF)
    assert card.flags[0].evidence == (("Threshold", "70%"),)  # a share of the team median


def test_the_scorecard_of_someone_out_of_sight_is_a_404(judged):
    with pytest.raises(Http404):
        scorecard_signals(judged.manager, judged.other_rep, period=quarter(), as_of=AS_OF)


def test_with_nothing_stored_the_scorecard_works_it_out(org):
    complain(org.rep, 3, 30)
    card = scorecard_signals(org.manager, org.rep, period=quarter(), as_of=AS_OF)
    assert card.computed and card.judged_on == AS_OF
    assert card.diagnosis is not None and len(card.rights) == 3
    assert card.flags == ()  # warnings are only what a run stored
    assert not PersonAssessment.objects.exists()  # a read writes nothing


def test_a_stale_judgement_is_not_used(judged):
    later = AS_OF + timedelta(days=30)
    found = board_signals(judged.admin, [judged.rep], period=quarter(later), as_of=later)
    assert found[judged.rep.pk].judged_on is None
    assert WarningSign.objects.filter(status=WarningStatus.OPEN).exists()
