"""Draws the map charts: the pilot cities of a network, and a city's locator.

Country outlines come from the shared Natural Earth file, clipped to the view and thinned to what
the drawing can show. City names are placed so that none covers another name or a city's dot.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from . import labels
from .paths import MAP

SOUTHEAST_ASIA = [92, 127, -10.5, 22.5]  # west, east, south, north
NAME_STYLE = {"fontsize": 7.5, "fontweight": "bold"}


def pilot_map(data: dict[str, Any]) -> Any:
    """The network's cities as dots, those of the brief's country larger, in its accent, and named."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    colors = data["colors"]
    _outline(ax, data["highlight"], SOUTHEAST_ASIA)
    for _, lon, lat, highlighted in data["cities"]:
        ax.scatter(
            [lon],
            [lat],
            s=22 if highlighted else 12,
            color=colors["accent"] if highlighted else colors["primary"],
            zorder=3,
            edgecolors="white",
            linewidths=0.5,
        )
    _frame(ax, SOUTHEAST_ASIA)
    named = [(name, lon, lat) for name, lon, lat, highlighted in data["cities"] if highlighted]
    dots = [(lon, lat) for _, lon, lat, _ in data["cities"]]
    labels.place(ax, named, dots, color=colors["accent"], **NAME_STYLE)
    return fig


def locator(data: dict[str, Any]) -> Any:
    """Where a city is: its country tinted among its neighbours, the city marked and named."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3.0, 2.3))
    name, lon, lat = data["city"]
    _outline(ax, data["highlight"], data["bounds"])
    ax.scatter(
        [lon], [lat], s=30, color=data["colors"]["accent"], zorder=3, edgecolors="white", linewidths=0.6
    )
    _frame(ax, data["bounds"])
    labels.place(ax, [(name, lon, lat)], [(lon, lat)], color=data["colors"]["accent"], **NAME_STYLE)
    return fig


def _outline(ax: Any, highlight: str, bounds: list[float]) -> None:
    """The country outlines inside ``bounds``, the highlighted country tinted. Rings outside the
    view are dropped and the rest thinned to what the drawing can show: the SVG stays small, and
    WeasyPrint, which draws SVG in Python, stays fast. One collection holds them all: a patch
    each would have matplotlib walk every outline to widen the view, which is fixed already."""
    from matplotlib.collections import PolyCollection

    west, east, south, north = bounds
    tolerance = (east - west) / 300  # about half a printed point at chart width
    rings, fills = [], []
    for feature in features():
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
                rings.append(ring)
                fills.append(fill)
    outlines = PolyCollection(
        rings, closed=True, facecolors=fills, edgecolors="#9aa5b1", linewidths=0.4, joinstyle="miter"
    )
    ax.add_collection(outlines, autolim=False)


@cache
def features() -> list[dict[str, Any]]:
    """The map outline's countries, parsed once per process (every map of a build reads it)."""
    return json.loads(MAP.read_text(encoding="utf-8"))["features"]


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
