"""The single write path for sales data: accounts, products, deals, activities, feedback.

Imports, the REST API, the manual forms and the demo generator all write through
these functions, so a deal's stage history and change log are recorded the same
way whichever way it came in.

Each function takes rows that are already validated and resolved: dicts keyed
by model field names, foreign keys as instances (`owner` a Person, `stage` a
Stage…). A row may leave fields out: on an existing record they keep their
value, on a new one they take the model default. Every load is an upsert:

- accounts and products match on `external_id` when it is given, else on the
  name key (`crm.names.name_key`: "ACME corp" is "Acme Corp."); a name-matched
  record without an external id takes the one the row brings;
- deals, activities and feedback match on `external_id`, which is required.

A row identical to what is stored touches nothing, so loading the same file
twice reports everything unchanged and writes no history. The same record
twice in one batch is fine when both rows agree, and an error when they do not.

A write on someone's behalf passes their `grant` (`org.abilities`): every record
the rows touch is checked against it — the owner (or person) a row gives, and the
owner an existing record has now — so a record of another team is refused even
when its external id is known. Without a grant (the command line, the demo
generator) the system writes for everyone.

Work is done in bulk (lookups in chunks of `LOOKUP_CHUNK` ids, writes in
batches of `WRITE_BATCH`), never a query per row: 100,000 rows in one call are
fine. Each call is atomic; callers usually hold an outer transaction (an import
is applied completely or not at all) and a `CrmError` rolls all of it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accountable.audit.services import audit_records
from accountable.core import changes
from accountable.crm import touched
from accountable.crm.chunks import LOOKUP_CHUNK, in_chunks
from accountable.crm.errors import CrmError
from accountable.crm.models import (
    MAX_QUANTITY,
    Account,
    Activity,
    Deal,
    DealChange,
    DealSplit,
    DealStageChange,
    DealStatus,
    Feedback,
    Product,
    Stage,
)
from accountable.crm.names import clean_name, name_key
from accountable.org.abilities import Grant
from accountable.org.models import Person

__all__ = [
    "LOOKUP_CHUNK",
    "WRITE_BATCH",
    "CrmError",
    "Row",
    "UpsertSummary",
    "accounts_upsert",
    "activities_upsert",
    "deals_upsert",
    "feedback_upsert",
    "in_chunks",
    "products_upsert",
    "taken_reason",
]

WRITE_BATCH = 1000
T = TypeVar("T")
HUNDRED = Decimal("100.00")
CENT = Decimal("0.01")

Row = Mapping[str, Any]
Split = tuple[Person, Decimal]


@dataclass(frozen=True)
class UpsertSummary:
    """What one upsert did: records created, records changed, records already as given."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertSummary) -> UpsertSummary:
        if not isinstance(other, UpsertSummary):
            return NotImplemented
        return UpsertSummary(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
        )

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


# --- rows: cleaning and comparing ------------------------------------------------------

# Fields the upsert manages itself; a row may not set them.
_MANAGED = {"id", "key", "updated_at"}


def _writable_fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {
        field.name: field
        for field in model._meta.concrete_fields
        if field.name not in _MANAGED and not field.primary_key
    }


def _clean_value(field: models.Field, value: Any, label: str) -> Any:
    """One field value in the form the database gives back, so that comparing a stored
    record with a row is exact (Decimal("100") equals a stored 100.00, and so on)."""
    name = str(field.verbose_name)
    if field.is_relation:
        if value is None:
            if not field.null:
                raise CrmError(f"{label}: {name} is required.")
            return None
        if not isinstance(value, field.related_model) or value.pk is None:
            raise CrmError(f"{label}: {name} must be a saved {field.related_model.__name__}.")
        return value
    if value is None:
        if field.null:
            return None
        if isinstance(field, models.CharField) and field.blank:
            return ""
        raise CrmError(f"{label}: {name} is required.")
    try:
        value = field.to_python(value)
        if isinstance(field, models.DecimalField):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        field.run_validators(value)
    except (ValidationError, InvalidOperation) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else "not a number"
        raise CrmError(f"{label}: {name}: {message}") from None
    if isinstance(field, models.DateTimeField) and timezone.is_naive(value):
        value = timezone.make_aware(value)
    if field.choices and not (value == "" and field.blank):
        allowed = [str(choice) for choice, _ in field.flatchoices]
        if value not in allowed:
            options = ", ".join(choice for choice in allowed if choice)
            raise CrmError(f"{label}: “{value}” is not a {name}; use one of {options}.")
    return value


def _clean_row(model: type[models.Model], row: Row, label: str, extra: Sequence[str] = ()) -> dict:
    fields = _writable_fields(model)
    clean: dict[str, Any] = {}
    for name, value in row.items():
        if name in extra:
            continue
        field = fields.get(name)
        if field is None:
            raise CrmError(f"{label}: “{name}” is not a field of a {model._meta.verbose_name}.")
        clean[name] = _clean_value(field, value, label)
    return clean


def _changed_fields(obj: models.Model, row: dict[str, Any]) -> list[str]:
    """The row's fields whose value differs from the stored record's."""
    changed = []
    for name, value in row.items():
        field = obj._meta.get_field(name)
        stored = getattr(obj, field.attname)
        given = value.pk if field.is_relation and value is not None else value
        if stored != given:
            changed.append(name)
    return changed


def taken_reason(noun: str) -> str:
    """Why a row naming an existing record out of the writer's reach is refused (it says
    the id is taken, which the unique id reveals anyway, and nothing of whose it is)."""
    article = "an" if noun[0] in "aeiou" else "a"
    return f"that external id is taken by {article} {noun} you cannot change"


def _check_reach(
    grant: Grant | None, label: str, noun: str, stored_id: int | None, given: Any
) -> None:
    """Refuse a row whose record belongs, or would belong, to someone out of reach."""
    if grant is None or grant.everyone:
        return
    if stored_id is not None and not grant.allows(stored_id):
        raise CrmError(f"{label}: {taken_reason(noun)}.")
    if isinstance(given, Person) and not grant.allows(given.pk):
        raise CrmError(f"{label}: you cannot give a {noun} to {given.name}.")


def _require(row: dict[str, Any], names: Sequence[str], label: str, noun: str) -> None:
    missing = [name.replace("_", " ") for name in names if row.get(name) in (None, "")]
    if missing:
        raise CrmError(f"{label}: a new {noun} needs {', '.join(missing)}.")


def _external_id(row: Row, noun: str, index: int) -> str:
    value = row.get("external_id")
    value = str(value).strip() if value is not None else ""
    if not value:
        raise CrmError(f"{noun.capitalize()} {index + 1} in this batch has no external id.")
    return value


class _Seen:
    """Catches the same record twice in one batch: fine if both rows agree."""

    def __init__(self, noun: str) -> None:
        self.noun = noun
        self.rows: dict[Any, Any] = {}

    def first_time(self, identity: Any, row: Any, label: str) -> bool:
        if identity not in self.rows:
            self.rows[identity] = row
            return True
        if self.rows[identity] != row:
            raise CrmError(f"{label} appears twice in this batch with different values.")
        return False


# --- bulk reads and writes -----------------------------------------------------------


def _fetch(queryset: models.QuerySet, field: str, values: Iterable[Any]) -> dict[Any, Any]:
    """Existing records by `field`, in chunks small enough for SQLite."""
    wanted = list(dict.fromkeys(value for value in values if value not in (None, "")))
    found: dict[Any, Any] = {}
    for chunk in in_chunks(wanted):
        for obj in queryset.filter(**{f"{field}__in": chunk}):
            found[getattr(obj, field)] = obj
    return found


def _write(
    model: type[models.Model],
    new: list[models.Model],
    changed: list[models.Model],
    fields: set[str],
) -> None:
    if new:
        model.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if changed and fields:
        model.objects.bulk_update(changed, sorted(fields), batch_size=WRITE_BATCH)


def _ensure_pks(model: type[models.Model], objs: list[models.Model]) -> None:
    """bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; elsewhere, look them up."""
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        by_ext = _fetch(model.objects.all(), "external_id", [obj.external_id for obj in missing])
        for obj in missing:
            obj.pk = by_ext[obj.external_id].pk


# --- accounts and products -------------------------------------------------------------


def _named_upsert(model: type[Account] | type[Product], rows: Iterable[Row]) -> UpsertSummary:
    """Accounts and products: matched by external id, else by the name key."""
    noun = str(model._meta.verbose_name)
    prepared: list[tuple[str | None, str | None, dict, str]] = []
    for index, row in enumerate(rows):
        ext = str(row.get("external_id") or "").strip() or None
        label = f"{noun.capitalize()} {ext or row.get('name') or index + 1}"
        clean = _clean_row(model, row, label)
        clean.pop("external_id", None)
        if ext:
            clean["external_id"] = ext
        key = None
        if "name" in clean:
            clean["name"] = clean_name(clean["name"])
            key = name_key(clean["name"])
            if not key:
                raise CrmError(f"{label}: the name needs at least one letter or digit.")
        elif not ext:
            raise CrmError(f"{noun.capitalize()} {index + 1}: give a name or an external id.")
        prepared.append((ext, key, clean, label))

    by_ext = _fetch(model.objects.all(), "external_id", [p[0] for p in prepared])
    by_key = _fetch(model.objects.all(), "key", [p[1] for p in prepared])
    seen = _Seen(noun)
    keys_taken: dict[str, Any] = {}
    new: list[models.Model] = []
    changed: list[models.Model] = []
    fields: set[str] = set()
    unchanged = 0
    for ext, key, clean, label in prepared:
        obj = by_ext.get(ext) if ext else None
        if obj is None and key:
            candidate = by_key.get(key)
            if candidate is not None and ext and candidate.external_id not in (None, "", ext):
                raise CrmError(
                    f"{label}: the name “{clean['name']}” is already used by the {noun} "
                    f"with external id {candidate.external_id}."
                )
            obj = candidate
        if obj is None and not key:
            raise CrmError(f"{label}: there is no such {noun}; a new one needs a name.")
        identity = ("pk", obj.pk) if obj is not None else ("new", ext or key)
        if not seen.first_time(identity, clean, label):
            continue
        final_key = key or obj.key
        holder = by_key.get(final_key)
        if holder is not None and obj is not None and holder.pk != obj.pk:
            raise CrmError(
                f"{label}: the name “{clean['name']}” is already used by another {noun}."
            )
        if keys_taken.setdefault(final_key, identity) != identity:
            shown = clean.get("name") or obj.name
            raise CrmError(f"{label}: two {noun}s in this batch would share the name “{shown}”.")

        if obj is None:
            new.append(model(key=key, **clean))
            continue
        names = _changed_fields(obj, clean)
        if not names:
            unchanged += 1
            continue
        for name in names:
            setattr(obj, name, clean[name])
        if "name" in names:
            obj.key = key
            names.append("key")
        fields.update(names)
        changed.append(obj)

    with transaction.atomic():
        _write(model, new, changed, fields)
    return UpsertSummary(created=len(new), updated=len(changed), unchanged=unchanged)


def accounts_upsert(rows: Iterable[Row]) -> UpsertSummary:
    """Create or update customer accounts (name, owner, segment, tier A/B/C, …)."""
    return _named_upsert(Account, rows)


def products_upsert(rows: Iterable[Row]) -> UpsertSummary:
    """Create or update products (name, product line, whether the company prioritises it)."""
    return _named_upsert(Product, rows)


# --- deals -----------------------------------------------------------------------------


def _status_for(stage: Stage) -> str:
    if stage.is_won:
        return DealStatus.WON
    if stage.is_lost:
        return DealStatus.LOST
    return DealStatus.OPEN


def _clean_splits(value: Any, label: str) -> frozenset[tuple[int, Decimal]]:
    """Split credit as (person id, share): shares over 0, each person once, adding up to 100."""
    if value is None:
        value = []
    shares: dict[int, Decimal] = {}
    for item in value:
        try:
            person, share = item
            share = Decimal(str(share)).quantize(CENT)
        except (TypeError, ValueError, InvalidOperation):
            raise CrmError(f"{label}: each split is a person and a percentage.") from None
        if not isinstance(person, Person) or person.pk is None:
            raise CrmError(f"{label}: a split must name a person in the organisation.")
        if not Decimal("0") < share <= HUNDRED:
            raise CrmError(
                f"{label}: {person}'s split of {share}% must be above 0 and at most 100."
            )
        if person.pk in shares:
            raise CrmError(f"{label}: {person} is named twice in the split.")
        shares[person.pk] = share
    total = sum(shares.values(), Decimal("0"))
    if shares and total != HUNDRED:
        raise CrmError(f"{label}: the split shares add up to {total.normalize():f}%, not 100%.")
    return frozenset(shares.items())


def _first_stage_date(deal: Deal, stage: Stage, today: date) -> date:
    """When a new deal entered the stage it arrives in: its close date if it is
    already closed, else the day it was engaged (or created)."""
    if stage.is_won or stage.is_lost:
        return deal.closed_on or today
    return deal.engaged_on or deal.created_on


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def deals_upsert(
    rows: Iterable[Row], *, today: date | None = None, grant: Grant | None = None
) -> UpsertSummary:
    """Create or update deals by external id, keeping their history.

    - A new deal gets its first stage-history entry: the day it closed for a
      won or lost deal, else the day it was engaged (or created).
    - A stage change is recorded on the deal's close date when it moves to won
      or lost and that date is known, else on `today`.
    - A change of amount or expected close date on an existing deal is logged
      (`DealChange`) for pipeline reviews: pushed out, pulled in, resized.
    - `status` follows the stage (won, lost, or open); a row whose status
      contradicts its stage is refused.
    - `splits`, when the row has that key, replaces the deal's split credit: a
      list of (person, percentage) adding up to 100; an empty list means the
      owner takes the whole credit.
    - A change of owner is logged too (`DealChange`, by e-mail), and with a
      `grant` it is in the audit trail under the grant's actor.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    stages: dict[int, Stage] = Stage.objects.in_bulk()
    prepared: list[tuple[str, dict, frozenset | None, str]] = []
    for index, row in enumerate(rows):
        ext = _external_id(row, "deal", index)
        label = f"Deal {ext}"
        clean = _clean_row(Deal, {**row, "external_id": ext}, label, extra=["splits"])
        if clean.get("amount") is not None and clean["amount"] < 0:
            raise CrmError(f"{label}: the amount cannot be negative.")
        quantity = clean.get("quantity")
        if quantity is not None and not 1 <= quantity <= MAX_QUANTITY:
            raise CrmError(f"{label}: the quantity is a whole number from 1 to {MAX_QUANTITY:,}.")
        splits = _clean_splits(row["splits"], label) if "splits" in row else None
        prepared.append((ext, clean, splits, label))

    existing: dict[str, Deal] = _fetch(Deal.objects.all(), "external_id", [p[0] for p in prepared])
    split_deal_ids = [existing[p[0]].pk for p in prepared if p[2] is not None and p[0] in existing]
    stored_splits: dict[int, set] = {}
    for chunk in in_chunks(split_deal_ids):
        for deal_id, person_id, share in DealSplit.objects.filter(deal_id__in=chunk).values_list(
            "deal_id", "person_id", "share"
        ):
            stored_splits.setdefault(deal_id, set()).add((person_id, share))

    seen = _Seen("deal")
    new: list[Deal] = []
    new_splits: dict[str, frozenset] = {}
    changed: list[Deal] = []
    fields: set[str] = set()
    stage_changes: list[DealStageChange] = []
    deal_changes: list[DealChange] = []
    replace_splits: dict[int, frozenset] = {}
    owners_before: list[tuple[Deal, int]] = []  # deals given to someone else, and who had them
    unchanged = 0
    for ext, clean, splits, label in prepared:
        if not seen.first_time(ext, (clean, splits), label):
            continue
        deal = existing.get(ext)
        _check_reach(grant, label, "deal", deal.owner_id if deal else None, clean.get("owner"))
        stage = clean.get("stage") or (stages.get(deal.stage_id) if deal else None)
        if stage is not None and ("stage" in clean or "status" in clean):
            status = _status_for(stage)
            if clean.get("status", status) != status:
                raise CrmError(
                    f"{label}: the status “{clean['status']}” does not match the stage “{stage}”."
                )
            clean["status"] = status

        if deal is None:
            _require(clean, ["owner", "stage", "created_on"], label, "deal")
            deal = Deal(updated_at=now, **clean)
            new.append(deal)
            if splits:
                new_splits[ext] = splits
            continue

        names = _changed_fields(deal, clean)
        splits_differ = splits is not None and splits != frozenset(stored_splits.get(deal.pk, ()))
        if not names and not splits_differ:
            unchanged += 1
            continue
        old_stage_id = deal.stage_id
        if "owner" in names:
            owners_before.append((deal, deal.owner_id))
        for name in ("amount", "expected_close_on"):
            if name in names:
                deal_changes.append(
                    DealChange(
                        deal=deal,
                        field=name,
                        old_value=_plain(getattr(deal, name)),
                        new_value=_plain(clean[name]),
                        changed_at=now,
                    )
                )
        for name in names:
            setattr(deal, name, clean[name])
        if "stage" in names:
            entered = deal.closed_on if stage.is_closed and deal.closed_on else today
            stage_changes.append(
                DealStageChange(
                    deal=deal,
                    from_stage_id=old_stage_id,
                    to_stage=stage,
                    changed_on=entered,
                    recorded_at=now,
                )
            )
        if splits_differ:
            replace_splits[deal.pk] = splits
        deal.updated_at = now
        fields.update([*names, "updated_at"])
        changed.append(deal)

    credit = touched.DealCredit([deal.pk for deal in changed])  # before the write
    _write(Deal, new, changed, fields)
    _ensure_pks(Deal, new)
    for deal in new:
        stage = stages[deal.stage_id]
        stage_changes.append(
            DealStageChange(
                deal=deal,
                from_stage=None,
                to_stage=stage,
                changed_on=_first_stage_date(deal, stage, today),
                recorded_at=now,
            )
        )
        if deal.external_id in new_splits:
            replace_splits[deal.pk] = new_splits[deal.external_id]
    DealStageChange.objects.bulk_create(stage_changes, batch_size=WRITE_BATCH)
    owner_changes = _owner_changes(owners_before, now)
    DealChange.objects.bulk_create([*deal_changes, *owner_changes], batch_size=WRITE_BATCH)
    if grant is not None:
        audit_records(
            actor=grant.actor,
            action="deal.owner",
            changes=[
                (c.deal, {"owner": c.old_value}, {"owner": c.new_value}) for c in owner_changes
            ],
        )
    _replace_splits(replace_splits)
    changes.days_changed(
        credit.keys_after([*changed, *new], replace_splits), tables=[changes.OUTCOMES]
    )
    return UpsertSummary(created=len(new), updated=len(changed), unchanged=unchanged)


def _owner_changes(moved: list[tuple[Deal, int]], now) -> list[DealChange]:
    """The change log of deals given to another owner, by e-mail (one query for the
    owners they had; the new ones came with the rows)."""
    if not moved:
        return []
    emails = dict(
        Person.objects.filter(pk__in={old for _, old in moved}).values_list("pk", "email")
    )
    return [
        DealChange(
            deal=deal,
            field=DealChange.Field.OWNER,
            old_value=emails.get(old, ""),
            new_value=deal.owner.email,
            changed_at=now,
        )
        for deal, old in moved
    ]


def _replace_splits(splits_by_deal: dict[int, frozenset]) -> None:
    for chunk in in_chunks(list(splits_by_deal)):
        DealSplit.objects.filter(deal_id__in=chunk).delete()
    DealSplit.objects.bulk_create(
        [
            DealSplit(deal_id=deal_id, person_id=person_id, share=share)
            for deal_id, splits in splits_by_deal.items()
            for person_id, share in sorted(splits)
        ],
        batch_size=WRITE_BATCH,
    )


# --- activities and feedback -----------------------------------------------------------


def _keyed_upsert(
    model: type[models.Model],
    rows: Iterable[Row],
    *,
    noun: str,
    required: Sequence[str],
    grant: Grant | None = None,
) -> UpsertSummary:
    """Plain records matched by a required external id, with no history of their own."""
    prepared: list[tuple[str, dict, str]] = []
    for index, row in enumerate(rows):
        ext = _external_id(row, noun, index)
        label = f"{noun.capitalize()} {ext}"
        prepared.append((ext, _clean_row(model, {**row, "external_id": ext}, label), label))
    existing = _fetch(model.objects.all(), "external_id", [p[0] for p in prepared])
    seen = _Seen(noun)
    new: list[models.Model] = []
    changed: list[models.Model] = []
    before: list[tuple[int, Any]] = []
    fields: set[str] = set()
    unchanged = 0
    for ext, clean, label in prepared:
        if not seen.first_time(ext, clean, label):
            continue
        obj = existing.get(ext)
        _check_reach(grant, label, noun, obj.person_id if obj else None, clean.get("person"))
        if obj is None:
            _require(clean, required, label, noun)
            new.append(model(**clean))
            continue
        names = _changed_fields(obj, clean)
        if not names:
            unchanged += 1
            continue
        if model is Activity:
            before.append((obj.person_id, obj.occurred_at))
        for name in names:
            setattr(obj, name, clean[name])
        fields.update(names)
        changed.append(obj)
    with transaction.atomic():
        _write(model, new, changed, fields)
        if model is Activity:
            # The people and days before and after the write.
            after = [(obj.person_id, obj.occurred_at) for obj in (*new, *changed)]
            changes.days_changed(
                touched.activity_keys([*before, *after]), tables=[changes.ACTIVITIES]
            )
    return UpsertSummary(created=len(new), updated=len(changed), unchanged=unchanged)


def activities_upsert(rows: Iterable[Row], *, grant: Grant | None = None) -> UpsertSummary:
    """Create or update activities (calls, e-mails, meetings…) by their required external id.

    `occurred_at` decides the period an activity counts in; a naive time is
    taken in the server's time zone.
    """
    return _keyed_upsert(
        Activity, rows, noun="activity", required=["person", "kind", "occurred_at"], grant=grant
    )


def feedback_upsert(rows: Iterable[Row], *, grant: Grant | None = None) -> UpsertSummary:
    """Create or update customer feedback (complaints and praise per person) by external id."""
    return _keyed_upsert(
        Feedback, rows, noun="feedback", required=["person", "kind", "received_on"], grant=grant
    )
