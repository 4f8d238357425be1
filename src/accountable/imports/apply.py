"""Writing validated rows: in batches, inside the caller's one transaction.

Deals, activities, feedback, accounts and products go through the sales data's
single write path (`crm.upsert`), which keeps deal history. People and targets
are written here, through the organisation's services, and audited.

A writer receives `(line, values)` pairs and returns the rows it could not write
as `(line, reason, values)`: a batch that fails is retried row by row inside
savepoints, so the one bad row is named and the rest still count in the preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from accountable.audit.services import audit_record, snapshot
from accountable.crm import upsert as crm
from accountable.crm.errors import CrmError
from accountable.crm.models import Account
from accountable.crm.names import name_key
from accountable.forecasts.models import ForecastSubmission
from accountable.forecasts.services import forecast_submit
from accountable.imports.findings import Findings
from accountable.org import services as org
from accountable.org.abilities import Grant
from accountable.org.models import Person, Role, Team, TeamKind, TimeOff
from accountable.org.services import OrgError
from accountable.targets.models import Target

BATCH_SIZE = 1000
Numbered = tuple[int, dict[str, Any]]
Failure = tuple[int, str]


@dataclass
class Counts:
    """Rows created, updated and found unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, summary: Any) -> None:
        self.created += summary.created
        self.updated += summary.updated
        self.unchanged += summary.unchanged


class Writer:
    """Writes batches of one kind through an upsert function of rows → summary."""

    def __init__(self, upsert: Callable[[list[dict]], Any]) -> None:
        self.upsert = upsert
        self.counts = Counts()

    def write(self, batch: list[Numbered]) -> list[Failure]:
        try:
            with transaction.atomic():
                self.counts.add(self.upsert([values for _, values in batch]))
            return []
        except (CrmError, OrgError, DatabaseError, ValueError):
            pass
        failures = []
        for line, values in batch:
            try:
                with transaction.atomic():
                    self.counts.add(self.upsert([values]))
            except (CrmError, OrgError, DatabaseError, ValueError) as error:
                failures.append((line, _plain(error)))
        return failures

    def finish(self) -> list[Failure]:
        return []


def _plain(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    return message.rstrip(".")


class AccountWriter(Writer):
    """Accounts wait for the whole file: a subsidiary may come before its parent.
    They are written parents first, each layer in one batch."""

    def __init__(self) -> None:
        super().__init__(crm.accounts_upsert)
        self.pending: list[Numbered] = []

    def write(self, batch: list[Numbered]) -> list[Failure]:
        self.pending.extend(batch)
        return []

    def finish(self) -> list[Failure]:
        failures: list[Failure] = []
        rows = self.pending
        in_file = {name_key(values["name"]) for _, values in rows}
        known = set(Account.objects.values_list("key", flat=True))
        while rows:
            ready, waiting = [], []
            for line, values in rows:
                parent = name_key(values.get("parent_name") or "")
                if not parent or parent in known or parent not in in_file:
                    ready.append((line, values))
                else:
                    waiting.append((line, values))
            if not ready:  # a loop of parents: no order can satisfy it
                ready, waiting = waiting, []
            batch = []
            for line, values in ready:
                try:
                    batch.append((line, self._with_parent(values)))
                except ValueError as error:
                    failures.append((line, str(error)))
            failures.extend(super().write(batch))
            known |= {name_key(values["name"]) for _, values in ready}
            rows = waiting
        return failures

    @staticmethod
    def _with_parent(values: dict[str, Any]) -> dict[str, Any]:
        values = dict(values)
        parent_name = values.pop("parent_name", None)
        if parent_name is None:
            return values
        if not parent_name:
            values["parent"] = None
            return values
        parent = Account.objects.filter(key=name_key(parent_name)).first()
        if parent is None:
            raise ValueError(f'parent account "{parent_name}" is neither known nor in the file')
        values["parent"] = parent
        return values


class PersonWriter(Writer):
    """People through the organisation's services (audited, with career history).

    A missing team is created under `parent_team` (itself created as a region
    under the company when missing). Managers are linked to teams at the end,
    when everyone in the file exists.
    """

    def __init__(self, actor: Person | None, findings: Findings) -> None:
        super().__init__(lambda rows: None)
        self.actor = actor
        self.findings = findings
        self.managers: list[tuple[int, str, str]] = []  # line, manager e-mail, team name

    def write(self, batch: list[Numbered]) -> list[Failure]:
        failures = []
        for line, values in batch:
            try:
                with transaction.atomic():
                    self._upsert(values)
            except (OrgError, DatabaseError, ValueError) as error:
                failures.append((line, _plain(error)))
                continue
            if values["manager_email"] and values["team"]:
                self.managers.append((line, values["manager_email"], values["team"]))
        return failures

    def _upsert(self, values: dict[str, Any]) -> None:
        team = self._team(values["team"], values["parent_team"]) if values["team"] else None
        person = Person.objects.filter(email__iexact=values["email"]).first()
        if person is None:
            org.person_create(
                actor=self.actor,
                email=values["email"],
                name=values["name"],
                role=values["role"] or Role.REP,
                team=team,
                start_date=values["start_date"],
            )
            self.counts.created += 1
            return
        changes = {"name": values["name"]}
        if values["role"]:
            changes["role"] = values["role"]
        if values["team"]:
            changes["team"] = team
        if values["start_date"]:
            changes["start_date"] = values["start_date"]
        changed = {k: v for k, v in changes.items() if getattr(person, k) != v}
        if not changed:
            self.counts.unchanged += 1
            return
        org.person_update(actor=self.actor, person=person, reason="Import", **changed)
        self.counts.updated += 1

    def _team(self, name: str, parent_name: str) -> Team:
        team = Team.objects.filter(name__iexact=name).first()
        if team is not None:
            return team
        parent = self._parent(parent_name) if parent_name else _company(self.actor)
        team = org.team_create(actor=self.actor, name=name, kind=TeamKind.TEAM, parent=parent)
        self.findings.add(f'Created team "{name}" under "{parent}"', 0, unit="")
        return team

    def _parent(self, name: str) -> Team:
        parent = Team.objects.filter(name__iexact=name).first()
        if parent is None:
            company = _company(self.actor)
            parent = org.team_create(
                actor=self.actor, name=name, kind=TeamKind.REGION, parent=company
            )
            self.findings.add(f'Created team "{name}" under "{company}"', 0, unit="")
        return parent

    def finish(self) -> list[Failure]:
        failures = []
        for line, email, team_name in self.managers:
            manager = Person.objects.filter(email__iexact=email).first()
            if manager is None:
                failures.append(
                    (line, f'manager_email "{email}" is not a person here nor in the file')
                )
                continue
            team = Team.objects.get(name__iexact=team_name)
            if not team.managers.filter(pk=manager.pk).exists():
                managers = [*team.managers.all(), manager]
                org.team_update(actor=self.actor, team=team, managers=managers)
        return failures


def _company(actor: Person | None) -> Team:
    """The root of the team tree (created from the organisation's name if there is none)."""
    root = Team.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        name = org.organisation_get().name
        root = org.team_create(actor=actor, name=name, kind=TeamKind.COMPANY)
    return root


TARGET_FIELDS = ["person", "team", "metric", "period", "period_start", "period_end", "value"]


class TargetWriter(Writer):
    """Targets keyed by (owner, metric, period); every change is audited."""

    def __init__(self, actor: Person | None) -> None:
        super().__init__(self._upsert_rows)
        self.actor = actor

    def _upsert_rows(self, rows: list[dict[str, Any]]) -> Counts:
        counts = Counts()
        for values in rows:
            period = values["period"]
            owner = {"person": values["person"]} if values["person"] else {"team": values["team"]}
            target = Target.objects.filter(
                metric=values["metric"], period=period.label, **owner
            ).first()
            if target is None:
                target = Target.objects.create(
                    metric=values["metric"],
                    period=period.label,
                    period_start=period.start,
                    period_end=period.end,
                    value=values["value"],
                    **owner,
                )
                audit_record(
                    actor=self.actor,
                    action="target.create",
                    obj=target,
                    after=snapshot(target, TARGET_FIELDS),
                )
                counts.created += 1
            elif target.value != values["value"]:
                before = snapshot(target, TARGET_FIELDS)
                target.value = values["value"]
                target.updated_at = timezone.now()
                target.save(update_fields=["value", "updated_at"])
                audit_record(
                    actor=self.actor,
                    action="target.update",
                    obj=target,
                    before=before,
                    after=snapshot(target, TARGET_FIELDS),
                )
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts


class TimeOffWriter(Writer):
    """Time off through the organisation's service (audited, overlaps refused): the same
    days again only update the note, so a file imported twice changes nothing."""

    def __init__(self, actor: Person | None) -> None:
        super().__init__(self._upsert_rows)
        self.actor = actor

    def _upsert_rows(self, rows: list[dict[str, Any]]) -> Counts:
        counts = Counts()
        for values in rows:
            note = values.get("note")
            if note is None:  # no note column: a span already there keeps its own
                same = TimeOff.objects.filter(
                    person=values["person"],
                    first_day=values["first_day"],
                    last_day=values["last_day"],
                ).first()
                note = same.note if same is not None else ""
            try:
                _, status = org.time_off_record(
                    actor=self.actor,
                    person=values["person"],
                    first_day=values["first_day"],
                    last_day=values["last_day"],
                    note=note,
                )
            except PermissionDenied as error:
                raise ValueError(str(error)) from None
            setattr(counts, status, getattr(counts, status) + 1)
        return counts


class ForecastWriter(Writer):
    """Past calls through the forecasts' service (audited; the commit must include what
    was won by that week, which the service checks): a week already there is updated."""

    def __init__(self, actor: Person | None) -> None:
        super().__init__(self._upsert_rows)
        self.actor = actor

    def _upsert_rows(self, rows: list[dict[str, Any]]) -> Counts:
        counts = Counts()
        for values in rows:
            before = ForecastSubmission.objects.filter(
                person=values["person"], period=values["period"], week_of=values["week"]
            ).first()
            try:
                made = forecast_submit(actor=self.actor, **values)
            except PermissionDenied as error:
                raise ValueError(str(error)) from None
            if before is None:
                counts.created += 1
            elif (before.commit, before.best_case, before.note) == (
                made.commit,
                made.best_case,
                made.note,
            ):
                counts.unchanged += 1
            else:
                counts.updated += 1
        return counts


def writer_for(kind: str, actor: Person | None, findings: Findings, grant: Grant) -> Writer:
    """The writer of `kind`; sales data is written within the importer's `grant`, so an
    existing record of someone out of reach is refused whatever its row says."""
    if kind == "people":
        return PersonWriter(actor, findings)
    if kind == "targets":
        return TargetWriter(actor)
    if kind == "time_off":
        return TimeOffWriter(actor)
    if kind == "forecasts":
        return ForecastWriter(actor)
    if kind == "accounts":
        return AccountWriter()
    if kind == "products":
        return Writer(crm.products_upsert)
    upserts = {
        "deals": crm.deals_upsert,
        "activities": crm.activities_upsert,
        "feedback": crm.feedback_upsert,
    }
    upsert = upserts[kind]
    return Writer(lambda rows: upsert(rows, grant=grant))
