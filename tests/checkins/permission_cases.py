"""Who may use each check-in page (merged into MATRIX in tests/test_permissions.py).

A check-in of our rep with their manager, and one of a rep of another region, are
made on first use; a change POSTed with no data is refused with a message (back to the
meeting, 302) or by the role (403); one of someone the viewer may not see is 404."""

from __future__ import annotations

from datetime import UTC, datetime

from accountable.checkins.models import ActionItem, CheckIn
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

WHEN = datetime(2027, 3, 2, 14, tzinfo=UTC)


def _checkin_of(who: str, manager: str):
    def build(org) -> int:
        # The first of them: holding a weekly check-in schedules the next of the series.
        people = {"person": getattr(org, who), "manager": getattr(org, manager)}
        found = CheckIn.objects.filter(**people).order_by("pk").first()
        return (found or CheckIn.objects.create(**people, starts_at=WHEN)).pk

    return build


OWN = _checkin_of("rep", "manager")
OTHER = _checkin_of("other_rep", "other_manager")


def _action_of_own(org) -> int:
    checkin = CheckIn.objects.get(pk=OWN(org))
    found, _ = ActionItem.objects.get_or_create(
        owner=org.rep,
        about=org.rep,
        checkin=checkin,
        text="perm",
        defaults={"due_on": "2027-03-09"},
    )
    return found.pk


SEES_OWN = everyone(OK)
SEES_OTHER = {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK}
RUNS_OWN = {
    "anonymous": LOGIN,
    "rep": LOGIN,
    "manager": LOGIN,
    "executive": FORBIDDEN,
    "admin": LOGIN,
}
RUNS_OTHER = {
    "anonymous": LOGIN,
    "rep": FORBIDDEN,
    "manager": HIDDEN,
    "executive": FORBIDDEN,
    "admin": LOGIN,
}


def _run_only(name: str) -> list[Case]:
    runners = {**holders(abilities.RUN_CHECKINS, yes=LOGIN)}
    return [
        Case(url(name, pk=OWN), everyone(NOT_ALLOWED), note="POST only"),
        Case(url(name, pk=OWN), runners, method="post", note="the rep's manager, an admin"),
        Case(
            url(name, pk=OTHER),
            {**runners, "manager": HIDDEN},
            method="post",
            note="another region's check-in",
        ),
    ]


def _proposal_for(who: str):
    def build(org) -> int:
        from accountable.checkins.models import CadenceProposal

        found, _ = CadenceProposal.objects.get_or_create(
            person=getattr(org, who), defaults={"because": "perm", "proposed_on": "2027-03-01"}
        )
        return found.pk

    return build


def _review_of(who: str):
    def build(org) -> int:
        from accountable.checkins.models import PipelineReview

        found, _ = PipelineReview.objects.get_or_create(
            person=getattr(org, who), defaults={"since": "2027-02-15", "held_on": "2027-03-01"}
        )
        return found.pk

    return build


CASES = {
    "checkins:reviews": [
        Case(url("checkins:reviews"), everyone(OK)),
        Case(
            url("checkins:reviews"),
            holders(abilities.RUN_CHECKINS),
            method="post",
            note="nobody chosen: the form again with its message",
        ),
    ],
    "checkins:review": [
        Case(url("checkins:review", pk=_review_of("rep")), everyone(OK), note="the rep's own"),
        Case(url("checkins:review", pk=_review_of("other_rep")), SEES_OTHER),
    ],
    **{
        name: [
            Case(url(name, pk=_review_of("rep")), everyone(NOT_ALLOWED), note="POST only"),
            Case(
                url(name, pk=_review_of("rep")),
                holders(abilities.RUN_CHECKINS, yes=LOGIN),
                method="post",
                note="no data: a message, nothing changes, back to the review",
            ),
            Case(
                url(name, pk=_review_of("other_rep")),
                {**holders(abilities.RUN_CHECKINS, yes=LOGIN), "manager": HIDDEN},
                method="post",
                note="another region's",
            ),
        ]
        for name in ("checkins:review_decide", "checkins:review_notes")
    },
    "checkins:reports": [
        Case(url("checkins:reports"), everyone(OK)),
        Case(
            url("checkins:reports"),
            holders(abilities.SELF_REPORT),
            method="post",
            note="nothing said: the form again with its message",
        ),
    ],
    "checkins:cadence_decide": [
        Case(
            url("checkins:cadence_decide", pk=_proposal_for("rep")),
            everyone(NOT_ALLOWED),
            note="POST only",
        ),
        Case(
            url("checkins:cadence_decide", pk=_proposal_for("rep")),
            holders(abilities.RUN_CHECKINS, yes=LOGIN),
            method="post",
            note="no decision given: a message, nothing changes",
        ),
        Case(
            url("checkins:cadence_decide", pk=_proposal_for("other_rep")),
            {**holders(abilities.RUN_CHECKINS, yes=LOGIN), "manager": FORBIDDEN},
            method="post",
            note="a rep of another region's",
        ),
    ],
    "checkins:list": [
        Case(url("checkins:list"), everyone(OK)),
        Case(
            url("checkins:list"),
            holders(abilities.RUN_CHECKINS),
            method="post",
            note="no data: the form again with its messages",
        ),
    ],
    "checkins:detail": [
        Case(url("checkins:detail", pk=OWN), SEES_OWN, note="the rep's own, with their manager"),
        Case(url("checkins:detail", pk=OTHER), SEES_OTHER, note="another region's"),
    ],
    "checkins:invite": [
        Case(url("checkins:invite", pk=OWN), SEES_OWN),
        Case(url("checkins:invite", pk=OTHER), SEES_OTHER),
    ],
    "checkins:agenda": [
        Case(url("checkins:agenda", pk=OWN), everyone(NOT_ALLOWED), note="POST only"),
        Case(
            url("checkins:agenda", pk=OWN),
            RUNS_OWN | {"executive": LOGIN},
            method="post",
            note="nothing to add: a message, back to the meeting",
        ),
        Case(
            url("checkins:agenda", pk=OTHER),
            SEES_OTHER | {"executive": LOGIN, "admin": LOGIN},
            method="post",
        ),
    ],
    **{
        name: _run_only(name)
        for name in (
            "checkins:notes",
            "checkins:hold",
            "checkins:reschedule",
            "checkins:cancel",
            "checkins:action",
            "checkins:commitment",
        )
    },
    "checkins:action_state": [
        Case(
            url("checkins:action_state", pk=_action_of_own), everyone(NOT_ALLOWED), note="POST only"
        ),
        Case(
            url("checkins:action_state", pk=_action_of_own),
            {
                "anonymous": LOGIN,
                "rep": LOGIN,
                "manager": LOGIN,
                "executive": LOGIN,
                "admin": LOGIN,
            },
            method="post",
            note="no state given: a message, back to the list",
        ),
    ],
}
