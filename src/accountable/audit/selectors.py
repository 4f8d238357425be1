from __future__ import annotations

from django.db.models import Q, QuerySet

from accountable.audit.models import AuditEntry
from accountable.org.models import Person, Role


def audit_list(viewer: Person, *, object_type: str = "", search: str = "") -> QuerySet[AuditEntry]:
    """The audit trail. Only admins read the whole trail."""
    if not (viewer.is_authenticated and viewer.role == Role.ADMIN):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if search:
        entries = entries.filter(Q(object_repr__icontains=search) | Q(action__icontains=search))
    return entries
