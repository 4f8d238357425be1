"""Timing for the benchmark cases: the median of repeated runs, and a page's server time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.core.cache import cache
from django.test import Client

from accountable.org.models import Person


def median_ms(run: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of `repeat` runs, after one run to warm up."""
    run()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def page_ms(person: Person, path: str, repeat: int, *, cold: bool = False) -> float:
    """Median server time of `path` for `person`; `cold`: the cache emptied before each."""
    client = Client()
    client.force_login(person)

    def run() -> object:
        if cold:
            cache.clear()
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} for {person.email}")
        return response

    return median_ms(run, repeat)
