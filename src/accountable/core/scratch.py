"""Running a command against a throw-away database, never the real one.

`accountable bench` and `accountable evaluate` both fill a database with a
generated organisation: they re-run themselves in a child process whose
`DATABASE_URL` points at a scratch database (SQLite in a temporary folder, or a
database created and dropped on a PostgreSQL server), with a flag in the
environment so the child knows it is the scratch run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import CommandError

__all__ = ["in_scratch", "rerun_in_scratch", "scratch_database"]


def in_scratch(flag: str) -> bool:
    """True inside the child process started by `rerun_in_scratch(flag=…)`."""
    return os.environ.get(flag) == "1"


@contextmanager
def scratch_database(postgres: str, folder: str) -> Iterator[str]:
    """The URL of an empty database that is gone afterwards."""
    if not postgres:
        yield f"sqlite:///{folder}/scratch.sqlite3"
        return
    import psycopg

    name = f"accountable_scratch_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(postgres)
    try:
        admin = psycopg.connect(postgres, autocommit=True)
    except psycopg.Error as error:
        raise CommandError(f"Cannot reach PostgreSQL at {postgres}: {error}") from error
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rerun_in_scratch(
    command: str, argv: Sequence[str], *, flag: str, postgres: str = "", what: str = ""
) -> None:
    """Re-run `accountable <command> <argv>` in a child process bound to a scratch
    database and var folder; raise CommandError if it fails."""
    with (
        tempfile.TemporaryDirectory(prefix=f"accountable-{command}-") as folder,
        scratch_database(postgres, folder) as url,
    ):
        env = {**os.environ, flag: "1", "ACCOUNTABLE_VAR_DIR": folder, "DATABASE_URL": url}
        code = subprocess.call(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "accountable", command, *argv], env=env
        )
    if code:
        raise CommandError(f"{what or command} failed (exit {code})")
