"""The generic import format: the columns Accountable understands for each kind.

Every preset and saved mapping translates some other export into these columns;
the API takes rows in them directly. `docs/imports.md` documents each one and the
wizard offers each as a downloadable CSV template (`template_csv`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

KINDS = (
    "people",
    "deals",
    "activities",
    "targets",
    "feedback",
    "time_off",
    "forecasts",
    "accounts",
    "products",
)


@dataclass(frozen=True)
class Field:
    """One column of the generic format."""

    name: str
    required: bool = False
    help: str = ""
    example: str = ""


FIELDS: dict[str, tuple[Field, ...]] = {
    "people": (
        Field(
            "email", True, "Their e-mail: the key that matches a person.", "ava.hart@example.com"
        ),
        Field("name", True, "Full name.", "Ava Hart"),
        Field("team", False, "Their team; created if missing.", "North Field"),
        Field("parent_team", False, "Where a missing team is created.", "North"),
        Field("manager_email", False, "Becomes a manager of the team.", "max.boss@example.com"),
        Field(
            "role", False, "rep, manager, executive, admin or outside_sales (default rep).", "rep"
        ),
        Field("start_date", False, "First day in the job (YYYY-MM-DD); drives ramp.", "2025-01-06"),
    ),
    "deals": (
        Field("external_id", True, "The deal's id in your CRM: the upsert key.", "OPP-1001"),
        Field("name", False, "The deal's name.", "Acme renewal 2026"),
        Field("account", False, "Customer name (must exist, or be mapped).", "Acme Corporation"),
        Field("owner_email", True, "The owner's e-mail (or exact name).", "ava.hart@example.com"),
        Field("product", False, "Product name (must exist, or be mapped).", "GTX Pro"),
        Field("amount", False, "Deal value, not negative (blank = 0).", "4821.00"),
        Field(
            "quantity",
            False,
            "Units the deal sells, a whole number from 1 (blank = 1); also read from a "
            '"units" column.',
            "3",
        ),
        Field(
            "type",
            False,
            "new_business, renewal or expansion (default new_business).",
            "new_business",
        ),
        Field("stage", False, "Pipeline stage; may be left out for won or lost deals.", "Proposal"),
        Field("status", False, "open, won or lost (default: from the stage).", "open"),
        Field("created_date", True, "When the deal was created (YYYY-MM-DD).", "2026-02-03"),
        Field(
            "close_date", False, "Actual close; for open deals the expected close.", "2026-06-30"
        ),
        Field("lost_reason", False, "Why a lost deal was lost.", ""),
        Field("engaged_date", False, "When selling started (first engagement).", "2026-02-10"),
    ),
    "activities": (
        Field("external_id", True, "The activity's id in your CRM: the upsert key.", "ACT-1"),
        Field("owner_email", True, "Who did it: e-mail (or exact name).", "ava.hart@example.com"),
        Field(
            "kind",
            True,
            "call, email, meeting, demo, proposal, follow_up, social or other.",
            "call",
        ),
        Field("channel", False, "phone, email, video, in_person, social or other.", "phone"),
        Field(
            "outcome",
            False,
            "connected, no_answer, voicemail, meeting_booked, held, …",
            "connected",
        ),
        Field("occurred_at", True, "When (YYYY-MM-DD or YYYY-MM-DD HH:MM).", "2026-03-02 10:30"),
        Field("account", False, "Customer name.", "Acme Corporation"),
        Field("deal_external_id", False, "The deal it was for (imported before).", "OPP-1001"),
        Field("is_prospecting", False, "yes/no: prospecting for new business.", "yes"),
        Field("meeting_number", False, "For meetings: 1 for a first meeting, 2 for a second.", ""),
    ),
    "targets": (
        Field("owner_email", True, "A person's e-mail, or a team's name.", "ava.hart@example.com"),
        Field("metric", True, "A metric key of the catalogue, e.g. revenue, calls.", "revenue"),
        Field("period", True, "2026, 2026-Q3, 2026-08 or 2026-W32.", "2026-Q3"),
        Field("value", True, "The number to reach (negative only for revenue_growth).", "250000"),
    ),
    "feedback": (
        Field("external_id", True, "The feedback's id: the upsert key.", "FB-1"),
        Field("owner_email", True, "The person it is about.", "ava.hart@example.com"),
        Field("kind", True, "complaint or praise.", "praise"),
        Field("received_on", True, "When it was received (YYYY-MM-DD).", "2026-03-04"),
        Field("account", False, "The customer who gave it.", "Acme Corporation"),
        Field("note", False, "What they said.", "Quick, clear answers."),
    ),
    "time_off": (
        Field("person_email", True, "Who is away: e-mail (or exact name).", "ava.hart@example.com"),
        Field("first_day", True, "The first day away (YYYY-MM-DD).", "2026-08-03"),
        Field(
            "last_day", False, "The last day away, inclusive (blank: the first day).", "2026-08-07"
        ),
        Field("note", False, "A short note, e.g. Summer holiday (at most 120 characters).", ""),
    ),
    "forecasts": (
        Field(
            "owner_email",
            True,
            "Who made the call: e-mail (or exact name).",
            "ava.hart@example.com",
        ),
        Field("period", True, "The period called: 2026-Q3, 2026-08 or 2026.", "2026-Q3"),
        Field("submitted_on", True, "A day of the week it was made in (YYYY-MM-DD).", "2026-07-10"),
        Field("commit", True, "Their commit: what they would close for sure.", "120000"),
        Field("best_case", True, "Their best case: at least the commit.", "150000"),
        Field("note", False, "What the call rested on.", ""),
    ),
    "accounts": (
        Field(
            "external_id",
            False,
            "The account's id in your CRM (else the name is the key).",
            "ACC-1",
        ),
        Field("name", True, "Company name.", "Acme Corporation"),
        Field("owner_email", False, "Account owner's e-mail.", "ava.hart@example.com"),
        Field("segment", False, "Segment, e.g. Enterprise.", "Enterprise"),
        Field("tier", False, "A, B or C.", "A"),
        Field("sector", False, "Industry.", "technology"),
        Field("country", False, "Headquarters country.", "United States"),
        Field("employees", False, "Number of employees.", "2822"),
        Field("parent", False, "Parent company's name (in the file or already known).", ""),
    ),
    "products": (
        Field("external_id", False, "The product's id in your CRM (else the name is the key).", ""),
        Field("name", True, "Product name.", "GTX Pro"),
        Field("product_line", False, "Product line or series.", "GTX"),
        Field("list_price", False, "List price, not negative.", "4821"),
        Field("is_priority", False, "yes/no: the company needs this sold now.", "no"),
    ),
}

NUMERIC_FIELDS = frozenset(
    {
        "amount",
        "quantity",
        "value",
        "list_price",
        "employees",
        "meeting_number",
        "commit",
        "best_case",
    }
)


def field_names(kind: str) -> list[str]:
    return [field.name for field in FIELDS[kind]]


def required_fields(kind: str) -> list[str]:
    return [field.name for field in FIELDS[kind] if field.required]


def template_csv(kind: str) -> str:
    """A CSV template for `kind`: the header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(field_names(kind))
    writer.writerow([field.example for field in FIELDS[kind]])
    return out.getvalue()
