"""A pool is handed each publication as soon as it is rendered: its workers lay out the first
while the main process still renders the later ones, rather than wait for all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import build as pipeline
from briefgen import workers
from conftest import CONTENT

IDS = ["city-profile-bangkok", "city-profile-kuching", "city-profile-yangon"]


def test_each_publication_goes_to_the_pool_as_soon_as_it_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    prepare_one = pipeline.prepare_one

    def rendering(library, id, *args, **kwargs):  # type: ignore[no-untyped-def]
        events.append(f"render {id}")
        return prepare_one(library, id, *args, **kwargs)

    make_pool = workers.pool

    def recording_pool(size: int):  # type: ignore[no-untyped-def]
        executor = make_pool(size)
        submit = executor.submit

        def recorded(fn, job, *args):  # type: ignore[no-untyped-def]
            events.append(f"write {job.rendered.id}")
            return submit(fn, job, *args)

        executor.submit = recorded  # type: ignore[method-assign]
        return executor

    monkeypatch.setattr(pipeline, "prepare_one", rendering)
    monkeypatch.setattr(workers, "pool", recording_pool)
    outcomes = pipeline.build(CONTENT, tmp_path, only=IDS, jobs=2)
    assert sorted(o.status for o in outcomes) == ["built"] * 3
    assert events == [f"{step} {id}" for id in IDS for step in ("render", "write")]


def test_a_publication_that_fails_to_render_does_not_hold_up_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.errors import BriefgenError

    prepare_one = pipeline.prepare_one

    def failing(library, id, *args, **kwargs):  # type: ignore[no-untyped-def]
        if id == IDS[1]:
            raise BriefgenError.at("somewhere.yaml", 3, "a broken template", "fix it")
        return prepare_one(library, id, *args, **kwargs)

    monkeypatch.setattr(pipeline, "prepare_one", failing)
    with pytest.raises(BriefgenError, match="a broken template"):
        pipeline.build(CONTENT, tmp_path, only=IDS, jobs=2)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [f"{IDS[0]}.pdf", f"{IDS[2]}.pdf"]
