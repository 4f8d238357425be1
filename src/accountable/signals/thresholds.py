"""The thresholds of the warning engine: organisation settings with documented defaults.

Every number a rule compares against lives here, with what it means. An admin
can change any of them (`SignalSettings.thresholds` holds only the changed
ones, by name); `Thresholds.from_overrides` applies them over the defaults and
rejects unknown names and impossible values with a readable message.

The defaults were tuned on the demo organisation (`accountable evaluate`, see
docs/signals.md) by looking at what each planted pattern does to the numbers —
never by reading the ground truth inside the engine. The rules that compare a person
with their own past (activity drop, win rate, deal size, cycle) also ask how sure
they can be (`confidence`, `stats`): their ratio says how large a change must be to
matter, the test whether it is larger than the person's own noise.
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

    # How sure the engine must be that a change is more than the person's own noise
    # before it warns (`stats`): a change this large must happen by chance less than
    # 1 - confidence of the time (0.98: less than 1 time in 50). Applies to the
    # activity drop, the win rate, deal size and cycle.
    confidence: float = 0.98

    # activity_drop: touches a week over the last 4 weeks against the person's usual
    # week (the median of the 12 before, and their own week-to-week variation).
    activity_drop_ratio: float = 0.8  # a drop to this share of the usual week, or lower
    activity_drop_high_ratio: float = 0.5

    # win_rate_decline: win rate (won ÷ closed) of the last 26 weeks against the 26
    # weeks before (Fisher's exact test), by enough to matter.
    win_rate_decline_ratio: float = 0.75
    win_rate_min_closed: int = 8  # closed deals in each half-year, at the least

    # cycle_lengthening: days from created to won of the deals won in the last 26 weeks
    # against those won in the 26 weeks before (a rank test on the logs).
    cycle_lengthening_ratio: float = 1.25
    cycle_min_won: int = 3

    # deal_size_decline: won deals of the last 26 weeks against the 26 weeks before
    # (a rank test on the logs: one large deal moves a rank, not the average).
    deal_size_decline_ratio: float = 0.8
    deal_size_min_won: int = 3

    # Peers who sell alike: "the team" is the reps of the person's team whose typical
    # won deal is within this many times theirs (either way); when fewer than three of
    # them have a figure, the reps of the whole organisation in that band. 0 turns the
    # band off (the team, then everyone).
    peer_deal_size_band: float = 2.5

    # low_coverage: new pipeline over the last 4 weeks below
    # `low_coverage_refill_ratio` of the team's (it is not being rebuilt), AND open
    # pipeline ÷ a quarter's target below `low_coverage_ratio`, OR the new pipeline a
    # week, over one median sales cycle, covers less than
    # `low_coverage_projected_ratio` of a quarter.
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
    # `effort_drop_ratio` of their usual week.
    prospecting_ratio: float = 0.65
    conversion_ratio: float = 0.7
    deal_size_ratio: float = 0.8
    cycle_ratio: float = 1.3
    weak_results: float = 0.9  # results-based causes need attainment below this
    effort_low_ratio: float = 0.75
    effort_drop_ratio: float = 0.75  # … or below this share of their usual week

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
    "statistics": "How sure, and against whom",
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
    ThresholdInfo(
        "confidence",
        "statistics",
        "How sure the engine must be that a change is more than the person's usual ups and "
        "downs before it warns: 0.98 means a change that large would happen by chance less "
        "than 1 time in 50. Higher: fewer false alarms, later warnings. Applies to the "
        "activity drop, win rate, deal size and cycle; too little data to be that sure shows "
        "as 'not enough data', never as a pass.",
        0.5,
        0.9999,
    ),
    _share(
        "activity_drop_ratio",
        "activity_drop",
        "Warn when touches a week over the last 4 weeks are at or below this share of the "
        "person's usual week (the median of the 12 weeks before) — and further below it "
        "than their own week-to-week variation explains. Also marks effort as low.",
    ),
    _share(
        "activity_drop_high_ratio",
        "activity_drop",
        "High severity at or below this share of their usual week.",
    ),
    _share(
        "win_rate_decline_ratio",
        "win_rate_decline",
        "Warn when the win rate of the last 26 weeks is at or below this share of the 26 "
        "weeks before, and a drop that large is unlikely by chance with that many deals.",
    ),
    _count(
        "win_rate_min_closed",
        "win_rate_decline",
        "Closed deals needed in each half-year before the win rate is judged at all (fewer: "
        "not enough data).",
    ),
    ThresholdInfo(
        "cycle_lengthening_ratio",
        "cycle_lengthening",
        "Warn when deals won in the last 26 weeks typically took at least this many times "
        "as long as those won in the 26 weeks before, and that is unlikely by chance.",
        1.0,
        None,
    ),
    _count(
        "cycle_min_won",
        "cycle_lengthening",
        "Won deals needed in each half-year to judge the cycle (fewer: not enough data).",
    ),
    _share(
        "deal_size_decline_ratio",
        "deal_size_decline",
        "Warn when deals won in the last 26 weeks are typically at or below this share of "
        "those won in the 26 weeks before, and that is unlikely by chance.",
    ),
    _count(
        "deal_size_min_won",
        "deal_size_decline",
        "Won deals needed in each half-year to compare deal sizes (fewer: not enough data).",
    ),
    _times(
        "peer_deal_size_band",
        "statistics",
        "Who counts as the team: the reps of the same team whose typical won deal is within "
        "this many times the person's, either way (2.5: from 40 % to 250 %); when fewer than "
        "three of them have a figure, the reps of the whole organisation in that band. 0 "
        "turns the band off (the whole team, then everyone).",
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
        "being rebuilt; only then is anyone warned (a short-cycle team holds little open "
        "pipeline against a quarter's target, and that is not a warning).",
    ),
    _times(
        "low_coverage_projected_ratio",
        "low_coverage",
        "…or, not being rebuilt, when the new pipeline a week over one median sales cycle "
        "would cover less than this many times a quarter's target.",
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
        "Effort is low when touches a week are below this share of the team median.",
    ),
    _share(
        "effort_drop_ratio",
        "diagnosis",
        "Effort is also low when touches a week (last 4 weeks) are below this share of the "
        "person's usual week: the median of the 12 weeks before, each week measured against "
        "what everyone did that week.",
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
# Thresholds of earlier versions of the rules, which the statistical tests replaced: an
# organisation's old value for one of them is left out, not refused.
RETIRED = frozenset(
    {
        "win_rate_decline_points",
        "cycle_team_ratio",
        "cycle_age_ratio",
        "deal_size_team_ratio",
    }
)

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
    overrides = {k: v for k, v in (overrides or {}).items() if k not in RETIRED}
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
