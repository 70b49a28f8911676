"""Page flow in both formats: labels, captions and headings stay with what follows them, and an
edition's "Prepared for" line reads against the masthead it sits on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
import weasyprint

from briefgen.build import build
from briefgen.theme import WHITE, contrast, load_theme
from conftest import BRIEF, CONTENT, ROOT, body_text, data_tables, paragraphs_of, tool

# Word styles whose text introduces what follows it on the page.
LEADING_STYLES = ("Heading", "Section Label", "Pillar", "Lead In", "TOC Heading")
CLIENT = "example-utilities"


def page_texts(pdf: Path) -> list[str]:
    """Each page's body text (pdftotext page by page, page furniture removed)."""
    pdftotext, pdfinfo = tool("pdftotext", "poppler-utils"), tool("pdfinfo", "poppler-utils")
    info = subprocess.run([pdfinfo, str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        body_text(
            subprocess.run(
                [pdftotext, "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for n in range(1, pages + 1)
    ]


def leading_texts(document: docx.document.Document) -> set[str]:
    """The texts that must not end a page: headings, lead-ins, labels and table captions."""
    texts = {"Data Sources:"}
    for paragraph in paragraphs_of(document):
        style = paragraph.style.name
        if style.startswith(LEADING_STYLES) or style == "Table Caption":
            texts.add(body_text(paragraph.text))
    for table in data_tables(document):
        texts.update(body_text(cell.text) for cell in table.rows[0].cells if cell.text.strip())
    return {t for t in texts if t}


def publications(built: Path) -> list[Path]:
    return sorted(p for p in built.glob("*.pdf") if p.with_suffix(".docx").exists())


def test_no_page_ends_with_a_heading_a_table_caption_or_a_label(built: Path) -> None:
    endings = []
    for pdf in publications(built):
        leading = leading_texts(docx.Document(str(pdf.with_suffix(".docx"))))
        pages = page_texts(pdf)
        for number, text in enumerate(pages[:-1], start=1):
            endings += [f"{pdf.name} page {number}: {t!r}" for t in leading if text.endswith(t)]
    assert not endings


def test_the_sample_brief_keeps_its_data_sources_label_with_its_text(built: Path) -> None:
    pages = page_texts(built / f"{BRIEF}.pdf")
    (page,) = [p for p in pages if "Data Sources:" in p]
    assert not page.endswith("Data Sources:")
    assert page.split("Data Sources:")[1].strip()


@pytest.mark.parametrize("fill", range(10, 20))
def test_a_table_caption_stays_with_the_header_row_and_three_body_rows(fill: int) -> None:
    """However much text comes before it, a table breaks after its third body row at the
    earliest (base.css's table rules on a small page, where filler moves the table across)."""
    base = (ROOT / "templates" / "shared" / "base.css").read_text(encoding="utf-8")
    tables = ("caption {", "thead {", "tbody tr:", "tr {")
    rules = [line for line in base.splitlines() if line.startswith(tables) and "break-" in line]
    assert len(rules) == 4
    rows = "".join(f"<tr><td>row {i}</td></tr>" for i in range(1, 9))
    html = (
        "<style>@page { size: A6; margin: 10mm } p { margin: 0 }</style>"
        + "<p>filler</p>" * fill
        + "<table><caption>Caption</caption><thead><tr><th>Header</th></tr></thead>"
        + f"<tbody>{rows}</tbody></table>"
    )
    theme = load_theme(ROOT / "templates" / "shared" / "theme.yaml")  # the variables the rules use
    css = weasyprint.CSS(string=theme.css() + "\n".join(rules))
    document = weasyprint.HTML(string=html).render(stylesheets=[css])
    (page,) = [p for p in document.pages if "Caption" in " ".join(_texts(p._page_box))]
    assert "row 3" in " ".join(_texts(page._page_box))


def _texts(box: object):
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_word_keeps_captions_header_rows_and_first_rows_with_what_follows(built: Path) -> None:
    document = docx.Document(str(built / f"{BRIEF}.docx"))
    for name in ("Caption", "Table Caption"):  # Table Caption inherits them from Caption
        style = document.styles[name]
        while style.paragraph_format.keep_with_next is None:
            style = style.base_style
        assert style.paragraph_format.keep_with_next and style.paragraph_format.keep_together
    assert document.styles["Normal"].paragraph_format.widow_control
    assert data_tables(document)
    for table in data_tables(document):
        kept = table.rows[: min(3, len(table.rows) - 1)]  # header and two body rows keep with the next
        for row in kept:
            assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
        assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)  # rows never split
    label = next(p for p in paragraphs_of(document) if p.text.strip() == "Data Sources:")
    assert label.paragraph_format.keep_with_next


# --- an edition's "Prepared for" line --------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared_for(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    """Each kind's "Prepared for" colour and the background it is drawn on, as WeasyPrint lays
    out the edition's PDF (the nearest box with a background, else the white page)."""
    seen: list[tuple[str, str, str]] = []
    render = weasyprint.HTML.render

    def recording(self, *args, **kwargs):
        document = render(self, *args, **kwargs)
        title = document.metadata.title
        for page in document.pages:
            for color, background in _prepared_for(page._page_box, WHITE):
                seen.append((title, color, background))
        return document

    ids = [BRIEF, f"{BRIEF}-hccc", "asean-smart-cities-5g-geopolitics", "city-profile-singapore"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.HTML, "render", recording)
        build(CONTENT, tmp_path_factory.mktemp("editions"), only=ids, edition=CLIENT)
    assert len(seen) == len(ids)
    return seen


def _hex(rgba: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])


def _prepared_for(box: object, background: str):
    style = getattr(box, "style", None)
    if style is not None and style["background_color"][3] > 0:
        background = _hex(style["background_color"])
    if getattr(box, "element_tag", None) == "p" and "prepared-for" in box.element.get("class", "").split():
        yield _hex(style["color"]), background
        return
    for child in getattr(box, "children", []):
        yield from _prepared_for(child, background)


def test_every_kind_draws_prepared_for_readably_on_its_masthead(prepared_for) -> None:
    low = [(title, c, b, round(contrast(c, b), 2)) for title, c, b in prepared_for if contrast(c, b) < 4.5]
    assert not low
    # Light and dark mastheads both occur: the colour follows the background.
    assert {b == WHITE for _, _, b in prepared_for} == {True, False}


@pytest.mark.parametrize("accent", ["#b3282d", "#c8102e", "#c9a227", "#ffffff", "#1d2f6f"])
def test_word_prepared_for_reads_on_white_in_any_publishers_accent(accent: str) -> None:
    theme = load_theme(ROOT / "templates" / "shared" / "theme.yaml").with_house_style({"accent": accent}, {})
    assert contrast(theme.style_color("Prepared For"), WHITE) >= 4.5
