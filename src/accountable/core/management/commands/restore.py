"""`accountable restore FILE`: replace everything in the database with a backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountable.core.backup import BackupError, backup_inspect, backup_restore, database_describe


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup written by `accountable backup`. "
        "The file is checked first; one of the wrong kind changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            "--yes",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file: Path, interactive: bool, **options):
        try:
            target = database_describe()
            backup = backup_inspect(file)
            if interactive:
                self._confirm(f"{backup.path} ({backup.size_text})", target)
            backup_restore(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {target} from {backup.path} ({backup.size_text}, {backup.size:,} bytes)."
        )
        if backup.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(backup.pending_migrations)} migration(s) of "
                    f"this version: run `accountable migrate` now."
                )
            )

    def _confirm(self, backup: str, target: str) -> None:
        answer = input(
            f"This replaces everything in {target} with the backup {backup}.\n"
            f"Type 'yes' to continue, or anything else to stop: "
        )
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled: nothing was changed.")
