"""A small load generator for the benchmarks: N signed-in users requesting one page
against the production server (gunicorn) on 127.0.0.1, for a fixed time.

Each user is a thread with its own keep-alive connection and session cookie; a
user sends its next request `think` seconds after the last one is answered (a
person reading the page; 0 sends the next at once, a stress test rather than
people). Latency is
measured by the client, from sending the request to reading the whole body, so
it includes the server's queueing. Anything but a 200 counts as an error.

It only ever talks to 127.0.0.1 and stops by itself after `seconds`.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    """What the users saw: every latency in milliseconds, and the errors."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    def percentile(self, fraction: float) -> float:
        """The latency that `fraction` of the answered requests stayed under."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return round(ordered[index], 1)

    def figures(self, prefix: str) -> dict[str, float | int]:
        return {
            f"{prefix}_requests": self.requests,
            f"{prefix}_rps": round(self.requests / self.seconds, 1) if self.seconds else 0,
            f"{prefix}_p50_ms": round(statistics.median(self.latencies_ms), 1)
            if self.latencies_ms
            else 0,
            f"{prefix}_p95_ms": self.percentile(0.95),
            f"{prefix}_errors": self.errors,
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(*, workers: int, threads: int = 1, env: dict[str, str] | None = None):
    """The production server on a free port of 127.0.0.1; yields the port, stops it after."""
    port = free_port()
    server_env = {**os.environ, **(env or {}), "DEBUG": "0", "ALLOWED_HOSTS": HOST}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and the WSGI module
        [
            sys.executable,
            "-m",
            "gunicorn",
            "accountable.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=server_env,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode})")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def run_load(
    *,
    port: int,
    path: str,
    cookies: Sequence[str],
    seconds: float,
    think: float = 0.0,
    warmup: int = 2,
) -> LoadResult:
    """Each cookie is one user requesting `path` for `seconds`, waiting `think`
    seconds after each answer (0: back to back)."""
    result = LoadResult()
    lock = threading.Lock()
    start_line = threading.Barrier(len(cookies) + 1)
    stop_at = [0.0]

    def user(cookie: str) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Cookie": cookie, "Host": HOST}
        for _ in range(warmup):  # not counted: first requests fill the server's caches
            _get(connection, path, headers)
        start_line.wait()
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            status, detail = _get(connection, path, headers)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if status == 200:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1
                    result.first_error = result.first_error or detail
            if status != 200:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            if think:
                time.sleep(think)
        connection.close()

    workers = [threading.Thread(target=user, args=(cookie,), daemon=True) for cookie in cookies]
    for worker in workers:
        worker.start()
    stop_at[0] = time.monotonic() + seconds + 1e9  # set for real once everyone is warm
    start_line.wait()
    began = time.monotonic()
    stop_at[0] = began + seconds
    for worker in workers:
        worker.join(timeout=seconds + 60)
    result.seconds = time.monotonic() - began
    return result


def _get(connection: http.client.HTTPConnection, path: str, headers: dict) -> tuple[int, str]:
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    except OSError as error:
        return 0, f"{type(error).__name__}: {error}"
    if response.status != 200:
        return response.status, f"HTTP {response.status} for {path}"
    return 200, ""


def session_cookies(people: Sequence, settings_module) -> list[str]:
    """A signed-in session per person, as the `Cookie` header a browser would send."""
    cookies = []
    for person in people:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = settings_module.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings_module.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies
