"""The PDF and the DOCX of every sample publication say the same thing.

Compared: headings in order, every word of the body (paragraphs, table cells, captions,
footnotes), caption and footnote texts, and link targets. Page furniture (running header and
footer, page numbers) is left out by design: each format has its own.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.build import prepare
from briefgen.render import Rendered
from briefgen.writers.ooxml import bookmark_name
from conftest import CONTENT, pdf_text


def publication_ids() -> list[str]:
    from briefgen.validate import validate_content

    return sorted(validate_content(CONTENT).publications)


IDS = publication_ids()
WORD = re.compile(r"\w+(?:['’.,/-]\w+)*")
HEADING_STYLES = (
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Heading 5",
    "Section Label",
    "Panel Heading",
)
CAPTION_STYLES = ("Caption", "Table Caption")
FOLIO = re.compile(r"Page \d+ of \d+")  # a footer line of its own (the commentary's)


def words(text: str) -> Counter[str]:
    """Words as a reader compares them: case folded; one- and two-digit numbers (list numbers,
    footnote marks, contents page numbers) and words in scripts that PDF text extraction cannot
    reassemble (Thai, Khmer, Lao, Burmese, Chinese) left out."""
    found = Counter()
    # Split at apostrophes: pdftotext -raw drops the space after a curly one in italics
    # ("authors’views"), so "it’s" counts as "it" and "s" on both sides.
    for word in WORD.findall(re.sub("['’]", " ", text)):
        if word.isdigit() and len(word) <= 2:
            continue
        if any(ord(c) > 0x24F and not 0x1E00 <= ord(c) <= 0x1EFF for c in word):
            continue
        found[word.casefold()] += 1
    return found


def docx_parts(path: Path) -> tuple[str, list[str], list[str], list[str]]:
    """(all body text with footnote marks and footnote texts, headings, captions, footnotes)."""
    document = docx.Document(str(path))
    body = document.element.body
    texts, headings, captions = [], [], []
    for paragraph in all_paragraphs(document):  # side-by-side columns are cells of a layout table
        if paragraph.style.name in HEADING_STYLES:
            headings.append(paragraph.text)
        if paragraph.style.name in CAPTION_STYLES:
            captions.append(paragraph.text)
    for element in body.iter(qn("w:t"), qn("w:footnoteReference"), qn("w:tab"), qn("w:p")):
        if element.tag == qn("w:t"):
            texts.append(element.text or "")
        elif element.tag == qn("w:footnoteReference"):
            texts.append(element.get(qn("w:id")))
        else:
            texts.append(" ")
    footnotes = []
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            for note in parse_xml(rel.target_part.blob).findall(qn("w:footnote")):
                if note.get(qn("w:type")) is None:
                    footnotes.append("".join(t.text or "" for t in note.iter(qn("w:t"))).strip())
    return "".join(texts) + " " + " ".join(footnotes), headings, captions, footnotes


def all_paragraphs(document: docx.document.Document) -> list[Paragraph]:
    """Every body paragraph in reading order, those in table cells included."""
    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def pdf_body(path: Path, furniture: tuple[list[str], set[str]]) -> str:
    """The PDF's text in content order (-raw keeps a hyphen that ends a line), without furniture:
    lines holding a running head, lines that are a footer line, and "Page N of M"."""
    lines = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    within, whole = furniture

    def is_furniture(line: str) -> bool:
        return any(f in line for f in within) or line.strip() in whole or bool(FOLIO.fullmatch(line.strip()))

    text = "\n".join(line for line in lines if not is_furniture(line))
    return text.replace("-\n", "-")  # no automatic hyphenation: a hyphen ending a line is the text's


def pdf_headings(path: Path) -> list[str]:
    def walk(outline: list) -> list[str]:
        found = []
        for item in outline:
            found += walk(item) if isinstance(item, list) else [item.title]
        return found

    return walk(pypdf.PdfReader(path).outline)


def pdf_links(path: Path) -> tuple[set[str], set[str]]:
    """(external URIs, internal destination names) of the PDF's link annotations."""
    external, internal = set(), set()
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A") or {}
            if "/URI" in action:
                external.add(str(action["/URI"]))
            elif "/Dest" in annot:
                internal.add(str(annot["/Dest"]).lstrip("/"))
    return external, internal


def docx_links(path: Path) -> tuple[set[str], set[str]]:
    document = docx.Document(str(path))
    external, internal = set(), set()
    parts = [document.part] + [  # the body, its footnotes, and its headers and footers
        r.target_part
        for r in document.part.rels.values()
        if r.reltype.endswith(("/footnotes", "/header", "/footer"))
    ]
    for part in parts:
        element = part.element if hasattr(part, "element") else parse_xml(part.blob)
        for link in element.iter(qn("w:hyperlink")):
            if link.get(qn("w:anchor")):
                internal.add(link.get(qn("w:anchor")))
            else:
                external.add(part.rels[link.get(qn("r:id"))].target_ref)
    return external, internal


def repeated_header_rows(path: Path) -> list[Counter[str]]:
    """The words of each table header row that repeats on every page the table spans."""
    rows = []
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None:
                rows.append(words(" ".join(cell.text for cell in row.cells)))
    return rows


@pytest.fixture(scope="module")
def rendered(built: Path) -> dict[str, Rendered]:
    """Each publication's rendered HTML, which both writers wrote from."""
    return {job.rendered.id: job.rendered for job in prepare(CONTENT, built, only=IDS)}


def running(html: str) -> list[lxml.html.HtmlElement]:
    """The running header and footer and a draft's mark: page furniture in both formats."""
    root = lxml.html.document_fromstring(html)
    return [
        *root.xpath("//header[contains(concat(' ', @class, ' '), ' running ')]"),
        *root.xpath("//footer[contains(concat(' ', @class, ' '), ' running ')]"),
        *root.xpath("//aside[contains(concat(' ', @class, ' '), ' page-mark ')]"),
    ]


def furniture_of(html: str) -> tuple[list[str], set[str]]:
    """The running header's lines and a draft's mark (in capitals in the PDF) and the footer's
    start before "· Page", found anywhere in a line; and the footer's own lines where it has
    several (the commentary's institution), matched as whole lines. From the HTML, not the
    DOCX: a publisher's Word house template puts its own header and footer in the DOCX."""
    headers: list[str] = []
    lines: list[str] = []
    for el in running(html):
        for br in el.iter("br"):
            br.tail = "\n" + (br.tail or "")
        found = [" ".join(line.split()) for line in el.text_content().split("\n") if line.strip()]
        if el.tag == "footer":
            lines += found
        else:
            headers += found + [line.upper() for line in found]
    starts = [f"{line.split('·')[0].strip()} · Page" for line in lines if "· Page" in line]
    return [*headers, *starts], {line for line in lines if "· Page" not in line}


def furniture_links(html: str) -> set[str]:
    return {a.get("href") for el in running(html) for a in el.iter("a")}


@pytest.mark.parametrize("id", IDS)
def test_pdf_and_docx_say_the_same_words(built: Path, rendered: dict[str, Rendered], id: str) -> None:
    text, *_ = docx_parts(built / f"{id}.docx")
    pdf = pdf_body(built / f"{id}.pdf", furniture_of(rendered[id].html))
    in_docx, in_pdf = words(text), words(pdf)
    only_pdf, only_docx = in_pdf - in_docx, in_docx - in_pdf
    for header in repeated_header_rows(built / f"{id}.docx"):  # repeated on each page: furniture
        while header and not header - only_pdf:
            only_pdf -= header
    assert not only_pdf and not only_docx, (
        f"{id}: words only in the PDF: {dict(only_pdf)}; words only in the DOCX: {dict(only_docx)}"
    )


@pytest.mark.parametrize("id", IDS)
def test_headings_come_in_the_same_order(built: Path, id: str) -> None:
    _, headings, _, _ = docx_parts(built / f"{id}.docx")
    assert pdf_headings(built / f"{id}.pdf") == headings


@pytest.mark.parametrize("id", IDS)
def test_captions_and_footnotes_are_in_both(built: Path, id: str) -> None:
    _, _, captions, footnotes = docx_parts(built / f"{id}.docx")
    pdf = re.sub(r"\s+", " ", pdf_text(built / f"{id}.pdf"))
    missing = [text for text in captions + footnotes if re.sub(r"\s+", " ", text) not in pdf]
    assert not missing, f"{id}: in the DOCX but not the PDF: {missing}"


@pytest.mark.parametrize("id", IDS)
def test_links_point_at_the_same_targets(built: Path, rendered: dict[str, Rendered], id: str) -> None:
    pdf_external, pdf_internal = pdf_links(built / f"{id}.pdf")
    docx_external, docx_internal = docx_links(built / f"{id}.docx")
    if rendered[id].word_template is not None:  # the house template's header and footer, not ours
        pdf_external -= furniture_links(rendered[id].html)
    assert pdf_external == docx_external
    assert {bookmark_name(name) for name in pdf_internal} == docx_internal


def test_the_parity_check_notices_a_missing_word() -> None:
    assert words("Smart cities grow") - words("Smart cities") == Counter({"grow": 1})
