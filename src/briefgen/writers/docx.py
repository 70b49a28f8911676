"""Writes a rendered document to Word by walking its HTML with python-docx.

A translator in the docutils manner: one ``visit_``/``depart_`` pair per element of the
template vocabulary; any other element stops the build with its location (never a silent
drop). Meaning travels as style names (theme ``classes``), never as direct formatting (a band
of colour's shading and ink aside). What it needs of Word beyond that has a module of its own:
styles (docx_styles), tables (docx_tables), the contents (docx_contents), bands (docx_bands),
footnotes (docx_footnotes), pictures (docx_pictures), the package (docx_package), raw XML (ooxml),
a publisher's house template (docx_template, docx_house_styles).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import NoReturn

import lxml.html
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Emu, Length, Mm, Pt
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from ..epoch import source_date
from ..errors import BriefgenError
from ..render import Rendered, template_of
from ..resources import Resources
from . import (
    Layout,
    docx_contents,
    docx_footnotes,
    docx_house_styles,
    docx_package,
    docx_pictures,
    docx_styles,
    docx_tables,
    docx_template,
    ooxml,
)
from .docx_bands import ATTRIBUTE as BAND
from .docx_bands import Band

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
HEADER_DISTANCE, FOOTER_DISTANCE = Mm(10), Mm(9)
CHARACTER_STYLES = {"strong": "Strong", "em": "Emphasis", "a": "Hyperlink", "code": "Code"}
PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "caption", "td", "th"}
# Spans that become Word fields: class -> field instruction. The span's own text is the result
# Word shows until it updates the field (empty spans show 1: page counters).
FIELD_CLASSES = {
    "page-number": "PAGE",
    "page-count": "NUMPAGES",
    "seq-figure": "SEQ Figure \\* ARABIC",
    "seq-table": "SEQ Table \\* ARABIC",
}
KEPT_BODY_ROWS = 3  # a table's caption and header row never end a page with fewer body rows
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space, which U+00A0 is not
SKIP = True  # a visit_ returns SKIP when it has handled the element's children itself


class DocxWriter:
    name = "docx"
    suffix = ".docx"
    image_format = "png"

    def write(self, rendered: Rendered, resources: Resources, target: Path, layout: Layout) -> None:
        stamp = source_date()  # a bad value stops the build before any work
        root = lxml.html.document_fromstring(rendered.html)
        document = _blank(rendered)
        docx_package.core_properties(document, root)
        _Translator(document, rendered, resources, layout).translate(root.find("body"))
        buffer = io.BytesIO()
        document.save(buffer)
        target.write_bytes(docx_package.reproducible_zip(buffer.getvalue(), stamp))


def _blank(rendered: Rendered) -> DocumentObject:
    """An empty document on the publication's page, with the theme's styles (from the house
    template, if any). Defining the styles is a third of a DOCX's time
    (python-docx looks each up among all), so each look is made once per process and copied."""
    template = rendered.word_template
    look = (repr(rendered.theme), rendered.paper, template, _file_stamp(template))
    if look not in _BLANKS:
        margins = rendered.theme.page["margins"]
        house = None
        if template is None:
            document = Document()
            text_width = _page_setup(document, rendered.paper, margins)
        else:  # the house template's styles, margins, headers and footers (pandoc's reference-doc)
            document = docx_template.open_template(template)
            house = docx_house_styles.prepare(document, rendered.theme)
            text_width = _house_page_setup(document, rendered.paper, margins)
        docx_styles.apply_theme(document, rendered.theme, text_width, house)
        buffer = io.BytesIO()
        document.save(buffer)
        _BLANKS[look] = buffer.getvalue()
        if len(_BLANKS) > BLANKS_KEPT:
            del _BLANKS[next(iter(_BLANKS))]  # the oldest look
    return Document(io.BytesIO(_BLANKS[look]))


_BLANKS: dict[tuple[object, ...], bytes] = {}
BLANKS_KEPT = 8  # a few publishers' looks in one build


def _file_stamp(path: Path | None) -> tuple[int, int] | None:
    """When a file last changed, and its size: a house template edited while `preview` runs."""
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError:
        return None  # opening it says what is wrong
    return info.st_mtime_ns, info.st_size


def _page_setup(document: DocumentObject, paper: str, margins: dict[str, float]) -> Length:
    """The paper and the theme's margins (the PDF's @page has the same); returns the text width."""
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    for side, size in margins.items():
        setattr(section, f"{side}_margin", Mm(size))
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    section.different_first_page_header_footer = True  # the first page carries the masthead
    return _text_width_of(section)


def _text_width_of(section: Section) -> Length:
    """The page width less the side margins (python-docx types each as possibly unset)."""
    return Emu((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))


def _house_page_setup(document: DocumentObject, paper: str, margins: dict[str, float]) -> Length:
    """A house template's page: the publication's paper, so the PDF and the DOCX have one page
    size; the template's margins and header and footer distances (the theme's where it sets
    none). A template without headers or footers takes briefgen's, as a page without one does."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    width, section.page_height = PAPER[paper]
    section.page_width = width
    sides: dict[str, Length] = {}
    for side, size in margins.items():
        own = getattr(section, f"{side}_margin")
        sides[side] = Mm(size) if own is None else own
        setattr(section, f"{side}_margin", sides[side])
    if section.header_distance is None:
        section.header_distance = HEADER_DISTANCE
    if section.footer_distance is None:
        section.footer_distance = FOOTER_DISTANCE
    if not docx_template.has_furniture(section):
        section.different_first_page_header_footer = True
        document.settings.odd_and_even_pages_header_footer = False
    return Length(width - sides["left"] - sides["right"])


def _is_empty(part: object) -> bool:
    """A header or footer with nothing in it yet: one paragraph, empty (python-docx makes them so)."""
    blocks = list(part._element.iterchildren(qn("w:p"), qn("w:tbl"), qn("w:sdt")))  # type: ignore[attr-defined]
    return len(blocks) == 1 and blocks[0].tag == qn("w:p") and all(c.tag == qn("w:pPr") for c in blocks[0])


def _percent_width(el: HtmlElement) -> float | None:
    """The ``width: N%`` of an element's inline style (a column's share of a div.columns)."""
    match = re.search(r"(?:^|;)\s*width:\s*(\d+(?:\.\d+)?)%", el.get("style", ""))
    return float(match.group(1)) if match and 0 < float(match.group(1)) <= 100 else None


def _is_label(el: HtmlElement) -> bool:
    """A paragraph that is only a bold label ending in a colon (``<p><strong>Data Sources:</strong></p>``)
    names what follows, so Word keeps it with the next paragraph (the PDF: base.css)."""
    children = list(el)
    return (
        el.tag == "p"
        and not (el.text or "").strip()
        and len(children) == 1
        and children[0].tag == "strong"
        and not (children[0].tail or "").strip()
        and children[0].text_content().strip().endswith(":")
    )


def script_style(scripts: dict[str, str], lang: str) -> str | None:
    """The character style of a language tag: its longest mapped prefix (``zh-Hant-TW``, then
    ``zh-Hant``, then ``zh``), so traditional Chinese may have a font of its own."""
    mapped = {tag.casefold(): style for tag, style in scripts.items()}
    subtags = lang.casefold().split("-")
    for n in range(len(subtags), 0, -1):
        if style := mapped.get("-".join(subtags[:n])):
            return style
    return None


class _Translator:
    def __init__(
        self, document: DocumentObject, rendered: Rendered, resources: Resources, layout: Layout
    ) -> None:
        self.document = document
        self.layout = layout
        self.footnotes = docx_footnotes.Footnotes(document)
        self.bookmarks: list[str] = []  # ids waiting for the next paragraph
        self.bookmark_count = 0
        self.theme = rendered.theme
        self.resources = resources
        self.kind_template = rendered.template or template_of(rendered.kind)
        self.container = document  # where new paragraphs and tables go
        self.widths: list[Length] = []  # the columns (div.columns) being filled, innermost last
        self.paragraph: Paragraph | None = None
        self.container_styles: list[str | None] = []
        self.char_styles: list[str] = []
        self.lists: list[list] = []  # [tag, numId or None] per open list
        self.link: BaseOxmlElement | None = None
        self.lang: str | None = None
        self.spans: list[tuple[str | None, bool]] = []  # per open <span>: outer language, style pushed
        self.fresh_item = False  # an <li> paragraph that its first <p> should fill
        self.fresh_cell = False  # a new table cell, whose empty first paragraph takes the text
        self.cell: tuple[bool, bool] | None = None  # the open cell's (header row, column of figures)
        self.bands: list[Band] = []  # the bands of colour the text is on, innermost last
        self.table_style = docx_tables.table_style(document, self.theme)
        # Style ids by name, looked up once: python-docx searches every style on each assignment.
        self.style_ids = {style.name: style.style_id for style in document.styles}
        # A house template's own headers and footers are the page's: no running ones of ours.
        self.furnished = docx_template.has_furniture(document.sections[0])

    # --- walking ---------------------------------------------------------------------------------

    def translate(self, body: HtmlElement) -> None:
        self._children(body)

    def dispatch(self, el: HtmlElement) -> None:
        if not isinstance(el.tag, str):  # comments and processing instructions
            return
        if el.get("id") and el.tag != "nav":
            self.bookmarks.append(el.get("id"))
        visit = getattr(self, f"visit_{el.tag}", None)
        if visit is None:
            self.unknown_visit(el)  # raises
        elif visit(el) is not SKIP:
            self._children(el)
        depart = getattr(self, f"depart_{el.tag}", None)
        if depart is not None:
            depart(el)

    def _children(self, el: HtmlElement) -> None:
        if el.text:
            self.text(el.text)
        for child in el:
            self.dispatch(child)
            if child.tail:
                self.text(child.tail)

    def unknown_visit(self, el: HtmlElement) -> NoReturn:
        raise BriefgenError.at(
            self.kind_template,
            None,
            f"element <{el.tag}> (rendered HTML line {el.sourceline}) is not in the HTML vocabulary",
            "use the elements listed in the README, or add a visit_/depart_ pair to writers/docx.py",
        )

    # --- text and runs ---------------------------------------------------------------------------

    def text(self, text: str) -> None:
        text = HTML_SPACE.sub(" ", text)  # as HTML collapses: a no-break space stays
        if self.paragraph is None:
            if text.strip():
                raise BriefgenError.at(
                    self.kind_template,
                    None,
                    f"text {text.strip()[:30]!r} outside a paragraph",
                    "wrap it in <p>",
                )
            return
        if not self.paragraph.runs and not self.paragraph._p.xpath("./w:hyperlink"):
            text = text.lstrip()
        if text:
            self._run(text)

    @property
    def open_paragraph(self) -> Paragraph:
        """The paragraph being written: the walk opens one before any text or inline reaches it."""
        assert self.paragraph is not None, "no paragraph open"
        return self.paragraph

    def _run(self, text: str):
        style = self.char_styles[-1] if self.char_styles else None
        band = self.bands[-1] if self.bands else None
        if self.link is not None:
            run = ooxml.run_in(self.link, self.open_paragraph)
            run.text = text
        else:
            run = self.open_paragraph.add_run(text)
        if band is not None and style is None:
            self._run_style(run, band.text_style(self.document, self.style_ids))
        else:
            self._run_style(run, style)
        if band is not None and style is not None:
            band.paint(run)
        if self.lang:
            ooxml.set_language(run, self.lang)
        return run

    def _paragraph(self, el: HtmlElement) -> Paragraph:
        return self._new_paragraph(self._style_for(el))

    def _new_paragraph(self, style: str) -> Paragraph:
        """The next paragraph, in ``style``: a new table cell's own first one, or a new one."""
        if self.fresh_cell:
            self.fresh_cell = False
            paragraph = self.container.paragraphs[0]
        else:
            paragraph = self.container.add_paragraph()
        self._paragraph_style(paragraph, style)
        if self.bands:
            self.bands[-1].shade(paragraph)
        self.paragraph = paragraph
        self._place_bookmarks(paragraph)
        return paragraph

    def _place_bookmarks(self, paragraph: Paragraph) -> None:
        for anchor in self.bookmarks:
            self.bookmark_count += 1
            ooxml.add_bookmark(paragraph, anchor, self.bookmark_count)
        self.bookmarks = []

    def _paragraph_style(self, paragraph: Paragraph, name: str) -> None:
        paragraph._p.style = self._style_id(name)

    def _run_style(self, run: object, name: str | None) -> None:
        if name is not None:
            run._r.style = self._style_id(name)  # type: ignore[attr-defined]

    def _style_id(self, name: str) -> str:
        if name not in self.style_ids:  # a style made while writing and not noted here
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def _style_for(self, el: HtmlElement) -> str:
        for cls in el.classes:
            if cls in self.theme.classes:
                return self.theme.classes[cls]
            if el.tag in PARAGRAPH_TAGS:
                raise BriefgenError.at(
                    self.kind_template,
                    None,
                    f"class '{cls}' on <{el.tag}> (rendered HTML line {el.sourceline}) has no Word style",
                    "map it to a style under `classes:` in templates/shared/theme.yaml",
                )
        if el.tag in self.theme.elements:  # h2 → Heading 1, caption → Table Caption, …
            return self.theme.elements[el.tag]
        inherited = [s for s in self.container_styles if s]
        return inherited[-1] if inherited else "Normal"

    def _end_paragraph(self) -> None:
        if self.paragraph is not None:
            texts = self.paragraph._p.xpath("(.//w:t)[last()]")  # trailing space: HTML drops it
            if texts and texts[0].text:
                texts[0].text = texts[0].text.rstrip()
        self.paragraph = None

    # --- containers ------------------------------------------------------------------------------

    def _enter_container(self, el: HtmlElement) -> None:
        mapped = [self.theme.classes[c] for c in el.classes if c in self.theme.classes]
        self.container_styles.append(mapped[0] if mapped else self.theme.elements.get(el.tag))
        if el.get(BAND):
            self.bands.append(Band.named(self.theme, el.get(BAND), self.kind_template))

    def _leave_container(self, el: HtmlElement) -> None:
        self.container_styles.pop()
        if el.get(BAND):
            self.bands.pop()

    visit_figure = visit_blockquote = _enter_container

    def visit_div(self, el: HtmlElement):
        if "columns" not in el.classes:
            return self._enter_container(el)
        # Side by side, as the PDF's flex row: a borderless table of one row, a cell per child,
        # each as wide as the child's inline ``width: N%`` (the rest shared out evenly).
        self._end_paragraph()
        self._enter_container(el)
        children = [child for child in el if isinstance(child.tag, str)]
        total = self._text_width()
        given = [_percent_width(child) for child in children]
        rest = (100 - sum(w for w in given if w)) / max(1, sum(1 for w in given if not w))
        widths = [Emu(round(total * (w or rest) / 100)) for w in given]
        widths[-1] = Emu(total - sum(widths[:-1]))  # the last column reaches the margin
        table = self.container.add_table(rows=1, cols=len(children))
        docx_tables.set_widths(table, widths)
        outer = self.container
        for child, cell, width in zip(children, table.rows[0].cells, widths, strict=True):
            self.container, self.widths = cell, [*self.widths, width]
            self.fresh_cell = True
            self.dispatch(child)
            self._end_paragraph()
            self.widths = self.widths[:-1]
        self.container = outer
        return SKIP  # depart_div leaves the container

    visit_section = visit_div
    depart_section = depart_div = depart_figure = depart_blockquote = _leave_container

    def _furniture(self, el: HtmlElement) -> list[tuple[object, str]] | None:
        """Where page furniture goes (None: ``el`` is none): a running header to the page headers
        but the first (the masthead's page), a running footer to every footer, a page mark
        (DRAFT) to every header. A house template's headers and footers replace the running
        ones; the page mark joins every header its pages show."""
        section = self.document.sections[0]
        if el.tag == "header" and "running" in el.classes:
            return [] if self.furnished else [(section.header, "Header")]
        if el.tag == "footer" and "running" in el.classes:  # a class may restyle it (institution)
            style = next((self.theme.classes[c] for c in el.classes if c in self.theme.classes), "Footer")
            return [] if self.furnished else [(section.footer, style), (section.first_page_footer, style)]
        if el.tag == "aside" and "page-mark" in el.classes:
            style = self.theme.classes["page-mark"]
            headers = {
                "default": section.header,
                "first": section.first_page_header,
                "even": section.even_page_header,
            }
            kinds = (
                docx_template.furniture_in_use(self.document, section)
                if self.furnished
                else ["default", "first"]
            )
            return [(headers[kind], style) for kind in kinds]
        return None

    def _visit_block_or_furniture(self, el: HtmlElement):
        parts = self._furniture(el)
        if parts is None:
            self._enter_container(el)
            return None
        for part, style in parts:
            self._running(el, part, style)
        return SKIP

    def _depart_block_or_furniture(self, el: HtmlElement) -> None:
        if self._furniture(el) is None:
            self._leave_container(el)

    visit_header = visit_footer = visit_aside = _visit_block_or_furniture
    depart_header = depart_footer = depart_aside = _depart_block_or_furniture

    def _running(self, el: HtmlElement, part, style: str) -> None:
        """Page furniture: the running header or footer becomes a Word header or footer."""
        outer = self.container
        part.is_linked_to_previous = False
        self.container = part
        self.paragraph = part.paragraphs[0] if _is_empty(part) else part.add_paragraph()
        self._paragraph_style(self.paragraph, style)
        self._children(el)
        self._end_paragraph()
        self.container = outer

    # --- paragraphs ------------------------------------------------------------------------------

    def visit_p(self, el: HtmlElement) -> None:
        if self.fresh_item:  # <li><p>…</p></li>: the item's paragraph takes the text
            self.fresh_item = False
            return
        self._paragraph(el)

    def depart_p(self, el: HtmlElement) -> None:
        if self.paragraph is not None and _is_label(el):
            self.paragraph.paragraph_format.keep_with_next = True
        self._end_paragraph()

    visit_h1 = visit_h2 = visit_h3 = visit_h4 = visit_h5 = visit_h6 = visit_figcaption = visit_p
    depart_h1 = depart_h2 = depart_h3 = depart_h4 = depart_h5 = depart_h6 = depart_figcaption = depart_p

    # --- lists -----------------------------------------------------------------------------------

    def visit_ul(self, el: HtmlElement) -> None:
        self._end_paragraph()
        self.lists.append([el.tag, None])

    def depart_ul(self, el: HtmlElement) -> None:
        self._end_paragraph()
        self.lists.pop()

    visit_ol, depart_ol = visit_ul, depart_ul

    def visit_li(self, el: HtmlElement) -> None:
        if not self.lists:
            raise BriefgenError.at(
                self.kind_template,
                None,
                f"<li> outside a list (HTML line {el.sourceline})",
                "put it inside <ul> or <ol>",
            )
        tag, num_id = self.lists[-1]
        depth = len(self.lists)
        base = "List Number" if tag == "ol" else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        self._end_paragraph()
        self._new_paragraph(style)
        if tag == "ol" and depth == 1:
            if num_id is None:  # every <ol> starts again from 1
                self.lists[-1][1] = ooxml.restart_numbering(self.document, self.open_paragraph)
            else:
                ooxml.use_numbering(self.open_paragraph, num_id)
        self.fresh_item = True

    def depart_li(self, el: HtmlElement) -> None:
        self.fresh_item = False
        self._end_paragraph()

    # --- inline ----------------------------------------------------------------------------------

    def visit_strong(self, el: HtmlElement) -> None:
        self.char_styles.append(CHARACTER_STYLES[el.tag])

    def depart_strong(self, el: HtmlElement) -> None:
        self.char_styles.pop()

    visit_em = visit_code = visit_strong
    depart_em = depart_code = depart_strong

    def visit_a(self, el: HtmlElement) -> None:
        href = el.get("href", "")
        if self.paragraph is None:
            raise BriefgenError.at(
                self.kind_template,
                None,
                f"link outside a paragraph (HTML line {el.sourceline})",
                "put the <a> inside a <p> or <li>",
            )
        self.link = ooxml.hyperlink(self.paragraph, href)
        self.char_styles.append(CHARACTER_STYLES["a"])

    def depart_a(self, el: HtmlElement) -> None:
        self.link = None
        self.char_styles.pop()

    def visit_span(self, el: HtmlElement):
        for cls, instruction in FIELD_CLASSES.items():
            if cls in el.classes:
                ooxml.field(
                    self.open_paragraph,
                    instruction,
                    el.text_content().strip() or "1",
                    self.char_styles[-1] if self.char_styles else None,
                )
                return SKIP
        if "footnote" in el.classes:
            self._footnote(el)
            return SKIP
        style = self._span_style(el)
        self.spans.append((self.lang, style is not None))
        self.lang = el.get("lang") or self.lang
        if style is not None:
            self.char_styles.append(style)
        return None

    def depart_span(self, el: HtmlElement) -> None:
        if any(cls in el.classes for cls in [*FIELD_CLASSES, "footnote"]):
            return
        self.lang, pushed = self.spans.pop()
        if pushed:
            self.char_styles.pop()

    def _footnote(self, el: HtmlElement) -> None:
        """A native Word footnote: the reference here, the text in the footnotes part."""
        if self.paragraph is None:
            raise BriefgenError.at(
                self.kind_template,
                None,
                f"footnote outside a paragraph (HTML line {el.sourceline})",
                "put the footnote inside a paragraph",
            )
        outer = (self.paragraph, self.char_styles, self.link, self.lang, self.bands)
        self.paragraph = self.footnotes.add(self.paragraph, "Footnote Text", "Footnote Reference")
        self.char_styles, self.link, self.bands = [], None, []  # the note is on white paper
        self._children(el)
        self._end_paragraph()
        self.paragraph, self.char_styles, self.link, self.lang, self.bands = outer

    def visit_nav(self, el: HtmlElement):
        """The contents: a TOC field whose result is already filled in, with the PDF's pages."""
        if "toc" not in el.classes:
            raise BriefgenError.at(
                self.kind_template,
                None,
                f"<nav> without class toc (HTML line {el.sourceline})",
                "only the contents list is a <nav>",
            )
        entries = [p for p in el if p.tag == "p" and "toc-title" not in p.classes]
        for title in (p for p in el if p.tag == "p" and "toc-title" in p.classes):
            self.dispatch(title)
        for i, entry in enumerate(entries):
            self._end_paragraph()
            link = entry.find("a")
            anchor = link.get("href", "#")[1:]
            title, page = link.text_content().strip(), self.layout.pages.get(anchor, "")
            docx_contents.entry(self._paragraph(entry), title, anchor, page, i == 0, i == len(entries) - 1)
            self.paragraph = None
        if entries:
            docx_contents.update_on_open(self.document)
        return SKIP

    def _span_style(self, el: HtmlElement) -> str | None:
        """A span's character style: from its class, else from its language's script."""
        for cls in el.classes:
            if cls not in self.theme.classes:
                raise BriefgenError.at(
                    self.kind_template,
                    None,
                    f"class '{cls}' on <span> (rendered HTML line {el.sourceline}) has no Word style",
                    "map it to a style under `classes:` in templates/shared/theme.yaml",
                )
            return self.theme.classes[cls]
        return script_style(self.theme.scripts, el.get("lang") or "")

    def visit_br(self, el: HtmlElement) -> None:
        if self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def visit_img(self, el: HtmlElement) -> None:
        src = el.get("src", "")
        data, _ = self.resources.fetch(src, DocxWriter.image_format)
        standalone = self.paragraph is None
        if standalone:
            self._new_paragraph("Figure")
        parent = el.getparent()
        logo = parent is not None and "logo" in parent.classes  # as tall as the PDF's (theme sizes)
        docx_pictures.add_picture(
            self.open_paragraph,
            data,
            src,
            el.get("alt", ""),
            self._text_width(),
            self.resources.where,
            Pt(self.theme.sizes["logo-height"]) if logo else None,
            fill=standalone and bool(self.widths),
        )
        if standalone:
            self._end_paragraph()

    # --- tables ----------------------------------------------------------------------------------

    def visit_table(self, el: HtmlElement):
        self._end_paragraph()
        caption = el.find("caption")
        if caption is not None:
            self.dispatch(caption)
        grid = docx_tables.Grid.of(el, self._text_width())
        table = self.container.add_table(rows=len(grid.rows), cols=len(grid.widths))
        if self.fresh_cell:  # first in a column: above the cell's empty paragraph, which must end it
            self.container.paragraphs[0]._p.addprevious(table._tbl)
            self.fresh_cell = False
        table.style = self.table_style
        docx_tables.set_widths(table, grid.widths)
        outer = self.container
        headers = sum(is_header for _, is_header, _ in grid.rows)
        for index, ((_, is_header, cells), row) in enumerate(zip(grid.rows, table.rows, strict=True)):
            if is_header:
                ooxml.repeat_as_header(row)
            ooxml.keep_row_together(row)
            # The caption (Caption keeps with next) stays with the header and 3 body rows, as in the PDF.
            keep = index < headers + KEPT_BODY_ROWS - 1
            for column, (cell_el, cell) in enumerate(zip(cells, row.cells, strict=False)):
                if cell_el.get("colspan") or cell_el.get("rowspan"):
                    raise BriefgenError.at(
                        self.kind_template,
                        None,
                        "merged table cells are not supported",
                        "write one value per cell",
                    )
                self.fresh_cell = True
                self.container = cell
                self.cell = (is_header, grid.numeric[column])
                self.dispatch(cell_el)
                if keep and index < len(grid.rows) - 1:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        self.container, self.cell = outer, None
        return SKIP

    def visit_caption(self, el: HtmlElement) -> None:
        self._paragraph(el)

    depart_caption = depart_p

    def visit_td(self, el: HtmlElement) -> None:
        header, figure = self.cell or (False, False)
        style = self._style_for(el)
        self._new_paragraph(
            docx_tables.cell_style(self.document, self.theme, el, style, header, figure, self.style_ids)
        )

    depart_td = depart_p
    visit_th, depart_th = visit_td, depart_p

    def _text_width(self) -> Length:
        """The width new content may take: the page's text width, or a column's."""
        if self.widths:
            return self.widths[-1]
        return _text_width_of(self.document.sections[0])
