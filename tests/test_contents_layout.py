"""The contents' page numbers in one layout: a build keeps the page each heading fell on, and the
next lays the PDF out once with those numbers written in, checks them, and only on a miss lays it
out again the usual way (WeasyPrint's ``target-counter``). A publication built for the first time
takes its guess from the last one laid out with the same contents, in the same process or, kept
in the user's cache, in an earlier one. The PDF is the same bytes either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.writers import pdf
from conftest import BRIEF, CONTENT

KEPT = Path(".cache") / "contents" / f"{BRIEF}.json"


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bool]:
    """One entry per layout of a PDF in this process: whether it had the numbers written in."""
    made: list[bool] = []
    render = pdf._render
    forget_earlier_layouts(monkeypatch, tmp_path / "user-cache")

    def counted(html: str, *args: object) -> object:
        made.append("data-page=" in html)
        return render(html, *args)

    monkeypatch.setattr(pdf, "_render", counted)
    return made


def forget_earlier_layouts(monkeypatch: pytest.MonkeyPatch, user_cache: Path) -> None:
    """As a new process with an empty user cache: no layout to guess from."""
    monkeypatch.setattr(pdf, "_LIKE", {})
    monkeypatch.setattr(pdf, "_KEPT", {})
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(user_cache))


def built_pdf(out: Path, content: Path = CONTENT, id: str = BRIEF) -> bytes:
    assert [o.status for o in build(content, out, only=[id], jobs=1, force=True)] == ["built"]
    return (out / f"{id}.pdf").read_bytes()


@pytest.fixture(autouse=True)
def same_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_the_next_build_lays_the_pages_out_once_and_prints_the_same_bytes(
    tmp_path: Path, layouts: list[bool]
) -> None:
    first = built_pdf(tmp_path)
    assert layouts == [False]  # nothing known yet: WeasyPrint resolves the counters itself
    kept = json.loads((tmp_path / KEPT).read_text(encoding="utf-8"))
    assert kept["overview"] == 1 and max(kept.values()) >= 4  # the brief runs over several pages
    assert built_pdf(tmp_path) == first
    assert layouts == [False, True]


def test_a_wrong_guess_is_laid_out_again_and_prints_the_same_bytes(
    tmp_path: Path, layouts: list[bool]
) -> None:
    first = built_pdf(tmp_path)
    kept = json.loads((tmp_path / KEPT).read_text(encoding="utf-8"))
    (tmp_path / KEPT).write_text(json.dumps(dict.fromkeys(kept, 2)), encoding="utf-8")
    assert built_pdf(tmp_path) == first
    assert layouts == [False, True, False]
    assert json.loads((tmp_path / KEPT).read_text(encoding="utf-8")) == kept  # corrected for next time


@pytest.mark.parametrize("kept", ["", "{not json", "[1, 2]", '{"overview": "one"}', '{"overview": 1}'])
def test_a_kept_guess_that_is_corrupt_or_incomplete_is_ignored(
    tmp_path: Path, layouts: list[bool], kept: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = built_pdf(tmp_path / "clean")
    forget_earlier_layouts(monkeypatch, tmp_path / "another-user-cache")  # nor that one's
    (tmp_path / "out" / KEPT).parent.mkdir(parents=True)
    (tmp_path / "out" / KEPT).write_text(kept, encoding="utf-8")
    assert built_pdf(tmp_path / "out") == first
    assert layouts == [False, False]  # no usable guess: one ordinary layout


def test_a_cache_that_cannot_keep_the_pages_costs_only_time(tmp_path: Path) -> None:
    (tmp_path / ".cache").mkdir(parents=True)
    (tmp_path / ".cache" / "contents").write_text("a file in the way", encoding="utf-8")
    assert built_pdf(tmp_path).startswith(b"%PDF")


def test_a_new_publication_takes_its_guess_from_one_with_the_same_contents(
    tmp_path: Path, content: Path, layouts: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = "twin-brief"  # the sample brief again, for another year's figures: the same headings
    (content / "publications" / f"{twin}.yaml").write_text(f"based_on: {BRIEF}\n", encoding="utf-8")
    alone = built_pdf(tmp_path / "alone", content, twin)
    forget_earlier_layouts(monkeypatch, tmp_path / "another-user-cache")
    built_pdf(tmp_path / "out", content)
    assert built_pdf(tmp_path / "out", content, twin) == alone
    assert layouts == [False, False, True]  # the twin had no pages of its own to go by


def test_a_wrong_guess_from_another_publication_is_laid_out_again(
    tmp_path: Path, content: Path, layouts: list[bool]
) -> None:
    other = "other-brief"
    (content / "publications" / f"{other}.yaml").write_text(f"based_on: {BRIEF}\n", encoding="utf-8")
    alone = built_pdf(tmp_path / "alone", content, other)
    entries = next(iter(pdf._LIKE))
    pdf._LIKE[entries] = dict.fromkeys(entries, 1)  # as if a publication had it all on page 1
    assert built_pdf(tmp_path / "out", content, other) == alone
    assert layouts == [False, True, False]
    assert pdf._LIKE[entries] != dict.fromkeys(entries, 1)  # the last layout's pages replace it


def test_a_new_process_takes_its_guess_from_the_users_cache(
    tmp_path: Path, layouts: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = built_pdf(tmp_path / "first")
    kept = list((tmp_path / "user-cache" / "contents").glob("*.json"))
    assert len(kept) == 1
    monkeypatch.setattr(pdf, "_LIKE", {})  # a new process: nothing in memory
    monkeypatch.setattr(pdf, "_KEPT", {})
    assert built_pdf(tmp_path / "second") == first  # a new output folder: no pages of its own
    assert layouts == [False, True]
    kept[0].write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(pdf, "_LIKE", {})
    monkeypatch.setattr(pdf, "_KEPT", {})
    assert built_pdf(tmp_path / "third") == first
    assert layouts == [False, True, False]  # a broken cache is no guess
