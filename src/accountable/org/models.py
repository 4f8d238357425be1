"""The organisation: its settings, the team tree, and the people in it.

People are the product's users (AUTH_USER_MODEL): a rep imported from a CRM
is a Person without a usable password until someone invites them.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accountable.org.calendar import FiscalCalendar
from accountable.org.holidays import days_off


class Role(models.TextChoices):
    """What a person does, which decides what they may see (SPEC "Who uses it")."""

    ADMIN = "admin", "Admin"
    EXECUTIVE = "executive", "Executive"
    MANAGER = "manager", "Manager"
    REP = "rep", "Rep"
    # Kept for the consequence ladder: someone moved to a role outside sales
    # keeps their history but no longer carries a quota.
    OUTSIDE_SALES = "outside_sales", "Outside sales"


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Organisation(models.Model):
    """The one organisation this installation serves, with its fiscal calendar."""

    name = models.CharField(max_length=200, default="Our company")
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. EUR.")
    time_zone = models.CharField(max_length=64, default="UTC")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    week_start_day = models.PositiveSmallIntegerField(
        default=0,
        choices=list(enumerate(WEEKDAYS)),
        validators=[MinValueValidator(0), MaxValueValidator(6)],
    )
    # Weekday numbers, Monday = 0. Pace and run rates count only these days.
    working_days = models.JSONField(default=list)
    # Days off besides the weekend (`org.holidays`): a country's public holidays (ISO
    # code, and a region's where it has its own), and the organisation's own days as
    # [{"day": "2026-12-24", "name": "Christmas Eve"}, …].
    holiday_country = models.CharField(max_length=3, blank=True, default="")
    holiday_subdivision = models.CharField(max_length=10, blank=True, default="")
    own_days_off = models.JSONField(default=list, blank=True)
    # How imports read a date such as 3/4/2026 when nothing in the file settles it
    # (`imports.date_order`); blank: such dates are rejected.
    date_order = models.CharField(
        "Dates in imported files",
        max_length=9,
        blank=True,
        default="",
        choices=[
            ("", "Decided by each file (reject dates nothing in it settles)"),
            ("day/month", "Day/month, as in 28/4/2026"),
            ("month/day", "Month/day, as in 4/28/2026"),
        ],
        help_text="Only for a file none of whose dates has a day over 12: any such date "
        "settles the order of the whole file.",
    )

    class Meta:
        verbose_name = "organisation"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.working_days:
            self.working_days = [0, 1, 2, 3, 4]
        super().save(*args, **kwargs)

    @property
    def calendar(self) -> FiscalCalendar:
        """The fiscal calendar, its working days net of the days off."""
        return FiscalCalendar(
            fiscal_year_start_month=self.fiscal_year_start_month,
            week_start=self.week_start_day,
            working_days=frozenset(self.working_days or [0, 1, 2, 3, 4]),
            holidays=frozenset(self.days_off()),
        )

    def days_off(self) -> dict[date, str]:
        """Every day off the calendar counts, with its name (public and own)."""
        return days_off(
            self.holiday_country,
            self.holiday_subdivision,
            self.own_days_off or [],
            timezone.localdate(),
        )

    @property
    def working_day_names(self) -> list[str]:
        return [WEEKDAYS[day] for day in sorted(self.working_days)]


class TeamKind(models.TextChoices):
    COMPANY = "company", "Company"
    REGION = "region", "Region"
    TEAM = "team", "Team"


def path_ids(path: str | None) -> list[int]:
    """The team ids of a materialised path (`Team.path`, "/1/5/9/"), from the root down
    to the team itself."""
    return [int(part) for part in (path or "").strip("/").split("/") if part]


class TeamQuerySet(models.QuerySet):
    def subtree_of(self, teams) -> TeamQuerySet:
        """These teams and every team below them, by materialised path: one prefix for
        each of them not already below another (the whole tree's teams are one)."""
        condition = models.Q(pk__in=[])
        tops: list[str] = []
        # Sorted, the paths below one follow it: each is kept unless the last kept is its prefix.
        for path in sorted({team.path for team in teams}):
            if not tops or not path.startswith(tops[-1]):
                tops.append(path)
                condition |= models.Q(path__startswith=path)
        return self.filter(condition)


class Team(models.Model):
    """A node of the team tree: the company, a region, or a selling team.

    `path` holds the ids from the root down (`/1/4/9/`) so a manager's whole
    subtree is one indexed prefix query.
    """

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=TeamKind.choices, default=TeamKind.TEAM)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    managers = models.ManyToManyField("org.Person", blank=True, related_name="managed_teams")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="team_name_unique_ci")
        ]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.pk}/"

    def ancestors(self) -> list[Team]:
        ids = path_ids(self.path)[:-1]
        by_id = Team.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: Team) -> bool:
        return self.path.startswith(other.path)


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Person:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("name", email.split("@")[0])
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone in the sales organisation, and a user of the product.

    `start_date` drives new-hire ramp; `left_on` ends their time in the
    organisation without deleting anything they did.
    """

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    start_date = models.DateField(default=date.today)
    left_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_staff(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def initials(self) -> str:
        parts = [part for part in self.name.split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or self.email[:2].upper()


class PersonChange(models.Model):
    """One change of a person's role or team, kept forever (the career history).

    A move to a role outside sales is recorded here like any other move.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    effective_on = models.DateField()
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    to_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    from_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_on", "-changed_at"]
        indexes = [models.Index(fields=["person", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.person} on {self.effective_on}"


class TimeOff(models.Model):
    """Days a person is away — holiday, leave, sickness, a course — from `first_day`
    through `last_day` inclusive. They are not working days for that person: their pace,
    expected-to-date, required weekly rate and the activity the warnings expect of them
    count their working days net of these (`org.time_off`). Spans of one person never
    overlap (`services.time_off_record` refuses that)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["first_day", "person__name"]
        verbose_name = "time off"
        verbose_name_plural = "time off"
        indexes = [models.Index(fields=["person", "first_day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="time_off_last_day_not_before_first",
            )
        ]

    def __str__(self) -> str:
        def day(on: date) -> str:
            return f"{on:%a} {on.day} {on:%b %Y}"

        if self.first_day == self.last_day:
            return f"{self.person} off on {day(self.first_day)}"
        return f"{self.person} off from {day(self.first_day)} to {day(self.last_day)}"

    @property
    def days(self) -> int:
        """Calendar days in the span."""
        return (self.last_day - self.first_day).days + 1
