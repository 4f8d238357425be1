from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render

from accountable.core.csv_cells import cell
from accountable.org import abilities
from accountable.org.audit_trail import audit_actions, audit_list
from accountable.org.scoping import ability_required

FILTERS = ("type", "action", "actor", "q")
EXPORT_COLUMNS = [
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "field",
    "before",
    "after",
]


def _entries(request):
    return audit_list(
        request.user,
        object_type=request.GET.get("type", "").strip(),
        action=request.GET.get("action", "").strip(),
        actor=request.GET.get("actor", "").strip(),
        search=request.GET.get("q", "").strip(),
    )


@ability_required(abilities.ADMINISTER)
def audit_trail(request):
    page = Paginator(_entries(request), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "filters": request.GET,
            "query": query.urlencode(),
            "actions": audit_actions(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@ability_required(abilities.ADMINISTER)
def audit_export(request):
    """The filtered trail as CSV, one line per changed field, streamed (it may be long)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(EXPORT_COLUMNS)
        for entry in _entries(request).iterator(chunk_size=2000):
            who = entry.actor.email if entry.actor else "system"
            head = [
                entry.at,
                who,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
            ]
            for name, before, after in entry.changed_fields or [("", None, None)]:
                yield writer.writerow([cell(value) for value in [*head, name, before, after]])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
