"""The engine: every rule applied to every rep, with the diagnosis and the three rights.

`assess` reads the numbers once for everyone asked about (a handful of queries,
`inputs`), turns them into figures and benchmarks (`evidence`), and returns an
`Assessment` per rep. It writes nothing: `services.signals_run` stores the
warnings, and the diagnosis and rights selectors show the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from accountable.goals.services import ramp_get
from accountable.org.services import organisation_get
from accountable.signals import rules
from accountable.signals.diagnosis import Diagnosis, diagnose
from accountable.signals.evidence import (
    Benchmarks,
    Figures,
    benchmarks_for,
    calendar_adjusted,
    figures_for,
    not_enough_data,
)
from accountable.signals.inputs import Window, inputs_gather, reps_in_scope
from accountable.signals.models import SignalSettings
from accountable.signals.rights import Rights, rights_assess
from accountable.signals.rules import Finding, NotEnoughData
from accountable.signals.thresholds import Thresholds

__all__ = ["Assessment", "assess", "findings_for", "outcomes_for"]


@dataclass(frozen=True)
class Assessment:
    """What the engine concludes about one rep on one day."""

    figures: Figures
    benchmarks: Benchmarks
    findings: list[Finding]
    diagnosis: Diagnosis
    rights: Rights
    period: str
    # The rules that could not judge with the confidence asked for, and why.
    undecided: list[NotEnoughData] = field(default_factory=list)


# The rules a new hire is not judged on while ramping (shown as not enough data).
RAMP_UNJUDGED = ("activity_drop", "win_rate_decline", "cycle_lengthening", "deal_size_decline")


def findings_for(fig: Figures, bench: Benchmarks, t: Thresholds) -> list[Finding]:
    """The warnings every rule finds in one rep's figures and benchmarks."""
    return outcomes_for(fig, bench, t)[0]


def outcomes_for(
    fig: Figures, bench: Benchmarks, t: Thresholds
) -> tuple[list[Finding], list[NotEnoughData]]:
    """Every rule, fed from one rep's figures and benchmarks: the warnings found, and the
    rules that could not judge with the confidence asked for (`rules.NotEnoughData`).
    With not enough data to judge someone at all (`evidence.not_enough_data`) only the
    rules about events — complaints, missed commitments — apply: an empty history is not
    low activity or low coverage."""
    if not_enough_data(fig, t, bench):
        found = [
            rules.complaints(
                recent=fig.complaints_recent,
                last_on=fig.complaints_dates[-1].isoformat() if fig.complaints_dates else None,
                t=t,
            ),
            rules.missed_commitments(due=fig.commitments_due, missed=fig.commitments_missed, t=t),
        ]
        return [f for f in found if f is not None], []
    team = bench.team
    # The quarter under way is judged by its run rate once half of it is gone, and is
    # settled as soon as the revenue already won reaches the line: it can no longer be
    # missed, so it ends a streak as a completed quarter would.
    line = t.quota_miss_attainment
    judged = [
        (q.label, q.projected, q.elapsed >= 1.0 or q.attainment >= line)
        for q in fig.quarters
        if q.target and (q.elapsed >= 0.5 or q.attainment >= line)
    ]
    ramped = not fig.in_ramp
    found = [
        rules.quota_miss_streak(quarters=judged, t=t),
        rules.low_activity(
            recent=fig.touches_recent,
            quarter=fig.touches_quarter,
            team_median=team["touches_quarter"],
            t=t,
        ),
        rules.late_prospecting(
            recent=fig.prospecting_recent,
            team_median=team["prospecting_recent"],
            baseline=fig.prospecting_baseline,
            weeks_since_opportunity=fig.weeks_since_opportunity,
            cycle_days=team["cycle_recent"],
            t=t,
        ),
        rules.low_coverage(
            coverage=fig.coverage,
            open_pipeline=fig.open_pipeline,
            quarter_target=fig.quarter_target,
            new_pipeline=fig.pipeline_created_recent,
            team_new_pipeline=team["pipeline_created_recent"],
            cycle_days=team["cycle_recent"],
            team_coverage=team["coverage"],
            opportunities=(
                fig.opportunities_recent,
                fig.opportunities_baseline,
                team["opportunities_recent"],
            ),
            t=t,
        ),
        rules.channel_mix(
            phone_share=fig.phone_share,
            meetings_per_100=fig.meetings_per_100_touches,
            top_phone_share=bench.top["phone_share"],
            top_meetings_per_100=bench.top["meetings_per_100_touches"],
            t=t,
        ),
        rules.complaints(
            recent=fig.complaints_recent,
            last_on=fig.complaints_dates[-1].isoformat() if fig.complaints_dates else None,
            t=t,
        ),
        rules.missed_commitments(due=fig.commitments_due, missed=fig.commitments_missed, t=t),
    ]
    if ramped:
        # A new hire's own "baseline" is their first weeks, and their few closed
        # deals say nothing yet about conversion, size or cycle.
        baseline_weeks, recent_weeks = calendar_adjusted(fig, bench.week_index)
        found += [
            rules.activity_drop(
                recent_weeks=recent_weeks,
                baseline_weeks=baseline_weeks,
                team_median=team["touches_recent"],
                logged=fig.touches_recent if bench.week_index else None,
                t=t,
            ),
            rules.win_rate_decline(
                wins_recent=fig.wins_recent,
                closed_recent=fig.closed_recent,
                wins_baseline=fig.wins_baseline,
                closed_baseline=fig.closed_baseline,
                team_median=team["win_rate_recent"],
                t=t,
            ),
            rules.cycle_lengthening(
                cycles_recent=fig.cycles_recent,
                cycles_baseline=fig.cycles_baseline,
                team_median=team["cycle_recent"],
                open_age=fig.open_age,
                team_open_age=team["open_age"],
                t=t,
            ),
            rules.deal_size_decline(
                amounts_recent=fig.won_amounts_recent,
                amounts_baseline=fig.won_amounts_baseline,
                team_median=team["deal_size_recent"],
                t=t,
            ),
            rules.wrong_product_mix(
                priority_share=fig.priority_share,
                won_deals=fig.won_half_year,
                team_median=team["priority_share"],
                priority_won=fig.priority_won,
                team_deal_share=team["priority_deal_share"],
                t=t,
            ),
        ]
    else:
        share = f"{fig.ramp_now:.0%}"
        found += [
            NotEnoughData(
                kind,
                f"still ramping (carrying {share} of a full quota): their first weeks and "
                "first few deals are not a baseline to judge this on yet",
            )
            for kind in RAMP_UNJUDGED
        ]
    order = {kind: i for i, kind in enumerate(rules.KINDS)}
    findings = sorted((f for f in found if isinstance(f, Finding)), key=lambda f: order[f.kind])
    undecided = sorted(
        (f for f in found if isinstance(f, NotEnoughData)), key=lambda f: order[f.kind]
    )
    return findings, undecided


def thresholds_get() -> Thresholds:
    """The organisation's thresholds: the defaults with its changes applied."""
    settings = SignalSettings.objects.filter(pk=1).first()
    return Thresholds.from_overrides(settings.thresholds if settings else None)


def assess(
    *,
    as_of: date,
    thresholds: Thresholds | None = None,
    people: Iterable[int] | None = None,
) -> list[Assessment]:
    """Assess every active rep on `as_of` (benchmarks always use everyone), or only
    `people` among them."""
    t = thresholds or thresholds_get()
    calendar = organisation_get().calendar
    window = Window.ending(as_of, calendar)
    ramp = ramp_get()
    reps = reps_in_scope(as_of)
    inputs = inputs_gather(reps, window)
    figures = [figures_for(inputs[rep.pk], window, ramp) for rep in reps]
    benchmarks = benchmarks_for(figures, t.peer_deal_size_band)
    wanted = set(people) if people is not None else None
    result = []
    for fig in figures:
        if wanted is not None and fig.person_id not in wanted:
            continue
        bench = benchmarks[fig.person_id]
        findings, undecided = outcomes_for(fig, bench, t)
        kinds = {f.kind for f in findings}
        result.append(
            Assessment(
                figures=fig,
                benchmarks=bench,
                findings=findings,
                diagnosis=diagnose(fig, bench, kinds, t),
                rights=rights_assess(fig, bench, kinds, t),
                period=window.current.label,
                undecided=undecided,
            )
        )
    return result
