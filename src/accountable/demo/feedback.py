"""What customers said about a rep: praise after some won deals, and complaints
only for the reps planted to draw them.

Praise follows results — a rep who wins more hears more thanks. Complaints are
planted (the `customer_complaints` archetype) and nobody else gets any, so a
complaints warning raised on anyone else is a false alarm the tests can count.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from accountable.crm.models import DealStatus, Feedback
from accountable.demo.catalogue import COMPLAINT_NOTES, PRAISE_NOTES, AccountPlan
from accountable.demo.deals import DealPlan
from accountable.demo.draws import poisson
from accountable.demo.timeline import RepTimeline

__all__ = ["FeedbackPlan", "feedback_plans"]

PRAISE_PER_WON_DEAL = 0.08
DAYS_PER_QUARTER = 91
# A planted complainer has at least this many complaints in the last quarter,
# so the pattern is recent enough to act on.
RECENT_COMPLAINTS = 2


@dataclass(frozen=True)
class FeedbackPlan:
    kind: str
    received_on: date
    account: int | None
    note: str


def feedback_plans(
    rng: random.Random,
    timeline: RepTimeline,
    deals: Sequence[DealPlan],
    book: Sequence[AccountPlan],
    *,
    first_day: date,
    today: date,
) -> list[FeedbackPlan]:
    """Praise and complaints received from `first_day` to yesterday, oldest first."""
    plans = []
    for deal in deals:
        if deal.status == DealStatus.WON and rng.random() < PRAISE_PER_WON_DEAL:
            received = deal.closed_on + timedelta(days=rng.randint(10, 60))
            if first_day <= received < today:
                note = rng.choice(PRAISE_NOTES)
                plans.append(FeedbackPlan(Feedback.Kind.PRAISE, received, deal.account, note))

    rate = timeline.behaviour.complaints_per_quarter
    start = max(first_day, timeline.start_date)
    days = (today - start).days
    if rate and days > DAYS_PER_QUARTER:
        count = poisson(rng, rate * days / DAYS_PER_QUARTER)
        recent = [start + timedelta(days=rng.randrange(days)) for _ in range(count)]
        recent_start = today - timedelta(days=DAYS_PER_QUARTER)
        while sum(day >= recent_start for day in recent) < RECENT_COMPLAINTS:
            recent.append(today - timedelta(days=rng.randint(1, DAYS_PER_QUARTER)))
        customers = [i for i, account in enumerate(book) if account.is_customer]
        for day in recent:
            account = rng.choice(customers) if customers else None
            note = rng.choice(COMPLAINT_NOTES)
            plans.append(FeedbackPlan(Feedback.Kind.COMPLAINT, day, account, note))
    return sorted(plans, key=lambda plan: plan.received_on)
