"""One evaluation of the engine on a freshly generated demo organisation.

Generates the demo (into the current database, which must be empty: the
`evaluate` command gives it a scratch one), runs the engine as the nightly job
would, reads back the warnings it stored, and scores them and the diagnosis
against the ground-truth file (`evaluation.score`). Then it checks the planted
habits of the accountability loop (`habits_score`): the over-callers' forecast
bias above zero and the sandbaggers' below, over the last completed quarter
(`forecasts.selectors.accuracy`), and the `missed_commitments` warning open on
every misser and on no keeper.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from accountable.demo.generator import generate_demo
from accountable.forecasts.selectors import accuracy
from accountable.org.models import Person
from accountable.org.services import organisation_get
from accountable.signals.evaluation import Said, score
from accountable.signals.models import SignalRun, WarningSign, WarningStatus
from accountable.signals.services import signals_run

__all__ = ["HabitScore", "demo_evaluate", "evaluation_summary", "habits_score"]

# The habits scored, in the order they are reported.
SCORED_HABITS = ("over_caller", "sandbagger", "misser", "keeper")


@dataclass
class HabitScore:
    """Of the reps planted with each habit, how many the product shows as planted;
    `wrong` says, for each one it does not, what it shows instead."""

    planted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED_HABITS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED_HABITS, 0))
    wrong: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "habits": {
                key: {"planted": self.planted[key], "right": self.right[key]}
                for key in SCORED_HABITS
            },
            "habits_planted": sum(self.planted.values()),
            "habits_right": sum(self.right.values()),
            "habits_wrong": self.wrong,
        }


def habits_score(
    truth: Mapping[str, Mapping[str, Any]],
    warned: Mapping[str, set[str]],
    bias: Mapping[str, float | None],
    period: str,
) -> HabitScore:
    """Score the planted habits in `truth` (the ground truth's `people`) against the
    warnings open on each rep (`warned`, kinds by e-mail) and their forecast bias over
    `period` (`bias`, by e-mail; None: no accuracy, not enough data). Pure."""
    result = HabitScore()
    for email, expected in truth.items():
        for habit in expected.get("habits", ()):
            if habit not in result.planted:
                continue
            result.planted[habit] += 1
            found = _habit_found(habit, warned.get(email, set()), bias.get(email), period)
            if found is None:
                result.right[habit] += 1
            else:
                result.wrong.append(f"{email} ({habit}): {found}")
    return result


def _habit_found(habit: str, warned: set[str], bias: float | None, period: str) -> str | None:
    """None when the product shows the habit; else what it shows instead, in words."""
    missed = "missed_commitments" in warned
    if habit == "misser":
        return None if missed else "no missed_commitments warning"
    if habit == "keeper":
        return "a missed_commitments warning" if missed else None
    if bias is None:
        return f"no forecast accuracy in {period} (not enough data)"
    wanted = bias > 0 if habit == "over_caller" else bias < 0
    side = "above" if habit == "over_caller" else "below"
    return None if wanted else f"forecast bias {bias:+.1%} in {period}, expected {side} 0"


def demo_evaluate(*, seed: int, people: int, as_of: date, truth_path: Path) -> dict[str, Any]:
    """Precision, recall and false alarms for the demo of `seed` and `people` on `as_of`."""
    generate_demo(seed=seed, people=people, today=as_of, ground_truth_path=truth_path)
    result = signals_run(as_of=as_of, trigger=SignalRun.Trigger.MANUAL)
    # What the engine stored, read back as any page or the API would.
    warnings: dict[int, list] = {}
    live = [WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED]
    for warning in WarningSign.objects.filter(status__in=live):
        warnings.setdefault(warning.person_id, []).append(
            (warning.kind, warning.severity, warning.evidence)
        )
    said = {
        a.figures.email: Said(
            warnings.get(a.figures.person_id, []),
            a.diagnosis.cause,
            a.diagnosis.effort,
            undecided=[u.kind for u in a.undecided],
        )
        for a in result.assessments
    }
    document = json.loads(truth_path.read_text())
    truth = document["people"]
    return {
        "seed": seed,
        "people": people,
        "as_of": as_of.isoformat(),
        **score(said, truth).as_dict(),
        **_habits(document, warnings, as_of).as_dict(),
    }


def _habits(document: Mapping[str, Any], warnings: Mapping[int, list], as_of: date) -> HabitScore:
    """Read what the product shows for the planted habits, and score it."""
    loop = document.get("loop")
    truth = document["people"]
    if not loop:
        return habits_score(truth, {}, {}, "")
    period = organisation_get().calendar.parse(loop["forecast_judged_in"])
    ids = dict(Person.objects.filter(email__in=list(truth)).values_list("email", "pk"))
    found = accuracy(ids.values(), period, today=as_of)
    bias = {email: found[pk].bias if pk in found else None for email, pk in ids.items()}
    warned = {email: {w[0] for w in warnings.get(pk, [])} for email, pk in ids.items()}
    return habits_score(truth, warned, bias, period.label)


def evaluation_summary(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Many seeds' figures (`demo_evaluate`) added up: per warning kind the planted
    cases, found, missed (and of those, not enough data to judge), recall, and the
    medium or high warnings of that kind on healthy reps (stars, steady performers and
    new hires ramping; a real quota miss is no false alarm), with their rate per 20
    healthy reps; then the same for every kind together. Pure."""
    kinds: dict[str, dict[str, int]] = {}
    for run in runs:
        for kind, tally in run["warnings"].items():
            total = kinds.setdefault(
                kind, {"planted": 0, "found": 0, "missed": 0, "not_enough_data": 0, "alarms": 0}
            )
            total["planted"] += tally["tp"] + tally["fn"]
            total["found"] += tally["tp"]
            total["missed"] += tally["fn"]
            total["not_enough_data"] += tally["fn_not_enough_data"]
            total["alarms"] += tally["healthy_alarms"]
    healthy = sum(run["healthy"] for run in runs)
    alarmed = sum(run["false_alarms"] for run in runs)
    per_kind = {
        kind: {
            **total,
            "recall": round(total["found"] / total["planted"], 3) if total["planted"] else None,
            "alarms_per_20_healthy": round(20 * total["alarms"] / healthy, 2) if healthy else None,
        }
        for kind, total in kinds.items()
    }
    alarms = sum(total["alarms"] for total in kinds.values())
    return {
        "seeds": [run["seed"] for run in runs],
        "healthy": healthy,
        "healthy_alarms": alarms,
        "healthy_alarms_per_20": round(20 * alarms / healthy, 2) if healthy else None,
        "healthy_reps_alarmed": alarmed,
        "expected": sum(run["expected"] for run in runs),
        "found": sum(run["found"] for run in runs),
        "kinds": per_kind,
        "missed": [f"seed {run['seed']}: {line}" for run in runs for line in run["missed"]],
        "false_alarms": [
            f"seed {run['seed']}: {line}" for run in runs for line in run["false_alarm_detail"]
        ],
    }
