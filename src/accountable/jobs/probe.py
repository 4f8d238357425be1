"""Pinging the workers: are they alive, and which of them take tasks from the queue?

A ping is a real task (`jobs.tasks.ping`) sent through the configured queue, the
database or Redis, exactly as the product's own work is; the worker that runs it
answers with its host and process id. Sending a few pings and waiting for the
answers through the backend shows which workers are taking work right now.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from django_tasks import TaskResultStatus

from accountable.jobs.tasks import ping


class ProbeError(Exception):
    """The pings cannot be sent or followed; the message says why."""


@dataclass
class PingReport:
    """What came back from `sent` pings within the time allowed.

    `answered` counts the pings each worker (host, process id) answered; `failed`
    holds one message per ping that failed; the rest went unanswered in time.
    """

    sent: int
    seconds: float = 0.0
    answered: Counter[tuple[str, int]] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return self.sent - sum(self.answered.values()) - len(self.failed)

    @property
    def ok(self) -> bool:
        return self.unanswered == 0 and not self.failed


def pings_send(count: int) -> list[str]:
    """Enqueue `count` pings; return their result ids."""
    backend = ping.get_backend()
    if not backend.supports_get_result:
        raise ProbeError(
            f"The task backend {type(backend).__name__} cannot look results up from "
            "another process, so the pings' answers cannot be followed."
        )
    try:
        return [str(ping.enqueue().id) for _ in range(count)]
    except Exception as error:  # the queue's own error (Redis down, database locked)
        raise ProbeError(f"The pings could not be queued: {error}") from error


def pings_wait(ids: list[str], *, timeout: float, poll: float = 0.1) -> PingReport:
    """Wait up to `timeout` seconds for the pings' results and tally who answered."""
    backend = ping.get_backend()
    report = PingReport(sent=len(ids))
    started = time.monotonic()
    pending = list(ids)
    while pending:
        still = []
        for result_id in pending:
            try:
                result = backend.get_result(result_id)
            except Exception as error:  # as above: the queue cannot be read
                raise ProbeError(f"The pings' answers could not be read: {error}") from error
            if result.status == TaskResultStatus.SUCCESSFUL:
                answer = result.return_value
                report.answered[(answer["host"], int(answer["pid"]))] += 1
            elif result.status == TaskResultStatus.FAILED:
                cause = result.errors[-1].exception_class_path if result.errors else "unknown"
                report.failed.append(f"ping {result_id} failed: {cause}")
            else:
                still.append(result_id)
        pending = still
        if pending and time.monotonic() - started >= timeout:
            break
        if pending:
            time.sleep(poll)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def workers_ping(*, count: int, timeout: float) -> PingReport:
    """Send `count` pings and wait up to `timeout` seconds for their answers."""
    return pings_wait(pings_send(count), timeout=timeout)
