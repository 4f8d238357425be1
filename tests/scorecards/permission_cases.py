"""Who may open each scorecard page (merged into MATRIX in tests/test_permissions.py),
with the API's cases from permission_cases_api.py.

The board and the roll-up are for managers, executives and admins; everyone has a
scorecard and a leaderboard; a scorecard of someone out of reach is 404, like any
record; the role scorecards are the admin's.
"""

from __future__ import annotations

import runpy
from pathlib import Path

from django.urls import reverse

from tests.test_permissions import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    OK,
    Case,
    admin_only,
    everyone,
    staff_only,
    url,
)

# The API's cases, read from their file rather than imported: tests/scorecards/test_api.py
# imports that module first, it imports the matrix, the matrix imports this file, and an
# import here would find it half-loaded. Read this way, either order works.
API_CASES = runpy.run_path(str(Path(__file__).with_name("permission_cases_api.py")))["API_CASES"]


def _csv(name: str, **kwargs):
    def build(org) -> str:
        return reverse(name, kwargs={k: v(org) for k, v in kwargs.items()}) + "?format=csv"

    return build


CASES: dict[str, list[Case]] = {
    "scorecards:board": [
        Case(url("scorecards:board"), staff_only()),
        Case(_csv("scorecards:board"), staff_only(), note="CSV of the board"),
        Case(
            lambda o: reverse("scorecards:board") + f"?team={o.south_field.pk}",
            staff_only(),
            note="a team out of reach is not offered: the manager sees their own",
        ),
    ],
    "scorecards:mine": [
        Case(url("scorecards:mine"), everyone(OK)),
        Case(_csv("scorecards:mine"), everyone(OK), note="CSV of the goal tiles"),
    ],
    "scorecards:person": [
        Case(
            url("scorecards:person", pk=lambda o: o.rep.pk),
            everyone(OK),
            note="the rep themself, their manager, the executive and the admin",
        ),
        Case(
            url("scorecards:person", pk=lambda o: o.other_rep.pk),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
            note="a rep of another region",
        ),
        Case(
            url("scorecards:person", pk=lambda o: o.rep2.pk),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": OK, "executive": OK, "admin": OK},
            note="a teammate's scorecard is not shared with a rep",
        ),
        Case(
            url("scorecards:person", pk=lambda o: 999_999),
            {
                "anonymous": LOGIN,
                "rep": HIDDEN,
                "manager": HIDDEN,
                "executive": HIDDEN,
                "admin": HIDDEN,
            },
            note="nobody by that id",
        ),
    ],
    "scorecards:rollup": [
        Case(url("scorecards:rollup"), staff_only()),
        Case(_csv("scorecards:rollup"), staff_only()),
    ],
    "scorecards:leaderboard": [
        Case(url("scorecards:leaderboard"), everyone(OK)),
        Case(_csv("scorecards:leaderboard"), everyone(OK)),
    ],
    "scorecards:leaderboard_tv": [Case(url("scorecards:leaderboard_tv"), everyone(OK))],
    "scorecards:settings": [
        Case(url("scorecards:settings"), admin_only()),
        Case(
            url("scorecards:settings"),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": FORBIDDEN,
                "executive": FORBIDDEN,
                "admin": OK,
            },
            method="post",
            note="nothing ticked: the form again with a message, nothing saved",
        ),
    ],
    **API_CASES,
}
