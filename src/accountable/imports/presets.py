"""Column mapping presets: which column of a standard export feeds each generic field.

A preset lists, for each field, the column names that export is known to use,
in order of preference; the first one present in the file is chosen. The
wizard shows the result as a starting point the person can change and save.

Where the export's columns were verified is written in docs/imports.md. A
preset can also `expand` each mapped row: derive a field the export does not
have (a Salesforce "Closed Won" stage says the deal is won) or turn one row into
several (a sales team row names both the agent and their manager).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from accountable.imports import maven
from accountable.imports.formats import KINDS, field_names

Row = dict[str, Any]
Expander = Callable[[Row, dict[str, Any]], Iterable[Row]]
Preparer = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class KindPreset:
    """How one export of one kind maps onto the generic columns."""

    columns: dict[str, tuple[str, ...]]
    expand: Expander | None = None
    prepare: Preparer | None = None  # reads the whole file once first (a Table → state)
    provides: frozenset[str] = frozenset()  # fields the expander derives, not read from a column


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    kinds: dict[str, KindPreset] = field(default_factory=dict)


# Other names a generic file may give a field (matched ignoring case, after its own).
GENERIC_ALIASES = {"deals": {"quantity": ("units",)}}


def _generic() -> Preset:
    def columns(kind: str) -> dict[str, tuple[str, ...]]:
        aliases = GENERIC_ALIASES.get(kind, {})
        return {name: (name, *aliases.get(name, ())) for name in field_names(kind)}

    return Preset(
        "generic",
        "Generic (Accountable's own columns)",
        {kind: KindPreset(columns(kind)) for kind in KINDS},
    )


def _salesforce_deal(row: Row, state: dict[str, Any]) -> Iterable[Row]:
    """Data Loader exports say won/closed in IsWon/IsClosed instead of a status."""
    is_won, is_closed = row.pop("_is_won", None), row.pop("_is_closed", None)
    if not row.get("status") and is_closed is not None:
        closed = str(is_closed).strip().lower() in {"true", "1", "yes"}
        won = str(is_won or "").strip().lower() in {"true", "1", "yes"}
        row["status"] = ("won" if won else "lost") if closed else "open"
    return [row]


SALESFORCE = Preset(
    "salesforce",
    "Salesforce (report export or Data Loader)",
    {
        "deals": KindPreset(
            {
                "external_id": ("Opportunity ID", "Opportunity ID (18 Char)", "Id"),
                "name": ("Opportunity Name", "Name"),
                "account": ("Account Name", "AccountId"),
                "owner_email": ("Opportunity Owner", "Owner Email", "OwnerId"),
                "amount": ("Amount", "Total Amount"),
                "quantity": ("Quantity", "TotalOpportunityQuantity"),
                "type": ("Type",),
                "stage": ("Stage", "StageName"),
                "created_date": ("Created Date", "CreatedDate"),
                "close_date": ("Close Date", "CloseDate", "Closed Date"),
                "product": ("Product Name",),
                "_is_won": ("IsWon", "Is Won", "Won"),
                "_is_closed": ("IsClosed", "Closed"),
            },
            _salesforce_deal,
        ),
        "activities": KindPreset(
            {
                "external_id": ("Activity ID", "Activity ID (18 Char)", "Id"),
                "owner_email": ("Assigned", "OwnerId"),
                "kind": ("Activity Type", "Type"),
                "outcome": ("Call Result", "CallDisposition"),
                "occurred_at": ("Date", "Due Date Only", "ActivityDate"),
                "account": ("Company / Account", "Account Name", "AccountId"),
            }
        ),
        "accounts": KindPreset(
            {
                "external_id": ("Account ID", "Id"),
                "name": ("Account Name", "Name"),
                "owner_email": ("Account Owner", "OwnerId"),
                "sector": ("Industry",),
                "employees": ("Employees", "NumberOfEmployees"),
                "country": ("Billing Country", "BillingCountry"),
                "parent": ("Parent Account",),
            }
        ),
        "products": KindPreset(
            {
                "external_id": ("Product ID", "Id"),
                "name": ("Product Name", "Name"),
                "product_line": ("Product Family", "Family"),
            }
        ),
    },
)


HUBSPOT = Preset(
    "hubspot",
    "HubSpot (export from a deals or activities view)",
    {
        "deals": KindPreset(
            {
                "external_id": ("Record ID", "Deal ID"),
                "name": ("Deal Name",),
                "account": ("Associated Company", "Company name"),
                "owner_email": ("Deal owner", "Deal Owner"),
                "amount": ("Amount",),
                "quantity": ("Quantity",),
                "type": ("Deal Type",),
                "stage": ("Deal Stage",),
                "created_date": ("Create Date",),
                "close_date": ("Close Date",),
            }
        ),
        "activities": KindPreset(
            {
                "external_id": ("Record ID", "Activity ID"),
                "owner_email": ("Activity assigned to",),
                "kind": ("Activity Type", "Task Type"),
                "outcome": ("Call outcome", "Meeting outcome"),
                "occurred_at": ("Activity date", "Activity Date"),
                "account": ("Associated Company",),
            }
        ),
        "accounts": KindPreset(
            {
                "external_id": ("Record ID",),
                "name": ("Company name", "Name"),
                "owner_email": ("Company owner",),
                "sector": ("Industry",),
                "employees": ("Number of Employees",),
                "country": ("Country/Region",),
            }
        ),
        "products": KindPreset(
            {
                "external_id": ("Record ID",),
                "name": ("Name",),
                "list_price": ("Unit price",),
            }
        ),
    },
)


def _maven() -> Preset:
    return Preset(
        "maven",
        "CRM Sales Opportunities (Maven Analytics) folder layout",
        {
            "people": KindPreset(
                maven.PEOPLE_COLUMNS, maven.expand_person, provides=maven.PERSON_DERIVED
            ),
            "accounts": KindPreset(maven.ACCOUNT_COLUMNS, maven.expand_account),
            "products": KindPreset(maven.PRODUCT_COLUMNS),
            "deals": KindPreset(
                maven.DEAL_COLUMNS,
                maven.expand_deal,
                maven.pipeline_facts,
                provides=maven.DEAL_DERIVED,
            ),
        },
    )


def presets() -> dict[str, Preset]:
    return {p.name: p for p in (_generic(), SALESFORCE, HUBSPOT, _maven())}


def preset_get(name: str) -> Preset:
    found = presets().get((name or "generic").strip().lower())
    if found is None:
        raise KeyError(f'Unknown preset "{name}". Presets: {", ".join(presets())}.')
    return found


def preset_choices(kind: str | None = None) -> list[tuple[str, str]]:
    return [(p.name, p.label) for p in presets().values() if kind is None or kind in p.kinds]


def guess_columns(preset: str, kind: str, columns: list[str]) -> dict[str, str]:
    """Field → column of the file, as the preset would map it (matched ignoring case).

    Generic field names are always recognised too, so a file already in the
    generic format maps itself whatever preset was chosen.
    """
    known = preset_get(preset).kinds.get(kind)
    by_lower = {column.strip().lower(): column for column in columns}
    mapping: dict[str, str] = {}
    wanted = dict(known.columns) if known else {}
    for name in field_names(kind):
        wanted.setdefault(name, ())
        wanted[name] = (*wanted[name], name)
    for name, candidates in wanted.items():
        for candidate in candidates:
            column = by_lower.get(candidate.lower())
            if column is not None:
                mapping[name] = column
                break
    return mapping


def prepare_state(preset: str, kind: str, table: Any) -> dict[str, Any]:
    """What the preset needs to know about the whole file before reading its rows."""
    known = preset_get(preset).kinds.get(kind)
    return known.prepare(table) if known and known.prepare else {}
