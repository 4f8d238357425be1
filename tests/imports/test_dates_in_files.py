"""Dates and times as CRM exports write them, through a whole import: a workbook's Excel
serial dates (in either of Excel's epochs) and times with a zone after them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from accountable.crm.models import Activity, Deal
from accountable.imports.pipeline import import_file
from accountable.org.services import organisation_get
from tests.imports.conftest import DEALS_HEADER, deals_csv

pytestmark = pytest.mark.django_db

ACTIVITIES_HEADER = ["external_id", "owner_email", "kind", "occurred_at"]
# A won deal's cells from its name to its status (DEALS_HEADER).
WON = ["Deal", "Globex", "rep@acme.test", "GTX Pro", 100, "", "Won", ""]


def workbook(path: Path, rows: list[list], epoch: datetime = WINDOWS_EPOCH) -> Path:
    book = Workbook()
    book.epoch = epoch
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def deal_row(external_id: str, created, closed) -> list:
    """A won deal, its dates as given: a serial number, a datetime, or text."""
    return [external_id, *WON, created, closed, ""]


def organisation_in(zone: str) -> None:
    organisation = organisation_get()
    organisation.time_zone = zone
    organisation.save()


@pytest.mark.parametrize(
    ("epoch", "created", "closed"),
    [
        (WINDOWS_EPOCH, 46023, 46140),  # 2026-01-01, 2026-04-28
        (MAC_EPOCH, 44561, 44678),  # the same days counted from 1904
    ],
)
def test_serial_close_dates_in_a_workbook_land_on_their_days(
    org, catalogue, tmp_path, epoch, created, closed
):
    path = workbook(
        tmp_path / "deals.xlsx",
        [
            DEALS_HEADER.split(","),
            deal_row("D-1", created, closed),
            deal_row("D-2", created, closed + 0.75),  # 18:00 on the close day
            deal_row("D-3", datetime(2026, 1, 1), datetime(2026, 4, 28)),  # formatted as dates
        ],
        epoch=epoch,
    )
    result = import_file(kind="deals", path=path, actor=org.admin, source="cli")
    assert result.summary["rejected"] == 0, result.rejects
    days = {deal.external_id: (deal.created_on, deal.closed_on) for deal in Deal.objects.all()}
    assert days == {name: (date(2026, 1, 1), date(2026, 4, 28)) for name in ("D-1", "D-2", "D-3")}


def test_serial_times_of_activities_are_the_organisations_clock(org, tmp_path):
    organisation_in("Europe/Berlin")
    path = workbook(
        tmp_path / "activities.xlsx",
        [
            ACTIVITIES_HEADER,
            ["A-1", "rep@acme.test", "call", 46140.5],  # noon in Berlin
            ["A-2", "rep@acme.test", "call", 46140],  # midnight in Berlin
            ["A-3", "rep@acme.test", "call", "2026-04-28T14:30:00Z"],  # its own zone
            ["A-4", "rep@acme.test", "call", "4/28/2026 2:30 PM EDT"],
        ],
    )
    result = import_file(kind="activities", path=path, actor=org.admin, source="cli")
    assert result.summary["rejected"] == 0, result.rejects
    assert [a.occurred_at for a in Activity.objects.order_by("external_id")] == [
        datetime(2026, 4, 28, 10, 0, tzinfo=UTC),
        datetime(2026, 4, 27, 22, 0, tzinfo=UTC),
        datetime(2026, 4, 28, 14, 30, tzinfo=UTC),
        datetime(2026, 4, 28, 18, 30, tzinfo=UTC),
    ]


def test_a_serial_outside_the_years_is_rejected_with_its_line(org, catalogue, tmp_path):
    path = workbook(
        tmp_path / "deals.xlsx",
        [DEALS_HEADER.split(","), deal_row("D-1", 46023, 46140), deal_row("D-2", 46023, 4821000)],
    )
    result = import_file(kind="deals", path=path, actor=org.admin, source="cli")
    assert [(r.line, r.reason) for r in result.rejects] == [
        (
            3,
            'close_date "4821000" is a number, not a date: as an Excel date it would fall '
            "outside the years 1900 to 2200",
        )
    ]
    assert not Deal.objects.exists()


def test_a_serial_in_a_csv_is_rejected_with_its_line(org, catalogue, write):
    rows = [
        "D-1,Deal,Globex,rep@acme.test,GTX Pro,100,,Won,,2026-01-01,2026-04-28,",
        "D-2,Deal,Globex,rep@acme.test,GTX Pro,100,,Won,,2026-01-01,46140,",
    ]
    result = import_file(
        kind="deals", path=write("deals.csv", deals_csv(*rows)), actor=org.admin, source="cli"
    )
    assert [(r.line, r.reason) for r in result.rejects] == [
        (
            3,
            'close_date "46140" is a number, not a date; write it as YYYY-MM-DD (a number is '
            "read as a date only from a number cell of an Excel workbook)",
        )
    ]
    assert not Deal.objects.exists()


def test_a_close_date_with_a_zone_is_its_day_where_the_organisation_is(org, catalogue, write):
    organisation_in("America/New_York")
    rows = [
        # 02:00 UTC on the 29th is 22:00 on the 28th in New York.
        "D-1,Deal,Globex,rep@acme.test,GTX Pro,100,,Won,,2026-01-01,2026-04-29T02:00:00Z,",
        "D-2,Deal,Globex,rep@acme.test,GTX Pro,100,,Won,,2026-01-01,2026-04-29 02:00,",
        "D-3,Deal,Globex,rep@acme.test,GTX Pro,100,,Won,,2026-01-01,4/28/2026 11:30 PM PDT,",
    ]
    result = import_file(
        kind="deals", path=write("deals.csv", deals_csv(*rows)), actor=org.admin, source="cli"
    )
    assert result.summary["rejected"] == 0, result.rejects
    closed = dict(Deal.objects.values_list("external_id", "closed_on"))
    assert closed == {"D-1": date(2026, 4, 28), "D-2": date(2026, 4, 29), "D-3": date(2026, 4, 29)}


def test_an_unknown_zone_is_rejected_with_its_line(org, write):
    text = "\n".join(
        [
            ",".join(ACTIVITIES_HEADER),
            "A-1,rep@acme.test,call,2026-04-28 14:30 UTC",
            "A-2,rep@acme.test,call,2026-04-28 14:30 CEST",
        ]
    )
    result = import_file(
        kind="activities", path=write("a.csv", text + "\n"), actor=org.admin, source="cli"
    )
    [reject] = result.rejects
    assert reject.line == 3
    assert reject.reason.startswith(
        'occurred_at "2026-04-28 14:30 CEST" is in a time zone imports do not know ("CEST")'
    )
    assert not Activity.objects.exists()
