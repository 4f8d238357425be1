"""CSV downloads of the scorecard tables, from the very rows the page shows.

Every table on the board, the roll-up and the leaderboard can be downloaded with
``?format=csv`` on its own URL (same period, as-of day, team and sort). The file holds
every figure of each row (``as_dict()``), not only the columns that fit on screen, with
the period and as-of day on each line so a pasted extract still says what it covers.
Ratios stay fractions (0.47), money stays in the organisation's currency, unrounded.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping

from django.http import HttpResponse
from django.utils.text import slugify

from accountable.core.csv_cells import cell


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def csv_response(name: str, rows: Iterable[Mapping[str, object]], **context: object):
    """A CSV download: `context` columns (period, as_of…) first, then each row's own."""
    rows = list(rows)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    parts = [name, *(str(v) for v in context.values() if v not in (None, ""))]
    response["Content-Disposition"] = f'attachment; filename="{slugify("-".join(parts))}.csv"'
    writer = csv.writer(response)
    header: list[str] = list(context)
    for row in rows:
        header.extend(key for key in row if key not in header)
    writer.writerow(header)
    for row in rows:
        merged = {**context, **row}
        writer.writerow([cell(merged.get(key)) for key in header])
    return response
