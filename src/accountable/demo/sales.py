"""The demo's sales data: for every rep, the accounts they own, the deals they
opened and worked, the activities they logged, what their customers said, and
the targets they carry (SPEC §9).

`sales_data_create` runs rep by rep, each from their own seeded generators
(`Random(f"{seed}:{email}:deals")` and so on), so a rep's numbers depend on the
seed, their e-mail, start date and archetype only — not on who else is in the
organisation, and their deals not on how many activities a benchmark asked
for. (Names and external ids are handed out in order, so those can differ.)
Activities are streamed: generated a day at a time and written in batches, so
generating ten million of them takes no more memory than generating ten
thousand.

The caller holds the transaction.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from accountable.crm.models import (
    Account,
    Activity,
    Deal,
    DealChange,
    DealMilestone,
    DealSplit,
    DealStageChange,
    Feedback,
    Product,
)
from accountable.crm.names import name_key
from accountable.demo.activities import ACTIVITY_FIELDS, activity_rows, deal_touches, touch_scale
from accountable.demo.archetypes import archetype_get
from accountable.demo.bulk import BatchInserter, timestamper
from accountable.demo.catalogue import PRODUCTS, AccountNames, AccountPlan, account_book
from accountable.demo.deals import (
    DealPlan,
    Pipeline,
    change_rows,
    deal_plans,
    milestone_rows,
    split_rows,
    stage_change_rows,
)
from accountable.demo.feedback import feedback_plans
from accountable.demo.segments import segment_of
from accountable.demo.targets import quarters, rep_targets, targets_create, team_targets
from accountable.demo.timeline import RepTimeline, personal_style
from accountable.org.calendar import FiscalCalendar, Kind
from accountable.org.models import Person, Role, Team

if TYPE_CHECKING:
    from accountable.demo.generator import OrganisationPlan

__all__ = ["DEFAULT_WEEKS", "SalesWindow", "sales_data_create"]

DEFAULT_WEEKS = 65
# Deals opened up to this many weeks before the activity history still closing
# inside it, so revenue runs at its normal rate from the first week.
WARM_UP_WEEKS = 20
BOOK_SIZE = (30, 50)


@dataclass(frozen=True)
class SalesWindow:
    """The stretch of time the sales data covers.

    Activities run from the start of a fiscal quarter to yesterday: the quarter
    holding the day `weeks` weeks back, so that there are at least `weeks`
    weeks and every quarter in the data is complete. Deals start a few months
    earlier, so that the first weeks already have a pipeline to close.
    """

    today: date
    weeks: int
    calendar: FiscalCalendar

    @property
    def activities_from(self) -> date:
        this_week = self.calendar.period(Kind.WEEK, self.today).start
        return self.calendar.period(Kind.QUARTER, this_week - timedelta(weeks=self.weeks - 1)).start

    @property
    def deals_from(self) -> date:
        return self.activities_from - timedelta(weeks=WARM_UP_WEEKS)

    @property
    def weeks_covered(self) -> float:
        """Weeks of activity history, to turn a total into a number per rep-week."""
        return (self.today - self.activities_from).days / 7


@dataclass
class _Rep:
    email: str
    person_id: int
    team: str
    timeline: RepTimeline


def _products_create() -> list[int]:
    """The catalogue's products (reusing any already there by name); their ids in
    `PRODUCTS` order."""
    existing = Product.objects.in_bulk(field_name="key")
    missing = [
        Product(
            name=spec.name,
            key=name_key(spec.name),
            product_line=spec.product_line,
            list_price=Decimal(spec.list_price),
            is_priority=spec.is_priority,
        )
        for spec in PRODUCTS
        if name_key(spec.name) not in existing
    ]
    Product.objects.bulk_create(missing)
    by_key = Product.objects.in_bulk(field_name="key")
    return [by_key[name_key(spec.name)].pk for spec in PRODUCTS]


ACCOUNT_FIELDS = (
    "external_id",
    "name",
    "key",
    "owner",
    "segment",
    "tier",
    "sector",
    "country",
    "employees",
)
DEAL_FIELDS = (
    "external_id",
    "name",
    "account",
    "owner",
    "product",
    "amount",
    "type",
    "stage",
    "status",
    "created_on",
    "engaged_on",
    "expected_close_on",
    "closed_on",
    "lost_reason",
    "updated_at",
    "quantity",
)


def _insert_returning_ids(
    inserter: BatchInserter, model: type[Account | Deal], rows: list[tuple]
) -> list[int]:
    """Insert rows whose first value is a new external id; their primary keys in
    the same order, found again by those ids (one query, any database)."""
    inserter.extend(rows)
    inserter.flush()
    external_ids = [row[0] for row in rows]
    found = dict(
        model.objects.filter(external_id__in=external_ids).values_list("external_id", "pk")
    )
    return [found[external_id] for external_id in external_ids]


class _Writer:
    """Every table the sales data goes to, with running external-id numbers."""

    def __init__(self) -> None:
        self.stage_changes = BatchInserter(
            DealStageChange, ["deal", "from_stage", "to_stage", "changed_on", "recorded_at"]
        )
        self.milestones = BatchInserter(DealMilestone, ["deal", "milestone", "done_on", "done_by"])
        self.splits = BatchInserter(DealSplit, ["deal", "person", "share"])
        self.changes = BatchInserter(
            DealChange, ["deal", "field", "old_value", "new_value", "changed_at"]
        )
        self.activities = BatchInserter(Activity, ACTIVITY_FIELDS, adapt_datetimes=False)
        self.feedback = BatchInserter(
            Feedback, ["external_id", "person", "kind", "received_on", "account", "note"]
        )
        self.account_rows = BatchInserter(Account, ACCOUNT_FIELDS)
        self.deal_rows = BatchInserter(Deal, DEAL_FIELDS)
        self.accounts = 0
        self.deals: Counter[str] = Counter()
        self.feedback_numbers = 0
        self.stamp = timestamper()

    def flush(self) -> None:
        for inserter in self._inserters():
            inserter.flush()

    def _inserters(self) -> list[BatchInserter]:
        return [
            self.stage_changes,
            self.milestones,
            self.splits,
            self.changes,
            self.activities,
            self.feedback,
        ]

    def accounts_create(self, book: list[AccountPlan], owner_id: int) -> list[int]:
        """Store a rep's book; the new accounts' ids, in book order."""
        rows = []
        for account in book:
            self.accounts += 1
            rows.append(
                (
                    f"ACC-{self.accounts:06d}",
                    account.name,
                    name_key(account.name),
                    owner_id,
                    account.segment,
                    account.tier,
                    account.sector,
                    account.country,
                    account.employees,
                )
            )
        return _insert_returning_ids(self.account_rows, Account, rows)

    def deals_create(
        self,
        plans: list[DealPlan],
        *,
        owner_id: int,
        book: list[AccountPlan],
        account_ids: list[int],
        product_ids: list[int],
        pipeline: Pipeline,
    ) -> list[int]:
        """Store a rep's deals; their ids, in the order of `plans`."""
        rows = []
        for plan in plans:
            number = sum(self.deals.values()) + 1
            self.deals[plan.status] += 1
            rows.append(
                (
                    f"OPP-{number:07d}",
                    plan.name(book),
                    account_ids[plan.account],
                    owner_id,
                    product_ids[plan.product],
                    plan.amount,
                    plan.type,
                    plan.stage_id(pipeline),
                    plan.status,
                    plan.created_on,
                    plan.engaged_on,
                    plan.expected_close_on,
                    plan.closed_on,
                    plan.lost_reason,
                    datetime.combine(plan.last_changed_on, time(17), tzinfo=UTC),
                    1,  # the demo sells one unit a deal
                )
            )
        return _insert_returning_ids(self.deal_rows, Deal, rows)

    def counts(self) -> dict[str, int]:
        return {
            "accounts": self.accounts,
            "deals": sum(self.deals.values()),
            "deals_won": self.deals["won"],
            "deals_lost": self.deals["lost"],
            "deals_open": self.deals["open"],
            "stage_changes": self.stage_changes.count,
            "milestones_done": self.milestones.count,
            "split_deals": self.splits.count // 2,
            "deal_changes": self.changes.count,
            "activities": self.activities.count,
            "feedback": self.feedback.count,
        }


def _reps(plan: OrganisationPlan, calendar: FiscalCalendar) -> list[_Rep]:
    ids = dict(Person.objects.filter(role=Role.REP).values_list("email", "id"))
    return [
        _Rep(
            email=spec.email,
            person_id=ids[spec.email],
            team=spec.team,
            timeline=RepTimeline(
                behaviour=personal_style(
                    archetype_get(spec.archetype).behaviour,
                    random.Random(f"{plan.seed}:{spec.email}:style"),
                ),
                start_date=spec.start_date,
                today=plan.today,
                calendar=calendar,
                segment=segment_of(spec.team),
            ),
        )
        for spec in plan.people
        if spec.role == Role.REP
    ]


def sales_data_create(
    plan: OrganisationPlan,
    *,
    calendar: FiscalCalendar,
    weeks: int = DEFAULT_WEEKS,
    activities_per_rep_week: float | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> dict[str, int]:
    """Accounts, products, deals with their history, activities, feedback and
    targets for every rep of the stored `plan` (an `OrganisationPlan`).

    `progress(reps_done)` is called after each rep. Returns row counts by kind.
    """
    window = SalesWindow(today=plan.today, weeks=weeks, calendar=calendar)
    today, seed = plan.today, plan.seed
    pipeline = Pipeline.load()
    product_ids = _products_create()
    names = AccountNames(set(Account.objects.values_list("key", flat=True)))
    scale = touch_scale(activities_per_rep_week)
    periods = quarters(calendar, today, since=window.activities_from)
    reps = _reps(plan, calendar)
    team_reps: dict[str, list[int]] = defaultdict(list)
    for rep in reps:
        team_reps[rep.team].append(rep.person_id)

    writer = _Writer()
    targets: dict[int, dict[tuple[str, str], Decimal]] = {}
    for done, rep in enumerate(reps, start=1):
        teammates = [pid for pid in team_reps[rep.team] if pid != rep.person_id]
        _rep_sales_create(
            rep,
            seed=seed,
            window=window,
            writer=writer,
            names=names,
            pipeline=pipeline,
            product_ids=product_ids,
            teammates=teammates,
            scale=scale,
        )
        targets[rep.person_id] = rep_targets(rep.timeline, periods)
        progress(done)
    writer.flush()

    team_ids = dict(Team.objects.values_list("name", "id"))
    by_team = team_targets(
        {rep.email: targets[rep.person_id] for rep in reps},
        {rep.email: rep.team for rep in reps},
        {team.name: team.parent for team in plan.teams},
    )
    written = targets_create(
        rep_values=targets,
        team_values={team_ids[name]: values for name, values in by_team.items()},
        periods=periods,
    )
    return {"products": len(product_ids), **writer.counts(), "targets": written}


def _rep_sales_create(
    rep: _Rep,
    *,
    seed: int,
    window: SalesWindow,
    writer: _Writer,
    names: AccountNames,
    pipeline: Pipeline,
    product_ids: list[int],
    teammates: list[int],
    scale: float,
) -> None:
    """One rep's book, deals (with history), activities and feedback."""
    today, timeline = window.today, rep.timeline
    accounts_rng = random.Random(f"{seed}:{rep.email}:accounts")
    deals_rng = random.Random(f"{seed}:{rep.email}:deals")
    activities_rng = random.Random(f"{seed}:{rep.email}:activities")
    feedback_rng = random.Random(f"{seed}:{rep.email}:feedback")

    book = account_book(accounts_rng, names, size=accounts_rng.randint(*BOOK_SIZE))
    account_ids = writer.accounts_create(book, rep.person_id)
    plans = deal_plans(
        deals_rng,
        timeline,
        book,
        pipeline,
        first_day=window.deals_from,
        history_from=window.activities_from,
        today=today,
        teammates=len(teammates),
    )
    deal_ids = writer.deals_create(
        plans,
        owner_id=rep.person_id,
        book=book,
        account_ids=account_ids,
        product_ids=product_ids,
        pipeline=pipeline,
    )
    events: dict[date, list] = defaultdict(list)
    for plan, deal_id in zip(plans, deal_ids, strict=True):
        writer.stage_changes.extend(stage_change_rows(plan, deal_id, pipeline))
        writer.milestones.extend(milestone_rows(plan, deal_id, rep.person_id))
        writer.splits.extend(split_rows(plan, deal_id, rep.person_id, teammates))
        writer.changes.extend(change_rows(plan, deal_id))
        touches = deal_touches(
            activities_rng,
            timeline,
            plan,
            deal_id=deal_id,
            account_id=account_ids[plan.account],
            first_day=window.activities_from,
            today=today,
        )
        for day, touch in touches:
            events[day].append(touch)

    writer.activities.extend(
        activity_rows(
            activities_rng,
            timeline,
            person_id=rep.person_id,
            first_day=window.activities_from,
            today=today,
            deal_events=events,
            prospect_ids=[i for i, a in zip(account_ids, book, strict=True) if not a.is_customer],
            customer_ids=[i for i, a in zip(account_ids, book, strict=True) if a.is_customer],
            stamp=writer.stamp,
            scale=scale,
        )
    )
    said = feedback_plans(
        feedback_rng, timeline, plans, book, first_day=window.activities_from, today=today
    )
    for item in said:
        writer.feedback_numbers += 1
        account = account_ids[item.account] if item.account is not None else None
        writer.feedback.add(
            (
                f"FB-{writer.feedback_numbers:06d}",
                rep.person_id,
                item.kind,
                item.received_on,
                account,
                item.note,
            )
        )
