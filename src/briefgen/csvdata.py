"""Reads the CSV files content declares tables and charts from into tables of cells.

A CSV's first row names its columns; each further row is a row of the table. A file is read
like any content file (regular files only, size-capped, UTF-8 with or without a BOM) and each
mistake in it is a problem at its own line (see declared.py for how publications use them).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BriefgenError, Problem
from .files import read_bytes
from .load import UNPRINTABLE
from .markdown import slug
from .model import UNKNOWN

MAX_CSV_BYTES = 1 << 20
MAX_ROWS = 500  # a table of 500 rows is already 12 pages; a chart of 500 bars is a grey band
MAX_CELL_CHARS = 500  # as a one-line field
MAX_NAME_CHARS = 200  # as a prose table's header cell: a header row repeats on every page
MAX_MAGNITUDE = 1e15
# A number as editors write one: 1240, -3.5, 1,240.75 (commas between groups of three), 1e6.
NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?|\.(\d+))(?:[eE][+-]?\d+)?")
NUMBER_HINT = "write a number (1240, 1,240.5 or -3), or n/a for a value nobody knows"
# A column of years ("Year", "Fiscal year") prints as written: 2019, not 2,019.
YEARS = re.compile(r"\byears?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    """A column as a table prints it: numbers right-aligned, with the decimals the data has."""

    name: str
    numeric: bool
    decimals: int = 0


@dataclass(frozen=True)
class DataTable:
    """A CSV file's columns and cells (as written, trimmed), and the line each row starts on."""

    source: str  # as the content names it: data/vietnam-5g.csv
    columns: tuple[Column, ...]
    cells: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]

    @property
    def id(self) -> str:
        """What the file's table and chart are called in the document: ``table-<id>``."""
        return slug(Path(self.source).stem)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def rows(self) -> list[list[str | float | None]]:
        """Each row with numeric columns as numbers (None: nobody knows) and the rest as text."""
        return [
            [number(cell) if column.numeric else cell for column, cell in zip(self.columns, row, strict=True)]
            for row in self.cells
        ]

    def texts(self, name: str) -> list[str]:
        i = self.names.index(name)
        return [row[i] for row in self.cells]

    def numbers(self, name: str) -> list[float | None]:
        """A column's values; validation has checked that each is a number or unknown."""
        return [number(cell) for cell in self.texts(name)]


def number(text: str) -> float | None:
    """The value of a cell (None for a value nobody knows); ValueError if it is no number."""
    if is_unknown(text):
        return None
    if NUMBER.fullmatch(text) is None:
        raise ValueError(text)
    value = float(text.replace(",", ""))
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise ValueError(text)
    return value


def is_unknown(text: str) -> bool:
    return text.strip().lower() in UNKNOWN


def decimals(text: str) -> int:
    match = NUMBER.fullmatch(text)
    fraction = (match.group(1) or match.group(2) or "") if match else ""
    return min(len(fraction), 6)


# --- reading ------------------------------------------------------------------------------------


def load(path: Path, source: str) -> DataTable:
    """The table in the CSV file at ``path``; its problems as one error (validation reports them
    before anything is rendered, so this fails only if the file changed since)."""
    table, problems = read(path, source)
    if problems or table is None:
        raise BriefgenError(problems)
    return table


def read(path: Path, source: str) -> tuple[DataTable | None, list[Problem]]:
    """The table in a CSV file and the problems of its text, each at its line."""
    data = read_bytes(path, MAX_CSV_BYTES, "data file")
    reader = _Reader(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reader.problem(
            line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})", "save it as CSV UTF-8"
        )
        return None, reader.problems
    rows, lines = reader.rows(text)
    if not rows:
        if not reader.problems:  # not one line could be read: that problem is the one to report
            reader.problem(None, "the CSV file is empty", "write the column names on the first line")
        return None, reader.problems
    header, body, starts = rows[0], rows[1:], lines[1:]
    reader.header(header, lines[0])
    for row, line in zip(body, starts, strict=True):
        if len(row) != len(header):
            reader.problem(
                line,
                f"the row has {len(row)} cell(s), but the first row names {len(header)} column(s)",
                "give every row one cell per column (an empty cell is written ,,)",
            )
    if not body:
        reader.problem(lines[0], "the CSV file has column names but no rows", "add rows below them")
    if reader.problems:
        return None, reader.problems
    columns = tuple(_column(i, name, [row[i] for row in body]) for i, name in enumerate(header))
    return DataTable(source, columns, tuple(tuple(row) for row in body), tuple(starts)), []


class _Reader:
    """Reads a CSV text into trimmed rows, noting each problem at its line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int | None, message: str, hint: str, column: int | None = None) -> None:
        self.problems.append(Problem(self.path, line, message, hint, column))

    def rows(self, text: str) -> tuple[list[list[str]], list[int]]:
        """The rows that are not blank, with the line each starts on (a quoted cell may span lines)."""
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows: list[list[str]] = []
        lines: list[int] = []
        while len(rows) <= MAX_ROWS:  # the header and MAX_ROWS rows
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return rows, lines
            except csv.Error as exc:
                self.problem(reader.line_num, f"the line is not valid CSV ({exc})", _QUOTING)
                return rows, lines
            if any(cell.strip() for cell in row):  # a blank line separates nothing in a table
                rows.append([self.cell(cell, column, start) for column, cell in enumerate(row, start=1)])
                lines.append(start)
        if next(reader, None) is not None:
            self.problem(reader.line_num, f"the file has more than {MAX_ROWS} rows", "split or summarise it")
        return rows, lines

    def cell(self, text: str, column: int, line: int) -> str:
        """A cell on one line, trimmed; one that neither a PDF nor Word can hold is a problem."""
        if UNPRINTABLE.search(text):
            self.problem(line, f"column {column} holds a control character", "delete it", column)
        elif len(text) > MAX_CELL_CHARS:
            self.problem(
                line,
                f"column {column} is {len(text):,} characters long, over the limit of {MAX_CELL_CHARS}",
                "shorten it; a cell holds a value, not a paragraph",
                column,
            )
        return " ".join(text.split())

    def header(self, names: list[str], line: int) -> None:
        seen: dict[str, int] = {}
        for i, name in enumerate(names, start=1):
            if not name:
                self.problem(line, f"column {i} has no name", "name every column in the first row")
            elif len(name) > MAX_NAME_CHARS:
                self.problem(
                    line,
                    f"the name of column {i} is over {MAX_NAME_CHARS} characters long",
                    "shorten it; say more in the caption or the note",
                )
            elif name in seen:
                self.problem(line, f"columns {seen[name]} and {i} are both named {name!r}", "name each once")
            seen.setdefault(name, i)


_QUOTING = 'quote a cell that holds a comma or a quote mark: "Hanoi, Viet Nam", with "" for a quote'


def _column(index: int, name: str, cells: list[str]) -> Column:
    """The first column labels the rows and a column of years is years: both print as written.
    Any other column whose every cell is a number (or unknown) prints as numbers."""
    known = [cell for cell in cells if not is_unknown(cell)]
    if index == 0 or YEARS.search(name) or not known or not all(is_number(c) for c in known):
        return Column(name, numeric=False)
    return Column(name, numeric=True, decimals=max(decimals(c) for c in known))


def is_number(text: str) -> bool:
    try:
        number(text)
    except ValueError:
        return False
    return True


def path_problems(src: str, root: Path) -> list[tuple[str, str]]:
    """Why ``src`` may not be used as a data file: (message, what to do) pairs, none if it may."""
    if urlsplit(src).scheme or src.startswith(("/", "\\")) or ".." in Path(src).parts:
        return [
            (
                f"data file {src!r} is not a file inside the content folder",
                "copy it into content/data/ and write data/NAME.csv",
            )
        ]
    if Path(src).suffix.lower() != ".csv":
        return [(f"data file {src!r} is not a .csv file", "save the data as CSV UTF-8 and name it .csv")]
    path = root / src
    try:  # a link may lead out, or nowhere; a name may be more than the system takes
        inside = path.resolve().is_relative_to(root.resolve())
        exists = path.exists()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a link loop, on Python 3.11
        return [(f"data file {src!r} cannot be opened", "correct its name, or replace a link with the file")]
    if not inside:
        return [(f"data file {src!r} is outside the content folder", "copy it into content/data/")]
    if not exists:
        return [(f"data file {src!r} does not exist", f"add the file {path} or correct the name")]
    return []
