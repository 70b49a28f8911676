"""Places chart labels where they collide with nothing: no other label, no marker, no frame edge.

Each label is tried at candidate positions around its point, nearest first, and takes the first
that is free (cartographers' point-label placement, done greedily); if none is, the one that
overlaps least. Deterministic, so equal charts stay equal bytes, and free of dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Offsets in points, with the alignment that keeps the text clear of its point: east first (how
# maps are read), then west, the diagonals, north and south; then the same further out.
_AROUND = [
    (5, 0, "left", "center"),
    (-5, 0, "right", "center"),
    (4, 3, "left", "bottom"),
    (-4, 3, "right", "bottom"),
    (4, -3, "left", "top"),
    (-4, -3, "right", "top"),
    (0, 5, "center", "bottom"),
    (0, -5, "center", "top"),
]
CANDIDATES = [(dx * r, dy * r, ha, va) for r in (1, 2.2, 3.6) for dx, dy, ha, va in _AROUND]
PAD = 1.5  # points kept clear around each label


@dataclass(frozen=True)
class Box:
    """A rectangle in display units."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def of(cls, extent: Any, pad: float = 0) -> Box:
        return cls(extent.x0 - pad, extent.y0 - pad, extent.x1 + pad, extent.y1 + pad)

    def overlap(self, other: Box) -> float:
        """The area both cover (0 if they only touch)."""
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0

    def outside(self, frame: Box) -> float:
        """How much of this box lies outside ``frame``."""
        return (self.x1 - self.x0) * (self.y1 - self.y0) - self.overlap(frame)


def place(
    ax: Any, labels: list[tuple[str, float, float]], markers: list[tuple[float, float]], **style: Any
) -> list[Any]:
    """Annotate each (text, x, y) in data coordinates, avoiding the other labels, the ``markers``
    (points drawn on the chart) and the axes' edges. Call once limits and aspect are final."""
    fig = ax.figure
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    pad = PAD * fig.dpi / 72
    frame = Box.of(ax.get_window_extent(renderer))
    radius = 3 * fig.dpi / 72  # a marker's half-width
    taken = [
        Box(px - radius, py - radius, px + radius, py + radius)
        for px, py in (ax.transData.transform(m) for m in markers)
    ]
    placed = []
    for text, x, y in labels:
        note = ax.annotate(text, (x, y), xytext=(0, 0), textcoords="offset points", **style)
        best: tuple[float, int] | None = None
        for i, (dx, dy, ha, va) in enumerate(CANDIDATES):
            box = _try(note, renderer, dx, dy, ha, va, pad)
            cost = sum(box.overlap(t) for t in taken) + box.outside(frame) * 4
            if best is None or cost < best[0]:
                best = (cost, i)
            if cost == 0:
                break
        assert best is not None
        dx, dy, ha, va = CANDIDATES[best[1]]
        box = _try(note, renderer, dx, dy, ha, va, pad)
        if best[1] >= len(_AROUND):  # pushed out from its point: a leader line says whose it is
            ax.annotate(
                "",
                (x, y),
                xytext=(dx * 0.8, dy * 0.8),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": style.get("color", "#333333"), "linewidth": 0.5},
            )
        taken.append(box)
        placed.append(note)
    return placed


def _try(note: Any, renderer: Any, dx: float, dy: float, ha: str, va: str, pad: float) -> Box:
    note.xyann = (dx, dy)
    note.set_ha(ha)
    note.set_va(va)
    return Box.of(note.get_window_extent(renderer), pad)
