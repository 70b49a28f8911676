"""Checks the tables and charts a publication declares against the CSV files they are drawn from.

A mistake in a file is reported at the CSV's own line (a cell that is no number, a ragged row);
a mistake in how a publication uses it (a chart's column the file does not have, a table too
wide for a page) at the publication's line.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .csvdata import NUMBER_HINT, DataTable, is_number, is_unknown, path_problems, read
from .errors import BriefgenError, Collector
from .fields import walk
from .library import Record
from .load import Loc
from .markdown import MAX_TABLE_COLUMNS
from .model import DataFile, DeclaredChart, DeclaredTable

MAX_BAD_CELLS = 5  # per column: a wrong column names its first few mistakes, then counts the rest


def check(record: Record, root: Path, errors: Collector) -> None:
    """Every CSV file a record names: a file inside the content folder, readable as a table, and
    holding what its table or chart takes from it."""
    ids: dict[str, str] = {}  # table-x and figure-x, each from one file
    for loc, value, meta in walk(record.model):
        if not any(isinstance(m, DataFile) for m in meta):
            continue
        line = record.doc.line(loc)
        where = path_problems(value, root)
        for message, hint in where:
            errors.add(record.doc.path, line, message, hint)
        if where:
            continue
        try:
            table, problems = read(root / value, value)
        except BriefgenError as exc:  # not a regular file, too large, unreadable
            problem = exc.problems[0]
            message = problem.message.removeprefix("the data file ")
            errors.add(record.doc.path, line, f"data file {value!r} {message}", problem.hint)
            continue
        errors.problems.extend(problems)
        if table is not None:
            use = _Use(record, root / value, loc[:-1], errors)
            use.check(_at(record.model, loc[:-1]), table, ids)


def _at(model: BaseModel, loc: Loc) -> Any:
    found: Any = model
    for part in loc:
        found = found[part] if isinstance(part, int) else getattr(found, part)
    return found


class _Use:
    """What a table or chart asks of its file that the file does not have."""

    def __init__(self, record: Record, path: Path, loc: Loc, errors: Collector) -> None:
        self.record, self.path, self.loc, self.errors = record, path, loc, errors

    def yaml(self, field: Loc, message: str, hint: str) -> None:
        self.errors.add(self.record.doc.path, self.record.doc.line((*self.loc, *field)), message, hint)

    def check(self, owner: Any, table: DataTable, ids: dict[str, str]) -> None:
        kinds: dict[type, str] = {DeclaredTable: "table", DeclaredChart: "figure"}
        kind = kinds.get(type(owner))
        if kind is None:
            return
        name = f"{kind}-{table.id}"
        if name in ids:
            self.yaml(
                ("csv",),
                f"a second {'table' if kind == 'table' else 'chart'} from {table.source!r} would take the id"
                f" '{name}' of the one from {ids[name]!r}",
                "show a file at most once as a table and once as a chart, or copy it under another name",
            )
        ids.setdefault(name, table.source)
        if isinstance(owner, DeclaredTable) and len(table.columns) > MAX_TABLE_COLUMNS:
            self.yaml(
                ("csv",),
                f"the table from {table.source!r} has {len(table.columns)} columns, over the limit of"
                f" {MAX_TABLE_COLUMNS}",
                f"keep at most {MAX_TABLE_COLUMNS} columns in the file (what fits across a page)",
            )
        if isinstance(owner, DeclaredChart):
            self.chart(owner, table)

    def chart(self, chart: DeclaredChart, table: DataTable) -> None:
        names = table.names
        for field, name in [(("x",), chart.x), *((("y", i), y) for i, y in enumerate(chart.y))]:
            if name not in names:
                close = difflib.get_close_matches(name, names, n=3, cutoff=0.6) or [
                    n
                    for n in names
                    if n.lower().startswith(name.lower())  # "Budget (USD thousands)"
                ]
                self.yaml(
                    field,
                    f"{table.source!r} has no column {name!r}",
                    f"did you mean {' or '.join(repr(c) for c in close)}?"
                    if close
                    else f"use one of: {', '.join(repr(n) for n in names)}",
                )
        for i, name in enumerate(chart.y):
            if name in names:
                self.numbers(table, name, i)

    def numbers(self, table: DataTable, name: str, i: int) -> None:
        """A charted column holds numbers: each cell that does not is an error at its CSV line."""
        column = table.names.index(name) + 1
        cells = table.texts(name)
        bad = [(line, cell) for line, cell in zip(table.lines, cells, strict=True) if not is_number(cell)]
        for line, cell in bad[:MAX_BAD_CELLS]:
            self.errors.add(
                self.path,
                line,
                f"{cell!r} in column {column} ({name!r}) is not a number",
                NUMBER_HINT,
                column,
            )
        if len(bad) > MAX_BAD_CELLS:
            self.errors.add(
                self.path,
                bad[MAX_BAD_CELLS][0],
                f"{len(bad) - MAX_BAD_CELLS} more cells in column {column} ({name!r}) are not numbers",
                f"check that {name!r} is the column to chart",
            )
        if not bad and all(is_unknown(cell) for cell in cells):
            self.yaml(
                ("y", i), f"column {name!r} of {table.source!r} has no value to draw", "give it numbers"
            )
