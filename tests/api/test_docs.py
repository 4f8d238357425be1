"""The API reference: Swagger UI from our own static files, under the site's policy."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ninja_installed", [False, True])
def test_the_reference_loads_swagger_from_our_host_under_the_site_policy(client, ninja_installed):
    # django-ninja renders its CDN template when it is not an installed app: ours
    # answers the same page either way.
    apps = [*settings.INSTALLED_APPS, "ninja"] if ninja_installed else settings.INSTALLED_APPS
    with override_settings(INSTALLED_APPS=apps):
        response = client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '/static/vendor/swagger-ui/swagger-ui-bundle.js"' in page
    assert '/static/vendor/swagger-ui/swagger-ui.css"' in page
    assert '/static/accountable/api-docs.js"' in page
    for path in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css"):
        assert finders.find(path), f"{path} is vendored"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing from another host"
    assert '"validatorUrl": null' in page
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "<script>" not in page, "no inline script: the policy would block it"


def test_the_spec_documents_tokens_tags_and_every_bulk_kind(client):
    spec = client.get(reverse("api:openapi-json")).json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "acc_<prefix>_<secret>",
        "description": schemes["TokenAuth"]["description"],
    }
    assert [tag["name"] for tag in spec["tags"]] == [
        "organisation",
        "sales data",
        "pipeline",
        "imports",
        "commitments",
        "forecasts",
        "check-ins",
        "self-reports",
        "pipeline reviews",
        "plans",
        "packets",
        "performance reviews",
    ]
    for kind in ("people", "deals", "activities", "targets", "feedback", "accounts", "products"):
        operation = spec["paths"][f"/api/v1/{kind}/bulk"]["post"]
        assert operation["tags"] == ["imports"] and set(operation["responses"]) >= {"200", "422"}
    deal_row = spec["components"]["schemas"]["DealsRow"]["properties"]
    assert deal_row["owner_email"]["description"].startswith("Required.")
