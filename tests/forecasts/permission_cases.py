"""Who may use each forecast page (merged into MATRIX in tests/test_permissions.py)."""

from __future__ import annotations

from accountable.forecasts.models import ForecastSubmission
from accountable.forecasts.weeks import open_week
from accountable.org import abilities
from tests.test_permissions import HIDDEN, LOGIN, NOT_ALLOWED, OK, Case, everyone, holders, url


def _call_of(who: str):
    def build(org) -> int:
        person = getattr(org, who)
        found, _ = ForecastSubmission.objects.get_or_create(
            person=person,
            period="2099-Q1",
            week_of=open_week(),
            defaults={"commit": 100, "best_case": 150},
        )
        return found.pk

    return build


CASES = {
    "forecasts:mine": [
        Case(url("forecasts:mine"), everyone(OK)),
        Case(
            url("forecasts:mine"),
            holders(abilities.SUBMIT_FORECASTS),
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "forecasts:team": [Case(url("forecasts:team"), holders(abilities.SEE_TEAMS))],
    "forecasts:adjust": [
        Case(url("forecasts:adjust", pk=_call_of("rep")), everyone(NOT_ALLOWED), note="POST only"),
        Case(
            url("forecasts:adjust", pk=_call_of("rep")),
            holders(abilities.ADJUST_FORECASTS, yes=LOGIN),
            method="post",
            note="no data: back to the team page, saying what was missing",
        ),
        Case(
            url("forecasts:adjust", pk=_call_of("other_rep")),
            {**holders(abilities.ADJUST_FORECASTS, yes=LOGIN), "manager": HIDDEN},
            method="post",
            note="a rep of another region's call",
        ),
    ],
}
