"""`accountable queue ping` on the database queue: who answered, and what happens
when nobody does. (On Redis, with two workers: test_redis_queue.py.)"""

from __future__ import annotations

import json
import os
import socket

import pytest
from django.core.management import CommandError, call_command

from accountable.jobs import probe

# The worker closes stale connections between tasks, as in production: that needs
# real transactions, not the test's enclosing atomic block.
pytestmark = pytest.mark.django_db(transaction=True)

HERE = (socket.gethostname(), os.getpid())


def run_worker() -> None:
    call_command("worker", batch=True, no_schedule=True, verbosity=0)


def test_pings_are_answered_by_the_worker_that_ran_them():
    ids = probe.pings_send(3)
    assert len(set(ids)) == 3
    before = probe.pings_wait(ids, timeout=0)
    assert before.unanswered == 3 and not before.ok

    run_worker()  # in this process, so this process answers
    report = probe.pings_wait(ids, timeout=5)
    assert report.ok
    assert report.answered == {HERE: 3}


def test_the_command_prints_who_answered(monkeypatch, capsys):
    queue_only = probe.pings_send

    def queue_and_work(count: int) -> list[str]:
        ids = queue_only(count)
        run_worker()
        return ids

    monkeypatch.setattr(probe, "pings_send", queue_and_work)
    call_command("queue", "ping", "--count", "4", "--timeout", "5")
    out = capsys.readouterr().out
    assert f"{HERE[1]:>8} {4:>9}" in out
    assert "4 of 4 pings answered by 1 worker(s)" in out

    call_command("queue", "ping", "--count", "2", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["workers"] == [{"host": HERE[0], "pid": HERE[1], "answered": 2}]
    assert report["failed"] == [] and report["unanswered"] == 0


def test_without_a_worker_the_command_fails_after_the_timeout(capsys):
    with pytest.raises(CommandError, match=r"2 of 2 pings were not answered within 0\.3 s"):
        call_command("queue", "ping", "--count", "2", "--timeout", "0.3")
    assert "0 of 2 pings answered by 0 worker(s)" in capsys.readouterr().out


def test_a_failed_ping_is_reported(monkeypatch):
    def broken() -> str:
        raise OSError("no host name")

    monkeypatch.setattr(socket, "gethostname", broken)  # the ping asks for it
    ids = probe.pings_send(1)
    run_worker()
    report = probe.pings_wait(ids, timeout=5)
    assert not report.ok
    assert report.answered == {}
    assert report.failed == [f"ping {ids[0]} failed: builtins.OSError"]


def test_a_backend_that_cannot_look_results_up_is_refused(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="cannot look results up from another process"):
        call_command("queue", "ping", "--count", "1")


def test_count_must_be_a_positive_whole_number():
    with pytest.raises(CommandError, match="is not a whole number of 1 or more"):
        call_command("queue", "ping", "--count", "0")
