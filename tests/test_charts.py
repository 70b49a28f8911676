"""Charts fit their data: dates at any precision and span, labels that never collide, gaps for
figures nobody knows, legends that explain every mark, and value axes with thousands separators."""

from __future__ import annotations

import itertools
import math
import os
from pathlib import Path
from typing import Any

import matplotlib
import pytest

from briefgen import charts, labels, plots, timeline
from briefgen.build import build
from conftest import BRIEF, CONTENT

matplotlib.use("Agg")

COLORS = {"primary": "#1f3864", "accent": "#b3282d", "muted": "#5b6770"}


@pytest.fixture(autouse=True)
def close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def drawn(kind: str, data: dict[str, Any]) -> Any:
    """The chart's figure, laid out as it is saved (tick labels are made at draw time)."""
    import matplotlib.pyplot as plt

    fig = charts.figure(kind, data)
    with plt.rc_context(charts.STYLE):  # fonts are looked up as the figure draws
        fig.canvas.draw()
    return fig


def boxes(texts: list[Any]) -> list[labels.Box]:
    renderer = texts[0].figure.canvas.get_renderer()
    return [labels.Box.of(t.get_window_extent(renderer)) for t in texts if t.get_visible() and t.get_text()]


def overlapping(found: list[labels.Box]) -> list[tuple[labels.Box, labels.Box]]:
    return [(a, b) for a, b in itertools.combinations(found, 2) if a.overlap(b) > 0]


def event_labels(fig: Any) -> list[Any]:
    return [t for t in fig.axes[0].texts if "\n" in t.get_text()]


def tick_labels(axis: Any) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


SIX_YEARS = [
    ("2019", "First 5G trials under licence", False),
    ("2020-06", "Spectrum roadmap published", False),
    ("2021-02-14", "National digital plan approved", False),
    ("2024-03", "Spectrum auctions award the 5G bands", False),
    ("2024-10", "First operator launches commercial 5G", False),
    ("2024-12", "Second operator launches commercial 5G", False),
    ("2025", "Regulator merges into the science ministry", True),
]


def milestones(events: list[tuple[str, str, bool]]) -> dict[str, Any]:
    return {"events": events, "colors": COLORS}


# --- the milestone timeline ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "label", "placed"),
    [
        ("2025", "2025", "2025-07-02"),
        ("2025-06", "Jun 2025", "2025-06-15"),
        ("2025-06-30", "30 Jun 2025", "2025-06-30"),
    ],
)
def test_a_date_is_labelled_at_its_precision_and_sits_in_the_middle_of_its_period(
    iso: str, label: str, placed: str
) -> None:
    assert timeline.label(iso) == label
    assert timeline.when(iso).isoformat() == placed


def test_each_event_is_labelled_with_its_date_as_precise_as_it_was_written() -> None:
    fig = drawn("milestones", milestones(SIX_YEARS))
    firsts = [t.get_text().split("\n")[0] for t in event_labels(fig)]
    assert firsts == ["2019", "Jun 2020", "14 Feb 2021", "Mar 2024", "Oct 2024", "Dec 2024", "2025 (target)"]


def test_a_six_year_timeline_has_year_ticks_that_do_not_overlap() -> None:
    fig = drawn("milestones", milestones(SIX_YEARS))
    ticks = fig.axes[0].xaxis.get_ticklabels()
    assert tick_labels(fig.axes[0].xaxis) == [str(year) for year in range(2019, 2026)]
    assert overlapping(boxes(ticks)) == []


def test_a_short_timeline_has_month_ticks() -> None:
    fig = drawn(
        "milestones", milestones([("2018-11", "Task Force set up", False), ("2019-09", "Report due", True)])
    )
    shown = tick_labels(fig.axes[0].xaxis)
    assert "Jan 2019" in shown and all(len(t.split()) == 2 for t in shown)
    assert overlapping(boxes(fig.axes[0].xaxis.get_ticklabels())) == []


@pytest.mark.parametrize(
    "events",
    [
        SIX_YEARS,
        [
            (f"2024-{m:02d}", f"Event number {m} with a title long enough to wrap", False)
            for m in range(1, 13)
        ],
        [("2024-05", "Two events in the same month", False), ("2024-05", "Both need a place", False)],
        [("2025", "A single event", False)],
    ],
    ids=["six-years", "a-crowded-year", "the-same-month", "one-event"],
)
def test_no_event_label_overlaps_another_or_the_time_axis(events: list[tuple[str, str, bool]]) -> None:
    fig = drawn("milestones", milestones(events))
    found = boxes(event_labels(fig))
    assert len(found) == len(events)
    assert overlapping(found) == []
    ticks = boxes(fig.axes[0].xaxis.get_ticklabels())
    assert all(a.overlap(b) == 0 for a in found for b in ticks)


def test_no_stem_crosses_another_events_label_when_there_is_room() -> None:
    fig = drawn("milestones", milestones(SIX_YEARS))
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    stems = [ax.transData.transform(s) for c in ax.collections[1::2] for s in c.get_segments()]
    for text in event_labels(fig):
        box = text.get_window_extent(renderer)
        for (x, y0), (_, y1) in stems:
            inside = box.x0 < x < box.x1 and max(box.y0, min(y0, y1)) < min(box.y1, max(y0, y1)) - 1
            assert not inside, f"a stem crosses {text.get_text()!r}"


# --- labels on maps ------------------------------------------------------------------------------

CROWDED = [
    ["Kuala Lumpur", 101.69, 3.14, True],
    ["Putrajaya", 101.69, 2.93, True],
    ["Shah Alam", 101.52, 3.07, True],
    ["Petaling Jaya", 101.61, 3.11, True],
    ["Seremban", 101.94, 2.73, True],
    ["Johor Bahru", 103.76, 1.49, True],
    ["Singapore", 103.82, 1.35, False],
]


def test_the_map_outline_is_read_once_per_process_for_every_map(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen import maps

    maps.features.cache_clear()
    reads: list[Path] = []
    read_text = Path.read_text

    def counted(path: Path, *args: Any, **kwargs: Any) -> str:
        reads.append(path)
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    data = {"map": "x", "highlight": "MY", "colors": COLORS}
    drawn("pilot_map", {**data, "cities": [["Kuala Lumpur", 101.7, 3.1, True]]})
    drawn("locator", {**data, "city": ["Kuala Lumpur", 101.7, 3.1], "bounds": [92, 110, -3, 10]})
    assert reads.count(maps.MAP) == 1


def test_names_of_nearby_cities_on_the_pilot_map_do_not_collide() -> None:
    fig = drawn("pilot_map", {"highlight": "MY", "cities": CROWDED, "colors": COLORS, "map": "x"})
    names = [t for t in fig.axes[0].texts if t.get_text()]
    assert sorted(t.get_text() for t in names) == sorted(c[0] for c in CROWDED if c[3])
    assert overlapping(boxes(names)) == []


def test_a_city_name_stays_inside_the_locator_map_and_clear_of_its_dot() -> None:
    data = {"highlight": "SG", "city": ["Singapore", 103.82, 1.35], "bounds": [94.8, 112.8, -5.15, 7.85]}
    fig = drawn("locator", {**data, "colors": COLORS, "map": "x"})
    ax = fig.axes[0]
    (name,) = boxes([t for t in ax.texts if t.get_text()])
    frame = labels.Box.of(ax.get_window_extent(fig.canvas.get_renderer()))
    assert name.outside(frame) == 0
    x, y = ax.transData.transform((103.82, 1.35))
    assert not (name.x0 <= x <= name.x1 and name.y0 <= y <= name.y1)


# --- the trade chart -----------------------------------------------------------------------------

TRADE = {
    "years": [2021, 2022, 2023],
    "estimates": [2023],
    "unit": "USD millions",
    "series": [
        ["Total Market Size", [1730, 1925, 2165]],
        ["Total Imports", [860, 955, 1070]],
        ["Imports from the U.S.", [None, 120, 138]],
    ],
    "colors": COLORS,
}


def legend_texts(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_the_trade_legend_explains_the_hatched_estimates() -> None:
    fig = drawn("trade", TRADE)
    assert plots.ESTIMATE in legend_texts(fig)
    handle = fig.axes[0].get_legend().legend_handles[legend_texts(fig).index(plots.ESTIMATE)]
    assert handle.get_hatch() == "////"
    assert sum(bar.get_hatch() == "////" for bar in fig.axes[0].patches) == 3  # 2023's three bars


def test_a_trade_figure_nobody_knows_is_a_gap_marked_n_a_not_a_zero_bar() -> None:
    fig = drawn("trade", TRADE)
    ax = fig.axes[0]
    assert len(ax.patches) == 8  # nine values, one unknown
    assert all(bar.get_height() > 0 for bar in ax.patches)
    assert [t.get_text() for t in ax.texts] == ["n/a"]
    assert plots.UNKNOWN in legend_texts(fig)


def test_a_trade_chart_with_every_figure_known_has_no_n_a_entry() -> None:
    known = {**TRADE, "series": [[name, [v or 1 for v in values]] for name, values in TRADE["series"]]}
    assert plots.UNKNOWN not in legend_texts(drawn("trade", known))


# --- value axes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticks", "printed"),
    [
        ([0, 500, 1000, 1500, 2000, 2500], ["0", "500", "1,000", "1,500", "2,000", "2,500"]),
        ([23000, 23200, 23400], ["23,000", "23,200", "23,400"]),
        ([0, 0.25, 0.5, 0.75], ["0.00", "0.25", "0.50", "0.75"]),
        ([1.5, 2.0, 2.5], ["1.5", "2.0", "2.5"]),
        ([-1000, 0, 1000], ["-1,000", "0", "1,000"]),
    ],
)
def test_value_ticks_have_thousands_separators_and_the_decimals_their_step_needs(
    ticks: list[float], printed: list[str]
) -> None:
    formatter = plots.thousands()
    formatter.set_locs(ticks)
    assert [formatter(v) for v in ticks] == printed


@pytest.mark.parametrize("kind", ["trade", "bar", "line", "stacked"])
def test_every_value_axis_prints_thousands_with_separators(kind: str) -> None:
    data = TRADE if kind == "trade" else declared([[1200, 2500, 4100, 3600]])
    shown = tick_labels(drawn(kind, data).axes[0].yaxis)
    assert "1,000" in shown or "2,000" in shown
    assert not any(len(t) >= 4 and "," not in t for t in shown)


# --- declared charts -----------------------------------------------------------------------------


def declared(
    series: list[list[float | None]], x: list[str] | None = None, unit: str = "USD"
) -> dict[str, Any]:
    x = x or [str(2020 + i) for i in range(len(series[0]))]
    return {
        "x": x,
        "series": [[f"Series {i + 1}", s] for i, s in enumerate(series)],
        "unit": unit,
        "colors": COLORS,
    }


def test_a_declared_bar_chart_draws_one_bar_per_known_value_in_one_colour_per_series() -> None:
    fig = drawn("bar", declared([[1, 2, None], [4, 5, 6], [7, 8, 9]]))
    ax = fig.axes[0]
    assert len(ax.patches) == 8
    colours = {matplotlib.colors.to_hex(bar.get_facecolor()) for bar in ax.patches}
    assert colours == {COLORS["primary"], COLORS["accent"], COLORS["muted"]}
    assert legend_texts(fig) == ["Series 1", "Series 2", "Series 3", plots.UNKNOWN]
    assert ax.get_ylabel() == "USD"


def test_a_declared_line_breaks_where_a_value_is_unknown() -> None:
    fig = drawn("line", declared([[23050.24, None, 23271.21, 23787.32]]))
    (line,) = fig.axes[0].lines
    ys = list(line.get_ydata())
    assert ys[1] != ys[1]  # NaN: matplotlib leaves a gap
    assert plots.UNKNOWN in legend_texts(fig)


def test_a_declared_stacked_chart_stacks_each_category() -> None:
    fig = drawn("stacked", declared([[1, 2], [3, 4]]))
    tops = sorted(bar.get_y() + bar.get_height() for bar in fig.axes[0].patches)
    assert tops == [1, 2, 4, 6]


def test_a_chart_of_whole_numbers_has_whole_number_ticks() -> None:
    shown = tick_labels(drawn("bar", declared([[1, 3, 4, 2]])).axes[0].yaxis)
    assert all("." not in t for t in shown)


def test_many_long_categories_are_slanted_and_thinned_so_that_none_overlap() -> None:
    x = [f"Province number {i} of the country" for i in range(60)]
    fig = drawn("bar", declared([list(range(60))], x=x))
    axis = fig.axes[0].xaxis
    ticks = [t for t in axis.get_ticklabels() if t.get_text()]
    assert 0 < len(ticks) < 60
    assert all(t.get_rotation() == 45 for t in ticks)
    # Slanted labels are parallel: they clear each other when the gap between their anchors,
    # measured across the slant, is more than a line of text.
    ax = fig.axes[0]
    xs = [ax.transData.transform((tick, 0))[0] for tick in axis.get_ticklocs()]
    line = fig.canvas.get_renderer().points_to_pixels(ticks[0].get_fontsize()) * 1.1
    assert min(b - a for a, b in itertools.pairwise(xs)) * math.sin(math.radians(45)) > line


def test_series_colours_are_the_publishers_then_tints_of_them() -> None:
    found = plots.palette(COLORS, 5)
    assert found[:3] == [COLORS["primary"], COLORS["accent"], COLORS["muted"]]
    assert found[3] == plots.tint(COLORS["primary"], 0.45) != COLORS["primary"]


def test_a_chart_is_drawn_once_for_both_writers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF asks for its drawing, then the DOCX for PNG: one figure gives both, and a drawing
    in the cache is never drawn again. SVG (for PDF/A) is drawn only when asked for."""
    made: list[str] = []
    figure = charts.figure
    monkeypatch.setattr(charts, "figure", lambda kind, data: made.append(kind) or figure(kind, data))
    chart = charts.Chart("milestones", milestones([("2024-05", "Launch", False)]), tmp_path)
    pdf = chart.path("pdf")
    assert made == ["milestones"]
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".pdf", ".png"]
    assert chart.path("png").read_bytes().startswith(b"\x89PNG") and pdf.read_bytes().startswith(b"%PDF")
    chart.path("pdf")
    assert made == ["milestones"]
    chart.path("png").unlink()  # a cache that lost one format draws that one again
    chart.path("png")
    assert made == ["milestones", "milestones"]
    assert pdf.stat().st_mtime_ns == chart.path("pdf").stat().st_mtime_ns
    assert chart.path("svg").read_bytes().startswith(b"<?xml")
    assert made == ["milestones"] * 3


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("milestones", milestones(SIX_YEARS)),
        # slanted category labels reach below the figure: the box takes them in
        ("bar", declared([list(range(12))], x=[f"Province number {i} of the country" for i in range(12)])),
    ],
)
def test_every_format_of_a_chart_is_cropped_to_one_box(tmp_path: Path, kind: str, data: dict) -> None:
    """The box around what a chart draws is found once, for both formats: the PNG Word shows
    has the PDF's proportions, to the pixel, and nothing is cut off."""
    from PIL import Image

    from briefgen.writers.pdf_charts import size

    chart = charts.Chart(kind, data, tmp_path, kind)
    width, height = size(chart.path("pdf"))  # points
    with Image.open(chart.path("png")) as png:
        pixels = png.size
        ink = png.convert("L").point(lambda v: v < 250 and 255).getbbox()  # what is not white
    expected = (width * charts.PNG_DPI / 72, height * charts.PNG_DPI / 72)
    assert all(abs(got - want) <= 1 for got, want in zip(pixels, expected, strict=True))
    margin = charts.PAD_INCHES * charts.PNG_DPI
    assert ink is not None and min(ink[0], ink[1], pixels[0] - ink[2], pixels[1] - ink[3]) >= margin - 3


def test_one_publication_has_its_charts_drawn_by_another_process_while_it_is_laid_out(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build of one brief: a second process draws its charts while this one imports
    WeasyPrint and lays the pages out; the PDF is the one a build drawing them here prints."""
    here = os.getpid()
    draw = charts._draw

    def elsewhere(chart: charts.Chart, paths: dict[str, Path]) -> None:
        assert os.getpid() != here, f"{chart.name} was drawn by the process laying out the pages"
        draw(chart, paths)

    monkeypatch.setattr(charts, "_draw", elsewhere)  # a forked drawer inherits it, a spawned one not
    assert [o.status for o in build(CONTENT, tmp_path, only=[BRIEF], jobs=2)] == ["built"]
    assert (tmp_path / f"{BRIEF}.pdf").read_bytes() == (built / f"{BRIEF}.pdf").read_bytes()
    assert len(list((tmp_path / ".cache" / "charts").glob("*.png"))) == 3  # Word's too
    assert not charts._AHEAD  # nothing left waiting
