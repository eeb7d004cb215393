"""Inline SVG bar charts for the HTML report: no script, no outside file, every label escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "bar_chart", "column_chart"]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float  # 0..1 of the full length
    text: str  # shown at the end of the bar
    kind: str = "good"  # good | bad | warn | none


_FILL = {"good": "#2e9d5b", "bad": "#d1453b", "warn": "#d9a300", "none": "#b8b8b8"}


def bar_chart(bars: list[Bar], title: str, label_width: int = 220, bar_width: int = 360,
              marker: float | None = None, marker_text: str = "") -> str:
    """Horizontal bars, one row each; an optional vertical marker (a pass mark) across them."""
    row, top = 26, 28
    width = label_width + bar_width + 180
    height = top + row * max(len(bars), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for i, b in enumerate(bars):
        y = top + i * row
        length = round(max(0.0, min(1.0, b.value)) * bar_width)
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{escape(b.label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="18" fill="#eeeeee"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="18" '
                     f'fill="{_FILL.get(b.kind, _FILL["none"])}" class="bar-{escape(b.kind)}"/>')
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 16}">{escape(b.text)}</text>')
    if marker is not None:
        x = label_width + round(max(0.0, min(1.0, marker)) * bar_width)
        parts.append(f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{height - 6}" stroke="#333" '
                     'stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x + 3}" y="{top - 8}" class="marker">{escape(marker_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(bars: list[Bar], title: str, marker: float | None = None, marker_text: str = "",
                 height: int = 180, column: int = 34) -> str:
    """Vertical columns left to right (attempts over time), labels under them."""
    gap, left, top, bottom = 10, 34, 46, 40
    width = max(left + (column + gap) * max(len(bars), 1) + 20, 360)  # room for the title with one attempt
    total = top + height + bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" height="{total}" '
             f'viewBox="0 0 {width} {total}"><title>{escape(title)}</title>',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
             f'<line x1="{left - 4}" y1="{top + height}" x2="{width - 10}" y2="{top + height}" stroke="#999"/>']
    for i, b in enumerate(bars):
        x = left + i * (column + gap)
        length = round(max(0.0, min(1.0, b.value)) * height)
        parts.append(f'<rect x="{x}" y="{top + height - length}" width="{column}" height="{length}" '
                     f'fill="{_FILL.get(b.kind, _FILL["none"])}" class="bar-{escape(b.kind)}"/>')
        parts.append(f'<text x="{x + column / 2}" y="{top + height - length - 4}" text-anchor="middle">'
                     f'{escape(b.text)}</text>')
        parts.append(f'<text x="{x + column / 2}" y="{top + height + 16}" text-anchor="middle">{escape(b.label)}</text>')
    if marker is not None:
        y = top + height - round(max(0.0, min(1.0, marker)) * height)
        parts.append(f'<line x1="{left - 4}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#333" '
                     'stroke-dasharray="4 3"/>')
        parts.append(f'<text x="0" y="{y + 4}" class="marker">{escape(marker_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
