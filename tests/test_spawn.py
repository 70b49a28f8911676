"""Workers start by spawning as well as by forking (macOS and Windows have no safe fork): every
job pickles, and the outputs are the same bytes as a build in one process. The rest of the suite
builds under spawn (conftest.py); fork, Linux's default, is checked here."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.progress import Bar
from briefgen.workers import start_method
from conftest import CONTENT

IDS = ["vietnam-5g-year-one", "city-profile-kuching"]
METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


@pytest.mark.parametrize("method", METHODS)
def test_a_pool_writes_what_one_process_writes(
    method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # both builds stamp the same date
    build(CONTENT, tmp_path / "one", only=IDS, jobs=1)
    monkeypatch.setenv("BRIEFGEN_START_METHOD", method)
    assert start_method() == method
    build(CONTENT, tmp_path / "pool", only=IDS, jobs=2)
    for id in IDS:
        for suffix in (".pdf", ".docx"):
            name = f"{id}{suffix}"
            assert (tmp_path / "pool" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def test_linux_forks_by_default_elsewhere_spawns_and_an_unknown_method_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BRIEFGEN_START_METHOD", raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    monkeypatch.setenv("BRIEFGEN_START_METHOD", "teleport")
    with pytest.raises(
        BriefgenError, match="unknown start method 'teleport' — use fork, spawn or forkserver"
    ):
        start_method()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux forks by default")
def test_a_process_with_threads_does_not_fork_its_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies only the forking thread: briefgen preview, which serves pages while it
    builds, gets its workers from a fork server instead."""
    monkeypatch.delenv("BRIEFGEN_START_METHOD", raising=False)
    release = threading.Event()
    server = threading.Thread(target=release.wait, daemon=True)
    server.start()
    try:
        assert start_method() == "forkserver"
    finally:
        release.set()
        server.join()


def test_a_terminal_progress_bar_starts_no_thread() -> None:
    """The bar refreshes as publications finish, so a build that shows it still forks."""
    bar = Bar()
    before = threading.active_count()
    bar.start(2)
    try:
        assert threading.active_count() == before
    finally:
        bar.finish([])
