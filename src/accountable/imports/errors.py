"""The import pipeline's errors: values with a message a person can act on.

`ImportFileError` means the file (or batch) as a whole cannot be imported —
empty, unreadable, missing a required column — and nothing was written.
`RowError` is one row's reason for being rejected; it never escapes the pipeline:
rejected rows are collected, reported with their line numbers and kept as a CSV.
"""

from __future__ import annotations

# What a run keeps of a message (an error, a warning, a rejected row's reason): enough
# to read, never the 512 MB cell a hostile file quoted into it.
MESSAGE_MAX_CHARS = 500


def clipped(message: str, limit: int = MESSAGE_MAX_CHARS) -> str:
    """`message` cut to at most `limit` characters, ending in "…" when it was cut."""
    message = str(message)
    if len(message) <= limit:
        return message
    return message[: limit - 1].rstrip() + "…"


class ImportFileError(ValueError):
    """The whole file or batch cannot be imported; `message` says why and what to do.

    `run` is the ImportRun that records the attempt, when one was recorded.
    """

    def __init__(self, message: str, *, run=None) -> None:
        super().__init__(message)
        self.message = message
        self.run = run


class ImportNotAllowed(ImportFileError):
    """The person importing may not import this kind of data at all."""


class RowError(ValueError):
    """Why one row is rejected, in plain words (e.g. 'amount "-5" is negative').

    `needs_mapping` marks a name that matched nothing (or several records): mapping
    it to a record (the wizard's selects, the API's `names`) would fix the row.
    """

    def __init__(self, reason: str, *, needs_mapping: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.needs_mapping = needs_mapping
