"""The REST API (OpenAPI at /api/docs). Routers only: each endpoint calls a selector or service."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from accountable.api import org as org_api
from accountable.org.calendar import PeriodError

api = NinjaAPI(
    title="Accountable API",
    version="1",
    description="Scoped to the signed-in person: each list holds only what their role may see.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(PeriodError)
def period_error(request, exc: PeriodError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


api.add_router("/v1/", org_api.router)
