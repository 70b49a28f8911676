"""City profiles: a collection leaves out a city with nothing to profile and says so; a profile's
masthead names its publisher and date; each initiative prints the date it began; the facts name
the network; and each sample profile fills its one page."""

from __future__ import annotations

import io
import subprocess
import textwrap
from pathlib import Path

import pytest
from docx import Document as WordDocument
from lxml import etree

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.progress import Lines
from briefgen.validate import validate_content
from conftest import CONTENT, data_tables, normalize, paragraphs_of, pdf_text, tool

FILES = {
    "publishers/pub.yaml": "name: Harbour House\nseries: Profiles\nboilerplate: About the house.\n",
    "countries/x.yaml": """\
        name: Xland
        iso: XL
        currency: XLD
        currency_name: Xland dollar
        region: Southeast Asia
        """,
    "networks/net.yaml": "name: The Network\n",
    "cities/busy.yaml": """\
        name: Busytown
        country: x
        coordinates: {lat: 1, lon: 100}
        networks: [net]
        initiatives:
          - title: Smart Lamps
            summary: Street lamps that dim when the street is empty.
        """,
    "cities/quiet.yaml": "name: Quietville\ncountry: x\ncoordinates: {lat: 2, lon: 101}\nnetworks: [net]\n",
    "publications/profiles.yaml": """\
        kind: city-profile
        publisher: pub
        published: 2021-03-04
        network: net
        each: {from: cities, where: {networks: net}, as: city, id: "profile-{city}", needs: initiatives}
        """,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "content"


def test_a_collection_leaves_out_a_city_without_initiatives_and_says_why(tmp_path: Path) -> None:
    library = validate_content(write(tmp_path, FILES))
    assert list(library.publications) == ["profile-busy"]
    assert library.left_out == {"profile-quiet": "the city has no initiatives to show"}


def test_the_build_reports_each_left_out_city_on_a_line_of_its_own(tmp_path: Path) -> None:
    stream = io.StringIO()
    outcomes = build(write(tmp_path, FILES), tmp_path / "out", reporter=Lines(stream))
    lines = stream.getvalue().splitlines()
    assert "left out profile-quiet: the city has no initiatives to show" in lines
    assert lines[-1] == "1 built, 0 skipped, 0 failed, 1 left out"
    assert [o.id for o in outcomes] == ["profile-busy"]
    assert sorted(p.name for p in (tmp_path / "out").glob("profile-*")) == [
        "profile-busy.docx",
        "profile-busy.pdf",
    ]


def test_an_initiative_planned_when_the_profile_is_published_says_so_in_both_formats(tmp_path: Path) -> None:
    planned = (
        "  - title: Tidal Power\n    since: 2022-03\n    expected: true\n    summary: Turbines in the bay.\n"
    )
    busy = textwrap.dedent(FILES["cities/busy.yaml"]) + planned
    out = tmp_path / "out"
    build(write(tmp_path, FILES | {"cities/busy.yaml": busy}), out, reporter=Lines(io.StringIO()))
    assert on_one_line(out / "profile-busy.pdf", "Tidal Power", "Planned for March 2022")
    paragraphs = word_paragraphs(out / "profile-busy.docx")
    assert paragraphs[paragraphs.index("Tidal Power") + 1] == "Planned for March 2022"


def test_asking_for_a_left_out_profile_says_why_there_is_none(tmp_path: Path) -> None:
    with pytest.raises(BriefgenError) as caught:
        build(write(tmp_path, FILES), tmp_path / "out", only=["profile-quiet"])
    assert "'profile-quiet' is left out: the city has no initiatives to show" in str(caught.value)


def test_needs_must_name_a_field_of_the_entities(tmp_path: Path) -> None:
    files = FILES | {
        "publications/profiles.yaml": FILES["publications/profiles.yaml"].replace(
            "needs: initiatives", "needs: projects"
        )
    }
    with pytest.raises(BriefgenError) as caught:
        validate_content(write(tmp_path, files))
    [problem] = caught.value.problems
    assert problem.path.name == "profiles.yaml" and problem.line == 5
    assert "cities have no field 'projects' for `needs`" in problem.message
    assert "initiatives" in problem.hint


def test_the_sample_collection_makes_no_profile_for_a_city_without_initiatives() -> None:
    library = validate_content(CONTENT)
    assert "city-profile-manila" in library.left_out
    assert "city-profile-manila" not in library.publications
    assert "city-profile-bangkok" in library.publications


@pytest.fixture
def bangkok(built: Path) -> Path:
    return built / "city-profile-bangkok"


def word_paragraphs(path: Path) -> list[str]:
    return [p.text for p in paragraphs_of(WordDocument(str(path)))]


def test_the_pdf_masthead_names_the_publisher_and_the_date(bangkok: Path) -> None:
    masthead = pdf_text(bangkok.with_suffix(".pdf")).split("At a Glance")[0]
    assert "U.S. Commercial Service · Published December 2022" in masthead


def test_the_word_masthead_names_the_publisher_and_the_date(bangkok: Path) -> None:
    paragraphs = word_paragraphs(bangkok.with_suffix(".docx"))
    masthead = paragraphs[: paragraphs.index("At a Glance")]
    assert "U.S. Commercial Service · Published December 2022" in masthead


def test_a_profile_says_nothing_about_missing_initiatives(bangkok: Path) -> None:
    assert "No initiatives" not in pdf_text(bangkok.with_suffix(".pdf"))


# --- what a profile prints ---------------------------------------------------------------------


def on_one_line(pdf: Path, *texts: str) -> bool:
    """Whether a line of the PDF, as pdftotext lays it out, holds all of ``texts``."""
    layout = subprocess.run(
        [tool("pdftotext", "poppler-utils"), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return any(all(text in line for text in texts) for line in layout.splitlines())


def test_each_initiative_prints_the_date_it_began_on_its_headings_line_in_the_pdf(built: Path) -> None:
    pdf = built / "city-profile-kuching.pdf"
    assert on_one_line(pdf, "Sarawak Digital Economy Strategy", "Since 2018")
    assert on_one_line(pdf, "Hydrogen fuel-cell buses", "Since 2020")


def test_each_initiative_prints_the_date_it_began_after_its_heading_in_word(built: Path) -> None:
    paragraphs = word_paragraphs(built / "city-profile-kuching.docx")
    assert paragraphs[paragraphs.index("Hydrogen fuel-cell buses") + 1] == "Since 2020"
    yangon = word_paragraphs(built / "city-profile-yangon.docx")
    assert "Since January 2017" in yangon  # printed as precisely as it is known


def fact_rows(docx: Path) -> list[str]:
    """The rows of the Word file's facts table, each as "label value"."""
    return [" ".join(c.text for c in row.cells) for row in data_tables(WordDocument(str(docx)))[0].rows]


@pytest.mark.parametrize(
    "fact",
    [
        "Currency Thai baht (THB)",
        "Network ASEAN Smart Cities Network, founded April 28, 2018",
        "Pilot cities 26, with Chonburi and Phuket in the same country",
    ],
)
def test_the_facts_give_the_currency_and_the_network_with_the_countrys_other_pilot_cities(
    bangkok: Path, fact: str
) -> None:
    assert fact in fact_rows(bangkok.with_suffix(".docx"))
    assert fact in normalize(pdf_text(bangkok.with_suffix(".pdf")))


def test_a_city_alone_in_its_country_names_no_other_pilot_cities(built: Path) -> None:
    assert "Pilot cities 26" in fact_rows(built / "city-profile-singapore.docx")


def test_the_profile_says_what_the_network_is_in_both_formats(bangkok: Path) -> None:
    description = "A collaborative platform launched at the 32nd ASEAN Summit in Singapore in April 2018"
    paragraphs = word_paragraphs(bangkok.with_suffix(".docx"))
    heading = paragraphs.index("About the ASCN")
    assert paragraphs[heading + 1].startswith(description)
    assert paragraphs.index("About the Publisher") > heading
    assert description in normalize(pdf_text(bangkok.with_suffix(".pdf")))


# --- the page used ---------------------------------------------------------------------------------

# The sample profiles' text reaches 83-89% down the page (the running footer left out). Before the
# network's facts and panel, the emptiest reached 74%: some 55 mm blank above the footer.
LEAST_FILL = 0.80


def page_fills(pdf: Path) -> list[float]:
    """How far down each page its text reaches, as a fraction of the page's height: the lowest
    word above the running footer (whose line holds the lowest "Page")."""
    xml = subprocess.run(
        [tool("pdftotext", "poppler-utils"), "-bbox", str(pdf), "-"], check=True, capture_output=True
    ).stdout
    fills = []
    for page in etree.fromstring(xml).iterfind(".//{*}page"):
        words = [(float(w.get("yMin")), float(w.get("yMax")), w.text) for w in page.iterfind("{*}word")]
        footer = max(top for top, _, text in words if text == "Page")
        fills.append(max(bottom for top, bottom, _ in words if top < footer - 1) / float(page.get("height")))
    return fills


def profiles(built: Path) -> list[Path]:
    found = sorted(built.glob("city-profile-*.pdf"))
    assert len(found) > 10
    return found


def test_each_sample_profile_fills_one_page(built: Path) -> None:
    fills = {pdf.stem: page_fills(pdf) for pdf in profiles(built)}
    assert {id: len(pages) for id, pages in fills.items() if len(pages) != 1} == {}
    assert {id: round(pages[0], 2) for id, pages in fills.items() if pages[0] < LEAST_FILL} == {}


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The emptiest and the fullest sample profile, each prepared for a client: the masthead's
    extra line must not push the publisher onto a second page."""
    out = tmp_path_factory.mktemp("editions")
    build(
        CONTENT, out, only=["city-profile-davao-city", "city-profile-battambang"], edition="example-utilities"
    )
    return out / "editions" / "example-utilities"


def test_a_client_edition_of_a_profile_still_fills_one_page(editions: Path) -> None:
    for pdf in sorted(editions.glob("*.pdf")):
        [fill] = page_fills(pdf)
        assert fill >= LEAST_FILL
