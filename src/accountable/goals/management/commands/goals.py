"""`accountable goals`: a person's goals with their progress and, for a revenue or deals
goal, the funnel worked back from what is still to go — the same selectors as the
person's goals page (`goal_progress`, `funnel_plan_for`).

    accountable goals --person rep@acme.test
    accountable goals --person rep@acme.test --as-of 2026-08-14 --format json

`--viewer` is whose view it is (default: the first admin); a person out of their
reach is an error, as on the page.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from accountable.goals.management.commands.targets import _actor
from accountable.goals.selectors import funnel_plan_for, goal_list, goal_progress, person_get
from accountable.org.models import Person

FUNNEL_METRICS = ("revenue", "deals_won")


def _text(value) -> str | None:
    return None if value is None else str(value)


def goal_report(viewer: Person, person: Person, today: date) -> list[dict]:
    """Each of the person's goals the viewer may see: progress, and the funnel's plan."""
    report = []
    for goal in goal_list(viewer, person=person).order_by("period_start", "pk"):
        progress = goal_progress(goal, today=today)
        item = {
            "goal": str(goal),
            "metric": goal.metric,
            "period": goal.period,
            "target": _text(goal.target_value),
            "actual": _text(progress.actual),
            "attained_percent": progress.percent,
            "pace_percent": progress.expected_percent,
            "higher_is_better": progress.higher_is_better,
            "note": progress.note,
        }
        if goal.metric in FUNNEL_METRICS and goal.period:
            measures = funnel_plan_for(goal, today=today)
            item["funnel"] = {
                "period": measures.period,
                "target": _text(measures.target),
                "too_late": bool(measures.timing and measures.timing.too_late),
                "timing": measures.timing.words if measures.timing else "",
                "weeks": _text(measures.weeks),
                "stages": [
                    {
                        "stage": stage.key,
                        "label": stage.label,
                        "total": stage.total,
                        "done": stage.done,
                        "still_needed": stage.remaining,
                        "per_week": stage.per_week,
                        "rate_from": source,
                    }
                    for stage, source in measures.rows
                ],
                "explanation": measures.plan.explanation,
            }
        report.append(item)
    return report


class Command(BaseCommand):
    help = "A person's goals: progress against target and the funnel to reach them."

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="The person's e-mail.")
        parser.add_argument("--viewer", default="", help="Whose view (default: an admin).")
        parser.add_argument("--as-of", default="", help="The day to read to (YYYY-MM-DD).")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, person, viewer, as_of, format, **options):
        who = _actor(viewer)
        try:
            today = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f'Write the day as YYYY-MM-DD, not "{as_of}".') from None
        found = Person.objects.filter(email__iexact=person.strip()).first()
        if found is None:
            raise CommandError(f'No person with the e-mail "{person}".')
        try:
            subject = person_get(who, found.pk)
        except Http404:
            raise CommandError(f"{who} may not see {found}.") from None
        report = goal_report(who, subject, today)
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2))
            return
        if not report:
            self.stdout.write(f"{subject} has no goals.")
        for item in report:
            attained = (
                f"{item['attained_percent']}% attained"
                if item["attained_percent"] is not None
                else f"no figure yet: {item['note']}"
                if item["note"]
                else "not computed"
            )
            pace = f", pace {item['pace_percent']}%" if item["pace_percent"] is not None else ""
            self.stdout.write(f"{item['goal']}: {item['actual'] or '—'} · {attained}{pace}")
            funnel = item.get("funnel")
            if funnel:
                if funnel["timing"]:
                    self.stdout.write(f"  {funnel['timing']}")
                self.stdout.write(f"  Plan for {funnel['period']}:")
                for stage in funnel["stages"]:
                    total = "—" if stage["total"] is None else stage["total"]
                    per_week = "—" if stage["per_week"] is None else stage["per_week"]
                    self.stdout.write(
                        f"    {stage['label']:<18} {total!s:>6} in the period, "
                        f"{per_week!s:>5} a week ({stage['rate_from']})"
                    )
                self.stdout.write(f"  {funnel['explanation']}")
