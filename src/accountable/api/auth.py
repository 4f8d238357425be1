"""Who may call the API: a person's token (Authorization: Bearer acc_…) or their browser session.

Either way `request.user` becomes the person, so every selector scopes the
answer to what that person may see, exactly as on the pages. Tokens add their
scopes on top: "read" to fetch, "write" to upload. Operations that change data
also name the roles that may call them; the check runs before the request body
is read, so a refused caller never gets as far as validation.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from accountable.org.models import Person, Role
from accountable.tokens.models import Scope
from accountable.tokens.services import TokenError, token_authenticate, token_write_record


class InvalidToken(Exception):
    """A bearer token that does not open the API (unknown, revoked, expired); answered with 401."""


def _plural(role: str) -> str:
    """A role's people, in words: "admins", "outside sales" (a plural already)."""
    label = Role(role).label.lower()
    return label if label.endswith("s") else f"{label}s"


def _check_role(person: Person, roles: Sequence[str] | None, action: str) -> None:
    if roles is not None and person.role not in roles:
        names = [_plural(role) for role in roles]
        allowed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        role = Role(person.role).label.lower()
        raise HttpError(403, f"Only {allowed} may {action}; your role is {role}.")


class TokenAuth(HttpBearer):
    """An API token in the Authorization header, carrying `scope`, of a person in `roles`."""

    openapi_bearerFormat = "acc_<prefix>_<secret>"
    openapi_description = (
        "A personal API token, made under API tokens in the user menu. "
        "It sees what its person sees; write tokens may also upload."
    )

    def __init__(
        self, *, scope: str = Scope.READ, roles: Sequence[str] | None = None, action: str = ""
    ):
        self.scope = scope
        self.roles = roles
        self.action = action or "do this"
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Person:
        try:
            api_token = token_authenticate(token)
        except TokenError as error:
            raise InvalidToken(str(error)) from error
        if not api_token.allows(self.scope):
            raise HttpError(
                403,
                f"This token may only {' and '.join(api_token.scopes)}; it needs the "
                f"{self.scope} scope to {self.action}. Make a token with write access.",
            )
        _check_role(api_token.person, self.roles, self.action)
        if self.scope == Scope.WRITE:
            token_write_record(token=api_token, call=f"{request.method} {request.path}"[:200])
        request.user = api_token.person
        request.api_token = api_token
        return api_token.person


class SignedInSession(SessionAuth):
    """The browser's session (with its CSRF check on writes), of a person in `roles`.

    A session carries every scope: signed in, a person may do in the API all
    their role allows on the pages.
    """

    openapi_description = (
        "The web app's session: Try it out works here while you are signed in "
        "(this page sends the CSRF token that writes need)."
    )

    def __init__(self, *, roles: Sequence[str] | None = None, action: str = ""):
        self.roles = roles
        self.action = action or "do this"
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Person | None:
        person = super().authenticate(request, key)
        if person is not None:
            _check_role(person, self.roles, self.action)
        return person


def callers(
    *, scope: str = Scope.READ, roles: Sequence[str] | None = None, action: str = ""
) -> list:
    """The `auth=` of an operation: a token with `scope`, or a session, of someone in `roles`."""
    return [
        TokenAuth(scope=scope, roles=roles, action=action),
        SignedInSession(roles=roles, action=action),
    ]
