"""What the morning's reminders say of plans (sent with everything else by
`checkins.reminders`): a plan due tomorrow or overdue since yesterday, a key account's
next action due tomorrow or overdue since yesterday, and to a manager, the plans waiting
for their decision."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from accountable.plans.models import AccountPlan, Plan, PlanState

OPEN_STATES = (PlanState.DRAFT, PlanState.RETURNED)


def plan_reminders(today: date, managers_of) -> dict[int, list[str]]:
    """{person id: lines}. `managers_of(person)` names whom a person's submitted plan
    waits on."""
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    lines: dict[int, list[str]] = defaultdict(list)
    open_plans = Plan.objects.filter(state__in=OPEN_STATES).select_related("person")
    for plan in open_plans.filter(due_on=tomorrow):
        lines[plan.person_id].append(f"Your {_name(plan)} is due tomorrow: submit it.")
    for plan in open_plans.filter(due_on=yesterday):
        lines[plan.person_id].append(f"Your {_name(plan)} was due yesterday: submit it today.")
    for plan in Plan.objects.filter(state=PlanState.SUBMITTED).select_related("person__team"):
        for manager in managers_of(plan.person):
            lines[manager.pk].append(f"{plan.person.name}'s {_name(plan)} waits for your decision.")
    accounts = AccountPlan.objects.select_related("account").exclude(next_action="")
    for a in accounts.filter(next_action_on=tomorrow):
        lines[a.person_id].append(f"{a.account.name}: {a.next_action} is due tomorrow.")
    for a in accounts.filter(next_action_on=yesterday):
        lines[a.person_id].append(f"{a.account.name}: {a.next_action} was due yesterday.")
    return lines


def _name(plan: Plan) -> str:
    return f"{plan.get_kind_display().lower()} for {plan.period}"
