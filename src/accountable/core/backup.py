"""Backups of the whole database, and restores from them (`accountable backup` and
`accountable restore`).

A backup is one file holding everything the product keeps: the organisation, the
sales data, targets, warnings, the audit trail, the task queue and the scorecards'
rollups (so a restored database needs no rebuild). Its kind follows the database:

- SQLite: a copy of the database file made with SQLite's online backup API, so the
  web server and the worker keep reading and writing while it is taken; the copy is
  a consistent snapshot, a plain SQLite file (no `-wal` beside it).
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean
  --if-exists --no-owner` in one transaction, so a failed restore changes nothing.
  The connection settings come from `DATABASES` through libpq's environment
  variables (the password in `PGPASSWORD`), never on the command line.

Before a restore the file is checked: it must be a backup of this database's kind,
made by Accountable, and by a version whose migrations this one knows. A file that
fails the check changes nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.dispatch import Signal
from django.template.defaultfilters import filesizeformat

from accountable.core.planner import planner_statistics_refresh

__all__ = [
    "BackupError",
    "BackupFile",
    "backup_inspect",
    "backup_restore",
    "backup_write",
    "database_describe",
]

# Sent once a restore has replaced the database: an app that keeps anything read from
# it in memory (the organisation's time zone, `org.zone`) forgets it.
restored = Signal()

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"  # the first bytes of every pg_dump custom-format archive
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Present in every Accountable database since its first migration: the people.
OUR_APP = "org"


class BackupError(Exception):
    """A backup that cannot be taken or a file that cannot be restored; the message
    says why in words an operator can act on."""


@dataclass(frozen=True)
class BackupFile:
    """A backup on disk, checked: its kind (`sqlite` or `postgresql`), its size, and
    the migrations this version has that the backup predates (`accountable migrate`
    applies them after the restore)."""

    path: Path
    kind: str
    size: int
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def size_text(size: int) -> str:
    """`1.2 MB`: a file's size for people."""
    return str(filesizeformat(size)).replace("\xa0", " ")


def _kind() -> str:
    """This database's kind; backups exist for the two the product supports."""
    if connection.vendor not in KINDS:
        raise BackupError(
            f"Backups cover SQLite and PostgreSQL; this database is {connection.vendor}."
        )
    return connection.vendor


def database_describe() -> str:
    """Which database a backup reads or a restore replaces, for messages."""
    settings = connection.settings_dict
    if _kind() == "sqlite":
        return f"the SQLite database {settings['NAME']}"
    where = settings.get("HOST") or "the local server"
    if settings.get("PORT"):
        where = f"{where}:{settings['PORT']}"
    return f"the PostgreSQL database {settings['NAME']} on {where}"


# --- writing a backup -----------------------------------------------------------------


def backup_write(path: Path) -> BackupFile:
    """Write a backup of the whole database to `path` and return it.

    The backup is written beside `path` under a temporary name and moved into place
    when complete, so `path` never holds half a backup (an older file there is
    replaced only then). It is readable by its owner only: it holds password hashes.
    """
    kind = _kind()
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the name of the file to write.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    with _partial_file(path) as partial:
        if kind == "sqlite":
            _sqlite_backup(partial)
        else:
            _pg_dump(partial)
        partial.replace(path)
    return BackupFile(path=path, kind=kind, size=path.stat().st_size)


@contextmanager
def _partial_file(path: Path) -> Iterator[Path]:
    """An empty file (mode 600) beside `path`, removed unless it was moved into place."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _raw_sqlite() -> sqlite3.Connection:
    """Django's own connection to the database, outside any transaction."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A backup or restore cannot run inside a transaction.")
    return connection.connection


def _sqlite_backup(target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        # All pages in one step: a consistent snapshot, taken under a read lock that
        # (in WAL mode) lets the server and the worker go on writing meanwhile.
        _raw_sqlite().backup(copy, pages=-1)
        # The copy inherits WAL mode; a backup should be one self-contained file.
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}") from error
    finally:
        copy.close()


def _pg_environment() -> dict[str, str]:
    """libpq's variables for Django's connection: host, port, user, database, and the
    password, TLS and service options as Django's own `dbshell` passes them."""
    settings = connection.settings_dict
    _, extra = DatabaseClient.settings_to_cmd_args_env(settings, [])
    env = {**os.environ, **(extra or {})}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on the PATH: install the PostgreSQL client tools "
            f"(e.g. the postgresql-client package) of the server's major version or newer."
        )
    return found


def _pg_run(args: list[str], *, what: str, then: str = "") -> str:
    result = subprocess.run(  # noqa: S603 - our own fixed arguments, no shell
        args, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail} {then}".strip())
    return result.stdout


def _pg_dump(target: Path) -> None:
    _pg_run(
        [_pg_tool("pg_dump"), "--format=custom", f"--file={target}"],
        what="pg_dump",
    )


# --- checking a file before a restore -------------------------------------------------


def _file_kind(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def backup_inspect(path: Path) -> BackupFile:
    """Check that `path` is an Accountable backup this database can be restored from,
    without changing anything; raise BackupError saying why not."""
    kind = _kind()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    size = path.stat().st_size
    found = _file_kind(path)
    if found is None:
        raise BackupError(
            f"{path} is not a backup: it is neither a SQLite database nor a pg_dump "
            f"custom-format archive. Nothing was changed."
        )
    if found != kind:
        raise BackupError(
            f"{path} is a {KINDS[found]} backup, but this is a {KINDS[kind]} database. "
            f"Nothing was changed."
        )
    applied = _sqlite_migrations(path) if kind == "sqlite" else _pg_migrations(path)
    if not any(app == OUR_APP for app, _ in applied):
        raise BackupError(
            f"{path} is a {KINDS[kind]} backup, but not of an Accountable database. "
            f"Nothing was changed."
        )
    unknown, pending = migrations_compare(applied, _known_migrations())
    if unknown:
        raise BackupError(
            f"{path} comes from a newer version of Accountable (it has migrations this "
            f"version does not know: {', '.join(unknown[:5])}"
            f"{', …' if len(unknown) > 5 else ''}). Upgrade first. Nothing was changed."
        )
    return BackupFile(path=path, kind=kind, size=size, pending_migrations=pending)


def _known_migrations() -> dict[str, set[str]]:
    """The migrations this version ships, per installed app that has any."""
    known: dict[str, set[str]] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations:
        known.setdefault(app, set()).add(name)
    return known


def migrations_compare(
    applied: set[tuple[str, str]], known: dict[str, set[str]]
) -> tuple[list[str], list[str]]:
    """(`unknown`, `pending`): the backup's migrations of our apps that this version
    does not have (a backup from a newer version), and this version's migrations the
    backup has not applied (an older backup: `migrate` after the restore). Apps this
    version no longer has are neither."""
    unknown = sorted(
        f"{app}.{name}" for app, name in applied if app in known and name not in known[app]
    )
    pending = sorted(
        f"{app}.{name}"
        for app, names in known.items()
        for name in names
        if (app, name) not in applied
    )
    return unknown, pending


def _sqlite_migrations(path: Path) -> set[tuple[str, str]]:
    try:
        source = _sqlite_open(path)
    except sqlite3.Error as error:
        raise BackupError(
            f"{path} cannot be read as SQLite: {error}. Nothing was changed."
        ) from error
    try:
        (verdict,) = source.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"{path} is damaged ({verdict}). Nothing was changed.")
        rows = source.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            return set()  # a SQLite database, but not a Django one
        raise BackupError(
            f"{path} cannot be read as SQLite: {error}. Nothing was changed."
        ) from error
    finally:
        source.close()
    return {(app, name) for app, name in rows}


def _sqlite_open(path: Path) -> sqlite3.Connection:
    """The backup, opened read-only: checking or restoring it never changes it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _pg_migrations(path: Path) -> set[tuple[str, str]]:
    """The applied migrations recorded in a pg_dump archive (its `django_migrations`
    rows, read from the archive without a database)."""
    script = _pg_run(
        [
            _pg_tool("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(path),
        ],
        what=f"Reading {path}",
        then="Nothing was changed.",
    )
    applied: set[tuple[str, str]] = set()
    columns: list[str] | None = None
    for line in script.splitlines():
        if columns is None:
            if line.startswith("COPY ") and "django_migrations" in line:
                columns = [name.strip() for name in line.split("(", 1)[1].split(")")[0].split(",")]
            continue
        if line == "\\.":
            break
        values = dict(zip(columns, line.split("\t"), strict=False))
        applied.add((values["app"], values["name"]))
    return applied


# --- restoring --------------------------------------------------------------------------


def backup_restore(backup: Path | BackupFile) -> BackupFile:
    """Replace everything in the database with a backup: a path (checked first), or a
    file `backup_inspect` has just checked.

    SQLite copies the backup in with the backup API, the way it was taken: one step
    under a write lock, so a server and worker still running wait for it rather than
    see half a database. PostgreSQL drops and recreates each table in one
    transaction. Afterwards nothing this process remembers of the old data is kept:
    the cache (scorecard answers and pages), content types and the organisation's
    time zone; and the query planner's statistics are refreshed.
    """
    if not isinstance(backup, BackupFile):
        backup = backup_inspect(backup)
    if backup.kind == "sqlite":
        _sqlite_restore(backup.path)
    else:
        _pg_restore(backup.path)
    _forget_old_data()
    return backup


def _sqlite_restore(path: Path) -> None:
    target = _raw_sqlite()
    source = _sqlite_open(path)
    try:
        source.backup(target, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore {path}: {error}") from error
    finally:
        source.close()


def _pg_restore(path: Path) -> None:
    # Django's session holds no lock now, but its cached plans and type information
    # belong to the tables about to be dropped: the next query opens a new session.
    connection.close()
    _pg_run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        what="pg_restore",
        then="It ran in one transaction: the database is as it was.",
    )


def _forget_old_data() -> None:
    # The scorecard cache keys answers by a fingerprint of the highest ids; after
    # going back in time those ids are handed out again, so old answers could match.
    cache.clear()
    ContentType.objects.clear_cache()
    planner_statistics_refresh(bulk=True)
    restored.send(sender=None)  # what the apps kept of the old data, they forget
