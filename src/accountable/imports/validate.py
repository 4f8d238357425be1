"""Checking each row of an import and turning it into typed, resolved values.

One validator per kind. `validate(row)` takes a row in the generic columns and
returns the values the writers store (model field names, foreign keys as
records), or raises RowError with the reason the row is rejected. Validators are
fed one row at a time, so a file of a million activities is never held whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from accountable.crm.models import (
    MAX_QUANTITY,
    Activity,
    ActivityKind,
    Channel,
    Deal,
    DealStatus,
    DealType,
    Feedback,
    Outcome,
)
from accountable.crm.names import clean_name, name_key
from accountable.forecasts.errors import ForecastError
from accountable.forecasts.services import NOTE_LENGTH as FORECAST_NOTE_MAX
from accountable.forecasts.services import period_get
from accountable.forecasts.weeks import week_of
from accountable.imports import names as lookups
from accountable.imports import values as v
from accountable.imports.date_order import DateOrders
from accountable.imports.errors import ImportNotAllowed, RowError
from accountable.imports.findings import Findings
from accountable.imports.formats import FIELDS, NUMERIC_FIELDS
from accountable.imports.readers import EXTRA_CELLS
from accountable.org.abilities import IMPORT_ABILITIES, IMPORT_DEALS, grant, may
from accountable.org.calendar import FiscalCalendar, PeriodError
from accountable.org.models import Person, Role, Team
from accountable.org.services import TIME_OFF_NOTE_MAX
from accountable.targets.catalogue import metric_get


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _synonyms(pairs: dict[str, list[str]]) -> dict[str, str]:
    return {_key(word): str(value) for value, words in pairs.items() for word in [value, *words]}


DEAL_TYPES = _synonyms(
    {
        DealType.NEW_BUSINESS: ["New Business", "new", "New Customer", "newbusiness"],
        DealType.RENEWAL: ["Renewal", "Existing Customer - Renewal"],
        DealType.EXPANSION: [
            "Expansion",
            "Existing Business",
            "existingbusiness",
            "Upsell",
            "Cross-sell",
            "Existing Customer - Upgrade",
            "Existing Customer - Replacement",
            "Existing Customer - Downgrade",
        ],
    }
)
DEAL_STATUSES = _synonyms(
    {
        DealStatus.OPEN: ["Open", "In progress"],
        DealStatus.WON: ["Won", "Closed Won", "closedwon"],
        DealStatus.LOST: ["Lost", "Closed Lost", "closedlost"],
    }
)
ACTIVITY_KINDS = _synonyms(
    {
        ActivityKind.CALL: ["Call", "Phone call", "Calls", "Logged call"],
        ActivityKind.EMAIL: ["Email", "E-mail", "Emails", "Sent email"],
        ActivityKind.MEETING: ["Meeting", "Meetings", "Event"],
        ActivityKind.DEMO: ["Demo", "Demonstration"],
        ActivityKind.PROPOSAL: ["Proposal", "Quote"],
        ActivityKind.FOLLOW_UP: ["Follow-up", "Follow up", "followup"],
        ActivityKind.SOCIAL: [
            "Social",
            "LinkedIn",
            "LinkedIn message",
            "linked_in",
            "Social touch",
        ],
        ActivityKind.OTHER: ["Other", "Task", "To do", "todo", "Note"],
    }
)
DEFAULT_CHANNEL = {
    ActivityKind.CALL: Channel.PHONE,
    ActivityKind.EMAIL: Channel.EMAIL,
    ActivityKind.SOCIAL: Channel.SOCIAL,
}
CHANNELS = _synonyms(
    {
        Channel.PHONE: ["Phone", "Call", "Telephone"],
        Channel.EMAIL: ["Email", "E-mail"],
        Channel.VIDEO: ["Video", "Zoom", "Teams", "Video call", "Web meeting"],
        Channel.IN_PERSON: ["In person", "Onsite", "On-site", "Face to face", "in_person"],
        Channel.SOCIAL: ["Social", "LinkedIn"],
        Channel.OTHER: ["Other"],
    }
)
OUTCOMES = _synonyms(
    {
        Outcome.CONNECTED: ["Connected", "Reached", "Left live message"],
        Outcome.NO_ANSWER: ["No answer", "no_answer", "Busy", "Wrong number", "No response"],
        Outcome.VOICEMAIL: ["Voicemail", "Left voicemail", "Left VM"],
        Outcome.REPLIED: ["Replied", "Reply"],
        Outcome.MEETING_BOOKED: ["Meeting booked", "Scheduled", "Rescheduled", "Booked"],
        Outcome.HELD: ["Held"],
        Outcome.NO_SHOW: ["No show", "no_show", "Canceled", "Cancelled"],
        Outcome.COMPLETED: ["Completed", "Done"],
    }
)
FEEDBACK_KINDS = _synonyms(
    {
        Feedback.Kind.COMPLAINT: ["Complaint", "Negative"],
        Feedback.Kind.PRAISE: ["Praise", "Compliment", "Positive", "Kudos"],
    }
)
ROLES = _synonyms(
    {
        Role.REP: ["Rep", "Sales rep", "Salesperson", "Account executive", "AE", "Sales agent"],
        Role.MANAGER: ["Manager", "Sales manager", "Team lead"],
        Role.EXECUTIVE: ["Executive", "VP", "Director"],
        Role.ADMIN: ["Admin", "Administrator"],
        Role.OUTSIDE_SALES: ["Outside sales", "outside_sales"],
    }
)
TIERS = _synonyms({"A": [], "B": [], "C": []})


class Scope:
    """Whose records the person importing may write: the import's ability in the table
    of abilities, held in memory for checking every row (new owners and, in
    `crm.upsert`, the owners the existing records have)."""

    def __init__(self, actor: Person | None, kind: str) -> None:
        ability = IMPORT_ABILITIES[kind]
        if actor is not None and not may(actor, ability):
            if not may(actor, IMPORT_DEALS):
                raise ImportNotAllowed("Only admins and managers can import data.")
            raise ImportNotAllowed(
                f"Only admins can import {kind}; managers can import "
                "deals, activities, feedback and targets for their teams."
            )
        self.actor = actor
        self.kind = kind
        self.grant = grant(actor, ability)

    def people(self):
        """The people rows may name (anyone else is not found, as if unknown)."""
        return None if self.grant.everyone else self.grant.people()

    def check_self(self, value: str) -> None:
        """A manager names themself where the ability leaves the actor out (their own
        targets, feedback about themself): say so rather than "unknown"."""
        actor = self.actor
        if actor is None or self.grant.allows(actor.pk):
            return
        if v.text(value).lower() in (actor.email.lower(), actor.name.strip().lower()):
            raise RowError(f"you cannot import your own {self.kind}: your manager or an admin does")

    def check_person(self, person: Person) -> None:
        if not self.grant.allows(person.pk):
            raise RowError(f"you cannot import {self.kind} for {person.name}")

    def check_team(self, team: Team) -> None:
        if not self.grant.allows_team(team.pk):
            raise RowError(f'team "{team.name}" is not one of the teams you manage')


@dataclass
class Context:
    """What every validator of one import shares."""

    actor: Person | None
    kind: str
    findings: Findings
    names: dict[str, dict[str, str]]
    calendar: FiscalCalendar
    zone: tzinfo
    # "account", "product", "stage" → create(name, how): how is what followed "+create:"
    creators: dict[str, Any] = field(default_factory=dict)
    owners_among: Any = None  # the people rows may name (None: everyone), set by the validator
    # The day/month order of each date column, decided from all its values when needed.
    date_orders: DateOrders | None = None
    _lookups: dict[str, lookups.Lookup] = field(default_factory=dict)

    def lookup(self, entity: str) -> lookups.Lookup:
        if entity not in self._lookups:
            mapping = self.names.get(entity, {})
            if entity == "owner":
                found = lookups.owners(self.findings, mapping, self.owners_among)
            elif entity == "stage":
                found = lookups.stages(self.findings, mapping, self.creators.get(entity))
            else:
                factory = lookups.accounts if entity == "account" else lookups.products
                found = factory(self.findings, mapping, self.creators.get(entity))
            self._lookups[entity] = found
        return self._lookups[entity]

    def unknown_names(self) -> dict[str, list[str]]:
        return {
            entity: list(found.unknown) for entity, found in self._lookups.items() if found.unknown
        }


def twice_reason(identity: Any, first: int) -> str:
    """Why a second row for the same record is rejected."""
    shown = identity if isinstance(identity, str) else " / ".join(map(str, identity))
    return f'"{shown}" appears twice in the file (first on line {first})'


def check_cell_count(row: dict[str, Any], original: dict[str, Any]) -> None:
    """Reject a row with more cells than the header has columns."""
    if EXTRA_CELLS in row:
        raise RowError(
            f"the row has {row[EXTRA_CELLS]} cells but the header has "
            f"{len(original) - 1} columns (a value with an unquoted delimiter?)"
        )


def check_cells(row: dict[str, str | None]) -> None:
    """Reject a row with a text cell that a spreadsheet would run as a formula."""
    for column, value in row.items():
        if column not in NUMERIC_FIELDS and isinstance(value, str) and value:
            v.check_not_formula(column, value)


def bounded(column: str, value: str | None, limit: int) -> str:
    cleaned = v.text(value)
    if len(cleaned) > limit:
        raise RowError(f"{column} is longer than {limit} characters")
    return cleaned


class Validator:
    """Checks rows of one kind. Subclasses implement `check(row)`."""

    date_columns: tuple[str, ...] = ()  # settle each other's day/month order

    def date(self, row: dict, column: str):
        """The column's date, its day/month order settled by the column (`date_order`);
        a date and time with a zone of its own is the day of that moment in the
        organisation's time zone."""
        ctx = self.context
        return v.parse_date(column, row.get(column), ctx.date_orders, zone=ctx.zone)

    kind = ""
    # Optional columns a file may leave out: then the stored value is kept (on a new
    # record, the default). Generic column → the value's name.
    kept_when_absent: dict[str, str] = {}

    def __init__(self, context: Context) -> None:
        self.context = context
        self.scope = Scope(context.actor, self.kind)
        context.owners_among = self.scope.people()
        self.seen: dict[Any, int] = {}
        self.fields = [f.name for f in FIELDS[self.kind]]
        if context.date_orders is not None:
            context.date_orders.columns = self.date_columns

    def validate(self, line: int, row: dict[str, str | None]) -> dict[str, Any]:
        """The row's values, or RowError; a second row for the same record is rejected."""
        values = self.checked(row)
        self._once(self.identity(values), line)
        return values

    def checked(self, row: dict[str, str | None]) -> dict[str, Any]:
        """The row's values on their own, without looking for an earlier row of the same
        record (the bulk path finds those in SQL, not in a set held in memory)."""
        check_cells(row)
        values = self.check(row)
        for column, name in self.kept_when_absent.items():
            if column not in row:
                values.pop(name, None)
        return values

    def check(self, row: dict[str, str | None]) -> dict[str, Any]:
        raise NotImplementedError

    def identity(self, values: dict[str, Any]) -> Any:
        return values.get("external_id")

    def _once(self, identity: Any, line: int) -> None:
        """Each record once per file: a second row for it is rejected, not merged."""
        if identity is None or identity == "":
            return
        first = self.seen.setdefault(identity, line)
        if first != line:
            raise RowError(twice_reason(identity, first))

    def person(self, row: dict, column: str = "owner_email") -> Person:
        value = v.required(column, row.get(column))
        self.scope.check_self(value)
        person = self.context.lookup("owner").find(value)
        self.scope.check_person(person)
        return person

    def names(self, row: dict, **columns: str) -> dict[str, Any]:
        """Look up several names of one row (entity → column), reporting every unknown
        one at once so that all of them can be mapped in one go."""
        found: dict[str, Any] = {}
        problems: list[str] = []
        for entity, column in columns.items():
            try:
                if entity == "owner":
                    found[entity] = self.person(row, column)
                else:
                    found[entity] = self.context.lookup(entity).find(row.get(column))
            except RowError as error:
                problems.append(error.reason)
        if problems:
            raise RowError("; ".join(problems))
        return found


class DealValidator(Validator):
    """Deals: the amount is never negative; won and lost deals need their close date;
    the stage decides the status unless the status says otherwise."""

    kind = "deals"
    date_columns = ("created_date", "close_date", "engaged_date")
    kept_when_absent = {
        "name": "name",
        "account": "account",
        "product": "product",
        "amount": "amount",
        "quantity": "quantity",
        "type": "type",
        "lost_reason": "lost_reason",
        "engaged_date": "engaged_on",
    }

    def check(self, row: dict) -> dict[str, Any]:
        ctx = self.context
        external_id = bounded("external_id", v.required("external_id", row.get("external_id")), 100)
        found = self.names(
            row, owner="owner_email", account="account", product="product", stage="stage"
        )
        amount = v.parse_decimal("amount", row.get("amount"))
        if amount is None:
            if "amount" in row:
                ctx.findings.add("Deals with no amount were stored with amount 0")
            amount = Decimal("0")
        quantity = v.parse_int("quantity", row.get("quantity"), minimum=1, maximum=MAX_QUANTITY)
        stage, status = self._stage_and_status(row, found["stage"])
        created = self.date(row, "created_date")
        if created is None:
            raise RowError("created_date is missing")
        close = self.date(row, "close_date")
        if status != DealStatus.OPEN and close is None:
            raise RowError(f"close_date is missing: a {status} deal needs the date it closed")
        if status != DealStatus.OPEN and close < created:
            ctx.findings.add("Deals close before their created date (kept as they are)")
        return {
            "external_id": external_id,
            "name": bounded("name", clean_name(row.get("name") or ""), 200),
            "account": found["account"],
            "owner": found["owner"],
            "product": found["product"],
            "amount": amount,
            "quantity": 1 if quantity is None else quantity,
            "type": v.choice("type", row.get("type"), DEAL_TYPES, default=DealType.NEW_BUSINESS),
            "stage": stage,
            "status": status,
            "created_on": created,
            "engaged_on": self.date(row, "engaged_date"),
            "expected_close_on": close if status == DealStatus.OPEN else None,
            "closed_on": close if status != DealStatus.OPEN else None,
            "lost_reason": bounded("lost_reason", row.get("lost_reason"), 200),
        }

    def _stage_and_status(self, row: dict, stage: Any) -> tuple[Any, str]:
        status = v.choice("status", row.get("status"), DEAL_STATUSES)
        if stage is None:
            if status in (DealStatus.WON, DealStatus.LOST):
                return self.context.lookup("stage").find(f"closed {status}"), status
            raise RowError("stage is missing: an open deal needs its pipeline stage")
        implied = DealStatus.WON if stage.is_won else DealStatus.LOST if stage.is_lost else ""
        if status and implied and status != implied:
            raise RowError(f'status "{status}" contradicts stage "{stage}"')
        if status in (DealStatus.WON, DealStatus.LOST) and not implied:
            raise RowError(f'status "{status}" needs a won or lost stage, not "{stage}"')
        return stage, implied or status or DealStatus.OPEN


class ActivityValidator(Validator):
    """Activities: who did what, when; a call defaults to the phone channel.

    The bulk path (`imports.fast_rows`) shares the pieces below, so a rule is
    written once; `check` keeps the order in which a row's problems are reported.
    """

    kind = "activities"
    kept_when_absent = {
        "outcome": "outcome",
        "account": "account",
        "deal_external_id": "deal",
        "is_prospecting": "is_prospecting",
        "meeting_number": "meeting_number",
    }

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._deal_ids: dict[str, int] | None = None

    def check(self, row: dict) -> dict[str, Any]:
        kind = activity_kind(row)
        occurred = self.occurred_at(row)
        meeting_number = activity_meeting_number(row, kind)
        found = self.names(row, owner="owner_email", account="account")
        external_id = bounded("external_id", v.required("external_id", row.get("external_id")), 100)
        values = {
            "external_id": external_id,
            "person": found["owner"],
            "kind": kind,
            "channel": activity_channel(row, kind),
            "outcome": v.choice("outcome", row.get("outcome"), OUTCOMES),
            "is_prospecting": v.parse_bool("is_prospecting", row.get("is_prospecting")),
            "occurred_at": occurred,
            "account": found["account"],
            "deal": self._deal(row.get("deal_external_id")),
            "meeting_number": meeting_number,
        }
        _check_meeting_number_fits(values)
        return values

    def choices(self, row: dict) -> dict[str, Any]:
        """The columns with few distinct values — kind, channel, outcome, is_prospecting,
        meeting_number — checked (RowError when any is wrong)."""
        kind = activity_kind(row)
        return {
            "kind": kind,
            "channel": activity_channel(row, kind),
            "outcome": v.choice("outcome", row.get("outcome"), OUTCOMES),
            "is_prospecting": v.parse_bool("is_prospecting", row.get("is_prospecting")),
            "meeting_number": activity_meeting_number(row, kind),
        }

    def occurred_at(self, row: dict) -> datetime:
        occurred = v.parse_datetime(
            "occurred_at", row.get("occurred_at"), self.context.zone, self.context.date_orders
        )
        if occurred is None:
            raise RowError("occurred_at is missing")
        return occurred

    def deal_ids(self) -> dict[str, int]:
        """Deal ids by external id, read once (when a row first names a deal)."""
        if self._deal_ids is None:
            self._deal_ids = dict(Deal.objects.values_list("external_id", "pk"))
        return self._deal_ids

    def _deal(self, value: str | None) -> Deal | None:
        external_id = v.text(value)
        if not external_id:
            return None
        pk = self.deal_ids().get(external_id)
        if pk is None:
            raise RowError(f'no deal has external id "{external_id}"; import the deals first')
        return Deal(pk=pk, external_id=external_id)


def activity_kind(row: dict) -> str:
    return v.choice("kind", v.required("kind", row.get("kind")), ACTIVITY_KINDS)


def activity_channel(row: dict, kind: str) -> str:
    return v.choice("channel", row.get("channel"), CHANNELS) or DEFAULT_CHANNEL.get(kind, "")


def activity_meeting_number(row: dict, kind: str) -> int | None:
    meeting_number = v.parse_int("meeting_number", row.get("meeting_number"), minimum=1)
    if meeting_number is not None and kind != ActivityKind.MEETING:
        raise RowError(f"meeting_number is only for meetings, not for a {kind}")
    return meeting_number


def meeting_number_limit() -> int:
    """The largest meeting number the database stores (32,767 on PostgreSQL)."""
    return connection.ops.integer_field_range("PositiveSmallIntegerField")[1]


def _check_meeting_number_fits(values: dict[str, Any]) -> None:
    # The sales data's write path refused such a number with these words; activities
    # are now written in bulk, so the check (and its message) moved here.
    number = values["meeting_number"]
    if number is None or number <= meeting_number_limit():
        return
    field = Activity._meta.get_field("meeting_number")
    try:
        field.run_validators(number)
    except ValidationError as error:
        message = error.messages[0].rstrip(".")
        raise RowError(
            f"Activity {values['external_id']}: {field.verbose_name}: {message}"
        ) from None


class FeedbackValidator(Validator):
    """Customer complaints and praise about a person."""

    kind = "feedback"
    kept_when_absent = {"account": "account", "note": "note"}

    def check(self, row: dict) -> dict[str, Any]:
        received = self.date(row, "received_on")
        if received is None:
            raise RowError("received_on is missing")
        found = self.names(row, owner="owner_email", account="account")
        return {
            "external_id": bounded(
                "external_id", v.required("external_id", row.get("external_id")), 100
            ),
            "person": found["owner"],
            "kind": v.choice("kind", v.required("kind", row.get("kind")), FEEDBACK_KINDS),
            "received_on": received,
            "account": found["account"],
            "note": v.text(row.get("note")),
        }


class TimeOffValidator(Validator):
    """Time off: who is away, from which day to which (inclusive). The same days of the
    same person are one record (a second import only updates the note); days that
    overlap another span of theirs are refused when written (`org.services`)."""

    kind = "time_off"
    date_columns = ("first_day", "last_day")
    kept_when_absent = {"note": "note"}

    def check(self, row: dict) -> dict[str, Any]:
        first = self.date(row, "first_day")
        if first is None:
            raise RowError("first_day is missing")
        last = self.date(row, "last_day") or first
        if last < first:
            raise RowError(f"last_day {last.isoformat()} is before first_day {first.isoformat()}")
        found = self.names(row, owner="person_email")
        return {
            "person": found["owner"],
            "first_day": first,
            "last_day": last,
            "note": bounded("note", row.get("note"), TIME_OFF_NOTE_MAX),
        }

    def identity(self, values: dict[str, Any]) -> Any:
        return (values["person"].email, values["first_day"], values["last_day"])


class ForecastValidator(Validator):
    """Past forecast calls (`forecasts`): who, which period, the week it was made in
    (any day of it), commit and best case. One call per person, period and week: a
    second import of the same week updates it."""

    kind = "forecasts"
    date_columns = ("submitted_on",)

    def check(self, row: dict) -> dict[str, Any]:
        day = self.date(row, "submitted_on")
        if day is None:
            raise RowError("submitted_on is missing")
        try:
            period = period_get(v.required("period", row.get("period")))
        except ForecastError as error:
            raise RowError(str(error)) from None
        commit = v.parse_decimal("commit", v.required("commit", row.get("commit")))
        best = v.parse_decimal("best_case", v.required("best_case", row.get("best_case")))
        if best < commit:
            raise RowError(f"best_case {best} is below commit {commit}: it includes the commit")
        return {
            "person": self.person(row),
            "period": period.label,
            "week": week_of(day),
            "commit": commit,
            "best_case": best,
            "note": bounded("note", row.get("note"), FORECAST_NOTE_MAX),
        }

    def identity(self, values: dict[str, Any]) -> Any:
        return (values["person"].email, values["period"], values["week"])


class AccountValidator(Validator):
    """Accounts: matched by external id when the file has one, else by name.
    The parent is resolved when the rows are written (it may come later in the file)."""

    kind = "accounts"
    kept_when_absent = {
        "owner_email": "owner",
        "segment": "segment",
        "tier": "tier",
        "sector": "sector",
        "country": "country",
        "employees": "employees",
        "parent": "parent_name",
    }

    def check(self, row: dict) -> dict[str, Any]:
        name = bounded("name", clean_name(v.required("name", row.get("name"))), 200)
        owner_email = v.text(row.get("owner_email"))
        owner = self.person(row) if owner_email else None
        return {
            "external_id": bounded("external_id", row.get("external_id"), 100) or None,
            "name": name,
            "owner": owner,
            "segment": bounded("segment", row.get("segment"), 100),
            "tier": v.choice("tier", row.get("tier"), TIERS),
            "sector": bounded("sector", row.get("sector"), 100),
            "country": bounded("country", row.get("country"), 100),
            "employees": v.parse_int("employees", row.get("employees")),
            "parent_name": clean_name(row.get("parent") or ""),
        }

    def identity(self, values: dict[str, Any]) -> Any:
        return values["external_id"] or name_key(values["name"])


class ProductValidator(Validator):
    """Products: name, product line, list price and whether the company prioritises it."""

    kind = "products"
    kept_when_absent = {
        "product_line": "product_line",
        "list_price": "list_price",
        "is_priority": "is_priority",
    }

    def check(self, row: dict) -> dict[str, Any]:
        return {
            "external_id": bounded("external_id", row.get("external_id"), 100) or None,
            "name": bounded("name", clean_name(v.required("name", row.get("name"))), 200),
            "product_line": bounded("product_line", row.get("product_line"), 100),
            "list_price": v.parse_decimal("list_price", row.get("list_price")),
            "is_priority": v.parse_bool("is_priority", row.get("is_priority")),
        }

    def identity(self, values: dict[str, Any]) -> Any:
        return values["external_id"] or name_key(values["name"])


class PersonValidator(Validator):
    """People: the e-mail is the key; teams are named (and created when missing)."""

    kind = "people"

    def check(self, row: dict) -> dict[str, Any]:
        return {
            "email": v.email("email", v.required("email", row.get("email"))),
            "name": bounded("name", clean_name(v.required("name", row.get("name"))), 150),
            "team": bounded("team", clean_name(row.get("team") or ""), 120),
            "parent_team": bounded("parent_team", clean_name(row.get("parent_team") or ""), 120),
            "manager_email": v.email("manager_email", row.get("manager_email"))
            if v.text(row.get("manager_email"))
            else "",
            "role": v.choice("role", row.get("role"), ROLES),
            "start_date": self.date(row, "start_date"),
        }

    def identity(self, values: dict[str, Any]) -> Any:
        return values["email"]


class TargetValidator(Validator):
    """Targets: one owner (a person by e-mail or a team by name), metric and period."""

    kind = "targets"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._teams = lookups.teams_by_name()

    def check(self, row: dict) -> dict[str, Any]:
        ctx = self.context
        person, team = self._owner(v.required("owner_email", row.get("owner_email")))
        try:
            metric = metric_get(v.required("metric", row.get("metric")))
        except KeyError as error:
            raise RowError(error.args[0]) from None
        try:
            period = ctx.calendar.parse(v.required("period", row.get("period")))
        except PeriodError as error:
            raise RowError(str(error)) from None
        allow_negative = metric.key == "revenue_growth"
        value = v.parse_decimal("value", row.get("value"), allow_negative=allow_negative)
        if value is None:
            raise RowError("value is missing")
        return {
            "person": person,
            "team": team,
            "metric": metric.key,
            "period": period,
            "value": value,
        }

    def identity(self, values: dict[str, Any]) -> Any:
        owner = values["person"].email if values["person"] else values["team"].name
        return (owner, values["metric"], values["period"].label)

    def _owner(self, value: str) -> tuple[Person | None, Team | None]:
        mapped = self.context.names.get("owner", {}).get(value, value)
        team = self._teams.get(mapped.lower()) or self._teams.get(name_key(mapped))
        if team is not None and "@" not in mapped:
            if team.name.lower() != mapped.lower():
                self.context.findings.add(f'"{value}" matched team "{team.name}"')
            self.scope.check_team(team)
            return None, team
        return self.person({"owner_email": value}), None


VALIDATORS: dict[str, type[Validator]] = {
    "deals": DealValidator,
    "activities": ActivityValidator,
    "feedback": FeedbackValidator,
    "accounts": AccountValidator,
    "products": ProductValidator,
    "people": PersonValidator,
    "targets": TargetValidator,
    "time_off": TimeOffValidator,
    "forecasts": ForecastValidator,
}


def validator_for(context: Context) -> Validator:
    """The validator for the context's kind (raises ImportNotAllowed for the actor)."""
    return VALIDATORS[context.kind](context)
