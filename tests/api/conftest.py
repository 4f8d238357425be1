"""Calling the API as a token holder: `token(person, "read", ...)` makes a token
and returns the headers that carry it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accountable.org.models import Person
from accountable.tokens.services import token_create


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """Imports keep rejected rows under VAR_DIR; files are not rolled back with the test."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def token(db) -> Callable[..., dict[str, str]]:
    def make(person: Person, *scopes: str) -> dict[str, str]:
        _, secret = token_create(actor=person, name="test", scopes=scopes or ["read"])
        return bearer(secret)

    return make
