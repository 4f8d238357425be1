"""The demo organisation: a realistic, seeded sales organisation in one call.

`generate_demo` fills an empty database with the organisation settings, a team
tree (company → regions → selling teams), an executive, a manager per region
and per team, an admin, and reps who each carry a planted archetype
(`accountable.demo.archetypes`). It writes the ground truth — who is which
archetype and what the warning engine should say about them — to a JSON file.

It works in steps: `plan_organisation` decides the organisation (names,
e-mails, teams, start dates, archetypes) from the seed alone, with no database;
`_write_plan` stores it; then `accountable.demo.sales` gives every rep their
accounts, deals, activities, feedback and targets, drawn from their archetype's
behaviour (SPEC §9); and `accountable.demo.loop` their forecast calls,
commitments and check-ins, drawn from that data and their planted habits
(`accountable.demo.habits`). Same seed, same `people`, same `today`: same
organisation, same sales data and the same ground truth. All dates are relative
to `today`, so the demo always looks current.

`people` counts everyone created: the admin, the executive, the regional and
team managers, and the reps, including the four demo logins.
"""

from __future__ import annotations

import json
import math
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accountable.audit.services import audit_record
from accountable.crm.models import Account
from accountable.demo.archetypes import archetype_get, deal_archetypes
from accountable.demo.errors import DemoError
from accountable.demo.habits import habit_warnings, habits_truth
from accountable.demo.loop import COMMITMENT_WEEKS, LoopPlan, loop_data_create, loop_plan
from accountable.demo.sales import DEFAULT_WEEKS, SalesWindow, sales_data_create
from accountable.demo.segments import segment_of
from accountable.demo.timeline import RepTimeline
from accountable.org.calendar import FiscalCalendar, Kind
from accountable.org.models import Person, PersonChange, Role, Team, TeamKind
from accountable.org.services import (
    organisation_update,
    person_create,
    team_create,
    team_update,
    time_off_record,
)
from accountable.scorecards import rollups

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "MIN_PEOPLE",
    "DemoError",
    "DemoResult",
    "OrganisationPlan",
    "PersonPlan",
    "generate_demo",
    "plan_organisation",
]

DEMO_DOMAIN = "demo.test"
DEMO_PASSWORD = "demo"  # noqa: S105 -- the published password of the demo logins
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
EXECUTIVE_EMAIL = f"exec@{DEMO_DOMAIN}"
MANAGER_EMAIL = f"manager@{DEMO_DOMAIN}"
REP_EMAIL = f"rep@{DEMO_DOMAIN}"

# The admin and the executive; every other person is a manager or a rep.
LEADERSHIP = 2
# Two regions of one team each, with two reps per team, is the smallest tree.
MIN_PEOPLE = LEADERSHIP + 2 + 2 + 4
REPS_PER_TEAM = 7
TEAMS_PER_REGION = 4
BATCH_SIZE = 500
# The demo company's calendar: fiscal year from January, weeks from Monday.
DEMO_CALENDAR = FiscalCalendar(
    fiscal_year_start_month=1, week_start=0, working_days=frozenset({0, 1, 2, 3, 4})
)
# Fewer weeks than this cannot show a trend against a baseline.
MIN_WEEKS = 26

COMPANY_NAMES = (
    "Northwind Analytics",
    "Bluefield Software",
    "Cobalt Logistics Systems",
    "Summit Ridge Medical Supply",
    "Harbor & Pine Industrial",
    "Lakeshore Payroll",
    "Brightline Security",
    "Meridian Office Solutions",
)
# Nearby names first, so a small demo reads like a real sales map.
REGION_NAMES = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Northeast",
    "Southeast",
    "Midwest",
    "Southwest",
    "Pacific Northwest",
    "Mountain",
    "Great Lakes",
    "Mid-Atlantic",
    "New England",
    "Gulf Coast",
    "California",
    "Texas",
    "Canada",
    "UK & Ireland",
    "DACH",
    "Nordics",
    "Benelux",
    "France",
    "Iberia",
    "Italy",
    "Middle East",
    "India",
    "Southeast Asia",
    "Japan",
    "Australia & New Zealand",
    "Brazil",
    "Mexico",
)
SEGMENT_NAMES = (
    "Enterprise",
    "Mid-Market",
    "SMB",
    "Strategic Accounts",
    "Public Sector",
    "Healthcare",
    "Financial Services",
    "Inside Sales",
    "Channel",
    "Retail",
    "Manufacturing",
    "Education",
)
FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Andrew", "Anna", "Arjun", "Beatriz", "Ben",
    "Carlos", "Chen", "Chloe", "Daniel", "David", "Elena", "Emily", "Emeka",
    "Fatima", "Felix", "Grace", "Hannah", "Hiroshi", "Ines", "Isabel", "Jack",
    "James", "Jamal", "Jin", "Joanna", "José", "Julia", "Kate", "Kwame",
    "Laura", "Leila", "Liam", "Lucas", "Maya", "Marcus", "María", "Mark",
    "Mei", "Michael", "Mohammed", "Nadia", "Nathan", "Nina", "Noah", "Olivia",
    "Omar", "Patrick", "Priya", "Rachel", "Rafael", "Ravi", "Rosa", "Ryan",
    "Samuel", "Sara", "Sean", "Sofia", "Tom", "Tomasz", "Valentina", "Wei",
    "Yuki", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Bauer", "Becker", "Brennan", "Brown",
    "Campbell", "Chen", "Costa", "Davies", "Dubois", "Evans", "Fernández", "Fischer",
    "Garcia", "Gonzalez", "Green", "Gupta", "Hall", "Hansen", "Hughes", "Ibrahim",
    "Ito", "Jackson", "Jensen", "Johnson", "Kelly", "Khan", "Kim", "Kowalski",
    "Larsen", "Lee", "Lopez", "Martin", "Mendes", "Miller", "Morales", "Murphy",
    "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Park", "Patel",
    "Pereira", "Rossi", "Schmidt", "Silva", "Singh", "Smith", "Sullivan", "Tanaka",
    "Taylor", "Thompson", "Walsh", "Wang", "Williams", "Wilson", "Wright", "Zhang",
)  # fmt: skip

# Years of service, as days before `today`, by role.
TENURE_DAYS = {
    Role.EXECUTIVE: (4 * 365, 9 * 365),
    Role.ADMIN: (2 * 365, 6 * 365),
    Role.MANAGER: (2 * 365, 8 * 365),
    # At least 20 months, so the 15 months of sales data, and the deals opened
    # in the months before, are not confused with ramp.
    Role.REP: (600, 6 * 365),
}
# New hires joined six weeks to three months ago: long enough for the ramp to show.
NEW_HIRE_DAYS = (45, 91)


@dataclass(frozen=True)
class PersonPlan:
    """One person to create: who they are, where they sit and, for reps, their archetype."""

    name: str
    email: str
    role: str
    team: str
    start_date: date
    archetype: str | None = None
    manages: str | None = None
    password: str | None = None


@dataclass(frozen=True)
class TeamPlan:
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class OrganisationPlan:
    """Everything the demo will contain, decided from the seed alone."""

    seed: int
    today: date
    company: str
    teams: tuple[TeamPlan, ...]
    people: tuple[PersonPlan, ...]

    def ground_truth(self) -> dict[str, object]:
        """The ground-truth document: each rep's archetype, the expected engine
        output, and the dates their pattern started (`facts`)."""
        return {
            "seed": self.seed,
            "generated_on": self.today.isoformat(),
            "people": {
                person.email: {
                    **archetype_get(person.archetype).ground_truth(),
                    "facts": self.timeline(person).facts(),
                }
                for person in self.people
                if person.archetype
            },
        }

    def timeline(self, person: PersonPlan) -> RepTimeline:
        """How a rep's archetype plays out over time, up to `today`."""
        return RepTimeline(
            behaviour=archetype_get(person.archetype or "steady").behaviour,
            start_date=person.start_date,
            today=self.today,
            calendar=DEMO_CALENDAR,
            segment=segment_of(person.team),
        )


@dataclass
class DemoResult:
    """What `generate_demo` created, for the command line and the bench to report.

    `sales` counts the sales-data rows by kind (accounts, deals, activities, …;
    empty when none were asked for), `loop` the forecast calls, commitments,
    check-ins and action items; `seconds` times the organisation, the sales data,
    the rollups and the loop separately.
    """

    organisation: str
    teams_by_kind: dict[str, int]
    people_by_role: dict[str, int]
    logins: list[tuple[str, str, str]]
    ground_truth: dict[str, str]
    ground_truth_path: Path
    seed: int
    today: date
    sales: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    # The accountability loop (with the sales data): rows by kind, and the reps given
    # a planted habit (email → habit keys).
    loop: dict[str, int] = field(default_factory=dict)
    habits: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def teams(self) -> int:
        return sum(self.teams_by_kind.values())

    @property
    def people(self) -> int:
        return sum(self.people_by_role.values())

    @property
    def counts(self) -> dict[str, int]:
        """Totals for a summary line: people, teams, and each role and kind of team."""
        return {
            "people": self.people,
            "teams": self.teams,
            **self.people_by_role,
            **{f"{kind}_teams": count for kind, count in self.teams_by_kind.items()},
            **self.sales,
        }


# --- Planning: pure, seeded, no database -------------------------------------------------


def _shape(people: int) -> list[list[int]]:
    """Reps per selling team, grouped by region, for `people` in total.

    Picks the number of teams that brings the average team closest to
    REPS_PER_TEAM reps, with a region for every TEAMS_PER_REGION teams.
    """
    best: tuple[float, int, int, int] | None = None
    for team_count in range(2, people):
        regions = min(max(2, math.ceil(team_count / TEAMS_PER_REGION)), len(REGION_NAMES))
        reps = people - LEADERSHIP - regions - team_count
        if reps < 2 * team_count:
            break
        score = abs(reps / team_count - REPS_PER_TEAM)
        if best is None or score < best[0]:
            best = (score, team_count, regions, reps)
    if best is None:
        raise DemoError(f"The demo needs at least {MIN_PEOPLE} people.")
    _, team_count, regions, reps = best
    team_sizes = _split(reps, team_count)
    per_region = _split(team_count, regions)
    shape, start = [], 0
    for count in per_region:
        shape.append(team_sizes[start : start + count])
        start += count
    return shape


def _split(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _team_name(region: str, index: int) -> str:
    segment = SEGMENT_NAMES[index % len(SEGMENT_NAMES)]
    round_ = index // len(SEGMENT_NAMES)
    suffix = f" {round_ + 1}" if round_ else ""
    return f"{region} — {segment}{suffix}"


def _email_part(text: str) -> str:
    """`José` → `jose`, `O'Brien` → `obrien`: the ASCII letters of a name, lower case."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in ascii_text.lower() if char.isalnum())


class _Names:
    """Realistic, varied names and unique e-mails, drawn from the seeded generator.

    Full names repeat only when the lists run out (as in a real company of
    thousands); e-mails never do: a second Maria Garcia is maria.garcia2@.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.emails: set[str] = {ADMIN_EMAIL, EXECUTIVE_EMAIL, MANAGER_EMAIL, REP_EMAIL}

    def name(self) -> tuple[str, str]:
        for _ in range(8):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if f"{first} {last}" not in self.names:
                break
        self.names.add(f"{first} {last}")
        return first, last

    def email(self, first: str, last: str) -> str:
        local = f"{_email_part(first)}.{_email_part(last)}"
        email, number = f"{local}@{DEMO_DOMAIN}", 1
        while email in self.emails:
            number += 1
            email = f"{local}{number}@{DEMO_DOMAIN}"
        self.emails.add(email)
        return email

    def person(
        self, *, role: str, team: str, start_date: date, email: str | None = None, **extra
    ) -> PersonPlan:
        first, last = self.name()
        return PersonPlan(
            name=f"{first} {last}",
            email=email or self.email(first, last),
            role=role,
            team=team,
            start_date=start_date,
            **extra,
        )


def _start_date(rng: random.Random, today: date, role: str, archetype: str | None) -> date:
    low, high = NEW_HIRE_DAYS if archetype == "new_hire" else TENURE_DAYS[role]
    return today - timedelta(days=rng.randint(low, high))


def plan_organisation(*, seed: int = 7, people: int = 24, today: date) -> OrganisationPlan:
    """Decide the whole demo organisation from the seed: no database involved.

    The first selling team is where the demo logins sit: `manager@` manages it
    and `rep@` is one of its steady reps. Regional managers manage their region
    (and so see every team in it); the executive manages the company.
    """
    if people < MIN_PEOPLE:
        raise DemoError(f"The demo needs at least {MIN_PEOPLE} people; {people} were asked for.")
    rng = random.Random(seed)
    names = _Names(rng)
    company = rng.choice(COMPANY_NAMES)
    shape = _shape(people)
    archetypes = deal_archetypes([size for region in shape for size in region], rng)

    teams = [TeamPlan(company, TeamKind.COMPANY, None)]
    plans = [
        names.person(
            role=Role.EXECUTIVE,
            team=company,
            manages=company,
            email=EXECUTIVE_EMAIL,
            password=DEMO_PASSWORD,
            start_date=_start_date(rng, today, Role.EXECUTIVE, None),
        ),
        names.person(
            role=Role.ADMIN,
            team=company,
            email=ADMIN_EMAIL,
            password=DEMO_PASSWORD,
            start_date=_start_date(rng, today, Role.ADMIN, None),
        ),
    ]
    dealt = iter(archetypes)
    for region_index, team_sizes in enumerate(shape):
        region_name = REGION_NAMES[region_index]
        teams.append(TeamPlan(region_name, TeamKind.REGION, company))
        plans.append(_manager(names, rng, today, region_name))
        for index in range(len(team_sizes)):
            team_name = _team_name(region_name, index)
            teams.append(TeamPlan(team_name, TeamKind.TEAM, region_name))
            login = region_index == 0 and index == 0
            plans.append(_manager(names, rng, today, team_name, login=login))
            plans.extend(_reps(names, rng, today, team_name, next(dealt), login=login))
    return OrganisationPlan(
        seed=seed, today=today, company=company, teams=tuple(teams), people=tuple(plans)
    )


def _manager(
    names: _Names, rng: random.Random, today: date, team: str, *, login: bool = False
) -> PersonPlan:
    return names.person(
        role=Role.MANAGER,
        team=team,
        manages=team,
        email=MANAGER_EMAIL if login else None,
        password=DEMO_PASSWORD if login else None,
        start_date=_start_date(rng, today, Role.MANAGER, None),
    )


def _reps(
    names: _Names,
    rng: random.Random,
    today: date,
    team: str,
    archetypes: list[str],
    *,
    login: bool = False,
) -> Iterator[PersonPlan]:
    """The reps of one team; in the login team, its first steady rep is `rep@`."""
    login_index = archetypes.index("steady") if login else -1
    for index, key in enumerate(archetypes):
        yield names.person(
            role=Role.REP,
            team=team,
            archetype=key,
            email=REP_EMAIL if index == login_index else None,
            password=DEMO_PASSWORD if index == login_index else None,
            start_date=_start_date(rng, today, Role.REP, key),
        )


# --- Writing: one transaction on an empty database ---------------------------------------


def _check_empty() -> None:
    people, teams = Person.objects.count(), Team.objects.count()
    accounts = Account.objects.count()
    if people or teams or accounts:
        held = f"{people} people and {teams} teams" + (
            f" (and {accounts} accounts)" if accounts else ""
        )
        raise DemoError(
            f"This database already holds {held}. The demo "
            "organisation is only created in an empty database: point DATABASE_URL at a "
            "new database (or remove var/accountable.sqlite3) and run it again."
        )


def _create_teams(plan: OrganisationPlan) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for team in plan.teams:
        teams[team.name] = team_create(
            actor=None,
            name=team.name,
            kind=team.kind,
            parent=teams[team.parent] if team.parent else None,
        )
    return teams


def _create_leaders(plan: OrganisationPlan, teams: dict[str, Team]) -> list[Person]:
    """Executive, admin and managers, through the ordinary service (audited, with history)."""
    leaders = []
    for spec in plan.people:
        if spec.role == Role.REP:
            continue
        leaders.append(
            person_create(
                actor=None,
                email=spec.email,
                name=spec.name,
                role=spec.role,
                team=teams[spec.team],
                start_date=spec.start_date,
            )
        )
    return leaders


def _bulk_create_reps(
    specs: list[PersonPlan],
    teams: dict[str, Team],
    on_batch: Callable[[int], None],
) -> None:
    """Reps in batches, with the same "Joined" history row `person_create` writes.

    Bulk, because a benchmark organisation has thousands of them; the demo's
    own audit entry stands for these rows.
    """
    for start in range(0, len(specs), BATCH_SIZE):
        batch = specs[start : start + BATCH_SIZE]
        people = []
        for spec in batch:
            person = Person(
                email=spec.email,
                name=spec.name,
                role=spec.role,
                team=teams[spec.team],
                start_date=spec.start_date,
            )
            person.set_unusable_password()
            people.append(person)
        created = Person.objects.bulk_create(people)
        if any(person.pk is None for person in created):
            by_email = Person.objects.in_bulk([p.email for p in created], field_name="email")
            created = [by_email[person.email] for person in created]
        PersonChange.objects.bulk_create(
            PersonChange(
                person=person,
                effective_on=person.start_date,
                to_role=person.role,
                to_team=person.team,
                reason="Joined",
            )
            for person in created
        )
        on_batch(len(batch))


def _assign_managers(plan: OrganisationPlan, teams: dict[str, Team]) -> None:
    managers: dict[str, list[str]] = {}
    for spec in plan.people:
        if spec.manages:
            managers.setdefault(spec.manages, []).append(spec.email)
    by_email = Person.objects.in_bulk(
        [email for emails in managers.values() for email in emails], field_name="email"
    )
    for team_name, emails in managers.items():
        team_update(
            actor=None, team=teams[team_name], managers=[by_email[email] for email in emails]
        )


def _set_login_passwords(plan: OrganisationPlan) -> list[tuple[str, str, str]]:
    # The logins share one published password: hash it once (hashing is slow on
    # purpose, and would otherwise be most of the demo's set-up time).
    hashed: dict[str, str] = {}
    logins = []
    for spec in plan.people:
        if spec.password:
            if spec.password not in hashed:
                hashed[spec.password] = make_password(spec.password)
            Person.objects.filter(email=spec.email).update(password=hashed[spec.password])
            logins.append((str(spec.role), spec.email, spec.password))
    order = [Role.ADMIN, Role.EXECUTIVE, Role.MANAGER, Role.REP]
    return sorted(logins, key=lambda login: order.index(login[0]))


def _loop_truth(
    truth: dict[str, object], plan: OrganisationPlan, loop: LoopPlan, first_week: date
) -> None:
    """Add the loop to the ground truth: each of its reps' habits (with the warnings
    and the forecast bias they call for) and what the loop covers."""
    judged = DEMO_CALENDAR.period(Kind.QUARTER, plan.today).previous().label
    people = truth["people"]
    for rep in loop.reps:
        keys = loop.habits_of(rep.email)
        record = people[rep.email]  # type: ignore[index]
        record.update(habits_truth(keys))
        record["expected_warnings"] = [*record["expected_warnings"], *habit_warnings(keys)]
        if record["expected_forecast_bias"]:
            record["facts"]["forecast_judged_in"] = judged
        if {"keeper", "misser"} & set(keys):
            record["facts"]["commitments_from"] = first_week.isoformat()
    truth["loop"] = {
        "reps": len(loop.reps),
        "forecast_judged_in": judged,
        "commitments_from": first_week.isoformat(),
    }


def _write_ground_truth(
    plan: OrganisationPlan,
    path: Path,
    sales: dict[str, object] | None,
    loop: LoopPlan | None = None,
) -> None:
    truth = plan.ground_truth()
    if sales is not None:
        truth["sales_data"] = sales
    if loop is not None:
        this_week = DEMO_CALENDAR.period(Kind.WEEK, plan.today).start
        _loop_truth(truth, plan, loop, this_week - timedelta(weeks=COMMITMENT_WEEKS))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n")


def _create_time_off(plan: OrganisationPlan) -> None:
    """A little time off to come, so the demo shows it: the demo rep's week of holiday
    three weeks on, and two days of a course for another steady rep next week. Both lie
    ahead, so the activity behind the planted archetypes is judged as it was drawn."""
    monday = plan.today + timedelta(days=7 - plan.today.weekday())
    steady = [p for p in plan.people if p.archetype == "steady" and p.email != REP_EMAIL]
    spans = [(REP_EMAIL, monday + timedelta(weeks=2), 4, "Holiday")]
    if steady:
        spans.append((steady[0].email, monday + timedelta(days=3), 1, "Training course"))
    people = {p.email: p for p in Person.objects.filter(email__in=[s[0] for s in spans])}
    for email, first, extra_days, note in spans:
        if email in people:
            time_off_record(
                actor=None,
                person=people[email],
                first_day=first,
                last_day=first + timedelta(days=extra_days),
                note=note,
            )


def _write_plan(
    plan: OrganisationPlan, progress: Callable[[int, int], None]
) -> list[tuple[str, str, str]]:
    """Store the plan (the caller holds the transaction); returns the demo logins
    as (role, email, password)."""
    _check_empty()
    total = len(plan.people)
    organisation = organisation_update(
        actor=None,
        name=plan.company,
        currency="USD",
        fiscal_year_start_month=DEMO_CALENDAR.fiscal_year_start_month,
        week_start_day=DEMO_CALENDAR.week_start,
        working_days=sorted(DEMO_CALENDAR.working_days),
    )
    teams = _create_teams(plan)
    done = len(_create_leaders(plan, teams))
    progress(done, total)

    def on_batch(count: int) -> None:
        nonlocal done
        done += count
        progress(done, total)

    _bulk_create_reps([p for p in plan.people if p.role == Role.REP], teams, on_batch)
    _assign_managers(plan, teams)
    _create_time_off(plan)
    logins = _set_login_passwords(plan)
    audit_record(
        actor=None,
        action="demo.generate",
        obj=organisation,
        after={"seed": plan.seed, "people": total, "today": plan.today.isoformat()},
    )
    return logins


def generate_demo(
    *,
    seed: int = 7,
    people: int = 24,
    today: date | None = None,
    ground_truth_path: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    sales_data: bool = True,
    weeks: int = DEFAULT_WEEKS,
    activities_per_rep_week: float | None = None,
) -> DemoResult:
    """Create the demo organisation and its sales data in an empty database, and
    write its ground truth.

    `people` counts everyone created (admin, executive, managers and reps,
    the four demo logins included). With `sales_data` (the default) every rep
    gets `weeks` weeks of activities up to `today`, the deals behind them,
    feedback and quarterly targets, and then their weekly forecast calls,
    commitments and check-ins (`accountable.demo.loop`; in a very large
    organisation, the first teams' reps only); `activities_per_rep_week` asks for more
    (or fewer) activities than the realistic 60-odd, for benchmarks.
    `progress(done, total)` counts people stored, then reps given their data.
    Raises DemoError, with a readable message, if the database already holds
    people or teams, or `people` or `weeks` is too small.
    """
    today = today or timezone.localdate()
    path = Path(ground_truth_path or settings.VAR_DIR / "demo-ground-truth.json")
    if sales_data and weeks < MIN_WEEKS:
        raise DemoError(
            f"The demo needs at least {MIN_WEEKS} weeks of sales data; {weeks} were asked for."
        )
    plan = plan_organisation(seed=seed, people=people, today=today)
    reps = sum(1 for person in plan.people if person.role == Role.REP)
    total = len(plan.people) + (reps if sales_data else 0)
    report = progress or (lambda done, total: None)
    seconds: dict[str, float] = {}
    sales: dict[str, int] = {}
    sales_truth: dict[str, object] | None = None
    loop: LoopPlan | None = None
    loop_counts: dict[str, int] = {}
    with transaction.atomic():
        started = time.perf_counter()
        logins = _write_plan(plan, lambda done, _people: report(done, total))
        seconds["organisation"] = round(time.perf_counter() - started, 3)
        if sales_data:
            started = time.perf_counter()
            sales = sales_data_create(
                plan,
                calendar=DEMO_CALENDAR,
                weeks=weeks,
                activities_per_rep_week=activities_per_rep_week,
                progress=lambda done: report(len(plan.people) + done, total),
            )
            seconds["sales_data"] = round(time.perf_counter() - started, 3)
            # The sales data went in set-based, past the write path that keeps the
            # scorecards' rollups: compute them once, in the same transaction.
            started = time.perf_counter()
            rollups.rebuild()
            seconds["rollups"] = round(time.perf_counter() - started, 3)
            window = SalesWindow(today=today, weeks=weeks, calendar=DEMO_CALENDAR)
            # The accountability loop reads the sales data as the board does: after
            # the rollups.
            started = time.perf_counter()
            loop = loop_plan(plan)
            loop_counts = loop_data_create(
                plan, loop, calendar=DEMO_CALENDAR, history_from=window.activities_from
            )
            seconds["loop"] = round(time.perf_counter() - started, 3)
            sales_truth = {
                "activities_from": window.activities_from.isoformat(),
                "deals_from": window.deals_from.isoformat(),
                "weeks": weeks,
                "activities_per_rep_week": activities_per_rep_week,
            }
        # Inside the transaction: if the file cannot be written, nothing is kept.
        _write_ground_truth(plan, path, sales_truth, loop)
    return DemoResult(
        organisation=plan.company,
        teams_by_kind=dict(Counter(str(team.kind) for team in plan.teams)),
        people_by_role=dict(Counter(str(person.role) for person in plan.people)),
        logins=logins,
        ground_truth={p.email: p.archetype for p in plan.people if p.archetype},
        ground_truth_path=path,
        seed=seed,
        today=today,
        sales=sales,
        seconds=seconds,
        loop=loop_counts,
        habits=dict(loop.habits) if loop else {},
    )
