"""Benchmark cases, run by `accountable bench` on a scratch database.

Each case is a function that takes the options and returns named figures. The
organisation's cases are here; the scorecards' (`bench.scorecards`) and the
import's (`bench.imports`) join them in CASES.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings

from accountable.bench import imports, scorecards
from accountable.bench.timing import page_ms
from accountable.demo.generator import generate_demo, plan_organisation
from accountable.org.models import Person, Role

Figures = dict[str, float | int | str]
ACTIVITY_WEEKS = 72.3  # weeks of activity in the demo's history, measured


def demo_generation(options: dict) -> Figures:
    """Creating the demo organisation with `reps` reps and its sales data.

    `activities` (when not 0) asks for that many activities in all instead of the
    realistic 60-odd per rep and week: spread over the some 72 weeks of activity
    the demo's history covers.
    """
    reps = options.get("reps") or 1000
    activities = options.get("activities") or 0
    start = time.perf_counter()
    result = generate_demo(
        seed=options["seed"],
        people=people_for_reps(reps, options["seed"]),
        ground_truth_path=Path(settings.VAR_DIR) / "bench-ground-truth.json",
        activities_per_rep_week=activities / (reps * ACTIVITY_WEEKS) if activities else None,
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


def people_for_reps(reps: int, seed: int) -> int:
    """The smallest demo organisation (counted in people) with at least `reps` reps."""

    def reps_in(people: int) -> int:
        plan = plan_organisation(seed=seed, people=people, today=date(2026, 1, 1))
        return sum(1 for person in plan.people if person.role == Role.REP)

    low, high = reps, reps * 2 + 20
    while low < high:
        middle = (low + high) // 2
        if reps_in(middle) >= reps:
            high = middle
        else:
            low = middle + 1
    return low


def org_pages(options: dict) -> Figures:
    """Server time of the organisation pages for the executive, who sees everyone."""
    executive = Person.objects.filter(role=Role.EXECUTIVE).first()
    repeat = options["repeat"]
    return {
        "home_ms": page_ms(executive, "/", repeat),
        "org_tree_ms": page_ms(executive, "/org/", repeat),
        "people_list_ms": page_ms(executive, "/people/", repeat),
    }


def import_speed(options: dict) -> Figures:
    """A million generic activities through the import, beside the database's own loader."""
    return imports.import_speed(options)


def import_memory(options: dict) -> Figures:
    """Peak memory importing a streamed file of `memory_rows` activities (opt-in)."""
    return imports.import_memory(options)


def derived(figures: dict) -> Figures:
    """Figures computed from other cases' figures."""
    out: Figures = {}
    duckdb, rollup = figures.get("duckdb_ms"), figures.get("exec_rollup_ms")
    if isinstance(duckdb, float | int) and isinstance(rollup, float | int) and duckdb:
        out["rollup_vs_duckdb_ratio"] = round(rollup / duckdb, 3)
    return out


CASES: list[Callable[[dict], Figures]] = [
    demo_generation,
    org_pages,
    *scorecards.CASES,
    import_speed,
    import_memory,
]
