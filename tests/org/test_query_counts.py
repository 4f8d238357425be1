"""List pages stay at a fixed number of queries however many people there are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "org:tree", "org:people", "org:settings"])
def test_pages_do_not_query_per_person(client, org, django_assert_max_num_queries, name):
    for index in range(30):
        PersonFactory(team=org.north_field if index % 2 else org.south_field)
    client.force_login(org.admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name)).status_code == 200
