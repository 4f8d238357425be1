"""Who may have each review packet (merged into MATRIX in tests/test_permissions.py): the
person their own, their manager and those above, an executive and an admin; never
another rep — not one of the same team, not one of another region (404, page, PDF and
API alike)."""

from __future__ import annotations

from django.urls import reverse

from tests.test_permissions import HIDDEN, LOGIN, OK, Case, api, everyone

OWN = everyone(OK)
SAME_TEAM = {"anonymous": LOGIN, "rep": HIDDEN, "manager": OK, "executive": OK, "admin": OK}
OTHER_REGION = {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}


def _of(name: str, who: str):
    return lambda org: reverse(name, args=[getattr(org, who).pk]) + "?period=2026-Q3"


def _api_of(who: str):
    return lambda org: (
        reverse("api:packet_download") + f"?person={getattr(org, who).email}&period=2026-Q3"
    )


CASES: dict[str, list[Case]] = {
    name: [
        Case(_of(name, "rep"), OWN, note="the rep's own"),
        Case(_of(name, "rep2"), SAME_TEAM, note="another rep of the same team"),
        Case(_of(name, "other_rep"), OTHER_REGION, note="a rep of another region"),
    ]
    for name in ("packets:page", "packets:pdf")
}
CASES["api:packet_download"] = [
    Case(_api_of("rep"), api(OWN), note="the rep's own"),
    Case(_api_of("rep2"), api(SAME_TEAM), note="another rep of the same team"),
    Case(_api_of("other_rep"), api(OTHER_REGION), note="a rep of another region"),
]
