"""Loading one YAML content file: line numbers, and every way a file is refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.load import MAX_FILE_BYTES, load_document

CITY = """\
# City: Somewhere
name: Somewhere
coordinates:
  lat: 3.1
  lon: 101.6
networks: [ascn,
  other]
initiatives:
  - title: First
    summary: |
      line one
      line two

      line four
  - title: Second
    summary: >-
      folded
      text
  -
    title: Third
    summary:
      |
      below its key
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path so problems print paths relative to it, as the CLI does."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str | bytes) -> Path:
    path = Path(name)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> list[str]:
    with pytest.raises(BriefgenError) as exc:
        load_document(path)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        ((), 2),
        (("name",), 2),
        (("coordinates",), 3),
        (("coordinates", "lat"), 4),
        (("coordinates", "lon"), 5),
        (("networks", 0), 6),
        (("networks", 1), 7),
        (("initiatives", 0), 9),
        (("initiatives", 0, "title"), 9),
        (("initiatives", 0, "summary"), 10),
        (("initiatives", 1), 15),
        (("initiatives", 1, "summary"), 16),
        (("initiatives", 2, "title"), 20),
        (("initiatives", 2, "summary"), 21),
    ],
)
def test_every_key_and_list_item_keeps_the_line_it_was_written_on(in_tmp, loc, line):
    doc = load_document(write("somewhere.yaml", CITY))
    assert doc.line(loc) == line


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("coordinates", "alt"), 3),
        (("initiatives", 1, "url"), 15),
        (("nowhere", 0, "deeper"), 2),
    ],
)
def test_a_location_without_a_line_falls_back_to_its_nearest_ancestor(in_tmp, loc, line):
    doc = load_document(write("somewhere.yaml", CITY))
    assert doc.line(loc) == line


@pytest.mark.parametrize(
    ("loc", "offset", "line"),
    [
        (("name",), 0, 2),  # plain scalar: its text starts on its own line
        (("initiatives", 0, "summary"), 0, 11),  # `|`: the body starts below the indicator
        (("initiatives", 0, "summary"), 3, 14),
        (("initiatives", 1, "summary"), 0, 17),  # `>-` likewise
        (("initiatives", 2, "summary"), 0, 23),  # `|` on the line below its key
    ],
)
def test_text_line_counts_from_the_first_line_of_the_text(in_tmp, loc, offset, line):
    doc = load_document(write("somewhere.yaml", CITY))
    assert doc.text_line(loc, offset) == line


def test_the_id_is_the_file_name_without_its_suffix(in_tmp):
    assert load_document(write("kuala-lumpur.yaml", "name: KL\n")).id == "kuala-lumpur"


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_file_loads_as_no_data(in_tmp, text):
    assert load_document(write("empty.yaml", text)).data is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "dup.yaml:3: duplicate key 'a' (first on line 1) — keep one of the two"),
        (
            "coordinates:\n  lat: 1\n  lon: 2\n  lat: 3\n",
            "dup.yaml:4: duplicate key 'lat' (first on line 2) — keep one of the two",
        ),
        (
            "items:\n  - title: a\n    url: x\n    title: b\n",
            "dup.yaml:4: duplicate key 'title' (first on line 2) — keep one of the two",
        ),
        (
            "row: {2016: 1, 2017: 2, 2016: 3}\n",
            "dup.yaml:1: duplicate key '2016' (first on line 1) — keep one of the two",
        ),
    ],
)
def test_duplicate_keys_are_refused_with_both_lines(in_tmp, text, expected):
    assert refusal(write("dup.yaml", text)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\nb: [1, 2\nc: 3\n",
            "bad.yaml:3: YAML syntax error: expected ',' or ']', but got ':'"
            " — check indentation and quoting on this line or the one before",
        ),
        (
            "a: 1\ntitle: Smart cities: a guide\n",
            "bad.yaml:2: YAML syntax error: mapping values are not allowed here"
            " — quote a value that contains ': '",
        ),
        (
            'a: 1\nb: "unclosed\n',
            "bad.yaml:3: YAML syntax error: found unexpected end of stream"
            " — check indentation and quoting on this line or the one before",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "bad.yaml:3: YAML syntax error: expected <block end>, but found '<block mapping start>'"
            " — check indentation and quoting on this line or the one before",
        ),
    ],
)
def test_yaml_syntax_errors_are_located(in_tmp, text, expected):
    assert refusal(write("bad.yaml", text)) == [expected]


def test_tab_indentation_is_refused_with_the_spaces_hint(in_tmp):
    assert refusal(write("tabs.yaml", "coordinates:\n\tlat: 1\n")) == [
        "tabs.yaml:2: YAML syntax error: found character '\\t' that cannot start any token"
        " — indent with spaces, not tabs"
    ]


def test_a_key_that_is_not_plain_text_is_refused(in_tmp):
    assert refusal(write("key.yaml", "name: x\n? [a, b]\n: 1\n")) == [
        "key.yaml:2: a key must be plain text — write `name: value`"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("name: caf\xe9\n".encode("latin-1"), "invalid continuation byte"),
        ("name: x\n".encode("utf-16"), "invalid start byte"),
    ],
)
def test_text_that_is_not_utf8_is_refused(in_tmp, data, reason):
    assert refusal(write("latin.yaml", data)) == [
        f"latin.yaml: not UTF-8 text ({reason}) — save the file as UTF-8"
    ]


def test_a_file_over_1_mib_is_refused_before_it_is_parsed(in_tmp):
    text = "a: " + "x" * MAX_FILE_BYTES + "\n"
    assert refusal(write("big.yaml", text)) == [
        f"big.yaml: the content file is {len(text):,} bytes, over the 1 MiB limit"
        " — make it smaller or split it"
    ]


def test_a_file_of_exactly_1_mib_is_accepted(in_tmp):
    path = write("edge.yaml", "a: " + "x" * (MAX_FILE_BYTES - 4) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert len(load_document(path).data["a"]) == MAX_FILE_BYTES - 4


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("base: &b {lat: 1}\ncoordinates:\n  <<: *b\n  lon: 2\n", 3),
        ("base: &b {lat: 1}\ncoordinates:\n  lon: 2\n  <<: [*b]\n", 4),
    ],
)
def test_merge_keys_are_refused(in_tmp, text, line):
    assert refusal(write("merge.yaml", text)) == [
        f"merge.yaml:{line}: merge keys (<<) are not supported — write the keys out"
    ]


def _laughs(level: str) -> str:
    """A billion-laughs document: nine levels of nine aliases each (9**9 values if expanded)."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        if level == "sequences":
            lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        else:
            lines.append(f"{name}: &{name} {{" + ", ".join(f"k{i}: *{prev}" for i in range(9)) + "}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("level", ["sequences", "mappings"])
def test_a_billion_laughs_alias_bomb_is_refused_quickly_with_a_located_error(in_tmp, level):
    path = write("bomb.yaml", _laughs(level))
    start = time.perf_counter()
    problems = refusal(path)
    assert time.perf_counter() - start < 5
    assert problems == [
        "bomb.yaml:1: more than 100,000 values (an alias bomb?) — remove the repeated aliases"
    ]


def test_a_few_reused_aliases_are_fine(in_tmp):
    doc = load_document(write("alias.yaml", "a: &x [1, 2]\nb: *x\n"))
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: &a [*a]\n", id="alias inside itself"),
        pytest.param("a: " + "[" * 5000 + "]" * 5000 + "\n", id="5000 nested lists"),
    ],
)
def test_unbounded_nesting_is_refused_with_a_located_error(in_tmp, text):
    (problem,) = refusal(write("deep.yaml", text))
    assert problem.startswith("deep.yaml:1: ")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: !!python/object:os.system echo\n", id="scalar"),
        pytest.param(
            "a: !!python/object:os.system {cmd: echo}\n",
            id="mapping",
        ),
        pytest.param(
            "a: !!python/object/apply:os.system [echo]\n",
            id="sequence",
        ),
    ],
)
def test_python_object_tags_are_refused(in_tmp, text):
    (problem,) = refusal(write("evil.yaml", text))
    assert problem.startswith("evil.yaml:1: ")
    assert "python/object" in problem
