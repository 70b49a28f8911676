"""Charts reach the PDF as matplotlib drew them, Form XObjects in the boxes WeasyPrint laid out
for them, not SVG WeasyPrint paints: no placeholder is left, no font is added, and a PDF/A keeps
WeasyPrint's own drawing (nothing rewrites an archival file)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from briefgen.build import build
from briefgen.writers.pdf_charts import MARK, Placeholders
from conftest import BRIEF, CONTENT


def chart_forms(path: Path) -> int:
    """How many forms the pages draw that map a chart's page onto the unit square of the image
    they replaced (forms inside forms included)."""
    seen: set[tuple[int, int]] = set()
    count = 0
    with pikepdf.open(path) as pdf:

        def visit(resources: pikepdf.Object) -> None:
            nonlocal count
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.objgen in seen or xobject.get("/Subtype") != "/Form":
                    continue
                seen.add(xobject.objgen)
                width = float(xobject.BBox[2]) - float(xobject.BBox[0])
                if "/Matrix" in xobject and float(xobject.Matrix[0]) == pytest.approx(1 / width):
                    count += 1
                elif "/Resources" in xobject:
                    visit(xobject.Resources)

        for page in pdf.pages:
            visit(page.Resources)
    return count


def placeholders_left(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return sum(
            1
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream)
            and obj.get("/Subtype") == "/Image"
            and obj.get("/Width") == 1
            and obj.read_bytes()[:1] == bytes([MARK])
        )


def test_the_briefs_three_charts_are_placed_as_forms_with_no_placeholder_left(built: Path) -> None:
    assert chart_forms(built / f"{BRIEF}.pdf") == 3  # pilot map, milestones, trade
    assert placeholders_left(built / f"{BRIEF}.pdf") == 0


def test_a_chart_draws_its_words_as_outlines_and_adds_no_font(built: Path) -> None:
    with pikepdf.open(sorted((built / ".cache" / "charts").glob("trade-*.pdf"))[0]) as chart:
        assert not chart.pages[0].Resources.get("/Font", {})


def test_a_pdf_without_charts_is_left_as_weasyprint_wrote_it() -> None:
    assert Placeholders().place(b"%PDF-1.7 as written") == b"%PDF-1.7 as written"


def test_an_archival_pdf_keeps_weasyprints_own_drawing_of_the_charts(tmp_path: Path) -> None:
    build(CONTENT, tmp_path, only=[BRIEF], archival=True)
    assert chart_forms(tmp_path / f"{BRIEF}.pdf") == 0
    assert placeholders_left(tmp_path / f"{BRIEF}.pdf") == 0
