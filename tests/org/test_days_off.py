"""The working calendar: a country's public holidays and the organisation's own days
off are not working days, so pace, run rates and the required weekly rate skip them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.org import holidays
from accountable.org.calendar import PeriodError
from accountable.org.services import OrgError, organisation_get, organisation_update
from accountable.scorecards import formulas as f

pytestmark = pytest.mark.django_db

SUMMER_BANK_HOLIDAY = date(2026, 8, 31)  # England's, a Monday


def test_a_public_holiday_is_not_a_working_day(org):
    august = organisation_get().calendar.parse("2026-08")
    assert august.working_days == 21
    organisation_update(actor=org.admin, holiday_country="gb", holiday_subdivision="eng")
    calendar = organisation_get().calendar
    august = calendar.parse("2026-08")
    assert SUMMER_BANK_HOLIDAY in calendar.holidays
    assert august.working_days == 20
    # On the Friday before, 20 of 20 working days are gone: the whole target is due.
    assert f.pace(august, date(2026, 8, 28)) == 1.0
    assert f.required_weekly(Decimal(2000), Decimal(1000), august, date(2026, 8, 28)) == (
        Decimal("1000.00")
    )


def test_own_days_off_count_too_and_are_audited(org):
    organisation_update(actor=org.admin, own_days_off="2026-08-14 Company day\n\n")
    organisation = organisation_get()
    assert organisation.own_days_off == [{"day": "2026-08-14", "name": "Company day"}]
    assert organisation.calendar.parse("2026-08").working_days == 20
    entry = AuditEntry.objects.filter(action="organisation.update").latest("id")
    assert entry.after["own_days_off"] == [{"day": "2026-08-14", "name": "Company day"}]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"holiday_country": "XX"}, 'No public holidays are known for "XX".'),
        ({"holiday_country": "GB", "holiday_subdivision": "ZZZ"}, '"ZZZ" is not a region of GB'),
        ({"holiday_subdivision": "ENG"}, "Choose the country the region belongs to."),
        ({"own_days_off": "31/12/2026 New Year's Eve"}, "Line 1:"),
        ({"own_days_off": "2026-12-24 Eve\n9999-12-31 Never"}, "Line 2:"),
    ],
)
def test_bad_days_off_are_refused_and_change_nothing(org, changes, message):
    before = organisation_get()
    with pytest.raises(OrgError, match=message.replace("(", r"\(")):
        organisation_update(actor=org.admin, **changes)
    after = organisation_get()
    assert (after.holiday_country, after.own_days_off) == (
        before.holiday_country,
        before.own_days_off,
    )


def test_the_settings_page_sets_them_and_shows_what_is_coming(client, org, time_machine):
    time_machine.move_to("2026-08-17 09:00")
    client.force_login(org.admin)
    response = client.post(
        reverse("org:settings"),
        {
            "name": "Acme",
            "currency": "EUR",
            "time_zone": "UTC",
            "fiscal_year_start_month": "1",
            "week_start_day": "0",
            "working_days": ["0", "1", "2", "3", "4"],
            "holiday_country": "GB",
            "holiday_subdivision": "eng",
            "own_days_off": "2026-12-24 Christmas Eve",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Organisation settings saved." in html
    assert "Mon 31 Aug 2026" in html and "Summer Bank Holiday" in html
    assert "Christmas Eve" in html
    assert organisation_get().holiday_subdivision == "ENG"


def test_own_days_parse_keeps_one_name_a_day_in_order():
    days = holidays.own_days_parse("2026-12-31 Eve\n2026-12-24  Christmas   Eve\n2026-12-31 Last")
    assert days == [
        {"day": "2026-12-24", "name": "Christmas Eve"},
        {"day": "2026-12-31", "name": "Last"},
    ]
    with pytest.raises(PeriodError):
        holidays.own_days_parse("tomorrow Party")
