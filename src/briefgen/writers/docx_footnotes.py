"""Word's footnotes part, made on first use: python-docx has no footnote API, so this builds the
part, its separators, the references and the notes in raw WordprocessingML."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.text.paragraph import Paragraph

if TYPE_CHECKING:
    from docx.types import ProvidesStoryPart

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
        note_paragraph = Paragraph(
            OxmlElement("w:p"), cast("ProvidesStoryPart", _InPart(self.part, self.document))
        )
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
