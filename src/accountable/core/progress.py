"""Progress bars for long work on a terminal (quiet when output is not a terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@contextmanager
def progress_bar(description: str, *, total: int) -> Iterator[Callable[[int, int], None]]:
    """Yields `advance(done, total)`; draws a bar only on an interactive terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task_id = progress.add_task(description, total=total)

        def advance(done: int, new_total: int) -> None:
            progress.update(task_id, completed=done, total=new_total)

        yield advance
