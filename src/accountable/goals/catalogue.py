"""The metric catalogue (SPEC §3): every metric a target or goal can be set on.

Each knows its unit and whether higher is better. How each is computed from
deals and activities lives with the metrics engine; this is the vocabulary.
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


CATALOGUE: tuple[Metric, ...] = (
    Metric("revenue", "Revenue (won amount)", Unit.MONEY),
    Metric("units", "Units sold", Unit.COUNT),
    Metric("new_accounts", "New accounts", Unit.COUNT),
    Metric("renewals", "Renewals", Unit.COUNT),
    Metric("revenue_growth", "Revenue growth vs last year", Unit.PERCENT),
    Metric("deals_won", "Deals won", Unit.COUNT),
    Metric("win_rate", "Win rate", Unit.PERCENT),
    Metric("avg_deal_size", "Average deal size", Unit.MONEY),
    Metric("cycle_days", "Sales cycle length", Unit.DAYS, higher_is_better=False),
    Metric("pipeline_created", "Pipeline created", Unit.MONEY),
    Metric("opportunities_created", "Opportunities created", Unit.COUNT),
    Metric("calls", "Calls", Unit.COUNT),
    Metric("emails", "E-mails", Unit.COUNT),
    Metric("meetings", "Meetings booked", Unit.COUNT),
    Metric("first_meetings", "First meetings", Unit.COUNT),
    Metric("second_meetings", "Second meetings", Unit.COUNT),
    Metric("prospecting_activities", "Prospecting activities", Unit.COUNT),
    Metric("custom", "Custom (entered by hand)", Unit.COUNT, manual=True),
)
BY_KEY = {metric.key: metric for metric in CATALOGUE}


def metric_get(key: str) -> Metric:
    """The metric called `key`; a KeyError message lists the known ones."""
    try:
        return BY_KEY[key.strip().lower()]
    except KeyError:
        known = ", ".join(BY_KEY)
        raise KeyError(f'Unknown metric "{key}". Known metrics: {known}.') from None
