"""The API reference page (/api/docs): Swagger UI served from our own host.

django-ninja ships Swagger UI's files in its static directory. With "ninja" in
INSTALLED_APPS its template loads them from there, through our static files,
instead of from a CDN; without it, ninja falls back to a template that loads
them from cdn.jsdelivr.net. The template runs no inline script (its settings
travel as a JSON data block, read by `swagger-ui-init.js`) and Swagger UI sets
styles through the DOM, so the page works under the site-wide content security
policy as it is: nothing is relaxed for it (tests/browser/test_api_tokens.py
checks that no request leaves our host and no policy violation is logged).
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    """Swagger UI with nothing fetched from another host, not even the spec validator."""

    def __init__(self) -> None:
        super().__init__(
            settings={
                # Otherwise Swagger UI sends the spec to validator.swagger.io for a badge.
                "validatorUrl": None,
                "docExpansion": "list",
                "defaultModelsExpandDepth": 0,
                "displayRequestDuration": True,
            }
        )
