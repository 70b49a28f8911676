"""Hostile and careless input: every case ends in one located line, in bounded time and memory.

Each case is what an attacker or a hurried editor could put in a content folder: markup in a
font name, an alias bomb, a picture that declares a billion pixels, a FIFO named like a YAML
file, a value that forges a second error line. None may inject, hang, exhaust memory or end
in a traceback.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from briefgen.cli import main
from briefgen.errors import BriefgenError, Problem
from briefgen.model import FontChoice
from briefgen.theme import GENERIC_FAMILIES, css_color, css_font_stack, css_points
from mutations import Replace, Set, Write, WriteBytes

RSIS = "publishers/rsis.yaml"
COMMENTARY = "publications/asean-smart-cities-5g-geopolitics.yaml"
BRIEF = "publications/malaysia-smart-cities.yaml"
POLICY = "policies/malaysia-5g.yaml"
R, C, B = f"content/{RSIS}", f"content/{COMMENTARY}", f"content/{BRIEF}"
SERIF = "body: {css: [Liberation Serif, Noto Serif, serif], word: Times New Roman}"
STACK_HINT = (
    "'fonts.body.css': a font stack is a list of font family names (letters, digits, spaces, hyphens),"
    " e.g. [Liberation Serif, Noto Serif, serif] — see the README's field reference"
)


@dataclass(frozen=True)
class Body:
    """The commentary's body replaced by ``text`` (on line 20, the body's first line)."""

    text: str

    def apply(self, root: Path) -> None:
        path = root / COMMENTARY
        head = path.read_text(encoding="utf-8").split("body: |\n")[0]
        path.write_text(f"{head}body: |\n  {self.text}\n", encoding="utf-8")


body = Body


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def trade_row(value: str) -> Replace:
    return Replace(BRIEF, "total_exports: {2016: 420,", f"total_exports: {{2016: {value},")


CASES = [
    pytest.param(
        Replace(RSIS, SERIF, 'body: {css: \'"X"</style><p><a href="javascript:x()">x</a>\', word: Arial}'),
        [f"{R}:12: {STACK_HINT}"],
        id="a font stack that closes the style element",
    ),
    pytest.param(
        Replace(
            RSIS,
            SERIF,
            "body: {css: 'x} body * {visibility: hidden} body::before {content: \"forged\"', word: Arial}",
        ),
        [f"{R}:12: {STACK_HINT}"],
        id="a font stack that adds CSS rules",
    ),
    pytest.param(
        Replace(RSIS, SERIF, "body: {css: ['Serif\"; color: red'], word: Arial}"),
        [
            f"{R}:12: 'fonts.body.css.0' has the wrong form ('Serif\"; color: red')"
            " — see the README's field reference"
        ],
        id="a family name with CSS in it",
    ),
    pytest.param(
        Replace(RSIS, SERIF, "body: {css: [serif], word: '<w:r>Arial'}"),
        [f"{R}:12: 'fonts.body.word' has the wrong form ('<w:r>Arial') — see the README's field reference"],
        id="a Word font with markup in it",
    ),
    pytest.param(
        Set(RSIS, "primary", '"#1d2f6f\\n"'),
        [f"{R}:8: 'colors.primary' has the wrong form ('#1d2f6f\\n') — see the README's field reference"],
        id="a colour with a trailing newline",
    ),
    pytest.param(
        Set(RSIS, "primary", '"red; background: url(https://example.org/x)"'),
        [
            f"{R}:8: 'colors.primary' has the wrong form ('red; background: url(https://example.org/x)')"
            " — see the README's field reference"
        ],
        id="a colour with CSS in it",
    ),
    pytest.param(
        Write(
            "authors/bomb.yaml", 'name: &s "' + "x" * 100_000 + '"\nrole: [' + ", ".join(["*s"] * 30) + "]\n"
        ),
        [
            "content/authors/bomb.yaml:1: aliases repeat the value here until the file expands to more"
            " than 2 MiB of text — write the text once, or use fewer aliases"
        ],
        id="aliases repeating a long string",
    ),
    pytest.param(
        Set(COMMENTARY, "number", "!!binary MDc3"),
        [
            f"{C}:10: the tag 'tag:yaml.org,2002:binary' is not allowed"
            " — write the value as plain text (quote it if it starts with !)"
        ],
        id="a !!binary value",
    ),
    pytest.param(
        Set(COMMENTARY, "title", "w" * 150_000),
        [
            f"{C}:12: 'title' is 150,000 characters long, over the limit of 500"
            " — shorten it; long text belongs in a Markdown field such as a body"
        ],
        id="a 150 KB title",
    ),
    pytest.param(
        body("word " * 10_000 + "end"),
        [
            f"{C}:19: 'body' is 50,004 characters long, over the limit of 50,000"
            " — split it into sections, or publish it in parts"
        ],
        id="a body over 50,000 characters",
    ),
    pytest.param(
        (
            WriteBytes("images/diagram.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            body("![A diagram](images/diagram.svg)"),
        ),
        [
            f"{C}:20: image 'images/diagram.svg' is SVG, which Word cannot show"
            " — export it as PNG (at 2x its size) and use that"
        ],
        id="an SVG image in prose",
    ),
    pytest.param(
        (WriteBytes("images/bomb.png", png_declaring(100_000, 100_000)), body("![A bomb](images/bomb.png)")),
        [
            f"{C}:20: image 'images/bomb.png' declares more than 25,000,000 pixels"
            " — scale it down (2000 pixels across is plenty for print)"
        ],
        id="a PNG declaring ten billion pixels",
    ),
    pytest.param(
        (WriteBytes("images/wide.png", png_declaring(6000, 5000)), body("![A photo](images/wide.png)")),
        [
            f"{C}:20: image 'images/wide.png' is 6,000 × 5,000 pixels, over the 25,000,000-pixel limit"
            " — scale it down (2000 pixels across is plenty for print)"
        ],
        id="a PNG over the pixel limit",
    ),
    pytest.param(
        (
            WriteBytes("images/huge.png", png_declaring(10, 10) + bytes(10 << 20)),
            body("![A file](images/huge.png)"),
        ),
        [
            f"{C}:20: image 'images/huge.png': is {len(png_declaring(10, 10)) + (10 << 20):,} bytes,"
            " over the 10 MiB limit — make it smaller or split it"
        ],
        id="an image file over 10 MiB",
    ),
    pytest.param(
        Replace(POLICY, "date: 2019-09", 'date: "2019-02-31"'),
        [
            "content/policies/malaysia-5g.yaml:NN: 'milestones.N.date': '2019-02-31'"
            " is not a date in the calendar — write a year (2025), a month (2025-06) or a day (2025-06-30)"
        ],
        id="a milestone on 31 February",
    ),
    pytest.param(
        trade_row(".nan"),
        [f"{B}:52: 'trade_data.total_exports.2016' is not a finite number (got nan) — write a number"],
        id="a trade figure of .nan",
    ),
    pytest.param(
        trade_row(".inf"),
        [f"{B}:52: 'trade_data.total_exports.2016' is not a finite number (got inf) — write a number"],
        id="a trade figure of .inf",
    ),
    pytest.param(
        trade_row("-420"),
        [
            f"{B}:52: 'trade_data.total_exports.2016': input should be greater than or equal to 0 (got -420)"
            " — check the figure and the table's unit"
        ],
        id="a negative trade figure",
    ),
    pytest.param(
        trade_row("1.0e+308"),
        [
            f"{B}:52: 'trade_data.total_exports.2016': input should be less than or equal to 1000000000000"
            " (got 1e+308) — check the figure and the table's unit"
        ],
        id="a trade figure of 1e308",
    ),
    pytest.param(
        Replace(
            BRIEF,
            "total_exports: {2016: 420, 2017: 465, 2018: 530, 2019: 600, 2020: 680}",
            "total_exports: {}",
        ),
        [f"{B}:52: 'trade_data.total_exports' is empty — give at least one value, or remove the field"],
        id="an empty trade row",
    ),
    pytest.param(
        body("| " + " | ".join(f"c{i}" for i in range(9)) + " |\n  |" + "---|" * 9),
        [
            f"{C}:20: the table has 9 columns; at most 8 fit across a page"
            " — split it into two tables, or turn it round (years as rows)"
        ],
        id="a prose table too wide for a page",
    ),
    pytest.param(
        body("| Heading | " + "x" * 5000 + " |\n  | --- | --- |\n  | a | b |"),
        [
            f"{C}:20: a table heading is 5,000 characters long, over the limit of 200"
            " — shorten the heading; put the detail in the cells or a note below the table"
        ],
        id="a table heading longer than a page can repeat",
    ),
]


@pytest.mark.parametrize(("mutation", "expected"), CASES)
def test_each_hostile_value_is_one_located_error(problems_after, mutation, expected) -> None:
    found = problems_after(*(mutation if isinstance(mutation, tuple) else (mutation,)))
    # Milestones move as the policy file is edited: compare their line and index by shape.
    assert [_shape(line) for line in found] == [_shape(line) for line in expected]


def _shape(line: str) -> str:
    if "milestones" not in line:
        return line
    return line.replace(line.split(":")[1], "NN", 1).replace(
        line.split("milestones.")[1].split(".")[0], "N", 1
    )


def test_a_thousand_year_trade_table_is_refused_not_truncated(problems_after) -> None:
    years = ", ".join(f"{year}: 1" for year in range(1100, 2100))
    found = problems_after(
        Replace(
            BRIEF,
            "total_exports: {2016: 420, 2017: 465, 2018: 530, 2019: 600, 2020: 680}",
            f"total_exports: {{{years}}}",
        )
    )
    assert (
        f"{B}:52: 'trade_data.total_exports' has more than 8 years"
        " — at most 8 years fit across a page: keep the latest 8" in found
    )


def test_a_based_on_chain_of_a_thousand_copies_is_an_error_not_a_recursion_error(problems_after) -> None:
    chain = [Write(f"publications/copy-{i}.yaml", f"based_on: copy-{i + 1}\n") for i in range(1000)]
    chain.append(Write("publications/copy-1000.yaml", "based_on: asean-smart-cities-5g-geopolitics\n"))
    found = problems_after(*chain)
    assert (
        "content/publications/copy-0.yaml:1: the based_on chain is more than 10 publications long"
        " — base this publication on the original rather than on a copy of a copy"
    ) in found
    assert all(line.startswith("content/publications/copy-") for line in found)


# --- values reaching CSS are serialised, never pasted ------------------------------------------


def test_font_stacks_reach_css_as_quoted_family_names() -> None:
    assert css_font_stack(["Liberation Serif", "Noto Sans CJK SC", "serif"]) == (
        '"Liberation Serif", "Noto Sans CJK SC", serif'
    )


@pytest.mark.parametrize(
    ("serialise", "value"),
    [
        (css_color, "#1d2f6f</style>"),
        (css_color, "red"),
        (css_font_stack, ['Serif"; x: y']),
        (css_font_stack, ["Serif</style>"]),
        (css_points, float("nan")),
        (css_points, "10pt; color: red"),
    ],
)
def test_a_value_that_is_not_what_css_expects_is_refused(serialise, value) -> None:
    with pytest.raises(BriefgenError):
        serialise(value)


def test_the_rendered_stylesheet_names_the_publishers_fonts_quoted(tmp_path: Path) -> None:
    from briefgen.build import prepare
    from conftest import CONTENT

    jobs = prepare(CONTENT, tmp_path, only=["asean-smart-cities-5g-geopolitics"])
    assert '--font-body: "Liberation Serif", "Noto Serif", serif;' in jobs[0].rendered.html


# --- one error is one line ---------------------------------------------------------------------


def test_a_value_with_a_newline_cannot_forge_a_second_error_line(problems_after) -> None:
    found = problems_after(
        Set(COMMENTARY, "publisher", '"rsis\\ncontent/x.yaml:1: all is well"'),
    )
    assert found == [
        f"{C}:9: unknown publisher 'rsis\\ncontent/x.yaml:1: all is well' — add content/publishers/rsis"
        "\\ncontent/x.yaml:1: all is well.yaml"
    ]


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "a\x1b[2Jb", "a\u2028b", "a\u202eb", "a\x85b", "a\x00b"])
def test_a_problem_prints_as_one_line_with_its_control_characters_escaped(text: str) -> None:
    printed = str(Problem(f"content/{text}.yaml", 3, f"value {text!s}", text))
    assert len(printed.splitlines()) == 1
    assert not any(ch in printed for ch in "\n\r\x1b\u2028\u202e\x85\x00")


def test_a_file_name_ending_in_a_newline_is_not_an_id(problems_after) -> None:
    found = problems_after(Write("cities/kuala-lumpur\n.yaml", "name: x\n"))
    assert found == [
        "content/cities/kuala-lumpur\\n.yaml: file name 'kuala-lumpur\\n.yaml' is not a valid id"
        " — use lowercase letters, digits and hyphens, e.g. kuala-lumpur.yaml"
    ]


# --- only regular files are read ---------------------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


SPECIAL_FILES = [
    pytest.param(_fifo, "is a named pipe (FIFO), not a regular file — replace it with a file", id="a FIFO"),
    pytest.param(
        lambda path: path.symlink_to("/dev/zero"),
        "is a device, not a regular file — replace it with a file",
        id="a link to /dev/zero",
    ),
    pytest.param(
        lambda path: path.mkdir(), "is a folder, not a regular file — replace it with a file", id="a folder"
    ),
    pytest.param(
        lambda path: path.symlink_to(path.parent / "nowhere.yaml"),
        "does not exist (a link pointing nowhere?) — restore the file or remove the link",
        id="a dangling link",
    ),
    pytest.param(
        lambda path: path.symlink_to(path.name),
        "is a link that loops back on itself — point the link at a real file",
        id="a link to itself",
    ),
]


@pytest.mark.parametrize(("make", "expected"), SPECIAL_FILES)
def test_a_special_file_named_like_content_is_refused_without_reading_it(
    content: Path, capsys, monkeypatch, make, expected
) -> None:
    monkeypatch.chdir(content.parent)
    make(Path("content/cities/odd.yaml"))
    assert main(["validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"content/cities/odd.yaml: the content file {expected}",
        "briefgen: 1 error(s); nothing was written",
    ]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_fifo, ": is a named pipe (FIFO), not a regular file — replace it with a file"),
        (
            lambda path: path.symlink_to("/dev/zero"),
            " is outside the content folder — copy it into content/images/",
        ),
    ],
)
def test_a_special_file_named_like_an_image_is_refused_without_reading_it(
    content: Path, capsys, monkeypatch, make, expected
) -> None:
    monkeypatch.chdir(content.parent)
    make(Path("content/images/odd.png"))
    body("![A picture](images/odd.png)").apply(Path("content"))
    assert main(["validate"]) == 1
    assert f"{C}:20: image 'images/odd.png'{expected}" in capsys.readouterr().err.splitlines()


def test_an_unreadable_file_is_refused_with_what_to_do(content: Path, capsys, monkeypatch) -> None:
    import briefgen.files

    target = content / "cities" / "kuala-lumpur.yaml"
    real_open = os.open

    def deny(path, *args, **kwargs):  # tests run as root, whom chmod does not stop
        if Path(path).absolute() == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(briefgen.files.os, "open", deny)
    monkeypatch.chdir(content.parent)
    assert main(["validate"]) == 1
    assert (
        "content/cities/kuala-lumpur.yaml: the content file cannot be read (permission denied)"
        " — make it readable: chmod a+r"
    ) in capsys.readouterr().err.splitlines()


# --- properties over any text ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_font_stack_text_is_refused_or_becomes_inert_css(text: str) -> None:
    try:
        names = FontChoice.model_validate({"css": text, "word": "Arial"}).css
    except ValidationError:
        return
    css = css_font_stack(names)
    assert not set(css) & set("<>;{}\\/()\n"), css
    assert all(f'"{name}"' in css or name in GENERIC_FAMILIES for name in names)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.text())
def test_any_problem_prints_as_exactly_one_line(path: str, message: str, hint: str) -> None:
    assert len(str(Problem(path or "x", 1, message, hint)).splitlines()) == 1


# --- through the command, over an earlier build ------------------------------------------------


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The brief and the commentary built once: the outputs no hostile build may change."""
    from briefgen.build import build
    from conftest import CONTENT

    out = tmp_path_factory.mktemp("earlier")
    build(CONTENT, out, only=["malaysia-smart-cities", "asean-smart-cities-5g-geopolitics"])
    return out


@pytest.mark.parametrize(("mutation", "expected"), CASES)
def test_a_hostile_build_exits_1_and_changes_no_earlier_output(
    earlier_build: Path, content: Path, tmp_path: Path, capsys, monkeypatch, mutation, expected
) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(earlier_build, out)
    before = _outputs(out)
    monkeypatch.chdir(content.parent)
    for step in mutation if isinstance(mutation, tuple) else (mutation,):
        step.apply(Path("content"))
    assert (
        main(["build", "--out", str(out), "malaysia-smart-cities", "asean-smart-cities-5g-geopolitics"]) == 1
    )
    err = capsys.readouterr().err.splitlines()
    assert [_shape(line) for line in err[:-1]] == [_shape(line) for line in expected]
    assert err[-1].startswith("briefgen: ")
    assert _outputs(out) == before


def _outputs(out: Path) -> dict[str, bytes]:
    """The publications' files (the manifest may change: it forgets a failed publication)."""
    return {p.name: p.read_bytes() for p in out.glob("*.*") if p.suffix in (".pdf", ".docx")}
