"""The raw WordprocessingML python-docx has no API for, in one place.

Hyperlinks, fields (PAGE, NUMPAGES), repeated table header rows, picture alt text, and
numbered lists that restart. Everything else in the DOCX writer speaks python-docx.
"""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shape import InlineShape
from docx.table import _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def hyperlink(paragraph: Paragraph, url: str) -> BaseOxmlElement:
    """Open a ``w:hyperlink`` to ``url`` (or ``#anchor``) at the end of ``paragraph``."""
    link = OxmlElement("w:hyperlink")
    if url.startswith("#"):
        link.set(qn("w:anchor"), url[1:])
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


def set_language(run: Run, lang: str) -> None:
    """Tag a run's language (spell-checking and font choice for complex scripts)."""
    r_pr = run._r.get_or_add_rPr()
    el = OxmlElement("w:lang")
    for attr in ("w:val", "w:bidi", "w:eastAsia"):
        el.set(qn(attr), lang)
    r_pr.append(el)


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
