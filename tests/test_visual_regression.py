"""Every page of every sample looks as approved: tests/visual/approved holds a low-resolution image
of each PDF page and of each DOCX page as LibreOffice prints it (see tests/visual/__init__.py).

After a deliberate change, ``make visual-review`` shows each changed page as approved | new |
difference in build/visual/review.html, and ``make visual-approve`` takes the new images.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageDraw

import visual
from conftest import tool
from test_parity import IDS
from visual import APPROVED, COMMAND, THRESHOLD, TOLERANCE, Change, Page
from visual.review import write_review


@pytest.fixture(scope="module")
def pages(built: Path, libreoffice_pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every page of the samples, rendered as the approved images were."""
    tool("pdftoppm", "poppler-utils")
    out = tmp_path_factory.mktemp("pages")
    visual.render({id: built / f"{id}.pdf" for id in IDS}, libreoffice_pdfs, out)
    return out


@pytest.mark.parametrize("id", sorted({*IDS, *visual.publications(APPROVED)}))
def test_every_page_looks_as_approved(pages: Path, id: str) -> None:
    assert (APPROVED / id).is_dir(), f"{id} has no approved images: {COMMAND}"
    assert id in IDS, f"{id} is no longer built, but has approved images: {COMMAND}"
    failing = [change for change in visual.compare(pages, APPROVED, [id]) if change.fails]
    assert not failing, "\n".join([*map(str, failing), COMMAND])


# The comparison itself, on small pages drawn here.

SIZE = (200, 300)  # 60,000 pixels: the threshold allows 6


Box = tuple[tuple[int, int, int, int], tuple[int, int, int]]


def page(*boxes: Box, size: tuple[int, int] = SIZE) -> Image.Image:
    """A white page with these filled rectangles: ((left, top, right, bottom), colour)."""
    image = Image.new("RGB", size, "white")
    for box, colour in boxes:
        ImageDraw.Draw(image).rectangle(box, fill=colour)
    return image


HEADING = ((20, 20, 180, 30), (11, 61, 110))


@pytest.mark.parametrize(
    ("new", "fraction"),
    [
        (page(HEADING), 0),
        (page(((20, 20, 180, 30), (11 + TOLERANCE, 61, 110))), 0),  # within the tolerance
        (page(((20, 20, 180, 30), (11 + TOLERANCE + 1, 61, 110))), 161 * 11 / 60_000),  # just beyond
        (page(((20, 20, 180, 30), (110, 11, 61))), 161 * 11 / 60_000),  # red for blue: greys 46 and 52
        (page(HEADING, ((100, 100, 101, 101), (0, 0, 0))), 4 / 60_000),  # a speck
        (page(((20, 24, 180, 34), (11, 61, 110))), 2 * 161 * 4 / 60_000),  # moved down 4 pixels
        (page(HEADING, size=(300, 200)), 1.0),  # another size: all of it
    ],
    ids=["same", "within tolerance", "beyond tolerance", "hue", "speck", "moved", "rotated"],
)
def test_it_measures_the_fraction_of_a_page_that_changed(new: Image.Image, fraction: float) -> None:
    assert visual.changed_fraction(page(HEADING), new) == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("change", "fails"),
    [
        (Change(Page("brief", "pdf", 1), "changed", 6 / 60_000), False),  # a speck: within
        (Change(Page("brief", "pdf", 1), "changed", THRESHOLD * 1.01), True),
        (Change(Page("brief", "pdf", 2), "added"), True),
        (Change(Page("brief", "docx", 2), "removed"), True),
    ],
    ids=["within threshold", "beyond threshold", "added page", "removed page"],
)
def test_a_page_fails_beyond_the_threshold_or_when_added_or_removed(change: Change, fails: bool) -> None:
    assert change.fails is fails


def write_pages(root: Path, images: dict[str, Image.Image]) -> Path:
    """``{"brief/pdf-1.png": image}`` as files under root."""
    for name, image in images.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        image.save(root / name)
    return root


@pytest.fixture
def approved_and_new(tmp_path: Path) -> tuple[Path, Path]:
    """Approved and new pages of two publications: a changed, an added and a removed page."""
    approved = write_pages(
        tmp_path / "approved",
        {
            "brief/pdf-1.png": page(HEADING),
            "brief/pdf-2.png": page(),
            "brief/docx-1.png": page(HEADING),
            "brief/docx-2.png": page(),
            "gone/pdf-1.png": page(),
        },
    )
    new = write_pages(
        tmp_path / "new",
        {
            "brief/pdf-1.png": page(HEADING, ((100, 100, 140, 110), (0, 0, 0))),
            "brief/pdf-2.png": page(),
            "brief/pdf-3.png": page(),
            "brief/docx-1.png": page(HEADING),
            "profile/pdf-1.png": page(),
        },
    )
    return approved, new


def test_it_lists_changed_added_and_removed_pages_and_unapproved_publications(
    approved_and_new: tuple[Path, Path],
) -> None:
    approved, new = approved_and_new
    assert [(str(c.page), c.kind) for c in visual.compare(new, approved)] == [
        ("brief docx page 2", "removed"),
        ("brief pdf page 1", "changed"),
        ("brief pdf page 3", "added"),
        ("gone pdf page 1", "removed"),
        ("profile pdf page 1", "added"),
    ]


def test_approving_makes_the_approved_pages_the_new_ones(approved_and_new: tuple[Path, Path]) -> None:
    approved, new = approved_and_new
    visual.approve(visual.compare(new, approved), new, approved)
    assert visual.compare(new, approved) == []
    assert not (approved / "gone").exists()


def test_the_review_page_shows_approved_new_and_difference_for_each_page(
    approved_and_new: tuple[Path, Path], tmp_path: Path
) -> None:
    approved, new = approved_and_new
    review = tmp_path / "review.html"
    write_review(visual.compare(new, approved), new, approved, review)
    html = review.read_text(encoding="utf-8")
    assert "5 pages differ from the approved images; 5 beyond the threshold" in html
    assert "brief pdf page 1: 0.752% of its pixels changed (threshold 0.010%) — fails the test" in html
    assert "brief pdf page 3: new, not approved" in html
    assert "gone pdf page 1: gone" in html
    assert html.count("data:image/png") == 3 + 4  # approved, new, difference; one for each other page


def test_pages_are_numbered_without_padding(tmp_path: Path) -> None:
    tool("pdftoppm", "poppler-utils")
    writer = pypdf.PdfWriter()
    for _ in range(10):
        writer.add_blank_page(width=100, height=100)
    writer.write(tmp_path / "ten.pdf")
    visual.rasterize(tmp_path / "ten.pdf", tmp_path / "pages", "pdf")
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == sorted(
        f"pdf-{n}.png" for n in range(1, 11)
    )
