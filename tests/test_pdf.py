"""The PDF as a client reads it: text, page furniture, bookmarks, links, metadata, fonts, charts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from conftest import BRIEF, pdf_text


@pytest.fixture(scope="module")
def pdf(built: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(built / f"{BRIEF}.pdf")


def test_it_is_a4_by_default(pdf: pypdf.PdfReader) -> None:
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_every_page_says_page_n_of_m(built: Path, pdf: pypdf.PdfReader) -> None:
    pages = pdf_text(built / f"{BRIEF}.pdf").split("\f")[: len(pdf.pages)]
    total = len(pdf.pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text


def test_the_running_header_is_on_every_page_but_the_masthead(built: Path) -> None:
    pages = pdf_text(built / f"{BRIEF}.pdf").split("\f")
    header = "Malaysia – Country Commercial Guide · Smart Cities"
    assert header not in pages[0]
    assert all(header in page for page in pages[1:] if page.strip())


def test_the_masthead_reads_like_a_country_commercial_guide(built: Path) -> None:
    first = pdf_text(built / f"{BRIEF}.pdf").split("\f")[0]
    for line in (
        "Malaysia – Country Commercial Guide",
        "Smart Cities",
        "This is a best prospect industry sector for this country. "
        "Includes a market overview and trade data.",
        "Last published date: August 1, 2019",
    ):
        assert line in re.sub(r"\s+", " ", first)


def test_bookmarks_follow_the_headings(pdf: pypdf.PdfReader) -> None:
    def titles(outline: list) -> list[str]:
        found = []
        for item in outline:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    bookmarks = titles(pdf.outline)
    expected = [
        "Smart Cities",
        "Overview",
        "1. Smart & Sustainable Solutions",
        "Leading Sub-Sectors",
        "ASCN Pilot Cities in Malaysia",
        "Other Smart Cities in Malaysia",
        "5G in Malaysia",
        "Trade Data",
        "Web Resources",
        "About the Publisher",
    ]
    assert [b for b in bookmarks if b in expected] == expected


def test_web_resources_are_clickable_links(pdf: pypdf.PdfReader) -> None:
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for annot in page.get("/Annots") or []
        if annot.get_object().get("/A", {}).get("/URI")
    }
    assert {"https://www.mcmc.gov.my/", "https://mdec.my/", "https://www.trade.gov/"} <= uris


def test_metadata_names_title_author_subject_and_keywords(pdf: pypdf.PdfReader) -> None:
    meta = pdf.metadata
    assert meta.title == "Malaysia – Smart Cities"
    assert meta.author == "U.S. Commercial Service"
    assert "best prospect industry sector" in meta.subject
    assert "ASEAN Smart Cities Network" in meta["/Keywords"]


def test_every_font_is_embedded(built: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(built / f"{BRIEF}.pdf")], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert listing, "the PDF uses no fonts?"
    assert all(line.split()[-5] == "yes" for line in listing), listing  # the 'emb' column


def test_local_scripts_render_with_their_own_fonts(built: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(built / f"{BRIEF}.pdf")], check=True, capture_output=True, text=True
    ).stdout
    for family in ("Noto-Sans-Thai", "Noto-Sans-Khmer", "Noto-Sans-Lao", "Noto-Sans-Myanmar"):
        assert family in fonts
    # pdftotext splits some Khmer clusters with a space, so compare without spaces. (Khmer with a
    # pre-base vowel, and Burmese, do not extract at all: see the README's limits.)
    text = re.sub(r"\s+", "", pdf_text(built / f"{BRIEF}.pdf"))
    for name in ("กรุงเทพมหานคร", "ភ្នំពេញ", "បាត់ដំបង", "ວຽງຈັນ", "Đà Nẵng"):
        assert name.replace(" ", "") in text


LOGO_SIZE = (1195, 200)  # content/images/us-commercial-service-logo.png


def test_charts_are_vectors_not_pictures(pdf: pypdf.PdfReader) -> None:
    # The only picture is the publisher's logo (pages share their resources, so each lists it):
    # the three charts are drawn as paths.
    assert {image.image.size for page in pdf.pages for image in page.images} == {LOGO_SIZE}
    assert "Figure 3." in "".join(page.extract_text() for page in pdf.pages)


def test_a_table_that_breaks_repeats_its_header_row(built: Path) -> None:
    # The Viet Nam brief's 26-city table spans two pages (the Malaysian brief's fits on one, as
    # its caption keeps with its first rows: tests/test_page_flow.py).
    pages = pdf_text(built / "vietnam-smart-cities.pdf").split("\f")
    spanning = [page for page in pages if "Bandar Seri Begawan" in page or "Phuket" in page]
    assert len(set(spanning)) == 2, "the 26-city table no longer spans two pages: pick another table"
    assert all("Local name" in page for page in spanning)


def test_the_trade_table_is_marked_illustrative_with_estimates_and_units(built: Path) -> None:
    text = re.sub(r"\s+", " ", pdf_text(built / f"{BRIEF}.pdf"))
    assert "Illustrative figures: these are not official statistics." in text
    assert "2019 (e)" in text and "2020 (e)" in text
    assert "USD millions" in text
    assert "Data Sources:" in text
    assert "Total Market Size (derived)" in text
    assert "2,010" in text  # 1,450 − 420 + 980, derived


def test_letter_paper_is_selectable(tmp_path: Path) -> None:
    from briefgen.build import build
    from conftest import CONTENT

    build(CONTENT, tmp_path, paper="letter", only=[BRIEF])
    box = pypdf.PdfReader(tmp_path / f"{BRIEF}.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_no_heading_or_lead_in_is_stranded_at_the_foot_of_a_page(built: Path) -> None:
    import docx

    document = docx.Document(str(built / f"{BRIEF}.docx"))
    keep_with_next = {
        p.text
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Lead In" or p.text.startswith("Table ")
    }  # figure captions follow
    pages = pdf_text(built / f"{BRIEF}.pdf").split("\f")
    for number, page in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip() and "· Page" not in line]
        if lines:
            assert lines[-1] not in keep_with_next, f"page {number} ends with {lines[-1]!r}"


def test_the_5g_section_lists_its_dated_milestones(built: Path) -> None:
    text = " ".join(pdf_text(built / f"{BRIEF}.pdf").split())
    assert "November 2018 – MCMC establishes the national 5G Task Force" in text
    assert "September 2019 (target) – Task Force final report due to MCMC and the Minister" in text
