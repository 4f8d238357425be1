"""Scoring the engine against the demo's ground truth (SPEC §5, §9): precision and recall.

The demo generator records, for every rep, the archetype it planted and what a
correct engine should say (`expected_warnings`, `expected_cause`,
`expected_effort`). This module compares what the engine said with that
record. It is only ever given the truth *after* the engine has run: the engine
never reads it.

- Per warning kind: a warning is a true positive when the rep's archetype
  expects that kind; precision = TP ÷ warned, recall = TP ÷ expected.
- Per diagnosis cause: the same, over every rep, for the cause named.
- Overall recall: of every expected warning and every expected cause other
  than `none`, over the planted reps, the share the engine found.
- False alarms: healthy reps — stars, steady performers and new hires ramping —
  with a medium or high warning other than a quota miss they really had (every
  quarter of the streak below target), counted per rep and per warning kind.
- Not enough data: a planted warning the engine did not raise but said it could
  not judge (`rules.NotEnoughData`) is still a miss; it is counted apart, so the
  report says which misses were for want of data.

Pure: plain dicts in, a `Score` out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accountable.signals.diagnosis import CAUSES
from accountable.signals.rules import KINDS

__all__ = ["Said", "Score", "score"]

HEALTHY = frozenset({"star", "steady", "new_hire"})
ALARMING = frozenset({"medium", "high"})


@dataclass(frozen=True)
class Said:
    """What the engine said about one rep: warnings (kind, severity, evidence),
    the cause and the effort."""

    warnings: Sequence[tuple[str, str, dict[str, Any]]]
    cause: str
    effort: str
    undecided: Sequence[str] = ()  # kinds the engine could not judge (not enough data)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    # Of the misses, those the engine said it had not enough data to judge.
    fn_undecided: int = 0
    # Of the warnings, medium or high ones on healthy reps (not a real quota miss).
    healthy_alarms: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "fn_not_enough_data": self.fn_undecided,
            "healthy_alarms": self.healthy_alarms,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
        }


@dataclass
class Score:
    kinds: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    causes: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CAUSES})
    expected: int = 0
    found: int = 0
    effort_right: int = 0
    reps: int = 0
    healthy: int = 0
    false_alarms: list[str] = field(default_factory=list)
    real_quota_misses: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def false_alarm_rate(self) -> float | None:
        return len(self.false_alarms) / self.healthy if self.healthy else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reps": self.reps,
            "overall_recall": _round(self.recall),
            "expected": self.expected,
            "found": self.found,
            "effort_accuracy": _round(self.effort_right / self.reps if self.reps else None),
            "healthy": self.healthy,
            "false_alarms": len(self.false_alarms),
            "false_alarm_rate": _round(self.false_alarm_rate),
            "false_alarm_detail": self.false_alarms,
            "real_quota_misses_among_healthy": self.real_quota_misses,
            "missed": self.missed,
            "warnings": {kind: tally.as_dict() for kind, tally in self.kinds.items()},
            "causes": {cause: tally.as_dict() for cause, tally in self.causes.items()},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _real_miss(evidence: Mapping[str, Any]) -> bool:
    quarters = evidence.get("quarters") or []
    return bool(quarters) and all(q.get("attainment", 1) < 1 for q in quarters)


def score(said: Mapping[str, Said], truth: Mapping[str, Mapping[str, Any]]) -> Score:
    """Score what the engine said (by e-mail) against the ground truth's `people`."""
    result = Score()
    for email, expected in truth.items():
        archetype = expected["archetype"]
        engine = said.get(email, Said((), "none", "normal"))
        result.reps += 1
        warned = {kind for kind, _severity, _evidence in engine.warnings}
        wanted = set(expected["expected_warnings"])
        for kind in KINDS:
            tally = result.kinds[kind]
            if kind in warned and kind in wanted:
                tally.tp += 1
            elif kind in warned:
                tally.fp += 1
            elif kind in wanted:
                tally.fn += 1
                tally.fn_undecided += kind in engine.undecided
        cause = expected["expected_cause"]
        for name in CAUSES:
            tally = result.causes[name]
            if engine.cause == name and cause == name:
                tally.tp += 1
            elif engine.cause == name:
                tally.fp += 1
            elif cause == name:
                tally.fn += 1
        result.effort_right += engine.effort == expected["expected_effort"]
        if archetype not in HEALTHY:
            items = [*wanted, *([f"cause:{cause}"] if cause != "none" else [])]
            hits = [*(warned & wanted), *([f"cause:{cause}"] if engine.cause == cause else [])]
            result.expected += len(items)
            result.found += len([i for i in items if i in hits])
            segment = expected.get("facts", {}).get("segment")
            who = f"{email} ({archetype}{f', {segment} deals' if segment else ''})"
            for item in sorted(set(items) - set(hits)):
                undecided = " — not enough data" if item in engine.undecided else ""
                result.missed.append(f"{who}: {item}{undecided}")
            continue
        result.healthy += 1
        alarms = []
        for kind, severity, evidence in engine.warnings:
            if severity not in ALARMING:
                continue
            if kind == "quota_miss_streak" and _real_miss(evidence):
                result.real_quota_misses += 1
                continue
            alarms.append(kind)
            result.kinds[kind].healthy_alarms += 1
        if alarms:
            result.false_alarms.append(f"{email} ({archetype}): {', '.join(sorted(alarms))}")
    return result
