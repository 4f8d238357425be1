"""Who may use each performance review page and endpoint (merged into MATRIX in
tests/test_permissions.py). A review of our rep, and one of a rep of another region,
are made on first use. A rep never reaches another rep's: 404. A change POSTed with no
data goes back to the review with a message (302) or is refused by the role (403)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from accountable.org import abilities
from accountable.reviews.models import Review, ReviewCycle
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

BAD_BODY = 400


def _review_pk(who: str):
    def build(org) -> int:
        cycle, _ = ReviewCycle.objects.get_or_create(
            name="perm", period="2026-Q3", as_of=date(2026, 9, 30),
            self_due_on=date(2026, 10, 9), manager_due_on=date(2026, 10, 14),
        )  # fmt: skip
        review, _ = Review.objects.get_or_create(cycle=cycle, person=getattr(org, who))
        return review.pk

    return build


def _page(name: str, who: str):
    return url(name, pk=_review_pk(who))


def _api(name: str, who: str):
    return lambda org: reverse(name, kwargs={"review_id": _review_pk(who)(org)})


SEES_OTHER = {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}
BACK = LOGIN  # a redirect back to the review, with a message


def _post_only(name: str, own: dict, other: dict, note: str) -> list[Case]:
    return [
        Case(_page(name, "rep"), everyone(NOT_ALLOWED), note="POST only"),
        Case(_page(name, "rep"), own, method="post", note=f"the rep's own: {note}"),
        Case(_page(name, "other_rep"), other, method="post", note="a rep of another region's"),
    ]


CASES: dict[str, list[Case]] = {
    "reviews:list": [
        Case(url("reviews:list"), everyone(OK)),
        Case(
            url("reviews:list"),
            holders(abilities.RUN_REVIEW_CYCLES, yes=OK),
            method="post",
            note="no data: the admin's form again with its messages; nobody else opens cycles",
        ),
    ],
    "reviews:detail": [
        Case(_page("reviews:detail", "rep"), everyone(OK), note="the rep's own"),
        Case(_page("reviews:detail", "rep2"), {**everyone(OK), "rep": HIDDEN}, note="a teammate's"),
        Case(_page("reviews:detail", "other_rep"), SEES_OTHER, note="a rep of another region's"),
    ],
    "reviews:assessment": _post_only(
        "reviews:assessment",
        {"anonymous": LOGIN, "rep": BACK, "manager": BACK, "executive": BACK, "admin": BACK},
        {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": BACK, "admin": BACK},
        "the rep and the manager save a draft; an executive is told they write none",
    ),
    "reviews:outcome": _post_only(
        "reviews:outcome",
        {
            "anonymous": LOGIN,
            "rep": FORBIDDEN,
            "manager": BACK,
            "executive": FORBIDDEN,
            "admin": BACK,
        },
        {
            "anonymous": LOGIN,
            "rep": FORBIDDEN,
            "manager": HIDDEN,
            "executive": FORBIDDEN,
            "admin": BACK,
        },
        "managers and admins; no data (and no assessments yet): back with a message",
    ),
    "reviews:acknowledge": _post_only(
        "reviews:acknowledge",
        {"anonymous": LOGIN, "rep": BACK, "manager": BACK, "executive": BACK, "admin": BACK},
        {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": BACK, "admin": BACK},
        "the person alone acknowledges; nothing to acknowledge yet: back with a message",
    ),
    "api:performance_review_list": [Case(url("api:performance_review_list"), api(everyone(OK)))],
    "api:performance_review_get": [
        Case(_api("api:performance_review_get", "rep"), api(everyone(OK)), note="the rep's own"),
        Case(
            _api("api:performance_review_get", "rep2"),
            api({**everyone(OK), "rep": HIDDEN}),
            note="a teammate's",
        ),
        Case(
            _api("api:performance_review_get", "other_rep"),
            api(SEES_OTHER),
            note="another region's",
        ),
    ],
    "api:assessment_submit": [
        Case(
            _api("api:assessment_submit", "rep"),
            everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED),
            note="POST only",
        ),
        Case(
            _api("api:assessment_submit", "rep"),
            api(everyone(BAD_BODY)),
            method="post",
            note="no JSON body: each writes their own side",
        ),
        Case(
            _api("api:assessment_submit", "other_rep"),
            api(everyone(BAD_BODY)),
            method="post",
            note="another region's, with no JSON body: the body is read first (with one, a "
            "rep or a manager elsewhere gets 404: tests/reviews/test_api.py)",
        ),
    ],
}
