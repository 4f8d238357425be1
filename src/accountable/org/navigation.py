"""The main navigation: each person sees the places their role's abilities open
(`org.abilities`, the one table of who may do what)."""

from __future__ import annotations

from dataclasses import dataclass

from accountable.org import abilities
from accountable.org.abilities import Ability
from accountable.org.models import Person


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    abilities: tuple[Ability, ...]  # whoever holds one of them sees the item
    section: str  # the first path segment it owns, to mark it current
    also: tuple[str, ...] = ()  # more sections it owns (its pages' tabs)

    def owns(self, section: str | None) -> bool:
        return section == self.section or section in self.also


NAV_ITEMS = [
    NavItem("Home", "home", (abilities.SEE_PERSON,), ""),
    NavItem("Board", "scorecards:board", (abilities.SEE_TEAMS,), "board"),
    NavItem(
        "Scorecard", "scorecards:mine", (abilities.SEE_PERSON,), "scorecard", also=("packets",)
    ),
    NavItem("Watchlist", "signals:watchlist", (abilities.SEE_PERSON,), "watchlist"),
    NavItem("Deals", "crm:deals", (abilities.SEE_PERSON,), "deals"),
    NavItem("Activities", "crm:activities", (abilities.SEE_PERSON,), "activities"),
    NavItem("Goals", "goals:goals", (abilities.SEE_PERSON,), "goals"),
    # The accountability loop: check-ins, commitments, plans and forecasts, one place with tabs.
    NavItem(
        "Follow-up",
        "checkins:list",
        (abilities.SEE_PERSON,),
        "checkins",
        also=("commitments", "forecasts", "plans", "accounts", "reviews"),
    ),
    NavItem("Time off", "org:time_off", (abilities.RECORD_TIME_OFF,), "time-off"),
    NavItem("Imports", "imports:list", abilities.ANY_IMPORT, "imports"),
    NavItem("Organisation", "org:tree", (abilities.SEE_TEAMS,), "org"),
    NavItem("People", "org:people", (abilities.SEE_TEAMS,), "people"),
    NavItem("Settings", "org:settings", (abilities.ADMINISTER,), "settings"),
]


def nav_for(person: Person) -> list[NavItem]:
    return [item for item in NAV_ITEMS if any(abilities.may(person, a) for a in item.abilities)]


def navigation(request) -> dict:
    """The context processor: the signed-in person's items and the current section."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": [], "nav_section": None}
    section = request.path.strip("/").split("/")[0]
    return {"nav_items": nav_for(user), "nav_section": section}
