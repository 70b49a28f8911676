"""The registry of output writers: each turns one rendered document into one file format."""

from __future__ import annotations

from typing import Protocol

from ..render import Rendered
from ..resources import Resources


class Writer(Protocol):
    name: str  # what users and logs call it
    suffix: str  # the output file's suffix
    image_format: str  # the chart format it embeds

    def write(self, rendered: Rendered, resources: Resources, target: object) -> None: ...


def writers() -> list[Writer]:
    """Every writer, imported on demand (WeasyPrint alone costs half a second to import)."""
    from .docx import DocxWriter
    from .pdf import PdfWriter

    return [PdfWriter(), DocxWriter()]
