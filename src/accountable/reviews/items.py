"""What a performance review asks, and what the data says beside each answer (no ORM).

The items come from the review's stored snapshot (`reviews.snapshot`): one per metric of
the person's scorecard, then the behaviours — each of the three rights, activity quality,
use of the CRM, teamwork. Each is rated 1 to 5 by the person and by their manager:

    1 far below expectations · 2 below · 3 meets · 4 above · 5 far above

Where the data can say it, the item carries the data's own rating on the same scale
(`data_rating`): a metric from its attainment against pace (to date against what was due
by the review day; a rate against its target), a right from its verdict (pass 4, warn 3,
fail 2), activity quality from the activity score. Use of the CRM and teamwork have the
figures beside them but no rating of the data's: they are judged.

A gap is highlighted where the two sides differ by `GAP` points or more, or where the
person's own rating is `GAP` or more from the data's (a rep who rates themself 5 where
the data and the manager say 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accountable.crm.templatetags.money import money

RATINGS = (1, 2, 3, 4, 5)
RATING_WORDS = {1: "far below", 2: "below", 3: "meets", 4: "above", 5: "far above"}
GAP = 2
# Attainment against pace (1.0 = exactly on pace) to the scale, best first.
BANDS = ((1.2, 5), (1.0, 4), (0.85, 3), (0.7, 2))
RIGHT_RATINGS = {"pass": 4, "warn": 3, "fail": 2}
BEHAVIOURS = (
    ("activity_quality", "Activity quality"),
    ("crm_use", "Use of the CRM"),
    ("teamwork", "Teamwork"),
)


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    group: str  # "metric" or "behaviour"
    data: str  # the figures beside it, in words
    data_rating: int | None = None


def rating_of(attainment: float | None) -> int | None:
    """Attainment against pace on the 1-5 scale (None: no target, no figure)."""
    if attainment is None:
        return None
    for floor, rating in BANDS:
        if attainment >= floor:
            return rating
    return 1


def _number(value: Any, unit: str, currency: str) -> str:
    if value is None:
        return "—"
    number = float(value)
    if unit == "money":
        return money(value, currency)
    if unit == "percent":
        return f"{number:.0f}%"
    if unit == "days":
        return f"{number:,.0f} d"
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def _share(value: Any) -> str:
    return "—" if value is None else f"{float(value):.0%}"


def _metric(tile: dict[str, Any], currency: str) -> Item:
    unit = tile.get("unit", "count")
    said = _number(tile.get("actual"), unit, currency)
    if tile.get("target") is not None:
        said += f" of {_number(tile['target'], unit, currency)} ({_share(tile.get('attainment'))}"
        said += f"; {_share(tile.get('pace'))} due by then)" if tile.get("pace") != 1 else ")"
    if tile.get("team_median") is not None:
        said += f" · team median {_number(tile['team_median'], unit, currency)}"
    return Item(
        key=f"metric:{tile['metric']}",
        label=tile.get("label") or tile["metric"],
        group="metric",
        data=said,
        data_rating=rating_of(tile.get("score_attainment")),
    )


def items_of(snapshot: dict[str, Any]) -> list[Item]:
    """The review's items, in order, each with the data beside it."""
    currency = snapshot.get("currency", "")
    found = [_metric(tile, currency) for tile in snapshot.get("metrics", [])]
    for right in snapshot.get("rights", []):
        found.append(
            Item(
                key=f"right_{right['name']}",
                label=right["label"],
                group="behaviour",
                data=f"{right['status']} · {right['message']}" if right.get("message") else "",
                data_rating=RIGHT_RATINGS.get(right.get("status", "")),
            )
        )
    row = snapshot.get("row", {})
    crm = snapshot.get("crm", {})
    score = row.get("activity_score")
    words = {
        "activity_quality": (
            f"activity score {score:.0f} (100 = on target) · activity to meeting "
            f"{_share(row.get('activity_to_meeting'))} · first to second meeting "
            f"{_share(row.get('first_to_second_meeting'))}"
            if score is not None
            else "no activity target to score against"
        ),
        "crm_use": (
            f"{crm.get('stale', 0)} stale deals · {crm.get('missing_milestones', 0)} missing "
            f"milestones · {crm.get('slipped', 0)} slipped"
        ),
        "teamwork": "no figures: the manager's and the person's own judgement",
    }
    data_ratings = {"activity_quality": rating_of(score / 100 if score is not None else None)}
    for key, label in BEHAVIOURS:
        found.append(Item(key, label, "behaviour", words[key], data_ratings.get(key)))
    return found


@dataclass(frozen=True)
class Row:
    """One item as the side-by-side view shows it."""

    item: Item
    own: int | None
    own_comment: str
    manager: int | None
    manager_comment: str

    @property
    def gap_with_manager(self) -> int | None:
        if self.own is None or self.manager is None:
            return None
        return self.own - self.manager

    @property
    def gap_with_data(self) -> int | None:
        if self.own is None or self.item.data_rating is None:
            return None
        return self.own - self.item.data_rating

    @property
    def highlighted(self) -> bool:
        return any(abs(g) >= GAP for g in (self.gap_with_manager, self.gap_with_data) if g)

    @property
    def gap_words(self) -> str:
        """Why the row is highlighted, in words ("rates themself 3 higher than the
        manager; 3 higher than the data")."""
        said = []
        for gap, whom in ((self.gap_with_manager, "the manager"), (self.gap_with_data, "the data")):
            if gap and abs(gap) >= GAP:
                said.append(f"{abs(gap)} {'higher' if gap > 0 else 'lower'} than {whom}")
        return ("rates themself " + "; ".join(said)) if said else ""


def side_by_side(
    items: list[Item], own: dict[str, Any] | None, manager: dict[str, Any] | None
) -> list[Row]:
    """Each item with both sides' ratings and comments (a side not shown: None)."""

    def get(ratings: dict[str, Any] | None, key: str) -> tuple[int | None, str]:
        entry = (ratings or {}).get(key) or {}
        return entry.get("rating"), entry.get("comment", "")

    return [Row(i, *get(own, i.key), *get(manager, i.key)) for i in items]
