"""Who may do what: the one table of named abilities (SPEC "Who uses it").

Each ability says, for every role, whose records it reaches:

- `EVERYONE` — every person and team (admins, and executives for reading);
- `SELF_AND_MANAGED` — the actor and the people of the teams they manage, with
  every team below them;
- `MANAGED` — those people and teams but never the actor: nobody sets their own
  quota or records feedback about themself;
- `SELF` — the actor alone;
- nothing, for a role the table does not name.

From that one rule come both questions a write asks — may this actor touch the
records of this person (`may`), and which people may they touch (`people`, a
queryset for form choices and bulk checks, and `grant`, the same set held in
memory for a batch of thousands of rows) — so the yes/no answer and the list can
never disagree. Reads (`see_person`) come from the same table.

Every write path — forms, the import wizard, bulk API calls, the command line —
checks the actor against each record it touches, existing or new: the owner a
record has now and the owner the write gives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet

from accountable.org.models import Person, Role, Team


class Reach(StrEnum):
    """Whose records an ability reaches, for one role."""

    SELF = "self"
    MANAGED = "managed, not self"
    SELF_AND_MANAGED = "self and managed"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class Ability:
    """A named thing a person may do, and for each role whose records it reaches."""

    name: str
    says: str
    reach: Mapping[str, Reach]

    def __str__(self) -> str:
        return self.name


def _ability(name: str, says: str, **reach: Reach) -> Ability:
    return Ability(name, says, {getattr(Role, role.upper()).value: r for role, r in reach.items()})


E, SM, M, S = Reach.EVERYONE, Reach.SELF_AND_MANAGED, Reach.MANAGED, Reach.SELF

SEE_PERSON = _ability(
    "see_person",
    "see a person's own records: scorecard, goals, warnings, deals and activities",
    admin=E,
    executive=E,
    manager=SM,
    rep=S,
    outside_sales=S,
)
WRITE_SALES_DATA = _ability(
    "write_sales_data",
    "enter and edit deals and activities by hand or through the API",
    admin=E,
    manager=SM,
    rep=S,
)
MANAGE_PERSON = _ability(
    "manage_person",
    "act as a person's manager: handle their warnings, change their records",
    admin=E,
    manager=M,
)
SET_TARGETS = _ability(
    "set_targets",
    "set, split and allocate targets and approve goals (never one's own)",
    admin=E,
    manager=M,
)
RECORD_FEEDBACK = _ability(
    "record_feedback",
    "record a customer's complaint or praise about a person",
    admin=E,
    manager=M,
)
SEE_TEAMS = _ability(
    "see_teams",
    "open the team pages: the board, the roll-up, the organisation and its people",
    admin=E,
    executive=E,
    manager=SM,
)
SET_OBJECTIVES = _ability(
    "set_objectives",
    "set objectives and key results for the company or a team",
    admin=E,
    executive=E,
    manager=SM,
)
SET_COMPANY_OBJECTIVES = _ability(
    "set_company_objectives",
    "set the company's own objectives",
    admin=E,
    executive=E,
)
ADMINISTER = _ability(
    "administer",
    "change the organisation's settings, people, roles and thresholds; read the audit trail",
    admin=E,
)
EDIT_PIPELINE = _ability(
    "edit_pipeline",
    "edit the sales pipeline: add, rename, reorder, merge and remove stages, their "
    "probabilities, forecast categories and checklist milestones",
    admin=E,
)
MAKE_COMMITMENTS = _ability(
    "make_commitments",
    "record a commitment (a promise of an outcome by a due date), report on it or withdraw it",
    admin=E,
    executive=S,
    manager=SM,
    rep=S,
    outside_sales=S,
)
CONFIRM_COMMITMENTS = _ability(
    "confirm_commitments",
    "confirm or correct what someone reported of a commitment",
    admin=E,
    manager=M,
)
SUBMIT_FORECASTS = _ability(
    "submit_forecasts",
    "submit a weekly forecast (commit and best case) for the period",
    admin=E,
    manager=S,
    rep=S,
    outside_sales=S,
)
ADJUST_FORECASTS = _ability(
    "adjust_forecasts",
    "adjust someone's forecast with a note, in a layer over their own figures",
    admin=E,
    manager=M,
)
RUN_CHECKINS = _ability(
    "run_checkins",
    "schedule, hold and cancel 1:1 check-ins with someone, write their private notes and "
    "record their outcomes",
    admin=E,
    manager=M,
)
SELF_REPORT = _ability(
    "self_report",
    "report on one's own week (a self-report on one's cadence)",
    admin=E,
    manager=S,
    rep=S,
    outside_sales=S,
)
WRITE_PLANS = _ability(
    "write_plans",
    "draft, change and submit one's own annual and quarterly plans, their actions and "
    "the plans of one's key accounts, and answer one's plan reviews",
    admin=E,
    manager=S,
    rep=S,
    outside_sales=S,
)
REVIEW_PLANS = _ability(
    "review_plans",
    "comment on someone's plan, approve or return it, record and sign off their plan "
    "reviews and close their catch-up plans",
    admin=E,
    manager=M,
)
SEE_PACKETS = _ability(
    "see_packets",
    "prepare a person's review packet for a period: the page, the PDF and the API",
    admin=E,
    executive=E,
    manager=SM,
    rep=S,
    outside_sales=S,
)
RUN_REVIEW_CYCLES = _ability(
    "run_review_cycles",
    "open a performance review cycle for a period: who is reviewed, and by when",
    admin=E,
)
SELF_ASSESS = _ability(
    "self_assess",
    "write one's own self-assessment in a performance review and acknowledge its outcome",
    admin=S,
    executive=S,
    manager=S,
    rep=S,
    outside_sales=S,
)
ASSESS_PEOPLE = _ability(
    "assess_people",
    "write the manager's assessment of someone in a performance review and record the "
    "outcome agreed",
    admin=E,
    manager=M,
)
IMPORT_DEALS = _ability(
    "import_deals", "import deals from a file or a bulk call", admin=E, manager=SM
)
IMPORT_ACTIVITIES = _ability(
    "import_activities", "import activities from a file or a bulk call", admin=E, manager=SM
)
IMPORT_FEEDBACK = _ability(
    "import_feedback", "import customer feedback from a file or a bulk call", admin=E, manager=M
)
IMPORT_TARGETS = _ability(
    "import_targets", "import targets from a file or a bulk call", admin=E, manager=M
)
RECORD_TIME_OFF = _ability(
    "record_time_off",
    "record and remove time off (days away that are not working days for that person)",
    admin=E,
    executive=S,
    manager=SM,
    rep=S,
    outside_sales=S,
)
IMPORT_TIME_OFF = _ability(
    "import_time_off", "import time off from a file or a bulk call", admin=E, manager=SM
)
IMPORT_PEOPLE = _ability("import_people", "import people and teams", admin=E)
IMPORT_FORECASTS = _ability(
    "import_forecasts", "import past forecast calls from a spreadsheet", admin=E
)
IMPORT_ACCOUNTS = _ability("import_accounts", "import customer accounts", admin=E)
IMPORT_PRODUCTS = _ability("import_products", "import products", admin=E)

ABILITIES: dict[str, Ability] = {
    ability.name: ability
    for ability in (
        SEE_PERSON,
        SEE_TEAMS,
        SET_OBJECTIVES,
        SET_COMPANY_OBJECTIVES,
        ADMINISTER,
        EDIT_PIPELINE,
        MAKE_COMMITMENTS,
        CONFIRM_COMMITMENTS,
        SUBMIT_FORECASTS,
        ADJUST_FORECASTS,
        RUN_CHECKINS,
        SELF_REPORT,
        WRITE_PLANS,
        REVIEW_PLANS,
        SEE_PACKETS,
        RUN_REVIEW_CYCLES,
        SELF_ASSESS,
        ASSESS_PEOPLE,
        WRITE_SALES_DATA,
        MANAGE_PERSON,
        SET_TARGETS,
        RECORD_FEEDBACK,
        RECORD_TIME_OFF,
        IMPORT_DEALS,
        IMPORT_ACTIVITIES,
        IMPORT_FEEDBACK,
        IMPORT_TARGETS,
        IMPORT_TIME_OFF,
        IMPORT_PEOPLE,
        IMPORT_FORECASTS,
        IMPORT_ACCOUNTS,
        IMPORT_PRODUCTS,
    )
}
# What each kind of import needs (the import pipeline and the bulk API ask this).
IMPORT_ABILITIES: dict[str, Ability] = {
    "deals": IMPORT_DEALS,
    "activities": IMPORT_ACTIVITIES,
    "feedback": IMPORT_FEEDBACK,
    "targets": IMPORT_TARGETS,
    "time_off": IMPORT_TIME_OFF,
    "forecasts": IMPORT_FORECASTS,
    "people": IMPORT_PEOPLE,
    "accounts": IMPORT_ACCOUNTS,
    "products": IMPORT_PRODUCTS,
}
# Whoever may import anything: the import pages are theirs.
ANY_IMPORT: tuple[Ability, ...] = tuple(IMPORT_ABILITIES.values())


def reach_of(actor: Person, ability: Ability) -> Reach | None:
    """How far the actor's role reaches with this ability (None: not at all)."""
    if not (actor.is_authenticated and actor.is_active):
        return None
    return ability.reach.get(actor.role)


def roles_with(ability: Ability) -> tuple[str, ...]:
    """The roles that hold the ability at all (for endpoints refused before the body is read)."""
    return tuple(ability.reach)


def managed_subtree(actor: Person) -> QuerySet[Team]:
    """The teams a person manages, with every team below them."""
    managed = list(actor.managed_teams.all()) if actor.pk else []
    return Team.objects.subtree_of(managed)


def _people_rule(actor: Person, reach: Reach) -> Q:
    """The one rule: which people a reach covers, as a filter."""
    if reach == Reach.EVERYONE:
        return Q()
    if reach == Reach.SELF:
        return Q(pk=actor.pk)
    managed = Q(team__in=managed_subtree(actor)) & ~Q(pk=actor.pk)
    return managed | Q(pk=actor.pk) if reach == Reach.SELF_AND_MANAGED else managed


def people(actor: Person, ability: Ability) -> QuerySet[Person]:
    """The people whose records the actor may touch with this ability."""
    reach = reach_of(actor, ability)
    if reach is None:
        return Person.objects.none()
    return Person.objects.filter(_people_rule(actor, reach))


def teams(actor: Person, ability: Ability) -> QuerySet[Team]:
    """The teams whose own records (a team's target) the actor may touch: every team for
    an ability that reaches everyone, the teams they manage and those below for one that
    reaches managed people, and none for one that reaches only the actor."""
    reach = reach_of(actor, ability)
    if reach is None or reach == Reach.SELF:
        return Team.objects.none()
    return Team.objects.all() if reach == Reach.EVERYONE else managed_subtree(actor)


def may(actor: Person, ability: Ability, person: Person | None = None) -> bool:
    """May the actor use this ability on this person's records? Without a person: does
    their role hold the ability at all?"""
    reach = reach_of(actor, ability)
    if reach is None:
        return False
    if person is None or reach == Reach.EVERYONE:
        return True
    if person.pk is None:
        return False
    if person.pk == actor.pk:  # the rule's own answer for the actor, without a query
        return reach in (Reach.SELF, Reach.SELF_AND_MANAGED)
    if reach == Reach.SELF:
        return False
    return people(actor, ability).filter(pk=person.pk).exists()


def may_team(actor: Person, ability: Ability, team: Team) -> bool:
    """May the actor use this ability on a team's own records (its target)?"""
    return teams(actor, ability).filter(pk=team.pk).exists()


@dataclass(frozen=True)
class Grant:
    """An ability's reach for one actor, held in memory for checking many rows at once.

    `everyone` grants reach every person and team; otherwise `person_ids` and
    `team_ids` hold exactly what `people` and `teams` return.
    """

    actor: Person | None
    ability: Ability
    everyone: bool
    person_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()

    def allows(self, person_id: int | None) -> bool:
        return self.everyone or person_id in self.person_ids

    def allows_team(self, team_id: int | None) -> bool:
        return self.everyone or team_id in self.team_ids

    def people(self) -> QuerySet[Person]:
        """The same set as a queryset (for a check written in SQL)."""
        if self.everyone:
            return Person.objects.all()
        return people(self.actor, self.ability)


def grant(actor: Person | None, ability: Ability) -> Grant:
    """The actor's reach with this ability. `None` is the system itself (the command
    line, the demo generator), which reaches everyone."""
    if actor is None or reach_of(actor, ability) == Reach.EVERYONE:
        return Grant(actor, ability, everyone=True)
    return Grant(
        actor,
        ability,
        everyone=False,
        person_ids=frozenset(people(actor, ability).values_list("pk", flat=True)),
        team_ids=frozenset(teams(actor, ability).values_list("pk", flat=True)),
    )


def abilities_markdown() -> str:
    """The table of abilities as docs/organisation.md shows it (a test keeps it so)."""
    roles = list(Role.values)
    lines = [
        "| ability | what it allows | " + " | ".join(Role(r).label.lower() for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for ability in ABILITIES.values():
        cells = [ability.reach[r].value if r in ability.reach else "—" for r in roles]
        lines.append(f"| `{ability.name}` | {ability.says} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
