"""Tables and charts declared in content from CSV files: printed with their numbers as editors
expect them, numbered and cross-referenced like the built-in ones, in both formats; and each
mistake in a file, or in how a publication uses it, is one located error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
import lxml.html
import pytest

from briefgen import csvdata
from briefgen.build import build, prepare
from conftest import BRIEF, body_text, pdf_text
from mutations import Write

BRIEF_FILE = f"publications/{BRIEF}.yaml"
SHOWN = f"content/{BRIEF_FILE}"  # as errors print it (the tests run in the content's parent)
BUDGETS = """City,Budget (USD thousands),Projects,Year started
Kuala Lumpur,12500,14,2017
Johor Bahru,8250.5,9,2018
Kota Kinabalu,n/a,3,2019
Kuching,1200,,2019
"""
SECTION = """
sections:
  - heading: City Budgets
    after: trade-data
    body: The four pilot cities' budgets are in [](#table-city-budgets) and [](#figure-city-budgets).
    table:
      csv: data/city-budgets.csv
      caption: Smart city budgets of Malaysia's pilot cities
      note: "Source: the cities' published budgets."
    chart:
      type: bar
      csv: data/city-budgets.csv
      x: City
      y: [Budget (USD thousands)]
      unit: USD thousands
      caption: Smart city budgets by city
      alt: >-
        Bar chart of the smart city budgets of four Malaysian pilot cities; Kota Kinabalu's is
        not available.
"""


@dataclass(frozen=True)
class Append:
    """Add text at the end of a file."""

    file: str
    text: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        path.write_text(path.read_text(encoding="utf-8") + self.text, encoding="utf-8")


def declare(content: Path, csv: str = BUDGETS, section: str = SECTION) -> None:
    Write("data/city-budgets.csv", csv).apply(content)
    Append(BRIEF_FILE, section).apply(content)


def rendered(content: Path, tmp_path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(prepare(content, tmp_path, only=[BRIEF])[0].rendered.html)


def line_of(content: Path, text: str, file: str = BRIEF_FILE) -> int:
    """The line of a publication file that holds ``text`` (its last such line)."""
    lines = (content / file).read_text(encoding="utf-8").splitlines()
    return max(i for i, line in enumerate(lines, start=1) if text in line)


# --- the table in the rendered document ------------------------------------------------------


def test_a_declared_table_has_a_numbered_caption_a_header_row_and_its_note(
    content: Path, tmp_path: Path
) -> None:
    declare(content)
    table = rendered(content, tmp_path).get_element_by_id("table-city-budgets")
    caption = " ".join(table.find("caption").text_content().split())
    assert caption == "Table 4. Smart city budgets of Malaysia's pilot cities"  # after the trade table
    assert [th.text_content() for th in table.iter("th")] == [
        "City",
        "Budget (USD thousands)",
        "Projects",
        "Year started",
    ]
    assert table.getnext().get("class") == "note"
    assert table.getnext().text_content() == "Source: the cities’ published budgets."


def test_numbers_are_right_aligned_with_thousands_separators_and_unknown_cells_read_n_a(
    content: Path, tmp_path: Path
) -> None:
    declare(content)
    table = rendered(content, tmp_path).get_element_by_id("table-city-budgets")
    rows = [[(td.text_content(), td.get("class")) for td in tr.iter("td")] for tr in table.iter("tr")][1:]
    assert rows[0] == [("Kuala Lumpur", None), ("12,500.0", "number"), ("14", "number"), ("2017", None)]
    assert rows[1][1] == ("8,250.5", "number")  # a column keeps the decimals its data has
    assert rows[2][1] == ("n/a", "number")
    assert rows[3][2] == ("n/a", "number")  # an empty cell is a value nobody knows


def test_a_publishers_unknown_mark_may_replace_n_a(tmp_path: Path) -> None:
    from briefgen.render import environment

    table = csvdata.DataTable(
        "data/x.csv",
        (csvdata.Column("City", False), csvdata.Column("Budget", True)),
        (("Hanoi", "n/a"),),
        (2,),
    )
    macros = environment("market-brief").get_template("macros.html.j2").module
    html = str(macros.declared_table({"csv": table, "caption": "Budgets", "note": None}, 1, "–"))
    assert '<td class="number">–</td>' in html
    assert '<table id="table-x">' in html


def test_a_cross_reference_to_a_declared_table_or_chart_reads_its_label(
    content: Path, tmp_path: Path
) -> None:
    declare(content)
    body = rendered(content, tmp_path).get_element_by_id("city-budgets").getnext()
    assert body.text_content() == "The four pilot cities’ budgets are in Table 4 and Figure 4."


def test_the_csv_file_is_an_input_of_the_publication(content: Path, tmp_path: Path) -> None:
    declare(content)
    (job,) = prepare(content, tmp_path, only=[BRIEF])
    assert content / "data/city-budgets.csv" in job.inputs


# --- both formats ------------------------------------------------------------------------------


def test_a_declared_table_and_chart_build_to_pdf_and_docx(content: Path, tmp_path: Path) -> None:
    declare(content)
    build(content, tmp_path, only=[BRIEF])
    text = body_text(pdf_text(tmp_path / f"{BRIEF}.pdf"))
    assert "Table 4. Smart city budgets of Malaysia's pilot cities" in text
    assert "Kuala Lumpur 12,500.0 14 2017" in text
    assert "Figure 4. Smart city budgets by city" in text
    document = docx.Document(str(tmp_path / f"{BRIEF}.docx"))
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Johor Bahru", "8,250.5", "9", "2018"] in cells
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert any(alt.startswith("Bar chart of the smart city budgets") for alt in alts)


# --- mistakes, each one located line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("csv", "error"),
    [
        (
            "City,Budget\nHanoi,1\nHue,2,3\n",
            "content/data/city-budgets.csv:3: the row has 3 cell(s), but the first row names 2 column(s)"
            " — give every row one cell per column (an empty cell is written ,,)",
        ),
        (
            "City,Budget\nHanoi,12\nHue,abc\n",
            "content/data/city-budgets.csv:3:2: 'abc' in column 2 ('Budget') is not a number"
            " — write a number (1240, 1,240.5 or -3), or n/a for a value nobody knows",
        ),
        (
            "",
            "content/data/city-budgets.csv: the CSV file is empty — write the column names on the first line",
        ),
        (
            "City,Budget\n",
            "content/data/city-budgets.csv:1: the CSV file has column names but no rows"
            " — add rows below them",
        ),
        (
            "City,City\nHanoi,1\n",
            "content/data/city-budgets.csv:1: columns 1 and 2 are both named 'City' — name each once",
        ),
        (
            'City,Budget\nHanoi,1\n"Hue,2\n',
            "content/data/city-budgets.csv:3: the line is not valid CSV (unexpected end of data)"
            ' — quote a cell that holds a comma or a quote mark: "Hanoi, Viet Nam", with "" for a quote',
        ),
        (
            "City,Budget\nHanoi,1\nH\x01ue,2\n",
            "content/data/city-budgets.csv:3:1: column 1 holds a control character — delete it",
        ),
        (
            "City,Budget\n" + "Hanoi,1\n" * 501,
            "content/data/city-budgets.csv:502: the file has more than 500 rows — split or summarise it",
        ),
    ],
    ids=[
        "ragged-row",
        "not-a-number",
        "empty",
        "header-only",
        "duplicate-name",
        "open-quote",
        "control",
        "rows",
    ],
)
def test_a_mistake_in_a_csv_file_is_one_error_at_its_line(problems_after, csv: str, error: str) -> None:
    chart = SECTION.replace("y: [Budget (USD thousands)]", "y: [Budget]")
    assert problems_after(Write("data/city-budgets.csv", csv), Append(BRIEF_FILE, chart)) == [error]


def test_a_file_that_is_not_utf_8_is_an_error_at_the_line_of_its_first_bad_byte(problems_after) -> None:
    from mutations import WriteBytes

    data = "City,Budget\nHanoi,1\nHu\xe9,2\n".encode("latin-1")
    found = problems_after(WriteBytes("data/city-budgets.csv", data), Append(BRIEF_FILE, SECTION))
    assert found == [
        "content/data/city-budgets.csv:3: the file is not UTF-8 text (byte 0xe9) — save it as CSV UTF-8"
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "error"),
    [
        (
            "x: City",
            "x: Citty",
            "x: Citty",
            "'data/city-budgets.csv' has no column 'Citty' — did you mean 'City'?",
        ),
        (
            "y: [Budget (USD thousands)]",
            "y: [Budget]",
            "y: [Budget]",
            "'data/city-budgets.csv' has no column 'Budget' — did you mean 'Budget (USD thousands)'?",
        ),
        (
            "      csv: data/city-budgets.csv\n      caption: Smart",
            "      csv: data/missing.csv\n      caption: Smart",
            "csv: data/missing.csv",
            "data file 'data/missing.csv' does not exist"
            " — add the file content/data/missing.csv or correct the name",
        ),
        (
            "      csv: data/city-budgets.csv\n      caption: Smart",
            "      csv: ../outside.csv\n      caption: Smart",
            "csv: ../outside.csv",
            "data file '../outside.csv' is not a file inside the content folder"
            " — copy it into content/data/ and write data/NAME.csv",
        ),
        (
            "      csv: data/city-budgets.csv\n      caption: Smart",
            "      csv: https://example.org/x.csv\n      caption: Smart",
            "csv: https://example.org/x.csv",
            "data file 'https://example.org/x.csv' is not a file inside the content folder"
            " — copy it into content/data/ and write data/NAME.csv",
        ),
        (
            "      csv: data/city-budgets.csv\n      caption: Smart",
            "      csv: data/city-budgets.xlsx\n      caption: Smart",
            "csv: data/city-budgets.xlsx",
            "data file 'data/city-budgets.xlsx' is not a .csv file"
            " — save the data as CSV UTF-8 and name it .csv",
        ),
    ],
    ids=["unknown-x", "unknown-y", "missing", "outside", "a-url", "not-csv"],
)
def test_a_mistake_in_how_a_publication_uses_a_file_is_an_error_at_its_line(
    problems_after, old: str, new: str, field: str, error: str
) -> None:
    section = SECTION.replace(old, new)
    assert section != SECTION
    found = problems_after(Write("data/city-budgets.csv", BUDGETS), Append(BRIEF_FILE, section))
    line = line_of(Path("content"), field)
    assert found == [f"{SHOWN}:{line}: {error}"]


def test_a_table_wider_than_a_page_is_an_error_at_the_line_naming_its_file(problems_after) -> None:
    wide = ",".join(f"C{i}" for i in range(9)) + "\n" + ",".join("1" * 9) + "\n"
    found = problems_after(
        Write("data/city-budgets.csv", wide), Append(BRIEF_FILE, SECTION.split("    chart:")[0])
    )
    line = line_of(Path("content"), "csv: data/city-budgets.csv")
    assert found == [
        f"{SHOWN}:{line}: the table from 'data/city-budgets.csv' has 9 columns, over the limit of 8"
        " — keep at most 8 columns in the file (what fits across a page)"
    ]


def test_two_tables_from_one_file_would_share_an_id_and_are_an_error(problems_after) -> None:
    second = SECTION.replace("City Budgets", "Budgets Again").replace("sections:\n", "")
    found = problems_after(Write("data/city-budgets.csv", BUDGETS), Append(BRIEF_FILE, SECTION + second))
    assert len(found) == 2  # the table and the chart
    assert "would take the id 'table-city-budgets'" in found[0]
    assert "would take the id 'figure-city-budgets'" in found[1]


def test_only_the_first_few_bad_cells_of_a_column_are_listed(problems_after) -> None:
    rows = "".join(f"City {i},many\n" for i in range(20))
    chart = SECTION.replace("y: [Budget (USD thousands)]", "y: [Budget]")
    found = problems_after(Write("data/city-budgets.csv", "City,Budget\n" + rows), Append(BRIEF_FILE, chart))
    assert len(found) == 6
    assert found[-1] == (
        "content/data/city-budgets.csv:7: 15 more cells in column 2 ('Budget') are not numbers"
        " — check that 'Budget' is the column to chart"
    )


# --- reading numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1240", 1240.0),
        ("1,240.5", 1240.5),
        ("-3", -3.0),
        ("1e6", 1e6),
        ("n/a", None),
        ("", None),
        ("N/A", None),
    ],
)
def test_a_cell_is_a_number_as_editors_write_one_or_unknown(cell: str, value: float | None) -> None:
    assert csvdata.number(cell) == value


@pytest.mark.parametrize("cell", ["abc", "12%", "1,24", "nan", "inf", "1.2.3", "$5"])
def test_anything_else_is_not_a_number(cell: str) -> None:
    with pytest.raises(ValueError):
        csvdata.number(cell)


@dataclass(frozen=True)
class Link:
    """Make ``file`` a symbolic link to ``target``."""

    file: str
    target: str

    def apply(self, root: Path) -> None:
        (root / self.file).symlink_to(self.target)


@dataclass(frozen=True)
class Fifo:
    """Make ``file`` a named pipe: a plain open() of it would wait for a writer forever."""

    file: str

    def apply(self, root: Path) -> None:
        import os

        os.mkfifo(root / self.file)


@pytest.mark.parametrize(
    ("mutation", "error"),
    [
        (
            Link("data/city-budgets.csv", "/etc/hostname"),
            "is outside the content folder — copy it into content/data/",
        ),
        (
            Link("data/city-budgets.csv", "/dev/zero"),
            "is outside the content folder — copy it into content/data/",
        ),
        (
            Fifo("data/city-budgets.csv"),
            "is a named pipe (FIFO), not a regular file — replace it with a file",
        ),
        (
            Write("data/city-budgets.csv", "City,Budget\n" + "Hanoi,1\n" * 150_000),
            "is 1,200,012 bytes, over the 1 MiB limit — make it smaller or split it",
        ),
    ],
    ids=["a-link-out", "a-device", "a-fifo", "too-large"],
)
def test_a_data_file_that_is_not_a_small_plain_file_in_the_content_folder_is_refused(
    problems_after, mutation: object, error: str
) -> None:
    table = SECTION.split("    chart:")[0]
    found = problems_after(mutation, Append(BRIEF_FILE, table))
    line = line_of(Path("content"), "csv: data/city-budgets.csv")
    assert found == [f"{SHOWN}:{line}: data file 'data/city-budgets.csv' {error}"]
