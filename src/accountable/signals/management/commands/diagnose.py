"""`accountable diagnose`: the most likely cause per rep, the effort, and a next step.

accountable diagnose --as-of 2026-08-17
accountable diagnose --person rep@acme.test --format table
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
    help = "Diagnose each rep: prospecting, conversion, deal size, cycle, none or unknown; effort."

    def add_arguments(self, parser):
        add_common(parser)

    def handle(self, *args, as_of, format, person, **options):
        day = as_of_from(as_of)
        found = assessment_list(organisation_viewer(), as_of=day, person=person_from(person))
        rows = [
            {
                "person": a.figures.email,
                "period": a.period,
                "cause": a.diagnosis.cause,
                "effort": a.diagnosis.effort,
                "message": a.diagnosis.message,
                "next_step": a.diagnosis.next_step,
            }
            for a in found
        ]
        write(
            self.stdout,
            rows,
            format,
            [("person", 30), ("period", 8), ("cause", 12), ("effort", 8), ("message", 0)],
        )
