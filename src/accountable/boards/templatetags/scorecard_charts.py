"""Template tags for the scorecard pages: the product's SVG charts and the way its
ratios are written (47%, 2.1×, a score of 104).

{% load scorecard_charts %}
{% attainment_bar row.attainment row.pace scale=scale subject=row.name %}
{{ row.coverage|times }}   {{ row.attainment|pct }}   {{ row.activity_score|score }}
"""

# ruff: noqa: RUF001, RUF002 -- coverage is written with the multiplication sign

from __future__ import annotations

from django import template

from accountable.boards import charts
from accountable.crm.templatetags.money import money_short

register = template.Library()


@register.filter
def pct(value) -> str:
    """A fraction as a whole percentage: 0.473 -> 47%; None -> —."""
    return charts.percent(value)


@register.filter
def times(value) -> str:
    """Coverage as a multiple: 2.14 -> 2.1×; None -> —."""
    number = charts._num(value)
    return "—" if number is None else f"{number:.1f}×"


@register.filter
def score(value) -> str:
    """A weighted score (100 = on target) as a whole number; None -> —."""
    number = charts._num(value)
    return "—" if number is None else f"{round(number)}"


@register.filter
def percent_points(value) -> str:
    """A metric already in percent (a win rate of 31.5) as 32%; None -> —."""
    number = charts._num(value)
    return "—" if number is None else f"{round(number)}%"


@register.filter
def compact(value) -> str:
    return charts.compact(value)


@register.simple_tag
def attainment_bar(attainment, pace=None, scale=1.0, subject=""):
    return charts.attainment_bar(attainment, pace, scale=scale, subject=subject)


@register.simple_tag
def sparkline(values, subject="", median=None, baseline=None, partial=False):
    return charts.sparkline(
        values, subject=subject, median=median, baseline=baseline, partial=partial
    )


@register.simple_tag
def benchmark_strip(value, q1=None, median=None, q3=None, baseline=None, subject=""):
    return charts.benchmark_strip(
        value, q1=q1, median=median, q3=q3, baseline=baseline, subject=subject
    )


@register.filter
def by_now(baseline, pace):
    """A full period's usual figure scaled to the share of the period gone (a rate's
    pace is 1: its usual is its usual)."""
    number, share = charts._num(baseline), charts._num(pace)
    return None if number is None or share is None else number * share


@register.simple_tag
def figure(value, unit: str = "count", currency: str = "") -> str:
    """A metric's value in its catalogue unit: $48.2k, 31, 32%, 41 d; None -> —."""
    if value is None:
        return "—"
    if unit == "money":
        return money_short(value, currency)
    if unit == "percent":
        return percent_points(value)
    if unit == "days":
        return f"{charts.compact(value)} d"
    return charts.compact(value)
