"""Who may use each sales-data URL (merged into MATRIX in tests/test_permissions.py).

Deals are made on first use: the rep's own deal (in North Field, which the
manager manages), a deal of a rep in another region (South), and a South deal
that credits our rep with a split.
"""

from __future__ import annotations

from decimal import Decimal

from accountable.crm.models import Deal, DealMilestone, DealSplit, Milestone, Stage
from accountable.org import abilities
from accountable.org.models import Person
from tests.crm.factories import DealFactory, ensure_pipeline
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


def _deal_of(person: Person, external_id: str) -> Deal:
    deal = Deal.objects.filter(external_id=external_id).first()
    return deal or DealFactory(external_id=external_id, owner=person)


def own_deal(org) -> int:
    return _deal_of(org.rep, "perm-own").pk


def other_region_deal(org) -> int:
    return _deal_of(org.other_rep, "perm-south").pk


def split_deal(org) -> int:
    """A South deal that credits our rep with 30%: visible to the rep and their manager."""
    deal = _deal_of(org.other_rep, "perm-split")
    DealSplit.objects.get_or_create(deal=deal, person=org.rep, defaults={"share": Decimal(30)})
    DealSplit.objects.get_or_create(
        deal=deal, person=org.other_rep, defaults={"share": Decimal(70)}
    )
    return deal.pk


def prospecting_milestone(org) -> int:
    ensure_pipeline()
    return Milestone.objects.get(name="Contact identified").pk


def writers(anonymous: int = LOGIN) -> dict[str, int]:
    """Who writes sales data (reps, managers and admins; executives only read it)."""
    return holders(abilities.WRITE_SALES_DATA, anonymous=anonymous)


TICK = {"done": "1"}


def proposal_stage(org) -> int:
    ensure_pipeline()
    return Stage.objects.get(name="Proposal").pk


def pipeline_editors(yes: int) -> dict[str, int]:
    """The pipeline's pages: its editors get `yes`, the others 403."""
    return holders(abilities.EDIT_PIPELINE, yes=yes)


# Each change is POSTed with no data: an editor is sent back to the page with what was
# wrong (nothing changes), everyone else is refused.
PIPELINE_CHANGES = {
    "crm:stage_edit": proposal_stage,
    "crm:stage_move": proposal_stage,
    "crm:stage_merge": proposal_stage,
    "crm:stage_delete": lambda org: used_stage(org),
    "crm:milestone_add": proposal_stage,
    "crm:milestone_delete": lambda org: done_milestone(org),
}


def used_stage(org) -> int:
    """A stage holding a deal: removing it is refused, so the case changes nothing."""
    ensure_pipeline()
    _deal_of(org.rep, "perm-own")
    return Stage.objects.get(name="Prospecting").pk


def done_milestone(org) -> int:
    """A milestone done on a deal: removing it is refused, so the case changes nothing."""
    milestone = Milestone.objects.get(pk=prospecting_milestone(org))
    deal = _deal_of(org.rep, "perm-own")
    DealMilestone.objects.get_or_create(
        deal=deal, milestone=milestone, defaults={"done_on": "2026-08-03"}
    )
    return milestone.pk


CASES: dict[str, list[Case]] = {
    "crm:deals": [Case(url("crm:deals"), everyone(OK))],
    "crm:deal_new": [
        Case(url("crm:deal_new"), writers()),
        Case(
            url("crm:deal_new"),
            {"anonymous": LOGIN, "rep": OK, "manager": OK, "executive": FORBIDDEN, "admin": OK},
            method="post",
            data={"name": ""},
            note="bad input re-renders the form with messages",
        ),
    ],
    "crm:deal": [
        Case(url("crm:deal", pk=own_deal), everyone(OK), note="the rep's own deal"),
        Case(
            url("crm:deal", pk=other_region_deal),
            {"anonymous": LOGIN, "rep": HIDDEN, "manager": HIDDEN, "executive": OK, "admin": OK},
            note="a deal of another region",
        ),
        Case(
            url("crm:deal", pk=split_deal),
            everyone(OK),
            note="another region's deal that credits the rep by a split",
        ),
    ],
    "crm:deal_edit": [
        Case(url("crm:deal_edit", pk=own_deal), writers(), note="the rep's own deal"),
        Case(
            url("crm:deal_edit", pk=other_region_deal),
            {
                "anonymous": LOGIN,
                "rep": HIDDEN,
                "manager": HIDDEN,
                "executive": FORBIDDEN,
                "admin": OK,
            },
            note="a deal of another region",
        ),
        Case(
            url("crm:deal_edit", pk=split_deal),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": FORBIDDEN,
                "executive": FORBIDDEN,
                "admin": OK,
            },
            note="credited by a split, but owned by someone else: read-only",
        ),
    ],
    "crm:deal_milestone": [
        Case(
            url("crm:deal_milestone", pk=own_deal, milestone_pk=prospecting_milestone),
            everyone(NOT_ALLOWED),
            note="POST only",
        ),
        Case(
            url("crm:deal_milestone", pk=own_deal, milestone_pk=prospecting_milestone),
            {
                "anonymous": LOGIN,
                "rep": LOGIN,
                "manager": LOGIN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            data=TICK,
            note="ticked, then redirected back to the deal",
        ),
        Case(
            url("crm:deal_milestone", pk=other_region_deal, milestone_pk=prospecting_milestone),
            {
                "anonymous": LOGIN,
                "rep": HIDDEN,
                "manager": HIDDEN,
                "executive": FORBIDDEN,
                "admin": LOGIN,
            },
            method="post",
            data=TICK,
            note="a deal of another region",
        ),
    ],
    "crm:pipeline": [
        Case(url("crm:pipeline"), pipeline_editors(OK)),
        Case(
            url("crm:pipeline"),
            pipeline_editors(LOGIN),
            method="post",
            note="no data: back to the page, saying what was wrong",
        ),
    ],
    **{
        name: [
            Case(url(name, pk=pk), everyone(NOT_ALLOWED), note="POST only"),
            Case(
                url(name, pk=pk),
                pipeline_editors(LOGIN),
                method="post",
                note="refused for bad or missing input: back to the page",
            ),
        ]
        for name, pk in PIPELINE_CHANGES.items()
    },
    "crm:activities": [Case(url("crm:activities"), everyone(OK))],
    "crm:activity_new": [Case(url("crm:activity_new"), writers())],
    "crm:feedback": [Case(url("crm:feedback"), everyone(OK))],
    "crm:feedback_new": [
        Case(
            url("crm:feedback_new"),
            {
                "anonymous": LOGIN,
                "rep": FORBIDDEN,
                "manager": OK,
                "executive": FORBIDDEN,
                "admin": OK,
            },
            note="managers and admins record customer feedback",
        )
    ],
}
