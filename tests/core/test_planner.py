import pytest
from django.db import connection

from accountable.core.planner import planner_statistics_refresh
from accountable.jobs.tasks import planner_statistics
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_statistics_describe_the_tables_after_a_refresh():
    PersonFactory.create_batch(3)
    planner_statistics_refresh(bulk=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'org_person'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'org_person' AND attname = 'email'"
            )
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_the_nightly_task_refreshes_them():
    assert planner_statistics.call() == "statistics refreshed"
