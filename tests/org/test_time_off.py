"""A person's time off: the working-day arithmetic, and recording it (who may, bad input)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from accountable.audit.models import AuditEntry
from accountable.org import selectors, services
from accountable.org.calendar import FiscalCalendar
from accountable.org.models import TimeOff
from accountable.org.services import OrgError
from accountable.org.time_off import (
    days_away,
    own_calendar,
    own_period,
    spans_overlap,
    working_days_of,
)

CAL = FiscalCalendar(holidays=frozenset({date(2026, 8, 31)}))  # a Monday bank holiday
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def spans(draw):
    first = draw(days)
    return first, first + timedelta(days=draw(st.integers(0, 40)))


def _walk(calendar, spans_, start, end) -> int:
    """The slow, obviously right count: day by day."""
    away = {d for a, b in spans_ for d in _each(a, b)}
    return sum(1 for d in _each(start, end) if calendar.is_working_day(d) and d not in away)


def _each(a: date, b: date):
    while a <= b:
        yield a
        a += timedelta(days=1)


@given(st.lists(spans(), max_size=4), days, st.integers(0, 120))
def test_working_days_of_a_person_count_day_by_day(spans_, start, length):
    end = start + timedelta(days=length)
    assert working_days_of(CAL, spans_, start, end) == _walk(CAL, spans_, start, end)


@given(st.lists(spans(), max_size=4), days, st.integers(0, 120))
def test_never_more_than_the_organisations_and_never_below_zero(spans_, start, length):
    end = start + timedelta(days=length)
    own = working_days_of(CAL, spans_, start, end)
    assert 0 <= own <= CAL.working_days_between(start, end)
    assert own == CAL.working_days_between(start, end) - sum(
        1 for d in days_away(spans_, start, end) if CAL.is_working_day(d)
    )


@given(st.lists(spans(), max_size=4), days, st.integers(0, 120))
def test_own_calendar_counts_the_same(spans_, start, length):
    end = start + timedelta(days=length)
    calendar = own_calendar(CAL, days_away(spans_, start - timedelta(1), end + timedelta(1)))
    assert calendar.working_days_between(start, end) == working_days_of(CAL, spans_, start, end)


def test_a_holiday_inside_time_off_is_not_taken_twice():
    # Mon 31 Aug is a bank holiday; a week off from it loses 4 more working days, not 5.
    week = (date(2026, 8, 31), date(2026, 9, 6))
    assert CAL.working_days_between(*week) == 4
    assert working_days_of(CAL, [week], *week) == 0
    assert working_days_of(CAL, [(date(2026, 8, 29), date(2026, 9, 1))], *week) == 3


def test_spans_overlap_when_they_share_a_day():
    a = (date(2026, 8, 3), date(2026, 8, 7))
    assert spans_overlap(a, (date(2026, 8, 7), date(2026, 8, 9)))
    assert not spans_overlap(a, (date(2026, 8, 8), date(2026, 8, 9)))


def test_own_period_keeps_the_period_but_counts_the_persons_days():
    quarter = CAL.parse("2026-Q3")
    mine = own_period(quarter, [(date(2026, 8, 3), date(2026, 8, 14))])
    assert mine == quarter and mine.label == "2026-Q3"
    assert mine.working_days == quarter.working_days - 10
    # At the end of two weeks away less of the quarter is expected of her: the days
    # she was away were not hers to sell on (23 of her 55 days against 33 of 65).
    as_of = date(2026, 8, 14)
    assert mine.elapsed_fraction(as_of) == 23 / 55
    assert quarter.elapsed_fraction(as_of) == 33 / 65
    august = next(m for m in mine.children("month") if m.label == "2026-08")
    assert august.working_days == CAL.parse("2026-08").working_days - 10
    assert own_period(quarter, []) is quarter


# --- recording -------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db
AUG = (date(2026, 8, 3), date(2026, 8, 7))


@pytestmark_db
def test_a_rep_records_their_own_time_off_and_it_is_audited(org):
    span, status = services.time_off_record(
        actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1], note="  Summer  "
    )
    assert status == "created" and span.note == "Summer" and span.created_by == org.rep
    entry = AuditEntry.objects.get(action="time_off.create", object_id=str(span.pk))
    assert entry.actor == org.rep and entry.after["first_day"] == "2026-08-03"


@pytestmark_db
@pytest.mark.parametrize(
    ("actor", "person", "allowed"),
    [
        ("rep", "rep", True),
        ("rep", "rep2", False),
        ("manager", "manager", True),
        ("manager", "rep", True),
        ("manager", "other_rep", False),
        ("north_boss", "inside_rep", True),
        ("executive", "executive", True),
        ("executive", "rep", False),
        ("admin", "other_rep", True),
    ],
)
def test_who_may_record_time_off(org, actor, person, allowed):
    who, whom = getattr(org, actor), getattr(org, person)
    if allowed:
        services.time_off_record(actor=who, person=whom, first_day=AUG[0], last_day=AUG[1])
        assert TimeOff.objects.filter(person=whom).count() == 1
        return
    with pytest.raises(PermissionDenied):
        services.time_off_record(actor=who, person=whom, first_day=AUG[0], last_day=AUG[1])
    assert not TimeOff.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="time_off").exists()


@pytestmark_db
@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2026, 8, 7), date(2026, 8, 3), "is before the first"),
        (date(1899, 12, 31), date(2026, 8, 3), "outside the calendar"),
        (date(2026, 8, 3), date(3000, 1, 1), "outside the calendar"),
    ],
)
def test_bad_days_are_refused_with_a_message(org, first, last, message):
    with pytest.raises(OrgError, match=message):
        services.time_off_record(actor=org.rep, person=org.rep, first_day=first, last_day=last)
    assert not TimeOff.objects.exists()


@pytestmark_db
def test_a_note_too_long_is_refused(org):
    with pytest.raises(OrgError, match="longer than 120"):
        services.time_off_record(
            actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1], note="x" * 121
        )


@pytestmark_db
def test_the_same_days_again_change_only_the_note(org):
    services.time_off_record(actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1])
    _, again = services.time_off_record(
        actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1]
    )
    assert again == "unchanged"
    span, noted = services.time_off_record(
        actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1], note="Beach"
    )
    assert noted == "updated" and span.note == "Beach"
    assert TimeOff.objects.count() == 1


@pytestmark_db
def test_overlapping_time_off_is_refused_and_says_with_what(org):
    services.time_off_record(
        actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1], note="Summer"
    )
    with pytest.raises(
        OrgError, match=r"already off from Mon 3 Aug 2026 to Fri 7 Aug 2026 \(Summer\)"
    ):
        services.time_off_record(
            actor=org.rep, person=org.rep, first_day=date(2026, 8, 7), last_day=date(2026, 8, 10)
        )
    # The day after is fine, and so is someone else on the same days.
    services.time_off_record(
        actor=org.rep, person=org.rep, first_day=date(2026, 8, 8), last_day=date(2026, 8, 10)
    )
    services.time_off_record(actor=org.manager, person=org.rep2, first_day=AUG[0], last_day=AUG[1])
    assert TimeOff.objects.count() == 3


@pytestmark_db
def test_removing_time_off_checks_the_actor_and_is_audited(org):
    span, _ = services.time_off_record(
        actor=org.rep, person=org.rep, first_day=AUG[0], last_day=AUG[1]
    )
    for outsider in (org.rep2, org.other_manager, org.executive):
        with pytest.raises(PermissionDenied):
            services.time_off_delete(actor=outsider, time_off=span)
    services.time_off_delete(actor=org.manager, time_off=span)
    assert not TimeOff.objects.exists()
    entry = AuditEntry.objects.get(action="time_off.delete")
    assert entry.actor == org.manager and entry.before["last_day"] == "2026-08-07"


@pytestmark_db
def test_lists_are_scoped_to_the_viewer(org):
    for person in (org.rep, org.rep2, org.other_rep, org.manager):
        services.time_off_record(actor=None, person=person, first_day=AUG[0], last_day=AUG[1])
    names = {
        who: sorted(s.person.name for s in selectors.time_off_list(getattr(org, who)))
        for who in ("rep", "manager", "other_manager", "executive")
    }
    assert names["rep"] == ["Rita Rep"]
    assert names["manager"] == ["Max Manager", "Rita Rep", "Rob Rep"]
    assert names["other_manager"] == ["Olga Other"]
    assert len(names["executive"]) == 4
    spans = selectors.time_off_spans(
        [org.rep.pk, org.other_rep.pk], date(2026, 8, 7), date(2026, 9, 1)
    )
    assert spans == {org.rep.pk: [AUG], org.other_rep.pk: [AUG]}
    assert selectors.time_off_spans([org.rep.pk], date(2026, 8, 8), date(2026, 9, 1)) == {}
