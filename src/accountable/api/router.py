"""The REST API (OpenAPI at /api/docs). Routers only: each endpoint calls a selector or service.

Every call acts as a person, with an API token (`Authorization: Bearer acc_…`)
or the browser's session, and sees what that person sees. `docs/api.md`
describes it for people who write integrations.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from accountable.api import checkins as checkins_api
from accountable.api import commitments as commitments_api
from accountable.api import crm as crm_api
from accountable.api import forecasts as forecasts_api
from accountable.api import goals as goals_api
from accountable.api import imports as imports_api
from accountable.api import org as org_api
from accountable.api import packets as packets_api
from accountable.api import pipeline as pipeline_api
from accountable.api import plans as plans_api
from accountable.api import reviews as reviews_api
from accountable.api import scorecards as scorecards_api
from accountable.api import signals as signals_api
from accountable.api.auth import InvalidToken, callers
from accountable.api.docs import LocalSwagger
from accountable.checkins.errors import CheckinError
from accountable.commitments.errors import CommitmentError
from accountable.crm.errors import CrmError
from accountable.forecasts.errors import ForecastError
from accountable.imports.errors import ImportFileError, ImportNotAllowed
from accountable.org.calendar import PeriodError
from accountable.plans.errors import PlanError
from accountable.reviews.errors import ReviewError

DESCRIPTION = """\
The data Accountable holds, for scripts and integrations.

**Authentication.** Send a personal API token in the `Authorization` header:
`Authorization: Bearer acc_…`. Make one under *API tokens* in the user menu.
A token acts as the person who made it: every answer holds only what that
person may see (a rep's token sees the rep's own deals). Read tokens fetch;
write tokens also upload data in bulk (admins and managers). Signed in to the
web app, this page's *Try it out* uses your session instead.

**Errors** come back as JSON with a plain `detail` message (or, for a bad
request body, a list of what was wrong where). 401: no valid token or session.
403: the token or your role may not do this. 404: no such record among those
you may see. 413: too much in one call. 422: a bulk upload with rejected rows
(nothing applied) or a request that does not validate.
"""

api = NinjaAPI(
    title="Accountable API",
    version="1",
    description=DESCRIPTION,
    auth=callers(),
    urls_namespace="api",
    docs=LocalSwagger(),
    openapi_extra={
        "tags": [
            {"name": "organisation", "description": "Who is who: people, teams, periods."},
            {"name": "sales data", "description": "Deals and activities, newest first."},
            {
                "name": "pipeline",
                "description": "The stages deals move through; admins edit them.",
            },
            {
                "name": "imports",
                "description": "Bulk upserts through the import pipeline, and their results.",
            },
            {
                "name": "commitments",
                "description": "Promises of an outcome by a due date: recorded, reported on, "
                "confirmed, withdrawn; judged by the data.",
            },
            {
                "name": "forecasts",
                "description": "Weekly calls of what will close in a period (commit, best "
                "case), the manager's adjustments beside them, and how accurate they were.",
            },
            {
                "name": "check-ins",
                "description": "1:1 check-ins of a manager and one of their people: "
                "scheduled, prepared from the data, held; agenda items and action items.",
            },
            {
                "name": "self-reports",
                "description": "A person's own report on their days, on a cadence, with "
                "their numbers filled in.",
            },
            {
                "name": "pipeline reviews",
                "description": "Reviews of a person's or a team's pipeline: coverage, what "
                "moved, stale deals, and a decision on each deal discussed.",
            },
            {
                "name": "plans",
                "description": "Annual and quarterly sales plans: written, submitted, "
                "approved or returned, reviewed against actuals; key account plans.",
            },
            {
                "name": "packets",
                "description": "A person's review packet for a period, as a PDF.",
            },
            {
                "name": "performance reviews",
                "description": "Self- and manager assessments side by side, with the data "
                "beside each answer frozen as of the review day.",
            },
        ]
    },
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Send an API token (Authorization: Bearer acc_…) or sign in."},
        status=401,
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="accountable"'
    return response


@api.exception_handler(InvalidToken)
def invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="accountable", error="invalid_token"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Selectors raise Http404 with a plain message ("No such person") that never
    # says whether the record exists for someone else.
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # A service refuses an actor out of the reach of its ability (`org.abilities`) with
    # a message that says why.
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


# Each app's own refusal, in plain words (a period that is no period, a plan not open to
# change, …): a 400 with its message, the same for all of them.
REFUSALS = (
    PeriodError,
    CrmError,
    CommitmentError,
    ForecastError,
    PlanError,
    CheckinError,
    ReviewError,
)


def refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


for refusal in REFUSALS:
    api.add_exception_handler(refusal, refused)


@api.exception_handler(ImportFileError)
def import_file_error(request: HttpRequest, exc: ImportFileError) -> HttpResponse:
    body = {"detail": exc.message, "run_id": exc.run.pk if exc.run else None}
    status = 403 if isinstance(exc, ImportNotAllowed) else 422
    return api.create_response(request, body, status=status)


# Bulk paths first: /v1/deals/bulk must not be taken for the deal with external id "bulk".
api.add_router("/v1/", imports_api.router)
api.add_router("/v1/", org_api.router)
api.add_router("/v1/", crm_api.router)
api.add_router("/v1/", pipeline_api.router)
api.add_router("/v1/", goals_api.router)
api.add_router("/v1/", scorecards_api.router)
api.add_router("/v1/", signals_api.router)
api.add_router("/v1/", commitments_api.router)
api.add_router("/v1/", forecasts_api.router)
api.add_router("/v1/", checkins_api.router)
api.add_router("/v1/", plans_api.router)
api.add_router("/v1/", packets_api.router)
api.add_router("/v1/", reviews_api.router)
