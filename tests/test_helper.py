"""A build that writes one publication itself has a helper process: it imports matplotlib while
the build validates, draws the charts while the build lays the pages out, and writes the Word
file while the build prints the PDF. The files are the ones a build on one core writes; an
error in the content is the same error; and a helper that dies costs only time."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from briefgen import charts, helper, workers
from briefgen.build import build, prepare
from briefgen.errors import BriefgenError
from briefgen.helper import Helper
from briefgen.writers import Layout
from briefgen.writers.docx import DocxWriter
from conftest import BRIEF, CONTENT


@pytest.fixture(autouse=True)
def same_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def files(out: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes() for path in out.iterdir() if path.is_file() and path.suffix != ".json"
    }


def test_one_publication_is_written_with_a_helper_and_gives_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = tmp_path / "alone"
    assert [o.status for o in build(CONTENT, alone, only=[BRIEF], jobs=1)] == ["built"]
    here = os.getpid()
    write = DocxWriter.write

    def elsewhere(self, *args):  # type: ignore[no-untyped-def]
        assert os.getpid() != here, "the Word file was written by the build, not its helper"
        return write(self, *args)

    monkeypatch.setattr(DocxWriter, "write", elsewhere)  # a forked helper inherits it
    helped = tmp_path / "helped"
    assert [o.status for o in build(CONTENT, helped, only=[BRIEF], jobs=2)] == ["built"]
    assert files(helped) == files(alone) and len(files(alone)) == 2
    assert not charts._AHEAD  # nothing left waiting
    assert not [p.name for p in helped.iterdir() if p.name.endswith(".tmp")]


def test_a_content_error_in_the_helper_is_the_error_the_build_gives(tmp_path: Path) -> None:
    (job,) = prepare(CONTENT, tmp_path, only=[BRIEF])
    broken = dataclasses.replace(
        job.rendered, html=job.rendered.html.replace("<p>", '<p><span class="no-such-style">x</span>', 1)
    )
    with pytest.raises(BriefgenError) as here:
        DocxWriter().write(broken, job.resources, tmp_path / "here.docx", Layout())
    with Helper() as helping:
        assert helping.write("docx", broken, job.resources, tmp_path / "there.docx", {})
        with pytest.raises(BriefgenError) as there:
            helping.written()
    assert str(there.value) == str(here.value)
    assert "class 'no-such-style' on <span>" in str(here.value)


def test_a_helper_that_died_costs_only_time(tmp_path: Path) -> None:
    (job,) = prepare(CONTENT, tmp_path / "prepared", only=[BRIEF])
    alone = tmp_path / "alone"
    assert workers.write(job, alone).status == "built"
    with Helper() as helping:
        helping._process.kill()
        helping._process.join()
        helping.draw(list(job.resources.charts.values()))
        outcome = workers.write(job, tmp_path / "helped", helper=helping)
    assert outcome.status == "built"
    assert files(tmp_path / "helped") == files(alone)
    assert not charts._AHEAD


def test_a_build_of_many_publications_closes_its_helper_before_the_pool_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Helper] = []
    original = helper.Helper.__init__

    def recorded(self: Helper) -> None:
        original(self)
        made.append(self)

    monkeypatch.setattr(helper.Helper, "__init__", recorded)
    pool = workers.pool

    def checked(size: int):  # type: ignore[no-untyped-def]
        assert made and not made[0]._process.is_alive(), "the helper outlived the start of the pool"
        return pool(size)

    monkeypatch.setattr(workers, "pool", checked)
    ids = ["city-profile-bangkok", "city-profile-kuching"]
    assert [o.status for o in build(CONTENT, tmp_path, only=ids, jobs=2)] == ["built"] * 2
