"""Charts in the PDF as Form XObjects drawn by matplotlib, not SVG painted by WeasyPrint.

WeasyPrint draws SVG in Python, a third of a brief's time. So WeasyPrint is given, for each
chart, an SVG of the chart's size holding one 1×1 picture whose colour names the chart; it lays
the page out and draws that picture as an image XObject. Then each such XObject is swapped for
the chart's own PDF (matplotlib's, text as outlines) as a Form XObject scaled to the same unit
square: the page's content stream is untouched, so a tagged PDF keeps the chart inside its
Figure with its alt text, and the bytes are the same on every build.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..charts import Chart

FRAGMENT = "placeholder"
MARK = 0xB7  # the first colour byte of a placeholder: its other two number the chart


@dataclass
class Placeholders:
    """The charts one PDF asks for, numbered in the order asked."""

    charts: list[Chart] = field(default_factory=list)

    def svg(self, chart: Chart) -> bytes:
        """An SVG of the chart's size whose one picture is this chart's placeholder."""
        if chart not in self.charts:
            self.charts.append(chart)
        width, height = size(chart.path("pdf"))
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}">'
            f'<image width="{width}" height="{height}" preserveAspectRatio="none" '
            f'xlink:href="chart:{chart.name}#{FRAGMENT}"/></svg>'
        ).encode()

    def png(self, name: str) -> bytes:
        """The 1×1 picture standing in for chart ``name``."""
        from PIL import Image

        index = next(i for i, chart in enumerate(self.charts) if chart.name == name)
        buffer = io.BytesIO()
        Image.new("RGB", (1, 1), (MARK, index >> 8, index & 0xFF)).save(buffer, format="PNG")
        return buffer.getvalue()

    def place(self, pdf_bytes: bytes) -> bytes:
        """The PDF with every placeholder's image XObject swapped for its chart's Form XObject."""
        import pikepdf

        if not self.charts:
            return pdf_bytes
        with contextlib.ExitStack() as stack:
            document = stack.enter_context(pikepdf.open(io.BytesIO(pdf_bytes)))
            forms: dict[int, pikepdf.Object] = {}

            def form(index: int) -> pikepdf.Object:
                if index not in forms:  # the chart's page as a form mapping its box onto 1×1
                    source = stack.enter_context(pikepdf.open(self.charts[index].path("pdf")))
                    page = source.pages[0]
                    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
                    copied = document.copy_foreign(page.as_form_xobject())
                    width, height = x1 - x0, y1 - y0
                    scale = [1 / width, 0, 0, 1 / height, -x0 / width, -y0 / height]
                    # Decimals to 12 places: a float would be written to 6, a chart 0.01% short.
                    copied.Matrix = pikepdf.Array([Decimal(f"{value:.12f}") for value in scale])
                    forms[index] = copied
                return forms[index]

            seen: set[tuple[int, int]] = set()

            def visit(resources: pikepdf.Object) -> None:
                xobjects = resources.get("/XObject")
                if xobjects is None:
                    return
                for name in list(xobjects.keys()):
                    xobject = xobjects[name]
                    index = _placeholder(xobject, len(self.charts))
                    if index is not None:
                        xobjects[name] = form(index)
                    elif xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                        seen.add(xobject.objgen)
                        if "/Resources" in xobject:
                            visit(xobject.Resources)

            for page in document.pages:
                if "/Resources" in page:
                    visit(page.Resources)
            out = io.BytesIO()
            # Streams are copied as they are: WeasyPrint's and matplotlib's are compressed already.
            document.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
            return out.getvalue()


def _placeholder(xobject: object, count: int) -> int | None:
    """The chart a 1×1 image XObject stands in for, if it is a placeholder of this PDF."""
    try:
        if xobject.get("/Subtype") != "/Image" or xobject.Width != 1 or xobject.Height != 1:  # type: ignore[attr-defined]
            return None
        mark, high, low = xobject.read_bytes()[:3]  # type: ignore[attr-defined]
    except (AttributeError, ValueError, TypeError):
        return None
    index = high << 8 | low
    return index if mark == MARK and index < count else None


_SIZES: dict[Path, tuple[float, float]] = {}


def size(path: Path) -> tuple[float, float]:
    """A chart PDF's page size in points (matplotlib writes it uncompressed near the top)."""
    if path not in _SIZES:
        import pikepdf

        with pikepdf.open(path) as chart:
            x0, y0, x1, y1 = (float(v) for v in chart.pages[0].mediabox)
        _SIZES[path] = (round(x1 - x0, 6), round(y1 - y0, 6))
    return _SIZES[path]
