"""Reading the audit trail (`audit` records it; the trail is one of the
administration pages, so its reading lives with the organisation's abilities)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accountable.audit.models import AuditEntry
from accountable.org import abilities
from accountable.org.models import Person


def audit_list(
    viewer: Person, *, object_type: str = "", action: str = "", actor: str = "", search: str = ""
) -> QuerySet[AuditEntry]:
    """The audit trail, newest first. Only admins read it.

    `action` matches an action or every action of a kind ("import" finds
    "import.applied" and "import.rejected"); `actor` is part of the e-mail or name
    of who did it; `search` part of what was changed or of the action.
    """
    if not (viewer.is_authenticated and abilities.may(viewer, abilities.ADMINISTER)):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if action:
        entries = entries.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if actor:
        entries = entries.filter(Q(actor__email__icontains=actor) | Q(actor__name__icontains=actor))
    if search:
        entries = entries.filter(Q(object_repr__icontains=search) | Q(action__icontains=search))
    return entries


def audit_actions() -> list[str]:
    """The kinds of action recorded so far ("deal", "import", "person"…), for a filter."""
    actions = AuditEntry.objects.values_list("action", flat=True).distinct()
    return sorted({action.split(".")[0] for action in actions})
