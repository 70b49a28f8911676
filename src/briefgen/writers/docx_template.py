"""A publisher's Word house template as the start of a DOCX, as pandoc's ``--reference-doc``.

The template's styles, numbering, theme, fonts, settings, page setup (its last section) and the
headers and footers that section shows are kept, with the parts they relate to (a logo in a
header). Its body is dropped, and with it everything only the body used: pictures, links,
comments, notes, earlier sections' headers. Its core properties are cleared for the
publication's own; its thumbnail (a picture of the template) and signatures go.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import XmlPart
from docx.oxml.ns import nsmap, qn
from docx.section import Section

from ..word_template import read

# What the document part relates to as a whole, kept whether or not its XML names them.
WHOLE_DOCUMENT = {
    RT.STYLES,
    RT.NUMBERING,
    RT.SETTINGS,
    RT.WEB_SETTINGS,
    RT.FONT_TABLE,
    RT.THEME,
    RT.CUSTOM_XML,
    RT.GLOSSARY_DOCUMENT,
}
WHOLE_PACKAGE = {RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES, RT.CUSTOM_PROPERTIES}
FURNITURE = ("w:headerReference", "w:footerReference")


def open_template(path: Path) -> DocumentObject:
    """The house template at ``path`` with its body and what only the body used taken out."""
    document = Document(io.BytesIO(read(path)))
    body = document.element.body
    section = body.get_or_add_sectPr()  # the last section's page setup: the template's own
    for child in list(body):
        if child is not section:
            body.remove(child)
    _drop_unused(document.part, WHOLE_DOCUMENT)
    _drop_unused(document.part.package, WHOLE_PACKAGE)
    settings = document.settings.element
    for tag in ("w:footnotePr", "w:endnotePr"):  # they name the dropped notes' separators
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    core = document.core_properties._element
    for child in list(core):
        core.remove(child)
    return document


def _drop_unused(owner: XmlPart | OpcPackage, kept: set[str]) -> None:
    """Drop ``owner``'s relationships that its XML does not name, unless their type is in ``kept``."""
    named = set()
    if isinstance(owner, XmlPart):
        named = {
            value
            for node in owner.element.iter()
            for name, value in node.attrib.items()
            if name.startswith(f"{{{nsmap['r']}}}")
        }
    rels = owner.rels
    for rel in list(rels.values()):
        if rel.reltype not in kept and rel.rId not in named:
            del rels[rel.rId]


def has_furniture(section: Section) -> bool:
    """Whether the template gives the page headers or footers of its own."""
    return any(section._sectPr.findall(qn(tag)) for tag in FURNITURE)


def furniture_in_use(document: DocumentObject, section: Section) -> list[str]:
    """Which headers (and footers) a page can show: ``default``, and ``first`` and ``even`` when
    the section and the settings turn them on."""
    kinds = ["default"]
    if section.different_first_page_header_footer:
        kinds.append("first")
    if document.settings.odd_and_even_pages_header_footer:
        kinds.append("even")
    return kinds
