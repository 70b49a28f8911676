"""City profiles: a collection leaves out a city with nothing to profile and says so, and a
profile's masthead names its publisher and date."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from docx import Document as WordDocument

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.progress import Lines
from briefgen.validate import validate_content
from conftest import CONTENT, pdf_text

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


@pytest.fixture(scope="module")
def bangkok(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("profile")
    build(CONTENT, out, only=["city-profile-bangkok"])
    return out / "city-profile-bangkok"


def test_the_pdf_masthead_names_the_publisher_and_the_date(bangkok: Path) -> None:
    masthead = pdf_text(bangkok.with_suffix(".pdf")).split("At a Glance")[0]
    assert "U.S. Commercial Service · Published August 1, 2019" in masthead


def test_the_word_masthead_names_the_publisher_and_the_date(bangkok: Path) -> None:
    paragraphs = [p.text for p in WordDocument(str(bangkok.with_suffix(".docx"))).paragraphs]
    masthead = paragraphs[: paragraphs.index("At a Glance")]
    assert "U.S. Commercial Service · Published August 1, 2019" in masthead


def test_a_profile_says_nothing_about_missing_initiatives(bangkok: Path) -> None:
    assert "No initiatives" not in pdf_text(bangkok.with_suffix(".pdf"))
