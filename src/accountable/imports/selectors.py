"""Reading import runs and saved mappings, always as a given viewer may see them.

An admin sees every import; a manager sees the imports they ran themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accountable.imports.models import ImportRun, SavedMapping
from accountable.org import abilities
from accountable.org.models import Person


def run_list(viewer: Person) -> QuerySet[ImportRun]:
    """Import runs the viewer may see, newest first."""
    runs = ImportRun.objects.select_related("created_by").order_by("-created_at", "-pk")
    if abilities.may(viewer, abilities.ADMINISTER):
        return runs
    if any(abilities.may(viewer, ability) for ability in abilities.ANY_IMPORT):
        return runs.filter(created_by=viewer)  # their own runs
    return runs.none()


def run_get(viewer: Person, pk: int) -> ImportRun:
    """One run the viewer may see, or 404 (never a hint that it exists)."""
    run = run_list(viewer).filter(pk=pk).first()
    if run is None:
        raise Http404("No such import.")
    return run


def saved_mapping_list(kind: str | None = None) -> QuerySet[SavedMapping]:
    mappings = SavedMapping.objects.order_by("kind", "name")
    return mappings.filter(kind=kind) if kind else mappings
