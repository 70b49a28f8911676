"""Derived publications (`based_on`) and collections (`each`), through validation of small
content folders written for each case."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError, Problem
from briefgen.validate import validate_content

# The fewest entities a publication of each kind can stand on.
ENTITIES = {
    "publishers/pub.yaml": """\
        name: Pub
        series: Brief
        boilerplate: About the publisher.
        """,
    "publishers/other.yaml": """\
        name: Other House
        series: Note
        boilerplate: About the other house.
        """,
    "countries/x.yaml": """\
        name: Xland
        iso: XL
        currency: XLD
        currency_name: Xland dollar
        region: Southeast Asia
        """,
    "countries/y.yaml": """\
        name: Yland
        iso: YL
        currency: YLD
        currency_name: Yland dollar
        region: Southeast Asia
        """,
    "networks/net.yaml": "name: The Network\n",
    "networks/other-net.yaml": "name: Another Network\n",
    "sectors/s.yaml": """\
        name: Smart Things
        overview: Things that are smart.
        """,
    "cities/cc.yaml": """\
        name: Cee
        country: x
        coordinates: {lat: 1, lon: 2}
        networks: [net]
        """,
    "cities/aa.yaml": """\
        name: Ay
        country: y
        coordinates: {lat: 1, lon: 2}
        networks: [other-net, net]
        initiatives: [{title: Smart Lamps}]  # something to profile, for the profiles named directly
        """,
    "cities/bb.yaml": """\
        name: Bee
        country: x
        coordinates: {lat: 1, lon: 2}
        networks: [other-net]
        """,
    "cities/dd.yaml": """\
        name: Dee
        country: x
        coordinates: {lat: 1, lon: 2}
        """,
}

BASE = textwrap.dedent(
    """\
    kind: market-brief
    publisher: pub
    country: x
    sector: s
    published: 2020-01-01
    summary: The base summary.
    keywords: [one, two]
    pilot_cities:
      network: net
      intro: The base intro.
    """
)


def build_tree(root: Path, files: dict[str, str]) -> Path:
    """Write each ``{relative path: YAML text}`` under ``root`` (text dedented); return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def content(root: Path, publications: dict[str, str]) -> Path:
    """The small entity set plus ``publications`` (``{id: YAML}``), written under ``root``."""
    files = ENTITIES | {f"publications/{id}.yaml": text for id, text in publications.items()}
    return build_tree(root / "content", files)


def problems(root: Path) -> list[Problem]:
    """The problems validation reports for a content folder (it must report some)."""
    with pytest.raises(BriefgenError) as caught:
        validate_content(root)
    return caught.value.problems


def at(root: Path, id: str) -> Path:
    return root / "publications" / f"{id}.yaml"


# --- based_on ------------------------------------------------------------------------------------


def test_the_small_content_is_valid_on_its_own(tmp_path: Path) -> None:
    library = validate_content(content(tmp_path, {"base": BASE}))
    assert list(library.publications) == ["base"]


def test_based_on_copies_the_base_and_overrides_only_what_the_file_says(tmp_path: Path) -> None:
    root = content(tmp_path, {"base": BASE, "derived": "based_on: base\npublisher: other\n"})
    library = validate_content(root)
    base = library.publications["base"].model
    derived = library.publications["derived"].model
    assert derived.publisher == "other"
    assert base.publisher == "pub"  # the base itself is untouched
    assert derived.model_dump(exclude={"publisher"}) == base.model_dump(exclude={"publisher"})


def test_a_nested_mapping_merges_key_by_key(tmp_path: Path) -> None:
    derived = "based_on: base\npilot_cities:\n  intro: The derived intro.\n"
    library = validate_content(content(tmp_path, {"base": BASE, "derived": derived}))
    pilot = library.publications["derived"].model.pilot_cities
    assert (pilot.network, pilot.intro) == ("net", "The derived intro.")
    assert library.publications["base"].model.pilot_cities.intro == "The base intro."


def test_a_list_replaces_the_base_list_whole(tmp_path: Path) -> None:
    derived = "based_on: base\nkeywords: [three]\n"
    library = validate_content(content(tmp_path, {"base": BASE, "derived": derived}))
    assert library.publications["derived"].model.keywords == ["three"]
    assert library.publications["base"].model.keywords == ["one", "two"]


def test_based_on_follows_a_chain_of_bases(tmp_path: Path) -> None:
    middle = "based_on: base\nsummary: The middle summary.\n"
    top = "based_on: middle\npublisher: other\n"
    library = validate_content(content(tmp_path, {"base": BASE, "middle": middle, "top": top}))
    model = library.publications["top"].model
    assert (model.summary, model.publisher, model.country) == ("The middle summary.", "other", "x")


def test_based_on_an_unknown_id_is_one_located_error_naming_the_known_ids(tmp_path: Path) -> None:
    root = content(tmp_path, {"base": BASE, "derived": "# A copy.\nbased_on: bsae\n"})
    assert problems(root) == [
        Problem(
            at(root, "derived"),
            2,
            "unknown publication 'bsae' in based_on",
            "use the id of a file in publications/ (base, derived)",
        )
    ]


def test_a_based_on_circle_is_refused_at_each_file_in_it(tmp_path: Path) -> None:
    root = content(
        tmp_path,
        {
            "one": "based_on: two\n" + BASE,
            "two": "based_on: one\n" + BASE,
        },
    )
    found = problems(root)
    assert [(p.path, p.line) for p in found] == [(at(root, "one"), 1), (at(root, "two"), 1)]
    assert all("based_on goes round in a circle" in p.message for p in found)
    assert "one → two → one" in found[0].message or "two → one → two" in found[0].message


def test_a_publication_based_on_itself_is_a_circle(tmp_path: Path) -> None:
    root = content(tmp_path, {"self": "based_on: self\n" + BASE})
    assert [(p.path, p.line, p.message) for p in problems(root)] == [
        (at(root, "self"), 1, "based_on goes round in a circle (self → self)")
    ]


def test_a_problem_in_the_base_is_reported_once_at_the_base_file(tmp_path: Path) -> None:
    broken = BASE.replace("country: x", "country: nowhere")
    root = content(tmp_path, {"base": broken, "derived": "based_on: base\npublisher: other\n"})
    found = problems(root)
    assert [(p.path, p.line, p.message) for p in found] == [
        (at(root, "base"), 3, "unknown country 'nowhere'")
    ]


def test_the_derived_files_own_problems_are_still_reported_at_their_lines(tmp_path: Path) -> None:
    broken = BASE.replace("country: x", "country: nowhere")
    derived = "based_on: base\npublisher: other\nsector: nothing\n"
    root = content(tmp_path, {"base": broken, "derived": derived})
    assert [(p.path, p.line, p.message) for p in problems(root)] == [
        (at(root, "base"), 3, "unknown country 'nowhere'"),
        (at(root, "derived"), 3, "unknown sector 'nothing'"),
    ]


def test_a_derived_file_that_overrides_the_bases_problem_is_valid_apart_from_it(tmp_path: Path) -> None:
    broken = BASE.replace("country: x", "country: nowhere")
    root = content(tmp_path, {"base": broken, "derived": "based_on: base\ncountry: y\n"})
    assert [p.path for p in problems(root)] == [at(root, "base")]


def test_a_base_that_does_not_load_is_reported_once(tmp_path: Path) -> None:
    root = content(tmp_path, {"base": "kind: [market-brief\n", "derived": "based_on: base\n"})
    found = problems(root)
    assert [p.path for p in found] == [at(root, "base")]
    assert "YAML syntax error" in found[0].message


# --- each ----------------------------------------------------------------------------------------

PROFILES = textwrap.dedent(
    """\
    kind: city-profile
    publisher: pub
    published: 2020-01-01
    network: net
    each:
      from: cities
      where: {networks: net}
      as: city
      id: "profile-{city}"
    """
)


def test_each_makes_one_publication_per_matching_entity_sorted_by_id(tmp_path: Path) -> None:
    library = validate_content(content(tmp_path, {"profiles": PROFILES}))
    assert list(library.publications) == ["profile-aa", "profile-cc"]
    assert [r.model.city for r in library.publications.values()] == ["aa", "cc"]
    assert all(r.model.publisher == "pub" for r in library.publications.values())


def test_each_names_its_publications_after_the_file_unless_given_an_id(tmp_path: Path) -> None:
    profiles = PROFILES.replace('  id: "profile-{city}"\n', "")
    library = validate_content(content(tmp_path, {"profiles": profiles}))
    assert list(library.publications) == ["profiles-aa", "profiles-cc"]


def test_where_on_a_list_field_means_contains(tmp_path: Path) -> None:
    profiles = PROFILES.replace("{networks: net}", "{networks: other-net}")
    library = validate_content(content(tmp_path, {"profiles": profiles}))
    assert list(library.publications) == ["profile-aa", "profile-bb"]  # aa lists it second


def test_where_on_a_plain_field_means_equals(tmp_path: Path) -> None:
    profiles = PROFILES.replace("{networks: net}", "{country: x}")
    library = validate_content(content(tmp_path, {"profiles": profiles}))
    assert list(library.publications) == ["profile-bb", "profile-cc", "profile-dd"]


def test_where_with_several_fields_needs_all_of_them(tmp_path: Path) -> None:
    profiles = PROFILES.replace("{networks: net}", "{networks: net, country: x}")
    library = validate_content(content(tmp_path, {"profiles": profiles}))
    assert list(library.publications) == ["profile-cc"]


def test_each_without_where_takes_every_entity(tmp_path: Path) -> None:
    profiles = PROFILES.replace("  where: {networks: net}\n", "")
    library = validate_content(content(tmp_path, {"profiles": profiles}))
    assert list(library.publications) == ["profile-aa", "profile-bb", "profile-cc", "profile-dd"]


def test_an_each_that_matches_nothing_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES.replace("{networks: net}", "{networks: nonet}")})
    found = problems(root)
    assert [(p.path, p.line) for p in found] == [(at(root, "profiles"), 5)]
    assert found[0].message == "no cities match {'networks': 'nonet'}"


def test_an_each_from_an_unknown_folder_is_an_error_at_from(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES.replace("from: cities", "from: towns")})
    found = problems(root)
    assert [(p.path, p.line, p.message) for p in found] == [
        (at(root, "profiles"), 6, "unknown folder 'towns' in each")
    ]


def test_an_each_without_as_is_an_error(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES.replace("  as: city\n", "")})
    found = problems(root)
    assert [(p.path, p.line) for p in found] == [(at(root, "profiles"), 5)]
    assert "`each` needs `from` and `as`" in found[0].message


def test_an_each_whose_where_is_not_a_mapping_is_a_located_error(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES.replace("{networks: net}", "[net]")})
    found = problems(root)
    assert [p.path for p in found] == [at(root, "profiles")]


def test_two_collections_making_the_same_id_is_an_error_at_both(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES, "more-profiles": PROFILES})
    found = problems(root)
    assert {(p.path, p.line) for p in found} == {(at(root, "profiles"), 5), (at(root, "more-profiles"), 5)}
    assert {p.message for p in found} == {
        "publication id 'profile-aa' is made twice",
        "publication id 'profile-cc' is made twice",
    }


def test_a_collection_making_the_id_of_a_file_is_an_error_at_the_collection(tmp_path: Path) -> None:
    single = PROFILES.split("each:")[0] + "city: aa\n"
    root = content(tmp_path, {"profiles": PROFILES, "profile-aa": single})
    assert [(p.path, p.line, p.message) for p in problems(root)] == [
        (at(root, "profiles"), 5, "publication id 'profile-aa' is made twice")
    ]


def test_a_collection_can_stand_on_a_base(tmp_path: Path) -> None:
    base = PROFILES.split("each:")[0] + "city: aa\n"
    profiles = 'based_on: base\npublisher: other\neach: {from: cities, as: city, id: "p-{city}"}\n'
    library = validate_content(content(tmp_path, {"base": base, "profiles": profiles}))
    assert list(library.publications) == ["base", "p-aa", "p-bb", "p-cc", "p-dd"]
    assert library.publications["p-bb"].model.publisher == "other"
    assert library.publications["p-bb"].model.network == "net"


def test_a_problem_in_a_collection_is_reported_once_not_per_publication(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES.replace("publisher: pub", "publisher: nobody")})
    assert [(p.path, p.line, p.message) for p in problems(root)] == [
        (at(root, "profiles"), 2, "unknown publisher 'nobody'")
    ]


def test_an_id_pattern_making_an_invalid_id_is_reported_at_the_pattern(tmp_path: Path) -> None:
    root = content(tmp_path, {"profiles": PROFILES.replace("profile-{city}", "Profile_{city}")})
    found = problems(root)
    assert {p.path for p in found} == {at(root, "profiles")}
    assert {p.line for p in found} <= {5, 9}  # `each:` or its `id:`
    assert any("Profile_aa" in p.message for p in found)
