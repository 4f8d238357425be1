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

Figures = dict[str, float | int | str]


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def demo_generation(options: dict) -> Figures:
    """Creating the demo organisation of `people` people and its sales data.

    `activities_per_rep_week` (when the options carry it) asks for a heavier
    activity history than the realistic default, e.g. about 137 for ten
    million activities from 1,000 reps over the 73 weeks the data covers.
    """
    from accountable.demo.generator import generate_demo

    start = time.perf_counter()
    result = generate_demo(
        seed=options["seed"],
        people=options["people"],
        ground_truth_path=Path(settings.VAR_DIR) / "bench-ground-truth.json",
        activities_per_rep_week=options.get("activities_per_rep_week"),
    )
    sales, seconds = result.sales, result.seconds
    return {
        "people": result.counts["people"],
        "teams": result.counts["teams"],
        "reps": result.people_by_role.get("rep", 0),
        "deals": sales.get("deals", 0),
        "activities": sales.get("activities", 0),
        "demo_generate_s": round(time.perf_counter() - start, 3),
        "demo_organisation_s": seconds.get("organisation", 0),
        "demo_sales_data_s": seconds.get("sales_data", 0),
        "activities_per_s": round(sales.get("activities", 0) / seconds["sales_data"])
        if seconds.get("sales_data")
        else 0,
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


def import_speed(options: dict) -> Figures:
    """A million generic activities through the import, beside the database's own loader."""
    from accountable import bench_import

    return bench_import.import_speed(options)


def import_memory(options: dict) -> Figures:
    """Peak memory importing a streamed file of `memory_rows` activities (opt-in)."""
    from accountable import bench_import

    return bench_import.import_memory(options)


CASES: list[Callable[[dict], Figures]] = [demo_generation, org_pages, import_speed, import_memory]
