"""Charts drawn by the product itself: small inline SVGs, no JavaScript, no network.

Every chart has to survive a black-and-white printer and a screen reader, so:

* status is carried by shape and pattern as well as colour -- a bar behind pace is
  hatched, the pace mark is a black rule that stands out above and below the bar, the
  team is drawn as an outline beside the person's solid bar;
* every number on the chart is also written as text, on it or beside it;
* each ``<svg>`` has ``role="img"``, a ``<title>`` and an ``aria-label`` stating the
  numbers in words.

Colours are SVG presentation attributes, so a chart looks right with no stylesheet
(a copied page, a print); app.css may restyle them by class. All text is escaped.

Values are plain numbers: attainment and pace are fractions (0.47 is 47%), series are
amounts or counts. ``None`` means "no figure" and is drawn as such, never as zero.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape  # Django's escape is this one, wrapped for lazy text: slower

from django.utils.safestring import SafeString, mark_safe

__all__ = [
    "Bar",
    "FunnelStage",
    "attainment_bar",
    "bar_chart",
    "benchmark_strip",
    "compact",
    "funnel_bars",
    "percent",
    "sparkline",
]

Number = int | float | Decimal
Format = Callable[[float], str]

INK = "#1d2433"
FAINT = "#7a8499"
TRACK = "#eef1f5"
TRACK_EDGE = "#b7c0cf"
AHEAD = "#1b7a4a"
BEHIND = "#9a6300"
BEHIND_SOFT = "#fff3d6"
PERSON = "#1f5fbf"
TEAM_SOFT = "#e7effb"

# Above this many times the target, bars stop growing: a 900% month is still "over".
MAX_SCALE = 2.0


# ---- formatting ------------------------------------------------------------------------


def _num(value: Number | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def percent(fraction: Number | None) -> str:
    """0.473 -> "47%"; None -> "—"."""
    value = _num(fraction)
    return "—" if value is None else f"{round(value * 100)}%"


def compact(value: Number | None) -> str:
    """A number as people read it on a chart: 940, 48.2k, 165k, 1.21M; None -> "—"."""
    number = _num(value)
    if number is None:
        return "—"
    size = abs(number)
    if size >= 1_000_000:
        text = f"{number / 1_000_000:.2f}M"
    elif size >= 100_000:
        text = f"{number / 1_000:.0f}k"
    elif size >= 10_000:
        text = f"{number / 1_000:.1f}k"
    elif size >= 100 or number == int(number):
        text = f"{number:,.0f}"
    else:
        text = f"{number:.1f}"
    return text


def _f(x: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _uid(*parts: object) -> str:
    """A stable id for a chart's <pattern>: the same chart twice on a page is harmless."""
    return "c" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:10]


def _svg(
    body: str,
    *,
    label: str,
    css: str,
    view_box: str | None = None,
    width: str = "100%",
    height: str | None = None,
    aspect: str | None = None,
) -> SafeString:
    attrs = [
        'xmlns="http://www.w3.org/2000/svg"',
        f'class="chart {escape(css)}"',
        'role="img"',
        f'aria-label="{escape(label)}"',
        f'width="{width}"',
    ]
    if height is not None:
        attrs.append(f'height="{height}"')
    if view_box is not None:
        attrs.append(f'viewBox="{view_box}"')
    if aspect is not None:
        attrs.append(f'preserveAspectRatio="{aspect}"')
    if view_box is None:
        # Drawn in percentages: let edge strokes and the pace mark at 0% or 100% show.
        attrs.append('overflow="visible"')
    return mark_safe(f"<svg {' '.join(attrs)}><title>{escape(label)}</title>{body}</svg>")  # noqa: S308 -- every piece of text above is escaped


def _hatch(uid: str, line: str, ground: str, css: str) -> str:
    """Diagonal stripes: 'behind' (or 'the team') without relying on colour."""
    return (
        f'<pattern id="{uid}" class="{css}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{ground}"/>'
        f'<rect width="2.5" height="6" fill="{line}"/></pattern>'
    )


# ---- attainment bar --------------------------------------------------------------------


def attainment_bar(
    attainment: Number | None,
    pace: Number | None = None,
    *,
    scale: Number = 1.0,
    subject: str = "",
) -> SafeString:
    """A bar of attainment against target, with a pace mark and the percentage as text.

    The track is the target (``scale`` > 1 widens it to show over-achievement on a
    common scale, with a dashed line at 100%). The pace mark is where the bar should
    have reached by now; a bar short of it is hatched ("behind pace"). Above the
    scale the bar is capped and ends in an arrow. ``None`` attainment means "no
    target": an empty track and a dash.
    """
    value, expected = _num(attainment), _num(pace)
    top = min(max(float(scale), 1.0), MAX_SCALE)
    who = f"{subject}: " if subject else ""
    if value is None:
        label = f"{who}no target for this period"
        body = _track()
        return _wrap_bar(_svg(body, label=label, css="attain none", height="24"), "—", "none")

    behind = expected is not None and value < expected
    status = "behind" if behind else "ahead"
    words = [f"{who}{percent(value)} of target"]
    if expected is not None:
        words.append(f"pace {percent(expected)}")
        words.append("behind pace" if behind else "on or ahead of pace")
    if value > top:
        words.append("beyond the chart")
    label = ", ".join(words)

    width = max(0.0, min(value, top)) / top * 100
    uid = _uid("attain", value, expected, top)
    parts = [_track()]
    if width > 0:
        if behind:
            parts.insert(0, f"<defs>{_hatch(uid, BEHIND, BEHIND_SOFT, 'hatch-behind')}</defs>")
            fill = f'fill="url(#{uid})" stroke="{BEHIND}" stroke-width="1"'
        else:
            fill = f'fill="{AHEAD}"'
        parts.append(
            f'<rect class="fill {status}" x="0" y="6" width="{_f(width)}%" height="12" {fill}/>'
        )
    if top > 1.0:
        at = 100 / top
        parts.append(
            f'<line class="target" x1="{_f(at)}%" x2="{_f(at)}%" y1="3" y2="21" '
            f'stroke="{FAINT}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    if value > top:
        # An arrowhead inside the end of the track: "more than the chart shows".
        parts.append(
            '<svg x="100%" y="6" width="1" height="12" overflow="visible">'
            f'<polygon class="over" points="-9,0 0,6 -9,12" fill="#fff" stroke="{AHEAD}"/></svg>'
        )
    if expected is not None:
        at = max(0.0, min(expected, top)) / top * 100
        # A black rule 2px wide, centred on the mark, standing out above and below the bar.
        parts.append(
            f'<rect class="pace" x="{_f(at)}%" y="1" width="2" height="22" fill="{INK}" '
            'transform="translate(-1 0)"/>'
        )
    svg = _svg("".join(parts), label=label, css=f"attain {status}", height="24")
    return _wrap_bar(svg, percent(value), status)


def _track() -> str:
    return (
        f'<rect class="track" x="0" y="6" width="100%" height="12" '
        f'fill="{TRACK}" stroke="{TRACK_EDGE}" stroke-width="1"/>'
    )


def _wrap_bar(svg: SafeString, text: str, status: str) -> SafeString:
    return mark_safe(  # noqa: S308 -- svg is built above, text is a formatted number
        f'<span class="attain-bar {status}">{svg}'
        f'<span class="pct" aria-hidden="true">{escape(text)}</span></span>'
    )


# ---- sparkline -------------------------------------------------------------------------

SPARK_W, SPARK_H, SPARK_PAD = 200, 40, 4


def sparkline(
    values: Sequence[Number | None],
    *,
    median: Number | Sequence[Number | None] | None = None,
    baseline: Number | None = None,
    subject: str = "",
    fmt: Format = compact,
    partial: bool = False,
) -> SafeString:
    """A line of weekly values (oldest first), the latest marked with a dot.

    ``median`` is the team median: one number (a dashed line, with a tick at the end)
    or one per week (a dashed line that follows it). ``baseline`` is the person's own
    trailing average, a dotted line. Missing weeks (None) leave a gap. ``partial``
    says the last week is still running: its segment is dashed and its dot hollow, so a
    Tuesday's half-week does not read as a collapse.
    """
    series = [_num(v) for v in values]
    team: list[float | None]
    if median is None:
        team = []
    elif isinstance(median, Sequence):
        team = [_num(v) for v in median]
    else:
        team = [_num(median)] * len(series)
    base = _num(baseline)
    known = [v for v in [*series, *team, base] if v is not None]
    what = f"{subject}, " if subject else ""
    if not any(v is not None for v in series):
        label = f"{what}no weekly figures yet"
        body = (
            f'<line x1="{SPARK_PAD}" x2="{SPARK_W - SPARK_PAD}" y1="{SPARK_H / 2}" '
            f'y2="{SPARK_H / 2}" stroke="{TRACK_EDGE}" stroke-dasharray="3 3"/>'
        )
        return _svg(body, label=label, css="spark none", view_box=f"0 0 {SPARK_W} {SPARK_H}")

    low, high = min(0.0, *known), max(known)
    span = high - low or 1.0
    count = len(series)
    step = (SPARK_W - 2 * SPARK_PAD) / max(count - 1, 1)

    def x(i: int) -> float:
        return SPARK_PAD + i * step if count > 1 else SPARK_W / 2

    def y(v: float) -> float:
        return SPARK_H - SPARK_PAD - (v - low) / span * (SPARK_H - 2 * SPARK_PAD)

    parts = [
        f'<line class="axis" x1="0" x2="{SPARK_W}" y1="{_f(y(low))}" y2="{_f(y(low))}" '
        f'stroke="{TRACK_EDGE}" stroke-width="1"/>'
    ]
    if base is not None:
        parts.append(
            f'<line class="baseline" x1="0" x2="{SPARK_W}" y1="{_f(y(base))}" '
            f'y2="{_f(y(base))}" stroke="{FAINT}" stroke-width="1.2" stroke-dasharray="1 2.5"/>'
        )
    if team and any(v is not None for v in team):
        parts.extend(_polylines(team, x, y, css="median", stroke=INK, width=1, dash="4 3"))
        last = next(i for i in range(len(team) - 1, -1, -1) if team[i] is not None)
        parts.append(
            f'<line class="median-tick" x1="{_f(x(last) - 3)}" x2="{_f(x(last) + 3)}" '
            f'y1="{_f(y(team[last]))}" y2="{_f(y(team[last]))}" stroke="{INK}" stroke-width="2"/>'
        )
    running = partial and count > 1 and series[-1] is not None and series[-2] is not None
    done = series[:-1] if running else series
    parts.extend(_polylines(done, x, y, css="line", stroke=PERSON, width=2, dash=None))
    if running:
        parts.append(
            f'<line class="line so-far" x1="{_f(x(count - 2))}" y1="{_f(y(series[-2]))}" '
            f'x2="{_f(x(count - 1))}" y2="{_f(y(series[-1]))}" stroke="{PERSON}" '
            'stroke-width="2" stroke-dasharray="2 3" stroke-linecap="round"/>'
        )
    latest = next(i for i in range(count - 1, -1, -1) if series[i] is not None)
    hollow = partial and latest == count - 1
    parts.append(
        f'<circle class="latest{" so-far" if hollow else ""}" cx="{_f(x(latest))}" '
        f'cy="{_f(y(series[latest]))}" r="3" fill="{"#fff" if hollow else PERSON}" '
        f'stroke="{PERSON if hollow else "#fff"}" stroke-width="{1.5 if hollow else 1}"/>'
    )
    figures = ", ".join("no figure" if v is None else fmt(v) for v in series)
    so_far = " (this week so far)" if hollow else ""
    words = [f"{what}{count} weeks, oldest first: {figures}{so_far}"]
    if team and team[-1] is not None:
        words.append(f"team median {fmt(team[-1])}")
    if base is not None:
        words.append(f"own trailing baseline {fmt(base)}")
    return _svg(
        "".join(parts), label="; ".join(words), css="spark", view_box=f"0 0 {SPARK_W} {SPARK_H}"
    )


def _polylines(series, x, y, *, css: str, stroke: str, width: float, dash: str | None):
    """One polyline per unbroken run of figures; a lone figure becomes a short dash."""
    runs: list[list[int]] = [[]]
    for i, v in enumerate(series):
        if v is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(i)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    lines = []
    for run in (r for r in runs if r):
        if len(run) == 1:
            i = run[0]
            points = f"{_f(x(i) - 2)},{_f(y(series[i]))} {_f(x(i) + 2)},{_f(y(series[i]))}"
        else:
            points = " ".join(f"{_f(x(i))},{_f(y(series[i]))}" for i in run)
        lines.append(
            f'<polyline class="{css}" points="{points}" fill="none" stroke="{stroke}" '
            f'stroke-width="{width}" stroke-linejoin="round" stroke-linecap="round"{dashed}/>'
        )
    return lines


# ---- benchmark strip -------------------------------------------------------------------

STRIP_W, STRIP_H = 200, 26


def benchmark_strip(
    value: Number | None,
    *,
    q1: Number | None,
    median: Number | None,
    q3: Number | None,
    low: Number | None = None,
    high: Number | None = None,
    baseline: Number | None = None,
    subject: str = "",
    fmt: Format = compact,
) -> SafeString:
    """Where a person stands in the team: the middle half (quartile box), the median
    (a thick rule) and the person (a black triangle over a rule); ``baseline``, the
    person's own usual figure, is a hollow ring on the axis.

    The axis runs from ``low`` to ``high`` (default: 0, or the smallest figure, to the
    largest figure plus a margin)."""
    mine, a, m, b, usual = _num(value), _num(q1), _num(median), _num(q3), _num(baseline)
    what = f"{subject}: " if subject else ""
    figures = [v for v in (mine, a, m, b, usual, _num(low), _num(high)) if v is not None]
    if not figures:
        return _svg(
            f'<line x1="4" x2="{STRIP_W - 4}" y1="16" y2="16" stroke="{TRACK_EDGE}" '
            'stroke-dasharray="3 3"/>',
            label=f"{what}no figures to compare",
            css="strip none",
            view_box=f"0 0 {STRIP_W} {STRIP_H}",
        )
    start = _num(low) if low is not None else min(0.0, *figures)
    end = _num(high) if high is not None else max(figures) * 1.1
    if end <= start:
        end = start + 1.0
    pad = 6

    def x(v: float) -> float:
        clipped = min(max(v, start), end)
        return pad + (clipped - start) / (end - start) * (STRIP_W - 2 * pad)

    parts = [
        f'<line class="axis" x1="{pad}" x2="{STRIP_W - pad}" y1="16" y2="16" '
        f'stroke="{TRACK_EDGE}" stroke-width="1"/>'
    ]
    words = []
    if a is not None and b is not None:
        uid = _uid("strip", a, b, start, end)
        parts.insert(0, f"<defs>{_hatch(uid, '#c9d7ef', '#fff', 'hatch-team')}</defs>")
        parts.append(
            f'<rect class="quartiles" x="{_f(x(a))}" y="10" width="{_f(max(x(b) - x(a), 1))}" '
            f'height="12" fill="url(#{uid})" stroke="{FAINT}" stroke-width="1"/>'
        )
        words.append(f"team middle half {fmt(a)} to {fmt(b)}")
    if m is not None:
        parts.append(
            f'<rect class="median" x="{_f(x(m) - 1.25)}" y="8" width="2.5" height="16" '
            f'fill="{FAINT}"/>'
        )
        words.append(f"team median {fmt(m)}")
    if usual is not None:
        parts.append(
            f'<circle class="baseline" cx="{_f(x(usual))}" cy="16" r="3.5" fill="#fff" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
        words.append(f"own usual {fmt(usual)}")
    if mine is not None:
        at = x(mine)
        parts.append(
            f'<rect class="mark" x="{_f(at - 1)}" y="8" width="2" height="16" fill="{INK}"/>'
            f'<polygon class="mark" points="{_f(at - 5)},1 {_f(at + 5)},1 {_f(at)},8" '
            f'fill="{INK}"/>'
        )
        words.insert(0, f"{what}{fmt(mine)}")
    else:
        words.insert(0, f"{what}no figure")
    return _svg(
        "".join(parts), label=", ".join(words), css="strip", view_box=f"0 0 {STRIP_W} {STRIP_H}"
    )


# ---- funnel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    """One step of the funnel: the person's count and the team's."""

    label: str
    person: Number | None
    team: Number | None = None


FUNNEL_W, FUNNEL_LABEL, FUNNEL_TRACK, FUNNEL_ROW = 330, 124, 134, 42


def _rate(after: float | None, before: float | None) -> float | None:
    if after is None or before is None or before <= 0:
        return None
    return after / before


def funnel_bars(
    stages: Sequence[FunnelStage], *, subject: str = "", team_label: str = "team"
) -> SafeString:
    """The funnel step by step: each step's counts written out ("31 you · 254 team"),
    and the conversion into it from the step before drawn as two bars on one 0-100%
    scale, the person's solid over the team's hatched, each with its percentage.

    Conversion is what compares fairly: a team's counts are a whole team's, a person's
    are one person's, but 7% of touches becoming meetings means the same for both."""
    if not stages:
        return _svg("", label=f"{subject}: no funnel", css="funnel none", view_box="0 0 10 10")
    height = len(stages) * FUNNEL_ROW
    left, track = FUNNEL_LABEL, FUNNEL_TRACK
    uid = _uid("funnel", tuple((s.label, _num(s.person), _num(s.team)) for s in stages))
    parts = [f"<defs>{_hatch(uid, '#9db7e3', '#fff', 'hatch-team')}</defs>"]
    words = []
    previous: FunnelStage | None = None
    for row, stage in enumerate(stages):
        mine, team = _num(stage.person), _num(stage.team)
        top = row * FUNNEL_ROW
        counts = f"{compact(mine)} you · {compact(team)} {team_label}"
        parts.append(
            f'<text class="stage" x="0" y="{top + 15}" font-size="13" font-weight="600" '
            f'fill="{INK}">{escape(stage.label)}</text>'
            f'<text class="count" x="0" y="{top + 31}" font-size="11.5" fill="{FAINT}">'
            f"{escape(counts)}</text>"
        )
        rate_words = ""
        if previous is not None:
            rates = (
                (4, _rate(mine, _num(previous.person)), "person", "you"),
                (20, _rate(team, _num(previous.team)), "team", team_label),
            )
            for offset, rate, css, who in rates:
                y = top + offset
                parts.append(
                    f'<rect class="track" x="{left}" y="{y}" width="{track}" height="12" '
                    f'fill="{TRACK}"/>'
                )
                if rate:
                    fill = (
                        f'fill="{PERSON}"'
                        if css == "person"
                        else f'fill="url(#{uid})" stroke="{PERSON}" stroke-width="1"'
                    )
                    parts.append(
                        f'<rect class="{css}" x="{left}" y="{y}" '
                        f'width="{_f(min(rate, 1.0) * track)}" height="12" {fill}/>'
                    )
                parts.append(
                    f'<text class="rate {css}" x="{left + track + 6}" y="{y + 10}" '
                    f'font-size="11.5" fill="{INK if css == "person" else FAINT}">'
                    f"{escape(percent(rate))} {escape(who)}</text>"
                )
            rate_words = (
                f" ({percent(rates[0][1])} of {previous.label.lower()}, "
                f"{team_label} {percent(rates[1][1])})"
            )
        words.append(f"{stage.label} {compact(mine)}, {team_label} {compact(team)}{rate_words}")
        previous = stage
    label = (f"{subject}: " if subject else "") + "; ".join(words)
    return _svg("".join(parts), label=label, css="funnel", view_box=f"0 0 {FUNNEL_W} {height - 6}")


# ---- roll-up bar chart -----------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One team on the roll-up chart: attainment and pace as fractions."""

    label: str
    attainment: Number | None
    pace: Number | None = None


CHART_ROW, CHART_BARS = 44, 88  # row height in px; the bars' share of the width in %


def bar_chart(bars: Sequence[Bar], *, subject: str = "Attainment by team") -> SafeString:
    """Teams one under the other: each name, then its attainment bar with its pace mark,
    all on one scale (up to twice the target), a dashed line at 100% and the percentage
    written at the end of the row.

    Drawn in percentages of the width, not a viewBox, so the text keeps its size from a
    phone to a wall screen: the bars take the first 88% of the width, the figures the rest.
    """
    if not bars:
        return _svg("", label=f"{subject}: no teams", css="bars none", height="20")
    known = [_num(b.attainment) for b in bars if _num(b.attainment) is not None]
    top = min(max([1.0, *known]), MAX_SCALE)
    top = math.ceil(top * 4) / 4  # a round end to the scale: 100%, 125%, 150%...

    def x(v: float) -> str:
        return _f(max(0.0, min(v, top)) / top * 100)

    rows = []
    words = []
    for row, bar in enumerate(bars):
        value, expected = _num(bar.attainment), _num(bar.pace)
        y = row * CHART_ROW
        behind = value is not None and expected is not None and value < expected
        rows.append(
            f'<text class="name" x="0" y="{y + 14}" font-size="13" font-weight="600" '
            f'fill="{INK}">{escape(bar.label)}</text>'
            f'<rect class="track" x="0" y="{y + 20}" width="100%" height="14" '
            f'fill="{TRACK}" stroke="{TRACK_EDGE}" stroke-width="1"/>'
        )
        if value is not None and value > 0:
            if behind:
                uid = _uid("bars", row, value, expected)
                rows.append(f"<defs>{_hatch(uid, BEHIND, BEHIND_SOFT, 'hatch-behind')}</defs>")
                fill = f'fill="url(#{uid})" stroke="{BEHIND}" stroke-width="1"'
            else:
                fill = f'fill="{AHEAD}"'
            rows.append(
                f'<rect class="fill {"behind" if behind else "ahead"}" x="0" y="{y + 20}" '
                f'width="{x(value)}%" height="14" {fill}/>'
            )
        if expected is not None:
            rows.append(
                f'<rect class="pace" x="{x(expected)}%" y="{y + 15}" width="2" height="24" '
                f'fill="{INK}" transform="translate(-1 0)"/>'
            )
        state = ""
        if expected is not None and value is not None:
            state = ", behind pace" if behind else ", on or ahead of pace"
        pace_words = f", pace {percent(expected)}" if expected is not None else ""
        words.append(f"{bar.label} {percent(value)}{pace_words}{state}")
    axis_y = len(bars) * CHART_ROW + 14
    step = 0.25 if top <= 1.25 else 0.5
    ticks = [i * step for i in range(int(top / step + 1e-9) + 1)]
    if ticks[-1] < top - 1e-9:
        ticks.append(top)
    for tick in ticks:
        anchor = "start" if tick == 0 else "end" if tick == top else "middle"
        rows.append(
            f'<text class="tick" x="{x(tick)}%" y="{axis_y}" text-anchor="{anchor}" '
            f'font-size="11" fill="{FAINT}">{percent(tick)}</text>'
        )
    rows.append(
        f'<line class="target" x1="{x(1.0)}%" x2="{x(1.0)}%" y1="16" y2="{axis_y - 12}" '
        f'stroke="{FAINT}" stroke-dasharray="3 3"/>'
    )
    figures = "".join(
        f'<text class="pct" x="{CHART_BARS}%" dx="10" y="{row * CHART_ROW + 32}" '
        f'font-size="14" font-weight="650" fill="{INK}">{escape(percent(_num(bar.attainment)))}'
        "</text>"
        for row, bar in enumerate(bars)
    )
    body = (
        f'<svg class="plot" x="0" y="0" width="{CHART_BARS}%" height="100%" overflow="visible">'
        f"{''.join(rows)}</svg>{figures}"
    )
    return _svg(body, label=f"{subject}: " + "; ".join(words), css="bars", height=str(axis_y + 4))
