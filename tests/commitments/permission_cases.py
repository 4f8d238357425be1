"""Who may use each commitment page (merged into MATRIX in tests/test_permissions.py).

The rep's own commitment (the manager manages them) and one of a rep of another
region are made on first use; a POST with no data is refused with a message and
changes nothing."""

from __future__ import annotations

from datetime import date

from accountable.commitments.models import Commitment
from accountable.org import abilities
from tests.test_permissions import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    Case,
    everyone,
    holders,
    url,
)


def _commitment_of(who: str):
    def build(org) -> int:
        person = getattr(org, who)
        found, _ = Commitment.objects.get_or_create(
            person=person, text=f"perm-{who}", defaults={"due_on": date(2027, 3, 1)}
        )
        return found.pk

    return build


OWN, OTHER_REGION = _commitment_of("rep"), _commitment_of("other_rep")


def _posted(name: str, own: dict[str, int], other: dict[str, int]) -> list[Case]:
    """A change POSTed with no data: refused by the role (403), hidden (404), or
    refused by the service with a message and sent back to the page (302)."""
    return [
        Case(url(name, pk=OWN), everyone(NOT_ALLOWED), note="POST only"),
        Case(url(name, pk=OWN), own, method="post", note="the rep's own: back to its page"),
        Case(url(name, pk=OTHER_REGION), other, method="post", note="another region's rep's"),
    ]


CASES = {
    "commitments:list": [
        Case(url("commitments:list"), everyone(OK)),
        Case(
            url("commitments:list"),
            holders(abilities.MAKE_COMMITMENTS, yes=OK),
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "commitments:detail": [
        Case(url("commitments:detail", pk=OWN), everyone(OK), note="the rep's own"),
        Case(
            url("commitments:detail", pk=OTHER_REGION),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
            note="a rep of another region's: never another rep's",
        ),
    ],
    "commitments:report": _posted(
        "commitments:report",
        own={
            "anonymous": LOGIN,
            "rep": LOGIN,
            "manager": LOGIN,
            "executive": LOGIN,
            "admin": LOGIN,
        },
        other={
            "anonymous": LOGIN,
            "rep": HIDDEN,
            "manager": HIDDEN,
            "executive": LOGIN,
            "admin": LOGIN,
        },
    ),
    "commitments:confirm": _posted(
        "commitments:confirm",
        own={
            "anonymous": LOGIN,
            "rep": FORBIDDEN,
            "manager": LOGIN,
            "executive": FORBIDDEN,
            "admin": LOGIN,
        },
        other={
            "anonymous": LOGIN,
            "rep": FORBIDDEN,
            "manager": HIDDEN,
            "executive": FORBIDDEN,
            "admin": LOGIN,
        },
    ),
    "commitments:withdraw": _posted(
        "commitments:withdraw",
        own={
            "anonymous": LOGIN,
            "rep": LOGIN,
            "manager": LOGIN,
            "executive": LOGIN,
            "admin": LOGIN,
        },
        other={
            "anonymous": LOGIN,
            "rep": HIDDEN,
            "manager": HIDDEN,
            "executive": LOGIN,
            "admin": LOGIN,
        },
    ),
}
