"""Every DOCX is a package Word opens without a repair prompt, and a real client renders it."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from conftest import BRIEF_SECTIONS, pdf_text
from test_parity import HEADING_STYLES, IDS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def rels_of(name: str, files: dict[str, bytes]) -> dict[str, etree._Element]:
    folder, base = posixpath.split(name)
    rels = files.get(posixpath.join(folder, "_rels", base + ".rels"))
    if rels is None:
        return {}
    return {rel.get("Id"): rel for rel in etree.fromstring(rels).iter(f"{{{PKG}}}Relationship")}


@pytest.mark.parametrize("id", IDS)
def test_every_part_has_a_content_type_and_every_relationship_a_target(built: Path, id: str) -> None:
    files = parts(built / f"{id}.docx")
    types = etree.fromstring(files["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in types.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName") for o in types.iter(f"{{{CT}}}Override")}
    for name in files:
        if name != "[Content_Types].xml" and not name.endswith(".rels"):
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name
    for name in [n for n in files if n.endswith(".xml")]:
        for rel in rels_of(name, files).values():
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), rel.get("Target")))
                assert target in files, f"{name} → {target}"


@pytest.mark.parametrize("id", IDS)
def test_no_dangling_ids(built: Path, id: str) -> None:
    files = parts(built / f"{id}.docx")
    bookmarks, anchors, note_refs = [], [], []
    for name in [n for n in files if n.startswith("word/") and n.endswith(".xml")]:
        tree = etree.fromstring(files[name])
        rels = rels_of(name, files)
        for element in tree.iter():
            for attr in (f"{{{R}}}id", f"{{{R}}}embed"):
                if element.get(attr):
                    assert element.get(attr) in rels, (
                        f"{name}: {element.tag} points at missing {element.get(attr)}"
                    )
        bookmarks += [b.get(f"{{{W}}}name") for b in tree.iter(f"{{{W}}}bookmarkStart")]
        anchors += [
            a.get(f"{{{W}}}anchor") for a in tree.iter(f"{{{W}}}hyperlink") if a.get(f"{{{W}}}anchor")
        ]
        note_refs += [r.get(f"{{{W}}}id") for r in tree.iter(f"{{{W}}}footnoteReference")]
    assert len(bookmarks) == len(set(bookmarks)), "bookmark names repeat"
    assert set(anchors) <= set(bookmarks), set(anchors) - set(bookmarks)
    if note_refs:
        notes = etree.fromstring(files["word/footnotes.xml"]).iter(f"{{{W}}}footnote")
        assert set(note_refs) <= {n.get(f"{{{W}}}id") for n in notes}


@pytest.mark.parametrize("id", IDS)
def test_every_style_the_writer_uses_is_defined(built: Path, id: str) -> None:
    files = parts(built / f"{id}.docx")
    defined = {
        s.get(f"{{{W}}}styleId") for s in etree.fromstring(files["word/styles.xml"]).iter(f"{{{W}}}style")
    }
    used = set()
    for name in [n for n in files if n.startswith("word/") and n.endswith(".xml") and n != "word/styles.xml"]:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used |= {e.get(f"{{{W}}}val") for e in etree.fromstring(files[name]).iter(f"{{{W}}}{tag}")}
    assert used <= defined, used - defined


def test_the_brief_has_a_filled_in_contents_field_with_the_pdfs_page_numbers(built: Path) -> None:
    document = docx.Document(str(built / "malaysia-smart-cities.docx"))
    body = document.element.body
    instructions = [t.text.strip() for t in body.iter(f"{{{W}}}instrText")]
    assert 'TOC \\o "1-3" \\h \\z \\u' in instructions
    entries = [p for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2", "TOC 3")]
    pdf_pages = pdf_text(built / "malaysia-smart-cities.pdf").split("\f")
    assert [p.text.split("\t")[0] for p in entries if p.style.name == "TOC 1"] == BRIEF_SECTIONS
    for entry in entries:
        title, page = entry.text.split("\t")
        assert title.split()[0] in pdf_pages[int(page) - 1], f"{title} is not on PDF page {page}"


def test_one_page_kinds_have_no_contents(built: Path) -> None:
    for id in ("city-profile-bangkok", "asean-smart-cities-5g-geopolitics"):
        body = docx.Document(str(built / f"{id}.docx")).element.body
        assert not [t for t in body.iter(f"{{{W}}}instrText") if t.text.strip().startswith("TOC")]


def test_captions_are_numbered_by_seq_fields(built: Path) -> None:
    body = docx.Document(str(built / "malaysia-smart-cities.docx")).element.body
    seq = [t.text.strip() for t in body.iter(f"{{{W}}}instrText") if t.text.strip().startswith("SEQ")]
    assert seq.count("SEQ Table \\* ARABIC") == 3 and seq.count("SEQ Figure \\* ARABIC") == 3


def test_a_cross_reference_resolves_in_both_formats(built: Path) -> None:
    assert "charted in Figure 3." in " ".join(pdf_text(built / "malaysia-smart-cities.pdf").split())
    document = docx.Document(str(built / "malaysia-smart-cities.docx"))
    links = [
        a
        for a in document.element.body.iter(f"{{{W}}}hyperlink")
        if a.get(f"{{{W}}}anchor") == "b_figure_trade"
    ]
    assert ["".join(t.text for t in link.iter(f"{{{W}}}t")) for link in links] == ["Figure 3"]


def test_commentary_footnotes_are_native_in_word_and_at_the_page_foot_in_the_pdf(built: Path) -> None:
    files = parts(built / "asean-smart-cities-5g-geopolitics.docx")
    notes = etree.fromstring(files["word/footnotes.xml"])
    texts = [
        "".join(t.text for t in n.iter(f"{{{W}}}t")).strip()
        for n in notes.iter(f"{{{W}}}footnote")
        if n.get(f"{{{W}}}type") is None
    ]
    assert (
        texts[1]
        == "Utilizing Strategic Allied (USA) Telecommunications Act of 2020, S. 3189, 116th Congress."
    )
    first_page = pdf_text(built / "asean-smart-cities-5g-geopolitics.pdf").split("\f")[0]
    foot = first_page[first_page.rindex("1. Launched") :]
    assert "2. Utilizing Strategic Allied (USA)" in foot  # both notes sit at the foot of page 1


def test_libreoffice_converts_every_docx_and_keeps_every_heading(
    built: Path, libreoffice_pdfs: dict[str, Path]
) -> None:
    for doc in [built / f"{id}.docx" for id in IDS]:
        assert doc.stem in libreoffice_pdfs, f"LibreOffice did not convert {doc.name}"
        text = " ".join(pdf_text(libreoffice_pdfs[doc.stem]).split()).casefold()
        headings = [p.text for p in docx.Document(str(doc)).paragraphs if p.style.name in HEADING_STYLES]
        missing = [h for h in headings if " ".join(h.split()).casefold() not in text]
        assert not missing, f"{doc.name}: LibreOffice lost {missing}"
