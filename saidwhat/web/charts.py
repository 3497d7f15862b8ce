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
    """Bars of statements per day on a date axis, from ``Store.person(id)["timeline"]``; days
    known only from the publication date (``published``) are drawn apart, hatched."""
    days = [(d, int(t["statements"]), bool(t.get("published"))) for t in timeline if (d := _day(t.get("date")))]
    if not days:
        return Markup('<p class="muted">No dated statements.</p>')
    first, last = days[0][0], days[-1][0]
    span = max((last - first).days, 1)
    totals: dict[date, int] = {}
    for d, n, _ in days:
        totals[d] = totals.get(d, 0) + n
    top = max(totals.values())
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    bar_w = max(3.0, min(24.0, plot_w / (span + 1)))
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" aria-label="statements per day">']
    parts.append(f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
                 f'y2="{HEIGHT - PAD}"/>')
    stacked: dict[date, float] = {}
    for d, n, published in days:
        x = PAD + (d - first).days / span * (plot_w - bar_w) if span else PAD
        h = max(2.0, n / top * plot_h)
        below = stacked.get(d, 0.0)
        stacked[d] = below + h
        how = " (day of publication: the text does not say when)" if published else ""
        parts.append(f'<rect class="bar{" published" if published else ""}" x="{x:.1f}" '
                     f'y="{HEIGHT - PAD - below - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                     f'<title>{escape(d.isoformat())}: {n} statement{"s" if n != 1 else ""}{how}</title></rect>')
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 6}">{escape(first.isoformat())}</text>')
    if last != first:
        parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" text-anchor="end">'
                     f'{escape(last.isoformat())}</text>')
    parts.append(f'<text x="{PAD}" y="{PAD - 8}">max {top}/day</text></svg>')
    return Markup("".join(parts))
