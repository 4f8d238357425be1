"""The main navigation, by role: each person sees only the places open to them."""

from __future__ import annotations

from dataclasses import dataclass

from accountable.org.models import Role

STAFF = (Role.ADMIN, Role.EXECUTIVE, Role.MANAGER)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    section: str  # the first path segment it owns, to mark it current


NAV_ITEMS = [
    NavItem("Home", "home", (*STAFF, Role.REP, Role.OUTSIDE_SALES), ""),
    NavItem("Board", "scorecards:board", STAFF, "board"),
    NavItem("Scorecard", "scorecards:mine", (*STAFF, Role.REP, Role.OUTSIDE_SALES), "scorecard"),
    NavItem("Watchlist", "signals:watchlist", (*STAFF, Role.REP, Role.OUTSIDE_SALES), "watchlist"),
    NavItem("Deals", "crm:deals", (*STAFF, Role.REP, Role.OUTSIDE_SALES), "deals"),
    NavItem("Activities", "crm:activities", (*STAFF, Role.REP, Role.OUTSIDE_SALES), "activities"),
    NavItem("Goals", "goals:goals", (*STAFF, Role.REP, Role.OUTSIDE_SALES), "goals"),
    NavItem("Imports", "imports:list", (Role.ADMIN, Role.MANAGER), "imports"),
    NavItem("Organisation", "org:tree", STAFF, "org"),
    NavItem("People", "org:people", STAFF, "people"),
    NavItem("Settings", "org:settings", (Role.ADMIN,), "settings"),
]


def nav_for(role: str) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role in item.roles]
