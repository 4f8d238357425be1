"""Weekly forecasts: submitted for the open week, locked at its deadline, adjusted by the
manager in a layer of their own, and their accuracy, stated with what it rests on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accountable.audit.models import AuditEntry
from accountable.forecasts import selectors, services, weeks
from accountable.forecasts.errors import ForecastError
from accountable.forecasts.models import ForecastSubmission
from accountable.org.services import organisation_get
from accountable.scorecards.selectors import scorecard_rows
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 8, 4, 9, tzinfo=UTC)  # week of Mon 3 Aug, locking Fri 7 Aug 17:00
SATURDAY = datetime(2026, 8, 8, 9, tzinfo=UTC)


def won(person, amount, on):
    ensure_pipeline()
    DealFactory(owner=person, stage=stage("Won"), amount=Decimal(amount), closed_on=on)


def submit(org, person=None, **figures):
    person = person or org.rep
    figures = {"period": "2026-Q3", "commit": 100, "best_case": 150, **figures}
    return services.forecast_submit(actor=person, person=person, **figures)


def test_a_forecast_is_for_the_open_week_and_replaced_until_its_deadline(org):
    with time_machine.travel(TUESDAY, tick=False):
        first = submit(org, commit=100, best_case=150)
        again = submit(org, commit=120, best_case=150, note="Globex moved up")
    assert first.pk == again.pk and again.week_of == date(2026, 8, 3)
    assert (again.commit, again.note) == (Decimal(120), "Globex moved up")
    assert weeks.deadline(date(2026, 8, 3)).date() == date(2026, 8, 7)
    with time_machine.travel(SATURDAY, tick=False):
        later = submit(org, commit=130, best_case=160)
    assert later.week_of == date(2026, 8, 10)  # the week of the 3rd is locked
    assert ForecastSubmission.objects.get(week_of=date(2026, 8, 3)).commit == 120
    assert AuditEntry.objects.filter(action="forecast.submit").count() == 3


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"commit": 200, "best_case": 150}, "best case includes the commit"),
        ({"commit": "lots"}, 'not "lots"'),
        ({"commit": -1}, "from 0 up"),
        ({"best_case": "1e20"}, "from 0 up"),
        ({"period": "2026-W32"}, "not 2026-W32"),
        ({"period": "someday"}, "someday"),
        ({"period": "2026-Q2"}, "was over before"),
    ],
)
def test_a_bad_forecast_says_why_and_writes_nothing(org, figures, message):
    with time_machine.travel(TUESDAY, tick=False), pytest.raises(ForecastError, match=message):
        submit(org, **figures)
    assert not ForecastSubmission.objects.exists()


def test_commit_includes_what_is_won_already(org):
    won(org.rep, 500, date(2026, 7, 20))
    with time_machine.travel(TUESDAY, tick=False):
        with pytest.raises(ForecastError, match=r"won already in 2026-Q3 \(500.00\)"):
            submit(org, commit=400, best_case=600)
        assert submit(org, commit=500, best_case=600).commit == 500


def test_only_the_person_submits_and_only_their_manager_adjusts(org):
    with time_machine.travel(TUESDAY, tick=False):
        with pytest.raises(PermissionDenied):
            services.forecast_submit(
                actor=org.manager, person=org.rep, period="2026-Q3", commit=1, best_case=1
            )
        mine = submit(org)
        with pytest.raises(PermissionDenied):
            services.forecast_adjust(
                actor=org.rep, submission=mine, commit=90, best_case=90, note="x"
            )
        with pytest.raises(PermissionDenied):
            services.forecast_adjust(
                actor=org.other_manager, submission=mine, commit=90, best_case=90, note="x"
            )
        with pytest.raises(ForecastError, match="Say why"):
            services.forecast_adjust(
                actor=org.manager, submission=mine, commit=90, best_case=90, note=""
            )
        adjusted = services.forecast_adjust(
            actor=org.manager, submission=mine, commit=80, best_case=140, note="Initech slips"
        )
    mine.refresh_from_db()
    assert mine.commit == 100 and adjusted.commit == 80  # the rep's figure stays
    with time_machine.travel(SATURDAY, tick=False):
        with pytest.raises(ForecastError, match="locked"):
            services.forecast_adjust(
                actor=org.manager, submission=mine, commit=70, best_case=70, note="late"
            )
        rows = selectors.latest(
            org.manager, [org.rep, org.rep2], organisation_get().calendar.parse("2026-Q3")
        )
    assert [(r.person, r.called, r.stale, r.locked) for r in rows] == [
        (org.rep, Decimal(80), False, True),
        (org.rep2, None, True, False),
    ]


def _history(org, person, commits, weeks_of):
    for commit, week in zip(commits, weeks_of, strict=True):
        services.forecast_submit(
            actor=None, person=person, period="2026-Q3", commit=commit, best_case=commit, week=week
        )


def test_accuracy_shows_who_over_calls_and_who_sandbags(org):
    won(org.rep, 1000, date(2026, 9, 10))
    won(org.rep2, 1000, date(2026, 9, 11))
    days = [date(2026, 7, 6), date(2026, 8, 3), date(2026, 9, 7)]
    _history(org, org.rep, [1500, 1200, 1100], days)  # over-calls
    _history(org, org.rep2, [500, 800, 900], days)  # sandbags
    q3 = organisation_get().calendar.parse("2026-Q3")
    early = selectors.accuracy([org.rep.pk], q3, today=date(2026, 9, 30))[org.rep.pk]
    assert early.mean_abs_error is None and "not over" in early.why
    found = selectors.accuracy([org.rep.pk, org.rep2.pk], q3, today=date(2026, 10, 1))
    over, under = found[org.rep.pk], found[org.rep2.pk]
    assert (over.submissions, over.won) == (3, Decimal(1000))
    assert over.mean_abs_error == pytest.approx((0.5 + 0.2 + 0.1) / 3)
    assert over.bias == pytest.approx((0.5 + 0.2 + 0.1) / 3)
    assert under.bias == pytest.approx(-(0.5 + 0.2 + 0.1) / 3)
    team = selectors.team_accuracy([org.rep.pk, org.rep2.pk], q3, today=date(2026, 10, 1))
    assert team.submissions == 6 and team.won == 2000  # what the two won, together
    assert team.mean_abs_error == pytest.approx(1600 / 6000) and team.bias == pytest.approx(0)


def test_no_accuracy_without_anything_won(org):
    _history(org, org.rep, [100], [date(2026, 7, 6)])
    q3 = organisation_get().calendar.parse("2026-Q3")
    nothing = selectors.accuracy([org.rep.pk], q3, today=date(2026, 10, 1))[org.rep.pk]
    assert nothing.mean_abs_error is None and "nothing was won" in nothing.why


def test_a_rep_never_sees_another_reps_forecasts(org):
    with time_machine.travel(TUESDAY, tick=False):
        submit(org)
        submit(org, person=org.rep2)
    assert [s.person for s in selectors.visible(org.rep)] == [org.rep]
    assert {s.person for s in selectors.visible(org.manager)} == {org.rep, org.rep2}
    assert not selectors.visible(org.other_manager).exists()


def test_a_call_names_the_deals_behind_it_among_the_persons_open_ones(org):
    ensure_pipeline()
    mine = DealFactory(owner=org.rep, name="Acme", expected_close_on=date(2026, 9, 20))
    theirs = DealFactory(owner=org.rep2, name="Globex", expected_close_on=date(2026, 9, 20))
    with time_machine.travel(TUESDAY, tick=False):
        q3 = organisation_get().calendar.parse("2026-Q3")
        assert list(selectors.open_deals_closing(org.rep, q3, date(2026, 8, 4))) == [mine]
        call = submit(org, deals=[mine])
        assert list(call.deals.all()) == [mine]
        with pytest.raises(ForecastError, match="credited to the person"):
            submit(org, deals=[theirs])
    assert list(ForecastSubmission.objects.get().deals.all()) == [mine]


def test_minus_zero_is_zero(org):
    assert str(services.amount("-0", "commit")) == "0.00"


def test_what_a_call_goes_on_is_the_boards_own_figures(org):
    ensure_pipeline()
    won(org.rep, 500, date(2026, 7, 20))
    DealFactory(owner=org.rep, stage=stage("Proposal"), amount=Decimal("10000.00"),
                expected_close_on=date(2026, 9, 20))  # fmt: skip
    q3 = organisation_get().calendar.parse("2026-Q3")
    with time_machine.travel(TUESDAY, tick=False):
        guide = selectors.guidance([org.rep.pk], q3, date(2026, 8, 4))
        [row] = scorecard_rows(org.admin, period=q3, as_of=date(2026, 8, 4), person=org.rep)
    assert guide.weighted == row.weighted_pipeline == Decimal("5000.00")
    assert guide.projection == row.projected_with_pipeline
    assert guide.by_category == {"best_case": Decimal("10000.00")}
