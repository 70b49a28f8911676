"""Workers start by spawning as well as by forking (macOS and Windows have no safe fork): every
job pickles, and the outputs are the same bytes as a build in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.workers import start_method
from conftest import CONTENT

IDS = ["vietnam-5g-year-one", "city-profile-kuching"]


def test_a_spawned_pool_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # both builds stamp the same date
    build(CONTENT, tmp_path / "one", only=IDS, jobs=1)
    monkeypatch.setenv("BRIEFGEN_START_METHOD", "spawn")
    assert start_method() == "spawn"
    build(CONTENT, tmp_path / "spawned", only=IDS, jobs=2)
    for id in IDS:
        for suffix in (".pdf", ".docx"):
            name = f"{id}{suffix}"
            assert (tmp_path / "spawned" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def test_linux_forks_by_default_and_an_unknown_method_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFGEN_START_METHOD", raising=False)
    assert start_method() == "fork"
    monkeypatch.setenv("BRIEFGEN_START_METHOD", "teleport")
    with pytest.raises(
        BriefgenError, match="unknown start method 'teleport' — use fork, spawn or forkserver"
    ):
        start_method()
