"""The environment of a subprocess a test starts (a command, a worker, a probe of the
settings): this process's own, less the variables the test decides and Django's (a
test run's settings must not leak into it), plus the values the test gives."""

from __future__ import annotations

import os
from collections.abc import Iterable


def subprocess_environment(leave_out: Iterable[str], **values: str) -> dict[str, str]:
    dropped = set(leave_out)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith("DJANGO_")
    }
    env.update(values)
    return env
