"""Targets the data supports (SPEC §3: "the product can suggest a target from the
data"): from the person's own recent weeks, or for a rate their own over them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from accountable.goals import actuals
from accountable.goals.owners import known_metric, period_parse
from accountable.goals.splits import suggest_target
from accountable.org.calendar import Period
from accountable.org.models import Person
from accountable.targets.catalogue import Metric, Unit, metric_get


def places_for(metric_key: str) -> int:
    """Counts are whole numbers; money, percentages and days have cents."""
    return 0 if metric_get(metric_key).unit == Unit.COUNT else 2


def target_suggest(
    person: Person, metric: str, period_label: str | Period
) -> tuple[Decimal | None, str]:
    """A target the data supports: the 80th percentile of the person's last 12 weeks,
    scaled to the period's length in working weeks. None (with why) without 4 weeks of data."""
    known = known_metric(metric)
    if not actuals.is_computed(known.key):
        return None, f"{known.label} is not computed from the data, so nothing to suggest from."
    period = period_label if isinstance(period_label, Period) else period_parse(period_label)
    cal = period.calendar
    this_week = cal.period("week", timezone.localdate())
    if actuals.is_ratio(known.key):
        return _ratio_suggest(person, known, this_week)
    weekly = actuals.trailing_weeks(known.key, person.pk, this_week, 12)
    # Weeks before the person started are not history, they are absence.
    weekly = [
        v
        for w, v in zip(range(12, 0, -1), weekly, strict=True)
        if this_week.shift(-w).end >= person.start_date
    ]
    weeks = Decimal(period.working_days) / len(cal.working_days)
    suggestion = suggest_target(weekly, float(weeks), places=places_for(known.key))
    if suggestion is None:
        return None, "Too little history to suggest a target (fewer than 4 weeks)."
    if not any(weekly):
        return None, f"No {known.label.lower()} in the last {len(weekly)} weeks to suggest from."
    return suggestion, f"80th percentile of the last {len(weekly)} weeks, over {weeks:.1f} weeks"


# A rate suggested from fewer closed (or won) deals than this would be a guess.
MIN_DEALS_FOR_A_RATE = 5


def _ratio_suggest(person: Person, known: Metric, this_week: Period) -> tuple[Decimal | None, str]:
    """A rate is suggested as the person's own over the last 12 weeks, unscaled (a win rate
    does not grow with the period's length); growth is not suggested at all."""
    if known.key == "revenue_growth":
        return None, (
            "Revenue growth compares with last year, not with recent weeks: set it from the "
            "plan, so there is no suggestion."
        )
    first, last = this_week.shift(-12).start, this_week.shift(-1).end
    found = actuals.figure(known.key, [person.pk], first, last)
    what = "closed" if known.key == "win_rate" else "won"
    if found.value is None or (found.deals or 0) < MIN_DEALS_FOR_A_RATE:
        return None, (
            f"Too little history to suggest a target: {found.deals or 0} deals {what} in the "
            f"last 12 weeks, {MIN_DEALS_FOR_A_RATE} needed."
        )
    value = found.value.quantize(Decimal(1).scaleb(-places_for(known.key)), ROUND_HALF_UP)
    return value, f"{person.first_name}'s own over the last 12 weeks ({found.deals} deals {what})"
