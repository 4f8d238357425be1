"""Writing plans: started (carrying over from the last), written, submitted, commented
on, approved or returned; their actions and key accounts; their reviews, which turn
what the person will do into commitments and open a catch-up plan when the quarter is
behind. Each checks the actor against the person whose plan it is (`org.abilities`;
`actor` None is the system) and is audited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.commitments.services import commitment_add
from accountable.crm.models import Account
from accountable.org import abilities
from accountable.org.calendar import EARLIEST, LATEST, Kind, Period, PeriodError
from accountable.org.models import Person
from accountable.org.services import organisation_get
from accountable.plans import figures
from accountable.plans.errors import PlanError
from accountable.plans.models import (
    SECTIONS,
    AccountPlan,
    ActionState,
    CatchUp,
    CatchUpState,
    Plan,
    PlanAction,
    PlanComment,
    PlanKind,
    PlanReview,
    PlanState,
    PlanVersion,
)

KIND_OF_PERIOD = {PlanKind.ANNUAL: Kind.YEAR, PlanKind.QUARTERLY: Kind.QUARTER}
SECTION_LENGTH = 10_000
LINE_LENGTH = 300
DUE_AFTER_START = 14  # days into its period a plan is due by default
COMMENTED = {**SECTIONS, "figures": "The target and its breakdown", "accounts": "Key accounts",
             "actions": "Actions"}  # fmt: skip
MAX_AMOUNT = Decimal("1e12")


# --- checks ---------------------------------------------------------------------------


def may_write(actor: Person, person: Person) -> bool:
    """The person themself (or an admin) writes a plan; their manager may too, in the
    meeting where they go through it together."""
    return abilities.may(actor, abilities.WRITE_PLANS, person) or abilities.may(
        actor, abilities.REVIEW_PLANS, person
    )


def _may_write(actor: Person | None, person: Person, doing: str) -> None:
    if actor is not None and not may_write(actor, person):
        raise PermissionDenied(f"You cannot {doing} for {person.name}.")


def _may_review(actor: Person | None, person: Person, doing: str) -> None:
    if actor is not None and not abilities.may(actor, abilities.REVIEW_PLANS, person):
        raise PermissionDenied(f"You cannot {doing} of {person.name}.")


def _text(value: object, what: str, limit: int = SECTION_LENGTH) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise PlanError(f"{what} is {len(text):,} characters; keep it to {limit:,}.")
    return text


def _line(value: object, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise PlanError(f"Write the {what}.")
    if len(text) > LINE_LENGTH:
        raise PlanError(f"Keep the {what} to {LINE_LENGTH} characters.")
    return text


def _day(value: date | None, what: str) -> date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise PlanError(f"The {what} must be between {EARLIEST:%Y} and {LATEST:%Y}.")
    return value


def _amount(value: object) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise PlanError(f'The amount is a number, not "{value}".') from None
    if not number.is_finite() or number < 0 or number >= MAX_AMOUNT:
        raise PlanError("The amount is a number from 0 up to a trillion.")
    return number.quantize(Decimal("0.01"))


def plan_period(plan: Plan) -> Period:
    return organisation_get().calendar.parse(plan.period)


# --- starting a plan ------------------------------------------------------------------


def _previous(person: Person, kind: str, period: Period) -> Plan | None:
    return Plan.objects.filter(person=person, kind=kind, period=period.previous().label).first()


def _learnt(previous: Plan) -> str:
    """What the last plan's reviews said, newest first: the start of what was learnt."""
    lines = [
        f"Review of {r.as_of:%-d %b %Y}. Why: {r.why}\nWhat I would do: {r.what_now}"
        for r in previous.reviews.all()[:3]
    ]
    return "\n\n".join(lines) or previous.learnt


def _carry_accounts(person: Person, year: int) -> int:
    """The key accounts' plans of the year before, as the start of this year's."""
    if AccountPlan.objects.filter(person=person, year=year).exists():
        return 0
    carried = [
        AccountPlan(
            account=a.account,
            person=person,
            year=year,
            tier=a.tier,
            goal=a.goal,
            goal_amount=a.goal_amount,
            contacts=a.contacts,
            next_action=a.next_action,
            next_action_on=a.next_action_on,
        )
        for a in AccountPlan.objects.filter(person=person, year=year - 1)
        if not AccountPlan.objects.filter(account=a.account, year=year).exists()
    ]
    AccountPlan.objects.bulk_create(carried)
    return len(carried)


@transaction.atomic
def plan_start(
    *, actor: Person | None, person: Person, kind: str, period: str, due_on: date | None = None
) -> Plan:
    """A new draft plan of `person` for a year (`annual`) or a quarter (`quarterly`),
    carrying over from the plan of the period before: its open actions, what its
    reviews learnt, and the key accounts' plans. Raises PlanError or PermissionDenied."""
    _may_write(actor, person, "start a plan")
    if kind not in KIND_OF_PERIOD:
        raise PlanError('A plan is "annual" or "quarterly".')
    cal = organisation_get().calendar
    try:
        span = cal.parse(str(period or "").strip())
    except PeriodError as error:
        raise PlanError(str(error)) from None
    if span.kind is not KIND_OF_PERIOD[kind]:
        raise PlanError(
            f"An {kind} plan is for a {KIND_OF_PERIOD[kind]}, like "
            f"{cal.period(KIND_OF_PERIOD[kind], timezone.localdate()).label}."
        )
    if Plan.objects.filter(person=person, kind=kind, period=span.label).exists():
        raise PlanError(f"{person.name} already has a plan for {span.label}.")
    today = timezone.localdate()
    due = _day(due_on, "due date") or max(
        span.start + timedelta(days=DUE_AFTER_START), today + timedelta(days=7)
    )
    previous = _previous(person, kind, span)
    plan = Plan.objects.create(
        person=person,
        kind=kind,
        period=span.label,
        period_start=span.start,
        period_end=span.end,
        due_on=due,
        carried_from=previous,
        learnt=_learnt(previous) if previous else "",
    )
    if previous is not None:
        for action in previous.actions.filter(state=ActionState.OPEN):
            PlanAction.objects.create(
                plan=plan,
                text=action.text,
                due_on=max(action.due_on, span.start),
                carried_from=action,
            )
    _carry_accounts(person, cal.fiscal_year_of(span.start))
    audit_record(
        actor=actor,
        action="plan.create",
        obj=plan,
        after={
            "person": person.email,
            "kind": kind,
            "period": span.label,
            "due_on": due.isoformat(),
        },
    )
    return plan


# --- writing, submitting, deciding ----------------------------------------------------


def _editable(plan: Plan) -> None:
    if not plan.editable:
        raise PlanError(
            f"This plan is {plan.get_state_display().lower()}: it changes only once it is returned."
        )


@transaction.atomic
def plan_update(*, actor: Person | None, plan: Plan, **sections: object) -> Plan:
    """The person's words in the plan's sections (`SECTIONS`); others are kept."""
    _may_write(actor, plan.person, "change the plan")
    _editable(plan)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise PlanError(f"A plan has no section {', '.join(sorted(unknown))}.")
    before = snapshot(plan, list(SECTIONS))
    for key, value in sections.items():
        setattr(plan, key, _text(value, f'"{SECTIONS[key]}"'))
    plan.updated_at = timezone.now()
    plan.save()
    audit_record(
        actor=actor,
        action="plan.update",
        obj=plan,
        before=before,
        after=snapshot(plan, list(SECTIONS)),
    )
    return plan


def content_of(plan: Plan) -> dict:
    """Everything the plan says now, as a version keeps it."""
    period = plan_period(plan)
    planned = figures.breakdown(plan.person, period)
    to_close = figures.to_close(plan.person, period, planned.target, timezone.localdate())
    return {
        "sections": {key: text for key, _, text in plan.sections()},
        "figures": planned.as_dict(),
        "to_close": None if to_close is None else to_close.as_dict(),
        "accounts": [
            {
                "account": a.account.name,
                "tier": a.tier,
                "goal": a.goal,
                "goal_amount": None if a.goal_amount is None else str(a.goal_amount),
                "contacts": a.contacts,
                "next_action": a.next_action,
                "next_action_on": a.next_action_on and a.next_action_on.isoformat(),
            }
            for a in AccountPlan.objects.filter(
                person=plan.person, year=period.calendar.fiscal_year_of(period.start)
            ).select_related("account")
        ],
        "actions": [
            {"text": a.text, "due_on": a.due_on.isoformat(), "state": a.state}
            for a in plan.actions.all()
        ],
    }


@transaction.atomic
def plan_submit(*, actor: Person | None, plan: Plan) -> PlanVersion:
    """The plan as it stands, frozen as a new version, handed to the manager."""
    _may_write(actor, plan.person, "submit the plan")
    _editable(plan)
    if not plan.summary.strip():
        raise PlanError(f'Write "{SECTIONS["summary"]}" before submitting.')
    number = plan.versions.count() + 1
    version = PlanVersion.objects.create(
        plan=plan, number=number, content=content_of(plan), submitted_by=actor
    )
    plan.state = PlanState.SUBMITTED
    plan.updated_at = timezone.now()
    plan.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor, action="plan.submit", obj=plan, after={"state": plan.state, "version": number}
    )
    return version


@transaction.atomic
def plan_decide(*, actor: Person | None, plan: Plan, approve: bool, reason: str = "") -> Plan:
    """The manager approves the submitted plan, or returns it with the reasons."""
    _may_review(actor, plan.person, "approve or return the plan")
    if plan.state != PlanState.SUBMITTED:
        raise PlanError(
            f"This plan is {plan.get_state_display().lower()}, not waiting for a decision."
        )
    reason = _text(reason, "The reason", 2000)
    if not approve and not reason:
        raise PlanError("Say why it goes back: the reasons are what the next version answers.")
    version = plan.versions.order_by("-number").first()
    version.decision = PlanVersion.Decision.APPROVED if approve else PlanVersion.Decision.RETURNED
    version.reason, version.decided_by, version.decided_at = reason, actor, timezone.now()
    version.save()
    before = {"state": plan.state}
    plan.state = PlanState.APPROVED if approve else PlanState.RETURNED
    plan.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="plan.approve" if approve else "plan.return",
        obj=plan,
        before=before,
        after={"state": plan.state, "version": version.number, "reason": reason},
    )
    return plan


@transaction.atomic
def plan_comment(*, actor: Person, plan: Plan, section: str, text: str) -> PlanComment:
    """A remark on one section of the plan, on its latest version (or the draft)."""
    if not may_write(actor, plan.person):
        raise PermissionDenied(f"You cannot comment on {plan.person.name}'s plan.")
    if section not in COMMENTED:
        raise PlanError("Choose the section the comment is about.")
    text = _text(text, "The comment", 2000)
    if not text:
        raise PlanError("Write the comment.")
    latest = plan.versions.order_by("-number").values_list("number", flat=True).first()
    comment = PlanComment.objects.create(
        plan=plan, version=latest or 0, section=section, author=actor, text=text
    )
    audit_record(
        actor=actor, action="plan.comment", obj=plan, after={"section": section, "text": text}
    )
    return comment


# --- actions and key accounts ---------------------------------------------------------


@transaction.atomic
def action_add(*, actor: Person | None, plan: Plan, text: str, due_on: date) -> PlanAction:
    _may_write(actor, plan.person, "add an action to the plan")
    _editable(plan)
    action = PlanAction.objects.create(
        plan=plan, text=_line(text, "action"), due_on=_day(due_on, "due date")
    )
    audit_record(
        actor=actor,
        action="plan.action.create",
        obj=action,
        after={"plan": plan.pk, **snapshot(action, ["text", "due_on"])},
    )
    return action


@transaction.atomic
def action_set(*, actor: Person | None, action: PlanAction, state: str) -> PlanAction:
    """An action done, dropped or open again."""
    _may_write(actor, action.plan.person, "change the plan's actions")
    if state not in ActionState.values:
        raise PlanError("An action is open, done or dropped.")
    before = snapshot(action, ["state", "done_on"])
    action.state = state
    action.done_on = timezone.localdate() if state == ActionState.DONE else None
    action.save()
    audit_record(
        actor=actor,
        action="plan.action.update",
        obj=action,
        before=before,
        after=snapshot(action, ["state", "done_on"]),
    )
    return action


ACCOUNT_FIELDS = ["tier", "goal", "goal_amount", "contacts", "next_action", "next_action_on"]


@transaction.atomic
def account_plan_save(
    *,
    actor: Person | None,
    account: Account,
    year: int,
    tier: str,
    goal: str,
    goal_amount: object = None,
    contacts: str = "",
    next_action: str = "",
    next_action_on: date | None = None,
) -> AccountPlan:
    """The plan of a key account for a fiscal year, kept by the account's owner; its
    tier is the account's own from then on."""
    if account.owner_id is None:
        raise PlanError(f"{account.name} has no owner: give it one before planning it.")
    _may_write(actor, account.owner, "plan this account")
    if tier not in ("A", "B", "C"):
        raise PlanError("The tier is A, B or C.")
    if not EARLIEST.year <= int(year) <= LATEST.year:
        raise PlanError(f"The year is between {EARLIEST:%Y} and {LATEST:%Y}.")
    if next_action and next_action_on is None:
        raise PlanError("Give the next action a day.")
    values = {
        "tier": tier,
        "goal": _line(goal, "goal for the year"),
        "goal_amount": _amount(goal_amount),
        "contacts": _text(contacts, "Contacts", 2000),
        "next_action": " ".join(str(next_action or "").split())[:LINE_LENGTH],
        "next_action_on": _day(next_action_on, "day of the next action"),
    }
    found = AccountPlan.objects.filter(account=account, year=year).first()
    before = snapshot(found, ACCOUNT_FIELDS) if found else None
    plan = found or AccountPlan(account=account, year=year)
    plan.person = account.owner
    for name, value in values.items():
        setattr(plan, name, value)
    plan.updated_at = timezone.now()
    plan.save()
    if account.tier != tier:
        account.tier = tier
        account.save(update_fields=["tier"])
    audit_record(
        actor=actor,
        action="account_plan.update" if found else "account_plan.create",
        obj=plan,
        before=before,
        after={"account": account.name, "year": year, **snapshot(plan, ACCOUNT_FIELDS)},
    )
    return plan


# --- reviews and catch-up plans -------------------------------------------------------


@transaction.atomic
def review_record(
    *,
    actor: Person | None,
    plan: Plan,
    why: str,
    what_now: str,
    as_of: date | None = None,
    commit_by: date | None = None,
) -> PlanReview:
    """A review of an approved quarterly plan as of a day: plan against actuals frozen as
    they stand, why up or down, what the person will do now — each line of it a
    commitment due by `commit_by` (default: two weeks on, within the quarter). A quarter
    behind plan opens a catch-up plan for its weeks left, unless one is open."""
    _may_write(actor, plan.person, "review the plan")
    if plan.kind != PlanKind.QUARTERLY:
        raise PlanError("Reviews are of quarterly plans.")
    if plan.state != PlanState.APPROVED:
        raise PlanError("The plan is reviewed once it is approved.")
    today = timezone.localdate()
    as_of = as_of or min(today, plan.period_end)
    if not plan.period_start <= as_of <= min(today, plan.period_end):
        raise PlanError(
            f"Review as of a day in {plan.period} up to today "
            f"({plan.period_start:%-d %b} to {min(today, plan.period_end):%-d %b %Y})."
        )
    why = _text(why, "Why up or down", 4000)
    what_now = _text(what_now, "What you will do now", 4000)
    if not why or not what_now:
        raise PlanError("Answer both: why up or down, and what you will do now.")
    steps = [" ".join(line.split()) for line in what_now.splitlines() if line.strip()]
    if len(steps) > 10:
        raise PlanError("Keep it to ten things to do, one per line.")
    due = _day(commit_by, "commitments' due day") or min(
        max(today, as_of) + timedelta(days=14), max(plan.period_end, today)
    )
    if due < today:
        raise PlanError("The commitments fall due today or later.")
    period = plan_period(plan)
    shown = figures.against_actuals(
        plan.person, period, figures.breakdown(plan.person, period), as_of
    )
    review = PlanReview.objects.create(
        plan=plan, as_of=as_of, figures=shown.as_dict(), why=why, what_now=what_now,
        recorded_by=actor,
    )  # fmt: skip
    for step in steps:
        review.commitments.add(
            commitment_add(actor=actor, person=plan.person, due_on=due, text=step[:300])
        )
    if shown.behind and as_of < plan.period_end and not _open_catch_up(plan):
        shortfall, weeks = figures.catch_up_weeks(shown, period)
        if weeks:
            CatchUp.objects.create(
                review=review, person=plan.person, shortfall=shortfall, weeks=weeks
            )
    audit_record(
        actor=actor,
        action="plan.review",
        obj=review,
        after={"plan": plan.pk, "as_of": as_of.isoformat(), "why": why, "what_now": what_now},
    )
    return review


def _open_catch_up(plan: Plan) -> CatchUp | None:
    return CatchUp.objects.filter(review__plan=plan, state=CatchUpState.OPEN).first()


@transaction.atomic
def review_sign_off(*, actor: Person | None, review: PlanReview) -> PlanReview:
    _may_review(actor, review.plan.person, "sign off the review")
    if review.signed_off_at is not None:
        raise PlanError("This review is signed off already.")
    review.signed_off_by, review.signed_off_at = actor, timezone.now()
    review.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_record(actor=actor, action="plan.review.sign_off", obj=review, after={"signed": True})
    return review


@transaction.atomic
def catch_up_close(*, actor: Person | None, catch_up: CatchUp, note: str) -> CatchUp:
    """The manager ends a catch-up plan before its quarter does, saying why."""
    _may_review(actor, catch_up.person, "close the catch-up plan")
    if catch_up.state != CatchUpState.OPEN:
        raise PlanError(f"This catch-up plan is {catch_up.get_state_display().lower()} already.")
    catch_up.note = _line(note, "reason for closing it")
    catch_up.state, catch_up.ended_on = CatchUpState.CLOSED, timezone.localdate()
    catch_up.save()
    audit_record(
        actor=actor, action="plan.catch_up.close", obj=catch_up, after={"note": catch_up.note}
    )
    return catch_up


def catch_ups_judge(today: date | None = None) -> int:
    """Ends each open catch-up plan whose quarter is caught up (met) or over (not met),
    judged on the data up to yesterday. Returns how many ended."""
    today = today or timezone.localdate()
    ended = 0
    for catch_up in CatchUp.objects.filter(state=CatchUpState.OPEN).select_related(
        "review__plan__person"
    ):
        plan = catch_up.review.plan
        period = plan_period(plan)
        day = min(today - timedelta(days=1), plan.period_end)
        (won,) = figures.sold(plan.person, [(period.start, period.end)], day)
        target = figures.breakdown(plan.person, period).target
        if target is not None and won is not None and won >= target:
            catch_up.state = CatchUpState.MET
        elif today > plan.period_end:
            catch_up.state = CatchUpState.MISSED
        else:
            continue
        catch_up.ended_on = today
        catch_up.save(update_fields=["state", "ended_on"])
        audit_record(
            actor=None, action="plan.catch_up.end", obj=catch_up, after={"state": catch_up.state}
        )
        ended += 1
    return ended
