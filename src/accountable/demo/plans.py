"""Sales plans in the demo (SPEC §6), written through the plan services themselves, so
each step is checked and audited as a person's would be:

- each of the loop's reps has a **quarterly plan** for this quarter, drawn from their
  own numbers: most approved by their manager and reviewed against actuals today (a
  quarter behind plan opens its catch-up plan), some submitted and waiting for the
  manager, some returned with reasons, a few still drafts; each with two actions;
- their **A accounts** have account plans for the year — about a third of the reps
  with one left without, and some with a next action overdue — so the flags have
  something to say.

The draws come from `Random(f"{seed}:{email}:plans")`: the same seed and day give the
same plans.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from accountable.crm.models import Account, Deal, DealStatus
from accountable.org.calendar import FiscalCalendar, Kind
from accountable.org.models import Person
from accountable.plans import figures, services
from accountable.plans.errors import PlanError

__all__ = ["plans_create"]

ACTIONS = (
    "Book the quarterly business review with {account}",
    "Map the buying committee at {account}",
    "Send {account} the expansion proposal",
    "Get {account}'s renewal signed early",
    "Run a prospecting block every Tuesday morning",
    "Ask two happy customers for referrals",
)
WHY = {
    True: "Two deals I counted on slipped into next quarter, and first meetings fell off "
    "in the weeks I spent on the renewal.",
    False: "The renewals closed early and the proposal to {account} landed in the first "
    "week; I am ahead on the months so far.",
}
WHAT_NOW = {
    True: "Book four first meetings a week until the quarter ends\n"
    "Ask {account} for a decision date on the open proposal",
    False: "Keep one prospecting block a week so next quarter starts full\n"
    "Bring the {account} expansion forward",
}
RETURNED = "Name the deals behind the number, with their stages and dates."


def plans_create(
    *,
    seed: int,
    reps: list[Person],
    managers: dict[int, Person],
    calendar: FiscalCalendar,
    today: date,
) -> dict[str, int]:
    """Plans, their reviews and the key accounts' plans for `reps` (`managers`: each
    rep's manager by rep id). Returns row counts."""
    quarter = calendar.period(Kind.QUARTER, today)
    year = calendar.fiscal_year_of(today)
    counts = {"plans": 0, "plan_reviews": 0, "account_plans": 0}
    for rep in reps:
        manager = managers.get(rep.pk)
        if manager is None:
            continue
        rng = random.Random(f"{seed}:{rep.email}:plans")
        mine = Account.objects.filter(owner=rep).order_by("name")
        accounts = list(mine.filter(tier="A")[:3]) or list(mine[:3])
        counts["account_plans"] += _account_plans(rep, year, today, rng)
        if _quarterly(rep, manager, quarter.label, accounts, today, rng, counts):
            counts["plans"] += 1
    return counts


def _account_plans(rep: Person, year: int, today: date, rng: random.Random) -> int:
    """Every A account of the rep planned for the year — but, for about a third of the
    reps, the last one left without, so the flag has something to say."""
    made = 0
    tier_a = list(Account.objects.filter(owner=rep, tier="A").order_by("name"))
    if len(tier_a) > 1 and rng.random() < 0.35:
        tier_a = tier_a[:-1]
    for account in tier_a:
        late = rng.random() < 0.2
        services.account_plan_save(
            actor=rep,
            account=account,
            year=year,
            tier="A",
            goal=rng.choice(("Renew and expand", "Win the second site", "Grow the seat count")),
            goal_amount=rng.choice((40_000, 60_000, 90_000, 120_000)),
            contacts="Economic buyer: the CFO\nChampion: the operations lead",
            next_action=rng.choice(("Meet the CFO", "Send the proposal", "Run the workshop")),
            next_action_on=today
            + timedelta(days=rng.randint(-12, -2) if late else rng.randint(2, 30)),
        )
        made += 1
    return made


def _quarterly(
    rep: Person,
    manager: Person,
    label: str,
    accounts: list[Account],
    today: date,
    rng: random.Random,
    counts: dict[str, int],
) -> bool:
    name = accounts[0].name if accounts else "our largest customer"
    try:
        plan = services.plan_start(actor=rep, person=rep, kind="quarterly", period=label)
    except PlanError:
        return False  # already planned (a second run of the same loop)
    open_deals = list(
        Deal.objects.filter(owner=rep, status=DealStatus.OPEN)
        .select_related("account")
        .order_by("-amount")[:3]
    )
    pipeline = "; ".join(
        f"{d.account.name if d.account else d.name} ({d.amount:,.0f})" for d in open_deals
    )
    services.plan_update(
        actor=rep,
        plan=plan,
        summary=f"Close the quarter on plan, led by {name}.",
        pipeline=pipeline or "Build pipeline first: it is thin.",
        support="Time with a solutions engineer for the two largest proposals.",
    )
    for text in rng.sample(ACTIONS, 2):
        services.action_add(
            actor=rep,
            plan=plan,
            text=text.format(account=name),
            due_on=today + timedelta(days=rng.randint(-5, 40)),
        )
    draw = rng.random()
    if draw < 0.06:
        return True  # still a draft
    services.plan_submit(actor=rep, plan=plan)
    if draw < 0.2:
        return True  # waiting for the manager
    if draw < 0.3:
        services.plan_decide(actor=manager, plan=plan, approve=False, reason=RETURNED)
        return True
    services.plan_decide(actor=manager, plan=plan, approve=True)
    period = services.plan_period(plan)
    if plan.period_start < today <= plan.period_end:
        behind = figures.against_actuals(rep, period, figures.breakdown(rep, period), today).behind
        review = services.review_record(
            actor=rep,
            plan=plan,
            as_of=today,
            why=WHY[behind].format(account=name),
            what_now=WHAT_NOW[behind].format(account=name),
        )
        if rng.random() < 0.6:
            services.review_sign_off(actor=manager, review=review)
        counts["plan_reviews"] += 1
    return True
