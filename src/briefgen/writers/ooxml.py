"""The raw WordprocessingML python-docx has no API for, in one place.

Hyperlinks and bookmarks, fields (PAGE, NUMPAGES, SEQ, TOC) and updating them on open,
repeated table header rows and table widths, paragraph shading, picture alt text, numbered
lists that restart, script fonts, run languages, clearing a built-in style. Everything else in
the DOCX writer speaks python-docx; two parts have modules of their own, each its own XML: the
footnotes (docx_footnotes.py) and the table style (docx_tables.py).
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shape import InlineShape
from docx.shared import Length
from docx.styles.style import BaseStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def hyperlink(paragraph: Paragraph, url: str) -> BaseOxmlElement:
    """Open a ``w:hyperlink`` to ``url`` (or ``#anchor``) at the end of ``paragraph``."""
    link = OxmlElement("w:hyperlink")
    if url.startswith("#"):
        link.set(qn("w:anchor"), bookmark_name(url[1:]))
    else:
        rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rel)
    paragraph._p.append(link)
    return link


def run_in(parent: BaseOxmlElement, paragraph: Paragraph) -> Run:
    """A new run appended inside ``parent`` (a hyperlink), owned by ``paragraph``."""
    r = OxmlElement("w:r")
    parent.append(r)
    return Run(r, paragraph)


def field(paragraph: Paragraph, instruction: str, shown: str, style: str | None = None) -> None:
    """A complex field (e.g. ``PAGE``) with a cached result, so it reads right before updating."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("result", shown),
        ("end", None),
    ):
        run = paragraph.add_run(style=style)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "result":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def repeat_as_header(row: _Row) -> None:
    """Mark a table row to repeat at the top of every page the table spans."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def keep_row_together(row: _Row) -> None:
    """Keep a table row's lines on one page (Word's "allow row to break across pages" off)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def set_table_width(table: Table, width: Length) -> None:
    """Give the table a fixed width (the sum of its columns'), so Word and LibreOffice keep the
    column widths they are given rather than fitting the columns again."""
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(width.twips))
    table.autofit = False


def shade(paragraph: Paragraph, fill: str, rule: str, padding: Length) -> None:
    """Paint the paragraph's area ``fill`` (#rrggbb), ``padding`` wider than its text on each
    side, with a 3 pt ``rule`` below. Neighbours shaded alike join into one band: Word and
    LibreOffice draw a run of paragraphs with the same borders as one box."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    space = round(padding.pt)
    for side, color, size in (("top", fill, 4), ("left", fill, 4), ("bottom", rule, 24), ("right", fill, 4)):
        border = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", size), ("space", space), ("color", word_color(color))):
            border.set(qn(f"w:{attr}"), str(value))
        borders.append(border)
    shading = OxmlElement("w:shd")
    for attr, value in (("val", "clear"), ("color", "auto"), ("fill", word_color(fill))):
        shading.set(qn(f"w:{attr}"), value)
    p_pr.insert_element_before(borders, *AFTER_SHADING)
    p_pr.insert_element_before(shading, *AFTER_SHADING)


def word_color(color: str) -> str:
    """#rrggbb as WordprocessingML writes a colour: RRGGBB."""
    return color.lstrip("#").upper()


# What follows w:pBdr and w:shd in a w:pPr, in the schema's order (python-docx names only some).
AFTER_SHADING = (
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def set_alt_text(shape: InlineShape, text: str) -> None:
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", text)
    doc_pr.set("title", text[:80])


def restart_numbering(document: Document, paragraph: Paragraph) -> int:
    """Give ``paragraph`` (a List Number item) a fresh list numbered from 1; return its numId."""
    numbering = document.part.numbering_part.numbering_definitions._numbering
    assert paragraph.style is not None, "a List Number paragraph"
    style_num = paragraph.style.element.pPr.numPr.numId.val  # the list the style points at
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    use_numbering(paragraph, num.numId)
    return num.numId


def use_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


# Word keeps three languages a run: w:val for Latin (and Cyrillic, Greek) text, w:eastAsia for
# Han, kana and Hangul, w:bidi for complex scripts (right-to-left, and Thai, Lao, Khmer, Burmese,
# Indic), and reads each for its own characters: proofing and, where a font covers several
# languages, its glyphs.
EAST_ASIAN = {"zh", "ja", "ko"}
COMPLEX_SCRIPTS = {"ar", "fa", "he", "ur", "yi", "ps", "th", "lo", "km", "my", "hi", "bn", "ta", "si", "ne"}


def set_language(run: Run, lang: str) -> None:
    """Tag a run's language (a BCP 47 tag): ``w:val``, and ``w:eastAsia`` or ``w:bidi`` too
    when the language is written in those scripts."""
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    primary = lang.split("-")[0].lower()
    if primary in EAST_ASIAN:
        el.set(qn("w:eastAsia"), lang)
    if primary in COMPLEX_SCRIPTS:
        el.set(qn("w:bidi"), lang)
    run._r.get_or_add_rPr().append(el)


def set_style_font(style: object, name: str) -> None:
    """Name the font of a style's Latin text, dropping the theme-font links that Word's built-in
    headings carry (they would override the named font). Other scripts keep Word's defaults."""
    r_pr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi"):
        fonts.set(qn(f"w:{attr}"), name)


def set_script_font(style: object, name: str) -> None:
    """Name the font Word uses for complex scripts (Thai, Khmer, ...) and East Asian text."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("csTheme", "eastAsiaTheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), name)


# What a restyled built-in keeps of its own: a list style's numbering, a heading's outline level.
STRUCTURAL = {qn("w:numPr"), qn("w:outlineLvl")}


def clear_style_formatting(style: BaseStyle) -> None:
    """Take away a built-in style's own look (fonts, italics, letter spacing, colour, borders,
    spacing), keeping only its structure, so the properties a theme sets are all it has."""
    element = style.element
    if element.rPr is not None:
        element.remove(element.rPr)
    if element.pPr is not None:
        for child in [c for c in element.pPr if c.tag not in STRUCTURAL]:
            element.pPr.remove(child)


def update_fields_on_open(document: Document) -> None:
    """Ask Word to update the document's fields when it opens it (Word asks the reader first):
    the contents' page numbers are the PDF's until Word lays the document out itself."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # Its place in the schema's order: before these, after everything else Word writes first.
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids")
    anchor = next((el for el in map(settings.find, map(qn, later)) if el is not None), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML id: a letter first, then letters, digits and _ (40 at most)."""
    return ("b_" + re.sub(r"\W", "_", anchor))[:40]


def add_bookmark(paragraph: Paragraph, anchor: str, number: int) -> None:
    """Mark the start of ``paragraph`` as the target of links to ``#anchor``."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p_pr = paragraph._p.pPr
    index = 1 if p_pr is not None else 0
    paragraph._p.insert(index, start)
    paragraph._p.insert(index + 1, end)


def field_start(paragraph: Paragraph, instruction: str) -> None:
    """Open a field: begin, the instruction, separate. Its shown result follows, then field_end."""
    _field_char(paragraph, "begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _field_char(paragraph, "separate")


def field_end(paragraph: Paragraph) -> None:
    _field_char(paragraph, "end")


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def add_tab(run: Run) -> None:
    run._r.append(OxmlElement("w:tab"))
