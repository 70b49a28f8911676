"""The writers refuse what they cannot faithfully write, and fetch nothing outside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.render import Rendered, shared_theme
from briefgen.resources import Resources
from briefgen.writers import Layout
from briefgen.writers.docx import DocxWriter
from briefgen.writers.pdf import PdfWriter


def rendered(body: str) -> Rendered:
    theme = shared_theme().with_house_style({}, {})
    html = f"<!DOCTYPE html><html lang='en'><head><title>T</title></head><body>{body}</body></html>"
    return Rendered("t", "market-brief", html, (), theme, "a4")


@pytest.fixture
def resources(tmp_path: Path) -> Resources:
    (tmp_path / "content").mkdir()
    return Resources(tmp_path / "content", {}, tmp_path / "content" / "publications" / "t.yaml")


def test_the_docx_writer_refuses_an_element_outside_the_vocabulary(resources, tmp_path: Path) -> None:
    with pytest.raises(BriefgenError) as exc:
        DocxWriter().write(
            rendered("<p>ok</p>\n<marquee>no</marquee>"), resources, tmp_path / "t.docx", Layout()
        )
    assert "element <marquee> (rendered HTML line 2) is not in the HTML vocabulary" in str(exc.value)


def test_the_docx_writer_refuses_a_class_with_no_word_style(resources, tmp_path: Path) -> None:
    with pytest.raises(BriefgenError, match=r"class 'shiny' on <p> .* has no Word style"):
        DocxWriter().write(rendered('<p class="shiny">x</p>'), resources, tmp_path / "t.docx", Layout())


@pytest.mark.parametrize(
    "src, why",
    [
        ("images/missing.png", "does not exist"),
        ("http://example.com/x.png", "is not a project file"),
        ("file:///etc/hostname", "is outside the content and templates folders"),
        ("../outside.png", "is outside the content and templates folders"),
        ("chart:nothing", "names no chart of this publication"),
    ],
)
def test_the_pdf_writer_fails_loudly_on_a_resource_it_may_not_fetch(resources, tmp_path, src, why) -> None:
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    with pytest.raises(BriefgenError) as exc:
        PdfWriter().write(
            rendered(f'<p><img src="{src}" alt="x"></p>'), resources, tmp_path / "t.pdf", Layout()
        )
    assert "resource '" in str(exc.value) and why in str(exc.value)


def test_the_pdf_writer_treats_a_weasyprint_warning_as_an_error(resources, tmp_path: Path, caplog) -> None:
    with pytest.raises(BriefgenError, match="WeasyPrint: "):
        PdfWriter().write(
            rendered('<p style="color: nonsense(">x</p>'), resources, tmp_path / "t.pdf", Layout()
        )
    caplog.clear()  # the warning was expected: it is what this test provokes
