"""The thresholds of the warning engine: organisation settings with documented defaults.

Every number a rule compares against lives here, with what it means. An admin
can change any of them (`SignalSettings.thresholds` holds only the changed
ones, by name); `Thresholds.from_overrides` applies them over the defaults and
rejects unknown names and impossible values with a readable message.

The defaults were tuned on the demo organisation (`accountable evaluate`, see
docs/signals.md) by looking at what each planted pattern does to the numbers —
never by reading the ground truth inside the engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = [
    "DEFAULTS",
    "GROUPS",
    "INFO",
    "ThresholdError",
    "ThresholdInfo",
    "Thresholds",
    "threshold_check",
]


class ThresholdError(ValueError):
    """A threshold setting the admin can fix; the message says which and why, and
    `errors` holds each problem by the threshold's name (for a form)."""

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


@dataclass(frozen=True)
class Thresholds:
    # quota_miss_streak: a quarter is "missed" below this share of its (ramped)
    # revenue target; the current quarter counts once half of it is gone, by
    # its run-rate projection.
    quota_miss_attainment: float = 0.85
    quota_miss_periods: int = 2  # consecutive missed quarters that make a pattern
    quota_miss_high_periods: int = 3  # … and that make it high severity
    quota_miss_high_attainment: float = 0.6  # … or an average this low over the streak

    # low_activity: touches (calls, e-mails, social, follow-ups) a week over the
    # last 12 weeks AND the last 4, against the team median (ramped).
    low_activity_ratio: float = 0.7
    low_activity_high_ratio: float = 0.45

    # activity_drop: touches a week over the last 4 weeks against the person's
    # own average of the 12 weeks before.
    activity_drop_ratio: float = 0.7  # recent ÷ own baseline at or below this
    activity_drop_high_ratio: float = 0.5

    # win_rate_decline: win rate (won ÷ closed) of the last 26 weeks against the
    # 26 weeks before, with enough closed deals in each to mean something.
    win_rate_decline_ratio: float = 0.7
    win_rate_decline_points: float = 0.08  # and at least this many points lower
    win_rate_min_closed: int = 12

    # cycle_lengthening: median days from created to won of the last quarter's
    # won deals against the team median, AND the median age of the deals still
    # open against the team's.
    cycle_team_ratio: float = 1.3
    cycle_age_ratio: float = 1.5
    cycle_min_won: int = 2

    # deal_size_decline: average won deal of the last quarter against the
    # person's own of half a year earlier and the team median.
    deal_size_decline_ratio: float = 0.75
    deal_size_team_ratio: float = 0.85
    deal_size_min_won: int = 3

    # low_coverage: open pipeline ÷ a quarter's target below this, AND new
    # pipeline over the last 4 weeks below `low_coverage_refill_ratio` of the
    # team's (it is not being rebuilt); OR the new pipeline a week, over one median
    # sales cycle, covers less than `low_coverage_projected_ratio` of a quarter.
    low_coverage_ratio: float = 1.2
    low_coverage_high_ratio: float = 0.5
    low_coverage_refill_ratio: float = 0.7
    low_coverage_projected_ratio: float = 1.6

    # late_prospecting: prospecting touches a week over the last 4 weeks below
    # this share of the team median (ramped) — no prospecting now, no deals a
    # sales cycle from now.
    late_prospecting_ratio: float = 0.25

    # wrong_product_mix: share of won value (last 26 weeks) in priority products
    # below this share of the team median.
    product_mix_ratio: float = 0.5
    product_mix_min_won: int = 4

    # channel_mix: prospecting by phone AND first meetings per 100 prospecting
    # touches both below this share of what the team's top performers do.
    channel_mix_ratio: float = 0.6

    # complaints: customer complaints over the last 91 days.
    complaints_count: int = 2
    complaints_high_count: int = 4

    # missed_commitments: commitments due in the last 91 days and not met on time.
    missed_commitments_count: int = 2
    missed_commitments_share: float = 0.5

    # Enough data to judge someone at all. With less, the three rights are
    # `unknown` and the diagnosis says there is not enough history (cause
    # `unknown`) instead of grading missing numbers as a pass: someone who
    # started fewer than `judge_min_weeks` weeks ago, or who has fewer than
    # `judge_min_touches` touches in the 16 weeks read AND fewer than
    # `judge_min_closed` deals closed (won or lost) in the year read.
    judge_min_weeks: int = 4
    judge_min_touches: int = 1
    judge_min_closed: int = 1

    # Diagnosis: first meetings (or new opportunities) below this share of the
    # team median, or of the person's own baseline, is a prospecting problem;
    # win rate, deal size and cycle against the team; effort is low when
    # touches fall below `effort_low_ratio` of the team or drop below
    # `activity_drop_ratio` of their own baseline.
    prospecting_ratio: float = 0.65
    conversion_ratio: float = 0.7
    deal_size_ratio: float = 0.8
    cycle_ratio: float = 1.3
    weak_results: float = 0.9  # results-based causes need attainment below this
    effort_low_ratio: float = 0.75

    # The three rights: warn/fail edges.
    prospecting_share_warn: float = 0.35  # prospecting touches ÷ all touches
    prospecting_share_fail: float = 0.15
    right_way_warn: float = 0.75  # against the top performers
    right_way_fail: float = 0.5

    @classmethod
    def from_overrides(cls, overrides: dict[str, Any] | None) -> Thresholds:
        """The defaults with the organisation's changes applied; ThresholdError (saying
        every problem, each by name) when a change is unknown or impossible."""
        clean, errors = threshold_check(overrides)
        if errors:
            raise ThresholdError(" ".join(errors.values()), errors=errors)
        return replace(cls(), **clean)

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


DEFAULTS = Thresholds()


@dataclass(frozen=True)
class ThresholdInfo:
    """What one threshold means, for the settings page and the checks: which warning
    (or the diagnosis, or the three rights) it belongs to, in plain words, and the
    values it can take."""

    name: str
    group: str
    meaning: str
    minimum: float = 0.0
    maximum: float | None = None
    whole: bool = False  # a count: a whole number

    @property
    def default(self) -> float | int:
        return getattr(DEFAULTS, self.name)


def _share(name: str, group: str, meaning: str) -> ThresholdInfo:
    """A share or a ratio that only makes sense between 0 and 1."""
    return ThresholdInfo(name, group, meaning, 0.0, 1.0)


def _times(name: str, group: str, meaning: str, minimum: float = 0.0) -> ThresholdInfo:
    """A multiple (of a target, of the team's figure) with no upper bound."""
    return ThresholdInfo(name, group, meaning, minimum, None)


def _count(name: str, group: str, meaning: str, maximum: int | None = None) -> ThresholdInfo:
    return ThresholdInfo(name, group, meaning, 1, maximum, whole=True)


# The groups of the settings page, in its order: the warning kinds, then the rest.
GROUPS = {
    "quota_miss_streak": "Quota missed in a row",
    "low_activity": "Low activity",
    "activity_drop": "Activity dropping",
    "win_rate_decline": "Win rate declining",
    "cycle_lengthening": "Sales cycle lengthening",
    "deal_size_decline": "Deals shrinking",
    "low_coverage": "Pipeline low against quota",
    "late_prospecting": "Not prospecting early enough",
    "wrong_product_mix": "Not selling the priority products",
    "channel_mix": "Channels that do not work",
    "complaints": "Customer complaints",
    "missed_commitments": "Commitments missed",
    "judging": "Enough data to judge",
    "diagnosis": "Diagnosis: cause and effort",
    "rights": "The three rights",
}

_INFO = [
    _share(
        "quota_miss_attainment",
        "quota_miss_streak",
        "A quarter counts as missed below this share of its (ramped) revenue target; the "
        "quarter under way counts by its run rate once half of it is gone.",
    ),
    _count(
        "quota_miss_periods",
        "quota_miss_streak",
        "Missed quarters in a row that make a pattern (and a warning).",
        maximum=5,
    ),
    _count(
        "quota_miss_high_periods",
        "quota_miss_streak",
        "Missed quarters in a row that make it high severity.",
        maximum=5,
    ),
    _share(
        "quota_miss_high_attainment",
        "quota_miss_streak",
        "High severity also when the streak's average attainment is below this share.",
    ),
    _share(
        "low_activity_ratio",
        "low_activity",
        "Warn when touches a week (over the last 12 weeks and the last 4) are at or below "
        "this share of the team median.",
    ),
    _share(
        "low_activity_high_ratio",
        "low_activity",
        "High severity at or below this share of the team median.",
    ),
    _share(
        "activity_drop_ratio",
        "activity_drop",
        "Warn when touches a week over the last 4 weeks are at or below this share of the "
        "person's own average of the 12 weeks before. Also marks effort as low.",
    ),
    _share(
        "activity_drop_high_ratio",
        "activity_drop",
        "High severity at or below this share of their own average.",
    ),
    _share(
        "win_rate_decline_ratio",
        "win_rate_decline",
        "Warn when the win rate of the last 26 weeks is at or below this share of the 26 "
        "weeks before…",
    ),
    _share(
        "win_rate_decline_points",
        "win_rate_decline",
        "…and at least this much lower, in points (0.08 = 8 points).",
    ),
    _count(
        "win_rate_min_closed",
        "win_rate_decline",
        "Closed deals needed in each half-year for the win rate to mean something.",
    ),
    _times(
        "cycle_team_ratio",
        "cycle_lengthening",
        "Warn when the median days to win (last quarter's won deals) are at least this "
        "many times the team median…",
        minimum=1.0,
    ),
    _times(
        "cycle_age_ratio",
        "cycle_lengthening",
        "…and the deals still open are at least this many times as old as the team's.",
        minimum=1.0,
    ),
    _count(
        "cycle_min_won",
        "cycle_lengthening",
        "Deals won last quarter needed to judge the cycle.",
    ),
    _share(
        "deal_size_decline_ratio",
        "deal_size_decline",
        "Warn when the average won deal of the last quarter is at or below this share of "
        "the person's own half a year earlier…",
    ),
    _share(
        "deal_size_team_ratio",
        "deal_size_decline",
        "…and at or below this share of the team median.",
    ),
    _count(
        "deal_size_min_won",
        "deal_size_decline",
        "Won deals needed in each period to compare deal sizes.",
    ),
    _times(
        "low_coverage_ratio",
        "low_coverage",
        "Warn when open pipeline is below this many times a quarter's target while new "
        "pipeline is not being rebuilt (next line).",
    ),
    _times(
        "low_coverage_high_ratio",
        "low_coverage",
        "High severity below this many times a quarter's target.",
    ),
    _share(
        "low_coverage_refill_ratio",
        "low_coverage",
        "New pipeline over the last 4 weeks below this share of the team's counts as not "
        "being rebuilt.",
    ),
    _times(
        "low_coverage_projected_ratio",
        "low_coverage",
        "Also warn when the new pipeline a week, over one median sales cycle, would cover "
        "less than this many times a quarter's target.",
    ),
    _share(
        "late_prospecting_ratio",
        "late_prospecting",
        "Warn when prospecting touches a week (last 4 weeks) are below this share of the "
        "team median; high severity below half of it.",
    ),
    _share(
        "product_mix_ratio",
        "wrong_product_mix",
        "Warn when the share of won value in priority products (last 26 weeks) is below "
        "this share of the team median.",
    ),
    _count(
        "product_mix_min_won",
        "wrong_product_mix",
        "Won deals needed over the 26 weeks to judge the product mix.",
    ),
    _share(
        "channel_mix_ratio",
        "channel_mix",
        "Warn when the phone share of prospecting and first meetings per 100 prospecting "
        "touches are both below this share of what the top performers do.",
    ),
    _count(
        "complaints_count",
        "complaints",
        "Customer complaints in the last 91 days that make a warning.",
    ),
    _count(
        "complaints_high_count",
        "complaints",
        "Complaints in the last 91 days that make it high severity.",
    ),
    _count(
        "missed_commitments_count",
        "missed_commitments",
        "Commitments due in the last 91 days and not met on time that make a warning…",
    ),
    _share(
        "missed_commitments_share",
        "missed_commitments",
        "…when they are also at least this share of the commitments due.",
    ),
    _count(
        "judge_min_weeks",
        "judging",
        "Weeks since someone started before they are judged; until then their rights and "
        "diagnosis say there is not enough data.",
    ),
    _count(
        "judge_min_touches",
        "judging",
        "Touches in the last 16 weeks needed to judge someone who has no closed deal "
        "either (fewer, and no closed deal: not enough data).",
    ),
    _count(
        "judge_min_closed",
        "judging",
        "Deals closed (won or lost) in the last year that are enough to judge someone with "
        "too few touches.",
    ),
    _share(
        "prospecting_ratio",
        "diagnosis",
        "Prospecting problem: first meetings and new opportunities below this share of the "
        "team median (or first meetings below it of the person's own baseline).",
    ),
    _share(
        "conversion_ratio",
        "diagnosis",
        "Selling-skill problem: enough meetings but a win rate below this share of the "
        "team median.",
    ),
    _share(
        "deal_size_ratio",
        "diagnosis",
        "Deal-size problem: a normal win rate but an average deal below this share of the "
        "team median.",
    ),
    _times(
        "cycle_ratio",
        "diagnosis",
        "Deal-progression problem: deals taking more than this many times the team's "
        "median cycle to win.",
        minimum=1.0,
    ),
    ThresholdInfo(
        "weak_results",
        "diagnosis",
        "Conversion, deal size and cycle are only named as a cause when attainment is "
        "below this share of target.",
        0.0,
        1.5,
    ),
    _share(
        "effort_low_ratio",
        "diagnosis",
        "Effort is low when touches a week are below this share of the team median (or have "
        "dropped to the activity-drop share of their own baseline).",
    ),
    _share(
        "prospecting_share_warn",
        "rights",
        "Right thing warns when prospecting is below this share of all touches…",
    ),
    _share(
        "prospecting_share_fail",
        "rights",
        "…and fails below this share.",
    ),
    _share(
        "right_way_warn",
        "rights",
        "Right way warns when first meetings per 100 touches, the win rate or the phone "
        "share fall below this share of the top performers'…",
    ),
    _share(
        "right_way_fail",
        "rights",
        "…and fails (meetings and win rate) below this share.",
    ),
]
INFO: dict[str, ThresholdInfo] = {info.name: info for info in _INFO}

# (stricter, looser, message): edges that must not cross.
_ORDER = [
    ("quota_miss_high_attainment", "quota_miss_attainment", "the high-severity edge"),
    ("quota_miss_periods", "quota_miss_high_periods", "the quarters for a warning"),
    ("low_activity_high_ratio", "low_activity_ratio", "the high-severity edge"),
    ("activity_drop_high_ratio", "activity_drop_ratio", "the high-severity edge"),
    ("low_coverage_high_ratio", "low_coverage_ratio", "the high-severity edge"),
    ("complaints_count", "complaints_high_count", "the complaints for a warning"),
    ("prospecting_share_fail", "prospecting_share_warn", "the fail edge"),
    ("right_way_fail", "right_way_warn", "the fail edge"),
]


def _number(info: ThresholdInfo, value: Any) -> tuple[float | int | None, str]:
    """(the value as a number, "") or (None, why not)."""
    name = info.name
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        return None, f'{name} must be a number, not "{value}".'
    try:
        number = float(str(value).strip())
    except ValueError:
        return None, f'{name} must be a number, not "{value}".'
    if number != number or number in (float("inf"), float("-inf")):
        return None, f'{name} must be a number, not "{value}".'
    if number < 0:
        return None, f"{name} cannot be negative ({value})."
    if info.whole:
        if number != int(number):
            return None, f"{name} must be a whole number, not {value}."
        number = int(number)
    if number < info.minimum:
        return None, f"{name} must be at least {info.minimum:g}, not {value}."
    if info.maximum is not None and number > info.maximum:
        limit = "1 (a share: 0.7 is 70 %)" if info.maximum == 1 else f"{info.maximum:g}"
        return None, f"{name} must be at most {limit}, not {value}."
    return number, ""


def threshold_check(
    overrides: dict[str, Any] | None,
) -> tuple[dict[str, float | int], dict[str, str]]:
    """({name: clean number}, {name: what is wrong}) for the organisation's changes,
    checked each on its own and then against each other (with the defaults for the
    rest): a high-severity edge may not be looser than the medium one."""
    overrides = dict(overrides or {})
    errors: dict[str, str] = {}
    unknown = sorted(set(overrides) - set(INFO))
    if unknown:
        errors["__all__"] = (
            f"Unknown threshold {', '.join(unknown)}. Known ones: {', '.join(INFO)}."
        )
    clean: dict[str, float | int] = {}
    for name, value in overrides.items():
        if name not in INFO:
            continue
        number, error = _number(INFO[name], value)
        if error:
            errors[name] = error
        else:
            clean[name] = number  # type: ignore[assignment]
    merged = {**DEFAULTS.as_dict(), **clean}
    for stricter, looser, what in _ORDER:
        if stricter in errors or looser in errors:
            continue
        if merged[stricter] > merged[looser]:
            # Blame whichever the admin changed (the stricter one if both).
            name = stricter if stricter in clean or looser not in clean else looser
            errors[name] = (
                f"{stricter} ({merged[stricter]:g}) cannot be above {looser} "
                f"({merged[looser]:g}): {what} must not cross the other."
            )
    return clean, errors
