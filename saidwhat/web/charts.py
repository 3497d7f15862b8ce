"""A tiny inline SVG timeline: no chart library, no script, nothing to load."""
from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 120, 24


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def timeline_svg(timeline: list[dict[str, Any]]) -> Markup:
    """Bars of statements per day on a date axis, from ``Store.person(id)["timeline"]``."""
    days = [(d, int(t["statements"])) for t in timeline if (d := _day(t.get("date")))]
    if not days:
        return Markup('<p class="muted">No dated statements.</p>')
    first, last = days[0][0], days[-1][0]
    span = max((last - first).days, 1)
    top = max(n for _, n in days)
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    bar_w = max(3.0, min(24.0, plot_w / (span + 1)))
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" aria-label="statements per day">']
    parts.append(f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
                 f'y2="{HEIGHT - PAD}"/>')
    for d, n in days:
        x = PAD + (d - first).days / span * (plot_w - bar_w) if span else PAD
        h = max(2.0, n / top * plot_h)
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{bar_w:.1f}" '
                     f'height="{h:.1f}"><title>{escape(d.isoformat())}: {n} statement'
                     f'{"s" if n != 1 else ""}</title></rect>')
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 6}">{escape(first.isoformat())}</text>')
    if last != first:
        parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" text-anchor="end">'
                     f'{escape(last.isoformat())}</text>')
    parts.append(f'<text x="{PAD}" y="{PAD - 8}">max {top}/day</text></svg>')
    return Markup("".join(parts))
