"""Writes a rendered document to Word by walking its HTML with python-docx.

A translator in the docutils manner: one ``visit_``/``depart_`` pair per element of the
template vocabulary; any other element stops the build with its location (never a silent
drop). Meaning travels as style names (theme ``classes``), never as direct formatting.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import lxml.html
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.shared import Emu, Inches, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from ..dates import PartialDate
from ..epoch import source_date
from ..errors import BriefgenError
from ..render import ENTRY, TEMPLATES, Rendered
from ..resources import Resources
from ..theme import Theme
from . import Layout, images, ooxml

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MARGINS = {"top": Mm(22), "bottom": Mm(20), "left": Mm(18), "right": Mm(18)}
TEXT_WIDTH = Mm(210 - 18 - 18)  # A4; on Letter the tab sits a little inside the margin
# The element's own Word style; paragraphs with no class or element style inherit a container's.
# h2 is Word's Heading 1 (h1 is the title), so prose headings nest in Word's outline as in the PDF's.
ELEMENT_STYLES = {
    "h1": "Title",
    "h2": "Heading 1",
    "h3": "Heading 2",
    "h4": "Heading 3",
    "h5": "Heading 4",
    "h6": "Heading 5",
    "figcaption": "Caption",
    "caption": "Caption",
    "td": "Table Text",
    "th": "Table Text",
}
# Containers whose plain paragraphs take a style of their own (a class on the container wins).
CONTAINER_STYLES = {"blockquote": "Quote"}
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
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'

KEPT_BODY_ROWS = 3  # a table's caption and header row never end a page with fewer body rows
SKIP = True  # a visit_ returns SKIP when it has handled the element's children itself


class DocxWriter:
    name = "docx"
    suffix = ".docx"
    image_format = "png"

    def write(self, rendered: Rendered, resources: Resources, target: Path, layout: Layout) -> None:
        stamp = source_date()  # a bad value stops the build before any work
        root = lxml.html.document_fromstring(rendered.html)
        document = Document()
        _apply_theme(document, rendered.theme)
        _page_setup(document, rendered.paper)
        _core_properties(document, root)
        _Translator(document, rendered, resources, layout).translate(root.find("body"))
        buffer = io.BytesIO()
        document.save(buffer)
        target.write_bytes(_reproducible_zip(buffer.getvalue(), stamp))


def _reproducible_zip(data: bytes, stamp: dt.datetime | None) -> bytes:
    """The same package with every entry dated alike (``stamp``, from SOURCE_DATE_EPOCH, else
    1980-01-01), so equal content is equal bytes."""
    date_time = stamp.timetuple()[:6] if stamp else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, source.read(item.filename))
    return out.getvalue()


def _apply_theme(document: Document, theme: Theme) -> None:
    """Define every theme style in the document (built-ins restyled, the rest created)."""
    styles = document.styles
    for name, spec in theme.styles.items():
        kind = WD_STYLE_TYPE.CHARACTER if spec.get("type") == "character" else WD_STYLE_TYPE.PARAGRAPH
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH:  # based on a heading, it keeps its outline level
                style.base_style = styles[spec.get("based_on", "Normal")]
            style.quick_style = True
        font = style.font
        if "font" in spec:
            ooxml.set_style_font(style, theme.fonts[spec["font"]]["word"])
        if "size" in spec:
            font.size = Pt(spec["size"])
        for attr in ("bold", "italic", "underline"):
            if attr in spec:
                setattr(font, attr, spec[attr])
        if "caps" in spec:
            font.all_caps = spec["caps"]
        if "superscript" in spec:
            font.superscript = spec["superscript"]
        if "script_font" in spec:
            ooxml.set_script_font(style, spec["script_font"])
        if "color" in spec:
            font.color.rgb = RGBColor.from_string(theme.style_color(name).lstrip("#").upper())
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            fmt = style.paragraph_format
            if "space_before" in spec:
                fmt.space_before = Pt(spec["space_before"])
            if "space_after" in spec:
                fmt.space_after = Pt(spec["space_after"])
            if "line_spacing" in spec:
                fmt.line_spacing = spec["line_spacing"]
            if "keep_with_next" in spec:
                fmt.keep_with_next = spec["keep_with_next"]
            if "keep_lines" in spec:
                fmt.keep_together = spec["keep_lines"]
            if "widow_control" in spec:
                fmt.widow_control = spec["widow_control"]
            if "align" in spec:
                fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, spec["align"].upper())
            if "indent" in spec:
                fmt.left_indent = Mm(spec["indent"])
            if spec.get("right_tab"):  # contents entries: the page number at the right margin
                fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _page_setup(document: Document, paper: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(9)
    section.different_first_page_header_footer = True  # the first page carries the masthead


def _core_properties(document: Document, root: HtmlElement) -> None:
    meta = {m.get("name"): m.get("content", "") for m in root.iter("meta") if m.get("name")}
    props = document.core_properties
    props.title = _fit(root.findtext(".//title") or "")
    props.author = _fit(meta.get("author", ""))
    props.subject = _fit(meta.get("description", ""))
    props.keywords = _fit(meta.get("keywords", ""))
    props.comments = ""
    props.last_modified_by = props.author
    props.revision = 1
    if created := meta.get("dcterms.created"):  # 2026, 2026-11 or 2026-11-05: Word wants a day
        day = PartialDate.parse(created).first_day
        props.created = props.modified = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _fit(text: str, limit: int = 255) -> str:
    """Word's core properties hold 255 characters: cut longer text at a word, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


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
    def __init__(self, document: Document, rendered: Rendered, resources: Resources, layout: Layout) -> None:
        self.document = document
        self.layout = layout
        self.footnotes = ooxml.Footnotes(document)
        self.bookmarks: list[str] = []  # ids waiting for the next paragraph
        self.bookmark_count = 0
        self.theme = rendered.theme
        self.resources = resources
        self.kind_template = TEMPLATES / rendered.kind / ENTRY
        self.container = document  # where new paragraphs and tables go
        self.paragraph: Paragraph | None = None
        self.container_styles: list[str | None] = []
        self.char_styles: list[str] = []
        self.lists: list[list] = []  # [tag, numId or None] per open list
        self.link = None
        self.lang: str | None = None
        self.spans: list[tuple[str | None, bool]] = []  # per open <span>: outer language, style pushed
        self.fresh_item = False  # an <li> paragraph that its first <p> should fill
        self.fresh_cell = False  # a new table cell, whose empty first paragraph takes the text
        # Style ids by name, looked up once: python-docx searches every style on each assignment.
        self.style_ids = {style.name: style.style_id for style in document.styles}

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
            self.unknown_visit(el)
        if visit(el) is not SKIP:
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

    def unknown_visit(self, el: HtmlElement) -> None:
        raise BriefgenError.at(
            self.kind_template,
            None,
            f"element <{el.tag}> (rendered HTML line {el.sourceline}) is not in the HTML vocabulary",
            "use the elements listed in the README, or add a visit_/depart_ pair to writers/docx.py",
        )

    # --- text and runs ---------------------------------------------------------------------------

    def text(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text)
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

    def _run(self, text: str):
        style = self.char_styles[-1] if self.char_styles else None
        if self.link is not None:
            run = ooxml.run_in(self.link, self.paragraph)
            run.text = text
            self._run_style(run, style)
        else:
            run = self.paragraph.add_run(text)
            self._run_style(run, style)
        if self.lang:
            ooxml.set_language(run, self.lang)
        return run

    def _paragraph(self, el: HtmlElement) -> Paragraph:
        style = self._style_for(el)
        if self.fresh_cell:
            self.fresh_cell = False
            paragraph = self.container.paragraphs[0]
            self._paragraph_style(paragraph, style)
        else:
            paragraph = self.container.add_paragraph()
            self._paragraph_style(paragraph, style)
        self.paragraph = paragraph
        self._place_bookmarks(paragraph)
        return paragraph

    def _place_bookmarks(self, paragraph: Paragraph) -> None:
        for anchor in self.bookmarks:
            self.bookmark_count += 1
            ooxml.add_bookmark(paragraph, anchor, self.bookmark_count)
        self.bookmarks = []

    def _paragraph_style(self, paragraph: Paragraph, name: str) -> None:
        paragraph._p.style = self.style_ids[name]

    def _run_style(self, run: object, name: str | None) -> None:
        if name is not None:
            run._r.style = self.style_ids[name]  # type: ignore[attr-defined]

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
        if el.tag in ELEMENT_STYLES:
            return ELEMENT_STYLES[el.tag]
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
        self.container_styles.append(mapped[0] if mapped else CONTAINER_STYLES.get(el.tag))

    def _leave_container(self, el: HtmlElement) -> None:
        self.container_styles.pop()

    visit_section = visit_div = visit_figure = visit_blockquote = _enter_container
    depart_section = depart_div = depart_figure = depart_blockquote = _leave_container

    def _furniture(self, el: HtmlElement) -> list[tuple[object, str]]:
        """Where page furniture goes: a running header to the page headers but the first (the
        masthead's page), a running footer to every footer, a page mark (DRAFT) to every header."""
        section = self.document.sections[0]
        if el.tag == "header" and "running" in el.classes:
            return [(section.header, "Header")]
        if el.tag == "footer" and "running" in el.classes:
            return [(section.footer, "Footer"), (section.first_page_footer, "Footer")]
        if el.tag == "aside" and "page-mark" in el.classes:
            style = self.theme.classes["page-mark"]
            return [(section.header, style), (section.first_page_header, style)]
        return []

    def _visit_block_or_furniture(self, el: HtmlElement):
        parts = self._furniture(el)
        for part, style in parts:
            self._running(el, part, style)
        if parts:
            return SKIP
        self._enter_container(el)
        return None

    def _depart_block_or_furniture(self, el: HtmlElement) -> None:
        if not self._furniture(el):
            self._leave_container(el)

    visit_header = visit_footer = visit_aside = _visit_block_or_furniture
    depart_header = depart_footer = depart_aside = _depart_block_or_furniture

    def _running(self, el: HtmlElement, part, style: str) -> None:
        """Page furniture: the running header or footer becomes a Word header or footer."""
        outer = self.container
        part.is_linked_to_previous = False
        self.container = part
        first = part.paragraphs[0]
        self.paragraph = first if not first.runs else part.add_paragraph()
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
        self.paragraph = self.container.add_paragraph()
        self._paragraph_style(self.paragraph, style)
        self._place_bookmarks(self.paragraph)
        if tag == "ol" and depth == 1:
            if num_id is None:  # every <ol> starts again from 1
                self.lists[-1][1] = ooxml.restart_numbering(self.document, self.paragraph)
            else:
                ooxml.use_numbering(self.paragraph, num_id)
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
                    self.paragraph,
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
        outer = (self.paragraph, self.char_styles, self.link, self.lang)
        self.paragraph = self.footnotes.add(self.paragraph, "Footnote Text", "Footnote Reference")
        self.char_styles, self.link = [], None
        self._children(el)
        self._end_paragraph()
        self.paragraph, self.char_styles, self.link, self.lang = outer

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
            paragraph = self._paragraph(entry)
            if i == 0:
                ooxml.field_start(paragraph, TOC_FIELD)
            link = entry.find("a")
            anchor = link.get("href", "#")[1:]
            self.link = ooxml.hyperlink(paragraph, f"#{anchor}")
            ooxml.run_in(self.link, paragraph).text = link.text_content().strip()
            ooxml.add_tab(ooxml.run_in(self.link, paragraph))
            ooxml.run_in(self.link, paragraph).text = str(self.layout.pages.get(anchor, ""))
            self.link = None
            if i == len(entries) - 1:
                ooxml.field_end(paragraph)
            self.paragraph = None
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
        picture = images.open_picture(data, src, self.resources.where)
        if self.paragraph is None:
            self.paragraph = self.container.add_paragraph()
            self._paragraph_style(self.paragraph, "Figure")
            self._place_bookmarks(self.paragraph)
            standalone = True
        else:
            standalone = False
        # Sized here, not by python-docx: it divides by the density the file states, which may be
        # zero. Pictures keep their own size (a plausible density, else 96 dpi), at most the text width.
        width, height = (Inches(size) for size in picture.inches())
        text_width = self.document.sections[0].page_width - MARGINS["left"] - MARGINS["right"]
        if width > text_width:
            width, height = text_width, Emu(round(height * text_width / width))
        try:
            shape = self.paragraph.add_run().add_picture(io.BytesIO(data), width=width, height=height)
        except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError) as exc:
            # python-docx reads every chunk header, so it trips on damage Pillow decodes past.
            raise BriefgenError.at(
                self.resources.where,
                None,
                f"image '{src}' cannot be read ({type(exc).__name__})",
                "save it again as a PNG or JPEG",
            ) from None
        ooxml.set_alt_text(shape, el.get("alt", ""))
        if standalone:
            self._end_paragraph()

    # --- tables ----------------------------------------------------------------------------------

    def visit_table(self, el: HtmlElement):
        self._end_paragraph()
        caption = el.find("caption")
        if caption is not None:
            self.dispatch(caption)
        rows = [(tr, tr.getparent().tag == "thead") for tr in el.iter("tr")]
        columns = max(len([c for c in tr if c.tag in ("td", "th")]) for tr, _ in rows)
        table = self.container.add_table(rows=len(rows), cols=columns)
        table.style = self.theme.table_style
        outer = self.container
        headers = sum(is_header for _, is_header in rows)
        for index, ((tr, is_header), row) in enumerate(zip(rows, table.rows, strict=True)):
            if is_header:
                ooxml.repeat_as_header(row)
            ooxml.keep_row_together(row)
            # The caption (Caption keeps with next) stays with the header and 3 body rows, as in the PDF.
            keep = index < headers + KEPT_BODY_ROWS - 1
            for cell_el, cell in zip([c for c in tr if c.tag in ("td", "th")], row.cells, strict=False):
                if cell_el.get("colspan") or cell_el.get("rowspan"):
                    raise BriefgenError.at(
                        self.kind_template,
                        None,
                        "merged table cells are not supported",
                        "write one value per cell",
                    )
                self.fresh_cell = True
                self.container = cell
                self.dispatch(cell_el)
                if keep and index < len(rows) - 1:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        self.container = outer
        return SKIP

    def visit_caption(self, el: HtmlElement) -> None:
        self._paragraph(el)

    depart_caption = depart_p

    def visit_td(self, el: HtmlElement) -> None:
        self._paragraph(el)

    depart_td = depart_p
    visit_th, depart_th = visit_td, depart_p
