"""The raw WordprocessingML python-docx has no API for, in one place.

Hyperlinks and bookmarks, fields (PAGE, NUMPAGES, SEQ, TOC), footnotes, repeated table header
rows, picture alt text, numbered lists that restart, script fonts, run languages. Everything
else in the DOCX writer speaks python-docx.
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shape import InlineShape
from docx.table import _Row
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


def set_alt_text(shape: InlineShape, text: str) -> None:
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", text)
    doc_pr.set("title", text[:80])


def restart_numbering(document: Document, paragraph: Paragraph) -> int:
    """Give ``paragraph`` (a List Number item) a fresh list numbered from 1; return its numId."""
    numbering = document.part.numbering_part.numbering_definitions._numbering
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


FOOTNOTES_XML = (
    f'<w:footnotes xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Footnotes:
    """The document's footnotes part, made on first use (python-docx has no footnote API)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.part: XmlPart | None = None

    def add(self, paragraph: Paragraph, text_style: str, mark_style: str) -> Paragraph:
        """Put a footnote reference at the end of ``paragraph``; return the note's paragraph."""
        if self.part is None:
            self.part = XmlPart(
                PackURI("/word/footnotes.xml"),
                FOOTNOTES_TYPE,
                parse_xml(FOOTNOTES_XML),
                self.document.part.package,
            )
            self.document.part.relate_to(self.part, RELATIONSHIP_TYPE.FOOTNOTES)
            _footnote_settings(self.document)
        number = len(self.part.element.findall(qn("w:footnote"))) - 1  # after the two separators
        reference = paragraph.add_run(style=mark_style)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(number))
        reference._r.append(ref)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        self.part.element.append(note)
        note_paragraph = Paragraph(OxmlElement("w:p"), _InPart(self.part, self.document))
        note.append(note_paragraph._p)
        note_paragraph.style = self.document.styles[text_style]
        mark = note_paragraph.add_run(style=self.document.styles[mark_style])
        mark._r.append(OxmlElement("w:footnoteRef"))
        note_paragraph.add_run(" ")
        return note_paragraph


class _InPart:
    """The parent python-docx asks a footnote paragraph for its part: hyperlinks are related
    from the footnotes part, styles are looked up in the document's."""

    def __init__(self, footnotes: XmlPart, document: Document) -> None:
        self.part = self
        self._footnotes = footnotes
        self._document = document

    def relate_to(self, target: str, reltype: str, is_external: bool = False) -> str:
        return self._footnotes.relate_to(target, reltype, is_external)

    def get_style_id(self, style: object, style_type: object) -> str | None:
        return self._document.part.get_style_id(style, style_type)


def _footnote_settings(document: Document) -> None:
    """Name the separator notes in settings, as Word does, before <w:compat> where the schema wants it."""
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = parse_xml(
        f'<w:footnotePr xmlns:w="{nsmap["w"]}"><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    later = [settings.find(qn(f"w:{tag}")) for tag in ("endnotePr", "compat", "docVars", "rsids")]
    anchor = next((el for el in later if el is not None), None)
    if anchor is not None:
        anchor.addprevious(pr)
    else:
        settings.append(pr)
