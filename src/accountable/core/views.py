"""The home page for each role, and the health endpoint."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accountable.org import selectors
from accountable.org.models import Role
from accountable.org.services import organisation_get


def home(request):
    """What each person sees first: their place in the organisation and their reach."""
    user = request.user
    organisation = organisation_get()
    today = timezone.localdate()
    calendar = organisation.calendar
    context = {
        "organisation": organisation,
        "today": today,
        "quarter": calendar.period("quarter", today),
        "week": calendar.period("week", today),
        "quarter_week": calendar.period("quarter", today).week_of_period(today),
        "managers": selectors.person_managers(user),
    }
    if user.role in (Role.REP, Role.OUTSIDE_SALES):
        context["teammates"] = selectors.teammates(user)
        return render(request, "core/home_rep.html", context)
    context["roots"] = selectors.org_tree(user)
    context["role_counts"] = selectors.role_counts(user)
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
def healthz(request):
    """200 when the database answers; 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(error)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
