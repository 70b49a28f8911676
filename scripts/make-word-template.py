"""Makes content/word/harbour-city-chamber.dotx, the sample publisher's Word house template.

Run from the repository root: .venv/bin/python scripts/make-word-template.py [OUTPUT]
The same script makes the same bytes (every zip entry dated 1980-01-01), so the committed file
changes only when this script does.

The template is what a chamber's designer would make in Word: a header with the chamber's name
over a gold rule, a footer with the page number, its own body face and Heading 1 (Georgia, in
harbour blue, over a rule), and margins wider than briefgen's theme. It defines only those
styles; briefgen brings every other style it uses from its theme.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from briefgen.word_template import DOCUMENT, TEMPLATE, relabelled
from briefgen.writers.docx_package import reproducible_zip

TARGET = Path(__file__).resolve().parents[1] / "content" / "word" / "harbour-city-chamber.dotx"
HEADER = "Harbour City Chamber of Commerce \N{EM DASH} Members\N{RIGHT SINGLE QUOTATION MARK} Briefing"
GREEN, GOLD, HARBOUR_BLUE, GREY = "1E5631", "C9A227", "0B4F6C", "5F6B61"
# The styles the house defines (by styleId in python-docx's default template); the rest go.
KEPT = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Heading1", "Header", "Footer"}


def main(target: Path = TARGET) -> None:
    document = Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles(document)
    page(document)
    for owner in (document.part, document.part.package):  # no stale copy of the styles, no thumbnail
        for rel in list(owner.rels.values()):
            if rel.reltype.endswith(("/stylesWithEffects", "/metadata/thumbnail")):
                del owner.rels[rel.rId]
    props = document.core_properties
    props.title = "Harbour City Chamber of Commerce: Word house template"
    props.author = props.last_modified_by = "Harbour City Chamber of Commerce"
    props.subject = props.keywords = props.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(reproducible_zip(relabelled(buffer.getvalue(), DOCUMENT, TEMPLATE), None))
    print(f"wrote {target}")


def styles(document) -> None:
    """Only the house's styles: body text, Heading 1, header and footer."""
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT:
            root.remove(style)
        else:
            for link in style.findall(qn("w:link")):  # its "Char" twin is gone
                style.remove(link)
    defaults = root.find(qn("w:docDefaults"))
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}>"
            '<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
            'w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
            '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
            "</w:pPrDefault></w:docDefaults>"
        ),
    )
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    heading = document.styles["Heading 1"]
    for child in [c for c in heading.element if c.tag in (qn("w:pPr"), qn("w:rPr"))]:
        heading.element.remove(child)
    heading.font.name = "Georgia"
    heading.font.size = Pt(16)
    heading.font.bold = False
    heading.font.color.rgb = RGBColor.from_string(HARBOUR_BLUE)
    fmt = heading.paragraph_format
    fmt.space_before, fmt.space_after = Pt(18), Pt(6)
    fmt.keep_with_next = True
    rule(heading.element.get_or_add_pPr(), "bottom", GOLD, 6)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    heading.element.get_or_add_pPr().append(outline)
    for name, color, align in (
        ("Header", GREEN, WD_ALIGN_PARAGRAPH.LEFT),
        ("Footer", GREY, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(8)
        style.font.color.rgb = RGBColor.from_string(color)
        style.paragraph_format.alignment = align
        style.paragraph_format.space_after = Pt(0)
    document.styles["Header"].font.bold = True
    document.styles["Header"].font.small_caps = True


def page(document) -> None:
    """A4 with wide margins; the chamber's line over a gold rule at the head of every page,
    "Members' Briefing · Page N" at the foot."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(25), Mm(25)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    header = section.header
    header.is_linked_to_previous = False
    line = header.paragraphs[0]
    line.style = document.styles["Header"]
    line.add_run(HEADER)
    rule(line._p.get_or_add_pPr(), "bottom", GOLD, 8)
    footer = section.footer
    footer.is_linked_to_previous = False
    foot = footer.paragraphs[0]
    foot.style = document.styles["Footer"]
    foot.add_run("Members\N{RIGHT SINGLE QUOTATION MARK} Briefing \N{MIDDLE DOT} Page ")
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = foot.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def rule(p_pr, side: str, color: str, eighths: int) -> None:
    """A rule on one side of a paragraph (``eighths`` of a point thick), in the schema's place."""
    borders = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{eighths}" w:space="4" '
        f'w:color="{color}"/></w:pBdr>'
    )
    later = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:outlineLvl")
    anchor = next((p_pr.find(qn(tag)) for tag in later if p_pr.find(qn(tag)) is not None), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        p_pr.append(borders)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
