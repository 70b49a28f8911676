"""The other publication kinds and house styles, read from the built files: the RSIS commentary
(seed 004), the city profiles of one collection, the Malaysia brief in a second house style,
and every ASEAN script drawn with a real glyph."""

from __future__ import annotations

import functools
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree
from pypdf import PdfReader

from briefgen.validate import validate_content
from conftest import BRIEF, CONTENT, SEEDS, normalize, pdf_text
from glyphs import mapped_text

COMMENTARY = "asean-smart-cities-5g-geopolitics"
HCCC = f"{BRIEF}-hccc"
SECTIONS = [
    "Elephants Fighting",
    "Elephant in the Room",
    "Protecting the Tribe",
    "Grey Rhinos, White Elephants",
]
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
CONGRESS = "https://www.congress.gov/bill/116th-congress/senate-bill/3189"
RSIS_MAIL = "mailto:RSISPublications@ntu.edu.sg"


# --- readers -------------------------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    """The PDF's text page by page, as pdftotext extracts it."""
    return pdf_text(path).split("\f")[:-1]


def commentary_text(text: str) -> str:
    """Commentary text on one line, without its running header ("RSIS Commentary No. 077 · …"),
    footer ("RSIS · Page N of M") and the footnotes at the foot of each page ("1. Launched …")."""
    pages = []
    for page in text.split("\f"):
        page = re.sub(r"^.*(Commentary No\. \d+ ·|· Page \d+ of \d+).*$", "", page, flags=re.M)
        pages.append(re.split(r"^\d{1,2}\. (?=\S)", page, maxsplit=1, flags=re.M)[0])
    return normalize(" ".join(pages))


def contains(text: str, phrase: str) -> bool:
    """Case-insensitive containment, blind to two things pdftotext does not keep apart: the hyphen
    of a compound broken at the end of a line ("next-⏎generation" reads "nextgeneration"), and a
    footnote call after a word ("Act2"), so a digit ending a word is dropped on both sides."""
    phrase, text = _uncalled(phrase), _uncalled(text)
    pattern = "-?".join(re.escape(part) for part in phrase.split("-"))
    return re.search(pattern, text, re.IGNORECASE) is not None


def _uncalled(text: str) -> str:
    return re.sub(r"(?<=[A-Za-z)])\d{1,2}(?=[\s.,;:]|$)", "", text)


@functools.cache
def document(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def all_paragraphs(doc: docx.document.Document) -> list[Paragraph]:
    """Body paragraphs in reading order, those in table cells (data and layout tables) included."""
    return [Paragraph(p, doc._body) for p in doc.element.body.iter(qn("w:p"))]


def docx_text(path: Path) -> str:
    """The body's text, then the page footer's (where the commentary prints its institution)."""
    doc = document(path)
    footer = [p.text for p in doc.sections[0].footer.paragraphs]
    return normalize(" ".join([*(p.text for p in all_paragraphs(doc)), *footer]))


def pdf_links(path: Path) -> list[tuple[int, str]]:
    """(page number, target) of every link annotation: its URI, or its destination's name."""
    links = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else {}
            target = action.get("/URI", action.get("/D", annot.get("/Dest", "")))
            links.append((number, str(target)))
    return links


def docx_links(path: Path) -> list[tuple[str, str, str]]:
    """(part, target, link text) of every w:hyperlink in every part of the package: an external
    link's relationship target, or '#' + its anchor."""
    links = []
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for name in sorted(n for n in names if n.startswith("word/") and n.endswith(".xml")):
            rels_name = f"word/_rels/{name.removeprefix('word/')}.rels"
            targets = {}
            if rels_name in names:
                rels = etree.fromstring(package.read(rels_name))
                targets = {r.get("Id"): r.get("Target", "") for r in rels if r.get("Type") == HYPERLINK}
            for link in etree.fromstring(package.read(name)).iter(qn("w:hyperlink")):
                rid, anchor = link.get(qn("r:id")), link.get(qn("w:anchor"))
                target = targets.get(rid, "") if rid is not None else f"#{anchor or ''}"
                text = "".join(t.text or "" for t in link.iter(qn("w:t")))
                links.append((name, target, text))
    return links


def fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name without its subset tag, embedded?) for every font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    found = []
    for line in lines.splitlines()[2:]:
        fields = line.split()
        found.append((fields[0].split("+")[-1], fields[-5] == "yes"))
    return found


def yaml_strings(value: object):
    """Every string value in a loaded YAML document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from yaml_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from yaml_strings(item)


# --- 1. seed 004 is all in the commentary --------------------------------------------------------


def seed_004_phrases() -> list[str]:
    """Every line of seed 004 without its Markdown, split into sentences."""
    text = (SEEDS / "004_b81311bb90251d9c.txt").read_text(encoding="utf-8")
    phrases: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()  # and with it Markdown's two-space line break
        if re.fullmatch(r"\s*-{3,}\s*", line):  # a --- rule
            continue
        line = re.sub(r"^#{2,3}\s+", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = line.replace("**", "").replace("\\$", "$").strip()
        if len(line) > 1 and line.startswith("*") and line.endswith("*"):
            line = line[1:-1]
        if " | " in line:  # the contact line: its parts, which the footer prints in RSIS's order
            phrases += line.split(" | ")
        elif line:
            phrases += [s for s in re.split(r"(?<=[.:])\s+(?=[A-Z“])", line) if s]
    return [normalize(p) for p in phrases]


PHRASES = seed_004_phrases()


def test_seed_004_yields_enough_phrases_to_mean_something() -> None:
    assert len(PHRASES) > 50
    assert {"SYNOPSIS", "COMMENTARY", "Balancing 5G and Geopolitics", "Elephants Fighting"} <= set(PHRASES)
    assert {"Tel: +65 6790 6982", "Fax: +65 6794 0617", "www.rsis.edu.sg"} <= set(PHRASES)
    assert not [p for p in PHRASES if re.search(r"\*|\]\(|\\|^#", p)], "Markdown left in a phrase"


@pytest.mark.parametrize("phrase", PHRASES, ids=lambda p: p[:40])
def test_every_seed_004_phrase_is_in_the_commentary_pdf(built: Path, phrase: str) -> None:
    assert contains(commentary_text(pdf_text(built / f"{COMMENTARY}.pdf")), phrase)


@pytest.mark.parametrize("phrase", PHRASES, ids=lambda p: p[:40])
def test_every_seed_004_phrase_is_in_the_commentary_docx(built: Path, phrase: str) -> None:
    assert phrase.casefold() in docx_text(built / f"{COMMENTARY}.docx").casefold()


# --- 2. the commentary reads like an RSIS Commentary ----------------------------------------------


def test_the_commentarys_first_page_runs_series_disclaimer_title_byline_synopsis_commentary(
    built: Path,
) -> None:
    page = normalize(page_texts(built / f"{COMMENTARY}.pdf")[0])
    parts = [
        "RSIS COMMENTARY",  # beside the logo
        "RSIS Commentary is a platform to provide timely",
        "No. 077 - 29 April 2020",
        "ASEAN Smart Cities: Balancing 5G and Geopolitics",
        "By Amalina Anuar*",
        "SYNOPSIS",
        "COMMENTARY",
    ]
    assert page.startswith(parts[0])
    at = 0
    for part in parts:  # each after the one before
        found = page.find(part, at)
        assert found >= 0, f"'{part}' does not follow '{page[max(0, at - 40) : at]}'"
        at = found + len(part)


def test_the_commentary_body_opens_with_its_first_words_in_capitals(built: Path) -> None:
    page = normalize(page_texts(built / f"{COMMENTARY}.pdf")[0])
    opening = r"COMMENTARY THE ASEAN SMART CITIES NETWORK \(ASCN\)\d* is now in its second year running\."
    assert re.search(opening, page)  # \d*: a footnote call may follow the capitals


def test_the_author_note_comes_last_and_the_institution_is_at_the_foot_of_every_page(built: Path) -> None:
    text = commentary_text(pdf_text(built / f"{COMMENTARY}.pdf"))
    last_words = "and white elephants combined."
    note = "*Amalina Anuar is a Research Analyst with the Centre for Multilateralism Studies (CMS)"
    assert text.index(last_words) < text.index(note)
    footer = [
        "Nanyang Technological University",
        "Block S4, Level B3, 50 Nanyang Avenue, Singapore 639798",
        "Tel: +65 6790 6982 | Fax: +65 6794 0617 | Email: RSISPublications@ntu.edu.sg"
        " | Website: www.rsis.edu.sg",
    ]
    pages = page_texts(built / f"{COMMENTARY}.pdf")
    for number, page in enumerate(pages, start=1):
        foot = normalize(page)[-400:]
        assert all(line in foot for line in footer), f"page {number} lacks the institution's footer"
    word_footer = document(built / f"{COMMENTARY}.docx").sections[0].footer
    assert [line.strip() for line in word_footer.paragraphs[0].text.split("\n")][:3] == footer


def test_the_commentary_docx_uses_the_house_paragraph_styles_in_order(built: Path) -> None:
    paragraphs = all_paragraphs(document(built / f"{COMMENTARY}.docx"))
    styled = [(p.style.name, p.text) for p in paragraphs if p.style.name not in ("Normal", "Commentary Text")]
    assert [name for name, _ in styled] == [
        "Logo",
        "Logo Series",
        "Disclaimer",
        "Series",
        "Title",
        "Byline",
        "Section Label",
        "Synopsis",
        "Section Label",
        *["Heading 2"] * len(SECTIONS),
        "Author Note",
    ]
    assert [text for name, text in styled if name == "Section Label"] == ["Synopsis", "Commentary"]
    assert [text for name, text in styled if name == "Heading 2"] == SECTIONS
    assert styled[1][1] == "RSIS Commentary"
    assert styled[3][1] == "No. 077 – 29 April 2020"
    assert styled[5][1] == "By Amalina Anuar*"


def test_the_commentary_is_justified_in_both_formats(built: Path) -> None:
    body = [
        p for p in all_paragraphs(document(built / f"{COMMENTARY}.docx")) if p.style.name == "Commentary Text"
    ]
    assert len(body) >= 15 and body[0].text.startswith("The ASEAN Smart Cities Network")
    assert body[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    # The PDF's alignment of the same paragraphs is checked with every style in test_theme.py.


def test_the_commentary_docx_opens_the_body_with_lead_words(built: Path) -> None:
    doc = document(built / f"{COMMENTARY}.docx")
    paragraphs = doc.paragraphs
    label = next(i for i, p in enumerate(paragraphs) if p.text == "Commentary")
    first = paragraphs[label + 1]
    assert first.style.name == "Commentary Text"
    assert first.runs[0].style.name == "Lead Words"
    assert first.runs[0].text == "The ASEAN Smart Cities Network (ASCN)"
    assert first.runs[1].style.name != "Lead Words"
    assert doc.styles["Lead Words"].font.all_caps and doc.styles["Lead Words"].font.bold  # as RSIS opens


def test_section_labels_are_headings_that_the_navigation_pane_shows(built: Path) -> None:
    style = document(built / f"{COMMENTARY}.docx").styles["Section Label"]
    assert style.base_style is not None and style.base_style.name == "Heading 1"
    assert style.font.all_caps


# --- 3. links work or are refused ------------------------------------------------------------------


def test_no_pdf_link_has_an_empty_or_hash_target(built: Path) -> None:
    pdfs = sorted(built.glob("*.pdf"))
    assert pdfs
    bad = [(pdf.name, page, target) for pdf in pdfs for page, target in pdf_links(pdf) if target in ("", "#")]
    assert not bad


def test_no_docx_link_has_an_empty_or_hash_target(built: Path) -> None:
    files = sorted(built.glob("*.docx"))
    assert files
    bad = [(f.name, *link) for f in files for link in docx_links(f) if link[1] in ("", "#")]
    assert not bad


def test_the_commentarys_congress_gov_link_is_a_real_link_in_both_formats(built: Path) -> None:
    assert (1, CONGRESS) in pdf_links(built / f"{COMMENTARY}.pdf")
    assert ("word/document.xml", CONGRESS, "Act") in docx_links(built / f"{COMMENTARY}.docx")


def test_the_disclaimers_mailto_link_is_a_real_link_in_both_formats(built: Path) -> None:
    assert (1, RSIS_MAIL) in pdf_links(built / f"{COMMENTARY}.pdf")
    links = docx_links(built / f"{COMMENTARY}.docx")
    assert ("word/document.xml", RSIS_MAIL, "RSISPublications@ntu.edu.sg") in links


def test_the_commentarys_two_formats_carry_the_same_links_all_from_the_content(built: Path) -> None:
    """The seed's other links had lost their targets: they are plain text, not dead links."""
    pages = len(PdfReader(built / f"{COMMENTARY}.pdf").pages)
    in_pdf = sorted(target for _, target in pdf_links(built / f"{COMMENTARY}.pdf"))
    in_docx = sorted(
        target
        for part, target, _ in docx_links(built / f"{COMMENTARY}.docx")
        if part == "word/document.xml" or part == "word/footnotes.xml"
    )
    # The footer's links (email, website) are on every page of the PDF, in Word's one footer.
    footer = {target for part, target, _ in docx_links(built / f"{COMMENTARY}.docx") if "footer" in part}
    assert footer == {"mailto:RSISPublications@ntu.edu.sg", "https://www.rsis.edu.sg/"}
    assert in_pdf == sorted([*in_docx, *sorted(footer) * pages])
    sources = "".join(
        (CONTENT / name).read_text(encoding="utf-8")
        for name in (f"publications/{COMMENTARY}.yaml", "publishers/rsis.yaml", "authors/amalina-anuar.yaml")
    )
    assert [target for target in in_pdf if target not in sources] == []


# --- 4. the city profiles --------------------------------------------------------------------------


def ascn_cities() -> dict[str, dict]:
    """The sample content's ASEAN Smart Cities Network cities that have a profile, by id."""
    cities = {}
    for path in sorted((CONTENT / "cities").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "ascn" in data.get("networks", []) and data.get("initiatives"):  # the rest are left out
            cities[path.stem] = data
    return cities


CITIES = ascn_cities()
ALL_ASCN = {
    path.stem
    for path in (CONTENT / "cities").glob("*.yaml")
    if "ascn" in (yaml.safe_load(path.read_text(encoding="utf-8")).get("networks") or [])
}
# pdftotext cannot map Burmese clusters, nor Khmer ones with a pre-base vowel, back to text.
UNEXTRACTABLE = {"my", "km"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_sample_profiles_only_the_ascn_cities_with_initiatives() -> None:
    library = validate_content(CONTENT)
    profiled = {
        id.removeprefix("city-profile-") for id in library.publications if id.startswith("city-profile-")
    }
    assert profiled == set(CITIES) and 0 < len(CITIES) < 26
    assert set(library.left_out) == {f"city-profile-{id}" for id in ALL_ASCN - set(CITIES)}


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_the_collection_makes_one_profile_per_ascn_city(built: Path, suffix: str) -> None:
    made = sorted(path.name for path in built.glob(f"city-profile-*{suffix}"))
    assert made == sorted(f"city-profile-{city}{suffix}" for city in CITIES)


@pytest.mark.parametrize("city", CITIES)
def test_each_profiles_first_page_names_the_city_in_its_own_script(built: Path, city: str) -> None:
    data = CITIES[city]
    page = squeeze(page_texts(built / f"city-profile-{city}.pdf")[0])
    assert squeeze(data["name"]) in page
    if data.get("local_name") and data["local_lang"] not in UNEXTRACTABLE:
        assert squeeze(data["local_name"]) in page


@pytest.mark.parametrize("city", CITIES)
def test_each_profile_docx_names_the_city_in_its_own_script(built: Path, city: str) -> None:
    data = CITIES[city]
    text = docx_text(built / f"city-profile-{city}.docx")
    assert data["name"] in text
    if data.get("local_name"):
        assert data["local_name"] in text


@pytest.mark.parametrize("city", CITIES)
def test_each_profile_is_one_page(built: Path, city: str) -> None:
    assert len(PdfReader(built / f"city-profile-{city}.pdf").pages) == 1


@pytest.mark.parametrize("city", CITIES)
def test_each_profile_docx_has_the_logo_and_one_map_with_alt_text_naming_the_city(
    built: Path, city: str
) -> None:
    shapes = document(built / f"city-profile-{city}.docx").inline_shapes
    alts = [shape._inline.docPr.get("descr", "") for shape in shapes]
    assert alts[0] == "U.S. Commercial Service logo"  # the publisher's, at the head of the page
    assert len(alts) == 2 and CITIES[city]["name"] in alts[1]


def test_the_bangkok_profile_lists_traffy_fondue(built: Path) -> None:
    assert "Traffy Fondue" in normalize(pdf_text(built / "city-profile-bangkok.pdf"))
    headings = [
        p.text
        for p in document(built / "city-profile-bangkok.docx").paragraphs
        if p.style.name == "Heading 2"
    ]
    assert "Traffy Fondue" in headings


def test_the_singapore_profile_links_smart_nation(built: Path) -> None:
    url = "https://www.smartnation.gov.sg/"
    assert (1, url) in pdf_links(built / "city-profile-singapore.pdf")
    assert url in [target for _, target, _ in docx_links(built / "city-profile-singapore.docx")]


# --- 5. house style is content -------------------------------------------------------------------


def headings(path: Path) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document(path).paragraphs
        if p.style.name in ("Heading 1", "Heading 2")
    ]


def trade_cells(path: Path) -> list[list[str]]:
    table = next(t for t in document(path).tables if t.cell(0, 0).text == "USD millions")
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_both_house_styles_carry_the_same_headings(built: Path) -> None:
    ours = headings(built / f"{HCCC}.docx")
    assert len(ours) > 5
    assert ours == headings(built / f"{BRIEF}.docx")


def test_both_house_styles_carry_the_same_trade_table(built: Path) -> None:
    ours = trade_cells(built / f"{HCCC}.docx")
    assert ours[1][0] == "Total Local Production"
    assert ours == trade_cells(built / f"{BRIEF}.docx")


def test_the_hccc_pdf_is_set_in_an_embedded_serif(built: Path) -> None:
    hccc = fonts(built / f"{HCCC}.pdf")
    assert ("Liberation-Serif", True) in hccc
    assert all(embedded for _, embedded in hccc)
    assert not [name for name, _ in fonts(built / f"{BRIEF}.pdf") if "Serif" in name]


def test_the_hccc_pdf_names_the_chamber_on_its_first_page(built: Path) -> None:
    first = normalize(page_texts(built / f"{HCCC}.pdf")[0])
    assert "harbour city chamber" in first.casefold()
    assert "harbour city chamber" not in normalize(pdf_text(built / f"{BRIEF}.pdf")).casefold()


@pytest.mark.parametrize(
    ("id", "font", "color"),
    [
        # The chamber's Word house template wins where it defines a style: its Heading 1 is
        # harbour blue (scripts/make-word-template.py), where the PDF's is the chamber's green.
        (HCCC, "Times New Roman", "0B4F6C"),
        (BRIEF, "Arial", "0B3D6E"),
    ],
)
def test_the_docx_takes_the_publishers_body_font_and_colour(
    built: Path, id: str, font: str, color: str
) -> None:
    styles = document(built / f"{id}.docx").styles
    assert styles["Normal"].font.name == font
    assert str(styles["Heading 1"].font.color.rgb) == color


# --- 6. every ASEAN script -------------------------------------------------------------------------


def content_characters() -> set[str]:
    """Every non-ASCII character of the string values of the sample cities and publications."""
    found: set[str] = set()
    for folder in ("cities", "publications"):
        for path in (CONTENT / folder).glob("*.yaml"):
            for text in yaml_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
                found |= {char for char in text if ord(char) > 127}
    return found


SCRIPTS = {
    "Thai": (0x0E00, 0x0E7F),
    "Lao": (0x0E80, 0x0EFF),
    "Myanmar": (0x1000, 0x109F),
    "Khmer": (0x1780, 0x17FF),
    "CJK": (0x4E00, 0x9FFF),
    "Vietnamese": (0x1EA0, 0x1EFF),
}


def test_the_sample_content_writes_every_asean_script() -> None:
    chars = content_characters()
    missing = [name for name, (low, high) in SCRIPTS.items() if not any(low <= ord(c) <= high for c in chars)]
    assert not missing


def test_every_character_of_the_content_maps_to_a_glyph_of_an_embedded_font(built: Path) -> None:
    mapped = "".join(text for pdf in sorted(built.glob("*.pdf")) for text in mapped_text(pdf))
    missing = sorted(char for char in content_characters() if char not in mapped)
    assert not missing, [f"U+{ord(c):04X} {c}" for c in missing]


def test_a_character_no_font_has_fails_the_build_naming_the_file_and_line(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from briefgen.cli import main

    city = content / "cities" / "bangkok.yaml"
    text = city.read_text(encoding="utf-8")
    city.write_text(
        text.replace("local_name: กรุงเทพมหานคร", "local_name: กรุงเทพมหานคร\ue000"), encoding="utf-8"
    )
    line = next(i for i, t in enumerate(city.read_text(encoding="utf-8").splitlines(), 1) if "\ue000" in t)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["build", "--content", "content", "--out", str(out), "city-profile-bangkok"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert f"content/cities/bangkok.yaml:{line}: no font the templates use has U+E000 unnamed" in lines[0]
    assert not list(out.glob("city-profile-*")), "a failed build wrote output"


def script_runs(path: Path, text: str) -> list:
    runs = [run for p in all_paragraphs(document(path)) for run in p.runs if run.text == text]
    assert runs, f"no run holds {text!r}"
    return runs


def language(run, attribute: str) -> str | None:
    lang = run._r.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    return None if lang is None else lang.get(qn(attribute))


def test_bangkoks_thai_name_is_thai_text_in_thai(built: Path) -> None:
    for run in script_runs(built / "city-profile-bangkok.docx", "กรุงเทพมหานคร"):
        assert run.style.name == "Thai Text"
        assert language(run, "w:val") == "th"
        assert language(run, "w:bidi") == "th"  # Word reads a complex script's language here


def test_thai_text_names_a_thai_font_for_complex_scripts(built: Path) -> None:
    style = document(built / "city-profile-bangkok.docx").styles["Thai Text"]
    assert style.element.rPr.rFonts.get(qn("w:cs")) == "Leelawadee UI"


def test_singapores_chinese_name_is_chinese_text(built: Path) -> None:
    path = built / "city-profile-singapore.docx"
    for run in script_runs(path, "新加坡"):
        assert run.style.name == "Chinese Text"
        assert (language(run, "w:eastAsia") or "").startswith("zh")
    style = document(path).styles["Chinese Text"]
    assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "Microsoft YaHei"
