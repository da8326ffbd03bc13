"""A timeline as an SVG bar chart drawn by the server: no script, no chart
library. Each period's bars link to its results. Split by outlet, counts
are stacked, a colour an outlet; shares stand side by side (shares of
different outlets' output do not add up)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..explore.timeline import Bucket, Timeline

WIDTH, HEIGHT = 900, 260
LEFT, BOTTOM, TOP = 48, 36, 12
COLOURS = ("#3b6ea8", "#d0782a", "#4a9a5b", "#b8434e", "#7b5ea7", "#8c6d46", "#c45fa0", "#6f7b86")
"""One an outlet, in the order of their matches; the rest share the last."""


def timeline_svg(timeline: Timeline, share: bool, href: Callable[[Bucket], str]) -> str:
    periods = timeline.periods
    if not periods:
        return ""
    series = timeline.outlets or (None,)
    values = [[_value(period, outlet, share, bool(timeline.outlets)) for outlet in series] for period in periods]
    stacked = not share
    top = max((sum(row) if stacked else max(row) for row in values), default=0) or 1
    step = (WIDTH - LEFT) / len(periods)
    plot = HEIGHT - BOTTOM - TOP
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="matches over time">',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{_label(top, share)}</text>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" class="axis"/>',
    ]
    every = max(1, len(periods) // 12)
    for n, (period, row) in enumerate(zip(periods, values, strict=True)):
        title = f"{period.label}: {period.count} of {period.published}"
        parts.append(f'<a href="{escape(href(period))}"><title>{escape(title)}</title>')
        parts.extend(_bars(LEFT + n * step + step * 0.1, step * 0.8, row, plot / top, stacked))
        parts.append("</a>")
        if n % every == 0:
            label = escape(period.label)
            x = LEFT + (n + 0.5) * step
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bars(x: float, width: float, row: list[float], scale: float, stacked: bool) -> list[str]:
    """One period's bars: stacked from the axis up, or side by side."""
    bars: list[str] = []
    base: float = HEIGHT - BOTTOM
    narrow = width if stacked else width / len(row)
    for k, value in enumerate(row):
        height = value * scale
        top = base - height if stacked else HEIGHT - BOTTOM - height
        left = x if stacked else x + k * narrow
        colour = COLOURS[min(k, len(COLOURS) - 1)]
        bars.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{max(narrow, 1):.1f}" height="{height:.1f}" fill="{colour}"/>'
        )
        base = top if stacked else base
    return bars


def legend(timeline: Timeline) -> list[tuple[str, str]]:
    """Each outlet of a split timeline with its colour."""
    return [(outlet or "(no outlet)", COLOURS[min(k, len(COLOURS) - 1)]) for k, outlet in enumerate(timeline.outlets)]


def _value(period: Bucket, outlet: str | None, share: bool, split: bool) -> float:
    if not split:
        return period.share if share else period.count
    return period.outlet_share(outlet) if share else period.outlets.get(outlet, 0)


def _label(top: float, share: bool) -> str:
    return f"{top:.0%}" if share else f"{top:g}"
