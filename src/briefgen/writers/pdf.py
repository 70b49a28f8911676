"""Prints a rendered document to PDF with WeasyPrint, fetching only project files."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..errors import BriefgenError
from ..fontcache import cache_dir
from ..render import Rendered
from ..resources import Resources
from . import Layout, images, keep_pages, kept_pages, longwords
from .pdf_charts import FRAGMENT, Placeholders

RASTER = {"image/png", "image/jpeg"}


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"
    image_format = "svg"

    def write(self, rendered: Rendered, resources: Resources, target: Path, layout: Layout) -> None:
        """Print to ``target`` and note in ``layout`` the page each anchor falls on."""
        with _warnings_as_errors(resources.where), images.bomb_guard():
            # A PDF/A's too: each chart's form goes where its placeholder was drawn, inside the
            # Figure WeasyPrint tagged, with its alt text (pdf_charts.py).
            charts = Placeholders()
            try:
                document = lay_out(rendered, resources, self.image_format, layout.expected, charts)
                for anchor, number in anchor_pages(document).items():
                    layout.pages.setdefault(anchor, number)
                if layout.ready is not None:
                    layout.ready()
                data = document.write_pdf(
                    uncompressed_pdf=False, pdf_identifier=rendered.id.encode(), **_archival(rendered)
                )
                target.write_bytes(charts.place(data))
            except FatalURLFetchingError as exc:
                if isinstance(exc.__cause__, BriefgenError):
                    raise exc.__cause__ from None
                raise
            except images.BOMBS as exc:  # the fetcher checks each picture first: a last resort
                raise images.bomb_error(None, exc, resources.where) from None


def lay_out(
    rendered: Rendered,
    resources: Resources,
    image_format: str = "svg",
    expected: dict[str, int] | None = None,
    charts: Placeholders | None = None,
) -> Document:
    """The publication's pages as WeasyPrint lays them out (tests read boxes from them).

    The contents' page numbers are ``target-counter()``s, which WeasyPrint resolves by laying the
    contents' page out again once it knows where the headings fell. Given a guess, they are
    written in as numbers instead and the pages laid out once; if a heading fell elsewhere, they
    are laid out again the usual way. The PDF is the same bytes either way (``base.css`` prints
    ``data-page`` as the counter would). The guess is the pages ``expected`` (those of this
    publication's last build), or else those of the last publication laid out with the same
    contents, by this process or, kept in the user's cache, by an earlier one: briefs of one
    library tend to paginate alike."""
    html = longwords.with_breaks(rendered.html)
    entries = _contents_entries(html)
    candidates = (expected, _LIKE.get(entries) or _kept(entries)) if entries else ()
    guess = next((g for g in candidates if g and all(id in g for id in entries)), None)
    document = None
    if entries and guess:
        document = _render(_with_pages(html, guess), resources, image_format, rendered, charts)
        if any(anchor_pages(document).get(id) != guess[id] for id in entries):
            document = None  # a heading fell elsewhere
    if document is None:
        document = _render(html, resources, image_format, rendered, charts)
    if entries:
        found = anchor_pages(document)
        _LIKE.pop(entries, None)  # kept last: the oldest contents go first
        if all(id in found for id in entries):
            _LIKE[entries] = {id: found[id] for id in entries}
            _keep(entries, _LIKE[entries])
        if len(_LIKE) > _LIKE_KEPT:
            del _LIKE[next(iter(_LIKE))]
    return document


# The pages of the last layout with the same contents (the ids their entries link to), by those
# ids; a few kinds of publication, so a few entries.
_LIKE: dict[tuple[str, ...], dict[str, int]] = {}
_LIKE_KEPT = 16
# The same, as this process last read or wrote them in the user's cache (written on a change only).
_KEPT: dict[tuple[str, ...], dict[str, int]] = {}


def _kept_file(entries: tuple[str, ...]) -> Path:
    name = hashlib.sha256(json.dumps(entries).encode()).hexdigest()[:20]
    return cache_dir() / "contents" / f"{name}.json"


def _kept(entries: tuple[str, ...]) -> dict[str, int]:
    """The pages kept in the user's cache for these contents."""
    if entries not in _KEPT:
        _KEPT[entries] = kept_pages(_kept_file(entries))
    return _KEPT[entries]


def _keep(entries: tuple[str, ...], pages: dict[str, int]) -> None:
    """Keep these contents' pages in the user's cache, if they changed."""
    if _kept(entries) != pages:
        _KEPT[entries] = dict(pages)
        keep_pages(_kept_file(entries), pages)


def _render(
    html: str, resources: Resources, image_format: str, rendered: Rendered, charts: Placeholders | None
) -> Document:
    fetcher = _ProjectFetcher(resources, image_format, charts)
    document = HTML(string=html, base_url=resources.base_url(), url_fetcher=fetcher)
    return document.render(stylesheets=stylesheets_of(rendered), font_config=_fonts())


_CONTENTS = re.compile(r'<nav class="toc">.*?</nav>', re.S)
_ENTRY = re.compile(r'<a href="#([^"]+)"')


def _contents_entries(html: str) -> tuple[str, ...]:
    """The ids the contents' entries link to, in order (none without contents)."""
    nav = _CONTENTS.search(html)
    return tuple(_ENTRY.findall(nav.group())) if nav else ()


def _with_pages(html: str, pages: dict[str, int]) -> str:
    """The HTML with each contents link marked with its guessed page (``data-page``)."""
    nav = _CONTENTS.search(html)
    assert nav is not None, "called only for a publication with contents"
    marked = _ENTRY.sub(lambda m: f'{m.group()} data-page="{pages[m.group(1)]}"', nav.group())
    return html[: nav.start()] + marked + html[nav.end() :]


def anchor_pages(document: Document) -> dict[str, int]:
    """The page each anchor (id) falls on, counted from 1."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


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

    def __init__(self, resources: Resources, fmt: str, charts: Placeholders | None = None) -> None:
        super().__init__(fail_on_errors=True)
        self.resources = resources
        self.fmt = fmt
        self.charts = charts

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        chart = self.resources.charts.get(parts.path) if parts.scheme == "chart" else None
        if self.charts is not None and chart is not None:  # placed by pdf_charts after printing
            if parts.fragment == FRAGMENT:
                return URLFetcherResponse(url, self.charts.png(chart.name), {"Content-Type": "image/png"})
            return URLFetcherResponse(url, self.charts.svg(chart), {"Content-Type": "image/svg+xml"})
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
