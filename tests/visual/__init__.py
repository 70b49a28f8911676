"""Page images of the sample publications, compared with the approved ones in tests/visual/approved.

Each page is a low-resolution PNG (``<publication-id>/<format>-<page>.png``): the PDF as printed,
the DOCX as LibreOffice prints it. ``tests/test_visual_regression.py`` fails when a page changed
beyond the threshold; from the repository root, ``python -m tests.visual review`` (``make
visual-review``) writes build/visual/review.html showing what changed, and ``approve`` (``make
visual-approve``) also takes the new images as approved.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
APPROVED = ROOT / "tests" / "visual" / "approved"
REVIEW = ROOT / "build" / "visual" / "review.html"
COMMAND = "make visual-review writes build/visual/review.html; make visual-approve accepts"

DPI = 30  # layout, colour and a changed word show; a page is ~20 KB
# Rendering is deterministic: two fresh builds, a no-op rebuild and two LibreOffice conversions
# differ in 0 pixels. So a pixel counts as changed when a colour channel moves by more than
# TOLERANCE (of 255; body text going from #1a1a1a to black moves 26), and a page fails when more
# than THRESHOLD of its pixels changed: about 9 pixels of an A4 page. Measured on the samples, a
# one-word edit changes 0.03% to 1.5% of its page, a publisher's colour 0.2% to 4%, headings moved
# by 2 pt 0.6% to 6%; one changed digit (0.003% to 0.013%) may pass: the text tests read it.
TOLERANCE = 8
THRESHOLD = 0.0001


@dataclass(frozen=True, order=True)
class Page:
    """One page image of one format of one publication."""

    id: str
    format: str  # "pdf", or "docx" as LibreOffice prints it
    number: int

    @property
    def name(self) -> str:
        return f"{self.format}-{self.number}.png"

    def path(self, root: Path) -> Path:
        return root / self.id / self.name

    def __str__(self) -> str:
        return f"{self.id} {self.format} page {self.number}"


@dataclass(frozen=True)
class Change:
    """A page that differs from its approved image, or has none, or is gone."""

    page: Page
    kind: str  # "changed", "added" or "removed"
    fraction: float = 1.0  # of the page's pixels changed beyond TOLERANCE

    @property
    def fails(self) -> bool:
        return self.kind != "changed" or self.fraction > THRESHOLD

    def __str__(self) -> str:
        if self.kind == "changed":
            return f"{self.page}: {self.fraction:.3%} of its pixels changed (threshold {THRESHOLD:.3%})"
        return f"{self.page}: {'new, not approved' if self.kind == 'added' else 'gone'}"


# Rendering


def libreoffice(soffice: str, docs: Sequence[Path], out: Path) -> dict[str, Path]:
    """Every DOCX printed to PDF by LibreOffice in one call (~1 s a file, most of it start-up),
    as ``{stem: pdf}``; a file it could not convert is left out."""
    with tempfile.TemporaryDirectory() as profile:  # private: no clash with a running LibreOffice
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                *("--convert-to", "pdf", "--outdir", str(out)),
                *map(str, docs),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    converted = {doc.stem: out / f"{doc.stem}.pdf" for doc in docs}
    return {stem: pdf for stem, pdf in converted.items() if pdf.exists()}


def rasterize(pdf: Path, folder: Path, format: str) -> None:
    """A PDF's pages as ``folder/<format>-<page>.png`` (pdftoppm pads the number; we do not)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(folder / format)], check=True, timeout=120
    )
    for image in folder.glob(f"{format}-*.png"):
        number = re.fullmatch(rf"{format}-(\d+)\.png", image.name)
        if number:
            image.rename(folder / f"{format}-{int(number.group(1))}.png")


def render(pdfs: Mapping[str, Path], word_pdfs: Mapping[str, Path], out: Path) -> None:
    """Every page of every publication as ``out/<id>/<format>-<page>.png``."""
    jobs = [(pdf, out / id, "pdf") for id, pdf in pdfs.items()]
    jobs += [(pdf, out / id, "docx") for id, pdf in word_pdfs.items()]
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(lambda job: rasterize(*job), jobs))


# Comparing


def changed_pixels(approved: Image.Image, new: Image.Image) -> Image.Image:
    """A mask of the pixels where some channel differs by more than TOLERANCE (same-size pages)."""
    bands = ImageChops.difference(approved.convert("RGB"), new.convert("RGB")).split()
    largest = ImageChops.lighter(ImageChops.lighter(bands[0], bands[1]), bands[2])
    return largest.point(lambda level: 255 if level > TOLERANCE else 0)


def changed_fraction(approved: Image.Image, new: Image.Image) -> float:
    """The fraction of the page's pixels that changed; 1.0 when its size did (paper, orientation)."""
    if approved.size != new.size:
        return 1.0
    return changed_pixels(approved, new).histogram()[255] / (new.width * new.height)


def publications(root: Path) -> set[str]:
    """The ids with a folder of page images in root (none if there is no root yet)."""
    return {p.name for p in root.iterdir() if p.is_dir()} if root.is_dir() else set()


def read(path: Path) -> Image.Image:
    """A page image as RGB, its file closed."""
    with Image.open(path) as image:
        return image.convert("RGB")


def pages_in(root: Path, ids: Iterable[str]) -> set[Page]:
    pages = set()
    for id in ids:
        for image in (root / id).glob("*.png"):
            format, number = image.stem.rsplit("-", 1)
            pages.add(Page(id, format, int(number)))
    return pages


def compare(new: Path, approved: Path = APPROVED, ids: Iterable[str] | None = None) -> list[Change]:
    """Every page of ``ids`` (default: all, approved or new) that differs from its approved
    image in any pixel, in page order; ``Change.fails`` says whether it is beyond the threshold."""
    if ids is None:
        ids = {p.name for p in new.iterdir()} | publications(approved)
    ids = list(ids)
    before, after = pages_in(approved, ids), pages_in(new, ids)
    changes = [Change(page, "added") for page in after - before]
    changes += [Change(page, "removed") for page in before - after]
    for page in before & after:
        old, now = read(page.path(approved)), read(page.path(new))
        if old.size != now.size or ImageChops.difference(old, now).getbbox():
            changes.append(Change(page, "changed", changed_fraction(old, now)))
    return sorted(changes, key=lambda change: change.page)


def approve(changes: Iterable[Change], new: Path, approved: Path = APPROVED) -> None:
    """Take the new images of these pages as approved, and forget the pages that are gone."""
    for change in changes:
        target = change.page.path(approved)
        if change.kind == "removed":
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(change.page.path(new), target)
    for id in publications(approved):
        if not any((approved / id).iterdir()):
            (approved / id).rmdir()
