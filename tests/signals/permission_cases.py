"""Who may use each watchlist URL (merged into MATRIX in tests/test_permissions.py).

A warning is seen by whoever may see its person; it is acknowledged or resolved
by their manager chain and admins. Writes are posted without a note: one who
may write is sent back to the warning with a plain message (302), others 403.
"""

from __future__ import annotations

from datetime import date

from accountable.org import abilities
from accountable.org.models import Person
from accountable.signals.models import WarningSign
from tests.test_permissions import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    UNAUTHORISED,
    Case,
    admin_only,
    api,
    everyone,
    holders,
    url,
)


def warning_of(person: Person) -> int:
    found = WarningSign.objects.filter(person=person).first()
    if found is None:
        found = WarningSign.objects.create(
            person=person,
            kind="complaints",
            severity="medium",
            period="2026-Q3",
            message="2 customer complaints in the last 91 days.",
            evidence={"complaints_91d": 2},
            first_seen_on=date(2026, 8, 17),
            last_seen_on=date(2026, 8, 17),
        )
    return found.pk


def handlers() -> dict[str, int]:
    """Who handles a person's warnings: whoever may act as their manager."""
    return holders(abilities.MANAGE_PERSON, yes=LOGIN)


def write_cases(name: str) -> list[Case]:
    mine = url(name, pk=lambda o: warning_of(o.rep))
    theirs = url(name, pk=lambda o: warning_of(o.other_rep))
    return [
        Case(mine, everyone(NOT_ALLOWED), note="POST only"),
        Case(mine, handlers(), method="post"),
        Case(
            theirs,
            {
                "anonymous": LOGIN,
                "rep": HIDDEN,
                "manager": HIDDEN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            note="a rep of another region",
        ),
    ]


def api_write_cases(name: str) -> list[Case]:
    mine = url(name, warning_id=lambda o: warning_of(o.rep))
    theirs = url(name, warning_id=lambda o: warning_of(o.other_rep))
    handlers = holders(abilities.MANAGE_PERSON, yes=400, anonymous=UNAUTHORISED)
    return [
        Case(mine, everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED), note="POST only"),
        Case(mine, handlers, method="post", note="no JSON body: 400"),
        Case(theirs, {**handlers, "manager": 400}, method="post", note="another region"),
    ]


CASES = {
    "api:warnings": [Case(url("api:warnings"), api(everyone(OK)))],
    "api:warning": [
        Case(url("api:warning", warning_id=lambda o: warning_of(o.rep)), api(everyone(OK))),
        Case(
            url("api:warning", warning_id=lambda o: warning_of(o.other_rep)),
            api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}),
            note="a rep of another region",
        ),
    ],
    "api:warning_acknowledge": api_write_cases("api:warning_acknowledge"),
    "api:warning_resolve": api_write_cases("api:warning_resolve"),
    "api:diagnosis": [Case(url("api:diagnosis"), api(everyone(OK)))],
    "api:rights": [Case(url("api:rights"), api(everyone(OK)))],
    "signals:watchlist": [Case(url("signals:watchlist"), everyone(OK))],
    "signals:warning": [
        Case(url("signals:warning", pk=lambda o: warning_of(o.rep)), everyone(OK)),
        Case(
            url("signals:warning", pk=lambda o: warning_of(o.other_rep)),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
            note="a rep of another region",
        ),
    ],
    "signals:acknowledge": write_cases("signals:acknowledge"),
    "signals:resolve": write_cases("signals:resolve"),
    "signals:thresholds": [
        Case(url("signals:thresholds"), admin_only()),
        Case(
            url("signals:thresholds"),
            {**admin_only(), "admin": LOGIN},
            method="post",
            data={"reset": "all"},
            note="admins are sent back to the page",
        ),
    ],
}
