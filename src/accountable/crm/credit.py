"""Who a deal credits, and by how much: the one split-credit rule (SPEC §2).

- A deal with no split credits its owner in full.
- A split deal credits each person of its split by their share (the shares add up
  to 100); its owner is credited only through a share of their own.
- Money is credited by share and rounded to the cent per deal, as an invoice would
  be; a count (a deal won, lost or created) counts the deal once for every person it
  credits. A team's count of deals counts each deal once (`scorecards` does so).

Every reader of deals per person — the scorecard rollups, open pipeline, goal and
OKR progress, suggested targets, the funnel and the warning engine — credits deals
through this module, so a split deal counts the same on the board, in a goal and in
a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Round

from accountable.crm.chunks import in_chunks
from accountable.crm.models import Deal, DealSplit

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The same rule in SQL, for readers that aggregate in the database: each source is
# (tables, the credited person, their share in percent, a condition), `d` the deal.
SQL_SOURCES = [
    (
        "crm_deal AS d",
        "d.owner_id",
        "100",
        "NOT EXISTS (SELECT 1 FROM crm_dealsplit AS s WHERE s.deal_id = d.id)",
    ),
    ("crm_dealsplit AS c JOIN crm_deal AS d ON d.id = c.deal_id", "c.person_id", "c.share", ""),
]


def sql_credited_amount(share: str) -> str:
    """The SQL of a deal's amount credited at `share` percent, in cents. (100.0, not 100,
    or SQLite divides whole amounts as integers.)"""
    return f"ROUND(d.amount * {share} / 100.0, 2)"


def sql_credited_units(share: str) -> str:
    """The SQL of a deal's quantity credited at `share` percent (units sold by share, to
    the hundredth: a 10-unit deal split 60/40 is 6 and 4)."""
    return f"ROUND(d.quantity * {share} / 100.0, 2)"


def credited_amount(amount: Decimal | float | int, share: Decimal | float | int) -> Decimal:
    """A deal's amount credited at `share` percent, in cents (half up, as in SQL)."""
    value = Decimal(str(amount)) * Decimal(str(share)) / HUNDRED
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def has_split() -> Exists:
    """Whether a deal (of the query it is used in) has a split."""
    return Exists(DealSplit.objects.filter(deal_id=OuterRef("pk")))


def unsplit(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """The deals that credit their owner in full (they have no split)."""
    return deals.exclude(has_split())


def credited_rows(
    deals: QuerySet[Deal], people: Iterable[int] | None, fields: list[str]
) -> Iterator[tuple[Any, ...]]:
    """(person id, share in percent, *fields of the deal) for every person credited by
    one of `deals`, among `people` (None: anyone); two queries per chunk of people."""
    if people is None or isinstance(people, QuerySet):
        chunks: list[Any] = [people]  # a queryset is a subquery: no chunks needed
    else:
        chunks = list(in_chunks(list(people)))
    for chunk in chunks:
        owners = unsplit(deals)
        if chunk is not None:
            owners = owners.filter(owner_id__in=chunk)
        for row in owners.order_by().values_list("owner_id", *fields):
            yield (row[0], HUNDRED, *row[1:])
        shares = DealSplit.objects.filter(deal__in=deals)
        if chunk is not None:
            shares = shares.filter(person_id__in=chunk)
        split_fields = [f"deal__{name}" for name in fields]
        yield from shares.order_by().values_list("person_id", "share", *split_fields)


def credited_totals(
    deals: QuerySet[Deal], people: Iterable[int], by: str, how: str
) -> Iterator[tuple[int, Any, Decimal]]:
    """(person id, the deals' `by` value, total) for `people`: the deals' credited amount
    (`how` "sum") or how many of them credit the person ("count"), grouped in SQL."""
    ids = list(people)
    for chunk in in_chunks(ids):
        owned = unsplit(deals).filter(owner_id__in=chunk).order_by().values_list("owner_id", by)
        shares = (
            DealSplit.objects.filter(deal__in=deals, person_id__in=chunk)
            .order_by()
            .values_list("person_id", f"deal__{by}")
        )
        if how == "sum":
            owned = owned.annotate(v=Sum("amount"))
            share = Round(F("deal__amount") * F("share") / Value(Decimal(100)), 2)
            shares = shares.annotate(
                v=Sum(
                    ExpressionWrapper(
                        share, output_field=DecimalField(max_digits=20, decimal_places=2)
                    )
                )
            )
        else:
            owned, shares = owned.annotate(v=Count("pk")), shares.annotate(v=Count("pk"))
        for person_id, key, value in (*owned, *shares):
            yield person_id, key, Decimal(str(value or 0)).quantize(CENT)


def credits_people(people: Iterable[int] | QuerySet) -> Q:
    """Deals that credit one of these people: owned without a split, or split to them
    (filter with `.distinct()`: a deal split to two of them would come twice)."""
    return Q(owner_id__in=people, splits__isnull=True) | Q(splits__person_id__in=people)
