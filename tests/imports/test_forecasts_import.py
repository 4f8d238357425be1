"""`accountable import forecasts FILE`: past weekly calls from a spreadsheet, the same
service as a call made on the page; their accuracy then reads them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from accountable.forecasts import selectors
from accountable.forecasts.models import ForecastSubmission
from accountable.imports.errors import ImportFileError
from accountable.imports.pipeline import import_rows
from accountable.org.services import organisation_get
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

FILE = """\
owner_email,period,submitted_on,commit,best_case,note
rep@acme.test,2026-Q3,2026-07-08,"1,500",2000,
rep@acme.test,2026-Q3,2026-08-05,1200,1800,Globex slipped
rep2@acme.test,2026-Q3,2026-07-08,600,900,
"""


def test_past_calls_import_and_are_scored(org, write, capsys):
    ensure_pipeline()
    DealFactory(
        owner=org.rep, stage=stage("Won"), amount=Decimal(1000), closed_on=date(2026, 9, 10)
    )
    DealFactory(
        owner=org.rep2, stage=stage("Won"), amount=Decimal(1000), closed_on=date(2026, 9, 10)
    )
    call_command("import", "forecasts", str(write("calls.csv", FILE)))
    assert f"created    {3:>9}" in capsys.readouterr().out
    call = ForecastSubmission.objects.get(person=org.rep, week_of=date(2026, 8, 3))
    assert (call.commit, call.note) == (Decimal(1200), "Globex slipped")
    q3 = organisation_get().calendar.parse("2026-Q3")
    found = selectors.accuracy([org.rep.pk, org.rep2.pk], q3, today=date(2026, 10, 1))
    assert found[org.rep.pk].bias == pytest.approx((0.5 + 0.2) / 2)
    assert found[org.rep2.pk].bias == pytest.approx(-0.4)
    call_command("import", "forecasts", str(write("again.csv", FILE)))
    assert f"unchanged  {3:>9}" in capsys.readouterr().out


def test_bad_rows_are_rejected_with_their_reasons(org):
    rows = [
        {"owner_email": "rep@acme.test", "period": "2026-Q3", "submitted_on": "2026-07-08",
         "commit": "900", "best_case": "800"},
        {"owner_email": "rep@acme.test", "period": "2026-W30", "submitted_on": "2026-07-08",
         "commit": "1", "best_case": "1"},
        {"owner_email": "rep@acme.test", "period": "2026-Q3", "submitted_on": "someday",
         "commit": "1", "best_case": "1"},
    ]  # fmt: skip
    result = import_rows(kind="forecasts", rows=rows, actor=org.admin, source="api")
    reasons = [reject.reason for reject in result.rejects]
    assert "below commit" in reasons[0]
    assert "not 2026-W30" in reasons[1]
    assert "someday" in reasons[2]
    assert not ForecastSubmission.objects.exists()


def test_only_an_admin_imports_forecasts(org):
    rows = [{"owner_email": "rep@acme.test", "period": "2026-Q3", "submitted_on": "2026-07-08",
             "commit": "1", "best_case": "1"}]  # fmt: skip
    with pytest.raises(ImportFileError):
        import_rows(kind="forecasts", rows=rows, actor=org.manager, source="api")
    assert not ForecastSubmission.objects.exists()
