"""Shared fixtures: the sample content built once per session, and readers for its outputs."""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# Every worker pool of the suite spawns its workers, as on macOS and Windows: a job that does not
# pickle, or a worker that relies on what it would inherit from a fork, fails here first. Set
# before anything makes a pool (workers.start_method reads it each time); the variable overrides.
os.environ.setdefault("BRIEFGEN_START_METHOD", "spawn")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The glyph preflight keeps its font coverage in a folder of the session, not the user's
    (``~/.cache/briefgen``); subprocesses inherit it."""
    os.environ["BRIEFGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))


ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SEEDS = ROOT / "tests" / "seeds"  # copies of ../shared/seeds, so a clone tests on its own
BRIEF = "malaysia-smart-cities"
# The brief's top-level sections, in order: its Word Heading 1s and its contents' first level.
BRIEF_SECTIONS = [
    "Overview",
    "Leading Sub-Sectors",
    "5G in Malaysia",
    "Trade Data",
    "Web Resources",
    "About the Publisher",
]


def tool(command: str, package: str) -> str:
    """The path of an external program a test reads outputs with: skipped on a developer's
    machine without it, a failure in CI (where .ci/run installs it)."""
    import os

    found = shutil.which(command)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{command} is missing in CI: .ci/run installs {package}")
        pytest.skip(f"{command} is not installed (apt-get install {package})")
    return found


def png(width: int = 4, height: int = 3, **save: object) -> bytes:
    """A real PNG of that size (``save`` goes to Pillow, e.g. ``dpi=(300, 300)``)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 56, 100)).save(buffer, "PNG", **save)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built into a fresh folder (shared by the output tests)."""
    from briefgen.build import build

    out = tmp_path_factory.mktemp("build")
    build(CONTENT, out)
    return out


@pytest.fixture(scope="session")
def libreoffice_pdfs(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample DOCX as LibreOffice, a real Word client, prints it: ``{id: pdf}``. One call
    converts them all (~1 s a file), once for the tests that read them."""
    from visual import libreoffice

    soffice = tool("soffice", "libreoffice-writer-nogui")
    return libreoffice(soffice, sorted(built.glob("*.docx")), tmp_path_factory.mktemp("libreoffice"))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the sample content that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(caplog: pytest.LogCaptureFixture):
    """A stray WeasyPrint warning fails the test (WeasyPrint's own assert_no_logs)."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    stray = [r.getMessage() for r in records if r.name.startswith("weasyprint")]
    assert not stray, f"WeasyPrint logged: {stray}"


@functools.cache
def pdf_text(path: Path) -> str:
    """The PDF's text as a reader's tool extracts it (pdftotext, reading order)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def body_text(text: str) -> str:
    """Text without page furniture, on one line, with dashes and spaces made uniform."""
    text = re.sub(
        r"^.*(Country Commercial Guide ·|· Page \d+ of \d+|^\f?DRAFT – not for distribution$).*$",
        "",
        text,
        flags=re.M | re.I,  # the PDF sets the draft mark in capitals (theme: Page Mark, caps)
    )
    return normalize(text)


def normalize(text: str) -> str:
    """Typography folded away (dashes, curly quotes, spacing): the seeds are plain text."""
    text = text.replace("\f", " ").replace("–", "-").replace("—", "-")
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def problems_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Copy content/ into tmp_path, apply mutations (see mutations.py), validate, and return the
    printed problems."""
    from briefgen.errors import BriefgenError
    from briefgen.validate import validate_content

    def run(*mutations) -> list[str]:
        shutil.copytree(CONTENT, tmp_path / "content")
        monkeypatch.chdir(tmp_path)
        root = Path("content")
        for mutation in mutations:
            mutation.apply(root)
        try:
            validate_content(root)
        except BriefgenError as exc:
            return [str(p) for p in exc.problems]
        return []

    return run


@pytest.fixture
def library(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the content and of its complete build, so that a test may change either (the
    manifest names files relative to their folders, so the copy is up to date)."""
    content, out = tmp_path / "content", tmp_path / "build"
    shutil.copytree(CONTENT, content)
    shutil.copytree(built, out)
    return content, out


def rebuilt(outcomes) -> set[str]:
    """The ids a build's outcomes say were built (not skipped)."""
    return {o.id for o in outcomes if o.status == "built"}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def paragraphs_of(document) -> list:
    """Every body paragraph of a python-docx document in reading order, those in table cells
    included: side-by-side columns (div.columns) are cells of a borderless layout table."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def data_tables(document) -> list:
    """The document's data tables, nested ones included, in reading order: those in the theme's
    table style, not the layout tables that set columns side by side."""
    from docx.oxml.ns import qn
    from docx.table import Table

    tables = [Table(t, document._body) for t in document.element.body.iter(qn("w:tbl"))]
    return [t for t in tables if t.style is not None and t.style.name == "Briefgen Table"]
