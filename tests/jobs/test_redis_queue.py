"""The task queue on Redis: settings from the environment, and two workers sharing
the work of one real redis-server.

Settings are read once per process, so each settings case runs in a fresh
interpreter with exactly the environment it names. The queue test starts its own
redis-server on a free loopback port (nothing written to disk), migrates a SQLite
file in a temporary directory (the suite's own test database is in memory, which
other processes cannot share), starts two `accountable worker` processes and pings
them from a third. Every wait has a deadline and every process is stopped at the
end, whatever happens. Without redis-server on PATH that test is skipped, except in
CI (ACCOUNTABLE_REQUIRE_REDIS=1), where a missing server is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.environment import subprocess_environment

pytestmark = pytest.mark.redis

REDIS_SERVER = shutil.which("redis-server")
ACCOUNTABLE = [sys.executable, "-m", "accountable.cli"]
RQ_BACKEND = "django_tasks_rq.RQBackend"
PINGS = 20
# Loopback only, and nothing written to disk.
REDIS_OPTIONS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]

# Variables these settings read; the developer's own values must not leak in.
OURS = ("TASKS_BACKEND", "REDIS_URL", "REDIS_URL_FILE", "DATABASE_URL", "SECRET_KEY")

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "backend": settings.TASKS["default"]["BACKEND"],
    "apps": [app for app in settings.INSTALLED_APPS if app.startswith("django_")],
    "rq_queues": getattr(settings, "RQ_QUEUES", None),
}))
"""


def clean_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return subprocess_environment(
        OURS,
        DJANGO_SETTINGS_MODULE="accountable.settings",
        ACCOUNTABLE_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="redis-queue-test-key",
        **overrides,
    )


def settings_in(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_database_queue_is_the_default_and_needs_no_redis(tmp_path):
    done = settings_in(tmp_path)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["backend"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in seen["apps"]
    assert "django_rq" not in seen["apps"] and "django_tasks_rq" not in seen["apps"]
    assert seen["rq_queues"] is None


def test_the_rq_backend_takes_the_queue_to_redis_url(tmp_path):
    done = settings_in(
        tmp_path, TASKS_BACKEND=RQ_BACKEND, REDIS_URL="redis://queue.internal:6380/2"
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["backend"] == RQ_BACKEND
    # The database queue's app stays, so the migrations are the same either way.
    assert {"django_rq", "django_tasks_rq", "django_tasks_db"} <= set(seen["apps"])
    assert list(seen["rq_queues"]) == ["default"]
    assert seen["rq_queues"]["default"]["URL"] == "redis://queue.internal:6380/2"


def test_redis_url_can_come_from_a_file(tmp_path):
    secret = tmp_path / "redis_url"
    secret.write_text("redis://:s3cret@queue.internal:6379/0\n")
    done = settings_in(tmp_path, TASKS_BACKEND=RQ_BACKEND, REDIS_URL_FILE=str(secret))
    assert done.returncode == 0, done.stderr
    url = json.loads(done.stdout)["rq_queues"]["default"]["URL"]
    assert url == "redis://:s3cret@queue.internal:6379/0"


def test_the_rq_backend_without_redis_url_refuses_to_start(tmp_path):
    done = settings_in(tmp_path, TASKS_BACKEND=RQ_BACKEND)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "needs REDIS_URL" in done.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """Terminate a process we started, killing it if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return f"--- {path.name}\n" + "\n".join(text.splitlines()[-lines:])


@pytest.fixture
def redis_port(tmp_path) -> Iterator[int]:
    """A redis-server of this test's own on 127.0.0.1, stopped at the end."""
    if REDIS_SERVER is None:
        if os.environ.get("ACCOUNTABLE_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is required here but not on PATH")
        pytest.skip("no redis-server on PATH (apt-get install redis-server)")
    import redis

    port = free_port()
    log = tmp_path / "redis.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - the server on PATH, our own arguments
            [REDIS_SERVER, "--port", str(port), *REDIS_OPTIONS, "--dir", str(tmp_path)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)

    def answers() -> bool:
        if server.poll() is not None:
            raise AssertionError(f"redis-server exited\n{tail(log)}")
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        wait_until(answers, timeout=10, what="redis-server to answer")
        yield port
    finally:
        client.close()
        stop(server)


def test_two_workers_share_the_queue_on_redis(tmp_path, redis_port):
    import redis
    from rq import Queue, Worker

    env = clean_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'accountable.sqlite3'}",
        TASKS_BACKEND=RQ_BACKEND,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
    )
    migrated = subprocess.run(  # noqa: S603 - this interpreter, our own command
        [*ACCOUNTABLE, "migrate", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert migrated.returncode == 0, migrated.stderr

    client = redis.Redis(host="127.0.0.1", port=redis_port, socket_timeout=2)
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    workers: list[subprocess.Popen] = []
    try:
        for log in logs:
            with log.open("w") as out:
                workers.append(
                    subprocess.Popen(  # noqa: S603 - as above
                        [*ACCOUNTABLE, "worker", "--no-schedule"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )

        def both_waiting() -> bool:
            for worker, log in zip(workers, logs, strict=True):
                if worker.poll() is not None:
                    raise AssertionError(f"a worker exited early\n{tail(log)}")
            found = Worker.all(connection=client)
            return len(found) == 2 and all(w.get_state() == "idle" for w in found)

        wait_until(both_waiting, timeout=20, what="both workers to wait on the queue")

        # A third process enqueues the pings and waits for them through the backend.
        pinged = subprocess.run(  # noqa: S603 - as above
            [
                *ACCOUNTABLE,
                "queue",
                "ping",
                "--count",
                str(PINGS),
                "--timeout",
                "15",
                "--format",
                "json",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=40,
        )
        diagnosis = pinged.stderr + "\n" + "\n".join(tail(log) for log in logs)
        assert pinged.returncode == 0, diagnosis
        report = json.loads(pinged.stdout)
        assert report["sent"] == PINGS
        assert report["failed"] == [] and report["unanswered"] == 0, diagnosis
        answered = {(w["host"], w["pid"]): w["answered"] for w in report["workers"]}
        host = socket.gethostname()
        # Both workers, and only they, ran pings: each answers with its own process id.
        assert set(answered) == {(host, worker.pid) for worker in workers}, answered
        assert all(count >= 1 for count in answered.values()), answered
        assert sum(answered.values()) == PINGS

        # Redis itself agrees: every job finished, none failed.
        queue = Queue("default", connection=client)
        assert queue.finished_job_registry.count == PINGS
        assert queue.failed_job_registry.count == 0
        assert queue.count == 0

        # SIGTERM stops an idle worker cleanly and soon.
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker, log in zip(workers, logs, strict=True):
            assert worker.wait(timeout=10) == 0, tail(log)
    finally:
        for worker in workers:
            stop(worker)
        client.close()
