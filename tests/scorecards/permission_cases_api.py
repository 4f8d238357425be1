"""Who may call the scorecard API endpoints. Merged into the permission matrix by
tests/scorecards/permission_cases.py (`CASES.update(API_CASES)`).

Everyone signed in may read scorecards: each gets the rows they may see (a rep their
own, a manager their teams'); a team or person outside their reach is 404.
"""

from __future__ import annotations

from django.urls import reverse

from tests.test_permissions import HIDDEN, OK, Case, api, everyone, url


def _with(name: str, **query: str):
    def build(org) -> str:
        values = {key: value(org) if callable(value) else value for key, value in query.items()}
        return reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in values.items())

    return build


API_CASES: dict[str, list[Case]] = {
    "api:scorecards": [
        Case(url("api:scorecards"), api(everyone(OK))),
        Case(
            _with("api:scorecards", period="2026-Q3", person="otherrep@acme.test"),
            api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}),
            note="a rep of another region",
        ),
        Case(
            _with("api:scorecards", period="2026-Q3", team="North%20Field"),
            api({"rep": HIDDEN, "manager": OK, "executive": OK, "admin": OK}),
            note="the manager's own team",
        ),
    ],
    "api:scorecard_teams": [
        Case(_with("api:scorecard_teams", period="2026-Q3"), api(everyone(OK))),
    ],
}
CASES = API_CASES
