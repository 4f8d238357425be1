"""How a commitment stands: judged by the data when it falls due, or by its report.

- A **metric** commitment is judged once its due day is over, on the metric's figure
  over its span, as the board counts it (`goals.actuals.figure`): **met** at the value
  or better, **partly** from half of it (`PARTLY_FROM`), **missed** below that. For a
  metric where lower is better (days of sales cycle), "half" is twice the value. A
  ratio with nothing to work it out from (no deal closed) is not judged: not enough
  data is not a miss.
- A **deal** commitment is met when the deal was won on or before the due day, and
  missed when it was lost, won later, or is still open once the day is over.
- A **free-text** commitment is what the person reports and their manager confirms.

An open commitment is **due soon** within `DUE_SOON_DAYS` days of its due day and
**overdue** once that day is over without a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accountable.commitments.models import Commitment, State
from accountable.crm.models import DealStatus
from accountable.goals import actuals
from accountable.targets.catalogue import BY_KEY

PARTLY_FROM = Decimal("0.5")
DUE_SOON_DAYS = 3
DUE_SOON, OVERDUE = "due soon", "overdue"


@dataclass(frozen=True)
class Verdict:
    """What the data says of a commitment: a state (None: not judged yet, `why` says
    why), the figure it rests on, and in words."""

    state: str | None
    actual: Decimal | None = None
    why: str = ""


def falls_due(commitment: Commitment, today: date) -> bool:
    """Whether the commitment's due day is over (it is judged the day after)."""
    return today > commitment.due_on


def verdict(commitment: Commitment, today: date) -> Verdict:
    """The data's verdict on a metric or deal commitment (free text: never)."""
    if commitment.kind == "text":
        return Verdict(None, why="judged by the person's report and their manager")
    if not falls_due(commitment, today):
        return Verdict(None, why=f"due on {commitment.due_on:%a %d %b %Y}")
    if commitment.kind == "deal":
        return _deal_verdict(commitment)
    return _metric_verdict(commitment)


def _metric_verdict(commitment: Commitment) -> Verdict:
    metric = BY_KEY[commitment.metric]
    start = commitment.start_on or commitment.due_on
    figure = actuals.figure(commitment.metric, [commitment.person_id], start, commitment.due_on)
    if figure.value is None:
        return Verdict(None, why=f"not enough data: {figure.why}")
    return Verdict(
        attainment_state(figure.value, commitment.value, metric.higher_is_better), figure.value
    )


def attainment_state(actual: Decimal, promised: Decimal, higher_is_better: bool = True) -> str:
    """Met, partly or missed: the figure against the value promised."""
    if higher_is_better:
        if actual >= promised:
            return State.MET
        return State.PARTLY if promised and actual >= promised * PARTLY_FROM else State.MISSED
    if actual <= promised:
        return State.MET
    return State.PARTLY if actual * PARTLY_FROM <= promised else State.MISSED


def _deal_verdict(commitment: Commitment) -> Verdict:
    deal = commitment.deal
    if deal is None:
        return Verdict(State.MISSED, why="the deal is no longer in Accountable")
    if deal.status == DealStatus.WON and deal.closed_on is None:
        return Verdict(None, why="won, but the day it closed is not recorded: not judged")
    if deal.status == DealStatus.WON and deal.closed_on <= commitment.due_on:
        return Verdict(State.MET, deal.amount, f"won on {deal.closed_on:%d %b %Y}")
    if deal.status == DealStatus.WON:
        return Verdict(State.MISSED, deal.amount, f"won on {deal.closed_on:%d %b %Y}, late")
    if deal.status == DealStatus.LOST:
        return Verdict(State.MISSED, Decimal(0), "lost")
    return Verdict(State.MISSED, Decimal(0), "still open")


def standing(commitment: Commitment, today: date) -> str:
    """How the commitment stands today: its state once decided; for an open one, due
    soon or overdue when it is (else open)."""
    if commitment.state != State.OPEN:
        return commitment.state
    if falls_due(commitment, today):
        return OVERDUE
    if (commitment.due_on - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return State.OPEN
