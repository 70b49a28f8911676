"""Draws a publication's charts with matplotlib, once per distinct data, in each writer's format.

A chart is asked for by name (``chart:trade`` in the rendered HTML). Its data is extracted
from the context first; the drawing is cached under the hash of that data, so an unchanged
chart is never drawn again, and SVG (for PDF) and PNG (for Word) come from the same figure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import atomic_target
from .context import Context
from .errors import BriefgenError
from .incremental import dependencies, fonts
from .paths import MAP

PNG_DPI = 220
SHARED_MAP = MAP
FORMATS = ("svg", "png")


@dataclass(frozen=True)
class Chart:
    """One chart of one publication: what it shows, and where its drawings are cached."""

    name: str
    data: dict[str, Any]
    cache: Path

    @property
    def key(self) -> str:
        blob = json.dumps([self.name, self.data, _CODE], default=str)  # order matters: no sort_keys
        return hashlib.sha256(blob.encode()).hexdigest()[:20]

    def path(self, fmt: str) -> Path:
        """The drawing in ``fmt`` ('svg' or 'png'), drawn on first request."""
        path = self.cache / f"{self.name}-{self.key}.{fmt}"
        if not path.exists():
            _draw(self, path, fmt)
        return path


# A change to the drawing code, to matplotlib (or another library) or to the installed fonts
# changes every key, so no stale drawing is ever served.
_CODE = hashlib.sha256(Path(__file__).read_bytes() + dependencies().encode() + fonts().encode()).hexdigest()[
    :12
]


class ChartBook:
    """The charts a template asks for as it renders: ``{{ chart("trade") }}`` records the chart,
    taking its data from the context, and gives the address writers resolve (``chart:trade``)."""

    def __init__(self, ctx: Context, cache: Path, template: Path) -> None:
        self.ctx = ctx
        self.cache = cache
        self.template = template
        self.charts: dict[str, Chart] = {}

    def __call__(self, name: str) -> str:
        if name not in EXTRACT:
            raise BriefgenError.at(
                self.template,
                None,
                f"the template asks for an unknown chart '{name}'",
                f"use one of: {', '.join(EXTRACT)}",
            )
        if name not in self.charts:
            self.charts[name] = Chart(name, EXTRACT[name](self.ctx), self.cache)
        return f"chart:{name}"


# --- data: what each chart shows, as plain JSON-able values ------------------------------------


def _trade_data(ctx: Context) -> dict[str, Any]:
    pub = ctx.publication
    table = ctx.trade
    assert table is not None, "a trade figure needs trade_data (checked by validation)"
    return {
        "years": table.years,
        "estimates": sorted(table.estimates),
        "unit": table.unit,
        "series": [[table.row(key).label, table.row(key).values] for key in SHOWN_TRADE_ROWS],
        "colors": _colors(pub),
    }


SHOWN_TRADE_ROWS = ("total_market_size", "total_imports", "imports_from_us")  # in this order


def _milestone_data(ctx: Context) -> dict[str, Any]:
    pub = ctx.publication
    events = []
    for policy in pub.get("policies") or []:
        events += [(m.date, m.title, m.expected) for m in policy.milestones]
    network = (pub.get("pilot_cities") or {}).get("network")
    if network and network.established:
        events.append(
            (network.established.isoformat(), f"{network.short_name or network.name} established", False)
        )
    return {"events": sorted(events), "colors": _colors(pub)}


def _pilot_map_data(ctx: Context) -> dict[str, Any]:
    pub = ctx.publication
    cities = ctx.cities(network=pub.pilot_cities.network.id)
    return {
        "map": SHARED_MAP.name,
        "highlight": pub.country.iso,
        "cities": [
            [c.name, c.coordinates.lon, c.coordinates.lat, c.country.id == pub.country.id] for c in cities
        ],
        "colors": _colors(pub),
    }


def _colors(pub: Any) -> dict[str, str]:
    defaults = {"primary": "#1f3864", "accent": "#b3282d", "muted": "#5b6770"}
    return {**defaults, **pub.publisher.colors}


def _locator_data(ctx: Context) -> dict[str, Any]:
    city = ctx.publication.city
    lon, lat = city.coordinates.lon, city.coordinates.lat
    return {
        "map": SHARED_MAP.name,
        "highlight": city.country.iso,
        "city": [city.name, lon, lat],
        "bounds": [lon - 9, lon + 9, lat - 6.5, lat + 6.5],
        "colors": _colors(ctx.publication),
    }


EXTRACT: dict[str, Callable[[Context], dict[str, Any]]] = {
    "trade": _trade_data,
    "milestones": _milestone_data,
    "pilot_map": _pilot_map_data,
    "locator": _locator_data,
}


# --- drawing ------------------------------------------------------------------------------------


def _draw(chart: Chart, path: Path, fmt: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(_STYLE):
        fig = DRAW[chart.name](chart.data)
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        with atomic_target(path) as tmp:  # builds running side by side may draw the same chart
            fig.savefig(tmp, format=fmt, dpi=PNG_DPI, metadata=metadata, bbox_inches="tight", pad_inches=0.05)
        plt.close(fig)


_STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#666666",
    "axes.titlesize": 9,
    "svg.fonttype": "path",  # text as outlines: the PDF needs no font for charts
    "svg.hashsalt": "briefgen",  # stable ids, so equal charts are equal bytes
}


def _draw_trade(data: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(6.3, 2.7))
    years, series = data["years"], data["series"]
    colors = [data["colors"]["primary"], data["colors"]["muted"], data["colors"]["accent"]]
    width = 0.8 / len(series)
    x = np.arange(len(years))
    for i, (label, values) in enumerate(series):
        bars = ax.bar(
            x + (i - (len(series) - 1) / 2) * width, values, width, label=label, color=colors[i % 3]
        )
        for bar, year in zip(bars, years, strict=True):
            if year in data["estimates"]:
                bar.set_hatch("////")
                bar.set_edgecolor("white")
    ax.set_xticks(x, [f"{y}{' (e)' if y in data['estimates'] else ''}" for y in years])
    ax.set_ylabel(data["unit"])
    ax.yaxis.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, ncols=len(series), loc="upper left", bbox_to_anchor=(0, 1.12))
    return fig


def _draw_milestones(data: dict[str, Any]) -> Any:
    import datetime as dt

    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    events = data["events"]
    fig, ax = plt.subplots(figsize=(6.3, 1.9))
    dates = [dt.date.fromisoformat(d if len(d) > 7 else d + "-01") for d, _, _ in events]
    ax.axhline(0, color="#999999", linewidth=1, zorder=1)
    for i, (day, (_, title, expected)) in enumerate(zip(dates, events, strict=True)):
        color = data["colors"]["accent"] if expected else data["colors"]["primary"]
        ax.scatter([day], [0], s=40, color="white" if expected else color, edgecolors=color, zorder=3)
        height = (0.55 if i % 2 == 0 else -0.55) * (1 + 0.35 * ((i // 2) % 2))
        ax.vlines(day, 0, height, color=color, linewidth=0.8)
        label = f"{day:%b %Y}{' (target)' if expected else ''}\n{_wrap(title, 34)}"
        ax.annotate(
            label,
            (day, height),
            xytext=(0, 3 if height > 0 else -3),
            textcoords="offset points",
            ha="center",
            va="bottom" if height > 0 else "top",
            fontsize=7.5,
        )
    ax.set_ylim(-1.6, 1.6)
    span = max((dates[-1] - dates[0]).days, 60)
    ax.set_xlim(dates[0] - dt.timedelta(days=span * 0.15), dates[-1] + dt.timedelta(days=span * 0.15))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _outline(ax: Any, highlight: str, bounds: list[float]) -> None:
    """The country outlines inside ``bounds``, the highlighted country tinted. Rings outside the
    view are dropped and the rest thinned to what the drawing can show: the SVG stays small, and
    WeasyPrint, which draws SVG in Python, stays fast."""
    from matplotlib.patches import Polygon

    west, east, south, north = bounds
    tolerance = (east - west) / 300  # about half a printed point at chart width
    for feature in json.loads(SHARED_MAP.read_text(encoding="utf-8"))["features"]:
        fill = "#dfe6ee" if feature["properties"]["iso_a2"] == highlight else "#f1f1ee"
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        for polygon in polygons:
            ring = polygon[0]
            lons, lats = [p[0] for p in ring], [p[1] for p in ring]
            if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
                continue
            if max(lons) - min(lons) + max(lats) - min(lats) < 3 * tolerance:  # an islet: a speck
                continue
            ring = _thin(ring, tolerance)
            if len(ring) >= 3:
                ax.add_patch(Polygon(ring, closed=True, facecolor=fill, edgecolor="#9aa5b1", linewidth=0.4))


def _thin(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Drop points closer than ``tolerance`` to the last one kept."""
    kept = [ring[0]]
    for point in ring[1:]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    return kept


def _frame(ax: Any, bounds: list[float]) -> None:
    ax.set_xlim(bounds[0], bounds[1])
    ax.set_ylim(bounds[2], bounds[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#bbbbbb")


def _draw_pilot_map(data: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    colors = data["colors"]
    bounds = [92, 127, -10.5, 22.5]
    _outline(ax, data["highlight"], bounds)
    for name, lon, lat, highlighted in data["cities"]:
        color = colors["accent"] if highlighted else colors["primary"]
        ax.scatter(
            [lon],
            [lat],
            s=22 if highlighted else 12,
            color=color,
            zorder=3,
            edgecolors="white",
            linewidths=0.5,
        )
        if highlighted:
            # A neighbour close to the east pushes this label to the west, so labels never overlap.
            crowded = any(
                0 < other[1] - lon < 4 and abs(other[2] - lat) < 3 and other[3] for other in data["cities"]
            )
            ax.annotate(
                name,
                (lon, lat),
                xytext=(-5 if crowded else 5, 2),
                textcoords="offset points",
                ha="right" if crowded else "left",
                fontsize=7.5,
                color=colors["accent"],
                fontweight="bold",
            )
    _frame(ax, bounds)
    return fig


def _draw_locator(data: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3.0, 2.3))
    name, lon, lat = data["city"]
    _outline(ax, data["highlight"], data["bounds"])
    ax.scatter(
        [lon], [lat], s=30, color=data["colors"]["accent"], zorder=3, edgecolors="white", linewidths=0.6
    )
    ax.annotate(
        name,
        (lon, lat),
        xytext=(5, 3),
        textcoords="offset points",
        fontsize=7.5,
        color=data["colors"]["accent"],
        fontweight="bold",
    )
    _frame(ax, data["bounds"])
    return fig


DRAW: dict[str, Callable[[dict[str, Any]], Any]] = {
    "trade": _draw_trade,
    "milestones": _draw_milestones,
    "pilot_map": _draw_pilot_map,
    "locator": _draw_locator,
}
