"""Hostile content meets the writers: pictures of any density, endless words, headings that would
take a figure's id, a bad SOURCE_DATE_EPOCH, decompression bombs. Each ends in a faithful build or
one located error, never a traceback, and never a broken page."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.shared import Mm
from lxml.html import HtmlElement
from PIL import Image

from briefgen import crossref
from briefgen.build import build
from briefgen.cli import main
from briefgen.epoch import source_date
from briefgen.errors import BriefgenError
from briefgen.render import Rendered, kind_theme, shared_theme
from briefgen.resources import Resources
from briefgen.writers import Layout
from briefgen.writers.docx import DocxWriter
from briefgen.writers.longwords import with_breaks
from briefgen.writers.pdf import PdfWriter
from conftest import BRIEF, CONTENT

COMMENTARY = "asean-smart-cities-5g-geopolitics"
EMU_PER_INCH = 914400
A4_WIDTH_PT, A4_HEIGHT_PT = 595.28, 841.89
MM = 72 / 25.4


def with_prose(content: Path, markdown: str) -> Path:
    """The commentary with ``markdown`` as the opening of its body; returns its file."""
    path = content / "publications" / f"{COMMENTARY}.yaml"
    indented = "".join(f"  {line}\n" if line else "\n" for line in markdown.splitlines())
    text = path.read_text(encoding="utf-8").replace("body: |\n", f"body: |\n{indented}\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def png(size: tuple[int, int], dpi: tuple[float, float] | None = None) -> bytes:
    buffer = io.BytesIO()
    options = {"dpi": dpi} if dpi is not None else {}
    Image.new("RGB", size, "#0b3d6e").save(buffer, "PNG", **options)
    return buffer.getvalue()


def jpeg_with_density(size: tuple[int, int], density: int) -> bytes:
    """A JPEG whose JFIF header says ``density`` dots per inch (Pillow will not write 0)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b3d6e").save(buffer, "JPEG", dpi=(1, 1))
    data = bytearray(buffer.getvalue())
    assert data[6:11] == b"JFIF\x00" and data[13] == 1  # unit: dots per inch
    data[14:18] = density.to_bytes(2, "big") * 2
    return bytes(data)


def picture_width(path: Path, alt: str) -> int:
    shape = next(s for s in docx.Document(str(path)).inline_shapes if s._inline.docPr.get("descr") == alt)
    return shape.width


# --- 1. pictures of any density ------------------------------------------------------------------

PIXELS = (480, 240)  # 5 inches wide at 96 dpi: inside the text width


@pytest.mark.parametrize(
    ("name", "data", "dpi"),
    [
        ("no-density.png", png(PIXELS), 96),
        ("zero-density.png", png(PIXELS, (0, 0)), 96),
        ("one-pixel-a-metre.png", png(PIXELS, (0.0254, 0.0254)), 96),
        ("absurd-density.png", png(PIXELS, (1_000_000, 1_000_000)), 96),
        ("zero-density.jpg", jpeg_with_density(PIXELS, 0), 96),
        ("print-density.png", png(PIXELS, (300, 300)), 300),
        ("print-density.jpg", jpeg_with_density(PIXELS, 200), 200),
    ],
)
def test_a_picture_of_any_density_builds_and_a_missing_or_absurd_one_counts_as_96_dpi(
    content: Path, tmp_path: Path, name: str, data: bytes, dpi: int
) -> None:
    (content / "images" / name).write_bytes(data)
    with_prose(content, f"![A picture called {name}](images/{name})")
    build(content, tmp_path / "out", only=[COMMENTARY])
    width = picture_width(tmp_path / "out" / f"{COMMENTARY}.docx", f"A picture called {name}")
    assert width == pytest.approx(PIXELS[0] * EMU_PER_INCH / dpi, abs=1)


def test_a_picture_wider_than_the_text_is_scaled_to_the_text_width(content: Path, tmp_path: Path) -> None:
    (content / "images" / "wide.png").write_bytes(png((4000, 400), (0, 0)))
    with_prose(content, "![A wide picture](images/wide.png)")
    build(content, tmp_path / "out", only=[COMMENTARY])
    document = docx.Document(str(tmp_path / "out" / f"{COMMENTARY}.docx"))
    shape = next(s for s in document.inline_shapes if s._inline.docPr.get("descr") == "A wide picture")
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert text_width - Mm(0.1) < shape.width <= text_width
    assert shape.height == pytest.approx(shape.width / 10, abs=1)


# --- 2. a word longer than a line ----------------------------------------------------------------

LONG_WORD = "Supercalifragilistic" * 250  # 5000 characters, no break opportunity


def pdf_words(path: Path) -> list[tuple[float, float, float, float, str]]:
    """Each word pdftotext finds, in reading order: (left, top, right, bottom, text) in points."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', xhtml
    )
    return [(float(x0), float(y0), float(x1), float(y1), text) for x0, y0, x1, y1, text in found]


def body_words(path: Path) -> str:
    """The text between the running header and footer, without spaces (a word broken over
    pages reads on across them)."""
    margins = kind_theme("commentary").page["margins"]  # the furniture sits outside them
    top, bottom = (margins["top"] - 1) * MM, A4_HEIGHT_PT - (margins["bottom"] - 1) * MM
    return "".join(text for _, y0, _, y1, text in pdf_words(path) if y0 >= top and y1 <= bottom)


@pytest.mark.parametrize(
    "prose",
    [
        LONG_WORD,
        f"# {LONG_WORD}\n\nA heading with no end.",
        f"| Heading | Another |\n| --- | --- |\n| x | {LONG_WORD} |\n| {LONG_WORD} | x |",
    ],
    ids=["paragraph", "heading", "table-cells"],
)
def test_a_5000_character_word_is_broken_inside_the_page(content: Path, tmp_path: Path, prose: str) -> None:
    with_prose(content, f"Six words open in capitals here.\n\n{prose}")
    build(content, tmp_path, only=[COMMENTARY])
    pdf = tmp_path / f"{COMMENTARY}.pdf"
    words = pdf_words(pdf)
    assert words and all(left >= 0 and right <= A4_WIDTH_PT for left, _, right, _, _ in words)
    # Table cells side by side interleave in reading order, and a header row repeats on each page.
    text = body_words(pdf).replace("HeadingAnother", "").replace("x", "")
    assert text.count(LONG_WORD) == prose.count(LONG_WORD)  # every letter, in order


def page(body: str) -> str:
    return f"<!DOCTYPE html>\n<html><head><title>T</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>" + "a" * 25 + "</p>", "<p>" + "a" * 25 + "</p>"),  # a long real word: as written
        ("<p>" + "a" * 40 + "</p>", "<p>" + "\u200b".join(["a" * 10] * 4) + "</p>"),
        (
            "<p><em>" + "ab" * 20 + "</em> then</p>",
            "<p><em>" + "\u200b".join(["ababababab"] * 4) + "</em> then</p>",
        ),
        ("<p>" + "e\u0301" * 25 + "</p>", "<p>" + "\u200b".join(["e\u0301" * 5] * 5) + "</p>"),  # é, not e|´
        ("<p>" + "ก" * 50 + "</p>", "<p>" + "ก" * 50 + "</p>"),  # Thai: Pango breaks it by dictionary
        ('<p><a href="https://example.org/' + "a" * 50 + '">a link</a></p>', None),  # attributes: untouched
    ],
    ids=["short", "long", "inside-markup", "combining-marks", "thai", "attribute"],
)
def test_the_pdf_gets_an_invisible_break_every_ten_letters_of_a_40_letter_run(
    body: str, expected: str | None
) -> None:
    html = page(body)
    broken = with_breaks(html)
    if expected is None:
        assert broken is html
    else:
        assert lxml.html.tostring(lxml.html.document_fromstring(broken).body, encoding="unicode") == (
            f"<body>{expected}</body>"
        )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_word_processors_break_a_5000_character_word_at_the_margin_themselves(
    content: Path, tmp_path: Path
) -> None:
    prose = f"{LONG_WORD}\n\n| Heading | Another |\n| --- | --- |\n| x | {LONG_WORD} |"
    with_prose(content, f"Six words open in capitals here.\n\n{prose}")
    build(content, tmp_path, only=[COMMENTARY])
    profile = (tmp_path / "libreoffice").as_uri()  # its own profile: no clash with another soffice
    convert = ["--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "word")]
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", *convert, str(tmp_path / f"{COMMENTARY}.docx")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "word" / f"{COMMENTARY}.pdf"
    words = pdf_words(pdf)
    assert words and all(left >= 0 and right <= A4_WIDTH_PT for left, _, right, _, _ in words)
    text = body_words(pdf).replace("HeadingAnother", "").replace("x", "")
    assert text.count(LONG_WORD) == 2


# --- 3. template ids are reserved ----------------------------------------------------------------


def finished(body: str) -> HtmlElement:
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    return lxml.html.document_fromstring(crossref.finish(html, Path("t.yaml")))


def ids(root: HtmlElement) -> list[str]:
    return [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # prose headings alike are numbered, as before
            '<h3 id="risks" data-prose="">Risks</h3><h3 id="risks" data-prose="">Risks</h3>'
            '<h3 id="risks" data-prose="">Risks</h3>',
            ["risks", "risks-2", "risks-3"],
        ),
        (  # a template heading keeps its id even when prose comes first
            '<h3 id="overview" data-prose="">Overview</h3><h2>Overview</h2>',
            ["overview-2", "overview"],
        ),
        (  # a prose heading numbered past an id the template wrote
            '<h3 id="risks" data-prose="">Risks</h3><h3 id="risks" data-prose="">Risks</h3>'
            '<table id="risks-2"><caption>Table 1. Risks</caption></table>',
            ["risks", "risks-3", "risks-2"],
        ),
    ],
    ids=["prose-twice", "template-heading-first", "numbered-past-a-template-id"],
)
def test_prose_headings_take_the_ids_templates_leave_free(body: str, expected: list[str]) -> None:
    assert ids(finished(body)) == expected


def test_the_prose_mark_is_gone_before_the_writers_see_the_document() -> None:
    root = finished('<h3 id="risks" data-prose="">Risks</h3>')
    assert not [el for el in root.iter() if isinstance(el.tag, str) and el.get("data-prose") is not None]


def test_a_prose_heading_never_takes_a_figures_id(content: Path, tmp_path: Path, capsys) -> None:
    path = content / "publications" / f"{BRIEF}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    body: |\n", "    body: |\n      # Figure Trade\n\n      Our own heading.\n\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      # Figure Trade") + 1
    assert main(["build", "--content", str(content), "--out", str(tmp_path), "-j", "1", BRIEF]) == 1
    err = capsys.readouterr().err
    assert (
        f"{BRIEF}.yaml:{line}: the heading 'Figure Trade' would take the id 'figure-trade' of Figure 3"
        " — rename the heading" in err
    )
    assert "Traceback" not in err


def test_a_prose_heading_never_takes_a_tables_id() -> None:
    body = (
        '<table id="table-trade"><caption>Table 2. Trade</caption></table>'
        '<h3 id="table-trade" data-prose="">Table Trade</h3>'
    )
    with pytest.raises(
        BriefgenError, match="the heading 'Table Trade' would take the id 'table-trade' of Table 2"
    ):
        finished(body)


# --- 4. SOURCE_DATE_EPOCH ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999", "1e9", "0", "4354819200", " 1700000000"])
def test_a_bad_source_date_epoch_is_one_line_naming_it(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["build", "--content", str(content), "--out", str(tmp_path), "-j", "1", COMMENTARY]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "SOURCE_DATE_EPOCH" in line] == [
        line for line in err.splitlines() if not line.startswith("briefgen:")
    ]
    assert err.startswith("SOURCE_DATE_EPOCH: ")
    assert not list(tmp_path.glob("*.docx"))


def test_a_bad_source_date_epoch_keeps_the_files_already_built(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(content, tmp_path, only=[COMMENTARY])
    before = {p.name: p.read_bytes() for p in tmp_path.glob(f"{COMMENTARY}.*")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert main(["build", "--content", str(content), "--out", str(tmp_path), "--force", COMMENTARY]) == 1
    assert {p.name: p.read_bytes() for p in tmp_path.glob(f"{COMMENTARY}.*")} == before


def test_a_bad_source_date_epoch_stops_dist_too(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert main(["dist", "--content", str(content), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("SOURCE_DATE_EPOCH: 'abc' is not a whole number of seconds")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("315532800", dt.datetime(1980, 1, 1, tzinfo=dt.UTC)),
        ("1700000000", dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)),
        ("4354819199", dt.datetime(2107, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_source_date_epoch_reads_as_a_utc_time_zip_can_hold(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: dt.datetime | None
) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date() == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' is not a whole number of seconds since 1970"),
        ("1e9", "'1e9' is not a whole number of seconds since 1970"),
        ("-1", "'-1' is not a whole number of seconds since 1970"),
        ("0", "'0' is 1970-01-01 00:00:00 UTC, outside the dates a ZIP can hold (1980-01-01 to 2107-12-31)"),
        ("99999999999999", "'99999999999999' is past the dates a ZIP can hold (1980-01-01 to 2107-12-31)"),
    ],
)
def test_a_bad_source_date_epoch_says_what_it_should_be(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(BriefgenError) as exc:
        source_date()
    assert str(exc.value).startswith(f"SOURCE_DATE_EPOCH: {message} — ")


def test_the_edges_of_the_zip_range_date_the_word_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import CONTENT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819199")
    build(CONTENT, tmp_path, only=[COMMENTARY])
    with zipfile.ZipFile(tmp_path / f"{COMMENTARY}.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(2107, 12, 31, 23, 59, 58)}


# --- 5. decompression bombs ----------------------------------------------------------------------


def rendered(body: str) -> Rendered:
    html = f"<!DOCTYPE html><html lang='en'><head><title>T</title></head><body>{body}</body></html>"
    return Rendered("t", "commentary", html, (), shared_theme().with_house_style({}, {}), "a4")


@pytest.mark.parametrize("writer", [PdfWriter(), DocxWriter()], ids=["pdf", "docx"])
@pytest.mark.parametrize("side", [40, 50], ids=["warning", "error"])  # past the limit, past twice it
def test_a_decompression_bomb_is_a_located_error_and_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer, side: int
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # a 40 px square stands for a bomb
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "bomb.png").write_bytes(png((side, side)))
    resources = Resources(content, {}, content / "publications" / "t.yaml")
    with pytest.raises(BriefgenError) as exc:
        writer.write(
            rendered('<p><img src="images/bomb.png" alt="A bomb"></p>'), resources, tmp_path / "t", Layout()
        )
    message = str(exc.value)
    assert "t.yaml: image 'images/bomb.png' is too large to decode safely" in message
    assert f"({side * side} pixels; the limit is " in message
    assert not (tmp_path / "t").exists()


def noise(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("L", size, random.Random(0).randbytes(size[0] * size[1])).save(buffer, "PNG")
    return buffer.getvalue()


BROKEN = {
    "garbage": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
    "truncated": noise((64, 64))[:1000],
    # Decodes (the PDF shows it), but its last chunk is gone, and python-docx reads every chunk.
    "no-end": png((40, 20))[:-12],
}


@pytest.mark.parametrize(
    ("writer", "data"),
    [
        pytest.param(writer, data, id=f"{name}-{writer.name}")
        for name, data in BROKEN.items()
        for writer in (PdfWriter(), DocxWriter())
        if (name, writer.name) != ("no-end", "pdf")
    ],
)
def test_a_picture_that_cannot_be_read_is_a_located_error(tmp_path: Path, writer, data: bytes) -> None:
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "broken.png").write_bytes(data)
    resources = Resources(content, {}, content / "publications" / "t.yaml")
    with pytest.raises(BriefgenError, match=r"t\.yaml: image 'images/broken\.png' cannot be read"):
        writer.write(
            rendered('<p><img src="images/broken.png" alt="Broken"></p>'), resources, tmp_path / "t", Layout()
        )


def test_a_bad_source_date_epoch_is_refused_even_when_nothing_changed(
    built: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    import shutil

    from briefgen.cli import main

    out = tmp_path / "out"
    shutil.copytree(built, out)
    assert main(["build", "--content", str(CONTENT), "--out", str(out)]) == 0  # up to date: nothing to do
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert main(["build", "--content", str(CONTENT), "--out", str(out)]) == 1
    assert "SOURCE_DATE_EPOCH: 'abc' is not a whole number of seconds since 1970" in capsys.readouterr().err


def test_a_new_source_date_epoch_rebuilds_what_it_dates(built: Path, tmp_path: Path, monkeypatch) -> None:
    import shutil

    from briefgen.incremental import nothing_changed, settings

    out = tmp_path / "out"
    shutil.copytree(built, out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert not nothing_changed(CONTENT, out, settings(None, False), None)
