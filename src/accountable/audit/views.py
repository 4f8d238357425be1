from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from accountable.audit.selectors import audit_list
from accountable.org.models import Role
from accountable.org.scoping import role_required


@role_required(Role.ADMIN)
def audit_trail(request):
    entries = audit_list(
        request.user,
        object_type=request.GET.get("type", ""),
        search=request.GET.get("q", "").strip(),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "filters": request.GET})
