"""Response headers every page carries."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware


class SecurityHeadersMiddleware:
    """Adds the content security policy: only our own scripts, styles and images."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Every page needs a signed-in person, except those marked `login_not_required`.

    The API answers for itself (401 in JSON, tokens later), so it is left to
    django-ninja's authentication instead of a redirect to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
