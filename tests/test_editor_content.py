"""Content a real editor writes: unknown figures, dates as precise as they are known, a
publication's own prose and sections in the place it chooses, sub-sectors named only, and the
YAML traps of ``NO``, ``077`` and ``1,020``."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from briefgen.build import build, prepare
from briefgen.dates import PartialDate
from briefgen.load import load_document
from briefgen.render import number, rate
from conftest import BRIEF, body_text, pdf_text
from mutations import Replace, Set

BRIEF_FILE = f"publications/{BRIEF}.yaml"
COMMENTARY = "asean-smart-cities-5g-geopolitics"
POLICY = "policies/malaysia-5g.yaml"


def html_of(content: Path, tmp_path: Path, id: str = BRIEF) -> lxml.html.HtmlElement:
    """The rendered document both writers read, parsed."""
    return lxml.html.document_fromstring(prepare(content, tmp_path, only=[id])[0].rendered.html)


def apply(content: Path, *mutations: object) -> None:
    for mutation in mutations:
        mutation.apply(content)  # type: ignore[attr-defined]


def append(content: Path, file: str, text: str) -> None:
    path = content / file
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def trade_cells(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    table = root.get_element_by_id("table-trade")
    rows = [[cell.text_content().strip() for cell in tr] for tr in table.iter("tr")]
    return {row[0]: row[1:] for row in rows}


# --- figures nobody knows --------------------------------------------------------------------


def test_an_unknown_figure_prints_as_n_a_and_leaves_its_derived_market_size_unknown(
    content: Path, tmp_path: Path
) -> None:
    apply(content, Replace(BRIEF_FILE, "total_exports: {2016: 420,", "total_exports: {2016: n/a,"))
    cells = trade_cells(html_of(content, tmp_path))
    assert cells["Total Exports"][0] == "n/a"
    assert cells["Total Market Size (derived)"][0] == "n/a"
    assert cells["Total Market Size (derived)"][1] == "2,235"  # 1610 − 465 + 1090: the others stay
    note = html_of(content, tmp_path).get_element_by_id("table-trade").getnext().text_content()
    assert "n/a = not available; a year's market size is not derived when one of its terms" in note


def test_null_is_unknown_too_and_a_publisher_may_choose_its_mark(content: Path, tmp_path: Path) -> None:
    apply(
        content,
        Replace(BRIEF_FILE, "imports_from_us: {2016: 210,", "imports_from_us: {2016: null,"),
        Replace("publishers/us-commercial-service.yaml", "series:", 'unknown_mark: "–"\nseries:'),
    )
    assert trade_cells(html_of(content, tmp_path))["Imports from the U.S."][0] == "–"


def test_an_unknown_figure_reads_the_same_in_the_pdf_and_the_docx(content: Path, tmp_path: Path) -> None:
    from test_seed_coverage import docx_text

    apply(content, Replace(BRIEF_FILE, "total_exports: {2016: 420,", "total_exports: {2016: n/a,"))
    build(content, tmp_path, only=[BRIEF])
    for text in (body_text(pdf_text(tmp_path / f"{BRIEF}.pdf")), docx_text(tmp_path / f"{BRIEF}.docx")):
        assert "Total Exports n/a 465" in " ".join(text.split()) or "Total Exportsn/a465" in text.replace(
            " ", ""
        ).replace("\n", "")
        assert "n/a = not available" in " ".join(text.split())


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (23160.0, "23,160"),
        (4.15, "4.15"),
        (32.456, "32.5"),
        (0.7423, "0.742"),
        (1356.2, "1,356"),
        (None, "n/a"),
    ],
)
def test_an_exchange_rate_has_the_decimals_its_size_needs(value: float | None, printed: str) -> None:
    assert rate(value) == printed


@pytest.mark.parametrize(
    ("value", "printed"), [(1020.0, "1,020"), (2330.4, "2,330"), (None, "n/a"), (0.0, "0")]
)
def test_figures_have_thousands_separators(value: float | None, printed: str) -> None:
    assert number(value) == printed


# --- dates as precise as they are known ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "day_month", "month_day"),
    [
        (2025, "2025", "2025"),
        ("2025-06", "June 2025", "June 2025"),
        ("2025-06-30", "30 June 2025", "June 30, 2025"),
    ],
)
def test_a_date_prints_at_the_precision_it_is_written(
    written: object, day_month: str, month_day: str
) -> None:
    date = PartialDate.parse(written)
    assert (date.format(), date.format("month-day")) == (day_month, month_day)


def test_milestones_may_be_a_year_a_month_or_a_day_and_any_may_be_a_target(
    content: Path, tmp_path: Path
) -> None:
    apply(
        content,
        Replace(
            POLICY,
            "milestones:\n",
            "milestones:\n"
            "  - {date: 2027, title: Nationwide coverage, expected: true}\n"
            "  - {date: 2026-03, title: Spectrum review, expected: true}\n"
            "  - {date: 2026-01-15, title: Consultation closes, expected: true}\n",
        ),
    )
    items = [li.text_content() for li in html_of(content, tmp_path).iter("li")]
    assert "2027 (target) – Nationwide coverage" in items
    assert "March 2026 (target) – Spectrum review" in items
    assert "15 January 2026 (target) – Consultation closes" in items


def test_a_publication_dated_to_the_month_says_only_the_month(content: Path, tmp_path: Path) -> None:
    apply(content, Set(BRIEF_FILE, "published", "2020-08"))
    dateline = html_of(content, tmp_path).find_class("dateline")[0].text_content()
    assert dateline == "Last published date: August 2020"


# --- a publication's own prose, and sections where it wants them -----------------------------


def test_a_brief_has_its_own_overview_or_else_the_sectors(content: Path, tmp_path: Path) -> None:
    sector_words = "smart cities"
    overview = (
        html_of(content, tmp_path).xpath("//h2[.='Overview']/following-sibling::p[1]")[0].text_content()
    )
    assert sector_words in overview.lower()
    apply(
        content,
        Replace(
            BRIEF_FILE, "summary:", "overview: Malaysia's own overview, written for this brief.\nsummary:"
        ),
    )
    overview = (
        html_of(content, tmp_path).xpath("//h2[.='Overview']/following-sibling::p[1]")[0].text_content()
    )
    assert overview == "Malaysia’s own overview, written for this brief."


def test_free_sections_come_after_the_part_they_name_or_at_the_end(content: Path, tmp_path: Path) -> None:
    append(
        content,
        BRIEF_FILE,
        "sections:\n"
        "  - {heading: Market Entry, after: overview, body: Partner with a local integrator.}\n"
        "  - {heading: Outlook, body: Growth continues.}\n",
    )
    headings = [h.text_content() for h in html_of(content, tmp_path).iter("h2")]
    assert headings.index("Market Entry") == headings.index("Overview") + 1
    assert headings[-3:] == [
        "Web Resources",
        "Outlook",
        "About the Publisher",
    ]  # the end: before the boilerplate


def test_a_commentary_takes_free_sections_too(content: Path, tmp_path: Path) -> None:
    append(
        content,
        f"publications/{COMMENTARY}.yaml",
        "sections:\n  - {heading: Further Reading, body: See the ASCN site.}\n",
    )
    headings = [h.text_content() for h in html_of(content, tmp_path, COMMENTARY).iter("h2")]
    assert headings[-1] == "Further Reading"


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (
            "{heading: Entry, after: overveiw, body: x}",
            "'overveiw' to follow — did you mean 'overview'?",
        ),
        (
            "{heading: Entry}",
            "'sections.0': a section needs a body, a table or a chart: a heading alone says nothing",
        ),
    ],
)
def test_a_free_section_must_say_something_and_follow_a_real_part(
    problems_after, section: str, expected: str
) -> None:
    class Append:
        def apply(self, root: Path) -> None:
            append(root, BRIEF_FILE, f"sections:\n  - {section}\n")

    found = problems_after(Append())
    assert len(found) == 1 and expected in found[0], found


def test_a_sub_sector_named_only_is_listed_not_a_bare_heading(content: Path, tmp_path: Path) -> None:
    apply(
        content,
        Replace(BRIEF_FILE, "leading_subsectors:\n", "leading_subsectors:\n  - heading: Smart Parking\n"),
    )
    root = html_of(content, tmp_path)
    assert "Smart Parking" not in [h.text_content() for h in root.iter("h3")]
    assert "Smart Parking" in [li.text_content() for li in root.iter("li")]
    assert any(p.text_content() == "Other leading sub-sectors are:" for p in root.find_class("lead-in"))


# --- YAML as an editor means it --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iso: NO\n", {"iso": "NO"}),  # Norway, not false
        ("answer: yes\n", {"answer": "yes"}),
        ("number: 077\n", {"number": "077"}),  # a series number, not octal 63
        ("time: 1:20\n", {"time": "1:20"}),  # not sexagesimal 80
        ("big: 1e6\n", {"big": 1e6}),
        ("flag: true\n", {"flag": True}),
        ("row: {2025: 1020, 2026: 1100}\n", {"row": {2025: 1020, 2026: 1100}}),
    ],
)
def test_plain_values_read_as_yaml_1_2_reads_them(tmp_path: Path, text: str, expected: dict) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_document(path).data == expected


def test_a_thousands_comma_inside_braces_gets_a_hint(problems_after) -> None:
    found = problems_after(Replace(BRIEF_FILE, "total_exports: {2016: 420,", "total_exports: {2016: 1,420,"))
    assert found == [
        f"content/{BRIEF_FILE}:52: '2016: 1,420' reads as two entries, because a comma separates entries"
        " in { } — write 1420 without the comma"
    ]


def test_a_series_number_written_with_a_leading_zero_keeps_it(content: Path, tmp_path: Path) -> None:
    apply(content, Set(f"publications/{COMMENTARY}.yaml", "number", "077"))
    series = html_of(content, tmp_path, COMMENTARY).find_class("series")[0].text_content()
    assert "No. 077 –" in series


# --- honest samples --------------------------------------------------------------------------


def test_illustrative_figures_cannot_be_published_as_final(problems_after) -> None:
    found = problems_after(Set(BRIEF_FILE, "status", "final"))
    assert found == [
        f"content/{BRIEF_FILE}:3: a final publication cannot carry illustrative trade figures"
        " — set `status: draft` (every page then says so), or give sourced figures and remove"
        " `illustrative: true`"
    ]


def test_every_sample_with_illustrative_figures_is_a_draft() -> None:
    from briefgen.validate import validate_content
    from conftest import CONTENT

    for id, record in validate_content(CONTENT).publications.items():
        data = getattr(record.model, "trade_data", None)
        if data is not None and data.illustrative:
            assert record.model.status == "draft", id
