"""The registry of output writers: each turns one rendered document into one file format."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..atomic import atomic_target
from ..errors import BriefgenError
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


def kept_pages(path: Path) -> dict[str, int]:
    """Pages kept in ``path`` by an earlier build (anchor -> page); none if the file is missing
    or unreadable: they are only a guess, checked after layout."""
    try:
        pages = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(pages, dict):
        return {}
    return {str(id): page for id, page in pages.items() if type(page) is int}


def keep_pages(path: Path, pages: dict[str, int]) -> None:
    """Keep ``pages`` in ``path`` for a later build; a cache that cannot be written costs only time."""
    with contextlib.suppress(BriefgenError, OSError), atomic_target(path) as tmp:
        tmp.write_text(json.dumps(pages, sort_keys=True), encoding="utf-8")


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
