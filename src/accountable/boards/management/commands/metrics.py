"""`accountable metrics`: the glossary of every figure, as docs/metrics.md holds it."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accountable.boards.glossary import glossary_markdown


class Command(BaseCommand):
    help = "Print what every metric and figure means (the text of docs/metrics.md)."

    def handle(self, *args, **options):
        self.stdout.write(glossary_markdown(), ending="")
