"""One source of typography: theme.yaml (and a kind's own theme.yaml over it) gives the PDF and
the Word file the same italics, weight, capitals, alignment, size and page margins."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import weasyprint
from docx.enum.text import WD_ALIGN_PARAGRAPH

from briefgen.build import prepare
from briefgen.errors import BriefgenError
from briefgen.render import kind_theme, shared_theme
from briefgen.theme import load_theme
from briefgen.writers.pdf import lay_out
from conftest import BRIEF, CONTENT, ROOT

COMMENTARY = "asean-smart-cities-5g-geopolitics"
PROFILE = "city-profile-kuching"
PT = 4 / 3  # CSS px per point
PARAGRAPHS = {"p", "h1", "h2", "h3", "h4"}
WORD_ALIGN = {
    None: "left",
    WD_ALIGN_PARAGRAPH.LEFT: "left",
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
}


def laid_out(id: str, tmp_path: Path) -> tuple[weasyprint.Document, object]:
    """A sample laid out by WeasyPrint with the PDF writer's stylesheets, and its theme."""
    job = prepare(CONTENT, tmp_path, None, [id])[0]
    return lay_out(job.rendered, job.resources), job.rendered.theme


def styled_boxes(document: weasyprint.Document, theme) -> list[tuple[str, str, dict]]:
    """(style, text, computed style) of each paragraph whose class or element names a style."""
    found = []

    def walk(box) -> None:
        element = getattr(box, "element", None)
        if type(box).__name__ == "BlockBox" and element is not None and element.tag in PARAGRAPHS:
            classes = (element.get("class") or "").split()
            style = next((theme.classes[c] for c in classes if c in theme.classes), None)
            style = style or theme.elements.get(element.tag)
            if style and theme.styles[style].get("type") != "character":
                found.append((style, "".join(element.itertext()).strip()[:40], box.style))
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def word(style, attr: str):
    """A Word style's effective font attribute: its own, else its base style's."""
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def word_alignment(style) -> str:
    while style is not None:
        if style.paragraph_format.alignment is not None:
            return WORD_ALIGN[style.paragraph_format.alignment]
        style = style.base_style
    return "left"


@pytest.mark.parametrize("id", [COMMENTARY, BRIEF, PROFILE])
def test_every_styled_paragraph_has_the_same_type_in_the_pdf_and_in_word(
    id: str, built: Path, tmp_path: Path
) -> None:
    document, theme = laid_out(id, tmp_path)
    styles = docx.Document(str(built / f"{id}.docx")).styles
    checked = set()
    for name, text, css in styled_boxes(document, theme):
        if (name, text) in checked or name not in [s.name for s in styles]:
            continue
        checked.add((name, text))
        ours = styles[name]
        pdf = {
            "italic": css["font_style"] == "italic",
            "bold": css["font_weight"] >= 700,
            "caps": css["text_transform"] == "uppercase",
            "size": round(css["font_size"] / PT, 1),
        }
        in_word = {
            "italic": bool(word(ours, "italic")),
            "bold": bool(word(ours, "bold")),
            "caps": bool(word(ours, "all_caps")),
            "size": round(word(ours, "size").pt, 1),
        }
        assert pdf == in_word, f"{id}: '{text}' ({name})"
        if name not in ("Table Text", "Table Number"):  # a cell's alignment is its column's
            align = {"start": "left", "end": "right"}.get(css["text_align_all"], css["text_align_all"])
            assert align == word_alignment(ours), f"{id}: '{text}' ({name})"
    assert len(checked) > 8, "too few styled paragraphs to mean anything"


def test_a_kind_restyles_both_formats_from_its_own_theme_file() -> None:
    commentary, brief = kind_theme("commentary"), kind_theme("market-brief")
    # RSIS sets a section heading in bold body type at text size; the brief in the display face.
    assert commentary.resolved("Heading 2")["font"] == "body"
    assert brief.resolved("Heading 2")["font"] == "heading"
    assert commentary.resolved("Heading 2")["size"] == commentary.resolved("Normal")["size"]
    # A key the kind does not give is the shared one's.
    assert commentary.resolved("Heading 2")["keep_with_next"] is True
    assert "h3 {" in brief.css() and ".commentary {" in commentary.css()


def test_page_margins_come_from_the_theme_in_both_formats(built: Path, tmp_path: Path) -> None:
    document, _ = laid_out(PROFILE, tmp_path)
    page = document.pages[0]._page_box
    assert round(page.margin_top / PT * 25.4 / 72) == 16  # the city profile's own top margin
    assert round(page.margin_left / PT * 25.4 / 72) == 18  # the shared side margin
    section = docx.Document(str(built / f"{PROFILE}.docx")).sections[0]
    assert round(section.top_margin.mm) == 16
    assert round(section.left_margin.mm) == 18
    commentary = docx.Document(str(built / f"{COMMENTARY}.docx")).sections[0]
    assert round(commentary.bottom_margin.mm) == kind_theme("commentary").page["margins"]["bottom"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("styles:\n  Heading 2: {slant: true}\n", "style 'Heading 2' has unknown keys ['slant']"),
        ("styles:\n  Heading 2: {align: middle}\n", "style 'Heading 2' has align 'middle'"),
        ("classes:\n  aside: No Such Style\n", "class 'aside' maps to undefined style 'No Such Style'"),
        ("page:\n  margins: {top: 200}\n", "margin top 200 mm is outside 0–60 mm"),
        ("page:\n  margins: {inside: 20}\n", "margins are {top, right, bottom, left} in mm"),
        ("sizes:\n  logo: 30\n", "size 'logo' has the name of a style"),
    ],
)
def test_a_kinds_theme_file_with_a_mistake_is_a_located_error(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "theme.yaml"
    path.write_text(text)
    with pytest.raises(BriefgenError) as caught:
        shared_theme().for_kind(path)
    problem = str(caught.value)
    assert message in problem and str(path) in problem and ":" in problem


def test_the_shared_theme_must_give_every_page_margin(tmp_path: Path) -> None:
    text = (ROOT / "templates" / "shared" / "theme.yaml").read_text()
    path = tmp_path / "theme.yaml"
    path.write_text(text.replace("margins: {top: 22, right: 18, bottom: 20, left: 18}", "margins: {top: 22}"))
    with pytest.raises(BriefgenError, match="the shared theme gives every margin"):
        load_theme(path)


def test_a_template_rule_in_context_outranks_the_themes_rule(tmp_path: Path) -> None:
    """The theme colours the brief's title in the primary colour; on the masthead's band of that
    colour the template's rule makes it white (both are user stylesheets: specificity decides)."""
    document, _ = laid_out(BRIEF, tmp_path)
    titles = [
        box.style["color"]
        for box in document.pages[0]._page_box.descendants()
        if getattr(box, "element_tag", None) == "h1"
    ]
    assert titles and tuple(titles[0])[:3] == (1.0, 1.0, 1.0)
