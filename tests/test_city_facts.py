"""A profile prints facts, and a publication dated before a fact it prints would print the future:
validation refuses it at the fact's line, naming the publication, unless the fact is marked
`expected`. A profile of a city with nothing to profile is refused at the line naming the city."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.cli import main
from briefgen.dates import PartialDate
from briefgen.errors import BriefgenError
from briefgen.facts import later
from briefgen.validate import validate_content
from conftest import CONTENT
from mutations import Replace, Set, Write

PROFILES = """\
    kind: city-profile
    publisher: pub
    published: 2021-03-04
    network: net
    each: {from: cities, where: {networks: net}, as: city, id: "profile-{city}", needs: initiatives}
    """
BUSY = """\
    name: Busytown
    country: x
    coordinates: {lat: 1, lon: 100}
    networks: [net]
    initiatives:
      - title: Smart Lamps
        since: 2019
        summary: Street lamps that dim when the street is empty.
      - title: Hydrogen Buses
        since: 2020-06
        summary: Buses that run on hydrogen.
    """
QUIET = "name: Quietville\ncountry: x\ncoordinates: {lat: 2, lon: 101}\nnetworks: [net]\n"
FILES = {
    "publishers/pub.yaml": "name: Harbour House\nseries: Profiles\nboilerplate: About the house.\n",
    "countries/x.yaml": """\
        name: Xland
        iso: XL
        currency: XLD
        currency_name: Xland dollar
        region: Southeast Asia
        """,
    "networks/net.yaml": "name: The Network\nestablished: 2018-04-28\n",
    "cities/busy.yaml": BUSY,
    "cities/quiet.yaml": QUIET,
    "publications/profiles.yaml": PROFILES,
}


def write(root: Path, changes: dict[str, str]) -> Path:
    """The small content above with ``changes`` (``{relative path: YAML}``), under ``root``."""
    for name, text in (FILES | changes).items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "content"


def problems(root: Path, changes: dict[str, str]) -> list[str]:
    """The problems validation prints for the changed content, paths from the content folder."""
    content = write(root, changes)
    with pytest.raises(BriefgenError) as caught:
        validate_content(content)
    return [str(p).replace(f"{content}/", "") for p in caught.value.problems]


def published(date: str) -> dict[str, str]:
    return {"publications/profiles.yaml": PROFILES.replace("2021-03-04", date)}


# --- no fact later than the publication ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "date", "is_later"),
    [
        ("2020", "2019-08-01", True),
        ("2019", "2019-08-01", False),  # 2019 may mean January
        ("2019-09", "2019", False),  # the publication may be December's
        ("2019-08-02", "2019-08-01", True),
        ("2019-08", "2019-08-01", False),
        ("2019-08-01", "2019-08-01", False),
        ("2018-04-28", "2019", False),
    ],
)
def test_a_fact_is_later_only_when_it_certainly_is(fact: str, date: str, is_later: bool) -> None:
    assert later(PartialDate.parse(fact), PartialDate.parse(date)) is is_later


def test_the_small_content_is_valid_as_written(tmp_path: Path) -> None:
    assert list(validate_content(write(tmp_path, {})).publications) == ["profile-busy"]


def test_an_initiative_that_began_after_its_profile_is_refused_at_its_date(tmp_path: Path) -> None:
    assert problems(tmp_path, published("2020-01")) == [
        "cities/busy.yaml:10: Hydrogen Buses: 'initiatives.1.since' is June 2020, later than profile-busy"
        " (published January 2020, publications/profiles.yaml:3), which prints it as fact"
        " — mark it `expected: true` if it was still planned then, or correct one of the two dates"
    ]


def test_an_initiative_marked_expected_may_begin_after_its_profile(tmp_path: Path) -> None:
    planned = BUSY.replace("since: 2020-06\n", "since: 2020-06\n        expected: true\n")
    library = validate_content(write(tmp_path, published("2020-01") | {"cities/busy.yaml": planned}))
    assert list(library.publications) == ["profile-busy"]


def test_expected_without_a_date_is_refused(tmp_path: Path) -> None:
    undated = BUSY.replace("since: 2019\n", "expected: true\n")
    assert problems(tmp_path, {"cities/busy.yaml": undated}) == [
        "cities/busy.yaml:6: 'initiatives.0': `expected` marks the date in `since` as planned"
        " — add `since:` or remove `expected`"
    ]


def test_a_network_founded_after_its_profiles_is_one_line_for_the_whole_collection(tmp_path: Path) -> None:
    quiet = QUIET + "initiatives: [{title: Quiet Hours}]\n"
    changes = {"networks/net.yaml": "name: The Network\nestablished: 2021-04\n", "cities/quiet.yaml": quiet}
    assert problems(tmp_path, changes) == [
        "networks/net.yaml:2: The Network: 'established' is April 2021, later than profile-busy and 1 more"
        " (published 4 March 2021, publications/profiles.yaml:3), which prints it as fact"
        " — correct one of the two dates"
    ]


def test_a_city_left_out_of_the_collection_prints_nothing_so_its_dates_do_not_count(tmp_path: Path) -> None:
    changes = {"networks/other.yaml": "name: Later Network\nestablished: 2030\n"}
    changes["cities/quiet.yaml"] = QUIET.replace("networks: [net]", "networks: [net, other]")
    assert list(validate_content(write(tmp_path, changes)).publications) == ["profile-busy"]


# --- nothing to profile ----------------------------------------------------------------------------

SINGLE = "kind: city-profile\npublisher: pub\npublished: 2021-03-04\ncity: quiet\n"


def test_a_profile_naming_a_city_without_initiatives_is_refused_at_the_city(tmp_path: Path) -> None:
    assert problems(tmp_path, {"publications/quiet-profile.yaml": SINGLE}) == [
        "publications/quiet-profile.yaml:4: city 'quiet' has no initiatives, so its profile would have"
        " nothing to show — add initiatives to cities/quiet.yaml or drop the profile"
    ]


def test_a_profile_based_on_one_naming_an_empty_city_is_reported_once_at_the_base(tmp_path: Path) -> None:
    derived = "based_on: quiet-profile\npublished: 2022\n"
    changes = {"publications/quiet-profile.yaml": SINGLE, "publications/again.yaml": derived}
    assert [line.split(":")[0] for line in problems(tmp_path, changes)] == ["publications/quiet-profile.yaml"]


def test_a_profile_naming_a_city_with_initiatives_is_valid(tmp_path: Path) -> None:
    changes = {"publications/busy-profile.yaml": SINGLE.replace("city: quiet", "city: busy")}
    assert "busy-profile" in validate_content(write(tmp_path, changes)).publications


# --- through `briefgen build`, over an earlier build -------------------------------------------------

KUCHING = "cities/kuching.yaml"
PROFILE_FILE = "content/publications/ascn-city-profiles.yaml"


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile built once: the output no refused build may change."""
    out = tmp_path_factory.mktemp("earlier")
    build(CONTENT, out, only=["city-profile-kuching"])
    return out


def fact_line(where: str, fact: str, when: str, id: str, field: str, published: str = "1 August 2019") -> str:
    return (
        f"content/{where}: {fact}: '{field}' is {when}, later than {id} (published {published},"
        f" {PROFILE_FILE}:8), which prints it as fact — mark it `expected: true` if it was still planned"
        " then, or correct one of the two dates"
    )


MANILA = "kind: city-profile\npublisher: us-commercial-service\npublished: 2022-12\ncity: manila\n"
CASES = [
    pytest.param(
        Write("publications/manila-profile.yaml", MANILA),
        ["city-profile-kuching", "manila-profile"],  # a problem in its own file fails only that profile
        [
            "content/publications/manila-profile.yaml:4: city 'manila' has no initiatives, so its profile"
            " would have nothing to show — add initiatives to content/cities/manila.yaml or drop the profile"
        ],
        id="a profile of a city with no initiatives",
    ),
    pytest.param(
        Replace(KUCHING, "since: 2020", "since: 2023"),
        ["city-profile-kuching"],
        [
            fact_line(
                "cities/kuching.yaml:14",
                "Hydrogen fuel-cell buses",
                "2023",
                "city-profile-kuching",
                "initiatives.1.since",
                published="December 2022",
            )
        ],
        id="an initiative dated after the profile",
    ),
    pytest.param(
        Set("publications/ascn-city-profiles.yaml", "published", "2019-08-01"),
        ["city-profile-kuching"],  # a problem in a city file stops every publication
        [
            fact_line(
                "cities/bangkok.yaml:12",
                "Traffy Fondue",
                "2022",
                "city-profile-bangkok",
                "initiatives.0.since",
            ),
            fact_line(
                "cities/kuala-lumpur.yaml:11",
                "Kuala Lumpur Smart City Master Plan 2021–2025",
                "2021",
                "city-profile-kuala-lumpur",
                "initiatives.0.since",
            ),
            fact_line(
                "cities/kuching.yaml:14",
                "Hydrogen fuel-cell buses",
                "2020",
                "city-profile-kuching",
                "initiatives.1.since",
            ),
        ],
        id="the profiles dated before facts they print (the issue's August 2019)",
    ),
]


@pytest.mark.parametrize(("mutation", "ids", "expected"), CASES)
def test_a_refused_profile_exits_1_with_one_line_each_and_changes_no_earlier_output(
    earlier_build: Path, content: Path, tmp_path: Path, capsys, monkeypatch, mutation, ids, expected
) -> None:
    out = tmp_path / "out"
    shutil.copytree(earlier_build, out)
    before = _outputs(out)
    monkeypatch.chdir(content.parent)
    mutation.apply(Path("content"))
    assert main(["build", "--out", str(out), *ids]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == expected
    assert err[-1].startswith("briefgen: ")
    assert _outputs(out) == before


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.glob("*.*") if p.suffix in (".pdf", ".docx")}


def test_the_sample_kuching_profile_dates_its_hydrogen_buses_and_is_dated_after_them() -> None:
    library = validate_content(CONTENT)
    city = library.entities["cities"]["kuching"].model
    buses = next(i for i in city.initiatives if i.title == "Hydrogen fuel-cell buses")
    assert buses.since == PartialDate(2020)
    assert not later(buses.since, library.publications["city-profile-kuching"].model.published)
