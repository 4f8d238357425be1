"""Reads of the sales data, always scoped to the viewer through `org.scoping`.

A rep sees the deals they own or are credited on by a split, and their own
activities and feedback; a manager sees those of everyone in the teams they
manage (and their own); executives and admins see everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from accountable.core.local_day import day_start
from accountable.crm.models import (
    Activity,
    Deal,
    DealChange,
    DealMilestone,
    DealSplit,
    DealStageChange,
    DealStatus,
    Feedback,
    Milestone,
    Product,
    Stage,
)
from accountable.org.models import Person, Team
from accountable.org.scoping import SEES_EVERYONE, visible_people, visible_teams

PAGE_SIZE = 50


def _sees_everyone(viewer: Person) -> bool:
    return viewer.is_authenticated and viewer.role in SEES_EVERYONE


def deals_visible_to(viewer: Person) -> QuerySet[Deal]:
    """Deals the viewer may see: owned by, or split-credited to, someone they may see."""
    if not viewer.is_authenticated:
        return Deal.objects.none()
    if _sees_everyone(viewer):
        return Deal.objects.all()
    people = visible_people(viewer)
    credited = DealSplit.objects.filter(deal=OuterRef("pk"), person__in=people)
    return Deal.objects.filter(Q(owner__in=people) | Exists(credited))


def activities_visible_to(viewer: Person) -> QuerySet[Activity]:
    if not viewer.is_authenticated:
        return Activity.objects.none()
    if _sees_everyone(viewer):
        return Activity.objects.all()
    return Activity.objects.filter(person__in=visible_people(viewer))


def feedback_visible_to(viewer: Person) -> QuerySet[Feedback]:
    if not viewer.is_authenticated:
        return Feedback.objects.none()
    if _sees_everyone(viewer):
        return Feedback.objects.all()
    return Feedback.objects.filter(person__in=visible_people(viewer))


def _people_in(team: Team) -> QuerySet[Person]:
    return Person.objects.filter(team__in=Team.objects.subtree_of([team]))


def page_of(queryset: QuerySet, number: str | int | None) -> Page:
    """One page of 50 (an out-of-range or garbled page number gives the nearest page)."""
    return Paginator(queryset, PAGE_SIZE).get_page(number)


# --- deals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DealTotals:
    """The filtered deals at a glance: how many, their total amount, and the won amount."""

    count: int
    amount: Decimal
    won_amount: Decimal
    won_count: int


def deal_list(
    viewer: Person,
    *,
    owner: Person | None = None,
    team: Team | None = None,
    status: str = "",
    stage: Stage | None = None,
    product: Product | None = None,
    search: str = "",
    closed_from: date | None = None,
    closed_to: date | None = None,
) -> QuerySet[Deal]:
    """The viewer's deals, filtered. A filter on someone the viewer may not see finds nothing.

    `closed_from`/`closed_to` filter on the actual close date, which decides the
    period a won deal's revenue counts in.
    """
    deals = deals_visible_to(viewer).select_related("owner", "account", "product", "stage")
    if owner is not None:
        deals = deals.filter(owner=owner)
    if team is not None:
        deals = deals.filter(owner__in=_people_in(team))
    if status:
        deals = deals.filter(status=status)
    if stage is not None:
        deals = deals.filter(stage=stage)
    if product is not None:
        deals = deals.filter(product=product)
    if search:
        deals = deals.filter(
            Q(name__icontains=search)
            | Q(external_id__icontains=search)
            | Q(account__name__icontains=search)
        )
    if closed_from is not None:
        deals = deals.filter(closed_on__gte=closed_from)
    if closed_to is not None:
        deals = deals.filter(closed_on__lte=closed_to)
    return deals.order_by("-created_on", "-pk")


def deal_totals(deals: QuerySet[Deal]) -> DealTotals:
    """Count, amount and won amount of a deal list, in one query."""
    won = Q(status=DealStatus.WON)
    totals = deals.order_by().aggregate(
        deal_count=Count("pk"),
        total_amount=Sum("amount"),
        total_won=Sum("amount", filter=won),
        won_count=Count("pk", filter=won),
    )
    return DealTotals(
        count=totals["deal_count"],
        amount=totals["total_amount"] or Decimal("0"),
        won_amount=totals["total_won"] or Decimal("0"),
        won_count=totals["won_count"],
    )


def deal_get(viewer: Person, pk: int) -> Deal:
    """A deal the viewer may see, or 404 (never revealing that others exist)."""
    try:
        return (
            deals_visible_to(viewer)
            .select_related("owner", "owner__team", "account", "product", "stage")
            .get(pk=pk)
        )
    except Deal.DoesNotExist:
        raise Http404("No such deal") from None


def deal_splits(deal: Deal) -> list[DealSplit]:
    """Who is credited with the deal and how much; each split carries its `credit`
    (the share of the amount that counts towards that person's attainment)."""
    splits = list(deal.splits.select_related("person").order_by("-share", "person__name"))
    for split in splits:
        split.credit = (deal.amount * split.share / 100).quantize(Decimal("0.01"))
    return splits


def deal_stage_history(deal: Deal) -> list[DealStageChange]:
    """When the deal entered each stage, oldest first."""
    return list(deal.stage_changes.select_related("from_stage", "to_stage"))


def deal_change_log(deal: Deal) -> list[DealChange]:
    """Changes of amount and expected close date, newest first."""
    return list(deal.changes.all())


@dataclass
class ChecklistItem:
    milestone: Milestone
    done: DealMilestone | None

    @property
    def is_done(self) -> bool:
        return self.done is not None


@dataclass
class StageChecklist:
    stage: Stage
    items: list[ChecklistItem]
    is_current: bool

    @property
    def done_count(self) -> int:
        return sum(item.is_done for item in self.items)


@dataclass
class Checklist:
    """A deal's checklist: the milestones of its current stage and every stage before it,
    done or not. `missing` are the ones not done yet — what a pipeline review asks about."""

    deal: Deal
    stages: list[StageChecklist] = field(default_factory=list)

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for stage in self.stages for item in stage.items]

    @property
    def missing(self) -> list[Milestone]:
        return [item.milestone for item in self.items if not item.is_done]

    @property
    def done_count(self) -> int:
        return sum(item.is_done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)


def milestones_for(deal: Deal) -> Checklist:
    """The checklist for a deal's stage and the stages before it (two queries).

    A won or lost deal is checked against every open stage before it.
    """
    done = {
        row.milestone_id: row
        for row in DealMilestone.objects.filter(deal=deal).select_related("done_by")
    }
    milestones = Milestone.objects.filter(stage__order__lte=deal.stage.order).select_related(
        "stage"
    )
    by_stage: dict[int, StageChecklist] = {}
    for milestone in milestones:
        group = by_stage.get(milestone.stage_id)
        if group is None:
            group = by_stage[milestone.stage_id] = StageChecklist(
                stage=milestone.stage, items=[], is_current=milestone.stage_id == deal.stage_id
            )
        group.items.append(ChecklistItem(milestone, done.get(milestone.pk)))
    return Checklist(deal=deal, stages=list(by_stage.values()))


# --- activities and feedback -----------------------------------------------------------


def activity_list(
    viewer: Person,
    *,
    person: Person | None = None,
    team: Team | None = None,
    deal: Deal | None = None,
    kind: str = "",
    channel: str = "",
    prospecting: bool | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Activity]:
    """The viewer's activities, newest first. `since`/`until` are whole days (inclusive)
    of `occurred_at`, the moment that decides an activity's period."""
    activities = activities_visible_to(viewer).select_related("person", "account", "deal")
    if person is not None:
        activities = activities.filter(person=person)
    if team is not None:
        activities = activities.filter(person__in=_people_in(team))
    if deal is not None:
        activities = activities.filter(deal=deal)
    if kind:
        activities = activities.filter(kind=kind)
    if channel:
        activities = activities.filter(channel=channel)
    if prospecting is not None:
        activities = activities.filter(is_prospecting=prospecting)
    if since is not None:
        activities = activities.filter(occurred_at__gte=day_start(since))
    if until is not None:
        activities = activities.filter(occurred_at__lt=day_start(until + timedelta(days=1)))
    return activities.order_by("-occurred_at", "-pk")


def activity_counts(activities: QuerySet[Activity]) -> list[tuple[str, str, int]]:
    """(kind, label, count) for every kind present in the list, most frequent first."""
    labels = dict(Activity._meta.get_field("kind").choices)
    rows = activities.order_by().values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    return [(kind, labels.get(kind, kind), n) for kind, n in rows]


def feedback_list(
    viewer: Person,
    *,
    person: Person | None = None,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Feedback]:
    """Customer complaints and praise about the people the viewer may see, newest first."""
    feedback = feedback_visible_to(viewer).select_related("person", "account")
    if person is not None:
        feedback = feedback.filter(person=person)
    if kind:
        feedback = feedback.filter(kind=kind)
    if since is not None:
        feedback = feedback.filter(received_on__gte=since)
    if until is not None:
        feedback = feedback.filter(received_on__lte=until)
    return feedback.order_by("-received_on", "-pk")


def feedback_counts(feedback: QuerySet[Feedback]) -> dict[str, int]:
    rows = feedback.order_by().values_list("kind").annotate(n=Count("pk"))
    return {kind: n for kind, n in rows}


# --- choices for filters and forms -----------------------------------------------------


def people_choices(viewer: Person) -> QuerySet[Person]:
    """People whose sales data the viewer may see, for owner and person filters
    (including people who left: their deals still count)."""
    return visible_people(viewer).order_by("name")


def team_choices(viewer: Person) -> QuerySet[Team]:
    return visible_teams(viewer).order_by("path")
