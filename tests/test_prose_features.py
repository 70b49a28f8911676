"""What an editor writes in prose reaches both formats: headings nested under the template's,
text tagged with its language, and quotations."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from docx.oxml.ns import qn
from weasyprint import CSS, HTML

from briefgen import crossref
from briefgen.build import build, prepare
from briefgen.errors import BriefgenError
from briefgen.markdown import slug
from briefgen.paths import SHARED
from briefgen.render import shared_theme
from conftest import BRIEF, CONTENT, edit, tool

COMMENTARY = "asean-smart-cities-5g-geopolitics"
# Prose headings three deep, under a section (h2) and under a sub-sector's own heading (h3).
OVERVIEW = """overview: |
  Malaysia plans its smart cities state by state.

  # Planning Frameworks

  Each state writes a blueprint.

  ## Smart Selangor

  The first state blueprint.

  ### Districts

  Each district has a plan.

"""
SUBSECTOR_END = "      to inform specific programming and activities.\n"
SUBSECTOR = """
      # Partners

      Partners bring funding.

      ## Funding

      Funding comes in rounds.

      ### Grants

      Grants are the first round.
"""
# A quotation and names in four languages, in a commentary whose house font has no Han at all.
QUOTED = """  > The network is a platform, not a project.
  >
  > It needs partners.

  In Chinese the network is [东盟智慧城市网络]{lang=zh-Hans}; in Taiwan, [東協智慧城市網絡]{lang=zh-Hant};
  in Japanese, [スマートシティ]{lang=ja}; in Thai, [เมืองอัจฉริยะ]{lang=th}.

  # Elephants Fighting
"""
LANGUAGES = {  # text: (lang, Word style, w:lang attributes that carry it)
    "东盟智慧城市网络": ("zh-Hans", "Chinese Text", {"w:val", "w:eastAsia"}),
    "東協智慧城市網絡": ("zh-Hant", "Traditional Chinese Text", {"w:val", "w:eastAsia"}),
    "スマートシティ": ("ja", "Japanese Text", {"w:val", "w:eastAsia"}),
    "เมืองอัจฉริยะ": ("th", "Thai Text", {"w:val", "w:bidi"}),
}
# Heading, its HTML level, its Word style and its PDF bookmark depth.
NESTED = [
    ("Planning Frameworks", "h3", "Heading 2", 2),
    ("Smart Selangor", "h4", "Heading 3", 3),
    ("Districts", "h5", "Heading 4", 4),
    ("Partners", "h4", "Heading 3", 3),
    ("Funding", "h5", "Heading 4", 4),
    ("Grants", "h6", "Heading 5", 5),
]


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content with an editor's prose in the brief and the commentary."""
    content = tmp_path_factory.mktemp("prose") / "content"
    shutil.copytree(CONTENT, content)
    brief = content / "publications" / f"{BRIEF}.yaml"
    edit(brief, "leading_subsectors:\n", OVERVIEW + "leading_subsectors:\n")
    edit(brief, SUBSECTOR_END, SUBSECTOR_END + SUBSECTOR)
    edit(content / "publications" / f"{COMMENTARY}.yaml", "  # Elephants Fighting\n", QUOTED)
    return content


@pytest.fixture(scope="module")
def out(edited: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build(edited, out, only=[BRIEF, COMMENTARY])
    return out


@pytest.fixture(scope="module")
def brief_html(edited: Path, tmp_path_factory: pytest.TempPathFactory) -> lxml.html.HtmlElement:
    jobs = prepare(edited, tmp_path_factory.mktemp("html"), only=[BRIEF])
    return lxml.html.document_fromstring(jobs[0].rendered.html)


def finished(body: str, where: Path = Path("t.yaml")) -> lxml.html.HtmlElement:
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    return lxml.html.document_fromstring(crossref.finish(html, where))


def prose(level: int, text: str) -> str:
    """A heading as markdown.render writes it: at its Markdown level, marked as prose."""
    return f'<h{level} id="{slug(text)}" data-prose="">{text}</h{level}>'


def heading_levels(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    return [(el.tag, el.text_content()) for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]


# --- headings nest under the template's -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "levels"),
    [
        (  # under a section: # ## ### are h3 h4 h5
            f"<h2>Overview</h2>{prose(1, 'A')}{prose(2, 'B')}{prose(3, 'C')}",
            [("h2", "Overview"), ("h3", "A"), ("h4", "B"), ("h5", "C")],
        ),
        (  # under a sub-section's own heading: # is h4
            f"<h2>Sectors</h2><h3>Transport</h3>{prose(1, 'A')}{prose(3, 'C')}",
            [("h2", "Sectors"), ("h3", "Transport"), ("h4", "A"), ("h6", "C")],
        ),
        (  # right under the title: # is h2
            f"<h1>Title</h1>{prose(1, 'A')}{prose(2, 'B')}",
            [("h1", "Title"), ("h2", "A"), ("h3", "B")],
        ),
        (  # before any template heading, prose nests under the title all the same
            prose(1, "A"),
            [("h2", "A")],
        ),
        (  # each template heading starts again; a prose heading is never the one to nest under
            f"<h3>Deep</h3>{prose(1, 'A')}<h2>Top</h2>{prose(1, 'B')}{prose(1, 'C')}",
            [("h3", "Deep"), ("h4", "A"), ("h2", "Top"), ("h3", "B"), ("h3", "C")],
        ),
    ],
    ids=["under-h2", "under-h3", "under-the-title", "before-any", "each-template-heading"],
)
def test_a_prose_heading_nests_under_the_template_heading_before_it(body, levels) -> None:
    assert heading_levels(finished(body)) == levels


def test_a_prose_heading_deeper_than_h6_is_an_error_at_its_line(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text("body: |\n  Text.\n\n  ### Too Deep\n", encoding="utf-8")
    with pytest.raises(BriefgenError) as caught:
        finished(f"<h4>Template</h4>{prose(3, 'Too Deep')}", source)
    assert str(caught.value) == (
        f"{source}:4: the heading 'Too Deep' (###) would be level 7, below a level-4 heading of"
        " the template; there are six — use ## at most here"
    )


def test_the_contents_list_headings_down_to_h4(brief_html: lxml.html.HtmlElement) -> None:
    entries = {p.text_content(): p.get("class") for p in brief_html.find_class("toc")[0].iter("p")}
    assert entries["Overview"] == "toc-1"
    assert entries["Planning Frameworks"] == "toc-2"
    assert entries["Smart Selangor"] == "toc-3"
    assert entries["Partners"] == "toc-3"
    assert "Districts" not in entries and "Funding" not in entries


def test_prose_headings_nest_in_the_html(brief_html: lxml.html.HtmlElement) -> None:
    levels = dict((text, tag) for tag, text in heading_levels(brief_html))
    assert [(text, levels[text]) for text, *_ in NESTED] == [(text, tag) for text, tag, *_ in NESTED]


def test_pdf_bookmarks_nest_as_the_headings_do(out: Path) -> None:
    def depths(outline: list, depth: int = 1) -> dict[str, int]:
        found = {}
        for item in outline:
            found |= depths(item, depth + 1) if isinstance(item, list) else {item.title: depth}
        return found

    found = depths(pypdf.PdfReader(out / f"{BRIEF}.pdf").outline)
    assert found["Overview"] == 1
    assert [(text, found[text]) for text, *_ in NESTED] == [(text, depth) for text, *_, depth in NESTED]


def test_word_headings_nest_in_the_outline(out: Path) -> None:
    document = docx.Document(str(out / f"{BRIEF}.docx"))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert [(text, styles[text]) for text, *_ in NESTED] == [(text, style) for text, _, style, _ in NESTED]
    for level in range(1, 6):  # Word's navigation pane reads the style's outline level
        outline = document.styles[f"Heading {level}"].element.xpath("./w:pPr/w:outlineLvl/@w:val")
        assert outline == [str(level - 1)]


def test_words_contents_field_reaches_the_third_level(out: Path) -> None:
    document = docx.Document(str(out / f"{BRIEF}.docx"))
    instructions = [i.text for i in document.element.body.iter(qn("w:instrText"))]
    assert any('TOC \\o "1-3"' in i for i in instructions)
    assert "Smart Selangor" in [p.text.split("\t")[0] for p in document.paragraphs if p.style.name == "TOC 3"]


# --- text in its language ---------------------------------------------------------------------


def test_a_language_span_reaches_the_html(edited: Path, tmp_path: Path) -> None:
    root = lxml.html.document_fromstring(prepare(edited, tmp_path, only=[COMMENTARY])[0].rendered.html)
    spans = {span.text: span.get("lang") for span in root.iter("span") if span.get("lang")}
    assert spans == {text: lang for text, (lang, *_) in LANGUAGES.items()}


def test_han_characters_take_the_glyphs_of_their_language_in_the_pdf(out: Path) -> None:
    listing = subprocess.run(
        [tool("pdffonts", "poppler-utils"), str(out / f"{COMMENTARY}.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The house font (Liberation Serif, Noto Serif) has no Han: without the :lang rules Chinese
    # would take the Japanese glyphs fontconfig prefers.
    for family in ("Noto-Sans-CJK-SC", "Noto-Sans-CJK-TC", "Noto-Sans-CJK-JP", "Noto-Sans-Thai"):
        assert family in listing


def test_a_tagged_run_in_word_has_its_language_and_its_scripts_style(out: Path) -> None:
    document = docx.Document(str(out / f"{COMMENTARY}.docx"))
    runs = {run.text: run for p in document.paragraphs for run in p.runs}
    for text, (lang, style, attributes) in LANGUAGES.items():
        tag = runs[text]._r.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        assert runs[text].style.name == style
        assert {name for name in ("w:val", "w:eastAsia", "w:bidi") if tag.get(qn(name))} == attributes
        assert {tag.get(qn(name)) for name in attributes} == {lang}


# --- quotations -------------------------------------------------------------------------------


def test_a_quotations_paragraphs_take_words_quote_style(out: Path) -> None:
    paragraphs = docx.Document(str(out / f"{COMMENTARY}.docx")).paragraphs
    quoted = [p.text for p in paragraphs if p.style.name == "Quote"]
    assert quoted == ["The network is a platform, not a project.", "It needs partners."]


def test_a_quotation_in_the_pdf_is_indented_italic_and_ruled_in_the_muted_colour() -> None:
    muted = "#aa5500"  # a publisher's own
    theme = shared_theme().with_house_style({"muted": muted}, {})
    html = HTML(string=f"<style>{theme.css()}</style><blockquote><p>Quoted.</p></blockquote><p>Not.</p>")
    page = html.render(stylesheets=[CSS(filename=str(SHARED / "base.css"))]).pages[0]
    quote, after = boxes(page._page_box, "blockquote")[0], boxes(page._page_box, "p")[-1]
    assert quote.style["border_left_width"] > 1
    assert quote.style["border_left_color"] == quote.style["color"] == _rgba(muted)
    assert quote.style["font_style"] == "italic"
    text = boxes(quote, "p")[0]
    rule = quote.style["border_left_width"]
    # The Quote style's 6 mm indent (Word's left indent) lies inside the rule.
    assert text.content_box_x() - after.content_box_x() - rule == pytest.approx(6 * 96 / 25.4, abs=0.5)


def boxes(box, tag: str) -> list:
    """The layout boxes of ``tag`` elements under ``box``, in order."""
    found = [box] if getattr(box, "element_tag", None) == tag else []
    for child in getattr(box, "children", []):
        found += boxes(child, tag)
    return found


def _rgba(hex_colour: str) -> tuple[float, ...]:
    return (*(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)), 1.0)
