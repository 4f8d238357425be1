"""A column's day/month order, settled by its own values: US and UK exports import as
they come, and a date no value settles is still rejected with the reason."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountable.crm.models import Deal
from accountable.imports.date_order import ColumnOrder, DateOrders, column_order
from accountable.imports.errors import RowError
from accountable.imports.findings import Findings
from accountable.imports.pipeline import import_file, import_rows
from accountable.imports.values import DAY_FIRST, MONTH_FIRST, order_of, parse_date
from tests.imports.conftest import deals_csv


def test_one_value_shows_an_order_only_when_a_number_is_over_12():
    assert order_of("28/4/2026") == DAY_FIRST
    assert order_of("4/28/2026") == MONTH_FIRST
    assert order_of("4/28/2026 10:30 AM") == MONTH_FIRST
    assert order_of("3/4/2026") is None
    assert order_of("2026-04-28") is None
    assert order_of("") is None and order_of(None) is None


def test_a_zone_after_the_time_does_not_change_the_order_a_date_shows():
    assert order_of("28/4/2026 14:30 GMT") == DAY_FIRST
    assert order_of("4/28/2026 2:30 PM EDT") == MONTH_FIRST
    assert order_of("4/28/2026 2:30 PM -0500") == MONTH_FIRST
    assert order_of("3/4/2026 10:00 UTC") is None
    assert order_of("3/4/2026 10:00 CEST") is None  # an unknown zone is refused when read
    assert column_order(["3/4/2026 10:00 UTC", "28/4/2026 14:30 GMT"]).order == DAY_FIRST


def test_a_date_with_a_zone_is_read_in_its_columns_order():
    rows = [(2, {"closed_at": "28/4/2026 14:30 GMT"}), (3, {"closed_at": "3/4/2026 23:30 EST"})]
    orders = DateOrders(lambda: rows, Findings())
    # 3 April at 23:30 EST is 4 April at 04:30 UTC.
    assert parse_date("closed_at", "3/4/2026 23:30 EST", orders, zone=UTC) == date(2026, 4, 4)
    orders = DateOrders(lambda: [(2, {"closed_at": "4/28/2026 2:30 PM EDT"})], Findings())
    assert parse_date("closed_at", "3/4/2026 11:30 PM EST", orders, zone=UTC) == date(2026, 3, 5)
    assert parse_date("closed_at", "3/4/2026 11:30 PM EST", orders) == date(2026, 3, 4)


def test_a_column_is_settled_by_its_decisive_values():
    assert column_order(["3/4/2026", "4/28/2026", "5/13/2026", None]) == ColumnOrder(
        MONTH_FIRST, 0, 2, "4/28/2026"
    )
    assert column_order(["3/4/2026", "28.04.2026"]).order == DAY_FIRST
    assert column_order(["3/4/2026", "5/6/2026"]).order is None  # nothing settles it
    both = column_order(["28/4/2026", "4/28/2026", "3/4/2026"])
    assert both.order is None and "both ways round" in both.why_not


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.booleans())
def test_a_date_written_either_way_reads_back_in_a_settled_column(day, us):
    shown = f"{day.month}/{day.day}/{day.year}" if us else f"{day.day}/{day.month}/{day.year}"
    settle = "12/31/2025" if us else "31/12/2025"
    orders = DateOrders(
        lambda: [(2, {"close_date": settle}), (3, {"close_date": shown})], Findings()
    )
    assert parse_date("close_date", shown, orders) == day


def test_without_a_column_an_ambiguous_date_is_rejected_as_before():
    with pytest.raises(RowError, match="ambiguous"):
        parse_date("close_date", "3/4/2026")


US = [
    "D-1,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821,renewal,Won,,3/4/2026,4/28/2026,",
    "D-2,Globex deal,Acme Corporation,rep@acme.test,GTX Pro,900,renewal,Won,,1/5/2026,2/3/2026,",
]


@pytest.mark.django_db
def test_a_us_export_imports_and_says_how_its_dates_were_read(org, catalogue, write):
    result = import_file(
        kind="deals", path=write("d.csv", deals_csv(*US)), actor=org.admin, source="cli"
    )
    assert result.summary["rejected"] == 0
    one, two = Deal.objects.order_by("external_id")
    assert (one.created_on, one.closed_on) == (date(2026, 3, 4), date(2026, 4, 28))
    assert (two.created_on, two.closed_on) == (date(2026, 1, 5), date(2026, 2, 3))
    warnings = " ".join(result.summary["warnings"])
    # The close dates settle their column; the created dates, which nothing in their
    # own column settles, are read as the file's other dates are.
    assert "close_date read as month/day, because of 1 value like 4/28/2026" in warnings
    assert "created_date read as month/day, as the file's other dates are" in warnings


@pytest.mark.django_db
def test_a_column_nothing_settles_is_rejected_with_the_reason(org, catalogue, write):
    rows = [US[1]]  # 1/5/2026 and 2/3/2026: no date of the file settles it
    result = import_file(
        kind="deals", path=write("d.csv", deals_csv(*rows)), actor=org.admin, source="cli"
    )
    assert result.summary["rejected"] == 1
    [reject] = result.rejects
    assert "no other date in the column settles it" in reject.reason
    assert not Deal.objects.exists()


@pytest.mark.django_db
def test_a_column_with_dates_both_ways_rejects_its_ambiguous_ones(org, catalogue, write):
    rows = [
        US[0],
        "D-3,Initech,Acme Corporation,rep@acme.test,GTX Pro,500,renewal,Won,,3/4/2026,28/4/2026,",
        "D-4,Hooli,Acme Corporation,rep@acme.test,GTX Pro,500,renewal,Won,,3/4/2026,5/6/2026,",
    ]
    result = import_file(
        kind="deals", path=write("d.csv", deals_csv(*rows)), actor=org.admin, source="cli"
    )
    reasons = {reject.line: reject.reason for reject in result.rejects}
    assert "both ways round (28/4/2026 and 4/28/2026)" in reasons[4]
    assert not Deal.objects.exists()


@pytest.mark.django_db
def test_rows_from_the_api_are_settled_the_same_way(org, catalogue):
    rows = [
        {
            "external_id": "A-1",
            "owner_email": "rep@acme.test",
            "kind": "call",
            "occurred_at": "3/4/2026",
        },
        {
            "external_id": "A-2",
            "owner_email": "rep@acme.test",
            "kind": "call",
            "occurred_at": "28/4/2026",
        },
    ]
    result = import_rows(kind="activities", rows=rows, actor=org.admin, source="api")
    assert result.summary["rejected"] == 0
    assert "occurred_at read as day/month" in " ".join(result.summary["warnings"])


@pytest.mark.django_db
def test_the_organisations_setting_decides_a_file_nothing_settles(org, catalogue, write):
    from accountable.org.services import organisation_update

    organisation_update(actor=org.admin, date_order=MONTH_FIRST)
    result = import_file(
        kind="deals", path=write("d.csv", deals_csv(US[1])), actor=org.admin, source="cli"
    )
    assert result.summary["rejected"] == 0
    deal = Deal.objects.get()
    assert (deal.created_on, deal.closed_on) == (date(2026, 1, 5), date(2026, 2, 3))
    assert "no date in the file settles it, so the organisation's setting does" in " ".join(
        result.summary["warnings"]
    )


@pytest.mark.django_db
def test_the_file_wins_over_the_organisations_setting(org, catalogue, write):
    from accountable.org.services import organisation_update

    organisation_update(actor=org.admin, date_order=DAY_FIRST)
    import_file(kind="deals", path=write("d.csv", deals_csv(*US)), actor=org.admin, source="cli")
    one = Deal.objects.get(external_id="D-1")
    assert (one.created_on, one.closed_on) == (date(2026, 3, 4), date(2026, 4, 28))
