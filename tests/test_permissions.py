"""The permission matrix: every URL in the URL conf, requested as every role.

A new URL that is not listed in MATRIX fails `test_every_url_is_in_the_matrix`,
so nobody can add a page or endpoint without saying who may use it.

Who may open a page comes from the one table of abilities (`org.abilities`): the
expectations are written with `holders(ability)`, and
`test_guarded_pages_follow_the_abilities_table` checks every page guarded by
`ability_required` against the table itself, so a page's cases cannot say a role
gets in that the table keeps out, nor the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accountable.org import abilities
from accountable.org.abilities import Ability
from tests.conftest import Org

ROLES = ["anonymous", "rep", "manager", "executive", "admin"]
OK, LOGIN, FORBIDDEN, HIDDEN, UNAUTHORISED, NOT_ALLOWED = 200, 302, 403, 404, 401, 405


@dataclass
class Case:
    """Who gets what from one URL. `path` builds the URL from the named people."""

    path: Callable[[Org], str]
    expect: dict[str, int]
    method: str = "get"
    note: str = ""
    data: dict = field(default_factory=dict)


def everyone(status: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {"anonymous": anonymous, **{role: status for role in ROLES[1:]}}


def holders(*needed: Ability, anonymous: int = LOGIN, yes: int = OK) -> dict[str, int]:
    """`yes` for each role the abilities table gives one of `needed`, 403 for the others."""
    return {
        "anonymous": anonymous,
        **{
            role: yes if any(role in ability.reach for ability in needed) else FORBIDDEN
            for role in ROLES[1:]
        },
    }


def staff_only(anonymous: int = LOGIN) -> dict[str, int]:
    """The team pages: whoever may see teams."""
    return holders(abilities.SEE_TEAMS, anonymous=anonymous)


def admin_only(anonymous: int = LOGIN) -> dict[str, int]:
    """The administration pages."""
    return holders(abilities.ADMINISTER, anonymous=anonymous)


def api(status_by_role: dict[str, int]) -> dict[str, int]:
    return {**status_by_role, "anonymous": UNAUTHORISED}


def url(name: str, **kwargs) -> Callable[[Org], str]:
    return lambda org: reverse(name, kwargs={k: v(org) for k, v in kwargs.items()})


def _time_off_of(who: str) -> Callable[[Org], str]:
    def build(org: Org) -> str:
        from accountable.org.models import TimeOff

        span, _ = TimeOff.objects.get_or_create(
            person=getattr(org, who), first_day="2026-08-24", last_day="2026-08-28"
        )
        return reverse("org:time_off_delete", kwargs={"pk": span.pk})

    return build


MATRIX: dict[str, list[Case]] = {
    "home": [Case(url("home"), everyone(OK))],
    "healthz": [Case(url("healthz"), everyone(OK, anonymous=OK))],
    "login": [Case(url("login"), {**everyone(LOGIN), "anonymous": OK}, note="signed in: home")],
    "logout": [
        Case(url("logout"), everyone(NOT_ALLOWED), note="POST only"),
        Case(url("logout"), everyone(LOGIN, anonymous=LOGIN), method="post"),
    ],
    "password_change": [Case(url("password_change"), everyone(OK))],
    "password_change_done": [Case(url("password_change_done"), everyone(OK))],
    "password_reset": [Case(url("password_reset"), everyone(OK, anonymous=OK))],
    "password_reset_done": [Case(url("password_reset_done"), everyone(OK, anonymous=OK))],
    "password_reset_confirm": [
        Case(
            lambda org: reverse(
                "password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}
            ),
            everyone(OK, anonymous=OK),
            note="an invalid link renders the 'no longer works' page",
        )
    ],
    "password_reset_complete": [Case(url("password_reset_complete"), everyone(OK, anonymous=OK))],
    "org:tree": [Case(url("org:tree"), staff_only())],
    "org:people": [Case(url("org:people"), staff_only())],
    "org:person": [
        Case(
            url("org:person", pk=lambda o: o.rep.pk),
            {"anonymous": LOGIN, "rep": OK, "manager": OK, "executive": OK, "admin": OK},
            note="the rep themself, and their manager",
        ),
        Case(
            url("org:person", pk=lambda o: o.other_rep.pk),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
            note="a rep of another region",
        ),
    ],
    "org:person_edit": [Case(url("org:person_edit", pk=lambda o: o.rep.pk), admin_only())],
    "org:settings": [Case(url("org:settings"), admin_only())],
    "org:person_new": [Case(url("org:person_new"), admin_only())],
    "org:team_new": [Case(url("org:team_new"), admin_only())],
    "org:team_edit": [Case(url("org:team_edit", pk=lambda o: o.north_field.pk), admin_only())],
    "org:time_off": [
        Case(url("org:time_off"), everyone(OK), note="everyone records their own"),
        Case(
            url("org:time_off"),
            everyone(OK),
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "org:time_off_delete": [
        Case(_time_off_of("rep"), everyone(NOT_ALLOWED), note="POST only"),
        Case(
            _time_off_of("rep"),
            {
                "anonymous": LOGIN,
                "rep": LOGIN,
                "manager": LOGIN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            note="the rep's own: removed (back to the page) by them, their manager, an admin; "
            "an executive sees it but may not remove it",
        ),
        Case(
            _time_off_of("other_rep"),
            {
                "anonymous": LOGIN,
                "rep": HIDDEN,
                "manager": HIDDEN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            note="a rep of another region's",
        ),
    ],
    "audit:list": [Case(url("audit:list"), admin_only())],
    "audit:export": [Case(url("audit:export"), admin_only())],
    "api:api-root": [Case(url("api:api-root"), everyone(HIDDEN, anonymous=HIDDEN))],
    "api:openapi-json": [Case(url("api:openapi-json"), everyone(OK, anonymous=OK))],
    "api:openapi-view": [Case(url("api:openapi-view"), everyone(OK, anonymous=OK))],
    "api:me": [Case(url("api:me"), api(everyone(OK)))],
    "api:people": [Case(url("api:people"), api(everyone(OK)))],
    "api:person": [
        Case(
            url("api:person", person_id=lambda o: o.other_rep.pk),
            api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}),
        ),
    ],
    "api:teams": [Case(url("api:teams"), api(everyone(OK)))],
    "api:period": [Case(url("api:period", label=lambda o: "2026-Q3"), api(everyone(OK)))],
}


def _app_cases() -> dict[str, list[Case]]:
    """Each app's own cases, from tests/<app>/permission_cases.py (a CASES dict)."""
    import importlib
    import pkgutil

    import tests

    found: dict[str, list[Case]] = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            cases = importlib.import_module(f"tests.{module.name}.permission_cases")
        except ModuleNotFoundError:
            continue
        # Two apps naming the same URL would hide one's cases behind the other's.
        clash = sorted(set(found) & set(cases.CASES))
        assert not clash, f"tests.{module.name}.permission_cases names {clash} again"
        found.update(cases.CASES)
    clash = sorted(set(found) & set(MATRIX))
    assert not clash, f"these URLs are both in MATRIX and in an app's cases: {clash}"
    return found


MATRIX.update(_app_cases())


def url_views() -> dict[str, Callable]:
    """Every named URL and its view."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, pattern.callback

    return dict(walk(get_resolver().url_patterns))


def url_names() -> set[str]:
    return set(url_views())


def test_guarded_pages_follow_the_abilities_table():
    """Each page behind `ability_required`: a role the table gives none of its abilities
    is refused (403) in every case, and a role it gives one is never refused for its role
    alone (a 403 there would have to come from the record, not the page)."""
    guarded = {
        name: view.required_abilities
        for name, view in url_views().items()
        if hasattr(view, "required_abilities")
    }
    assert len(guarded) > 20, "the pages are guarded by ability_required"
    wrong = []
    for name, needed in guarded.items():
        table = holders(*needed)
        for index, case in enumerate(MATRIX[name]):
            for role in ROLES[1:]:
                if table[role] == FORBIDDEN and case.expect[role] not in (FORBIDDEN, NOT_ALLOWED):
                    wrong.append(f"{name}[{index}] {role}: the table gives no {needed}")
            if (
                case.method == "get"
                and not case.note
                and all(case.expect[role] in (OK, FORBIDDEN) for role in ROLES[1:])
            ):
                refused = [r for r in ROLES[1:] if table[r] == OK and case.expect[r] != OK]
                wrong.extend(f"{name}[{index}] {r}: the table lets them in" for r in refused)
    assert not wrong, "\n".join(wrong)


def test_every_url_is_in_the_matrix():
    names = url_names()
    assert None not in names and "None" not in names, "every URL needs a name"
    missing = names - set(MATRIX)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"
    assert not set(MATRIX) - names, "the matrix lists URLs that no longer exist"


CASES = [
    pytest.param(name, index, role, id=f"{name}[{index}]-{role}")
    for name, cases in MATRIX.items()
    for index, _ in enumerate(cases)
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_permission_matrix(client, org, name, index, role):
    case = MATRIX[name][index]
    if role != "anonymous":
        client.force_login(org.by_role()[role])
    response = getattr(client, case.method)(case.path(org), case.data)
    expected = case.expect[role]
    assert response.status_code == expected, (
        f"{role} {case.method.upper()} {case.path(org)}: "
        f"got {response.status_code}, expected {expected} {case.note}"
    )
    if expected == LOGIN and role == "anonymous" and name not in {"logout"}:
        assert reverse("login") in response["Location"]
