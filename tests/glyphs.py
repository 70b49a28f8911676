"""Reads which glyphs a PDF actually draws: the test of "no .notdef boxes"."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream


def notdef_uses(path: Path) -> list[tuple[int, str]]:
    """(page number, font name) for every text run that draws glyph 0, the .notdef box.

    WeasyPrint writes text with Identity-H composite fonts, two bytes a glyph id; a character
    that no font covers is drawn as glyph 0 of the first font that was tried."""
    reader = PdfReader(path)
    found = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = page["/Resources"].get("/Font", {})
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts[operands[0]].get_object()
            elif operator in (b"Tj", b"TJ") and font is not None and font["/Subtype"] == "/Type0":
                runs = operands[0] if operator == b"TJ" else [operands[0]]
                for run in runs:
                    data = getattr(run, "original_bytes", run)
                    if isinstance(data, bytes) and 0 in _glyph_ids(data):
                        found.append((number, str(font["/BaseFont"])))
    return found


def _glyph_ids(data: bytes) -> list[int]:
    return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
