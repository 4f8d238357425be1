"""`accountable packet`: a person's review packet for a period, as a PDF file.

    accountable packet --person rep@acme.test --period 2026-Q4 --out rita-q4.pdf
    accountable packet --person rep@acme.test --period 2026-11 --as-of 2026-11-20 --out n.pdf
    accountable packet --person rep@acme.test --period 2026 --out year.pdf --private

The same packet as the page and its PDF button, read as the organisation sees it (an
admin's view). Private check-in notes only with `--private`, and the packet then says on
every page that it is for the manager chain only. Bad input exits with status 2 and a
message, and writes nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountable.org.calendar import PeriodError
from accountable.org.services import organisation_get
from accountable.packets.pdf import packet_pdf
from accountable.packets.selectors import packet_get, packet_span
from accountable.signals.commandline import organisation_viewer, person_from


class Command(BaseCommand):
    help = "Write a person's review packet for a period as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="Whose packet (an e-mail).")
        parser.add_argument("--period", required=True, help="2026-Q4, 2026-11, 2026 or 2026-W45")
        parser.add_argument(
            "--as-of", default="", help="YYYY-MM-DD (default: today, or a past period's end)"
        )
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--private",
            action="store_true",
            help="Include private check-in notes (for the manager chain only).",
        )

    def handle(self, *args, person, period, as_of, out, private, **options):
        who = person_from(person)
        target = Path(out)
        if target.suffix.lower() != ".pdf":
            raise CommandError(f'Write the packet to a .pdf file, not "{out}".')
        if not target.parent.is_dir():
            raise CommandError(f"No folder {target.parent} to write {target.name} in.")
        try:
            chosen, day = packet_span(
                organisation_get().calendar, period, as_of, timezone.localdate()
            )
        except PeriodError as error:
            raise CommandError(str(error)) from None
        started = time.monotonic()
        packet = packet_get(organisation_viewer(), who, period=chosen, as_of=day, private=private)
        data = packet_pdf(packet)
        target.write_bytes(data)
        took = time.monotonic() - started
        self.stdout.write(
            f"Wrote {target} ({len(data) // 1024} KB): {who.name}, {chosen.label} as of "
            f"{day:%d %b %Y}, in {took:.1f} s."
        )
