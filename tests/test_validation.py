"""Validation of the sample content: each mutation of it yields exactly the problems an editor needs.

Every case copies the real content folder, breaks one thing, and freezes the lines `briefgen
validate` prints for it: file and line, what is wrong, and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.validate import validate_content
from mutations import PNG, Copy, Mutation, Rename, Replace, Set, Write, WriteBytes

CONTENT = Path(__file__).resolve().parents[1] / "content"

KL = "cities/kuala-lumpur.yaml"
BRIEF = "publications/malaysia-smart-cities.yaml"
POLICY = "policies/malaysia-5g.yaml"
NETWORK = "networks/ascn.yaml"
PUBLISHER = "publishers/us-commercial-service.yaml"

# How problems print: relative to the working directory, so under content/.
K = f"content/{KL}"
B = f"content/{BRIEF}"
P = f"content/{POLICY}"

DATE_HINT = " — write a year (2025), a month (2025-06) or a day (2025-06-30)"
LINK_HINT = "links must start with https://, http:// or mailto:"
EMPTY_LINK_HINT = "give the full https:// address, or remove the link and keep the text"
TRADE_ROWS = """\
  total_local_production: {2016: 1450, 2017: 1610, 2018: 1820, 2019: 2060, 2020: 2330}
  total_exports: {2016: 420, 2017: 465, 2018: 530, 2019: 600, 2020: 680}
  total_imports: {2016: 980, 2017: 1090, 2018: 1240, 2019: 1400, 2020: 1590}
  imports_from_us: {2016: 210, 2017: 236, 2018: 262, 2019: 295, 2020: 330}
  exchange_rate: {2016: 4.15, 2017: 4.30, 2018: 4.04, 2019: 4.14, 2020: 4.20}
"""
# The second paragraph of the brief's first leading subsector starts on line 21.
PARAGRAPH = "  The U.S.-ASEAN Smart Cities Partnership is intended"


def link_on_line_21(target: str) -> Replace:
    return Replace(BRIEF, PARAGRAPH, f"  The [U.S.-ASEAN Smart Cities Partnership]({target}) is intended")


def image_on_line_21(src: str) -> Replace:
    return Replace(BRIEF, PARAGRAPH, f"  ![chart]({src}) The U.S.-ASEAN Smart Cities Partnership is intended")


def with_market_size(row: str) -> Replace:
    return Replace(BRIEF, "  exchange_rate:", f"  total_market_size: {{{row}}}\n  exchange_rate:")


def case(name: str, mutation: Mutation | tuple[Mutation, ...], *expected: str, marks=()) -> object:
    """One row of the table: a mutation (or several) and the exact lines it must print."""
    mutations = mutation if isinstance(mutation, tuple) else (mutation,)
    return pytest.param(mutations, list(expected), id=name, marks=marks)


# --- the table ---------------------------------------------------------------------------------

CASES = [
    # Schema: types, required and unknown fields.
    case(
        "wrong type",
        Set(KL, "lat", '"north"'),
        f"{K}:6: 'coordinates.lat': input should be a valid number, unable to parse string as a number"
        " (got 'north') — see the README's field reference",
    ),
    case(
        "number out of range",
        Set(KL, "lat", "95"),
        f"{K}:6: 'coordinates.lat': input should be less than or equal to 90 (got 95) — check the value",
    ),
    case(
        "missing required field",
        Replace(KL, "name: Kuala Lumpur\n", ""),
        f"{K}:2: missing required field 'name' — add `name:`",
    ),
    case(
        "unknown field with did-you-mean",
        Replace(KL, "coordinates:", "coordinatse:"),
        f"{K}:2: missing required field 'coordinates' — add `coordinates:`",
        f"{K}:5: unknown field 'coordinatse' — did you mean 'coordinates'?",
    ),
    case(
        "unknown nested field with did-you-mean",
        Replace(KL, "lon:", "lng:"),
        f"{K}:5: missing required field 'coordinates.lon' — add `lon:`",
        f"{K}:7: unknown field 'coordinates.lng' — did you mean 'lon'?",
    ),
    case(
        "unknown field without a close match lists the allowed ones",
        Replace(KL, "networks:", "population: 1800000\nnetworks:"),
        f"{K}:8: unknown field 'population' — remove it; allowed here: name, local_name, local_lang,"
        " subdivision, country, coordinates, networks, initiatives",
    ),
    case(
        "url without a scheme",
        Replace(BRIEF, "url: https://mdec.my/", "url: mdec.my"),
        f"{B}:78: 'web_resources.2.url' has the wrong form ('mdec.my')"
        " — write a full address starting with https:// (or mailto:)",
    ),
    case(
        "alt text too short",
        Replace(
            BRIEF,
            "alt: Bar chart of total market size",
            "alt: Chart\n    # alt: Bar chart of total market size",
        ),
        f"{B}:64: 'figures.trade.alt': string should have at least 10 characters (got 'Chart')"
        " — see the README's field reference",
    ),
    case(
        "local_name without local_lang",
        Replace(KL, "subdivision:", "local_name: Kuala Lumpur\nsubdivision:"),
        f"{K}:3: local_name and local_lang go together: give both or neither"
        " — see the README's field reference",
    ),
    # References between files.
    case(
        "unknown reference with nearest id",
        Set(KL, "country", "malaysai"),
        f"{K}:4: unknown country 'malaysai' — did you mean 'malaysia'?",
    ),
    case(
        "unknown policy reference with nearest id",
        Set(BRIEF, "policies", "[malaysia-4g]"),
        f"{B}:43: unknown policy 'malaysia-4g' — did you mean 'malaysia-5g'?",
    ),
    case(
        "unknown city in a publication list, with suggestions",
        Replace(BRIEF, "[selangor]", "[selangr]"),
        f"{B}:32: unknown city 'selangr' — did you mean 'selangor'?",
    ),
    case(
        "unknown city later in a publication list, with nothing close",
        Replace(BRIEF, "[cyberjaya, putrajaya]", "[cyberjaya, atlantis]"),
        f"{B}:34: unknown city 'atlantis' — add content/cities/atlantis.yaml",
    ),
    case(
        "unknown network in a nested field",
        Set(BRIEF, "network", "acsn"),
        f"{B}:29: unknown network 'acsn' — did you mean 'ascn'?",
    ),
    # Dates.
    case(
        "impossible calendar date",
        Set(BRIEF, "published", "2019-13-45"),
        f"{B}:7: 'published' is not a date ('2019-13-45')" + DATE_HINT,
    ),
    case(
        "words instead of a date",
        Set(BRIEF, "published", "last year"),
        f"{B}:7: 'published': 'last year' is not a date" + DATE_HINT,
    ),
    case(
        "a month that does not exist",
        Set(BRIEF, "published", "2019-13"),
        f"{B}:7: 'published': '2019-13' is not a date in the calendar" + DATE_HINT,
    ),
    # Publication kinds.
    case(
        "unknown publication kind with suggestion",
        Set(BRIEF, "kind", "market-breif"),
        f"{B}:2: unknown publication kind 'market-breif' — did you mean 'market-brief'?",
    ),
    case(
        "unknown publication kind with nothing close",
        Set(BRIEF, "kind", "podcast"),
        f"{B}:2: unknown publication kind 'podcast' — use one of: market-brief, commentary, city-profile",
    ),
    case(
        "publication with no kind",
        Replace(BRIEF, "kind: market-brief\n", ""),
        f"{B}:2: publication has no 'kind' — add `kind:` with one of: market-brief, commentary, city-profile",
    ),
    # Whole files.
    case(
        "empty file",
        Write(KL, ""),
        f"{K}:1: the file is empty — write the city's fields as `name: value` lines",
    ),
    case(
        "file with only a comment",
        Write(KL, "# Kuala Lumpur: to do\n"),
        f"{K}:1: the file is empty — write the city's fields as `name: value` lines",
    ),
    case(
        "file that is a list",
        Write(KL, "- name: Kuala Lumpur\n- country: malaysia\n"),
        f"{K}:1: the file is a list, not a mapping — write the city's fields as `name: value` lines",
    ),
    case(
        "file name that is not an id",
        Rename(KL, "cities/Kuala Lumpur.yaml"),
        "content/cities/Kuala Lumpur.yaml: file name 'Kuala Lumpur.yaml' is not a valid id"
        " — use lowercase letters, digits and hyphens, e.g. kuala-lumpur.yaml",
    ),
    case(
        "file name with an underscore",
        Rename(KL, "cities/kuala_lumpur.yaml"),
        "content/cities/kuala_lumpur.yaml: file name 'kuala_lumpur.yaml' is not a valid id"
        " — use lowercase letters, digits and hyphens, e.g. kuala-lumpur.yaml",
    ),
    # Markdown links and images in prose, located at their line inside a block scalar.
    case(
        "empty link target",
        Replace(BRIEF, "Based on the ASCN goals", "Based on the [ASCN]() goals"),
        f"{B}:14: link target is empty ('') — {EMPTY_LINK_HINT}",
    ),
    case(
        "link target '#'",
        link_on_line_21("#"),
        f"{B}:21: link target is empty ('#') — {EMPTY_LINK_HINT}",
    ),
    case(
        "javascript: link",
        link_on_line_21("javascript:alert(1)"),
        f"{B}:21: link 'javascript:alert(1)' has scheme 'javascript:' — {LINK_HINT}",
    ),
    case(
        "javascript: link in capitals",
        link_on_line_21("JavaScript:alert(1)"),
        f"{B}:21: link 'JavaScript:alert(1)' has scheme 'javascript:' — {LINK_HINT}",
    ),
    case(
        "file: link",
        link_on_line_21("file:///etc/passwd"),
        f"{B}:21: link 'file:///etc/passwd' has scheme 'file:' — {LINK_HINT}",
    ),
    case(
        "relative link",
        link_on_line_21("partnership.html"),
        f"{B}:21: link 'partnership.html' has no scheme — {LINK_HINT}",
    ),
    case(
        "link without a host",
        link_on_line_21("https://"),
        f"{B}:21: link 'https://' has no host — write the full address, e.g. https://www.example.org/page",
    ),
    case(
        "bad link in a publisher's boilerplate",
        Replace(PUBLISHER, "(https://www.trade.gov/)", "(javascript:void(0))"),
        f"content/{PUBLISHER}:15: link 'javascript:void(0)' has scheme 'javascript:' — {LINK_HINT}",
    ),
    case(
        "bad link in a folded trade-table source note",
        Replace(BRIEF, "Exchange rate: Bank Negara", "Exchange rate: [Bank Negara](ftp://bnm.gov.my)"),
        f"{B}:57: link 'ftp://bnm.gov.my' has scheme 'ftp:' — {LINK_HINT}",
    ),
    case(
        "bad link on a later line of a paragraph",
        Replace(BRIEF, "to inform specific programming", "to inform [specific programming](javascript:x)"),
        f"{B}:26: link 'javascript:x' has scheme 'javascript:' — {LINK_HINT}",
    ),
    case(
        "image outside the content folder",
        image_on_line_21("../x.png"),
        f"{B}:21: image '../x.png' is outside the content folder — copy it into content/images/",
    ),
    case(
        "image given as an absolute path",
        image_on_line_21("/tmp/x.png"),
        f"{B}:21: image '/tmp/x.png' is not a file inside the content folder"
        " — copy the image into content/images/ and write images/NAME.png",
    ),
    case(
        "missing image",
        image_on_line_21("images/trade.png"),
        f"{B}:21: image 'images/trade.png' does not exist"
        " — add the file content/images/trade.png or correct the name",
    ),
    case(
        "image that exists",
        (WriteBytes("images/trade.png", PNG), image_on_line_21("images/trade.png")),
    ),
    case(
        "image whose content is not an image (a saved web page)",
        (Write("images/trade.png", "<html>Not found</html>"), image_on_line_21("images/trade.png")),
        f"{B}:21: image 'images/trade.png' is not a PNG image inside"
        " — save it again as a real image (it may be a web page or a broken download)",
    ),
    case(
        "image that is not a picture",
        (Write("images/trade.csv", ""), image_on_line_21("images/trade.csv")),
        f"{B}:21: image 'images/trade.csv' is not a PNG or JPEG file — convert it to PNG",
    ),
    case(
        "code block in prose",
        Replace(POLICY, "  However, the business", "  ```\n  code\n  ```\n  However, the business"),
        f"{P}:30: code blocks are not supported in prose — write plain paragraphs",
    ),
    case(
        "heading too deep for prose",
        Replace(POLICY, "  However, the business", "  #### Business\n\n  However, the business"),
        f"{P}:30: heading level 4 (####) is too deep for prose — prose headings go three deep"
        " (#, ## and ###): use ### at most, or a paragraph that opens in **bold**",
    ),
    # Image fields and figures.
    case(
        "publisher logo that does not exist",
        Set(PUBLISHER, "logo", "images/logo.png"),
        f"content/{PUBLISHER}:16: image 'images/logo.png' does not exist"
        " — add the file content/images/logo.png or correct the name",
    ),
    case(
        "publisher logo in SVG, which Word cannot show",
        (
            Write("images/logo.svg", "<svg/>"),
            Set(PUBLISHER, "logo", "images/logo.svg"),
        ),
        f"content/{PUBLISHER}:16: image 'images/logo.svg' is SVG, which Word cannot show"
        " — export it as PNG (at 2x its size) and use that",
    ),
    case(
        "figure without the data it is drawn from",
        Replace(BRIEF, "policies: [malaysia-5g]\n", ""),
        f"{B}:64: figure 'milestones' is drawn from 'policies', which this publication does not have"
        " — add `policies:` or remove the figure",
    ),
    # The trade table.
    case(
        "market size given but inconsistent",
        with_market_size("2016: 2010, 2017: 2235, 2018: 2600, 2019: 2860, 2020: 3240"),
        f"{B}:55: market size 2018 is 2600 but production − exports + imports is 2530"
        " — correct the figures, or remove total_market_size to have it derived",
    ),
    case(
        "market size given within one unit of the derived one",
        with_market_size("2016: 2010, 2017: 2235, 2018: 2531, 2019: 2859, 2020: 3240"),
    ),
    case(
        "imports from the U.S. above total imports",
        Replace(BRIEF, "imports_from_us: {2016: 210,", "imports_from_us: {2016: 1210,"),
        f"{B}:54: imports from the U.S. in 2016 (1210) exceed total imports (980) — check both figures",
    ),
    case(
        "imports from the U.S. above total imports, one year per line",
        Replace(
            BRIEF,
            "  imports_from_us: {2016: 210, 2017: 236, 2018: 262, 2019: 295, 2020: 330}",
            "  imports_from_us:\n    2016: 210\n    2017: 2360\n    2018: 262\n    2019: 295\n    2020: 330",
        ),
        f"{B}:56: imports from the U.S. in 2017 (2360) exceed total imports (1090) — check both figures",
    ),
    case(
        "years not ascending",
        Replace(BRIEF, TRADE_ROWS, re.sub(r"\{(2016: [\d.]+), (2017: [\d.]+)", r"{\2, \1", TRADE_ROWS)),
        f"{B}:51: years are not in ascending order (2017, 2016, 2018, 2019, 2020)"
        " — list the years from oldest to newest",
    ),
    case(
        "a row with different years",
        Replace(BRIEF, "2019: 600, 2020: 680}", "2019: 600}"),
        f"{B}:52: 'total_exports' has years 2016, 2017, 2018, 2019 but total_local_production has"
        " 2016, 2017, 2018, 2019, 2020 — give every row the same years, in the same order",
    ),
    case(
        "exchange rate with a different year",
        Replace(BRIEF, "exchange_rate: {2016:", "exchange_rate: {2015:"),
        f"{B}:55: 'exchange_rate' has years 2015, 2017, 2018, 2019, 2020 but total_local_production has"
        " 2016, 2017, 2018, 2019, 2020 — give every row the same years, in the same order",
    ),
    case(
        "estimate year not in the table",
        Set(BRIEF, "estimates", "[2019, 2020, 2021]"),
        f"{B}:50: estimate year 2021 is not a column of the table — use one of 2016, 2017, 2018, 2019, 2020",
    ),
    case(
        "publication year not marked as estimate",
        Set(BRIEF, "estimates", "[2020]"),
        f"{B}:50: 2019 cannot be final figures in a brief published in 2019 — add 2019 to `estimates:`",
    ),
    case(
        "no estimates at all",
        Replace(BRIEF, "  estimates: [2019, 2020]\n", ""),
        f"{B}:45: 2019, 2020 cannot be final figures in a brief published in 2019"
        " — add 2019, 2020 to `estimates:`",
    ),
    case(
        "bad unit",
        Set(BRIEF, "unit", "dollars"),
        f"{B}:48: 'trade_data.unit' has the wrong form ('dollars')"
        " — write e.g. 'USD millions' (a currency code, then thousands, millions or billions)",
    ),
    case(
        "a figure that is not a number",
        Replace(BRIEF, "total_exports: {2016: 420,", "total_exports: {2016: lots,"),
        f"{B}:52: 'trade_data.total_exports.2016': input should be a valid number, unable to parse string"
        " as a number (got 'lots') — see the README's field reference",
    ),
    case(
        "exchange rate of zero",
        Replace(BRIEF, "exchange_rate: {2016: 4.15,", "exchange_rate: {2016: 0,"),
        f"{B}:55: 'trade_data.exchange_rate.2016': input should be greater than 0 (got 0)"
        " — check the figure and the table's unit",
    ),
]


@pytest.mark.parametrize(("mutations", "expected"), CASES)
def test_each_content_mistake_is_reported_at_its_file_and_line(problems_after, mutations, expected):
    assert problems_after(*mutations) == expected


def test_the_unmodified_sample_content_validates_cleanly(monkeypatch):
    monkeypatch.chdir(CONTENT.parent)
    library = validate_content(Path("content"))
    ids = set(library.publications)
    assert {"malaysia-smart-cities", "malaysia-smart-cities-hccc", "asean-smart-cities-5g-geopolitics"} <= ids
    profiles = [id for id in ids if id.startswith("city-profile-")]
    assert len(profiles) + len(library.left_out) == 26  # a profile per ASCN city, or a reason why not
    assert "kuala-lumpur" in library.entities["cities"]


def test_an_unmutated_copy_has_no_problems_so_each_case_shows_only_its_own(problems_after):
    assert problems_after() == []


def test_errors_in_several_files_are_all_reported_in_one_run_sorted_by_file_and_line(problems_after):
    problems = problems_after(
        Set(BRIEF, "unit", "dollars"),
        Set(BRIEF, "published", "last year"),
        Replace(POLICY, "  However, the business", "  #### Business\n\n  However, the business"),
        Set(KL, "lat", '"north"'),
        Replace("cities/bangkok.yaml", "networks: [ascn]", "networks: [acsn]"),
        Replace(NETWORK, "  through which", "  through [which](javascript:x)"),
    )
    assert problems == [
        "content/cities/bangkok.yaml:9: unknown network 'acsn' — did you mean 'ascn'?",
        f"{K}:6: 'coordinates.lat': input should be a valid number, unable to parse string as a number"
        " (got 'north') — see the README's field reference",
        f"content/{NETWORK}:7: link 'javascript:x' has scheme 'javascript:' — {LINK_HINT}",
        f"{P}:30: heading level 4 (####) is too deep for prose — prose headings go three deep"
        " (#, ## and ###): use ### at most, or a paragraph that opens in **bold**",
        f"{B}:7: 'published': 'last year' is not a date" + DATE_HINT,
        f"{B}:48: 'trade_data.unit' has the wrong form ('dollars')"
        " — write e.g. 'USD millions' (a currency code, then thousands, millions or billions)",
    ]


def test_load_errors_in_several_files_are_all_reported_in_one_run(problems_after):
    problems = problems_after(
        Write(KL, "name: Kuala Lumpur\nname: KL\n"),
        Write("cities/bangkok.yaml", "name: [Bangkok\n"),
    )
    assert problems == [
        "content/cities/bangkok.yaml:2: YAML syntax error: expected ',' or ']', but got '<stream end>'"
        " — check indentation and quoting on this line or the one before",
        f"{K}:2: duplicate key 'name' (first on line 1) — keep one of the two",
    ]


def test_an_invalid_file_is_reported_once_not_again_at_every_reference_to_it(problems_after):
    assert problems_after(Set("countries/malaysia.yaml", "iso", "MYS")) == [
        "content/countries/malaysia.yaml:3: 'iso' has the wrong form ('MYS')"
        " — use the two-letter ISO 3166 code, e.g. MY"
    ]


def test_two_files_with_the_same_id_are_refused(problems_after):
    problems = problems_after(Copy(KL, "cities/kuala-lumpur.yml"))
    assert any("kuala-lumpur.yml" in p and "kuala-lumpur.yaml" in p for p in problems), problems


def test_a_kind_that_is_not_text_is_a_located_error(problems_after):
    (problem,) = problems_after(Set(BRIEF, "kind", "[market-brief]"))
    assert problem.startswith(f"{B}:2: ")
    assert "kind" in problem


def test_a_publication_file_that_is_a_list_is_told_so(problems_after):
    (problem,) = problems_after(Write(BRIEF, "- kind: market-brief\n"))
    assert problem.startswith(f"{B}:1: the file is a list, not a mapping")
