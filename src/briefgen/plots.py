"""Draws charts of values by category: the trade chart and the bar, line and stacked charts that
content declares from CSV files.

A value nobody knows (None) is a gap, never a zero: a bar is left out and marked "n/a", a line
breaks, and the legend says what "n/a" means. Value axes carry thousands separators.
"""

from __future__ import annotations

import math
from typing import Any

WIDTH = 6.3  # inches: the text width of an A4 page, less a little
UNKNOWN = "n/a: not available"
ESTIMATE = "(e) estimate"
MAX_TICK_CHARS = 28  # a longer category is cut short on its axis (the caption and alt say it all)
GRID = {"color": "#dddddd", "linewidth": 0.6}


def thousands() -> Any:
    """A tick formatter: thousands separators, and as many decimals as the step between ticks
    needs (1,000 · 2,500 · 0.25)."""
    from matplotlib.ticker import Formatter

    class Thousands(Formatter):
        ticks: tuple[float, ...] = ()

        def set_locs(self, locs: Any) -> None:  # the axis gives every tick value before formatting
            self.ticks = tuple(locs)

        def __call__(self, x: float, pos: int | None = None) -> str:
            return f"{x + 0.0:,.{places(self.ticks or (x,))}f}"  # + 0.0: no "-0"

    return Thousands()


def places(ticks: Any) -> int:
    """The fewest decimals that tell these tick values apart exactly."""
    scale = max([abs(v) for v in ticks] + [1.0])
    return next((d for d in range(7) if all(abs(round(v, d) - v) < 1e-9 * scale for v in ticks)), 6)


def palette(colors: dict[str, str], n: int) -> list[str]:
    """One colour per series: the publisher's primary, accent and muted colours, then tints of them."""
    base = [colors["primary"], colors["accent"], colors["muted"]]
    found = base + [tint(c, 0.45) for c in base] + [tint(c, 0.7) for c in base]
    return [found[i % len(found)] for i in range(n)]


def tint(color: str, amount: float) -> str:
    """``color`` mixed with white: 0 keeps it, 1 is white."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def value_axis(ax: Any, unit: str | None, counts: bool = False) -> None:
    """Thousands separators; whole-number ticks for whole-number data (three cities, never 2.5)."""
    from matplotlib.ticker import MaxNLocator

    if counts:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(thousands())
    if unit:
        ax.set_ylabel(unit)
    ax.yaxis.grid(True, **GRID)
    ax.set_axisbelow(True)


def mark_unknown(ax: Any, x: float, y: float = 0) -> None:
    """Where a bar nobody knows would stand: a small "n/a" on the baseline."""
    ax.annotate(
        "n/a",
        (x, y),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=6.5,
        color="#666666",
        rotation=90,
    )


def legend(ax: Any, handles: list[Any], labels: list[str]) -> None:
    """Above the plot, in as many columns as fit."""
    ax.legend(
        handles,
        labels,
        frameon=False,
        ncols=min(len(labels), 3),
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        borderaxespad=0,
    )


def legend_extras(estimates: bool, unknown: bool) -> tuple[list[Any], list[str]]:
    """Legend entries that explain marks rather than series: hatching and "n/a"."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    labels: list[str] = []
    if estimates:
        handles.append(Patch(facecolor="#9aa0a6", edgecolor="white", hatch="////", linewidth=0))
        labels.append(ESTIMATE)
    if unknown:
        handles.append(Line2D([], [], linestyle="none"))  # the "n/a" marks explain themselves
        labels.append(UNKNOWN)
    return handles, labels


def category_axis(ax: Any, labels: list[str]) -> None:
    """Categories as tick labels: level if they fit, else slanted, and thinned when too many for
    even that."""
    fig = ax.figure
    short = [t if len(t) <= MAX_TICK_CHARS else t[: MAX_TICK_CHARS - 1] + "…" for t in labels]
    ax.set_xticks(range(len(short)), short)
    renderer = fig.canvas.get_renderer()
    slot = ax.get_window_extent(renderer).width / max(len(short), 1)
    widest = max((t.get_window_extent(renderer).width for t in ax.get_xticklabels()), default=0)
    if widest > slot * 0.92:
        height = max(t.get_window_extent(renderer).height for t in ax.get_xticklabels())
        step = max(1, math.ceil(height * 1.6 / slot))  # slanted at 45°, a label needs ~1.4 heights
        ax.set_xticks(range(0, len(short), step), short[::step])
        for text in ax.get_xticklabels():
            text.set_rotation(45)
            text.set_ha("right")
            text.set_rotation_mode("anchor")
    ax.set_xlim(-0.6, len(short) - 0.4)


def trade(data: dict[str, Any]) -> Any:
    """The trade table's rows as grouped bars per year; estimated years hatched."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH, 2.7))
    years, series = data["years"], data["series"]
    colors = palette(data["colors"], 3)
    colors[1], colors[2] = colors[2], colors[1]  # market, imports, from the U.S.: the accent last
    estimates = set(data["estimates"])
    width = 0.8 / len(series)
    handles, labels = [], []
    unknown = False
    for i, (label, values) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        for x, (year, value) in enumerate(zip(years, values, strict=True)):
            if value is None:
                mark_unknown(ax, x + offset)
                unknown = True
                continue
            bar = ax.bar(x + offset, value, width, color=colors[i])[0]
            if year in estimates:
                bar.set_hatch("////")
                bar.set_edgecolor("white")
                bar.set_linewidth(0)
        handles.append(plt.Rectangle((0, 0), 1, 1, color=colors[i]))
        labels.append(label)
    extra_handles, extra_labels = legend_extras(bool(estimates & set(years)), unknown)
    ax.set_xticks(range(len(years)), [f"{y}{' (e)' if y in estimates else ''}" for y in years])
    value_axis(ax, data["unit"])
    ax.set_ylim(bottom=0)
    legend(ax, handles + extra_handles, labels + extra_labels)
    return fig


def bar(data: dict[str, Any]) -> Any:
    """Grouped bars: one group per category, one bar per series."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    series = data["series"]
    colors = palette(data["colors"], len(series))
    width = 0.8 / len(series)
    unknown = False
    for i, (_, values) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        for x, value in enumerate(values):
            if value is None:
                mark_unknown(ax, x + offset)
                unknown = True
            else:
                ax.bar(x + offset, value, width, color=colors[i])
    _finish(ax, data, colors, unknown, line=False)
    return fig


def stacked(data: dict[str, Any]) -> Any:
    """Stacked bars: one bar per category, one segment per series (negative values stack down); a
    bar with a segment nobody knows is marked "n/a" above it."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    series = data["series"]
    colors = palette(data["colors"], len(series))
    unknown = False
    for x in range(len(data["x"])):
        up = down = 0.0
        for i, (_, values) in enumerate(series):
            value = values[x]
            if value is None:
                continue
            base = up if value >= 0 else down
            ax.bar(x, value, 0.6, bottom=base, color=colors[i])
            up, down = (up + value, down) if value >= 0 else (up, down + value)
        if any(values[x] is None for _, values in series):
            mark_unknown(ax, x, up)
            unknown = True
    _finish(ax, data, colors, unknown, line=False)
    return fig


def line(data: dict[str, Any]) -> Any:
    """One line per series across the categories; a value nobody knows breaks its line."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    series = data["series"]
    colors = palette(data["colors"], len(series))
    unknown = False
    for i, (_, values) in enumerate(series):
        ys = [math.nan if v is None else v for v in values]
        unknown = unknown or any(v is None for v in values)
        ax.plot(range(len(ys)), ys, color=colors[i], linewidth=1.6, marker="o", markersize=3)
    _finish(ax, data, colors, unknown, line=True)
    return fig


def _finish(ax: Any, data: dict[str, Any], colors: list[str], unknown: bool, line: bool) -> None:
    """Axes, and a legend when there is more than one series or a gap to explain."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    values = [v for _, series in data["series"] for v in series if v is not None]
    value_axis(ax, data.get("unit"), counts=all(float(v).is_integer() for v in values))
    if not line:
        ax.axhline(0, color="#666666", linewidth=0.8)
    category_axis(ax, data["x"])
    names = [name for name, _ in data["series"]]
    if len(names) > 1 or unknown:
        handles = [
            Line2D([], [], color=c, linewidth=1.6, marker="o", markersize=3)
            if line
            else Rectangle((0, 0), 1, 1, color=c)
            for c in colors
        ]
        extra_handles, extra_labels = legend_extras(False, unknown)
        legend(ax, handles + extra_handles, names + extra_labels)
