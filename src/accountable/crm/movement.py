"""How deals moved between two days, from their history: what a pipeline review and a
forecast's "what moved since the last lock" both read.

Each deal of `deals` that, after `since` and up to `until` (both days, the
organisation's), was:

- **new**: created;
- **advanced** or **slipped back**: moved to a later or an earlier open stage (the
  stage history);
- **pushed** to a later quarter, or **pulled in** to an earlier day (the change log
  of its expected close);
- **resized**: its amount changed;
- **won** or **lost**: closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from accountable.core.local_day import day_start
from accountable.crm.models import Deal, DealChange, DealStageChange, DealStatus
from accountable.org.calendar import FiscalCalendar, Kind

KINDS = [
    ("new", "New"),
    ("advanced", "Advanced"),
    ("slipped_back", "Slipped back a stage"),
    ("pushed", "Pushed to a later period"),
    ("pulled_in", "Pulled in"),
    ("resized", "Resized"),
    ("won", "Won"),
    ("lost", "Lost"),
]


@dataclass
class Moved:
    deal: Deal
    why: str


def movement(
    deals: QuerySet[Deal], since: date, until: date, calendar: FiscalCalendar
) -> dict[str, list[Moved]]:
    """{kind: [Moved]} for each of `KINDS` (see the module's docstring)."""
    deals = deals.select_related("stage", "owner")
    moved: dict[str, list[Moved]] = {key: [] for key, _ in KINDS}
    for deal in deals.filter(created_on__gt=since, created_on__lte=until):
        moved["new"].append(Moved(deal, f"created {deal.created_on:%d %b}, {deal.stage.name}"))
    closed = deals.filter(closed_on__gt=since, closed_on__lte=until)
    for deal in closed.filter(status=DealStatus.WON):
        moved["won"].append(Moved(deal, f"won {deal.closed_on:%d %b}"))
    for deal in closed.filter(status=DealStatus.LOST):
        reason = f": {deal.lost_reason}" if deal.lost_reason else ""
        moved["lost"].append(Moved(deal, f"lost {deal.closed_on:%d %b}{reason}"))
    by_id = {d.pk: d for d in deals.filter(status=DealStatus.OPEN)}
    changes = (
        DealStageChange.objects.filter(
            deal_id__in=list(by_id), changed_on__gt=since, changed_on__lte=until
        )
        .select_related("from_stage", "to_stage")
        .order_by("changed_on", "pk")
    )
    for change in changes:
        before, after = change.from_stage, change.to_stage
        if before is None or after.is_closed or after.order == before.order:
            continue
        key = "advanced" if after.order > before.order else "slipped_back"
        went = f"{before.name} → {after.name} on {change.changed_on:%d %b}"
        moved[key].append(Moved(by_id[change.deal_id], went))
    start, end = day_start(since + timedelta(days=1)), day_start(until + timedelta(days=1))
    logged = DealChange.objects.filter(
        deal_id__in=list(by_id), changed_at__gte=start, changed_at__lt=end
    ).order_by("changed_at", "pk")
    for change in logged:
        deal = by_id[change.deal_id]
        if change.field == DealChange.Field.AMOUNT:
            moved["resized"].append(Moved(deal, f"{change.old_value or '—'} → {change.new_value}"))
        elif (
            change.field == DealChange.Field.EXPECTED_CLOSE
            and change.old_value
            and change.new_value
        ):
            if not change.new_value:
                continue
            old, new = date.fromisoformat(change.old_value), date.fromisoformat(change.new_value)
            quarter = calendar.period(Kind.QUARTER, old)
            if new > quarter.end:
                moved["pushed"].append(Moved(deal, f"close {old:%d %b} → {new:%d %b %Y}"))
            elif new < old:
                moved["pulled_in"].append(Moved(deal, f"close {old:%d %b} → {new:%d %b}"))
    return moved
