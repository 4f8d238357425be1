"""Turning the names in a file into the records they mean: owners, accounts, products,
stages and teams.

A CRM export names things the way people typed them. A name matches a record
when it is equal ignoring case; failing that, when it is equal ignoring case,
spacing and punctuation (`crm.names.name_key`: "GTXPro" is "GTX Pro") — that
match is used and reported as a warning. Anything else is unknown: the row is
rejected with a reason that says how to map it, and the name is listed so the
wizard (or the API's `names`) can map it to an existing record, or create it
(`+create`: accounts, products and stages). The key `*` maps every unknown name.

A stage is created at a probability, which places it in the pipeline: `+create:40`
says 40 %; a bare `+create` is for a CRM's standard stage, whose probability is known
(`crm_stages`). A CRM's standard stage the pipeline does not have is otherwise read as
the open stage of the nearest probability, with a warning, unless `*` says what to do
with every unknown stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet

from accountable.crm.models import Account, Product, Stage
from accountable.crm.names import clean_name, name_key
from accountable.imports import crm_stages
from accountable.imports.errors import RowError
from accountable.imports.findings import Findings
from accountable.org.models import Person, Team

CREATE = "+create"
EVERY_UNKNOWN = "*"
CREATABLE = ("account", "product", "stage")  # what an import may create

# How each kind of name is called in messages and in `names`.
ENTITIES = {
    "owner": "person",
    "account": "account",
    "product": "product",
    "stage": "stage",
}


@dataclass
class Lookup:
    """Finds records of one kind by what a file calls them (see the module docstring)."""

    entity: str  # "owner", "account", "product", "stage"
    findings: Findings
    mapping: dict[str, str] = field(default_factory=dict)
    creator: Callable[[str], Any] | None = None
    limited: bool = False  # only some people may be found (the importer's reach)
    unknown: dict[str, None] = field(default_factory=dict)  # insertion-ordered set
    _exact: dict[str, Any] = field(default_factory=dict)
    _by_key: dict[str, list[Any]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)
    # Names found by a rule rather than by name (a CRM's standard stage), with what to say.
    _standard: dict[str, tuple[Any, str]] = field(default_factory=dict)

    def add(self, record: Any, *names: str, exact: bool = True) -> None:
        """Make `record` findable by each of `names` (exactly, and by name key)."""
        for name in names:
            if not name:
                continue
            if exact:
                self._exact.setdefault(name.strip().lower(), record)
            key = name_key(name)
            if key:
                bucket = self._by_key.setdefault(key, [])
                if record not in bucket:
                    bucket.append(record)

    def find(self, value: str | None) -> Any:
        """The record `value` names, or None for a blank value; RowError if unknown.
        An unknown name is listed to be mapped; a near match is counted as a warning."""
        name = clean_name(value or "")
        if not name:
            return None
        found, warning = self._resolved(name)
        if isinstance(found, RowError):
            if found.needs_mapping:
                self.unknown.setdefault(name, None)
            raise found
        if warning:
            self.findings.add(warning)
        return found

    def match(self, value: str | None) -> tuple[Any, str]:
        """(record, warning) for `value` — as `find`, but nothing is listed or counted:
        the caller counts the warning once it knows the row is imported."""
        name = clean_name(value or "")
        if not name:
            return None, ""
        found, warning = self._resolved(name)
        if isinstance(found, RowError):
            raise found
        return found, warning

    def creates(self, value: str | None) -> bool:
        """Whether finding `value` now would create a record (a name mapped to "+create",
        or matching nothing under "*": "+create", and not found before)."""
        name = clean_name(value or "")
        if not name or name in self._cache or self.creator is None:
            return False
        target = self.mapping.get(name)
        if target is None:
            key = name_key(name)
            target = next((t for n, t in self.mapping.items() if name_key(n) == key and key), None)
        if target is not None and str(target).strip():
            return _creates(str(target))
        if name.lower() in self._exact or self._by_key.get(name_key(name)):
            return False
        return _creates(str(self.mapping.get(EVERY_UNKNOWN) or ""))

    def _resolved(self, name: str) -> tuple[Any, str]:
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str) -> tuple[Any, str]:
        mapped = self._mapped(name)
        if mapped is not None:
            return mapped, ""
        exact = self._exact.get(name.lower())
        if exact is not None:
            return exact, ""
        candidates = self._by_key.get(name_key(name), [])
        every = self.mapping.get(EVERY_UNKNOWN)
        if not candidates and not every and name_key(name) in self._standard:
            return self._standard[name_key(name)]
        if len(candidates) == 1:
            record = candidates[0]
            return record, f'"{name}" matched {self.noun} "{_label(record)}"'
        if len(candidates) > 1:
            shown = ", ".join(f'"{_label(c)}"' for c in candidates[:4])
            return RowError(
                f'{self.entity} "{name}" could be any of {shown}; map it to one of them '
                f"(names → {self.entity})",
                needs_mapping=True,
            ), ""
        if every:
            return self._target(name, every), ""
        return RowError(self._unknown_reason(name), needs_mapping=True), ""

    def _mapped(self, name: str) -> Any:
        target = self.mapping.get(name)
        if target is None:
            key = name_key(name)
            target = next((t for n, t in self.mapping.items() if name_key(n) == key and key), None)
        if target is None or not str(target).strip():
            return None
        return self._target(name, str(target))

    def _target(self, name: str, target: str) -> Any:
        if _creates(target):
            if self.creator is None:
                return RowError(f"{self.noun.capitalize()}s cannot be created by an import")
            try:
                record = self.creator(name, target[len(CREATE) :].lstrip(":").strip())
            except RowError as error:
                return error
            self.add(record, name)
            self.findings.add(f'Created {self.noun} "{name}"', 0, unit="")
            return record
        record = self._exact.get(target.strip().lower())
        if record is None:
            candidates = self._by_key.get(name_key(target), [])
            record = candidates[0] if len(candidates) == 1 else None
        if record is None:
            return RowError(f'"{name}" is mapped to {self.noun} "{target}", which does not exist')
        return record

    @property
    def noun(self) -> str:
        return ENTITIES[self.entity]

    def _unknown_reason(self, name: str) -> str:
        if self.entity == "owner" and self.limited:
            return (
                f'Unknown owner "{name}": nobody in the teams you manage has that e-mail '
                f"or name; map the name to a person's e-mail (names → owner)"
            )
        if self.entity == "owner":
            return (
                f'Unknown owner "{name}": add them as a person first, or map the name '
                f"to a person's e-mail (names → owner)"
            )
        if self.entity == "stage":
            return (
                f'Unknown stage "{name}": map it to a stage of the pipeline, or to '
                f'"{CREATE}:40" to add it at 40 % (names → stage)'
            )
        return (
            f'Unknown {self.noun} "{name}": map it to an existing {self.noun} or to '
            f'"{CREATE}" to create it (names → {self.entity})'
        )


def _creates(target: str) -> bool:
    """Whether a mapping target says "create it" (`+create`, or `+create:40` for a stage)."""
    return target == CREATE or target.startswith(CREATE + ":")


def _label(record: Any) -> str:
    if isinstance(record, Person):
        return f"{record.name} <{record.email}>"
    return str(record)


def owners(
    findings: Findings,
    mapping: dict[str, str] | None = None,
    among: QuerySet[Person] | None = None,
) -> Lookup:
    """People by e-mail and by name (a name shared by two people must be mapped).

    `among` limits them to the people the importer may write for: anyone else is
    not found, with the same words as a name nobody has, so that a message never
    reveals who exists outside the importer's teams."""
    lookup = Lookup("owner", findings, dict(mapping or {}), limited=among is not None)
    people = list(
        (Person.objects.all() if among is None else among).only(
            "pk", "email", "name", "team_id", "role"
        )
    )
    shared = Counter(person.name.strip().lower() for person in people)
    for person in people:
        lookup.add(person, person.email)
    for person in people:
        # Two people called the same are found by name only through a mapping.
        lookup.add(person, person.name, exact=shared[person.name.strip().lower()] == 1)
    return lookup


def _named(model: type[models.Model], entity: str, findings: Findings, mapping, creator) -> Lookup:
    lookup = Lookup(entity, findings, dict(mapping or {}), creator=creator)
    wanted = [f for f in ("name", "external_id") if hasattr(model, f)]
    for record in model.objects.only("pk", *wanted):
        lookup.add(record, record.name)
        if getattr(record, "external_id", None):
            lookup._exact.setdefault(record.external_id.strip().lower(), record)
    return lookup


def accounts(findings: Findings, mapping=None, creator=None) -> Lookup:
    return _named(Account, "account", findings, mapping, creator)


def products(findings: Findings, mapping=None, creator=None) -> Lookup:
    return _named(Product, "product", findings, mapping, creator)


# What CRMs call the stages of the default pipeline.
STAGE_SYNONYMS = {
    "closedwon": "won",
    "won": "won",
    "closedlost": "lost",
    "lost": "lost",
}


def stages(findings: Findings, mapping=None, creator=None) -> Lookup:
    lookup = _named(Stage, "stage", findings, mapping, creator)
    won = Stage.objects.filter(is_won=True).order_by("order").first()
    lost = Stage.objects.filter(is_lost=True).order_by("order").first()
    for synonym, which in STAGE_SYNONYMS.items():
        record = won if which == "won" else lost
        if record is not None and synonym not in lookup._by_key:
            lookup._exact.setdefault(synonym, record)
    # "Closed Won" is the won stage by design, not a near-miss worth a warning.
    for label, record in (("closed won", won), ("closed lost", lost)):
        if record is not None:
            lookup._exact.setdefault(label, record)
    # A CRM's standard stages, unless the pipeline has a stage of that name: an open one
    # is read as the open stage of the nearest probability, and the summary says so.
    open_stages = list(Stage.objects.filter(is_won=False, is_lost=False))
    for standard in crm_stages.STANDARD:
        if standard.outcome == crm_stages.OPEN:
            record = crm_stages.nearest(open_stages, standard.probability)
            how = ", the nearest by probability"
        else:
            record, how = (won if standard.outcome == crm_stages.WON else lost), ""
        if record is None:
            continue
        said = (
            f'{standard.crm}\'s standard stage "{standard.label}" ({standard.probability} %) '
            f'read as "{record.name}"{how}; map it to another stage if that is wrong'
        )
        for name in (standard.label, standard.internal):
            key = name_key(name)
            if key and key not in lookup._by_key and name.lower() not in lookup._exact:
                lookup._standard.setdefault(key, (record, said))
    return lookup


def teams_by_name() -> dict[str, Team]:
    """Teams by lower-cased name and by name key."""
    found: dict[str, Team] = {}
    for team in Team.objects.all():
        found.setdefault(team.name.lower(), team)
        found.setdefault(name_key(team.name), team)
    return found
