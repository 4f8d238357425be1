"""The API against its own OpenAPI schema, fuzzed by schemathesis: for every operation,
generated requests — valid, and values at and past the edges of each parameter — as a
manager with a read and write token; no answer may be a server error. A short, bounded
run (a few examples an operation) that CI makes on every change.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accountable.api.router import api
from accountable.tokens.services import token_create
from accountable.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application  # requests go to the WSGI application, in this process


@pytest.fixture
def headers(org, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _, secret = token_create(actor=org.manager, name="fuzz", scopes=["read", "write"])
    # The WSGI application closes stale database connections as each request starts
    # and ends, which would end the test's own transaction; Django's test client keeps
    # it open the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {secret}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, headers):
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
