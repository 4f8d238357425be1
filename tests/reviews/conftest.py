"""A review cycle for 2026-Q3 opened on 1 Oct 2026 (review day 30 Sep) by the admin for
our rep and a rep of another region, on the packet tests' data."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from accountable.reviews.services import cycle_open
from tests.packets.conftest import packet_org  # noqa: F401 - the data the reviews read
from tests.scorecards.conftest import Q3

OPENED = date(2026, 10, 1)


@pytest.fixture
def cycle(packet_org):  # noqa: F811
    org = packet_org
    with time_machine.travel(OPENED, tick=False):
        return cycle_open(
            actor=org.admin,
            period=Q3,
            people=[org.rep, org.other_rep],
            as_of=date(2026, 9, 30),
            self_due_on=date(2026, 10, 9),
            manager_due_on=date(2026, 10, 14),
        )


def ratings_all(review, value: int, comment: str = "") -> dict:
    from accountable.reviews.items import items_of

    return {i.key: {"rating": value, "comment": comment} for i in items_of(review.snapshot)}
