"""What the team board and the personal scorecard show of the warning engine.

`BoardSignals` is one board row's worth — the live warnings as small flags, the
three rights as pass/warn/fail/unknown marks, the diagnosis cause and effort — and
`ScorecardSignals` the scorecard's panels, with the evidence, the diagnosis in
words and its next step. `selectors.board_signals` and
`selectors.scorecard_signals` build them from stored rows (`PersonAssessment`,
`WarningSign`); the templates `signals/_board_rights.html`,
`signals/_board_flags.html` and `signals/_scorecard_panels.html` draw them.

Plain data and wording, no database: tests build these by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from accountable.signals.models import KIND_LABELS, Severity, WarningStatus
from accountable.signals.rules import THRESHOLD_OF, TIMES
from accountable.signals.stats import chance_in_words
from accountable.signals.thresholds import INFO

__all__ = [
    "CAUSE_LABELS",
    "BoardSignals",
    "DiagnosisSummary",
    "Flag",
    "RightMark",
    "ScorecardSignals",
    "board_csv_fields",
    "evidence_rows",
    "flags_sorted",
    "rights_from",
    "shown",
    "threshold_in_words",
    "undecided_rows",
]

# One or two words for a board's flag column (SPEC §4: "conversion", "activity").
SHORT_LABELS = {
    "quota_miss_streak": "quota",
    "low_activity": "activity",
    "activity_drop": "activity drop",
    "win_rate_decline": "win rate",
    "cycle_lengthening": "cycle",
    "deal_size_decline": "deal size",
    "low_coverage": "pipeline",
    "late_prospecting": "prospecting",
    "wrong_product_mix": "product mix",
    "channel_mix": "channels",
    "complaints": "complaints",
    "missed_commitments": "commitments",
}
# Severity by shape as well as by colour: a filled triangle, an outline, a small one.
SEVERITY_MARKS = {Severity.HIGH: "▲", Severity.MEDIUM: "△", Severity.LOW: "▿"}
SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}

RIGHTS = (
    ("thing", "right_thing", "Right thing"),
    ("way", "right_way", "Right way"),
    ("time", "right_time", "Right time"),
)
# Shapes, not colours: full, half, empty — and a question mark for "not enough data".
RIGHT_MARKS = {"pass": "●", "warn": "◐", "fail": "○", "unknown": "?"}
RIGHT_WORDS = {"pass": "pass", "warn": "warn", "fail": "fail", "unknown": "not enough data"}
# Board order of the rights column: fails first, then warns (then unknown, then passes).
RIGHT_SORT = {"fail": 0, "warn": 1, "unknown": 2, "pass": 3}

CAUSE_LABELS = {
    "prospecting": "Prospecting: too few meetings",
    "conversion": "Selling skill: enough meetings, too few wins",
    "deal_size": "Deal size and targeting: normal win rate, small deals",
    "cycle": "Deal progression: deals take too long",
    "none": "No funnel problem",
    "unknown": "Not enough data to judge yet",
}
CAUSE_SHORT = {
    "prospecting": "prospecting",
    "conversion": "conversion",
    "deal_size": "deal size",
    "cycle": "cycle",
    "none": "none",
    "unknown": "not enough data",
}
EFFORT_LABELS = {"low": "low effort", "normal": "normal effort", "unknown": "effort not known"}
# Causes that name something to work on (not "none", not "unknown": not enough data).
NAMED_CAUSES = frozenset({"prospecting", "conversion", "deal_size", "cycle"})


def shown(value: Any) -> str:
    """An evidence value as a person reads it: 15,317; 0.75; a list of quarters."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "; ".join(
            ", ".join(f"{k} {shown(v)}" for k, v in item.items())
            if isinstance(item, dict)
            else shown(item)
            for item in value
        )
    return str(value)


# The evidence's figures in plain words, where a key's name would not do: windows
# written out ("last 4 weeks", not "4w"), measures said as the warnings say them.
EVIDENCE_LABELS = {
    "chance": "By chance alone",
    "confidence": "Confidence asked for",
    "complaints_91d": "Complaints, last 91 days",
    "due": "Commitments due, last 91 days",
    "missed": "Not met on time",
    "touches_per_week_4w": "Touches a week, last 4 weeks",
    "touches_per_week_4w_in_ordinary_weeks": (
        "Touches a week, last 4 weeks, each week against what everyone did"
    ),
    "touches_per_week_12w": "Touches a week, last 12 weeks",
    "prospecting_per_week_4w": "Prospecting touches a week, last 4 weeks",
    "win_rate_26w": "Win rate, last 26 weeks",
    "weeks_recent": "Weeks counted of the last 4",
    "weeks_baseline": "Weeks counted of the 12 before",
    "usual_week": "Usual week (the median of the 12 before)",
    "usual_variation": "Usual variation from week to week",
    "typical_ratio": "Typically now, against before (times)",
    "cycle_days": "Sales cycle in days (median)",
    "team_cycle_days": "Team median sales cycle in days",
    "median_cycle_days": "Median sales cycle in days",
    "open_deal_age_days": "Age of the deals still open, in days (median)",
    "team_open_deal_age_days": "Age of the team's deals still open, in days (median)",
    "weeks_since_opportunity": "Weeks since the last new opportunity",
    "meetings_per_100_touches": "First meetings per 100 prospecting touches",
    "top_meetings_per_100_touches": "Top performers' first meetings per 100 prospecting touches",
}


# Figures that are shares wherever they appear, shown as percentages; and those that
# are shares in one warning's evidence only.
SHARES = frozenset(
    {
        "attainment",
        "phone_share",
        "priority_share",
        "prospecting_share",
        "team_priority_deal_share",
        "team_priority_share",
        "team_win_rate",
        "top_phone_share",
        "top_win_rate",
        "win_rate",
        "win_rate_26w",
    }
)
SHARES_OF = {"win_rate_decline": frozenset({"own_baseline", "team_median"})}


def _quarters(quarters: list) -> str:
    """A quota streak's quarters as the warning says them: "2026-Q2 53%; 2026-Q3 37%"."""
    said = []
    for q in quarters:
        if not isinstance(q, Mapping) or not isinstance(q.get("attainment"), int | float):
            return shown(quarters)
        said.append(f"{q.get('period', '')} {_percent(float(q['attainment']))}".strip())
    return "; ".join(said)


def _percent(value: float) -> str:
    """0.98 as "98%", 0.975 as "97.5%"."""
    return f"{value:.0%}" if round(value * 100, 6) == int(round(value * 100, 6)) else f"{value:.1%}"


def threshold_in_words(kind: str, value: Any) -> str:
    """A warning's threshold in the unit of its setting (`rules.THRESHOLD_OF`): a share
    as a percentage ("80%"), a multiple with the times sign (1.25 times), a count as a
    number."""
    info = INFO.get(THRESHOLD_OF.get(kind, ""))
    if info is None or isinstance(value, bool) or not isinstance(value, int | float):
        return shown(value)
    if info.whole:
        return f"{int(value):,}"
    if info.maximum == 1.0:
        return _percent(float(value))
    return f"{float(value):g}{TIMES}"


def evidence_rows(
    evidence: Mapping[str, Any] | None, kind: str | None = None
) -> tuple[tuple[str, str], ...]:
    """(figure, value) pairs of an evidence dict, named for people, in name order; the
    chance of a change that large by luck alone is said in words ("about 1 time in 50"),
    the confidence asked for and the figures that are shares (`SHARES`, `SHARES_OF`
    the warning's `kind`) as percentages, and a warning's threshold, given its `kind`,
    in its own unit (`threshold_in_words`)."""

    def value_of(name: str, value: Any) -> str:
        if name == "chance" and isinstance(value, int | float):
            return chance_in_words(float(value))
        if name == "confidence" and isinstance(value, int | float):
            return _percent(float(value))
        if name == "threshold" and kind is not None:
            return threshold_in_words(kind, value)
        if name == "quarters" and isinstance(value, list):
            return _quarters(value)
        share = name in SHARES or name in SHARES_OF.get(kind or "", ())
        if share and isinstance(value, int | float) and not isinstance(value, bool):
            return _percent(float(value))
        return shown(value)

    return tuple(
        (EVIDENCE_LABELS.get(name, name.replace("_", " ").capitalize()), value_of(name, value))
        for name, value in sorted((evidence or {}).items())
    )


def undecided_rows(undecided: Any) -> tuple[tuple[str, str], ...]:
    """(warning label, why not judged) of stored `PersonAssessment.undecided` entries."""
    rows = []
    for item in undecided or ():
        if isinstance(item, Mapping) and item.get("kind") in KIND_LABELS:
            rows.append((str(KIND_LABELS[item["kind"]]), str(item.get("reason", ""))))
    return tuple(rows)


@dataclass(frozen=True)
class Flag:
    """A live warning as the board and the scorecard show it."""

    pk: int
    kind: str
    severity: str
    status: str
    period: str
    message: str = ""
    evidence: tuple[tuple[str, str], ...] = ()
    first_seen_on: date | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def short_label(self) -> str:
        return SHORT_LABELS.get(self.kind, self.kind)

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    @property
    def severity_mark(self) -> str:
        return SEVERITY_MARKS.get(self.severity, "")

    @property
    def status_label(self) -> str:
        return WarningStatus(self.status).label

    @property
    def acknowledged(self) -> bool:
        return self.status == WarningStatus.ACKNOWLEDGED

    @property
    def is_open(self) -> bool:
        return self.status == WarningStatus.OPEN


def flags_sorted(flags: list[Flag]) -> tuple[Flag, ...]:
    """Most severe first, then open before acknowledged, then by kind."""
    return tuple(
        sorted(
            flags,
            key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.status != "open", f.kind),
        )
    )


@dataclass(frozen=True)
class RightMark:
    """One of the three rights: pass, warn, fail or unknown (not enough data), with the numbers."""

    name: str  # thing, way or time
    label: str  # "Right thing"
    status: str  # pass, warn, fail or unknown (not enough data)
    message: str = ""
    evidence: tuple[tuple[str, str], ...] = ()

    @property
    def mark(self) -> str:
        return RIGHT_MARKS.get(self.status, "?")

    @property
    def status_words(self) -> str:
        return RIGHT_WORDS.get(self.status, self.status)

    @property
    def words(self) -> str:
        return f"{self.label}: {self.status_words}"

    @property
    def unknown(self) -> bool:
        return self.status == "unknown"

    @property
    def reason(self) -> str:
        """The message without its "Not enough data to judge…:" lead-in, for a title that
        already says so."""
        for lead in ("Not enough data to judge yet: ", "Not enough data to judge: "):
            if self.message.startswith(lead):
                rest = self.message[len(lead) :]
                return rest[:1].upper() + rest[1:]
        return self.message


def rights_from(
    stored: Mapping[str, Mapping[str, Any]] | None, *, with_evidence: bool = False
) -> tuple[RightMark, ...]:
    """The three rights from `Rights.as_dict()` (stored or just computed); empty if none."""
    if not stored:
        return ()
    marks = []
    for name, key, label in RIGHTS:
        right = stored.get(key) or {}
        marks.append(
            RightMark(
                name=name,
                label=label,
                status=right.get("status", ""),
                message=right.get("message", ""),
                evidence=evidence_rows(right.get("evidence")) if with_evidence else (),
            )
        )
    return tuple(marks)


@dataclass(frozen=True)
class BoardSignals:
    """One person's signals on the team board. `judged_on` is the day the engine
    judged them (None: not judged yet — no run yet, or not a rep it judges)."""

    person_id: int
    flags: tuple[Flag, ...] = ()
    rights: tuple[RightMark, ...] = ()
    cause: str = ""
    effort: str = ""
    judged_on: date | None = None

    @property
    def cause_label(self) -> str:
        return CAUSE_LABELS.get(self.cause, "")

    @property
    def cause_short(self) -> str:
        return CAUSE_SHORT.get(self.cause, "")

    @property
    def effort_label(self) -> str:
        return EFFORT_LABELS.get(self.effort, "")

    @property
    def open_count(self) -> int:
        return sum(1 for f in self.flags if f.is_open)

    @property
    def names_cause(self) -> bool:
        """Whether the diagnosis names a cause worth showing ("why: prospecting")."""
        return self.cause in NAMED_CAUSES

    def rights_sort_key(self) -> tuple[int, int, int] | None:
        """How bad the three rights look, for the board's Rights column (biggest is
        worst): fails, then warns, then not enough data; None when not judged."""
        if not self.rights:
            return None
        statuses = [r.status for r in self.rights]
        return (statuses.count("fail"), statuses.count("warn"), statuses.count("unknown"))

    def flags_sort_key(self) -> tuple[int, int] | None:
        """How bad the warnings look, for the board's Flags column (biggest is worst):
        the most severe one (high 3, medium 2, low 1), then how many; None with none."""
        if not self.flags:
            return None
        worst = min(SEVERITY_ORDER.get(f.severity, 3) for f in self.flags)
        return (3 - worst, len(self.flags))

    @property
    def warning_kinds(self) -> str:
        """The warnings' kinds, most severe first, `;`-separated (for the CSV)."""
        return ";".join(f.kind for f in self.flags)


def board_csv_fields(signals: BoardSignals | None) -> dict[str, str]:
    """A board row's signals for its CSV line: each right's status, the warnings' kinds
    (`;`-separated, most severe first), the diagnosis cause and effort; empty when the
    person has not been judged."""
    rights = {r.name: r.status for r in signals.rights} if signals else {}
    return {
        "rights_thing": rights.get("thing", ""),
        "rights_way": rights.get("way", ""),
        "rights_time": rights.get("time", ""),
        "warnings": signals.warning_kinds if signals else "",
        "cause": signals.cause if signals else "",
        "effort": signals.effort if signals else "",
    }


@dataclass(frozen=True)
class DiagnosisSummary:
    """The diagnosis as the scorecard says it: the cause, the effort, the sentence with
    its numbers, the next step, and the figures it used."""

    cause: str
    effort: str
    message: str
    next_step: str
    evidence: tuple[tuple[str, str], ...] = ()

    @property
    def cause_label(self) -> str:
        return CAUSE_LABELS.get(self.cause, self.cause)

    @property
    def conversation(self) -> str:
        """`accountability` when effort is low (whatever the cause), `coaching` when
        effort is normal but something in the funnel is weak, else ``""``."""
        if self.effort == "low":
            return "accountability"
        if self.cause in NAMED_CAUSES:
            return "coaching"
        return ""

    @property
    def unknown(self) -> bool:
        """Not enough data to judge: no cause, no effort, nothing on track either."""
        return self.cause == "unknown"

    @property
    def conversation_label(self) -> str:
        if self.unknown:
            return "Not enough data"
        return {
            "accountability": "Accountability conversation: lack of effort",
            "coaching": "Coaching opportunity: effort is normal, results are weak",
        }.get(self.conversation, "On track")


@dataclass(frozen=True)
class ScorecardSignals:
    """A person's signals on their scorecard. `computed` says the engine ran for this
    page (nothing stored for the day); `can_handle`, that the viewer may acknowledge."""

    person_id: int
    name: str
    flags: tuple[Flag, ...] = ()
    diagnosis: DiagnosisSummary | None = None
    rights: tuple[RightMark, ...] = ()
    period: str = ""
    judged_on: date | None = None
    computed: bool = False
    can_handle: bool = False
    # The warnings that could not be judged with the confidence asked for: (label, why).
    undecided: tuple[tuple[str, str], ...] = ()
