"""List pages stay at a fixed number of queries however many people there are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


# The home page reads the day's work besides the organisation: the team's scorecard,
# warnings, today's check-ins, overdue commitments and forecasts (a fixed number, counted
# with nothing kept yet in the cache).
BOUNDS = {"home": 56, "org:tree": 14, "org:people": 14, "org:settings": 14}


@pytest.mark.parametrize("name", list(BOUNDS))
def test_pages_do_not_query_per_person(client, org, django_assert_max_num_queries, name):
    for index in range(30):
        PersonFactory(team=org.north_field if index % 2 else org.south_field)
    client.force_login(org.admin)
    with django_assert_max_num_queries(BOUNDS[name]):
        assert client.get(reverse(name)).status_code == 200
