"""Reading plans, scoped to the viewer: a person sees their own, a manager their
people's, an executive and an admin everyone's (`org.scoping.visible_people`); a rep
never another rep's plans, account plans or reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accountable.crm.models import Account, Deal
from accountable.goals.models import Goal
from accountable.goals.selectors import funnel_plan_for
from accountable.org import abilities
from accountable.org.calendar import Kind, Period
from accountable.org.models import Person
from accountable.org.scoping import visible_people
from accountable.org.services import organisation_get
from accountable.plans import figures
from accountable.plans.models import (
    AccountPlan,
    CatchUp,
    CatchUpState,
    Plan,
    PlanKind,
    PlanReview,
    PlanState,
)
from accountable.plans.services import plan_period


def visible(viewer: Person) -> QuerySet[Plan]:
    return Plan.objects.filter(person__in=visible_people(viewer)).select_related("person")


def plan_get(viewer: Person, pk: int) -> Plan:
    found = visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("No such plan among those you may see.")
    return found


def plan_list(viewer: Person, person: Person | None = None) -> list[Plan]:
    """The plans the viewer may see, newest period first (one person's when given)."""
    plans = visible(viewer)
    if person is not None:
        plans = plans.filter(person=person)
    plans = plans.annotate(version_count=Count("versions"))
    return list(plans.order_by("-period_start", "person__name", "kind")[:300])


def waiting_for(viewer: Person) -> list[Plan]:
    """Plans of the viewer's people submitted and waiting for a decision."""
    return list(
        visible(viewer)
        .exclude(person=viewer)
        .filter(state=PlanState.SUBMITTED)
        .order_by("updated_at")
    )


def action_get(plan: Plan, pk: int):
    """One of the plan's actions (the plan already read for the viewer), or 404."""
    found = plan.actions.filter(pk=pk).first()
    if found is None:
        raise Http404("No such action in this plan.")
    return found


def review_get(viewer: Person, pk: int) -> PlanReview:
    found = (
        PlanReview.objects.filter(plan__person__in=visible_people(viewer), pk=pk)
        .select_related("plan__person", "signed_off_by", "recorded_by")
        .first()
    )
    if found is None:
        raise Http404("No such plan review among those you may see.")
    return found


def catch_up_get(viewer: Person, pk: int) -> CatchUp:
    found = (
        CatchUp.objects.filter(person__in=visible_people(viewer), pk=pk)
        .select_related("review__plan", "person")
        .first()
    )
    if found is None:
        raise Http404("No such catch-up plan among those you may see.")
    return found


def plan_for(viewer: Person, person: Person, period: Period) -> Plan | None:
    """The plan the viewer may see that covers `period` for the person: the annual plan
    of a year, else the quarterly plan of the quarter holding the period's end."""
    plans = visible(viewer).filter(person=person)
    if period.kind is Kind.YEAR:
        return plans.filter(kind=PlanKind.ANNUAL, period=period.label).first()
    quarter = period.calendar.period(Kind.QUARTER, period.end)
    return plans.filter(kind=PlanKind.QUARTERLY, period=quarter.label).first()


def plan_breakdown(plan: Plan) -> figures.Breakdown:
    return figures.breakdown(plan.person, plan_period(plan))


def opened_catch_up(review: PlanReview) -> bool:
    return CatchUp.objects.filter(review=review).exists()


def fiscal_year_of(day: date) -> int:
    return organisation_get().calendar.fiscal_year_of(day)


def catch_ups_of(plan: Plan) -> list[CatchUp]:
    return list(CatchUp.objects.filter(review__plan=plan).select_related("review").order_by("-pk"))


def activity_plan(plan: Plan, target: Decimal | None, today: date):
    """The activity the plan's target (`plan_breakdown(plan).target`) takes, worked back
    through the person's funnel as their goals page does it (`goals.selectors.
    funnel_plan_for`, the one funnel); None without a revenue target."""
    if target is None:
        return None
    goal = Goal(person=plan.person, metric=figures.METRIC, period=plan.period, target_value=target)
    return funnel_plan_for(goal, today=today)


def pipeline_to_close(plan: Plan, target: Decimal | None, today: date) -> figures.ToClose | None:
    return figures.to_close(plan.person, plan_period(plan), target, today)


def plan_figures(plan: Plan, as_of: date) -> figures.AgainstActuals:
    """The plan's target and parts against actuals as of a day (the scorecard's data)."""
    period = plan_period(plan)
    return figures.against_actuals(
        plan.person, period, figures.breakdown(plan.person, period), as_of
    )


@dataclass(frozen=True)
class CatchUpWeek:
    label: str
    start: date
    end: date
    target: str
    actual: object  # Decimal, or None for a week to come
    met: bool | None


def catch_up_progress(catch_up: CatchUp, today: date) -> list[CatchUpWeek]:
    """Each week of a catch-up plan against what was sold in it (up to yesterday)."""
    spans = [(date.fromisoformat(w["start"]), date.fromisoformat(w["end"])) for w in catch_up.weeks]
    day = min(date.fromordinal(today.toordinal() - 1), catch_up.review.plan.period_end)
    sold = figures.sold(catch_up.person, spans, day)
    rows = []
    for week, (start, end), actual in zip(catch_up.weeks, spans, sold, strict=True):
        met = None if actual is None or day < end else actual >= Decimal(week["target"])
        rows.append(CatchUpWeek(week["label"], start, end, week["target"], actual, met))
    return rows


def open_catch_ups(viewer: Person) -> list[CatchUp]:
    return list(
        CatchUp.objects.filter(person__in=visible_people(viewer), state=CatchUpState.OPEN)
        .select_related("person", "review__plan")
        .order_by("person__name")
    )


# --- key accounts -----------------------------------------------------------------------


def account_plans(
    viewer: Person, year: int, person: Person | None = None, people: list[int] | None = None
) -> list[AccountPlan]:
    """The key account plans of the year the viewer may see: one person's, or those of
    some people (by id), or all."""
    plans = AccountPlan.objects.filter(person__in=visible_people(viewer), year=year)
    if person is not None:
        plans = plans.filter(person=person)
    if people is not None:
        plans = plans.filter(person_id__in=people)
    return list(plans.select_related("account", "person").order_by("tier", "account__name"))


def account_plan_of(viewer: Person, account: Account, year: int) -> AccountPlan | None:
    return (
        AccountPlan.objects.filter(person__in=visible_people(viewer), account=account, year=year)
        .select_related("person")
        .first()
    )


@dataclass(frozen=True)
class AccountFlag:
    """A key account that needs its owner's attention, and why in words."""

    account: Account
    owner: Person
    why: str
    plan: AccountPlan | None = None


def account_flags(
    people: QuerySet[Person] | list[Person], year: int, today: date
) -> list[AccountFlag]:
    """A accounts of these people with no plan for the year, and key account plans
    whose next action is overdue (or missing)."""
    has_plan = AccountPlan.objects.filter(account=OuterRef("pk"), year=year)
    flags = [
        AccountFlag(a, a.owner, f"an A account with no plan for {year}")
        for a in Account.objects.filter(owner__in=people, tier="A")
        .exclude(Exists(has_plan))
        .select_related("owner")
        .order_by("name")[:200]
    ]
    for plan in (
        AccountPlan.objects.filter(person__in=people, year=year)
        .select_related("account", "person")
        .order_by("next_action_on", "account__name")
    ):
        if plan.next_action_on is None:
            if plan.tier == "A":
                flags.append(AccountFlag(plan.account, plan.person, "no next action planned", plan))
        elif plan.next_action_on < today:
            flags.append(
                AccountFlag(
                    plan.account,
                    plan.person,
                    f"next action overdue since {plan.next_action_on:%-d %b}: {plan.next_action}",
                    plan,
                )
            )
    return flags


def visible_account(viewer: Person, pk: int) -> Account:
    """An account the viewer may see: one owned by someone they may see, or — for those
    who see everyone — any."""
    found = Account.objects.filter(pk=pk, owner__in=visible_people(viewer)).first()
    everyone = abilities.reach_of(viewer, abilities.SEE_PERSON) == abilities.Reach.EVERYONE
    if found is None and everyone:  # an account nobody owns yet
        found = Account.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("No such account among those you may see.")
    return found


def ownable_accounts(actor: Person) -> QuerySet[Account]:
    """The accounts whose plans the actor may write: their own, or (an admin) anyone's."""
    return Account.objects.filter(
        owner__in=abilities.people(actor, abilities.WRITE_PLANS)
    ).order_by("name")


def ownable_account(actor: Person, key: str) -> Account:
    """One of the accounts whose plans the actor may write, by its CRM id or its exact
    name (either case), or 404 in the same words whether it exists or not."""
    text = (key or "").strip()
    found = ownable_accounts(actor).filter(Q(external_id=text) | Q(name__iexact=text)).first()
    if not text or found is None:
        raise Http404(f"No account {text!r} among those whose plans you may write.")
    return found


def account_deals(viewer: Person, account: Account) -> list[Deal]:
    """The account's deals owned by people the viewer may see, open first, newest first."""
    return list(
        Deal.objects.filter(account=account, owner__in=visible_people(viewer))
        .select_related("owner", "stage")
        .order_by("-status", "-created_on")[:50]
    )
