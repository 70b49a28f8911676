"""The Word file looks like the PDF: tables in the publisher's colours with fitted columns and
figures right-aligned, built-in styles that are only what the theme says, the page size the
PDF has, mastheads on a band of colour, and contents whose page numbers are honest.

Read back through python-docx and the package's XML; where a claim is about what a reader
sees, through LibreOffice's print of the DOCX."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Emu, Mm
from lxml import etree
from PIL import Image

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.render import Rendered, shared_theme
from briefgen.resources import Resources
from briefgen.theme import DEFAULT_COLORS, WHITE, readable_on
from briefgen.validate import validate_content
from briefgen.writers import Layout
from briefgen.writers.docx import DocxWriter
from briefgen.writers.docx_tables import CHAR, PADDING, column_widths
from conftest import BRIEF, BRIEF_SECTIONS, CONTENT, ROOT, data_tables, edit, paragraphs_of, pdf_text, tool

PROFILE = "city-profile-bangkok"
COMMENTARY = "vietnam-5g-year-one"  # a declared CSV table with a numeric column
SECOND_HOUSE = "malaysia-smart-cities-hccc"  # the brief in another publisher's colours
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


@functools.cache
def colors(id: str) -> dict[str, str]:
    """The house colours a publication is printed in."""
    library = validate_content(CONTENT)
    publisher = library.entities["publishers"][library.publications[id].model.publisher].model
    return {**DEFAULT_COLORS, **publisher.colors}


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def style_element(path: Path, name: str) -> etree._Element:
    """A style's XML as the package has it (found by its UI name: Word writes "heading 1")."""
    return etree.fromstring(etree.tostring(docx.Document(str(path)).styles[name].element))


def written(tmp_path: Path, body: str) -> docx.document.Document:
    """A market brief's page of ``body`` HTML, written to Word and read back."""
    theme = shared_theme().with_house_style({"primary": "#123456"}, {})
    html = f"<!DOCTYPE html><html lang='en'><head><title>T</title></head><body>{body}</body></html>"
    (tmp_path / "content").mkdir(exist_ok=True)
    resources = Resources(tmp_path / "content", {}, tmp_path / "content" / "publications" / "t.yaml")
    target = tmp_path / "t.docx"
    DocxWriter().write(Rendered("t", "market-brief", html, (), theme, "a4"), resources, target, Layout())
    return docx.Document(str(target))


def table_with(document: docx.document.Document, first_header: str) -> docx.table.Table:
    return next(t for t in data_tables(document) if t.rows[0].cells[0].text == first_header)


# --- tables ------------------------------------------------------------------------------------


@pytest.mark.parametrize("id", [BRIEF, SECOND_HOUSE, COMMENTARY])
def test_tables_take_a_style_made_in_the_publishers_colours(built: Path, id: str) -> None:
    style = style_element(built / f"{id}.docx", "Briefgen Table")
    assert style.get(qn("w:type")) == "table"

    def fill(kind: str) -> str:
        return style.xpath(f'w:tblStylePr[@w:type="{kind}"]/w:tcPr/w:shd/@w:fill', namespaces=W)[0]

    assert fill("firstRow") == colors(id)["primary"][1:].upper()
    assert fill("band2Horz") == "F3F5F7"  # the PDF tints even body rows: Word's second band
    rules = style.xpath("w:tblPr/w:tblBorders/*", namespaces=W)
    assert {(etree.QName(r).localname, r.get(qn("w:color"))) for r in rules} == {
        ("bottom", "C8CDD2"),
        ("insideH", "C8CDD2"),
    }
    margins = {
        etree.QName(m).localname: int(m.get(qn("w:w")))
        for m in style.xpath("w:tblPr/w:tblCellMar/*", namespaces=W)
    }
    assert margins == {side: PADDING[side].twips for side in ("top", "left", "bottom", "right")}
    document = docx.Document(str(built / f"{id}.docx"))
    # Every table but the borderless layout tables that set columns side by side.
    layout = [t for t in document.element.body.iter(qn("w:tbl")) if t.tblPr.find(qn("w:tblStyle")) is None]
    assert len(data_tables(document)) + len(layout) == len(list(document.element.body.iter(qn("w:tbl"))))
    assert data_tables(document)


@pytest.mark.parametrize("id", [BRIEF, SECOND_HOUSE])
def test_header_cells_are_bold_in_the_ink_that_reads_on_the_primary_colour(built: Path, id: str) -> None:
    document = docx.Document(str(built / f"{id}.docx"))
    trade = table_with(document, "USD millions")
    header = trade.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    styles = [cell.paragraphs[0].style for cell in header.cells]
    assert [s.name for s in styles] == ["Table Text Heading"] + ["Table Number Heading"] * 5
    ink = readable_on(colors(id)["primary"], WHITE)
    for style in styles:
        assert style.font.bold is True
        assert str(style.font.color.rgb) == ink[1:].upper()


@pytest.mark.parametrize(
    "header, cells, style",
    [
        ("Value", ["1,200", "n/a"], "Table Number"),
        ("Rate", ["4.15", "–"], "Table Number"),  # a publisher's own mark for "nobody knows"
        ("Year", ["2019", "2020"], "Table Text"),  # years print as written, as in CSV tables
        ("Code", ["A1", "1"], "Table Text"),
        ("Change", ["n/a", "–"], "Table Text"),  # no figure at all
    ],
)
def test_a_column_of_figures_takes_the_number_style(tmp_path: Path, header, cells, style) -> None:
    rows = "".join(f"<tr><td>row {i}</td><td>{cell}</td></tr>" for i, cell in enumerate(cells))
    table = written(
        tmp_path,
        f"<table><thead><tr><th>Label</th><th>{header}</th></tr></thead><tbody>{rows}</tbody></table>",
    ).tables[0]
    assert [c.paragraphs[0].style.name for c in table.rows[0].cells] == [
        "Table Text Heading",
        f"{style} Heading",
    ]
    assert {row.cells[1].paragraphs[0].style.name for row in table.rows[1:]} == {style}
    assert {row.cells[0].paragraphs[0].style.name for row in table.rows[1:]} == {"Table Text"}


def test_figures_are_right_aligned_and_labels_are_not(built: Path) -> None:
    document = docx.Document(str(built / f"{BRIEF}.docx"))
    trade = table_with(document, "USD millions")
    for row in trade.rows[1:]:
        assert [c.paragraphs[0].style.name for c in row.cells] == ["Table Text"] + ["Table Number"] * 5
    assert document.styles["Table Number"].paragraph_format.alignment == 2  # RIGHT
    cities = table_with(document, "City")  # coordinates are no figures
    assert {c.paragraphs[0].style.name for row in cities.rows[1:] for c in row.cells} == {"Table Text"}


def test_a_declared_tables_numeric_column_is_right_aligned(built: Path) -> None:
    document = docx.Document(str(built / f"{COMMENTARY}.docx"))
    table = table_with(document, "Country")
    assert [c.paragraphs[0].style.name for c in table.rows[0].cells] == [
        "Table Text Heading",
        "Table Number Heading",
    ]
    assert {row.cells[1].paragraphs[0].style.name for row in table.rows[1:]} == {"Table Number"}


@pytest.mark.parametrize(
    "columns, expect",
    [
        # Everything fits on a line: each column in proportion to its longest text.
        ([["a" * 10], ["b" * 30]], lambda w: w[1] > 2 * w[0]),
        # Labels and figures: the labels' column is the wide one.
        (
            [["Total Market Size (derived)", "Exchange Rate: 1 USD"], ["2,010"], ["2,235"]],
            lambda w: w[0] > 3 * w[1],
        ),
        # Not even the longest words fit: all shrink alike.
        ([["x" * 200], ["y" * 200]], lambda w: abs(w[0] - w[1]) <= 1),
        # Two characters a Chinese character, none a Thai tone mark.
        ([["北京北京"], ["abcd"]], lambda w: w[0] > w[1]),
        ([["ก่" * 4], ["ก" * 4]], lambda w: abs(w[0] - w[1]) <= 1),
    ],
)
def test_column_widths_follow_the_content_and_fill_the_text_width(columns, expect) -> None:
    widths = column_widths(columns, Mm(174))
    assert sum(w.twips for w in widths) == Mm(174).twips
    assert expect([w.twips for w in widths])


def test_a_column_is_never_narrower_than_its_longest_word_while_there_is_room() -> None:
    word = "Telecommunications"
    widths = column_widths([[word], [" ".join(["prose"] * 200)]], Mm(174))
    floor = len(word) * CHAR + PADDING["left"] + PADDING["right"]
    assert widths[0] >= floor - Mm(0.1)
    assert widths[1] > widths[0]  # the prose takes the rest


def test_word_keeps_the_fitted_column_widths(built: Path) -> None:
    document = docx.Document(str(built / f"{BRIEF}.docx"))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in data_tables(document):
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"  # autofit off
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) - Emu(text_width).twips) <= 1
        assert int(tbl_pr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
        for row in table.rows:
            assert [c.width.twips for c in row.cells] == grid
    trade = table_with(document, "USD millions")
    labels, *years = [c.width for c in trade.columns]
    assert labels > 2 * max(years)  # not the equal columns Word makes by default


# --- styles ------------------------------------------------------------------------------------

# What each theme key may put in a style's run (rPr) and paragraph (pPr) properties.
RUN_TAGS = {
    "font": {"rFonts"},
    "script_font": {"rFonts"},
    "size": {"sz", "szCs"},
    "bold": {"b"},
    "italic": {"i"},
    "caps": {"caps"},
    "color": {"color"},
    "underline": {"u"},
    "superscript": {"vertAlign"},
}
PARAGRAPH_TAGS = {
    "space_before": {"spacing"},
    "space_after": {"spacing"},
    "line_spacing": {"spacing"},
    "keep_with_next": {"keepNext"},
    "keep_lines": {"keepLines"},
    "widow_control": {"widowControl"},
    "align": {"jc"},
    "indent": {"ind"},
    "right_tab": {"tabs"},
}
STRUCTURE = {"numPr", "outlineLvl"}  # a list style's numbering, a heading's outline level
BUILT_INS = [
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 4",
    "Caption",
    "Quote",
    "List Bullet",
    "TOC Heading",
]


@pytest.mark.parametrize("name", BUILT_INS)
def test_a_restyled_built_in_style_has_only_what_the_theme_sets(built: Path, name: str) -> None:
    from briefgen.render import shared_theme

    spec = shared_theme().styles[name]
    style = style_element(built / f"{BRIEF}.docx", name)
    run = {etree.QName(c).localname for c in style.xpath("w:rPr/*", namespaces=W)}
    paragraph = {etree.QName(c).localname for c in style.xpath("w:pPr/*", namespaces=W)}
    allowed_run = set().union(*(RUN_TAGS.get(key, set()) for key in spec))
    allowed_paragraph = STRUCTURE.union(*(PARAGRAPH_TAGS.get(key, set()) for key in spec))
    assert run <= allowed_run, f"{name} keeps Word's {run - allowed_run}"
    assert paragraph <= allowed_paragraph, f"{name} keeps Word's {paragraph - allowed_paragraph}"


def test_subtitle_and_title_are_upright_unspaced_and_in_the_themes_colours(built: Path) -> None:
    styles = docx.Document(str(built / f"{BRIEF}.docx")).styles
    subtitle, title = styles["Subtitle"], styles["Title"]
    assert subtitle.font.italic is None and subtitle.base_style.font.italic is None  # Normal: upright
    assert str(subtitle.font.color.rgb) == colors(BRIEF)["muted"][1:].upper()
    assert str(title.font.color.rgb) == colors(BRIEF)["primary"][1:].upper()
    for style in (subtitle, title):
        assert style.element.rPr.find(qn("w:spacing")) is None  # Word's letter spacing
        assert style.element.rPr.find(qn("w:kern")) is None
    assert title.element.pPr.find(qn("w:pBdr")) is None  # Word's blue rule under the title


def test_numbered_lists_and_heading_levels_survive_the_restyling(built: Path) -> None:
    styles = docx.Document(str(built / f"{BRIEF}.docx")).styles
    assert styles["List Number"].element.pPr.numPr is not None
    assert styles["Heading 2"].element.pPr.outlineLvl.val == 1


# --- paper -------------------------------------------------------------------------------------

PAPER_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}


@pytest.mark.parametrize(
    "in_content, override, paper",
    [(None, None, "a4"), (None, "letter", "letter"), ("letter", None, "letter"), ("letter", "a4", "a4")],
)
def test_the_pdf_and_the_docx_have_one_page_size(
    content: Path, tmp_path: Path, in_content: str | None, override: str | None, paper: str
) -> None:
    if in_content:
        edit(content / "publications" / f"{COMMENTARY}.yaml", "\nkind:", f"\npaper: {in_content}\nkind:")
    build(content, tmp_path / "out", paper=override, only=[COMMENTARY])
    box = pypdf.PdfReader(tmp_path / "out" / f"{COMMENTARY}.pdf").pages[0].mediabox
    pdf_mm = (round(float(box.width) / 72 * 25.4, 1), round(float(box.height) / 72 * 25.4, 1))
    section = docx.Document(str(tmp_path / "out" / f"{COMMENTARY}.docx")).sections[0]
    docx_mm = (round(section.page_width.mm, 1), round(section.page_height.mm, 1))
    assert pdf_mm == docx_mm == PAPER_MM[paper]


# --- mastheads ---------------------------------------------------------------------------------


def masthead(document: docx.document.Document) -> list:
    """The first page's paragraphs up to the masthead's last (the dateline)."""
    paragraphs = paragraphs_of(document)
    end = next(i for i, p in enumerate(paragraphs) if p.style.name == "Dateline")
    return paragraphs[: end + 1]


def shading(paragraph) -> str | None:
    shd = paragraph._p.pPr.find(qn("w:shd")) if paragraph._p.pPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


@pytest.mark.parametrize("id", [BRIEF, SECOND_HOUSE, PROFILE])
def test_a_banded_masthead_is_shaded_in_the_primary_colour_with_readable_text(built: Path, id: str) -> None:
    document = docx.Document(str(built / f"{id}.docx"))
    primary = colors(id)["primary"][1:].upper()
    band = [p for p in masthead(document) if p.text.strip()]
    banded = [p for p in band if shading(p) == primary]
    assert {p.style.name for p in banded} >= {"Kicker", "Subtitle", "Title", "Summary", "Dateline"}
    assert [p.style.name for p in banded if p.style.name == "Title"] == ["Title"]  # still the Title
    ink = readable_on(colors(id)["primary"], WHITE)[1:].upper()
    for paragraph in banded:
        for run in paragraph.runs:
            if run.style.name == "Text on Primary":
                assert str(run.style.font.color.rgb) == ink
            else:  # a run with a style of its own (a Thai name) keeps it, in the ink
                assert str(run.font.color.rgb) == ink, (paragraph.text, run.style.name)
    rest = paragraphs_of(document)[len(masthead(document)) :]
    assert not [p.text for p in rest if shading(p)], "only the masthead is a band"


def test_a_band_shades_its_own_paragraphs_and_nothing_after_it(tmp_path: Path) -> None:
    document = written(
        tmp_path,
        '<header data-band="primary"><p class="kicker">Kicker</p><h1>Title <em>here</em></h1></header>'
        "<p>After the band</p>",
    )
    kicker, title, after = document.paragraphs
    assert shading(kicker) == shading(title) == "123456" and shading(after) is None
    assert [r.style.name for r in title.runs] == ["Text on Primary", "Emphasis"]
    assert str(document.styles["Text on Primary"].font.color.rgb) == "FFFFFF"
    plain, emphasis = title.runs
    assert plain.font.color.rgb is None and str(emphasis.font.color.rgb) == "FFFFFF"
    assert [(r.style.name, r.font.color.rgb) for r in after.runs] == [("Default Paragraph Font", None)]


def test_a_thai_name_on_a_band_stays_thai_text_in_the_bands_ink(built: Path) -> None:
    document = docx.Document(str(built / f"{PROFILE}.docx"))
    runs = [r for p in masthead(document) for r in p.runs if r.text == "กรุงเทพมหานคร"]
    assert [r.style.name for r in runs] == ["Thai Text"]
    assert str(runs[0].font.color.rgb) == readable_on(colors(PROFILE)["primary"], WHITE)[1:].upper()


def test_a_band_in_a_colour_the_theme_lacks_is_an_error_in_the_template(tmp_path: Path) -> None:
    with pytest.raises(
        BriefgenError, match=r'market-brief/publication.html.j2: data-band="purple" names no theme colour'
    ):
        written(tmp_path, '<header data-band="purple"><p>x</p></header>')


def test_the_commentarys_white_masthead_is_no_band(built: Path) -> None:
    document = docx.Document(str(built / f"{COMMENTARY}.docx"))
    assert not [p.text for p in paragraphs_of(document) if shading(p)]
    assert "Text on Primary" not in [s.name for s in document.styles]


# --- what LibreOffice prints -------------------------------------------------------------------

# A Basic macro that opens a document, updates its indexes (the contents), and prints it: what a
# Word user sees after the update the document asks for on opening.
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script"
  script:name="Module1" script:language="StarBasic">
Sub Export(pairs As String)  ' (not Print: Basic's own statement)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = &quot;Hidden&quot;
  hidden(0).Value = True
  Dim filter(0) As New com.sun.star.beans.PropertyValue
  filter(0).Name = &quot;FilterName&quot;
  filter(0).Value = &quot;writer_pdf_Export&quot;
  files = Split(pairs, &quot;|&quot;)
  For f = 0 To UBound(files) Step 2
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(files(f)), &quot;_blank&quot;, 0, hidden())
    If files(f + 1) &lt;&gt; &quot;&quot; Then
      indexes = doc.getDocumentIndexes()
      For i = 0 To indexes.getCount() - 1
        indexes.getByIndex(i).update()
      Next i
    End If
    doc.storeToURL(ConvertToURL(files(f) &amp; &quot;.pdf&quot;), filter())
    doc.close(True)
  Next f
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def printed(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    """``{(id, contents updated): pdf}``: the brief, the second house's brief, a city profile
    and a commentary as LibreOffice prints them, and the brief once more after updating its
    contents. One LibreOffice run with a private profile, which holds the macro."""
    soffice = tool("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("printed")
    profile = folder / "profile"
    run = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    subprocess.run([*run, "--terminate_after_init"], check=True, capture_output=True, timeout=120)
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(MACRO, encoding="utf-8")
    jobs = [(id, False) for id in (BRIEF, SECOND_HOUSE, PROFILE, COMMENTARY)] + [(BRIEF, True)]
    pairs = []
    for id, update in jobs:
        copy = folder / f"{id}{'-updated' if update else ''}.docx"
        shutil.copy(built / f"{id}.docx", copy)
        pairs += [str(copy), "update" if update else ""]
    subprocess.run(
        [*run, f'macro:///Standard.Module1.Export("{"|".join(pairs)}")'],
        check=True,
        capture_output=True,
        timeout=600,
    )
    found = {(id, update): folder / f"{id}{'-updated' if update else ''}.docx.pdf" for id, update in jobs}
    missing = [key for key, pdf in found.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not print {missing}"
    return found


def page_image(pdf: Path, page: int, folder: Path) -> Image.Image:
    prefix = folder / f"{pdf.stem}-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return Image.open(f"{prefix}.png").convert("RGB")


def near(image: Image.Image, color: str, tolerance: int) -> list[bool]:
    """Each pixel of an image, row by row: whether it is within ``tolerance`` of #rrggbb."""
    target = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    data = image.tobytes()
    return [
        all(abs(a - b) <= tolerance for a, b in zip(data[i : i + 3], target, strict=True))
        for i in range(0, len(data), 3)
    ]


def share_of(image: Image.Image, color: str, tolerance: int = 6) -> float:
    """The share of an image's pixels within ``tolerance`` of #rrggbb (on every channel)."""
    hits = near(image, color, tolerance)
    return sum(hits) / len(hits)


def band_rows(image: Image.Image, color: str) -> int:
    """How many pixel rows of the page's top half are mostly ``color``: a band across it."""
    top = image.crop((0, 0, image.width, image.height // 2))
    hits = near(top, color, 6)
    rows = [hits[y * top.width : (y + 1) * top.width] for y in range(top.height)]
    return sum(sum(row) > 0.6 * top.width for row in rows)


@pytest.mark.parametrize("id", [BRIEF, SECOND_HOUSE, PROFILE])
def test_libreoffice_prints_the_masthead_on_a_band_of_the_primary_colour(
    printed, tmp_path: Path, id: str
) -> None:
    first = page_image(printed[id, False], 1, tmp_path)
    assert band_rows(first, colors(id)["primary"]) > 30  # at 40 dpi: a band over 19 mm deep


def test_libreoffice_prints_the_commentarys_first_page_without_a_band(printed, tmp_path: Path) -> None:
    first = page_image(printed[COMMENTARY, False], 1, tmp_path)
    assert band_rows(first, colors(COMMENTARY)["primary"]) == 0


@pytest.mark.parametrize("id", [BRIEF, SECOND_HOUSE])
def test_libreoffice_prints_tables_with_a_coloured_header_and_tinted_rows(
    printed, tmp_path: Path, id: str
) -> None:
    pages = pdf_text(printed[id, False]).split("\f")
    number = next(i for i, text in enumerate(pages, 1) if "USD millions" in text)
    page = page_image(printed[id, False], number, tmp_path)
    assert share_of(page, colors(id)["primary"]) > 0.004  # the header row
    assert share_of(page, "#f3f5f7", tolerance=2) > 0.01  # every second body row


def words_with_boxes(pdf: Path) -> list[tuple[str, float, float]]:
    """(word, left, right) for every word of a PDF, in points, as pdftotext places them."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        (word, float(x_min), float(x_max))
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html
        )
    ]


def test_libreoffice_right_aligns_a_column_of_figures(printed) -> None:
    boxes = {word: (left, right) for word, left, right in words_with_boxes(printed[BRIEF, False])}
    column = [boxes[figure] for figure in ("1,450", "420", "980", "210", "4.15")]  # 2016's column
    assert max(r for _, r in column) - min(r for _, r in column) < 1.5, column  # right edges meet
    assert max(left for left, _ in column) - min(left for left, _ in column) > 5  # left edges do not


def contents(pdf: Path) -> dict[str, int]:
    """The contents' entries of a printed brief, title -> page number."""
    found = {}
    for line in pdf_text(pdf).split("\f")[0].splitlines():
        if match := re.fullmatch(r"\s*(.+?)\.{4,}\s*(\d+)\s*", line):
            found[match.group(1)] = int(match.group(2))
    return found


def printed_on(pdf: Path, title: str) -> int:
    """The page a heading is printed on (the contents' own lines left out)."""
    for number, page in enumerate(pdf_text(pdf).split("\f"), 1):
        body = [line for line in page.splitlines() if not re.search(r"\.{4,}", line)]
        if title in " ".join(" ".join(body).split()):
            return number
    raise AssertionError(f"{title!r} is not printed")


def test_the_contents_show_the_pdfs_pages_until_updated_and_then_the_printed_ones(
    printed, built: Path
) -> None:
    """Word and LibreOffice lay pages out differently from the PDF, so the page numbers filled
    in at build time are the PDF's; the document asks Word to update them on opening, and once
    updated (here by LibreOffice) each is the page its heading is printed on."""
    settings = part(built / f"{BRIEF}.docx", "word/settings.xml")
    assert settings.xpath("w:updateFields/@w:val", namespaces=W) == ["true"]
    before = contents(printed[BRIEF, False])
    assert [title for title in before if title in BRIEF_SECTIONS] == BRIEF_SECTIONS
    pdf_pages = pdf_text(built / f"{BRIEF}.pdf").split("\f")
    for title, page in before.items():
        assert title.split()[-1] in pdf_pages[page - 1], f"{title}: not on the PDF's page {page}"
    after = contents(printed[BRIEF, True])
    assert list(after) == list(before), "updating keeps the same entries"
    for title, page in after.items():
        assert page == printed_on(printed[BRIEF, True], title), f"{title}: the contents say page {page}"


def test_the_readme_says_where_the_contents_page_numbers_come_from() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "page numbers are the PDF's until" in readme
