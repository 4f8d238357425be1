"""Finding the person an API call names by e-mail, among those the caller may see."""

from __future__ import annotations

from ninja.errors import HttpError

from accountable.org.models import Person
from accountable.org.scoping import visible_people


def person_by_email(viewer: Person, email: str, *, blank: Person | None = None) -> Person | None:
    """The person with this e-mail among those the viewer may see (404 otherwise, in
    the same words whether they exist or not); `blank` for no e-mail."""
    text = (email or "").strip()
    if not text:
        return blank
    found = visible_people(viewer).filter(email__iexact=text).first()
    if found is None:
        raise HttpError(404, f"No one with the e-mail {text} among the people you may see.")
    return found
