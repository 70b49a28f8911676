"""Draws a publication's charts with matplotlib, once per distinct data, in each writer's format.

A chart is asked for by name (``chart:trade`` in the rendered HTML). Its data is extracted
from the context first; the drawing is cached under the hash of that data, so an unchanged
chart is never drawn again, and its PDF (for the PDF) and PNG (for Word) come from one figure.
Charts that content declares (a free section's ``chart:``, drawn from a CSV file) need no code
of their own: each is a bar, line or stacked chart of its file's columns.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from . import labels, maps, plots, timeline
from .atomic import atomic_target
from .context import Context, View
from .errors import BriefgenError
from .incremental import dependencies, fonts
from .paths import MAP

PNG_DPI = 220
SHARED_MAP = MAP
FORMATS = ("pdf", "png", "svg")
DRAWN = ("pdf", "png")  # what a build uses (PDF writer, Word); SVG only on request (`make bench`)
DECLARED = "declared-"  # a declared chart's name: declared-<its CSV's id> (see macros.html.j2)


@dataclass(frozen=True)
class Chart:
    """One chart of one publication: what it shows, how it is drawn (``kind``, by default its
    name), and where its drawings are cached."""

    name: str
    data: dict[str, Any]
    cache: Path
    kind: str = ""

    @property
    def drawing(self) -> str:
        return self.kind or self.name

    @property
    def key(self) -> str:
        blob = json.dumps(
            [self.name, self.drawing, self.data, _CODE], default=str
        )  # no sort_keys: order matters
        return hashlib.sha256(blob.encode()).hexdigest()[:20]

    def path(self, fmt: str) -> Path:
        """The drawing in ``fmt`` ('pdf', 'png' or 'svg'), drawn on first request in every format
        a build uses that the cache lacks, from one figure: the other writer asks for its next."""
        paths = self.paths()
        ahead = _AHEAD.pop(paths[fmt], None)
        # Drawn in another process (helper.py): wait for this format's file, not for the others
        # (the PNG takes a while longer); if that process failed, draw it here and say why.
        while ahead is not None and not paths[fmt].exists() and ahead.busy_with(self):
            time.sleep(0.005)
        if not paths[fmt].exists():
            wanted = {fmt, *DRAWN}
            _draw(self, {each: path for each, path in paths.items() if each in wanted and not path.exists()})
        return paths[fmt]

    def paths(self) -> dict[str, Path]:
        """Where the drawing is cached, by format."""
        return {each: self.cache / f"{self.name}-{self.key}.{each}" for each in FORMATS}


class Ahead(Protocol):
    """Another process drawing charts for this one (helper.Helper)."""

    def busy_with(self, chart: Chart) -> bool: ...


# Charts being drawn in another process while this one lays out, by path.
_AHEAD: dict[Path, Ahead] = {}


# A change to the drawing code, to matplotlib (or another library) or to the installed fonts
# changes every key, so no stale drawing is ever served.
_CODE = hashlib.sha256(
    b"".join(Path(m.__file__).read_bytes() for m in (labels, maps, plots, timeline))  # type: ignore[arg-type]
    + Path(__file__).read_bytes()
    + dependencies().encode()
    + fonts().encode()
).hexdigest()[:12]


class ChartBook:
    """The charts a template asks for as it renders: ``{{ chart("trade") }}`` records the chart,
    taking its data from the context, and gives the address writers resolve (``chart:trade``).

    Charts the content declares are in the book from the start, as ``declared-<csv id>``: their
    data is the content's own, so the ``declared_chart`` macro places them without asking."""

    def __init__(self, ctx: Context, cache: Path, template: Path) -> None:
        self.ctx = ctx
        self.cache = cache
        self.template = template
        self.charts: dict[str, Chart] = {}
        for section in ctx.publication.get("sections") or []:
            if section.chart is not None:
                name = DECLARED + section.chart.csv.id
                data = _declared_data(section.chart, _colors(ctx.publication))
                self.charts[name] = Chart(name, data, cache, section.chart.type)

    def __call__(self, name: str) -> str:
        if name not in EXTRACT and name not in self.charts:
            raise BriefgenError.at(
                self.template,
                None,
                f"the template asks for an unknown chart '{name}'",
                f"use one of: {', '.join([*EXTRACT, *self.charts])}",
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
    """Events as (ISO date at its own precision, title, expected)."""
    pub = ctx.publication
    events = []
    for policy in pub.get("policies") or []:
        events += [(m.date.isoformat(), m.title, m.expected) for m in policy.milestones]
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


def _declared_data(spec: View, colors: dict[str, str]) -> dict[str, Any]:
    """A declared chart's categories and series from its CSV (unknown values as None)."""
    table = spec.csv
    return {
        "x": table.texts(spec.x),
        "series": [[name, table.numbers(name)] for name in spec.y],
        "unit": spec.unit,
        "colors": colors,
    }


EXTRACT: dict[str, Callable[[Context], dict[str, Any]]] = {
    "trade": _trade_data,
    "milestones": _milestone_data,
    "pilot_map": _pilot_map_data,
    "locator": _locator_data,
}


# --- drawing ------------------------------------------------------------------------------------


def figure(kind: str, data: dict[str, Any]) -> Any:
    """The matplotlib figure of a chart of ``kind`` (a name in DRAW), in the house chart style."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(STYLE):
        return DRAW[kind](data)


def _draw(chart: Chart, paths: dict[str, Path]) -> None:
    """Draw ``chart`` once and save it in each format of ``paths``, all cropped to one box."""
    drawing = Drawing(chart)
    try:
        for fmt in sorted(paths, key=lambda fmt: fmt != "pdf"):  # the PDF first: it gives the box
            drawing.save(fmt, paths[fmt])
    finally:
        drawing.close()


class Drawing:
    """One chart's matplotlib figure, saved in any formats, all cropped to one box.

    ``savefig``'s ``bbox_inches="tight"`` lays the figure out once more for each format to find
    that box. Here the PDF is drawn first, whole, and the box is read off the layout it made;
    the PDF's page is then cropped to it, and the other formats are drawn inside it."""

    def __init__(self, chart: Chart) -> None:
        self.fig = figure(chart.drawing, chart.data)
        self.fig.set_dpi(PNG_DPI)
        self.box: Any = None

    def save(self, fmt: str, path: Path) -> None:
        import matplotlib.pyplot as plt

        fig = self.fig
        with plt.rc_context(STYLE):
            if fmt == "pdf":
                whole = io.BytesIO()
                with _text_as_outlines():
                    # No background: what lies outside the figure's own area is bare too.
                    fig.savefig(whole, format="pdf", dpi=PNG_DPI, metadata=METADATA["pdf"], facecolor="none")
                self.box = _tight_box(fig)
                # builds running side by side may draw the same chart: each renames a whole file
                with atomic_target(path) as tmp:
                    tmp.write_bytes(_cropped(whole.getvalue(), self.box))
                return
            if self.box is None:  # no PDF drawn: lay the figure out for the box alone
                fig.draw_without_rendering()
                self.box = _tight_box(fig)
            with atomic_target(path) as tmp:
                fig.savefig(
                    tmp, format=fmt, dpi=PNG_DPI, metadata=METADATA[fmt], bbox_inches=self.box, **SAVE[fmt]
                )

    def close(self) -> None:
        import matplotlib.pyplot as plt

        plt.close(self.fig)


def _tight_box(fig: Any) -> Any:
    """The box around everything the figure drew, padded, in inches (from its last layout)."""
    return fig.get_tightbbox(fig.canvas.get_renderer()).padded(PAD_INCHES)


def _cropped(pdf: bytes, box: Any) -> bytes:
    """The PDF with its one page cut to ``box`` (inches); what lies outside the figure is kept."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.pages[0].MediaBox = pikepdf.Array([Decimal(f"{v * 72:.4f}") for v in box.extents])
        out = io.BytesIO()
        document.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


PAD_INCHES = 0.05
# A PNG is written once and read by Word: zlib's fastest level costs a tenth more bytes, and
# saves a tenth of a chart's time.
SAVE: dict[str, dict[str, Any]] = {"png": {"pil_kwargs": {"compress_level": 1}}, "pdf": {}, "svg": {}}


METADATA: dict[str, dict[str, None]] = {  # no dates or versions: the same chart, the same bytes
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


@contextlib.contextmanager
def _text_as_outlines() -> Iterator[None]:
    """matplotlib's PDF writes text in Type 3 fonts: draw it as outlines, as the SVG does (the
    chart needs no font, and its words are not the PDF's text)."""
    from matplotlib.backend_bases import RendererBase
    from matplotlib.backends.backend_pdf import RendererPdf

    draw_text = RendererPdf.draw_text
    RendererPdf.draw_text = RendererBase.draw_text  # type: ignore[method-assign]
    try:
        yield
    finally:
        RendererPdf.draw_text = draw_text  # type: ignore[method-assign]


STYLE: dict[Any, Any] = {  # matplotlib types rc keys as one long Literal
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

DRAW: dict[str, Callable[[dict[str, Any]], Any]] = {
    "trade": plots.trade,
    "milestones": timeline.draw,
    "pilot_map": maps.pilot_map,
    "locator": maps.locator,
    # charts content declares, by their `type:`
    "bar": plots.bar,
    "line": plots.line,
    "stacked": plots.stacked,
}
