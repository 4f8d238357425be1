"""Figures and benchmarks of a typical rep, changed where a test says."""

from __future__ import annotations

from datetime import date

from accountable.signals.evidence import Benchmarks, Figures, QuarterResult

TEAM = {
    "touches_recent": 55.0,
    "touches_quarter": 55.0,
    "prospecting_recent": 30.0,
    "first_meetings_recent": 4.0,
    "opportunities_recent": 2.2,
    "pipeline_created_recent": 50_000.0,
    "win_rate_recent": 0.25,
    "deal_size_recent": 24_000.0,
    "cycle_recent": 55.0,
    "open_age": 16.0,
    "priority_share": 0.62,
    "priority_deal_share": 0.58,
    "coverage": 1.4,
    "phone_share": 0.4,
    "meetings_per_100_touches": 13.0,
}


def figures(**changes) -> Figures:
    values = dict(
        person_id=1,
        email="rep@acme.test",
        name="Rita Rep",
        team_id=1,
        in_ramp=False,
        ramp_now=1.0,
        weeks_employed=100,
        touches_recent=55.0,
        touches_baseline=55.0,
        touches_quarter=55.0,
        prospecting_recent=30.0,
        prospecting_baseline=30.0,
        first_meetings_recent=4.0,
        first_meetings_baseline=4.0,
        opportunities_recent=2.2,
        opportunities_baseline=2.2,
        pipeline_created_recent=50_000.0,
        weeks_since_opportunity=0,
        phone_share=0.4,
        meetings_per_100_touches=13.0,
        win_rate_recent=0.25,
        closed_recent=40,
        win_rate_baseline=0.25,
        closed_baseline=40,
        deal_size_recent=24_000.0,
        won_recent=6,
        deal_size_baseline=24_000.0,
        won_baseline=12,
        cycle_recent=55.0,
        cycle_baseline=55.0,
        open_age=16.0,
        priority_share=0.62,
        won_half_year=12,
        priority_won=7,
        priority_deal_share=7 / 12,
        open_pipeline=210_000.0,
        open_deals=9,
        quarter_target=150_000.0,
        coverage=1.4,
        quarters=[
            QuarterResult("2026-Q2", 150_000, 150_000, 1.0),
            QuarterResult("2026-Q3", 150_000, 80_000, 0.55),
        ],
        as_of=date(2026, 8, 17),
    )
    values.update(changes)
    return Figures(**values)


def benchmarks(top=None, **team) -> Benchmarks:
    return Benchmarks(
        team={**TEAM, **team},
        top={**TEAM, "win_rate_recent": 0.33, **(top or {})},
        team_size=7,
        top_names=("Omar Reyes",),
    )
