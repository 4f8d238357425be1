"""Benchmark cases, run by `accountable bench` on a scratch database.

Each case is a function that takes the options and returns named figures.
Later capabilities add theirs (imports, rollups, boards) to CASES.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.test import Client

from accountable.org.models import Person, Role

Figures = dict[str, float | int]


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def demo_generation(options: dict) -> Figures:
    """Creating the demo organisation of `people` people."""
    from accountable.demo.generator import generate_demo

    start = time.perf_counter()
    result = generate_demo(
        seed=options["seed"],
        people=options["people"],
        ground_truth_path=Path(settings.VAR_DIR) / "bench-ground-truth.json",
    )
    return {
        "people": result.counts["people"],
        "teams": result.counts["teams"],
        "demo_generate_s": round(time.perf_counter() - start, 3),
    }


def org_pages(options: dict) -> Figures:
    """Server time of the organisation pages for the executive, who sees everyone."""
    client = Client()
    client.force_login(Person.objects.filter(role=Role.EXECUTIVE).first())
    repeat = options["repeat"]

    def fetch(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    return {
        "home_ms": _median_ms(fetch("/"), repeat),
        "org_tree_ms": _median_ms(fetch("/org/"), repeat),
        "people_list_ms": _median_ms(fetch("/people/"), repeat),
    }


CASES: list[Callable[[dict], Figures]] = [demo_generation, org_pages]
