"""The API reference page (/api/docs): Swagger UI served from our own host.

Swagger UI's files are vendored (`static/vendor/swagger-ui/`, with its licence) and
started by our own script (`static/accountable/api-docs.js`) from our own template
(`templates/api/docs.html`). django-ninja renders its docs page from one template
when "ninja" is an installed app and from another, which loads Swagger UI from
cdn.jsdelivr.net, when it is not; here both are ours, so no setting can make the page
reach another host. The template runs no inline script (its settings travel as a
JSON data block) and Swagger UI sets styles through the DOM, so the page works under
the site-wide content security policy as it is: nothing is relaxed for it
(tests/browser/test_api_tokens.py checks that no request leaves our host and no
policy violation is logged).
"""

from __future__ import annotations

from pathlib import Path

from ninja.openapi.docs import Swagger

TEMPLATE = "api/docs.html"


class LocalSwagger(Swagger):
    """Swagger UI with nothing fetched from another host, not even the spec validator."""

    template = TEMPLATE
    # What ninja renders instead when it is not an installed app: the same page.
    template_cdn = str(Path(__file__).resolve().parents[1] / "templates" / TEMPLATE)

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
