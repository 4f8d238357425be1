"""`accountable rights`: the three rights per rep — right thing, right way, right time.

accountable rights --as-of 2026-08-17
accountable rights --person rep@acme.test --format table
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accountable.signals.commandline import (
    add_common,
    as_of_from,
    organisation_viewer,
    person_from,
    write,
)
from accountable.signals.selectors import assessment_list


class Command(BaseCommand):
    help = "Assess the three rights (thing, way, time) per rep: pass, warn, fail or unknown."

    def add_arguments(self, parser):
        add_common(parser)

    def handle(self, *args, as_of, format, person, **options):
        day = as_of_from(as_of)
        found = assessment_list(organisation_viewer(), as_of=day, person=person_from(person))
        rows = [
            {"person": a.figures.email, "period": a.period, **a.rights.as_dict()} for a in found
        ]
        if format == "table":
            rows = [
                {
                    "person": row["person"],
                    "period": row["period"],
                    "thing": row["right_thing"]["status"],
                    "way": row["right_way"]["status"],
                    "time": row["right_time"]["status"],
                }
                for row in rows
            ]
        write(
            self.stdout,
            rows,
            format,
            [("person", 30), ("period", 8), ("thing", 8), ("way", 8), ("time", 0)],
        )
