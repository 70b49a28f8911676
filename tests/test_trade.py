"""The Country Commercial Guide trade table: rows in CCG order, market size derived when not given."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.model import TradeData
from briefgen.trade import market_size, table
from briefgen.validate import validate_content

CONTENT = Path(__file__).resolve().parents[1] / "content"
CCG_ORDER = [
    "Total Local Production",
    "Total Exports",
    "Total Imports",
    "Imports from the U.S.",
    "Total Market Size",
]


def trade_data(**changes: object) -> TradeData:
    fields: dict[str, object] = {
        "unit": "USD millions",
        "estimates": [2020],
        "total_local_production": {2018: 100, 2019: 120, 2020: 150},
        "total_exports": {2018: 30, 2019: 35, 2020: 40},
        "total_imports": {2018: 60, 2019: 70, 2020: 90},
        "imports_from_us": {2018: 10, 2019: 12, 2020: 15},
        "exchange_rate": {2018: 4.04, 2019: 4.14, 2020: 4.20},
        "sources": "Illustrative.",
    }
    return TradeData.model_validate(fields | changes)


def test_market_size_is_production_minus_exports_plus_imports():
    assert [market_size(trade_data(), year) for year in (2018, 2019, 2020)] == [130, 155, 200]


def test_a_missing_market_size_is_derived_and_marked_derived():
    row = table(trade_data()).row("total_market_size")
    assert row.values == [130, 155, 200]
    assert row.derived


def test_a_given_market_size_is_kept_and_not_marked_derived():
    row = table(trade_data(total_market_size={2018: 131, 2019: 155, 2020: 199})).row("total_market_size")
    assert row.values == [131, 155, 199]
    assert not row.derived


@pytest.mark.parametrize("given", [False, True])
def test_rows_follow_the_country_commercial_guide_order(given):
    changes = {"total_market_size": {2018: 130, 2019: 155, 2020: 200}} if given else {}
    assert [row.label for row in table(trade_data(**changes)).rows] == CCG_ORDER


def test_only_the_market_size_row_is_ever_derived():
    rows = table(trade_data()).rows
    assert [row.key for row in rows if row.derived] == ["total_market_size"]


def test_the_table_keeps_the_years_values_and_notes_of_the_content():
    result = table(trade_data(illustrative=True))
    assert result.unit == "USD millions"
    assert result.years == [2018, 2019, 2020]
    assert result.estimates == {2020}
    assert result.illustrative
    assert result.exchange_rate == [4.04, 4.14, 4.20]
    assert result.row("imports_from_us").values == [10, 12, 15]
    assert result.row("total_exports").values == [30, 35, 40]


def test_the_sample_briefs_market_size_is_derived_from_its_figures(monkeypatch):
    monkeypatch.chdir(CONTENT.parent)
    library = validate_content(Path("content"))
    data = library.publications["malaysia-smart-cities"].model.trade_data
    row = table(data).row("total_market_size")
    assert row.derived
    assert row.values == [2010, 2235, 2530, 2860, 3240]
