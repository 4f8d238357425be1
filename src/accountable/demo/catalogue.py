"""What the demo company sells and to whom: products, customer accounts, lost
reasons and the words customers use in feedback.

The product catalogue is fixed: eight products in three product lines, three
of them the company's current priorities. Accounts are drawn per rep — a book
of existing customers and prospects across tiers A, B and C — with names that
are unique across the whole organisation.

Pure data and seeded drawing, no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from accountable.crm.names import name_key

__all__ = [
    "COMPLAINT_NOTES",
    "LOST_REASONS",
    "PRAISE_NOTES",
    "PRODUCTS",
    "TIERS",
    "AccountNames",
    "AccountPlan",
    "ProductSpec",
    "TierSpec",
    "account_book",
]


@dataclass(frozen=True)
class ProductSpec:
    """A product in the catalogue. `size` scales the value of a deal for it; the
    priority and the other products average the same size, so the mix a rep
    sells changes what they sell, not how much."""

    name: str
    product_line: str
    list_price: int
    size: float
    is_priority: bool = False
    weight: float = 1.0  # how often it is chosen within its group


PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec("Core Platform", "Platform", 24_000, 1.1, weight=3.0),
    ProductSpec("Core Platform Enterprise", "Platform", 30_000, 1.15, is_priority=True, weight=2.0),
    ProductSpec("Data Connectors", "Platform", 20_000, 0.85),
    ProductSpec("Insight Analytics", "Analytics", 24_000, 1.0, is_priority=True, weight=2.0),
    ProductSpec("Forecasting AI", "Analytics", 20_000, 0.85, is_priority=True),
    ProductSpec("Standard Reports", "Analytics", 22_000, 0.95, weight=1.5),
    ProductSpec("Implementation Services", "Services", 24_000, 1.0),
    ProductSpec("Premium Support", "Services", 21_000, 0.9),
)

# Why deals are lost, with how often. Reps who qualify poorly lose more deals
# to "no decision" and "no budget" — the reasons a manager coaches on.
LOST_REASONS: tuple[tuple[str, float], ...] = (
    ("Chose a competitor", 0.25),
    ("Price too high", 0.2),
    ("No decision — went dark", 0.2),
    ("No budget", 0.13),
    ("Timing — not a priority this year", 0.1),
    ("Missing feature", 0.08),
    ("Champion left the company", 0.04),
)
POOR_QUALIFICATION_REASONS = ("No decision — went dark", "No budget")

PRAISE_NOTES = (
    "Took the time to understand how our team works before proposing anything.",
    "Quick, clear answers all through the evaluation.",
    "The rollout plan was realistic and it held.",
    "Followed up after go-live without being asked.",
    "Knew our industry and brought useful examples from similar customers.",
    "Honest about what the product does not do; we trusted the rest.",
)
COMPLAINT_NOTES = (
    "Promised an integration that the product does not have.",
    "Too many follow-up calls after we said we would decide next quarter.",
    "Nobody returned our calls after the contract was signed.",
    "The quote changed twice without explanation.",
    "Pressured us to sign before the end of the quarter.",
    "Missed the meeting we had booked and did not reschedule.",
)


@dataclass(frozen=True)
class TierSpec:
    """An account tier: how common it is, how big the companies are, and how
    much bigger or smaller than average a deal with one of them is."""

    tier: str
    share: float
    employees: tuple[int, int]
    size: float


TIERS: tuple[TierSpec, ...] = (
    TierSpec("A", 0.15, (1_000, 25_000), 1.3),
    TierSpec("B", 0.35, (200, 2_500), 1.0),
    TierSpec("C", 0.5, (15, 400), 0.88),
)
TIER_BY_KEY = {tier.tier: tier for tier in TIERS}

NAME_STARTS = (
    "Alder", "Apex", "Arbor", "Aspen", "Atlas", "Beacon", "Birch", "Bluewater", "Bright",
    "Cedar", "Clearwater", "Copper", "Crestline", "Delta", "Eagle", "Elm", "Ember",
    "Evergreen", "Falcon", "Fernhill", "Frontier", "Garnet", "Granite", "Greystone",
    "Harbor", "Hawthorn", "Helix", "Highland", "Horizon", "Ironwood", "Juniper",
    "Keystone", "Lakeside", "Lantern", "Linden", "Maple", "Marble", "Meadow", "Mesa",
    "Nimbus", "Northgate", "Oakridge", "Orion", "Palisade", "Pinnacle", "Pioneer",
    "Prairie", "Quarry", "Raven", "Redwood", "Riverside", "Sable", "Sage", "Sierra",
    "Silverline", "Spruce", "Starling", "Stonebridge", "Summit", "Sunrise", "Tidewater",
    "Timberline", "Trident", "Valley", "Vista", "Westfield", "Willow", "Zenith",
)  # fmt: skip
# The second word says what the company does, and so its sector.
SECTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Logistics", ("Logistics", "Freight", "Transport")),
    ("Manufacturing", ("Manufacturing", "Industries", "Components", "Tooling")),
    ("Healthcare", ("Health", "Clinics", "Medical", "Dental")),
    ("Financial services", ("Bank", "Capital", "Insurance", "Credit Union")),
    ("Retail", ("Retail", "Outfitters", "Markets", "Home")),
    ("Software", ("Software", "Systems", "Labs", "Digital")),
    ("Energy", ("Energy", "Power", "Solar")),
    ("Hospitality", ("Hotels", "Foods", "Restaurants")),
    ("Construction", ("Construction", "Builders", "Engineering")),
    ("Education", ("Academy", "Learning", "College")),
)
NAME_ENDS = ("Inc.", "Group", "Ltd", "Co.", "LLC", "Partners", "Holdings", "")
CITIES = (
    "Austin", "Boston", "Calgary", "Chicago", "Denver", "Dublin", "Leeds", "Lyon",
    "Madrid", "Melbourne", "Munich", "Nashville", "Oslo", "Phoenix", "Portland",
    "Raleigh", "Rotterdam", "Seattle", "Toronto", "Valencia",
)  # fmt: skip
COUNTRIES = (
    ("United States", 0.5),
    ("Canada", 0.1),
    ("United Kingdom", 0.12),
    ("Germany", 0.1),
    ("France", 0.06),
    ("Netherlands", 0.05),
    ("Australia", 0.07),
)


def segment_for(employees: int) -> str:
    """The customer segment by company size, as most CRMs band it."""
    if employees >= 1_000:
        return "Enterprise"
    if employees >= 200:
        return "Mid-Market"
    return "SMB"


@dataclass(frozen=True)
class AccountPlan:
    """A customer or prospect in a rep's book."""

    name: str
    tier: str
    sector: str
    country: str
    employees: int
    is_customer: bool

    @property
    def segment(self) -> str:
        return segment_for(self.employees)

    @property
    def size(self) -> float:
        return TIER_BY_KEY[self.tier].size


class AccountNames:
    """Company names that stay unique across the organisation (by their name key).

    Most names are two words and an ending ("Granite Freight Ltd"); when one is
    taken, a city tells them apart ("Granite Freight Ltd (Denver)"), and a
    number after that. Seed it with the keys already in the database.
    """

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def draw(self, rng: random.Random) -> tuple[str, str]:
        """A fresh (name, sector)."""
        sector, words = rng.choice(SECTORS)
        base = f"{rng.choice(NAME_STARTS)} {rng.choice(words)} {rng.choice(NAME_ENDS)}".strip()
        candidates = [base, f"{base} ({rng.choice(CITIES)})", f"{base} ({rng.choice(CITIES)})"]
        for name in candidates:
            if name_key(name) not in self.taken:
                break
        else:
            number = 2
            while name_key(f"{base} {number}") in self.taken:
                number += 1
            name = f"{base} {number}"
        self.taken.add(name_key(name))
        return name, sector


def account_book(
    rng: random.Random, names: AccountNames, *, size: int, customer_share: float = 0.3
) -> list[AccountPlan]:
    """A rep's book of `size` accounts: existing customers first, then prospects.

    Tiers follow `TIERS` (few A accounts, many C); customers lean towards the
    larger tiers, as they do in a real installed base.
    """
    customers = max(2, round(size * customer_share))
    book = []
    for index in range(size):
        is_customer = index < customers
        weights = [t.share * (1.5 if is_customer and t.tier != "C" else 1.0) for t in TIERS]
        tier = rng.choices(TIERS, weights)[0]
        name, sector = names.draw(rng)
        book.append(
            AccountPlan(
                name=name,
                tier=tier.tier,
                sector=sector,
                country=rng.choices([c for c, _ in COUNTRIES], [w for _, w in COUNTRIES])[0],
                employees=int(round(rng.uniform(*tier.employees), -1 if tier.tier == "C" else -2)),
                is_customer=is_customer,
            )
        )
    return book
