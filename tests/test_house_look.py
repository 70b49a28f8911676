"""The first page and the page foot as the real publications print them: the publisher's logo
at the head of every kind, titles without a lone last word, footnotes at full measure and on
the page of their call."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import weasyprint
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.build import prepare
from briefgen.markdown import render, unbroken_last_words
from briefgen.writers.pdf import lay_out
from conftest import CONTENT
from mutations import Set

COMMENTARIES = ["asean-smart-cities-5g-geopolitics", "vietnam-5g-year-one"]
BRIEFS = ["malaysia-smart-cities", "malaysia-smart-cities-hccc"]
ONE_OF_EACH_KIND = [*COMMENTARIES, *BRIEFS, "city-profile-kuching"]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, weasyprint.Document]:
    """Each publication above laid out as the PDF writer lays it out."""
    out = tmp_path_factory.mktemp("layouts")
    found = {}
    for job in prepare(CONTENT, out, None, ONE_OF_EACH_KIND):
        found[job.rendered.id] = lay_out(job.rendered, job.resources)
    return found


def boxes(page) -> list:
    return list(page._page_box.descendants())


@pytest.mark.parametrize("id", ONE_OF_EACH_KIND)
def test_the_first_page_carries_the_publishers_logo_in_both_formats(
    id: str, layouts: dict, built: Path
) -> None:
    logos = [
        box
        for box in boxes(layouts[id].pages[0])
        if getattr(box, "element_tag", None) == "img" and box.element.get("src", "").endswith("-logo.png")
    ]
    assert logos, f"{id}: no logo on the first page"
    assert logos[0].element.get("alt", "").endswith(" logo")
    document = docx.Document(str(built / f"{id}.docx"))
    first = Paragraph(document.element.body.find(".//" + qn("w:p")), document._body)  # a layout cell's
    assert first.style.name == "Logo" and first._p.xpath(".//pic:pic"), f"{id}: Word opens without the logo"


@pytest.mark.parametrize("id", ONE_OF_EACH_KIND)
def test_no_title_ends_with_a_word_alone_on_its_line(id: str, layouts: dict) -> None:
    title = next(box for box in boxes(layouts[id].pages[0]) if getattr(box, "element_tag", None) == "h1")
    lines = [line for line in title.children if type(line).__name__ == "LineBox"]
    last = "".join(text.text for text in lines[-1].descendants() if hasattr(text, "text"))
    assert len(lines) == 1 or len(last.replace("\u00a0", " ").split()) >= 2, f"{id}: last line '{last}'"


def test_a_title_keeps_its_last_two_words_together_and_a_short_one_is_left_alone() -> None:
    assert unbroken_last_words("Balancing 5G and Geopolitics") == "Balancing 5G and\u00a0Geopolitics"
    assert unbroken_last_words("Smart Cities") == "Smart Cities"
    assert unbroken_last_words("A <b> & C D") == "A &lt;b&gt; &amp; C\u00a0D"  # still escaped


@pytest.mark.parametrize("id", COMMENTARIES)
def test_footnotes_sit_on_the_page_of_their_call_at_full_measure(id: str, layouts: dict) -> None:
    document = layouts[id]
    notes_seen = 0
    for page in document.pages:
        everything = boxes(page)
        calls = {id_(box.element) for box in everything if tag(box).endswith("::footnote-call")}
        area = next((box for box in everything if type(box).__name__ == "FootnoteAreaBox"), None)
        notes = [box for box in (area.children if area else []) if type(box).__name__ == "BlockBox"]
        assert {id_(note.element) for note in notes} == calls, f"{id}: a note is not on its call's page"
        for note in notes:
            lines = [line for line in note.children if type(line).__name__ == "LineBox"]
            for line in lines[:-1]:  # every line but the last fills the measure
                assert line.width > 0.85 * note.width, f"{id}: a footnote line stops at {line.width:.0f}px"
        notes_seen += len(notes)
    assert notes_seen >= 2


def tag(box) -> str:
    return getattr(box, "element_tag", None) or ""


def id_(element) -> str:
    return "".join(element.itertext())[:60]


def test_a_footnote_written_over_several_lines_is_one_run_of_text() -> None:
    html = render("Text.[^1]\n\n[^1]: A note written\n    over two lines.\n")
    note = html[html.index('<span class="footnote">') :]
    assert "A note written over two lines." in note


def test_an_email_address_that_is_not_one_is_a_located_error(problems_after) -> None:
    found = problems_after(Set("publishers/rsis.yaml", "email", "RSIS Publications at NTU"))
    assert len(found) == 1 and found[0].startswith("content/publishers/rsis.yaml:")
    assert "email" in found[0]


def test_the_readme_shows_the_first_page_of_every_kind() -> None:
    root = CONTENT.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    for kind in ("market-brief", "commentary", "city-profile"):
        image = root / "docs" / "images" / f"{kind}.png"
        assert f"](docs/images/{kind}.png)" in readme and image.stat().st_size > 10_000
