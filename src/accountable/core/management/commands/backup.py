"""`accountable backup FILE`: the whole database in one file, taken while it runs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountable.core.backup import BackupError, backup_write, database_describe


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to FILE: a SQLite copy made with the online "
        "backup API, or a pg_dump custom-format archive on PostgreSQL. The server and the "
        "worker may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write the backup.")

    def handle(self, *args, file: Path, **options):
        try:
            source = database_describe()
            backup = backup_write(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {source} to {backup.path} ({backup.size_text}, {backup.size:,} bytes)."
        )
