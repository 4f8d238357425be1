"""Manual entry of sales data, for teams with no CRM (and single records from the API).

Every write goes through `crm.upsert`, the same path as imports, so a deal
typed in by hand gets the same stage history and change log as an imported one.

Who may write (the rules are `org.abilities`' WRITE_SALES_DATA and RECORD_FEEDBACK):
- a rep logs their own activities and creates and edits their own deals;
- a manager does the same for themself and for the people they manage;
- an admin for everyone;
- executives read everything and write nothing;
- customer feedback is recorded by managers (about people they manage) and admins.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.crm.errors import CrmError
from accountable.crm.models import (
    Account,
    Activity,
    ActivityKind,
    Deal,
    DealMilestone,
    Feedback,
    Milestone,
    Stage,
)
from accountable.crm.names import clean_name, name_key
from accountable.crm.selectors import deals_visible_to
from accountable.crm.upsert import (
    accounts_upsert,
    activities_upsert,
    deals_upsert,
    feedback_upsert,
)
from accountable.org import abilities
from accountable.org.models import Person
from accountable.org.scoping import team_shared_people

__all__ = [
    "CrmError",
    "activity_log",
    "can_edit_deal",
    "can_record_feedback",
    "can_write_for",
    "deal_save",
    "feedback_people",
    "feedback_record",
    "milestone_toggle",
    "split_people",
    "writable_people",
]


DEAL_FIELDS = [
    "name",
    "account",
    "owner",
    "product",
    "amount",
    "quantity",
    "type",
    "stage",
    "status",
    "created_on",
    "engaged_on",
    "expected_close_on",
    "closed_on",
    "lost_reason",
]
FEEDBACK_FIELDS = ["person", "kind", "received_on", "account", "note"]


# --- who may write -------------------------------------------------------------------


def can_write_for(actor: Person, person: Person) -> bool:
    """May `actor` enter sales data (deals, activities) for `person`?"""
    return abilities.may(actor, abilities.WRITE_SALES_DATA, person)


def writable_people(actor: Person) -> QuerySet[Person]:
    """Active people the actor may enter sales data for: themself, and whom they manage
    (the same rule as `can_write_for`, as one query for form choices)."""
    return (
        abilities.people(actor, abilities.WRITE_SALES_DATA).filter(is_active=True).order_by("name")
    )


def split_people(actor: Person) -> QuerySet[Person]:
    """People a deal's credit may be shared with: the actor's own team, and whom they manage."""
    if not abilities.may(actor, abilities.WRITE_SALES_DATA):
        return Person.objects.none()
    return team_shared_people(actor).filter(is_active=True).order_by("name")


def can_edit_deal(actor: Person, deal: Deal) -> bool:
    """The deal's owner, the owner's managers and admins may edit a deal and its checklist."""
    return can_write_for(actor, deal.owner)


def can_record_feedback(actor: Person, person: Person | None = None) -> bool:
    """Managers (about people they manage) and admins record customer feedback."""
    return abilities.may(actor, abilities.RECORD_FEEDBACK, person)


def feedback_people(actor: Person) -> QuerySet[Person]:
    """Active people the actor may record customer feedback about."""
    return (
        abilities.people(actor, abilities.RECORD_FEEDBACK).filter(is_active=True).order_by("name")
    )


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- helpers -----------------------------------------------------------------------------


def _manual_id() -> str:
    return f"manual-{uuid.uuid4().hex}"


def _new_external_id(model: type[Deal] | type[Activity] | type[Feedback], given: Any) -> str:
    """A manual record's external id: the one given (if not taken), or `manual-<hex>`."""
    external_id = str(given or "").strip()
    if not external_id:
        return _manual_id()
    if model.objects.filter(external_id=external_id).exists():
        noun = model._meta.verbose_name
        raise CrmError(f"A {noun} with external id {external_id} already exists.")
    return external_id


def _account_named(name: str, owner: Person) -> Account | None:
    """The account of that name (case and spacing aside), created for `owner` if new."""
    name = clean_name(name)
    if not name:
        return None
    key = name_key(name)
    if not key:
        raise CrmError("An account name needs at least one letter or digit.")
    account = Account.objects.filter(key=key).first()
    if account is None:
        accounts_upsert([{"name": name, "owner": owner}])
        account = Account.objects.get(key=key)
    return account


def _check_deal_dates(row: Mapping[str, Any]) -> None:
    created: date | None = row.get("created_on")
    for field, words in (
        ("engaged_on", "be engaged"),
        ("expected_close_on", "be expected to close"),
        ("closed_on", "close"),
    ):
        value = row.get(field)
        if created and value and value < created:
            raise CrmError(f"A deal cannot {words} before it was created ({created:%-d %b %Y}).")


def _deal_snapshot(deal: Deal) -> dict[str, Any]:
    splits = [f"{s.person}: {s.share}%" for s in deal.splits.select_related("person")]
    return {**snapshot(deal, DEAL_FIELDS), "splits": sorted(splits)}


# --- deals -------------------------------------------------------------------------------


@transaction.atomic
def deal_save(*, actor: Person, data: Mapping[str, Any], deal: Deal | None = None) -> Deal:
    """Create a deal by hand, or edit one (`deal` given, or `data` naming its external id).

    `data` holds Deal field names, plus optionally `account_name` (an account
    found by name or created for the owner) and `splits` (a list of (person,
    percentage) adding up to 100; an empty list gives the owner full credit).
    The owner defaults to the actor and the created date to today; a deal in a
    won or lost stage without a close date closed today, and an open deal has
    no close date. A new deal without an external id gets `manual-<hex>`.
    """
    data = dict(data)
    today = timezone.localdate()
    if deal is None and data.get("external_id"):
        deal = Deal.objects.filter(external_id=str(data["external_id"]).strip()).first()
        if deal is not None and not deals_visible_to(actor).filter(pk=deal.pk).exists():
            raise CrmError(f"A deal with external id {deal.external_id} already exists.")
    if deal is not None:
        _refuse_unless(can_edit_deal(actor, deal), "You may not edit this deal.")
        data["external_id"] = deal.external_id
        before = _deal_snapshot(deal)
    else:
        data["external_id"] = _new_external_id(Deal, data.get("external_id"))
        data.setdefault("created_on", today)
        before = None
    owner: Person = data.get("owner") or (deal.owner if deal else actor)
    data["owner"] = owner
    _refuse_unless(can_write_for(actor, owner), f"You may not enter deals for {owner}.")

    if "account_name" in data:
        data["account"] = _account_named(data.pop("account_name") or "", owner)
    stage: Stage | None = data.get("stage") or (deal.stage if deal else None)
    if stage is None:
        raise CrmError("Choose the deal's stage.")
    if "stage" in data or "closed_on" in data:
        data["closed_on"] = (data.get("closed_on") or today) if stage.is_closed else None
    if data.get("amount") is not None and Decimal(data["amount"]) < 0:
        raise CrmError("A deal's amount cannot be negative.")
    _check_deal_dates({"created_on": deal.created_on, **data} if deal else data)

    # The checks above are the grant's own (`can_edit_deal` for the stored owner,
    # `can_write_for` for the new one), and the audit entry below holds any change of
    # owner, so the upsert is not given the grant to record it twice.
    deals_upsert([data], today=today)
    saved = Deal.objects.select_related("owner", "stage").get(external_id=data["external_id"])
    audit_record(
        actor=actor,
        action="deal.update" if before is not None else "deal.create",
        obj=saved,
        before=before,
        after=_deal_snapshot(saved),
    )
    return saved


# --- checklists ----------------------------------------------------------------------------


@transaction.atomic
def milestone_toggle(
    *, actor: Person, deal: Deal, milestone: Milestone, done: bool
) -> DealMilestone | None:
    """Tick a checklist milestone on a deal as done (today, by the actor), or untick it.

    Only milestones of the deal's current stage and the stages before it are
    on its checklist. Ticking twice keeps the first date.
    """
    _refuse_unless(can_edit_deal(actor, deal), "You may not change this deal's checklist.")
    if milestone.stage.order > deal.stage.order:
        raise CrmError(
            f"“{milestone.name}” belongs to the {milestone.stage} stage, "
            f"which this deal has not reached."
        )
    existing = DealMilestone.objects.filter(deal=deal, milestone=milestone).first()
    if done and existing is None:
        existing = DealMilestone.objects.create(
            deal=deal, milestone=milestone, done_on=timezone.localdate(), done_by=actor
        )
    elif not done and existing is not None:
        existing.delete()
        existing = None
    else:
        return existing
    audit_record(
        actor=actor,
        action="deal.milestone",
        obj=deal,
        before={milestone.name: "done" if not done else "not done"},
        after={milestone.name: "done" if done else "not done"},
    )
    return existing


# --- activities and feedback ---------------------------------------------------------------


@transaction.atomic
def activity_log(*, actor: Person, data: Mapping[str, Any]) -> Activity:
    """Log one activity (a call, an e-mail, a meeting…) for the actor or someone they manage.

    `data` holds Activity field names, plus optionally `account_name`. The
    person defaults to the actor, the time to now; a deal must be one the actor
    can see, and lends its account when none is given. A meeting's
    `meeting_number` (1 or 2) says whether it was a first or second meeting.
    """
    data = dict(data)
    person: Person = data.get("person") or actor
    data["person"] = person
    _refuse_unless(can_write_for(actor, person), f"You may not log activities for {person}.")
    data["external_id"] = _new_external_id(Activity, data.get("external_id"))
    data.setdefault("occurred_at", timezone.now())
    if data["occurred_at"] and data["occurred_at"] > timezone.now() + timedelta(days=1):
        raise CrmError("An activity is logged once it has happened; that time is in the future.")
    deal: Deal | None = data.get("deal")
    if deal is not None and not deals_visible_to(actor).filter(pk=deal.pk).exists():
        raise CrmError("That deal is not one you can log activities against.")
    if "account_name" in data:
        data["account"] = _account_named(data.pop("account_name") or "", person)
    if deal is not None and not data.get("account"):
        data["account"] = deal.account
    if data.get("kind") != ActivityKind.MEETING:
        data["meeting_number"] = None
    activities_upsert([data], grant=abilities.grant(actor, abilities.WRITE_SALES_DATA))
    return Activity.objects.select_related("person").get(external_id=data["external_id"])


@transaction.atomic
def feedback_record(*, actor: Person, data: Mapping[str, Any]) -> Feedback:
    """Record a customer's complaint or praise about a person (managers and admins only)."""
    data = dict(data)
    person: Person | None = data.get("person")
    if person is None:
        raise CrmError("Choose who the feedback is about.")
    _refuse_unless(
        can_record_feedback(actor, person), f"You may not record feedback about {person}."
    )
    data["external_id"] = _new_external_id(Feedback, data.get("external_id"))
    data.setdefault("received_on", timezone.localdate())
    if data["received_on"] > timezone.localdate():
        raise CrmError("Feedback cannot be received in the future.")
    if "account_name" in data:
        data["account"] = _account_named(data.pop("account_name") or "", person)
    feedback_upsert([data], grant=abilities.grant(actor, abilities.RECORD_FEEDBACK))
    feedback = Feedback.objects.select_related("person").get(external_id=data["external_id"])
    audit_record(
        actor=actor,
        action="feedback.create",
        obj=feedback,
        after=snapshot(feedback, FEEDBACK_FIELDS),
    )
    return feedback
