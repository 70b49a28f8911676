"""The Country Commercial Guide trade table: its rows, derived market size, and checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Collector
from .library import Record
from .model import TradeData

MONEY_ROWS = {
    "total_local_production": "Total Local Production",
    "total_exports": "Total Exports",
    "total_imports": "Total Imports",
    "imports_from_us": "Imports from the U.S.",
    "total_market_size": "Total Market Size",
}
ROUNDING = 1.0  # a given market size may differ from the derived one by this much (one unit)


@dataclass(frozen=True)
class TradeRow:
    key: str
    label: str
    values: list[float | None]  # None: not available (the content says n/a)
    derived: bool = False


@dataclass(frozen=True)
class TradeTable:
    """What the template and the chart show: one column per year, rows in CCG order."""

    unit: str
    years: list[int]
    estimates: set[int]
    rows: list[TradeRow]
    exchange_rate: list[float | None]
    illustrative: bool

    def row(self, key: str) -> TradeRow:
        return next(r for r in self.rows if r.key == key)

    @property
    def unknown(self) -> bool:
        """Whether any cell is not available (the table then says what n/a means)."""
        return any(v is None for row in self.rows for v in row.values) or None in self.exchange_rate

    @property
    def underived(self) -> bool:
        """Whether a derived market size is missing because one of its terms is unknown."""
        return any(row.derived and None in row.values for row in self.rows)


def market_size(data: TradeData, year: int) -> float | None:
    """Production − exports + imports; not available when any of the three is not."""
    terms = (data.total_local_production[year], data.total_exports[year], data.total_imports[year])
    if any(term is None for term in terms):
        return None
    production, exports, imports = terms
    return production - exports + imports  # type: ignore[operator]


def table(data: TradeData) -> TradeTable:
    """Build the table, deriving market size where the content does not give it."""
    years = list(data.total_local_production)
    rows = []
    for key, label in MONEY_ROWS.items():
        given = getattr(data, key)
        if key == "total_market_size" and given is None:
            rows.append(TradeRow(key, label, [market_size(data, y) for y in years], derived=True))
        else:
            rows.append(TradeRow(key, label, [given[y] for y in years]))
    return TradeTable(
        unit=data.unit,
        years=years,
        estimates=set(data.estimates),
        rows=rows,
        exchange_rate=[data.exchange_rate[y] for y in years],
        illustrative=data.illustrative,
    )


def check(record: Record, errors: Collector) -> None:
    """Add every inconsistency of a publication's trade table to ``errors``."""
    data: TradeData | None = getattr(record.model, "trade_data", None)
    if data is None:
        return
    doc = record.doc

    def problem(loc: tuple, message: str, hint: str) -> None:
        errors.add(doc.path, doc.line(("trade_data", *loc)), message, hint)

    if data.illustrative and record.model.status == "final":  # type: ignore[attr-defined]
        errors.add(
            doc.path,
            doc.line(("status",)) if "status" in doc.data else doc.line(("trade_data", "illustrative")),
            "a final publication cannot carry illustrative trade figures",
            "set `status: draft` (every page then says so), or give sourced figures and remove"
            " `illustrative: true`",
        )
    years = list(data.total_local_production)
    if years != sorted(years):
        problem(
            ("total_local_production",),
            f"years are not in ascending order ({_years(years)})",
            "list the years from oldest to newest",
        )
    series = {key: getattr(data, key) for key in [*MONEY_ROWS, "exchange_rate"]}
    for key, values in series.items():
        if values is not None and list(values) != years:
            problem(
                (key,),
                f"'{key}' has years {_years(values)} but total_local_production has {_years(years)}",
                "give every row the same years, in the same order",
            )
            return
    for year in data.estimates:
        if year not in years:
            problem(
                ("estimates",),
                f"estimate year {year} is not a column of the table",
                f"use one of {_years(years)}",
            )
    published = record.model.published.year  # type: ignore[attr-defined]  # every publication's
    unmarked = [y for y in years if y >= published and y not in data.estimates]
    if unmarked:
        problem(
            ("estimates",),
            f"{_years(unmarked)} cannot be final figures in a brief published in {published}",
            f"add {_years(unmarked)} to `estimates:`",
        )
    for year in years:
        us, imports = data.imports_from_us[year], data.total_imports[year]
        if us is not None and imports is not None and us > imports:
            problem(
                ("imports_from_us", year),
                f"imports from the U.S. in {year} ({data.imports_from_us[year]:g}) "
                f"exceed total imports ({data.total_imports[year]:g})",
                "check both figures",
            )
        if data.total_market_size is not None:
            derived = market_size(data, year)
            given = data.total_market_size[year]
            if given is not None and derived is not None and abs(given - derived) > ROUNDING:
                problem(
                    ("total_market_size", year),
                    f"market size {year} is {given:g} but production − exports + imports is {derived:g}",
                    "correct the figures, or remove total_market_size to have it derived",
                )


def _years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in years)
