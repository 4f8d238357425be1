"""Keeping the database's query planner informed.

SQLite plans queries from the statistics `ANALYZE` leaves in `sqlite_stat1`, and
it has none until someone runs it: on a fresh database with millions of
activities it then picks the wrong index (a board that reads split deals took
118 ms instead of 1 ms). `PRAGMA analysis_limit` makes `ANALYZE` sample about a
thousand rows per index, so it takes milliseconds even on a gigabyte database;
it runs after every import, after the rollups are rebuilt, after the demo is
generated, and nightly. PostgreSQL's autovacuum keeps its own statistics; after
a bulk load (the demo, a rebuild) it is asked to catch up at once.
"""

from __future__ import annotations

from django.db import connection

SAMPLE_ROWS = 1000


def planner_statistics_refresh(*, bulk: bool = False) -> None:
    """Refresh the planner's statistics: cheap on SQLite; on PostgreSQL only after a
    `bulk` load, which autovacuum would otherwise notice minutes later."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SAMPLE_ROWS}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql" and bulk:
            cursor.execute("ANALYZE")
