"""A rep's deals: opened at the pace their prospecting allows, walked through the
pipeline over their sales cycle, and won, lost or still open on `today`.

`deal_plans` decides everything from the rep's seeded generator and timeline —
which account and product, the amount, the dates each stage was entered, the
checklist milestones ticked on the way, close-date pushes and discounts, and
the odd deal whose credit is split with an overlay. It needs no database; the
`*_rows` functions turn a stored deal's plan into rows for the history tables.

The funnel is `BASELINE`'s: a typical rep opens about two opportunities a week
(50 touches, 8% of them meetings, half of those opportunities), and wins a
quarter of them after about 55 days, at about 24,000 each. Each archetype's
timeline scales that.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from accountable.crm.models import DealStatus, DealType, Milestone, Stage
from accountable.demo.archetypes import BASELINE
from accountable.demo.catalogue import (
    LOST_REASONS,
    POOR_QUALIFICATION_REASONS,
    PRODUCTS,
    TIERS,
    AccountPlan,
)
from accountable.demo.draws import Rotation, on_working_day, poisson, spread
from accountable.demo.errors import DemoError
from accountable.demo.timeline import RepTimeline
from accountable.org.calendar import FiscalCalendar

__all__ = [
    "OPPORTUNITIES_PER_DAY",
    "DealPlan",
    "Pipeline",
    "PipelineStage",
    "change_rows",
    "deal_plans",
    "milestone_rows",
    "split_rows",
    "stage_change_rows",
]

WORKING_DAYS_PER_WEEK = 5
# A typical rep's new opportunities per working day (about two a week).
OPPORTUNITIES_PER_DAY = (
    BASELINE.weekly_touches
    * BASELINE.meeting_rate
    * BASELINE.opportunity_rate
    / WORKING_DAYS_PER_WEEK
)
# New business goes to prospects; renewals and expansions to existing customers.
DEAL_TYPES = (
    (DealType.NEW_BUSINESS, 0.7, 1.03),
    (DealType.EXPANSION, 0.15, 0.9),
    (DealType.RENEWAL, 0.15, 0.96),
)  # type, share of deals, size relative to the average deal
DEAL_TYPE_WEIGHTS = [share for _type, share, _size in DEAL_TYPES]
CYCLE_SPREAD = 0.2
FORECAST_SPREAD = 0.15
MIN_CYCLE_DAYS = 10
# Where stages are entered, as a share of the deal's cycle (the first at 0),
# and at which stage lost deals were lost, most of them early.
STAGE_REACHED_AT = 0.8
STAGE_JITTER = 0.06
LOST_AT_WEIGHTS = (0.3, 0.35, 0.25, 0.1)
# Checklist milestones ticked before a deal moves on; lost deals were worked
# less carefully, and in the stage a deal is in now only some are done yet.
MILESTONE_DONE = 0.95
MILESTONE_DONE_WHEN_LOST = 0.8
MILESTONE_DONE_IN_CURRENT_STAGE = 0.4
# About one won deal in four is discounted at the close.
DISCOUNT_CHANCE = 0.25
DISCOUNT_RANGE = (0.03, 0.12)
# A few deals share their credit with an overlay from the same team.
SPLIT_CHANCE = 0.04
OVERLAY_SHARE = Decimal("30")
MAX_PUSHES = 3
MAX_WIN_RATE = 0.9


@dataclass(frozen=True)
class PipelineStage:
    """An open stage of the pipeline and its checklist milestone ids, in order."""

    id: int
    name: str
    milestones: tuple[int, ...] = ()


@dataclass(frozen=True)
class Pipeline:
    """The organisation's pipeline: open stages in order, then won and lost."""

    open: tuple[PipelineStage, ...]
    won: int
    lost: int

    @classmethod
    def load(cls) -> Pipeline:
        """The pipeline as configured (the default one in a new database)."""
        stages = list(Stage.objects.order_by("order"))
        won = next((s.pk for s in stages if s.is_won), None)
        lost = next((s.pk for s in stages if s.is_lost), None)
        open_stages = [s for s in stages if not s.is_closed]
        if won is None or lost is None or not open_stages:
            raise DemoError(
                "The demo needs a pipeline with at least one open stage, a won stage and a "
                "lost stage; the current one has "
                f"{', '.join(s.name for s in stages) or 'no stages'}."
            )
        milestones: dict[int, list[int]] = {}
        for stage_id, milestone_id in Milestone.objects.order_by("order").values_list(
            "stage_id", "id"
        ):
            milestones.setdefault(stage_id, []).append(milestone_id)
        return cls(
            open=tuple(
                PipelineStage(s.pk, s.name, tuple(milestones.get(s.pk, ()))) for s in open_stages
            ),
            won=won,
            lost=lost,
        )


@dataclass
class DealPlan:
    """One opportunity of a rep, as it stands on `today`.

    `stage_entries` holds the day each open stage was entered, in pipeline
    order, for the stages reached so far; a closed deal then moved to won or
    lost on `closed_on`. `pushes` are (old, new) expected close dates, each
    changed on its old date. `account` indexes the rep's book, `product`
    `PRODUCTS`, `overlay` the rep's teammates.
    """

    account: int
    product: int
    type: str
    created_on: date
    first_amount: Decimal
    amount: Decimal
    status: str
    stage_entries: list[date]
    closed_on: date | None
    expected_close_on: date
    lost_reason: str = ""
    pushes: list[tuple[date, date]] = field(default_factory=list)
    milestones: list[tuple[int, date]] = field(default_factory=list)
    overlay: int | None = None

    @property
    def engaged_on(self) -> date | None:
        return self.stage_entries[1] if len(self.stage_entries) > 1 else None

    @property
    def last_changed_on(self) -> date:
        return self.closed_on or self.stage_entries[-1]

    def stage_id(self, pipeline: Pipeline) -> int:
        if self.status == DealStatus.WON:
            return pipeline.won
        if self.status == DealStatus.LOST:
            return pipeline.lost
        return pipeline.open[len(self.stage_entries) - 1].id

    def name(self, book: Sequence[AccountPlan]) -> str:
        product = PRODUCTS[self.product].name
        suffix = {DealType.RENEWAL: " renewal", DealType.EXPANSION: " expansion"}
        return f"{book[self.account].name} — {product}{suffix.get(self.type, '')}"


def _money(value: float) -> Decimal:
    """Amounts as a rep types them: whole hundreds, never below 500."""
    return Decimal(max(500, round(value, -2))).quantize(Decimal("0.01"))


def _product_shares(priority_share: float) -> dict[int, float]:
    """How often each product (by index) is sold: `priority_share` of deals in the
    priority products, the rest in the others, each by its weight in its group."""
    shares = {}
    for priority, group_share in ((True, priority_share), (False, 1 - priority_share)):
        group = [i for i, product in enumerate(PRODUCTS) if product.is_priority == priority]
        weights = sum(PRODUCTS[i].weight for i in group)
        shares.update({i: group_share * PRODUCTS[i].weight / weights for i in group})
    return shares


def _stage_days(
    rng: random.Random, calendar: FiscalCalendar, stages: int, created: date, cycle: int
) -> list[date]:
    """The working day each open stage would be entered on, for a deal that runs
    its full cycle; one stage a day at the fastest."""
    days = [created]
    for index in range(1, stages):
        share = STAGE_REACHED_AT * index / max(1, stages - 1)
        share += rng.uniform(-STAGE_JITTER, STAGE_JITTER)
        day = created + timedelta(days=round(share * cycle))
        days.append(on_working_day(calendar, max(day, days[-1] + timedelta(days=1))))
    return days


def _pushes(
    rng: random.Random, forecast: date, actual: date, today: date
) -> tuple[list[tuple[date, date]], date]:
    """Close-date pushes of a deal forecast to close on `forecast` that in fact
    closes (or will close) on `actual`: whenever the expected date passes with
    the deal still open, the rep moves it out. Returns the pushes and the
    expected date they end on."""
    expected, pushes = forecast, []
    while (
        len(pushes) < MAX_PUSHES and expected < min(actual, today) and (actual - expected).days > 7
    ):
        later = max(14, round((actual - expected).days * rng.uniform(0.6, 1.3)))
        pushes.append((expected, expected + timedelta(days=later)))
        expected = pushes[-1][1]
    return pushes, expected


def _milestones(
    rng: random.Random,
    pipeline: Pipeline,
    plan: DealPlan,
    discipline: float,
    today: date,
) -> list[tuple[int, date]]:
    """Checklist milestones done on a deal: most of those of every stage it has
    left, some of the stage it is in now, fewer for careless reps."""
    done = []
    entries = plan.stage_entries
    for index, entered in enumerate(entries):
        if index + 1 < len(entries) or plan.closed_on:
            left = entries[index + 1] if index + 1 < len(entries) else plan.closed_on
            chance = MILESTONE_DONE_WHEN_LOST if plan.status == DealStatus.LOST else MILESTONE_DONE
        else:
            left = today - timedelta(days=1)
            chance = MILESTONE_DONE_IN_CURRENT_STAGE
        if left < entered:
            continue
        ticked = [m for m in pipeline.open[index].milestones if rng.random() < chance * discipline]
        days = sorted(
            entered + timedelta(days=rng.randint(0, (left - entered).days)) for _ in ticked
        )
        done.extend(zip(ticked, days, strict=True))
    return done


@dataclass
class _Seller:
    """What drawing one rep's deals needs, gathered once for all of them."""

    rng: random.Random
    timeline: RepTimeline
    book: Sequence[AccountPlan]
    pipeline: Pipeline
    today: date
    teammates: int
    pools: dict[tuple[bool, str], list[int]] = field(init=False)
    # One rotation for the deals that will be won and one for the others, so
    # that the won deals of any quarter have the usual mix of tiers and products.
    tiers: dict[bool, Rotation[str]] = field(init=False)
    products: dict[bool, Rotation[int]] = field(init=False)

    def __post_init__(self) -> None:
        # Accounts by (is a customer, tier); new business goes to prospects,
        # renewals and expansions to customers, in a tier chosen in rotation.
        self.pools: dict[tuple[bool, str], list[int]] = {}
        for index, account in enumerate(self.book):
            self.pools.setdefault((account.is_customer, account.tier), []).append(index)
        tier_shares = {tier.tier: tier.share for tier in TIERS}
        share = BASELINE.priority_share * self.timeline.behaviour.priority_share
        product_shares = _product_shares(min(0.95, max(0.05, share)))
        self.tiers = {won: Rotation(self.rng, tier_shares) for won in (True, False)}
        self.products = {won: Rotation(self.rng, product_shares) for won in (True, False)}

    def _pool(self, *, customer: bool, tier: str) -> list[int]:
        """The accounts to pick from: of that kind and tier if the book has any,
        else of that kind, else any."""
        return (
            self.pools.get((customer, tier))
            or [i for (kind, _t), pool in self.pools.items() if kind == customer for i in pool]
            or [i for pool in self.pools.values() for i in pool]
        )

    def deal(self, created: date) -> DealPlan:
        """A deal opened on `created`, walked through the pipeline up to `today`."""
        rng, timeline, today = self.rng, self.timeline, self.today
        behaviour, calendar = timeline.behaviour, timeline.calendar
        # Won or lost by the chance of it, deal by deal: a steady rep's half-year can be ten
        # points better or worse than the one before without anything having changed.
        won = rng.random() < min(MAX_WIN_RATE, BASELINE.win_rate * timeline.win_rate(created))
        deal_type, _share, type_size = rng.choices(DEAL_TYPES, DEAL_TYPE_WEIGHTS)[0]
        new_business = deal_type == DealType.NEW_BUSINESS
        tier = self.tiers[won].pick()
        account = rng.choice(self._pool(customer=not new_business, tier=tier))
        product = self.products[won].pick()
        first_amount = _money(
            BASELINE.deal_size
            * timeline.deal_size(created)
            * self.book[account].size
            * PRODUCTS[product].size
            * type_size
            * spread(rng, timeline.segment.amount_spread)
        )

        # A deal still open when the rep's cycles start to lengthen is stretched
        # too: the cycle is the one of the day halfway through it.
        cycle = BASELINE.cycle_days * spread(rng, CYCLE_SPREAD)
        halfway = created + timedelta(days=round(cycle * timeline.cycle(created) / 2))
        cycle = max(MIN_CYCLE_DAYS, round(cycle * timeline.cycle(halfway)))
        stages = len(self.pipeline.open)
        full = _stage_days(rng, calendar, stages, created, cycle)
        if won:
            reached, end = stages, created + timedelta(days=cycle)
        else:
            weights = (LOST_AT_WEIGHTS + (0.1,) * stages)[:stages]
            last = rng.choices(range(stages), weights)[0]
            reached = last + 1
            lo = full[last] + timedelta(days=1)
            hi = full[last + 1] if last + 1 < stages else created + timedelta(days=cycle)
            end = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
        end = on_working_day(calendar, max(end, full[reached - 1] + timedelta(days=1)))

        forecast_days = (
            BASELINE.cycle_days
            * behaviour.cycle_length
            * timeline.segment.cycle
            * spread(rng, FORECAST_SPREAD)
        )
        forecast = on_working_day(calendar, created + timedelta(days=round(forecast_days)))
        pushes, expected = _pushes(rng, forecast, end, today)
        closed = end <= today
        plan = DealPlan(
            account=account,
            product=product,
            type=deal_type,
            created_on=created,
            first_amount=first_amount,
            amount=first_amount,
            status=(DealStatus.WON if won else DealStatus.LOST) if closed else DealStatus.OPEN,
            stage_entries=[d for d in full[:reached] if d <= min(end, today)],
            closed_on=end if closed else None,
            expected_close_on=end if closed else expected,
            pushes=pushes,
        )
        if plan.status == DealStatus.WON:
            # Priced again at the close: the rep's deal-size trend by then, and
            # now and again a discount to get it signed.
            repriced = float(first_amount) * timeline.deal_size(end) / timeline.deal_size(created)
            if rng.random() < DISCOUNT_CHANCE:
                repriced *= 1 - rng.uniform(*DISCOUNT_RANGE)
            plan.amount = _money(repriced)
        elif plan.status == DealStatus.LOST:
            plan.lost_reason = _lost_reason(rng, behaviour.checklist_discipline)
        plan.milestones = _milestones(
            rng, self.pipeline, plan, behaviour.checklist_discipline, today
        )
        # Both draws are made for everyone, so a rep's deals do not depend on how
        # many teammates they have.
        split, overlay = rng.random(), rng.random()
        if self.teammates and split < SPLIT_CHANCE:
            plan.overlay = int(overlay * self.teammates)
        return plan


def _lost_reason(rng: random.Random, discipline: float) -> str:
    """Why a deal was lost; reps who skip qualification lose more deals to
    "no decision" and "no budget"."""
    boost = 2.0 if discipline < 1 else 1.0
    weights = [w * (boost if r in POOR_QUALIFICATION_REASONS else 1) for r, w in LOST_REASONS]
    return rng.choices([r for r, _ in LOST_REASONS], weights)[0]


def deal_plans(
    rng: random.Random,
    timeline: RepTimeline,
    book: Sequence[AccountPlan],
    pipeline: Pipeline,
    *,
    first_day: date,
    history_from: date,
    today: date,
    teammates: int = 0,
) -> list[DealPlan]:
    """Every deal the rep opened from `first_day` to `today`, in the order opened.

    Deals opened before `history_from` (where the activity history begins) are
    kept only when they were still open then, so the history starts with a
    pipeline and closes deals from its first week.
    """
    seller = _Seller(rng, timeline, book, pipeline, today, teammates)
    calendar = timeline.calendar
    plans, day = [], first_day
    while day <= today:
        if calendar.is_working_day(day):
            # Opened as they come (Poisson): some weeks bring three, some none.
            for _ in range(poisson(rng, OPPORTUNITIES_PER_DAY * timeline.opportunities(day))):
                plan = seller.deal(day)
                if plan.closed_on is None or plan.closed_on >= history_from:
                    plans.append(plan)
        day += timedelta(days=1)
    return plans


# --- Rows for the history tables, once the deal is stored ---------------------------------


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def stage_change_rows(plan: DealPlan, deal_id: int, pipeline: Pipeline) -> Iterator[tuple]:
    """(deal, from stage, to stage, changed on, recorded at), oldest first, ending
    at the deal's current stage."""
    previous = None
    for index, entered in enumerate(plan.stage_entries):
        stage = pipeline.open[index].id
        yield (deal_id, previous, stage, entered, _at(entered, 10))
        previous = stage
    if plan.closed_on:
        yield (deal_id, previous, plan.stage_id(pipeline), plan.closed_on, _at(plan.closed_on, 16))


def milestone_rows(plan: DealPlan, deal_id: int, owner_id: int) -> Iterator[tuple]:
    """(deal, milestone, done on, done by)."""
    for milestone_id, done_on in plan.milestones:
        yield (deal_id, milestone_id, done_on, owner_id)


def split_rows(
    plan: DealPlan, deal_id: int, owner_id: int, teammate_ids: Sequence[int]
) -> Iterator[tuple]:
    """(deal, person, share): the owner and the overlay, adding up to 100%."""
    if plan.overlay is None:
        return
    yield (deal_id, owner_id, Decimal("100") - OVERLAY_SHARE)
    yield (deal_id, teammate_ids[plan.overlay], OVERLAY_SHARE)


def change_rows(plan: DealPlan, deal_id: int) -> Iterator[tuple]:
    """(deal, field, old, new, changed at): close-date pushes and the price at close."""
    for old, new in plan.pushes:
        yield (deal_id, "expected_close_on", old.isoformat(), new.isoformat(), _at(old, 9))
    if plan.amount != plan.first_amount and plan.closed_on:
        yield (deal_id, "amount", str(plan.first_amount), str(plan.amount), _at(plan.closed_on, 15))
