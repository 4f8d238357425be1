"""The public "CRM Sales Opportunities" data set (Maven Analytics) as Accountable reads it.

The folder holds sales_teams.csv, accounts.csv, products.csv and
sales_pipeline.csv (data_dictionary.csv describes them). Its flaws, and what
the import does about each (every one is reported as a warning):

- sales_teams.csv has no e-mail addresses and no start dates: people get
  made-up addresses `firstname.lastname@maven.example` and start on the first
  date in sales_pipeline.csv, so nobody looks like a new hire ramping.
- Regional offices become regions, each manager's agents a team under it
  ("Central — Dustin Brinkmann"), the manager its manager.
- accounts.csv spells a sector "technolgy" and a country "Philipines": read as
  "technology" and "Philippines". Its year_established and revenue columns
  are not kept (Accountable has no place for them).
- sales_pipeline.csv names the product "GTX Pro" as "GTXPro": matched by name key.
- Prospecting deals have no date at all: their created date is the last date
  in the file (the day the snapshot was taken, as far as the data tells).
  Other deals were created on their engage date.
- Only won deals have a value (close_value); lost deals carry 0 and open ones
  nothing: their amount is the product's list price (sales_price), so that
  pipeline and lost value mean something.
- There is no deal type (all are stored as new business), no expected close
  date for open deals, and open deals often have no account.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from accountable.crm.models import Product
from accountable.crm.names import name_key
from accountable.imports.errors import ImportFileError
from accountable.imports.values import parse_date, parse_decimal

EMAIL_DOMAIN = "maven.example"
FILES = {
    "people": "sales_teams.csv",
    "accounts": "accounts.csv",
    "products": "products.csv",
    "deals": "sales_pipeline.csv",
}
PEOPLE_COLUMNS = {
    "name": ("sales_agent",),
    "_manager": ("manager",),
    "_region": ("regional_office",),
}
ACCOUNT_COLUMNS = {
    "name": ("account",),
    "sector": ("sector",),
    "country": ("office_location",),
    "employees": ("employees",),
    "parent": ("subsidiary_of",),
}
PRODUCT_COLUMNS = {
    "name": ("product",),
    "product_line": ("series",),
    "list_price": ("sales_price",),
}
DEAL_COLUMNS = {
    "external_id": ("opportunity_id",),
    "owner_email": ("sales_agent",),
    "product": ("product",),
    "account": ("account",),
    "stage": ("deal_stage",),
    "engaged_date": ("engage_date",),
    "close_date": ("close_date",),
    "amount": ("close_value",),
}
PERSON_DERIVED = frozenset({"email", "team", "parent_team", "manager_email", "role", "start_date"})
DEAL_DERIVED = frozenset({"created_date", "name"})
# Misspellings in the data set, corrected and reported.
TYPOS = {"technolgy": "technology", "philipines": "Philippines"}


def made_up_email(name: str) -> str:
    """firstname.lastname@maven.example, ASCII, for a name like "Mei-Mei Johns"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = [re.sub(r"[^a-z0-9-]", "", part.lower()) for part in ascii_name.split()]
    parts = [part for part in parts if part]
    local = f"{parts[0]}.{parts[-1]}" if len(parts) > 1 else (parts[0] if parts else "someone")
    return f"{local}@{EMAIL_DOMAIN}"


def team_name(region: str, manager: str) -> str:
    return f"{region} — {manager}" if region else f"Team {manager}"


def expand_person(row: dict[str, Any], state: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """One sales_teams.csv row → the manager (the first time they appear) and the agent."""
    findings = state["findings"]
    agent = (row.get("name") or "").strip()
    manager = (row.get("_manager") or "").strip()
    region = (row.get("_region") or "").strip()
    first = state.get("first_date")
    start = first.isoformat() if isinstance(first, date) else ""
    team = team_name(region, manager) if manager else ""
    people = []
    managers_seen = state.setdefault("managers_seen", set())
    if manager and manager not in managers_seen:
        managers_seen.add(manager)
        people.append(
            _person(manager, team, region, made_up_email(manager), "manager", start, findings)
        )
    if agent:
        manager_email = made_up_email(manager) if manager else ""
        people.append(_person(agent, team, region, manager_email, "rep", start, findings))
    return people


def _person(name, team, region, manager_email, role, start, findings) -> dict[str, Any]:
    email = made_up_email(name)
    findings.add(
        f"sales_teams.csv has no e-mail addresses: made up firstname.lastname@{EMAIL_DOMAIN}",
        unit="person",
    )
    if start:
        findings.add(
            f"sales_teams.csv has no start dates: set to {start}, "
            "the first date in sales_pipeline.csv",
            unit="person",
        )
    else:
        findings.add(
            "sales_teams.csv has no start dates: new people start today "
            "(import the whole folder to start them on the data set's first date)",
            unit="person",
        )
    return {
        "email": email,
        "name": name,
        "team": team,
        "parent_team": region,
        "manager_email": manager_email,
        "role": role,
        "start_date": start,
    }


def expand_account(row: dict[str, Any], state: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for column in ("sector", "country"):
        value = (row.get(column) or "").strip()
        fixed = TYPOS.get(value.lower())
        if fixed:
            state["findings"].add(f'accounts.csv: {column} "{value}" read as "{fixed}"')
            row[column] = fixed
    return [row]


def expand_deal(row: dict[str, Any], state: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """A sales_pipeline.csv row in the generic deal columns (see the module docstring)."""
    findings = state["findings"]
    stage = (row.get("stage") or "").strip()
    engaged = (row.get("engaged_date") or "").strip()
    product = (row.get("product") or "").strip()
    account = (row.get("account") or "").strip()
    won = stage.lower() == "won"
    if engaged:
        row["created_date"] = engaged
    else:
        last = state.get("last_date")
        row["created_date"] = last.isoformat() if last else ""
        findings.add(
            f"{stage or 'Open'} deals have no date at all: created date set to "
            f"{row['created_date'] or '(unknown)'}, the last date in sales_pipeline.csv"
        )
    if not won:
        price = _list_price(product, state)
        what = (
            "Lost deals have close_value 0"
            if stage.lower() == "lost"
            else ("Open deals have no close_value")
        )
        findings.add(f"{what}: amount set to the product's list price (sales_price)")
        row["amount"] = str(price) if price is not None else ""
    if stage.lower() not in {"won", "lost"}:
        findings.add("Open deals have no expected close date")
        if not account:
            findings.add("Open deals have no account")
    findings.add("The data set has no deal type: deals are stored as new business")
    row["name"] = f"{product} — {account}" if account else product
    return [row]


def _list_price(product: str, state: dict[str, Any]) -> Decimal | None:
    prices = state.get("prices")
    if prices is None:
        prices = {p.key: p.list_price for p in Product.objects.all()}
        state["prices"] = prices
    return prices.get(name_key(product))


def pipeline_facts(table: Any) -> dict[str, Any]:
    """First and last date in sales_pipeline.csv, and the agents who have deals."""
    first = last = None
    agents: set[str] = set()
    for _, row in table.rows():
        agents.add((row.get("sales_agent") or "").strip())
        for column in ("engage_date", "close_date"):
            try:
                day = parse_date(column, row.get(column))
            except ValueError:
                continue
            if day:
                first = day if first is None or day < first else first
                last = day if last is None or day > last else last
    return {"first_date": first, "last_date": last, "agents_with_deals": agents}


def product_prices(table: Any) -> dict[str, Decimal]:
    """products.csv's sales_price by product name key."""
    prices = {}
    for _, row in table.rows():
        try:
            price = parse_decimal("sales_price", row.get("sales_price"))
        except ValueError:
            continue
        if price is not None:
            prices[name_key(row.get("product") or "")] = price
    return prices


def folder_files(folder: Path) -> dict[str, Path]:
    """The four files of the layout, in import order; ImportFileError names any missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFileError(f"{folder} is not a folder of the CRM Sales Opportunities layout.")
    missing = [name for name in FILES.values() if not (folder / name).is_file()]
    if missing:
        raise ImportFileError(f"The folder {folder} lacks {', '.join(missing)}.")
    return {kind: folder / name for kind, name in FILES.items()}


def agents_without_deals(teams_table: Any, facts: dict[str, Any]) -> list[str]:
    with_deals = facts.get("agents_with_deals") or set()
    agents = [(row.get("sales_agent") or "").strip() for _, row in teams_table.rows()]
    return [agent for agent in agents if agent and agent not in with_deals]
