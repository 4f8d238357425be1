"""One evaluation of the engine on a freshly generated demo organisation.

Generates the demo (into the current database, which must be empty: the
`evaluate` command gives it a scratch one), runs the engine as the nightly job
would, reads back the warnings it stored, and scores them and the diagnosis
against the ground-truth file (`evaluation.score`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from accountable.demo.generator import generate_demo
from accountable.signals.evaluation import Said, score
from accountable.signals.models import SignalRun, WarningSign, WarningStatus
from accountable.signals.services import signals_run

__all__ = ["demo_evaluate"]


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
            warnings.get(a.figures.person_id, []), a.diagnosis.cause, a.diagnosis.effort
        )
        for a in result.assessments
    }
    truth = json.loads(truth_path.read_text())["people"]
    return {
        "seed": seed,
        "people": people,
        "as_of": as_of.isoformat(),
        **score(said, truth).as_dict(),
    }
