"""The registry of output writers: each turns one rendered document into one file format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..render import Rendered
from ..resources import Resources


@dataclass
class Layout:
    """What the PDF's layout tells the writers after it: the page each anchor (id) falls on, for
    the DOCX contents field, so Word shows the PDF's page numbers before any update."""

    pages: dict[str, int] = field(default_factory=dict)
    # The page of each contents entry's heading when this publication was last built: the PDF
    # writer lays the pages out once with these numbers and checks them (see writers/pdf.py).
    expected: dict[str, int] = field(default_factory=dict)
    # Called by the PDF writer once ``pages`` is known, before it prints: the other formats may
    # start then, in another process (see workers.write).
    ready: Callable[[], None] | None = None


class Writer(Protocol):
    name: str  # what users and logs call it
    suffix: str  # the output file's suffix
    image_format: str  # the chart format it embeds

    def write(self, rendered: Rendered, resources: Resources, target: Path, layout: Layout) -> None: ...


def writers() -> list[Writer]:
    """Every writer. The PDF comes first: its layout gives the page numbers the DOCX contents
    show."""
    return [writer("pdf"), writer("docx")]


def writer(name: str) -> Writer:
    """The writer called ``name``, imported on demand (WeasyPrint alone costs half a second to
    import, and a process that writes only Word need not)."""
    if name == "pdf":
        from .pdf import PdfWriter

        return PdfWriter()
    if name == "docx":
        from .docx import DocxWriter

        return DocxWriter()
    raise ValueError(f"no writer '{name}'")
