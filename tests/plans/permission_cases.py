"""Who may use each plan page (merged into MATRIX in tests/test_permissions.py).

A quarterly plan of our rep (their manager manages them) and one of a rep of another
region are made on first use, with a review, a catch-up plan, an action and an account;
a change POSTed with no data is refused with a message (back to the plan, 302) or by the
role (403); one of someone the viewer may not see is 404."""

from __future__ import annotations

from datetime import date

from accountable.crm.models import Account
from accountable.org import abilities
from accountable.plans.models import CatchUp, Plan, PlanAction, PlanReview
from tests.test_permissions import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    Case,
    api,
    everyone,
    holders,
    url,
)


def _plan_of(who: str):
    def build(org) -> int:
        found, _ = Plan.objects.get_or_create(
            person=getattr(org, who),
            kind="quarterly",
            period="2027-Q1",
            defaults={
                "period_start": date(2027, 1, 1),
                "period_end": date(2027, 3, 31),
                "due_on": date(2027, 1, 15),
                "state": "approved",
            },
        )
        return found.pk

    return build


def _review_of(who: str):
    def build(org) -> int:
        found, _ = PlanReview.objects.get_or_create(
            plan_id=_plan_of(who)(org),
            defaults={"as_of": date(2027, 2, 1), "figures": {}, "why": "w", "what_now": "n"},
        )
        return found.pk

    return build


def _catch_up_of(who: str):
    def build(org) -> int:
        found, _ = CatchUp.objects.get_or_create(
            review_id=_review_of(who)(org),
            defaults={"person": getattr(org, who), "shortfall": 1, "weeks": []},
        )
        return found.pk

    return build


def _action_of_own(org) -> int:
    found, _ = PlanAction.objects.get_or_create(
        plan_id=OWN(org), text="perm", defaults={"due_on": date(2027, 2, 1)}
    )
    return found.pk


def _account_of(who: str):
    def build(org) -> int:
        found, _ = Account.objects.get_or_create(
            name=f"perm-{who}", defaults={"owner": getattr(org, who)}
        )
        return found.pk

    return build


OWN, OTHER = _plan_of("rep"), _plan_of("other_rep")
SEES_OTHER = {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}
WRITERS = (abilities.WRITE_PLANS, abilities.REVIEW_PLANS)


def _posted(name: str, needed, **pk) -> list[Case]:
    """POST only: no data is refused with a message, back to the plan (302); another
    region's is hidden from those who may not see it."""
    own = {k: v("rep") for k, v in pk.items()} if pk else {"pk": OWN}
    other = {k: v("other_rep") for k, v in pk.items()} if pk else {"pk": OTHER}
    allowed = holders(*needed, yes=LOGIN)
    return [
        Case(url(name, **own), everyone(NOT_ALLOWED), note="POST only"),
        Case(url(name, **own), allowed, method="post", note="no data: a message, nothing changes"),
        Case(
            url(name, **other),
            {**allowed, **{r: HIDDEN for r in ("rep", "manager") if allowed[r] != FORBIDDEN}},
            method="post",
            note="another region's",
        ),
    ]


CASES = {
    "plans:list": [
        Case(url("plans:list"), everyone(OK)),
        Case(
            url("plans:list"),
            holders(abilities.WRITE_PLANS),
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "plans:accounts": [
        Case(url("plans:accounts"), everyone(OK)),
        Case(
            url("plans:accounts"),
            holders(abilities.WRITE_PLANS),
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "plans:detail": [
        Case(url("plans:detail", pk=OWN), everyone(OK), note="the rep's own"),
        Case(url("plans:detail", pk=OTHER), SEES_OTHER),
    ],
    "plans:present": [
        Case(url("plans:present", pk=OWN), everyone(OK), note="the rep's own"),
        Case(url("plans:present", pk=OTHER), SEES_OTHER),
    ],
    "plans:review": [
        Case(url("plans:review", pk=OWN), everyone(OK), note="the rep's own"),
        Case(url("plans:review", pk=OTHER), SEES_OTHER),
        Case(
            url("plans:review", pk=OWN),
            {**holders(*WRITERS), "executive": FORBIDDEN},
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "plans:account": [
        Case(url("plans:account", pk=_account_of("rep")), everyone(OK), note="the rep's own"),
        Case(url("plans:account", pk=_account_of("other_rep")), SEES_OTHER),
    ],
    "plans:update": _posted("plans:update", WRITERS),
    "plans:comment": _posted("plans:comment", WRITERS),
    "plans:action_add": _posted("plans:action_add", WRITERS),
    "plans:decide": _posted("plans:decide", (abilities.REVIEW_PLANS,)),
    "plans:action_set": [
        Case(url("plans:action_set", pk=OWN, action_pk=_action_of_own), everyone(NOT_ALLOWED)),
        Case(
            url("plans:action_set", pk=OWN, action_pk=_action_of_own),
            holders(*WRITERS, yes=LOGIN),
            method="post",
            note="no state: a message, nothing changes",
        ),
    ],
    "plans:sign_off": _posted(
        "plans:sign_off", (abilities.REVIEW_PLANS,), pk=lambda who: _review_of(who)
    ),
    "plans:catch_up_close": _posted(
        "plans:catch_up_close", (abilities.REVIEW_PLANS,), pk=lambda who: _catch_up_of(who)
    ),
}


# --- the API: anonymous callers get 401; another region's plan is 404, never 403 --------

BAD_BODY = 400
API_OTHER = api({"rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK})


def _api(name: str, who: str = "rep"):
    return url(name, plan_id=_plan_of(who))


def _api_post(name: str, needed, status: int, why: str) -> list[Case]:
    """POSTed with no JSON body: a caller the role check lets through gets `status`."""
    return [
        Case(_api(name), everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED), note="POST only"),
        Case(_api(name), api(holders(*needed, yes=status)), method="post", note=why),
    ]


CASES.update(
    {
        "api:plan_list": [Case(url("api:plan_list"), api(everyone(OK)))],
        "api:plan_create": [
            Case(
                url("api:plan_create"),
                api(holders(*WRITERS, yes=BAD_BODY)),
                method="post",
                note="no JSON body: whoever writes plans starts their own",
            )
        ],
        "api:plan_get": [
            Case(_api("api:plan_get"), api(everyone(OK)), note="the rep's own"),
            Case(_api("api:plan_get", "other_rep"), API_OTHER, note="another region's rep's"),
        ],
        "api:plan_update": [
            Case(
                _api("api:plan_update"),
                api(holders(*WRITERS, yes=BAD_BODY)),
                method="patch",
                note="an approved plan: refused in words, nothing changes",
            ),
            Case(
                _api("api:plan_update", "other_rep"),
                {**api(holders(*WRITERS, yes=BAD_BODY)), "rep": HIDDEN, "manager": HIDDEN},
                method="patch",
                note="another region's rep's",
            ),
        ],
        "api:plan_actuals": [
            Case(_api("api:plan_actuals"), api(everyone(OK)), note="the rep's own"),
            Case(_api("api:plan_actuals", "other_rep"), API_OTHER, note="another region's"),
        ],
        "api:plan_submit": _api_post(
            "api:plan_submit", WRITERS, BAD_BODY, "an approved plan: refused in words"
        ),
        "api:plan_decide": _api_post(
            "api:plan_decide", (abilities.REVIEW_PLANS,), BAD_BODY, "no JSON body"
        ),
        "api:plan_comment": _api_post("api:plan_comment", WRITERS, BAD_BODY, "no JSON body"),
        "api:plan_review": _api_post("api:plan_review", WRITERS, BAD_BODY, "no JSON body"),
        "api:account_plan_list": [Case(url("api:account_plan_list"), api(everyone(OK)))],
        "api:account_plan_save": [
            Case(
                url("api:account_plan_save"),
                api(holders(*WRITERS, yes=BAD_BODY)),
                method="post",
                note="no JSON body",
            )
        ],
        "api:plan_action_add": _api_post("api:plan_action_add", WRITERS, BAD_BODY, "no body"),
        "api:plan_action_set": [
            Case(
                url("api:plan_action_set", plan_id=OWN, action_id=_action_of_own),
                api(holders(*WRITERS, yes=BAD_BODY)),
                method="post",
                note="no JSON body",
            )
        ],
        "api:plan_review_sign_off": [
            Case(
                url("api:plan_review_sign_off", review_id=_review_of("rep")),
                api(holders(abilities.REVIEW_PLANS)),
                method="post",
                note="the rep's manager and an admin sign it off",
            ),
            Case(
                url("api:plan_review_sign_off", review_id=_review_of("other_rep")),
                {**api(holders(abilities.REVIEW_PLANS)), "manager": HIDDEN},
                method="post",
                note="another region's",
            ),
        ],
        "api:catch_up_close": [
            Case(
                url("api:catch_up_close", catch_up_id=_catch_up_of("rep")),
                api(holders(abilities.REVIEW_PLANS, yes=BAD_BODY)),
                method="post",
                note="no JSON body",
            )
        ],
    }
)
