"""A publisher's Word house template: the DOCX starts from its styles, margins, headers and footers
(as pandoc's reference-doc), drops its body, and stays a sound, reproducible package; a template
that is not one is an error at the publisher's line.

Templates are made here with python-docx, as a designer's Word would save them; the sample
chamber's (content/word/harbour-city-chamber.dotx) is made by scripts/make-word-template.py."""

from __future__ import annotations

import io
import posixpath
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from briefgen.build import build
from briefgen.render import Rendered, shared_theme
from briefgen.resources import Resources
from briefgen.word_template import DOCUMENT, TEMPLATE, relabelled
from briefgen.writers import Layout
from briefgen.writers import docx as docx_writer
from briefgen.writers.docx import DocxWriter
from conftest import CONTENT, normalize, pdf_text, png, rebuilt, tool
from mutations import Set, Write

HCCC = "malaysia-smart-cities-hccc"
COMMENTARY = "vietnam-5g-year-one"  # the chamber's commentary: the same house template
SAMPLE = CONTENT / "word" / "harbour-city-chamber.dotx"
HOUSE_LINE = "Harbour City Chamber of Commerce — Members’ Briefing"
PUBLISHER = "publishers/harbour-city-chamber.yaml"
LINE = 1 + (CONTENT / PUBLISHER).read_text(encoding="utf-8").splitlines().index(
    "word_template: word/harbour-city-chamber.dotx"
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
LOGO = png(60, 20)
DARK_RED = "AA0000"
# The styles a designer's Word saves: what the house defines, and the defaults every file has.
HOUSE_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Heading1", "Header", "Footer"}


def make_template(
    path: Path,
    *,
    first: bool = False,
    even: bool = False,
    logo: bool = False,
    furniture: bool = True,
    landscape: bool = False,
    bare: bool = False,
) -> Path:
    """A house template: Heading 1 in Georgia and dark red, 30 mm margins, a header and a footer
    with a PAGE field, and a body of its own (text, a picture, a comment) that must not reach the
    publication. ``bare``: only the house's styles and no numbering, as Word saves a template;
    ``path`` ending in .dotx: a template's content type."""
    document = docx.Document()
    body = document.add_paragraph("Template body text")
    document.add_picture(io.BytesIO(png(40, 20)))
    document.add_comment(body.runs, text="A reviewer's comment")
    heading = document.styles["Heading 1"]
    for own in [c for c in heading.element if c.tag in (qn("w:pPr"), qn("w:rPr"))]:
        heading.element.remove(own)  # only what the designer set
    heading.font.name = "Georgia"
    heading.font.color.rgb = RGBColor.from_string(DARK_RED)
    heading.paragraph_format.space_before = Pt(20)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top", "right", "bottom", "left"):
        setattr(section, f"{side}_margin", Mm(30))
    if furniture:
        section.header.paragraphs[0].text = "House header"
        if logo:
            section.header.paragraphs[0].add_run().add_picture(io.BytesIO(LOGO), width=Mm(20))
        footer = section.footer.paragraphs[0]
        footer.text = "House footer page "
        add_page_field(footer)
    if first:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = "House first page"
    if even:
        document.settings.odd_and_even_pages_header_footer = True
        section.even_page_header.paragraphs[0].text = "House even page"
    if bare:
        styles = document.styles.element
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:styleId")) not in HOUSE_STYLES:
                styles.remove(style)
        toc = OxmlElement("w:style")  # Word spells some built-in names in lower case
        toc.set(qn("w:type"), "paragraph")
        toc.set(qn("w:styleId"), "TOC1")
        name = OxmlElement("w:name")
        name.set(qn("w:val"), "toc 1")
        toc.append(name)
        styles.append(toc)
        for rel in list(document.part.rels.values()):
            if rel.reltype.endswith("/numbering"):
                del document.part.rels[rel.rId]
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if path.suffix == ".dotx":
        data = relabelled(data, DOCUMENT, TEMPLATE)
    path.write_bytes(data)
    return path


def add_page_field(paragraph) -> None:
    for kind in ("begin", "instr", "separate", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        if kind == "separate":
            paragraph.add_run("1")


RUNNING = (
    '<aside class="page-mark">DRAFT – not for distribution</aside>'
    '<header class="running">Running head of the brief</header>'
    '<footer class="running">Running foot · Page <span class="page-number"></span></footer>'
)
PAGE = (
    "<h2>Overview</h2><p>First paragraph of the publication.</p><h3>A sub-section</h3>"
    "<ol><li>one</li><li>two</li></ol><ol><li>again from one</li></ol><ul><li>a bullet</li></ul>"
    '<p class="summary">A summary line.</p>'
)


def written(tmp_path: Path, template: Path | None, body: str = RUNNING + PAGE, paper: str = "a4") -> Path:
    """``body`` written to Word with the house template ``template``; the DOCX's path."""
    theme = shared_theme().with_house_style({"primary": "#123456"}, {})
    html = f"<!DOCTYPE html><html lang='en'><head><title>T</title></head><body>{body}</body></html>"
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    resources = Resources(content, {}, content / "publications" / "t.yaml")
    target = tmp_path / f"out-{len(list(tmp_path.glob('out-*.docx')))}.docx"
    rendered = Rendered("t", "market-brief", html, (), theme, paper, word_template=template)
    DocxWriter().write(rendered, resources, target, Layout())
    return target


def files_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def rels_of(name: str, files: dict[str, bytes]) -> list[etree._Element]:
    folder, base = posixpath.split(name)
    rels = files.get(posixpath.join(folder, "_rels", base + ".rels"))
    return [] if rels is None else list(etree.fromstring(rels).iter(f"{{{PKG}}}Relationship"))


def assert_sound(path: Path) -> None:
    """What Word checks before it offers a repair: every relationship has its part, every id a
    relationship, style ids are unique, every style and list used is defined."""
    files = files_of(path)
    targets: dict[str, str] = {}  # relationship type -> part, of the main document
    for name in [n for n in files if n.endswith(".xml")]:
        ids = set()
        for rel in rels_of(name, files):
            ids.add(rel.get("Id"))
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), rel.get("Target")))
                assert target in files, f"{name} → {target}"
                if name == "word/document.xml":
                    targets[rel.get("Type").rsplit("/", 1)[-1]] = target
        for element in etree.fromstring(files[name]).iter():
            for attr in (f"{{{R}}}id", f"{{{R}}}embed"):
                assert element.get(attr) is None or element.get(attr) in ids, f"{name}: {element.get(attr)}"
    styles = etree.fromstring(files["word/styles.xml"]).iter(f"{{{W}}}style")
    ids = [s.get(f"{{{W}}}styleId") for s in styles]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    used, lists = set(), set()
    for name in [n for n in files if n.startswith("word/") and n.endswith(".xml")]:
        tree = etree.fromstring(files[name])
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used |= {e.get(f"{{{W}}}val") for e in tree.iter(f"{{{W}}}{tag}")}
        if not name.startswith("word/numbering"):
            lists |= {e.get(f"{{{W}}}val") for e in tree.iter(f"{{{W}}}numId")}
    assert used <= set(ids), used - set(ids)
    numbering = etree.fromstring(files[targets["numbering"]])
    assert lists <= {n.get(f"{{{W}}}numId") for n in numbering.iter(f"{{{W}}}num")}


def header_texts(document) -> dict[str, str]:
    section = document.sections[0]
    parts = {"default": section.header, "first": section.first_page_header, "even": section.even_page_header}
    return {kind: "\n".join(p.text for p in part.paragraphs) for kind, part in parts.items()}


# --- the writer ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["house.docx", "house.dotx"])
def test_a_document_or_a_template_gives_a_word_document(tmp_path: Path, name: str) -> None:
    out = written(tmp_path, make_template(tmp_path / name))
    assert f'ContentType="{DOCUMENT}"'.encode() in files_of(out)["[Content_Types].xml"]
    assert_sound(out)


def test_the_templates_header_and_footer_replace_the_running_ones(tmp_path: Path) -> None:
    document = docx.Document(str(written(tmp_path, make_template(tmp_path / "house.dotx"))))
    section = document.sections[0]
    assert header_texts(document)["default"] == "House header\nDRAFT – not for distribution"
    footer = section.footer
    assert footer.paragraphs[0].text.startswith("House footer page")
    assert [i.text.strip() for i in footer._element.iter(qn("w:instrText"))] == ["PAGE"]
    every = " ".join(p.text for part in (section.header, footer) for p in part.paragraphs)
    assert "Running" not in every


@pytest.mark.parametrize(("first", "even"), [(True, False), (False, True), (True, True)])
def test_first_and_even_page_headers_are_kept_and_a_drafts_mark_joins_each(
    tmp_path: Path, first: bool, even: bool
) -> None:
    document = docx.Document(
        str(written(tmp_path, make_template(tmp_path / "h.dotx", first=first, even=even)))
    )
    section = document.sections[0]
    assert section.different_first_page_header_footer is first
    assert document.settings.odd_and_even_pages_header_footer is even
    texts = header_texts(document)
    mark = "DRAFT – not for distribution"
    assert texts["default"] == f"House header\n{mark}"
    if first:
        assert texts["first"] == f"House first page\n{mark}"
    if even:
        assert texts["even"] == f"House even page\n{mark}"


def test_a_picture_in_the_templates_header_comes_along(tmp_path: Path) -> None:
    out = written(tmp_path, make_template(tmp_path / "h.dotx", logo=True))
    files = files_of(out)
    header = docx.Document(str(out)).sections[0].header
    (blip,) = header._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    image = header.part.related_parts[blip.get(f"{{{R}}}embed")]
    assert image.blob == LOGO
    assert files[image.partname.lstrip("/")] == LOGO
    assert_sound(out)


def test_the_templates_body_and_what_only_it_used_are_dropped(tmp_path: Path) -> None:
    out = written(tmp_path, make_template(tmp_path / "h.dotx"))
    files = files_of(out)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["Overview", "First paragraph of the publication."]
    assert "Template body text" not in texts
    assert not [n for n in files if n.startswith("word/media/")], "the template's picture was the body's"
    assert not [n for n in files if "comments" in n]
    assert "docProps/thumbnail.jpeg" not in files  # a picture of the template, not of this file
    core = docx.Document(str(out)).core_properties
    assert (core.title, core.author) == ("T", "")


def test_the_templates_styles_win_for_what_they_set_and_the_theme_gives_the_rest(tmp_path: Path) -> None:
    theme = shared_theme()
    document = docx.Document(str(written(tmp_path, make_template(tmp_path / "h.dotx", bare=True))))
    heading = document.styles["Heading 1"]
    assert heading.font.name == "Georgia" and str(heading.font.color.rgb) == DARK_RED  # the house's
    assert heading.paragraph_format.space_before.pt == 20  # the house's, not the theme's 16
    assert heading.font.bold is True and heading.paragraph_format.keep_with_next is True  # the theme's
    assert heading.font.size is None  # the template's document defaults give it one: the house's
    # A style the template lacks is the theme's, on the house's Normal.
    heading_2 = document.styles["Heading 2"]
    assert heading_2.font.size.pt == theme.styles["Heading 2"]["size"]
    assert heading_2.base_style.name == "Normal"
    summary = document.styles["Summary"]
    assert summary.font.italic is True and summary.font.size.pt == theme.styles["Summary"]["size"]
    # Word's "toc 1" is the theme's TOC 1: one style, not two with one id.
    assert [s.name for s in document.styles if s.name and s.name.casefold() == "toc 1"] == ["TOC 1"]


def test_lists_keep_their_bullets_and_numbers_when_the_template_has_no_list_styles(tmp_path: Path) -> None:
    out = written(tmp_path, make_template(tmp_path / "h.dotx", bare=True))
    document = docx.Document(str(out))
    items = [p for p in document.paragraphs if p.style.name in ("List Number", "List Bullet")]
    assert [p.text for p in items] == ["one", "two", "again from one", "a bullet"]
    numbering = document.part.numbering_part.element
    for style in ("List Number", "List Bullet"):
        num_id = document.styles[style].element.pPr.numPr.numId.val
        assert numbering.num_having_numId(num_id) is not None
    lists = [p._p.pPr.numPr.numId.val for p in items[:3]]
    assert lists[0] == lists[1] != lists[2]  # the second <ol> starts again from 1
    assert_sound(out)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_page_is_the_publications_paper_with_the_templates_margins(tmp_path: Path, paper: str) -> None:
    template = make_template(tmp_path / "h.dotx", landscape=True)
    section = docx.Document(str(written(tmp_path, template, paper=paper))).sections[0]
    size = {"a4": (210, 297), "letter": (215.9, 279.4)}[paper]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == size
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert [round(getattr(section, f"{side}_margin").mm) for side in ("top", "right", "bottom", "left")] == [
        30
    ] * 4


def test_a_template_without_headers_or_footers_gets_the_running_ones(tmp_path: Path) -> None:
    document = docx.Document(str(written(tmp_path, make_template(tmp_path / "h.dotx", furniture=False))))
    section = document.sections[0]
    assert section.different_first_page_header_footer  # the masthead's page has no running head
    assert header_texts(document)["default"] == "DRAFT – not for distribution\nRunning head of the brief"
    assert section.footer.paragraphs[0].text.startswith("Running foot · Page")


def test_the_same_template_and_content_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert written(tmp_path, SAMPLE).read_bytes() == written(tmp_path, SAMPLE).read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = written(tmp_path, SAMPLE), written(tmp_path, SAMPLE)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {entry.date_time for entry in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_look_made_once_gives_the_bytes_it_gave_when_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each look (theme, paper, house template) is set up once per process and copied for each
    publication after: a copy writes what the first one did."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for template in (None, SAMPLE):
        monkeypatch.setattr(docx_writer, "_BLANKS", {})
        first = written(tmp_path, template)
        assert len(docx_writer._BLANKS) == 1
        assert written(tmp_path, template).read_bytes() == first.read_bytes()


def test_a_house_template_edited_between_two_publications_is_the_one_used(tmp_path: Path) -> None:
    """``briefgen preview`` writes many times in one process while the template is edited."""
    template = make_template(tmp_path / "house.dotx")
    written(tmp_path, template)
    make_template(template, furniture=False)  # the house drops its header and footer
    document = docx.Document(str(written(tmp_path, template)))
    assert header_texts(document)["default"] == "DRAFT – not for distribution\nRunning head of the brief"


# --- the sample chamber ----------------------------------------------------------------------------


def test_the_sample_template_is_made_by_its_script(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "make-word-template.py"
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "made.dotx")], check=True, capture_output=True
    )
    assert (tmp_path / "made.dotx").read_bytes() == SAMPLE.read_bytes(), "run scripts/make-word-template.py"


@pytest.mark.parametrize("id", [HCCC, COMMENTARY])
def test_the_chambers_publications_start_from_its_house_template(built: Path, id: str) -> None:
    out = built / f"{id}.docx"
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == HOUSE_LINE
    assert section.footer.paragraphs[0].text.startswith("Members’ Briefing · Page")
    assert round(section.left_margin.mm) == 25 and round(section.top_margin.mm) == 30
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    heading = document.styles["Heading 1"]
    assert heading.font.name == "Georgia" and str(heading.font.color.rgb) == "0B4F6C"
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert_sound(out)


@pytest.fixture(scope="module")
def printed(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The chamber's DOCX files and a long one with first- and even-page headers, printed by
    LibreOffice (a real Word client) in one call."""
    from visual import libreoffice

    soffice = tool("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("house")
    template = make_template(folder / "pages.dotx", first=True, even=True)
    long = "".join(
        f"<p>Paragraph {i} of a publication long enough to fill three pages.</p>" for i in range(150)
    )
    pages = written(folder, template, RUNNING + long).rename(folder / "pages.docx")
    return libreoffice(soffice, [built / f"{HCCC}.docx", built / f"{COMMENTARY}.docx", pages], folder)


@pytest.mark.parametrize(
    ("id", "text"), [(HCCC, "Leading Sub-Sectors"), (COMMENTARY, "Pilot Cities at a Glance")]
)
def test_libreoffice_prints_the_house_header_and_footer_on_every_page(printed, id: str, text: str) -> None:
    pages = pdf_text(printed[id]).rstrip("\f").split("\f")
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        page = normalize(page).casefold()  # small capitals may come out as capitals
        assert normalize(HOUSE_LINE).casefold() in page, f"page {number} has no house header"
        assert f"members' briefing · page {number}" in page, f"page {number} has no house footer"
    assert text.casefold() in normalize(" ".join(pages)).casefold()


def test_libreoffice_prints_the_first_and_even_page_headers(printed) -> None:
    pages = pdf_text(printed["pages"]).rstrip("\f").split("\f")
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        expected = (
            "House first page" if number == 1 else "House even page" if number % 2 == 0 else "House header"
        )
        assert expected in page and "DRAFT" in page, f"page {number}: {page[:80]!r}"
        if number > 1 and number % 2:  # the template has a footer for odd pages after the first only
            assert f"House footer page {number}" in normalize(page), f"page {number}"
    assert "Paragraph 149 of a publication" in normalize(" ".join(pages))


# --- rebuilding ------------------------------------------------------------------------------------


def test_a_changed_house_template_rebuilds_its_publishers_publications(library: tuple[Path, Path]) -> None:
    content, out = library
    make_template(content / "word" / "harbour-city-chamber.dotx")
    assert rebuilt(build(content, out)) == {HCCC, COMMENTARY}
    assert rebuilt(build(content, out)) == set()


# --- validation ------------------------------------------------------------------------------------


def zipped(entries: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return out.getvalue()


def damaged(part: str, text: bytes) -> bytes:
    """The sample template with one part's bytes replaced."""
    with zipfile.ZipFile(SAMPLE) as source:
        return zipped({n: text if n == part else source.read(n) for n in source.namelist()})


def spreadsheet() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
            '.spreadsheetml.sheet.main+xml"/></Types>',
            "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
            "xl/workbook.xml": "<workbook/>",
        }
    )


def sample() -> bytes:
    return SAMPLE.read_bytes()


AGAIN = "open it in Word and save it as a Word Template (.dotx) or Word Document (.docx)"


@dataclass(frozen=True)
class WriteMade:
    """Write a binary file made when the test runs (a zip bomb is 50 MiB before it is packed)."""

    file: str
    make: Callable[[], bytes]

    def apply(self, root: Path) -> None:
        (root / self.file).parent.mkdir(parents=True, exist_ok=True)
        (root / self.file).write_bytes(self.make())


def case(name: str, value: str, make: Callable[[], bytes] | None, message: str, hint: str = AGAIN):
    mutations = (WriteMade(value, make),) if make is not None else ()
    return pytest.param(value, mutations, f"{message} — {hint}", id=name)


MACROS = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"


@pytest.mark.parametrize(
    ("value", "mutations", "expected"),
    [
        case(
            "missing",
            "word/house.dotx",
            None,
            "word template 'word/house.dotx' does not exist",
            "add the file content/word/house.dotx or correct the name",
        ),
        case(
            "an address",
            "https://example.org/house.dotx",
            None,
            "word template 'https://example.org/house.dotx' is not a file inside the content folder",
            "copy it into content/word/ and write word/NAME.dotx",
        ),
        case(
            "outside the content folder",
            "../house.dotx",
            None,
            "word template '../house.dotx' is outside the content folder",
            "copy it into content/word/",
        ),
        case(
            "an old .doc",
            "word/house.doc",
            lambda: b"\xd0\xcf\x11\xe0",
            "word template 'word/house.doc' is not a .docx or .dotx file",
        ),
        case(
            "macros by name",
            "word/house.dotm",
            sample,
            "word template 'word/house.dotm' holds macros",
            "save it from Word as a Word Template (.dotx)",
        ),
        case(
            "macros inside",
            "word/house.dotx",
            lambda: relabelled(sample(), TEMPLATE, MACROS),
            "word template 'word/house.dotx' holds macros",
            "save it from Word as a Word Template (.dotx)",
        ),
        case(
            "not a zip",
            "word/house.dotx",
            lambda: b"<html>a web page</html>",
            "word template 'word/house.dotx' is not a Word file (not a zip package)",
        ),
        case(
            "a zip of something else",
            "word/house.dotx",
            lambda: zipped({"notes.txt": "hello"}),
            "word template 'word/house.dotx' is not a Word file (it has no [Content_Types].xml)",
        ),
        case(
            "a spreadsheet",
            "word/house.docx",
            spreadsheet,
            "word template 'word/house.docx' is not a Word document or template (its main part is "
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml)",
        ),
        case(
            "a damaged part",
            "word/house.dotx",
            lambda: damaged("word/styles.xml", b"<w:styles"),
            "word template 'word/house.dotx' is damaged (XMLSyntaxError)",
        ),
        case(
            "a zip bomb",
            "word/house.dotx",
            lambda: damaged("word/document.xml", b" " * (51 << 20)),
            "word template 'word/house.dotx' unpacks to over 50 MiB or 2,000 parts",
            "remove large pictures and embedded files from it",
        ),
    ],
)
def test_a_template_that_is_not_one_is_an_error_at_the_publishers_line(
    problems_after, value: str, mutations: tuple, expected: str
) -> None:
    assert problems_after(*mutations, Set(PUBLISHER, "word_template", value)) == [
        f"content/{PUBLISHER}:{LINE}: {expected}"
    ]


def test_a_folder_named_as_a_template_is_an_error(problems_after) -> None:
    assert problems_after(
        Write("word/house.dotx/readme.txt", "a folder"), Set(PUBLISHER, "word_template", "word/house.dotx")
    ) == [
        f"content/{PUBLISHER}:{LINE}: word template 'word/house.dotx' is a folder, not a regular file"
        " — replace it with a file"
    ]


def test_a_word_document_made_elsewhere_is_a_template_too(problems_after, tmp_path: Path) -> None:
    data = make_template(tmp_path / "house.docx").read_bytes()
    made = WriteMade("word/house.docx", lambda: data)
    assert problems_after(made, Set(PUBLISHER, "word_template", "word/house.docx")) == []
