"""Reads of API tokens, scoped to the viewer: your own tokens; an admin sees everyone's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accountable.org import abilities
from accountable.org.models import Person
from accountable.tokens.models import ApiToken


def token_list(viewer: Person) -> QuerySet[ApiToken]:
    """The tokens the viewer may see and revoke: their own, or everyone's for an admin."""
    if not viewer.is_authenticated:
        return ApiToken.objects.none()
    tokens = ApiToken.objects.select_related("person")
    if abilities.may(viewer, abilities.ADMINISTER):
        return tokens
    return tokens.filter(person=viewer)


def token_get(viewer: Person, pk: int) -> ApiToken:
    """A token the viewer may manage, or 404 (never saying that others exist)."""
    try:
        return token_list(viewer).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404("No such token") from None


def can_manage_token(viewer: Person, token: ApiToken) -> bool:
    """Its owner, and admins, may revoke a token."""
    return viewer.is_authenticated and (
        token.person_id == viewer.pk or abilities.may(viewer, abilities.ADMINISTER)
    )
