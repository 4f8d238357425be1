"""The data beside each answer of a performance review, read once as of the review day
and stored with the review (frozen: a later import or a judgement changed afterwards
changes nothing in it).

Every figure comes from the product's read model, as the scorecard shows it: the goal
tiles of `scorecards.selectors.person_scorecard`, the warnings, diagnosis and three rights
of `signals.selectors.scorecard_signals`, the kept record and the forecast accuracy the
scorecard shows. Stored as JSON: money and figures as numbers or strings as `as_dict()`
writes them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from accountable.commitments.selectors import kept_record
from accountable.forecasts.selectors import last_quarter_accuracy
from accountable.org.calendar import Period
from accountable.org.models import Person
from accountable.org.services import organisation_get
from accountable.scorecards.selectors import person_scorecard
from accountable.signals.selectors import scorecard_signals

# What the review keeps of the scorecard's row and of each goal tile.
ROW_KEYS = (
    "won_amount", "target", "attainment", "pace", "win_rate", "won_count", "lost_count",
    "activities", "meetings", "activity_score", "outcome_score", "activity_to_meeting",
    "first_to_second_meeting", "coverage",
)  # fmt: skip
TILE_KEYS = (
    "metric", "label", "unit", "actual", "target", "attainment", "pace", "score_attainment",
    "team_median", "baseline",
)  # fmt: skip


def snapshot_take(viewer: Person, person: Person, period: Period, as_of: date) -> dict[str, Any]:
    """The person's figures for `period` as of `as_of`, as the review stores them."""
    card = person_scorecard(viewer, person, period=period, as_of=as_of)
    row = card.row.as_dict()
    found = scorecard_signals(viewer, person, period=period, as_of=as_of)
    kept = kept_record([person.pk], as_of).get(person.pk)
    calls = last_quarter_accuracy(person, period.calendar, as_of)
    return {
        "period": period.label,
        "as_of": as_of.isoformat(),
        "taken_at": timezone.now().isoformat(),
        "currency": organisation_get().currency,
        "row": {key: row[key] for key in ROW_KEYS},
        "metrics": [{key: t.as_dict()[key] for key in TILE_KEYS} for t in card.tiles],
        "rights": [
            {"name": r.name, "label": r.label, "status": r.status, "message": r.message}
            for r in found.rights
        ],
        "diagnosis": found.diagnosis.message if found.diagnosis else "",
        "warnings": [
            {"label": f.label, "severity": f.severity, "message": f.message} for f in found.flags
        ],
        "crm": {
            "stale": len(card.stale),
            "missing_milestones": len(card.missing_milestones),
            "slipped": len(card.slipped),
        },
        "commitments": {"kept": kept.kept, "decided": kept.decided} if kept else None,
        "forecast": {
            "quarter": calls[0].label,
            "off_by": calls[1].off_by,
            "leaning": calls[1].leaning,
            "why": calls[1].why,
        }
        if calls
        else None,
    }
