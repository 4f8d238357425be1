"""Who may use each targets and goals URL (merged into MATRIX in tests/test_permissions.py).

Writes posted with empty data: a role that may write gets the page back with a
plain message (302 to the grid, or the form again); one that may not gets 403.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accountable.goals.models import Goal, KeyResult, Objective
from accountable.org import abilities
from accountable.org.models import Person
from tests.test_permissions import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    UNAUTHORISED,
    Case,
    api,
    everyone,
    holders,
    url,
)


def _goal_of(person: Person) -> int:
    goal = Goal.objects.filter(person=person).first()
    if goal is None:
        goal = Goal.objects.create(
            person=person, metric="revenue", target_value=Decimal(1000), period="2026-Q3"
        )
    return goal.pk


def _objective(org) -> int:
    objective = Objective.objects.filter(title="Perm team objective").first()
    if objective is None:
        objective = Objective.objects.create(
            title="Perm team objective",
            level="team",
            team=org.north_field,
            period="2026-Q3",
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
        )
    return objective.pk


def _key_result(org) -> int:
    objective = Objective.objects.get(pk=_objective(org))
    kr = objective.key_results.first() or KeyResult.objects.create(
        objective=objective, metric="revenue", target_value=Decimal(1000)
    )
    return kr.pk


def setters(ok: int = LOGIN) -> dict[str, int]:
    """Who sets targets (managers and admins; reps and executives may not)."""
    return holders(abilities.SET_TARGETS, yes=ok)


def api_setters(ok: int) -> dict[str, int]:
    return holders(abilities.SET_TARGETS, yes=ok, anonymous=UNAUTHORISED)


CASES: dict[str, list[Case]] = {
    "goals:targets": [Case(url("goals:targets"), everyone(OK))],
    "goals:target_row": [
        Case(url("goals:target_row"), everyone(NOT_ALLOWED), note="POST only"),
        Case(url("goals:target_row"), setters(), method="post", note="empty: message, back"),
    ],
    "goals:target_split": [
        Case(url("goals:target_split"), everyone(NOT_ALLOWED), note="POST only"),
        Case(url("goals:target_split"), setters(), method="post"),
    ],
    "goals:target_allocate": [
        Case(url("goals:target_allocate"), everyone(NOT_ALLOWED), note="POST only"),
        Case(url("goals:target_allocate"), setters(), method="post"),
    ],
    "goals:goals": [Case(url("goals:goals"), everyone(OK))],
    "goals:goal_new": [Case(url("goals:goal_new"), everyone(OK))],
    "goals:goal_check": [
        Case(url("goals:goal_check"), everyone(NOT_ALLOWED), note="POST only"),
        Case(url("goals:goal_check"), everyone(OK), method="post"),
    ],
    "goals:goal": [
        Case(
            url("goals:goal", pk=lambda o: _goal_of(o.rep)),
            everyone(OK),
            note="the rep's own goal, seen by their manager",
        ),
        Case(
            url("goals:goal", pk=lambda o: _goal_of(o.other_rep)),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
            note="a goal of a rep in another region",
        ),
    ],
    "goals:goal_edit": [
        Case(
            url("goals:goal_edit", pk=lambda o: _goal_of(o.rep)),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": OK,
                "executive": FORBIDDEN,
                "admin": OK,
            },
            note="an active goal: the rep's manager edits it, the rep does not",
        ),
        Case(
            url("goals:goal_edit", pk=lambda o: _goal_of(o.other_rep)),
            {
                "anonymous": LOGIN,
                "rep": HIDDEN,
                "manager": HIDDEN,
                "executive": FORBIDDEN,
                "admin": OK,
            },
        ),
    ],
    "goals:goal_done": [
        Case(url("goals:goal_done", pk=lambda o: _goal_of(o.rep)), everyone(NOT_ALLOWED)),
        Case(
            url("goals:goal_done", pk=lambda o: _goal_of(o.rep)),
            setters(),
            method="post",
            note="a metric goal: message (only milestones are marked done), back",
        ),
    ],
    "goals:goal_measures": [
        Case(url("goals:goal_measures", pk=lambda o: _goal_of(o.rep)), everyone(NOT_ALLOWED)),
        Case(
            url("goals:goal_measures", pk=lambda o: _goal_of(o.rep)),
            setters(),
            method="post",
            note="saves the rep's activity targets, back to their goals page",
        ),
    ],
    "goals:person": [
        Case(url("goals:person", pk=lambda o: o.rep.pk), everyone(OK)),
        Case(
            url("goals:person", pk=lambda o: o.other_rep.pk),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
        ),
    ],
    "goals:okrs": [Case(url("goals:okrs"), everyone(OK))],
    "goals:objective_new": [
        Case(url("goals:objective_new"), everyone(NOT_ALLOWED), note="POST only"),
        Case(
            url("goals:objective_new"),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": LOGIN,
                "executive": LOGIN,
                "admin": LOGIN,
            },
            method="post",
            note="empty: message, back to the tree",
        ),
    ],
    "goals:key_result_new": [
        Case(url("goals:key_result_new", pk=_objective), everyone(NOT_ALLOWED)),
        Case(
            url("goals:key_result_new", pk=_objective),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": LOGIN,
                "executive": LOGIN,
                "admin": LOGIN,
            },
            method="post",
            note="empty input: message, back",
        ),
        Case(
            url("goals:key_result_new", pk=_objective),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": LOGIN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            data={"metric": "revenue", "target_value": "5000"},
            note="executives set company objectives, not a team's",
        ),
    ],
    "goals:key_result_confidence": [
        Case(url("goals:key_result_confidence", pk=_key_result), everyone(NOT_ALLOWED)),
        Case(
            url("goals:key_result_confidence", pk=_key_result),
            everyone(LOGIN),
            method="post",
            note="the rep is on the team: sees it; empty input: message, back",
        ),
        Case(
            url("goals:key_result_confidence", pk=_key_result),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": LOGIN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            data={"confidence": "7"},
            note="the team's manager (or an admin) updates it",
        ),
    ],
    "api:targets": [Case(url("api:targets"), api(everyone(OK)))],
    "api:target_put": [
        Case(url("api:target_put"), api_setters(422), method="put", note="no body: 422"),
    ],
    "api:targets_split": [
        Case(
            url("api:targets_split"), everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED), note="POST only"
        ),
        Case(url("api:targets_split"), api_setters(400), method="post", note="no JSON body: 400"),
    ],
    "api:targets_allocate": [
        Case(
            url("api:targets_allocate"),
            everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED),
            note="POST only",
        ),
        Case(
            url("api:targets_allocate"), api_setters(400), method="post", note="no JSON body: 400"
        ),
    ],
}
