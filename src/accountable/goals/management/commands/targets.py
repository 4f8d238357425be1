"""`accountable targets split|allocate`: the targets grid's split and allocate, from the shell.

    accountable targets split --owner north@acme.test --metric revenue --year 2026 \\
        --method working_days --into quarter --actor admin@acme.test
    accountable targets allocate --team "North Field" --metric revenue --period 2026-Q3 \\
        --method even --actor manager@acme.test --format json

`--actor` is the person the change is recorded against in the audit trail (default:
the first admin); the same rules apply as on the page.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from accountable.goals import services
from accountable.goals.errors import GoalsError
from accountable.goals.selectors import allocation_status
from accountable.org.models import Person, Role, Team


def _actor(email: str) -> Person:
    if email:
        person = Person.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f'No person with the e-mail "{email}".')
        return person
    person = Person.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if person is None:
        raise CommandError("There is no admin to act as; pass --actor EMAIL.")
    return person


def _owner(text: str) -> Person | Team:
    text = text.strip()
    found = (
        Person.objects.filter(email__iexact=text).first()
        or Team.objects.filter(name__iexact=text).first()
    )
    if found is None:
        raise CommandError(f'No person with the e-mail or team called "{text}".')
    return found


class Command(BaseCommand):
    help = "Split a target into periods, or allocate a team target to its people."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        split = sub.add_parser(
            "split", help="Split a yearly target into quarters, months or weeks."
        )
        split.add_argument("--owner", required=True, help="A person's e-mail or a team's name.")
        split.add_argument("--year", required=True, help="The period to split, e.g. 2026.")
        split.add_argument(
            "--method", default="even", choices=["even", "working_days", "seasonality"]
        )
        split.add_argument("--into", default="quarter", choices=["quarter", "month", "week"])
        allocate = sub.add_parser("allocate", help="Allocate a team target to its active reps.")
        allocate.add_argument("--team", required=True)
        allocate.add_argument("--period", required=True)
        allocate.add_argument("--method", default="even", choices=["even", "share"])
        ramp = sub.add_parser("ramp", help="Show or set the new-hire ramp (admins).")
        ramp.add_argument("--set", default="", help="Monthly fractions, e.g. 0.25,0.5,0.75")
        for p in (split, allocate, ramp):
            p.add_argument("--metric", default="revenue")
            p.add_argument("--actor", default="", help="Who is making the change (an e-mail).")
            p.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, metric, actor, format, **options):
        who = _actor(actor)
        try:
            if action == "ramp":
                if options["set"]:
                    try:
                        steps = [float(x) for x in options["set"].split(",") if x.strip()]
                    except ValueError:
                        given = options["set"]
                        raise CommandError(
                            f'Write the ramp as fractions, e.g. 0.25,0.5,0.75, not "{given}".'
                        ) from None
                    services.ramp_set(actor=who, ramp=steps)
                ramp = services.ramp_get()
                if format == "json":
                    self.stdout.write(json.dumps({"ramp": ramp}))
                else:
                    months = ", ".join(f"month {i}: {s:.0%}" for i, s in enumerate(ramp, 1))
                    self.stdout.write(f"New-hire ramp: {months or 'none'}; full quota after.")
                return
            if action == "split":
                result = services.target_split(
                    actor=who,
                    owner=_owner(options["owner"]),
                    metric=metric,
                    year_label=options["year"],
                    method=options["method"],
                    into=options["into"],
                )
                targets, note, status = result.targets, result.note, None
            else:
                team = _owner(options["team"])
                if not isinstance(team, Team):
                    raise CommandError(f'"{options["team"]}" is not a team.')
                result = services.target_allocate(
                    actor=who,
                    team=team,
                    metric=metric,
                    period_label=options["period"],
                    method=options["method"],
                )
                targets, note = result.targets, result.note
                status = allocation_status(
                    team, result.team_target.metric, result.team_target.period
                )
        except GoalsError as error:
            raise CommandError(str(error)) from error
        rows = [
            {
                "owner": str(t.owner),
                "period": t.period,
                "metric": t.metric,
                "value": f"{t.value:.2f}",
            }
            for t in targets
        ]
        if format == "json":
            out = {"targets": rows, "note": note}
            if status is not None:
                out["allocation"] = status.status
                out["difference"] = f"{status.difference:.2f}"
            self.stdout.write(json.dumps(out))
            return
        for row in rows:
            self.stdout.write(f"{row['owner']:<28} {row['period']:<10} {row['value']:>16}")
        if note:
            self.stdout.write(note)
        if status is not None:
            self.stdout.write(f"Allocation: {status.words}")
