"""The demo shows time off: a week of the demo rep's, and a course of another rep's."""

from __future__ import annotations

from datetime import date

import pytest

from accountable.demo.generator import generate_demo
from accountable.org.models import TimeOff

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 16)  # a Monday


def test_the_demo_has_time_off_ahead(tmp_path):
    generate_demo(people=24, today=TODAY, sales_data=False, ground_truth_path=tmp_path / "t.json")
    spans = {s.person.email: s for s in TimeOff.objects.select_related("person")}
    mine = spans.pop("rep@demo.test")
    assert (mine.first_day, mine.last_day, mine.note) == (
        date(2026, 4, 6),
        date(2026, 4, 10),
        "Holiday",
    )
    [(_, other)] = spans.items()
    assert (other.first_day, other.last_day) == (date(2026, 3, 26), date(2026, 3, 27))
    assert all(s.first_day > TODAY for s in TimeOff.objects.all())
