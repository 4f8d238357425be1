"""Which people and days a write to the sales data touches: what it announces
(`core.changes`) so that everything kept from those days is recomputed.

A deal counts on its created and closed days for its owner and its split people
(`crm.credit`); an activity on the day it happened, cut in the current time zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from accountable.crm.chunks import in_chunks
from accountable.crm.models import Deal


def activity_keys(pairs: Iterable[tuple[int, datetime]]) -> set[tuple[int, date]]:
    """The (person id, day) keys of (person id, occurred_at) pairs, the day cut in the
    current time zone as the rollups cut it."""
    zone = timezone.get_current_timezone()
    keys = set()
    for person_id, moment in pairs:
        if person_id and moment:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            keys.add((person_id, timezone.localtime(moment, zone).date()))
    return keys


class DealCredit:
    """Who a batch of deals credits, read before a write, so that the (person, day) keys
    of the deals both before and after it can be refreshed without reading them again.

    Each deal counts on its created and closed days for its owner and its split people.
    """

    def __init__(self, deal_ids: Iterable[int]) -> None:
        self.people: dict[int, set[int]] = defaultdict(set)  # split people, by deal
        self.keys: set[tuple[int, date]] = set()
        ids = [pk for pk in deal_ids if pk is not None]
        for chunk in in_chunks(ids):
            rows = Deal.objects.filter(pk__in=chunk).values_list(
                "pk", "owner_id", "created_on", "closed_on", "splits__person_id"
            )
            for pk, owner_id, created, closed, split_person in rows:
                if split_person is not None:
                    self.people[pk].add(split_person)
                for person_id in (owner_id, split_person):
                    if person_id is not None:
                        self.keys.update((person_id, day) for day in (created, closed) if day)

    def keys_after(
        self, deals: Iterable[Deal], new_splits: dict[int, Iterable[tuple[int, Any]]]
    ) -> set[tuple[int, date]]:
        """The keys before the write and those of `deals` as written: their owner, and
        their new split people (`new_splits` by deal id) or the ones they had."""
        keys = set(self.keys)
        for deal in deals:
            if deal.pk in new_splits:
                people = {person_id for person_id, _ in new_splits[deal.pk]}
            else:
                people = self.people.get(deal.pk, set())
            for person_id in {deal.owner_id, *people}:
                keys.update((person_id, day) for day in (deal.created_on, deal.closed_on) if day)
        return keys


def deal_keys(deal_ids: Iterable[int]) -> set[tuple[int, date]]:
    """The (person id, day) keys the deals count on, as stored."""
    return DealCredit(deal_ids).keys
