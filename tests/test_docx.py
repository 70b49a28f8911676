"""The Word file as a colleague opens it: styles, tables, pictures, links, furniture, properties."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import BRIEF, BRIEF_SECTIONS, data_tables, paragraphs_of


@pytest.fixture(scope="module")
def document(built: Path) -> docx.document.Document:
    return docx.Document(str(built / f"{BRIEF}.docx"))


def styled(document: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in paragraphs_of(document) if p.style.name == style]


def test_headings_use_words_built_in_styles(document: docx.document.Document) -> None:
    assert styled(document, "Title") == ["Smart Cities"]
    # The publisher's panel closes the outline as a Heading 1 set small (Panel Heading).
    assert styled(document, "Heading 1") == BRIEF_SECTIONS[:-1]
    assert styled(document, "Panel Heading") == BRIEF_SECTIONS[-1:]
    assert document.styles["Panel Heading"].base_style.name == "Heading 1"
    assert "2. Smart Planning" in styled(document, "Heading 2")
    assert "ASCN Pilot Cities in Malaysia" in styled(document, "Heading 2")


def test_template_classes_become_named_styles(document: docx.document.Document) -> None:
    assert styled(document, "Subtitle") == ["Malaysia – Country Commercial Guide"]
    assert styled(document, "Summary") == [
        "This is a best prospect industry sector for this country. Includes a market overview and trade data."
    ]
    assert styled(document, "Dateline") == ["Last published date: August 1, 2019"]
    assert styled(document, "Illustrative") == ["Illustrative figures: these are not official statistics."]
    assert any("Prepared by our U.S. Embassies abroad" in t for t in styled(document, "Publisher Block"))


def test_lists_use_list_styles_and_numbered_lists_restart(document: docx.document.Document) -> None:
    assert "Clean environment" in styled(document, "List Bullet")
    numbered = [p for p in paragraphs_of(document) if p.style.name == "List Number"]
    assert [p.text.split(" – ")[0] for p in numbered] == [
        "Selangor",
        "Cyberjaya & Putrajaya",
        "Melaka",
        "Penang",
    ]
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) == 1, "one list, one numbering instance"


def test_no_run_carries_direct_formatting(document: docx.document.Document) -> None:
    for paragraph in paragraphs_of(document):
        for run in paragraph.runs:
            r_pr = run._r.rPr
            direct = [
                child.tag
                for child in (r_pr if r_pr is not None else [])
                if child.tag not in (qn("w:rStyle"), qn("w:lang"))
            ]
            assert direct == [], (paragraph.text, direct)


def test_tables_carry_the_data_with_a_repeating_header_row(document: docx.document.Document) -> None:
    trade = next(t for t in data_tables(document) if t.rows[0].cells[0].text == "USD millions")
    assert [c.text for c in trade.rows[0].cells] == [
        "USD millions",
        "2016",
        "2017",
        "2018",
        "2019 (e)",
        "2020 (e)",
    ]
    assert [c.text for c in trade.rows[5].cells][:2] == ["Total Market Size (derived)", "2,010"]
    assert trade.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert trade.style.name == "Briefgen Table"  # docx_tables: made in the publisher's colours
    cities = next(t for t in data_tables(document) if t.rows[0].cells[0].text == "Country")
    assert len(cities.rows) == 27  # header + 26 pilot cities


def test_captions_are_numbered_and_use_the_caption_style(document: docx.document.Document) -> None:
    captions = [p.text for p in paragraphs_of(document) if p.style.name in ("Caption", "Table Caption")]
    # A table's caption (above it, close to its header) has a style of its own, as in the PDF.
    assert {p.style.name for p in paragraphs_of(document) if p.text.startswith("Table ")} == {"Table Caption"}
    assert [c.split(".")[0] for c in captions] == [
        "Table 1",
        "Figure 1",
        "Table 2",
        "Figure 2",
        "Table 3",
        "Figure 3",
    ]


def test_charts_are_high_resolution_pictures_with_alt_text(document) -> None:
    from PIL import Image

    figures = [p for p in paragraphs_of(document) if p.style.name == "Figure"]  # the logo is no chart
    charts = [blip for p in figures for blip in p._p.iter(qn("a:blip"))]
    assert len(charts) == 3
    for paragraph in figures:
        assert len(next(paragraph._p.iter(qn("wp:docPr"))).get("descr")) > 20
    for blip in charts:
        image = Image.open(io.BytesIO(document.part.related_parts[blip.get(qn("r:embed"))].blob))
        assert round(image.info["dpi"][0]) >= 200


def test_web_resources_are_real_hyperlinks(document: docx.document.Document) -> None:
    rels = document.part.rels
    links = list(document.element.body.iter(qn("w:hyperlink")))
    targets = {rels[link.get(qn("r:id"))].target_ref for link in links if link.get(qn("r:id"))}
    assert {"https://www.mcmc.gov.my/", "https://mdec.my/", "https://www.trade.gov/"} <= targets


def test_header_and_footer_carry_title_and_page_fields(document: docx.document.Document) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    lines = [p.text for p in section.header.paragraphs]
    assert lines == ["DRAFT – not for distribution", "Malaysia – Country Commercial Guide · Smart Cities"]
    instructions = [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    first_page = [i.text.strip() for i in section.first_page_footer._element.iter(qn("w:instrText"))]
    assert first_page == ["PAGE", "NUMPAGES"]


def test_core_properties_match_the_pdf_metadata(document: docx.document.Document) -> None:
    props = document.core_properties
    assert props.title == "Malaysia – Smart Cities"
    assert props.author == "U.S. Commercial Service"
    assert "best prospect industry sector" in props.subject
    assert "5G" in props.keywords
    assert props.created.date().isoformat() == "2019-08-01"


def test_the_page_is_a4_with_the_pdfs_margins(document: docx.document.Document) -> None:
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 18
