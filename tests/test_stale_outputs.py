"""A publication is rebuilt when anything it was made from changes: the pictures it shows, its
publisher's logo, the libraries that render it and the fonts installed; and only then."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefgen import incremental
from briefgen.build import build
from briefgen.incremental import nothing_changed, settings, shown_files
from conftest import BRIEF, edit, png, rebuilt

HCCC = "malaysia-smart-cities-hccc"  # the brief in another house style: it shows the brief's prose
PROFILE = "city-profile-da-nang"  # a small publication, quick to build
PROSE_END = "to inform specific programming and activities.\n"


def test_editing_a_picture_in_prose_rebuilds_the_publications_that_show_it(
    library: tuple[Path, Path],
) -> None:
    content, out = library
    picture = content / "images" / "street.png"
    picture.write_bytes(png(4, 3))
    edit(
        content / "publications" / f"{BRIEF}.yaml",
        PROSE_END,
        f"{PROSE_END}\n      ![A smart street](images/street.png)\n",
    )
    assert rebuilt(build(content, out, jobs=2)) == {BRIEF, HCCC}
    picture.write_bytes(png(5, 3))
    assert rebuilt(build(content, out, jobs=2)) == {BRIEF, HCCC}
    assert rebuilt(build(content, out)) == set()


def test_editing_a_picture_no_publication_shows_rebuilds_nothing(library: tuple[Path, Path]) -> None:
    content, out = library
    picture = content / "images" / "unused.png"
    picture.write_bytes(png(4, 3))
    assert rebuilt(build(content, out)) == set()
    picture.write_bytes(png(5, 3))
    assert rebuilt(build(content, out)) == set()


def test_editing_a_publishers_logo_rebuilds_that_publishers_publications(library: tuple[Path, Path]) -> None:
    content, out = library
    logo = content / "images" / "hccc-logo.png"
    logo.write_bytes(png(8, 4))
    edit(
        content / "publishers" / "harbour-city-chamber.yaml",
        "logo: images/harbour-city-chamber-logo.png",
        "logo: images/hccc-logo.png",
    )
    # The publisher's file changed: all its publications rebuild.
    assert rebuilt(build(content, out)) == {HCCC, "vietnam-5g-year-one"}
    logo.write_bytes(png(9, 4))
    # Only the logo changed: both rebuild, as every kind shows its publisher's logo; no other.
    assert rebuilt(build(content, out)) == {HCCC, "vietnam-5g-year-one"}
    (content / "images" / "rsis-logo.png").write_bytes(png(9, 4))
    assert rebuilt(build(content, out)) == {"asean-smart-cities-5g-geopolitics"}


@pytest.mark.parametrize("fingerprint", ["dependencies", "fonts"])
def test_an_upgraded_library_or_a_new_font_rebuilds_everything(
    library: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fingerprint: str
) -> None:
    content, out = library
    assert nothing_changed(content, out, settings(None, False), None)
    original = getattr(incremental, fingerprint)
    monkeypatch.setattr(incremental, fingerprint, lambda: f"{original()} changed")
    assert not nothing_changed(content, out, settings(None, False), None)
    assert rebuilt(build(content, out, only=[PROFILE])) == {PROFILE}  # up to date but for that


def test_the_dependency_fingerprint_names_the_installed_versions() -> None:
    from importlib import metadata

    versions = dict(item.split("==") for item in incremental.dependencies().split(";"))
    assert versions["weasyprint"] == metadata.version("weasyprint")
    assert versions["python_docx"] == metadata.version("python-docx")
    assert versions["markdown_it_py"] == metadata.version("markdown-it-py")
    assert versions["pyyaml"] == metadata.version("pyyaml")


def test_the_fingerprints_keep_a_no_op_build_quick(library: tuple[Path, Path]) -> None:
    content, out = library
    nothing_changed(content, out, settings(None, False), None)  # imports, warm caches
    best = min(_timed(nothing_changed, content, out, settings(None, False), None) for _ in range(3))
    assert best < 0.25


def _timed(function, *args: object) -> float:
    started = time.perf_counter()
    assert function(*args)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    ("src", "found"),
    [
        ("images/a.png", "images/a.png"),
        ("images/a%20b.png", "images/a b.png"),
        ("{content}/images/a.png", "images/a.png"),
        ("file://{content}/images/a.png", "images/a.png"),
        ("chart:trade", None),
        ("https://example.org/a.png", None),
        ("images/missing.png", None),
        ("../outside.png", None),
    ],
)
def test_the_pictures_a_document_shows_are_project_files_it_names(
    tmp_path: Path, src: str, found: str | None
) -> None:
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    for name in ("a.png", "a b.png"):
        (content / "images" / name).write_bytes(png())
    (tmp_path / "outside.png").write_bytes(png())
    html = f'<p>Text <img src="{src.format(content=content)}" alt="x"></p>'
    assert shown_files(html, content) == ([(content / found).resolve()] if found else [])
