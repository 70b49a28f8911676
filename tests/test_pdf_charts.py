"""Charts reach the PDF as matplotlib drew them, Form XObjects in the boxes WeasyPrint laid out
for them, not SVG WeasyPrint paints: no placeholder is left, no font is added, and in a tagged
PDF/A each chart is still drawn inside its Figure, with its alt text."""

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


def test_an_archival_pdf_draws_each_chart_inside_its_tagged_figure(tmp_path: Path) -> None:
    build(CONTENT, tmp_path, only=[BRIEF], archival=True)
    path = tmp_path / f"{BRIEF}.pdf"
    assert chart_forms(path) == 3 and placeholders_left(path) == 0
    with pikepdf.open(path) as pdf:
        figures = [node for node in structure(pdf.Root.StructTreeRoot) if node.get("/S") == "/Figure"]
        charted = [str(node.Alt) for node in figures if any(map(draws_a_chart, marked(node)))]
    assert len(charted) == 3 and all(len(alt) > 20 for alt in charted)  # the logo is no chart


def structure(node: pikepdf.Object) -> list[pikepdf.Object]:
    """Every structure element below ``node``."""
    kids = node.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    found = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *structure(kid)]
    return found


def marked(figure: pikepdf.Object) -> list[pikepdf.Object]:
    """The XObjects a Figure's marked content draws on its page."""
    kids = figure.K if isinstance(figure.K, pikepdf.Array) else [figure.K]
    ids = {int(kid) if isinstance(kid, int) else int(kid.MCID) for kid in kids}
    page = pikepdf.Page(figure.Pg)
    drawn, depth, inside = [], 0, False
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) in ("BDC", "BMC"):
            depth += 1
            properties = operands[1] if str(operator) == "BDC" and len(operands) > 1 else None
            if not inside and isinstance(properties, pikepdf.Dictionary) and properties.get("/MCID") in ids:
                inside, level = True, depth
        elif str(operator) == "EMC":
            if inside and depth == level:
                inside = False
            depth -= 1
        elif inside and str(operator) == "Do":
            drawn.append(page.Resources.XObject[operands[0]])
    return drawn


def draws_a_chart(xobject: pikepdf.Object) -> bool:
    """Whether the form is a placed chart (mapped onto a unit square) or holds one."""
    if xobject.get("/Subtype") != "/Form":
        return False
    width = float(xobject.BBox[2]) - float(xobject.BBox[0])
    if "/Matrix" in xobject and float(xobject.Matrix[0]) == pytest.approx(1 / width):
        return True
    inner = xobject.get("/Resources", {}).get("/XObject", {})
    return any(draws_a_chart(child) for child in inner.values())
