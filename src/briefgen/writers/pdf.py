"""Prints a rendered document to PDF with WeasyPrint, fetching only project files."""

from __future__ import annotations

import io
import logging
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote

from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..errors import BriefgenError
from ..render import Rendered
from ..resources import Resources
from . import Layout, images, longwords

RASTER = {"image/png", "image/jpeg"}


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"
    image_format = "svg"

    def write(self, rendered: Rendered, resources: Resources, target: Path, layout: Layout) -> None:
        """Print to ``target`` and note in ``layout`` the page each anchor falls on."""
        with _warnings_as_errors(resources.where), images.bomb_guard():
            try:
                document = lay_out(rendered, resources, self.image_format)
                document.write_pdf(
                    target, uncompressed_pdf=False, pdf_identifier=rendered.id.encode(), **_archival(rendered)
                )
            except FatalURLFetchingError as exc:
                if isinstance(exc.__cause__, BriefgenError):
                    raise exc.__cause__ from None
                raise
            except images.BOMBS as exc:  # the fetcher checks each picture first: a last resort
                raise images.bomb_error(None, exc, resources.where) from None
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                layout.pages.setdefault(anchor, number)


def lay_out(rendered: Rendered, resources: Resources, image_format: str = "svg") -> Document:
    """The publication's pages as WeasyPrint lays them out (tests read boxes from them)."""
    fetcher = _ProjectFetcher(resources, image_format)
    html = HTML(
        string=longwords.with_breaks(rendered.html), base_url=resources.base_url(), url_fetcher=fetcher
    )
    return html.render(stylesheets=stylesheets_of(rendered), font_config=_fonts())


def stylesheets_of(rendered: Rendered) -> list[CSS]:
    """The theme's rules first, the templates' after: all user stylesheets, so a template's
    contextual rule (the masthead's light inks) wins by specificity over the theme's."""
    sheets = [_theme_stylesheet(rendered.theme.css())]
    return sheets + [_stylesheet(path, path.stat().st_mtime_ns) for path in rendered.stylesheets]


def _archival(rendered: Rendered) -> dict:
    """PDF/A-3b, tagged (structure, language, alt text), with the publication's source files and
    data attached as associated files."""
    if not rendered.archival:
        return {}
    attachments = [
        Attachment(file_obj=io.BytesIO(data), name=name, description=description, relationship=relationship)
        for name, data, description, relationship in rendered.attachments
    ]
    return {"pdf_variant": "pdf/a-3b", "pdf_tags": True, "attachments": attachments}


@cache
def _fonts() -> FontConfiguration:
    """One font configuration per process: building it scans every installed font."""
    return FontConfiguration()


@cache
def _stylesheet(path: Path, mtime_ns: int) -> CSS:
    """A template stylesheet, parsed once per process (and again if it changes). Stylesheets
    load nothing: a url() in one is refused like any other fetch."""
    return CSS(filename=str(path), url_fetcher=_RefuseAll(fail_on_errors=True), font_config=_fonts())


@lru_cache(maxsize=32)
def _theme_stylesheet(css: str) -> CSS:
    """The theme's stylesheet, parsed once per house style and kind."""
    return CSS(string=css, url_fetcher=_RefuseAll(fail_on_errors=True), font_config=_fonts())


class _RefuseAll(URLFetcher):
    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        raise BriefgenError.at(url, None, "a stylesheet may not load other files", "inline what it needs")


class _ProjectFetcher(URLFetcher):
    """Serves charts and project files; everything else stops the build."""

    def __init__(self, resources: Resources, fmt: str) -> None:
        super().__init__(fail_on_errors=True)
        self.resources = resources
        self.fmt = fmt

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        body, mime = self.resources.fetch(url, self.fmt)
        if mime in RASTER:  # refuse a bomb by name before WeasyPrint decodes it
            name = unquote(url.removeprefix(self.resources.base_url()))
            images.open_picture(body, name, self.resources.where)
        return URLFetcherResponse(url, body, {"Content-Type": mime})


class _warnings_as_errors(logging.Handler):
    """WeasyPrint logs what it skips (a bad CSS rule, a missing glyph); we refuse to skip."""

    def __init__(self, where: Path) -> None:
        super().__init__(logging.WARNING)
        self.where = where
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self) -> None:
        logging.getLogger("weasyprint").addHandler(self)

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self)
        if self.messages and exc[0] is None:
            message = self.messages[0]
            hint = (
                "no installed font has this character: remove it, or add a font that covers it"
                if ".notdef" in message
                else "fix the template or stylesheet it names"
            )
            raise BriefgenError.at(self.where, None, f"WeasyPrint: {message}", hint)
