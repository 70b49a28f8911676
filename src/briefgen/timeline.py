"""Draws the milestone timeline: events on a time axis, each labelled with its date and title.

Dates come as ISO text at the precision they were written: a year ("2025"), a month ("2025-06")
or a day ("2025-06-30"). Each sits at the middle of the period it names (a year at 2 July, a
month at its 15th), so "2025" is not read as New Year's Day, and is labelled at its own
precision: "2025", "Jun 2025", "30 Jun 2025". Labels stack in levels above and below the axis,
each in the lowest level where it covers no other label and no other event's stem; time ticks
are as fine as their labels' widths allow across the span.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from typing import Any

WIDTH = 6.3  # inches
AXES = (0.01, 0.98)  # left and width, as fractions of the figure
FONT = 7.5
GAP = 7.0  # points between the axis and the first level, and between levels
PAD = 5.0  # points kept clear between labels side by side
ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Tick steps, finest first: months (dividing the year, so ticks fall on the same months every
# year), then years. The first whose labels fit across the axis is used.
STEPS = [("month", n) for n in (1, 2, 3, 6)] + [("year", n) for n in (1, 2, 5, 10, 20, 50)]
DAYS = {"month": 30.4, "year": 365.25}


def when(iso: str) -> dt.date:
    """Where a date of that precision sits on the axis: the middle of its year or month."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 7, 2)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


def label(iso: str) -> str:
    """A date as precise as it was written: "2025", "Jun 2025", "30 Jun 2025"."""
    parts = [int(p) for p in iso.split("-")]
    words = [str(parts[0])]
    if len(parts) > 1:
        words.insert(0, ABBREVIATIONS[parts[1] - 1])
    if len(parts) > 2:
        words.insert(0, str(parts[2]))
    return " ".join(words)


@dataclass
class _Placed:
    """A label's level (1, 2, … above the axis; -1, -2, … below) and its left and right, in points."""

    stem: float
    level: int
    left: float
    right: float


def draw(data: dict[str, Any]) -> Any:
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    events = sorted(data["events"], key=lambda e: when(e[0]))
    fig = plt.figure(figsize=(WIDTH, 2.0))
    ax = fig.add_axes((AXES[0], 0.2, AXES[1], 0.7))
    days = [float(mdates.date2num(when(iso))) for iso, _, _ in events]
    span = max(days[-1] - days[0], 90)
    low, high = days[0] - span * 0.06 - 20, days[-1] + span * 0.06 + 20
    width = AXES[1] * WIDTH * 72  # the axis in points
    per_point = (high - low) / width

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg's canvas has one
    texts, sizes = [], []
    for iso, title, expected in events:
        color = data["colors"]["accent"] if expected else data["colors"]["primary"]
        words = f"{label(iso)}{' (target)' if expected else ''}\n{textwrap.fill(title, 30)}"
        text = ax.text(0, 0, words, ha="center", multialignment="center", fontsize=FONT, color="#1a1a1a")
        extent = text.get_window_extent(renderer)
        texts.append((text, color, expected))
        sizes.append((extent.width * 72 / fig.dpi, extent.height * 72 / fig.dpi))
    pitch = max(h for _, h in sizes) + GAP
    placed: list[_Placed] = []
    stems = [(day - low) / per_point for day in days]
    for i, (stem, (w, _)) in enumerate(zip(stems, sizes, strict=True)):
        placed.append(_place(stem, w, width, placed, [x for x in stems[i + 1 :] if x != stem]))

    above = max([p.level for p in placed] + [0])
    below = max([-p.level for p in placed] + [0])
    top, bottom = GAP + above * pitch, -(GAP + below * pitch)
    top, bottom = max(top, 14), min(bottom, -14)
    margin_bottom, margin_top = 0.3, 0.04  # inches: the tick labels below, air above
    height = (top - bottom) / 72 + margin_bottom + margin_top
    fig.set_size_inches(WIDTH, height)
    ax.set_position((AXES[0], margin_bottom / height, AXES[1], (top - bottom) / 72 / height))
    ax.set_xlim(low, high)
    ax.set_ylim(bottom, top)  # one unit of y is one point

    ax.axhline(0, color="#999999", linewidth=1, zorder=1)
    for day, (text, color, expected), spot in zip(days, texts, placed, strict=True):
        base = GAP + (abs(spot.level) - 1) * pitch
        up = spot.level > 0
        ax.scatter([day], [0], s=40, color="white" if expected else color, edgecolors=color, zorder=3)
        ax.vlines(day, 0, base if up else -base, color=color, linewidth=0.8)
        text.set_position((low + (spot.left + spot.right) / 2 * per_point, base if up else -base))
        text.set_verticalalignment("bottom" if up else "top")
    _ticks(ax, renderer, fig.dpi, width, high - low)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    return fig


def _place(stem: float, w: float, width: float, placed: list[_Placed], upcoming: list[float]) -> _Placed:
    """The lowest level (above or below, the emptier side first) where a label ``w`` points wide
    sits over its stem, inside the axis, overlapping no label. Preferably its stem crosses no
    label nearer the axis and it covers no stem of an event still to come; when labels nearer the
    axis cover the stem on both sides, the stem may cross them. Labels never overlap."""
    for strict in (True, False):
        for depth in range(1, len(placed) + 2):
            above = sum(p.level > 0 for p in placed) <= sum(p.level < 0 for p in placed)
            for avoid, side in [(a, s) for a in (upcoming, []) for s in ((1, -1) if above else (-1, 1))]:
                lower = [p for p in placed if p.level * side > 0 and abs(p.level) < depth]
                if strict and any(p.left - PAD < stem < p.right + PAD for p in lower):
                    continue  # this stem would cross a label nearer the axis
                left = _free_left(stem, w, width, placed, depth * side, avoid)
                if left is not None:
                    return _Placed(stem, depth * side, left, left + w)
    raise AssertionError("the level beyond the last is always free")


def _free_left(
    stem: float, w: float, width: float, placed: list[_Placed], level: int, avoid: list[float]
) -> float | None:
    """The left edge nearest to centring the label on its stem, with the stem under the label, the
    label inside the axis, and clear of the level's labels, of the stems passing through it and
    of the stems at ``avoid``."""
    farther = [p.stem for p in placed if p.level * level > 0 and abs(p.level) > abs(level)]
    blocked = [(p.left - PAD - w, p.right + PAD) for p in placed if p.level == level]
    blocked += [(x - PAD - w, x + PAD) for x in [*farther, *avoid]]
    lo, hi = max(0.0, stem - w + 2), min(width - w, stem - 2)
    if lo > hi:  # nowhere inside the axis covers the stem (a stem at its very edge): centre it
        lo = hi = min(max(stem - w / 2, 0.0), max(width - w, 0.0))
    ideal = min(max(stem - w / 2, lo), hi)
    edges = {e for a, b in blocked for e in (a, b) if lo <= e <= hi}
    for left in sorted({ideal, lo, hi, *edges}, key=lambda x: abs(x - ideal)):
        if not any(a < left < b for a, b in blocked):
            return left
    return None


def _ticks(ax: Any, renderer: Any, dpi: float, width: float, days: float) -> None:
    """The finest ticks whose labels fit side by side: months for short spans, years for long."""
    import matplotlib
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    sample = ax.text(0, 0, "", fontsize=matplotlib.rcParams["xtick.labelsize"])
    widths = {}
    for unit, text in (("month", "May 2025"), ("year", "2025")):
        sample.set_text(text)
        widths[unit] = sample.get_window_extent(renderer).width * 72 / dpi
    sample.remove()
    unit, n = next(
        ((unit, n) for unit, n in STEPS if (days / (n * DAYS[unit]) + 1) * (widths[unit] + 10) <= width),
        STEPS[-1],
    )
    if unit == "month":
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, n)))
    else:
        ax.xaxis.set_major_locator(mdates.YearLocator(base=n))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _tick(mdates.num2date(x), unit)))


def _tick(when: dt.datetime, unit: str) -> str:
    return f"{ABBREVIATIONS[when.month - 1]} {when.year}" if unit == "month" else str(when.year)
