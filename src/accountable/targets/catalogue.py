"""The metric catalogue (SPEC §3): every metric a target or goal can be set on.

Each knows its unit, whether higher is better, and in plain words what it counts and
which date puts it in a period: the definitions every page, export, goal and warning
share, printed by `accountable metrics` into docs/metrics.md. How each is computed
from deals and activities lives with the metrics engine; split credit with
`crm.credit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    MONEY = "money"
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: Unit
    higher_is_better: bool = True
    manual: bool = False  # entered by hand, not computed
    means: str = ""  # what it counts, in a sales manager's words
    counted_on: str = ""  # which date puts it in a period


WON_ON = "the day the deal was won (its close date)"
CLOSED_ON = "the day the deal was won or lost (its close date)"
CREATED_ON = "the day the deal was created"
HAPPENED_ON = "the day it happened, in the organisation's time zone"
CREDIT = " A split deal credits each person by their share; a team counts it once."

CATALOGUE: tuple[Metric, ...] = (
    Metric(
        "revenue", "Revenue (won amount)", Unit.MONEY,
        means="The amount of the deals won." + CREDIT, counted_on=WON_ON,
    ),
    Metric(
        "units", "Units sold", Unit.COUNT,
        means="The quantity of the deals won (a deal sells 1 unit unless its quantity "
        "says more)." + CREDIT, counted_on=WON_ON,
    ),
    Metric(
        "new_accounts", "New accounts", Unit.COUNT,
        means="Accounts won for the first time ever: the account's first won deal, won in "
        "the period, credits whoever it credits (a team counts the account once).",
        counted_on=WON_ON,
    ),
    Metric(
        "renewals", "Renewals", Unit.COUNT,
        means="How many renewal deals were won." + CREDIT, counted_on=WON_ON,
    ),
    Metric(
        "revenue_growth", "Revenue growth vs last year", Unit.PERCENT,
        means="Revenue won so far against the same stretch of the same period a year "
        "before, as a percentage change; no revenue a year before: no figure (not enough "
        "data).", counted_on=WON_ON,
    ),
    Metric(
        "deals_won", "Deals won", Unit.COUNT,
        means="How many deals were won." + CREDIT, counted_on=WON_ON,
    ),
    Metric(
        "win_rate", "Win rate", Unit.PERCENT,
        means="Deals won ÷ deals closed (won and lost), by count; none closed: no win "
        "rate. Worked out for each period from its own deals, never added up." + CREDIT,
        counted_on=CLOSED_ON,
    ),
    Metric(
        "avg_deal_size", "Average deal size", Unit.MONEY,
        means="Revenue won ÷ deals won." + CREDIT, counted_on=WON_ON,
    ),
    Metric(
        "cycle_days", "Sales cycle length", Unit.DAYS, higher_is_better=False,
        means="The median number of days from the day a won deal was engaged (or "
        "created) to the day it was won; a team counts a split deal once. Lower is "
        "better: 60 days against a target of 30 is 50 % attained.", counted_on=WON_ON,
    ),
    Metric(
        "pipeline_created", "Pipeline created", Unit.MONEY,
        means="The amount of the deals opened." + CREDIT, counted_on=CREATED_ON,
    ),
    Metric(
        "opportunities_created", "Opportunities created", Unit.COUNT,
        means="How many deals were opened." + CREDIT, counted_on=CREATED_ON,
    ),
    Metric(
        "calls", "Calls", Unit.COUNT,
        means="Calls logged by the person.", counted_on=HAPPENED_ON,
    ),
    Metric(
        "emails", "E-mails", Unit.COUNT,
        means="E-mails logged by the person.", counted_on=HAPPENED_ON,
    ),
    Metric(
        "meetings", "Meetings booked", Unit.COUNT,
        means="Meetings held by the person (first, second and later).",
        counted_on=HAPPENED_ON,
    ),
    Metric(
        "first_meetings", "First meetings", Unit.COUNT,
        means="First meetings with an account.", counted_on=HAPPENED_ON,
    ),
    Metric(
        "second_meetings", "Second meetings", Unit.COUNT,
        means="Second meetings with an account.", counted_on=HAPPENED_ON,
    ),
    Metric(
        "prospecting_activities", "Prospecting activities", Unit.COUNT,
        means="Activities marked as prospecting, of any kind (a prospecting call counts "
        "here and as a call).", counted_on=HAPPENED_ON,
    ),
    Metric(
        "custom", "Custom (entered by hand)", Unit.COUNT, manual=True,
        means="A measure the product does not compute; its progress is entered by hand.",
        counted_on="the day it is entered",
    ),
)  # fmt: skip
BY_KEY = {metric.key: metric for metric in CATALOGUE}


def metric_get(key: str) -> Metric:
    """The metric called `key`; a KeyError message lists the known ones."""
    try:
        return BY_KEY[key.strip().lower()]
    except KeyError:
        known = ", ".join(BY_KEY)
        raise KeyError(f'Unknown metric "{key}". Known metrics: {known}.') from None
