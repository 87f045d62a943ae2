"""Geometry of the server-side SVG bar charts (no script, no inline style: CSP-safe)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 70
BAR_HEIGHT = 18
ROW_GAP = 8


@register.simple_tag
def chart_geometry(bars: list[Any]) -> dict[str, Any]:
    """Positions of each bar: the longest bar fills the space between labels and values."""
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for i, bar in enumerate(bars):
        y = ROW_GAP + i * (BAR_HEIGHT + ROW_GAP)
        length = round(span * bar.share, 1) if bar.value else 0
        rows.append(
            {
                "bar": bar,
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "length": max(length, 1 if bar.value else 0),
                "value_x": LABEL_WIDTH + length + 6,
            }
        )
    return {
        "width": WIDTH,
        "height": ROW_GAP + len(bars) * (BAR_HEIGHT + ROW_GAP),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "rows": rows,
    }
