"""Builds that fail for reasons outside the content. An output folder that refuses a write (a
full disk, a read-only folder, a file where the folder should be) ends a build in one located
line and exit 1, in this process or in a worker, and every earlier output stays as it was. A
build killed outright takes its workers with it, and the next one sweeps up after it."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from briefgen.atomic import sweep_stale
from briefgen.cli import main
from briefgen.incremental import MANIFEST
from briefgen.workers import die_with_parent
from briefgen.writers.docx import DocxWriter
from conftest import BRIEF, CONTENT

# Two small publications, each with a chart (its locator map): quick to build, and enough for a pool.
PAIR = ("city-profile-da-nang", "city-profile-bangkok")
SUMMARY = "briefgen: 1 error(s); failed publications kept their files"


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """A copy of a complete build: the earlier outputs a failed build must not change."""
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    return copy


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def publications(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in files(folder).items() if name.endswith((".pdf", ".docx"))}


def build(capsys: pytest.CaptureFixture[str], out: Path, *args: str) -> tuple[int, list[str]]:
    """Run ``briefgen build`` into ``out``; its exit code and what it printed on stderr."""
    code = main(["build", "--content", str(CONTENT), "--out", str(out), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


def refuse(monkeypatch: pytest.MonkeyPatch, module: object, name: str, number: int, when: Callable) -> None:
    """Make ``module.name`` fail with ``number`` (ENOSPC, EACCES…) when ``when(*args)`` holds, as
    the system would. Pool workers inherit the refusal: they are forked (see ``forked``)."""
    original = getattr(module, name)

    def refusing(*args: object, **kwargs: object) -> object:
        if when(*args, **kwargs):
            raise OSError(number, os.strerror(number), str(args[0]) if args else None)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, refusing)


def forked(monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    """A pool for these tests forks, whatever the suite's start method: a refusal patched into
    this process reaches the workers only by a fork."""
    if jobs != "1":
        if not hasattr(os, "fork"):
            pytest.skip("a refusal reaches a pool's workers only where they fork")
        monkeypatch.setenv("BRIEFGEN_START_METHOD", "fork")


def inside(folder: Path, path: object) -> bool:
    return Path(str(path)).resolve().is_relative_to(folder.resolve())


@pytest.mark.parametrize("where", ["out", "out/sub"])
def test_an_out_path_that_is_a_file_is_one_located_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    file = tmp_path / "out"
    file.write_text("notes, not a folder\n", encoding="utf-8")
    code, err = build(capsys, tmp_path / where, "--jobs", "2", *PAIR)
    assert code == 1
    assert err == [
        f"{file}: cannot write: this is a file, where briefgen needs a folder — "
        "pass --out a folder, or move the file away",
        SUMMARY,
    ]
    assert file.read_text(encoding="utf-8") == "notes, not a folder\n"


WRITES = [  # what refuses, with which error, and the line that reports it
    pytest.param("rename", errno.ENOSPC, "No space left on device — free some", id="disk-full-rename"),
    pytest.param("temporary file", errno.EACCES, "Permission denied — make the", id="no-permission"),
    pytest.param("temporary file", errno.EROFS, "Read-only file system — make the", id="read-only"),
    pytest.param("writer", errno.ENOSPC, "No space left on device — free some", id="disk-full-writing"),
]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("what", "number", "message"), WRITES)
def test_a_refused_write_stops_the_build_in_one_line_and_changes_no_output(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: Path,
    what: str,
    number: int,
    message: str,
    jobs: str,
) -> None:
    forked(monkeypatch, jobs)
    if what == "rename":
        refuse(monkeypatch, os, "replace", number, lambda src, dst: inside(out, dst))
    elif what == "temporary file":
        refuse(monkeypatch, tempfile, "mkstemp", number, lambda **kw: inside(out, kw["dir"]))
    else:  # the disk fills while the DOCX is being written (an error that names no file)

        def write(*args: object) -> None:
            raise OSError(number, os.strerror(number))

        monkeypatch.setattr(DocxWriter, "write", write)
    before, names = publications(out), set(files(out))
    code, err = build(capsys, out, "--force", "--jobs", jobs, *PAIR)
    assert code == 1
    assert len(err) == 2 and err[1] == SUMMARY
    problem = err[0]
    assert any(problem.startswith(f"{out / id}.") for id in PAIR), problem
    assert f": cannot write: {message}" in problem
    assert publications(out) == before
    assert set(files(out)) == names  # no temporary file left behind


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_chart_cache_that_cannot_be_written_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path, jobs: str
) -> None:
    forked(monkeypatch, jobs)
    shutil.rmtree(out / ".cache")  # every chart must be drawn again
    before = publications(out)
    cache = out / ".cache" / "charts"
    refuse(monkeypatch, os, "replace", errno.ENOSPC, lambda src, dst: inside(cache, dst))
    code, err = build(capsys, out, "--force", "--jobs", jobs, *PAIR)
    assert code == 1
    assert len(err) == 2 and err[1] == SUMMARY
    assert err[0].startswith(f"{cache}/locator-") and ".pdf: cannot write: No space left on device" in err[0]
    assert publications(out) == before


def test_a_manifest_that_cannot_be_saved_is_one_line_and_the_old_one_stays(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    before = (out / MANIFEST).read_bytes()
    refuse(monkeypatch, os, "replace", errno.ENOSPC, lambda src, dst: Path(dst).name == MANIFEST)
    code, err = build(capsys, out, "--force", PAIR[0])
    assert code == 1
    assert err == [
        f"{out / MANIFEST}: cannot write: No space left on device — free some space on the disk "
        "(or pass --out a folder on another disk), then build again",
        SUMMARY,
    ]
    assert (out / MANIFEST).read_bytes() == before


def test_a_folder_that_cannot_be_made_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "build"
    refuse(monkeypatch, os, "mkdir", errno.EACCES, lambda path, *args: inside(tmp_path, path))
    code, err = build(capsys, out, PAIR[0])
    assert code == 1
    assert err == [
        f"{out}: cannot write: Permission denied — make the folder writable, "
        "or pass --out a folder you may write to",
        SUMMARY,
    ]


# --- killed builds -------------------------------------------------------------------------------

THREE = (BRIEF, "malaysia-smart-cities-hccc", "asean-smart-cities-5g-geopolitics")  # each takes seconds
needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes in /proc")


def stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the name (state, ppid, …), or [] once it is gone."""
    try:
        return (
            Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
        )
    except OSError:
        return []


def children(parent: int) -> dict[int, str]:
    """The processes ``parent`` started, with their start times (a pid may be reused later)."""
    found = {}
    for entry in Path("/proc").iterdir():
        fields = stat(int(entry.name)) if entry.name.isdigit() else []
        if fields and int(fields[1]) == parent:
            found[int(entry.name)] = fields[19]
    return found


def running(pid: int, started: str) -> bool:
    fields = stat(pid)
    return bool(fields) and fields[19] == started and fields[0] not in ("Z", "X")


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@needs_proc
def test_killing_a_build_ends_its_workers(content: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "briefgen", "build", "--jobs", "2", "--content", str(content)]
    build = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out"), *THREE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: dict[int, str] = {}
    try:

        def started() -> bool:
            workers.update(children(build.pid))
            return len(workers) >= 2 or build.poll() is not None

        assert wait_until(started, 60) and build.poll() is None, "the build ended before its workers began"
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert wait_until(lambda: not any(running(*worker) for worker in workers.items()), 10)
    finally:  # the workers of a failed test must not outlive it
        for pid, began in workers.items():
            if running(pid, began):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        build.kill()
        build.wait()


@needs_proc
def test_a_worker_whose_parent_dies_exits_where_linux_cannot_signal_it(tmp_path: Path) -> None:
    """The portable fallback: without prctl, a worker watches its parent."""
    script = (
        "import os, time\n"
        "from briefgen import workers\n"
        "workers._kill_me_with_my_parent = lambda: False\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    workers.POLL_SECONDS = 0.05\n"
        "    workers.die_with_parent(parent)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(60)\n"
    )
    middle = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(middle.stdout.readline())
    began = stat(worker)[19]
    try:
        middle.kill()
        middle.wait()
        assert wait_until(lambda: not running(worker, began), 10)
    finally:
        if running(worker, began):
            os.kill(worker, signal.SIGKILL)
        middle.stdout.close()


def test_the_worker_initializer_also_serves_a_spawned_pool() -> None:
    pool = ProcessPoolExecutor(
        1, mp_context=get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)
    )
    with pool:
        assert pool.submit(os.getppid).result(timeout=30) == os.getpid()


@needs_proc
def test_temporary_files_of_an_unreaped_dead_process_are_swept(tmp_path: Path) -> None:
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])  # exits; nobody reaps it until wait()
    try:
        assert wait_until(lambda: stat(zombie.pid)[:1] == ["Z"], 10)
        stale = tmp_path / f".{BRIEF}.pdf.{zombie.pid}.abc123.tmp"
        stale.write_bytes(b"half")
        assert sweep_stale(tmp_path) == [stale]
    finally:
        zombie.wait()


def _die(job: object, out: Path) -> None:
    """Stands in for a worker's write: the process vanishes, as under the OOM killer."""
    os._exit(9)


def test_a_worker_killed_from_outside_is_one_line_not_a_traceback(
    out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.workers

    before = files(out)
    monkeypatch.setattr(briefgen.workers, "write", _die)
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--force", "--jobs", "2", *PAIR]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "briefgen: a worker process died while writing (killed, or out of memory)"
        " — run again; if it recurs, build with --jobs 1 to see which publication",
        "briefgen: 1 error(s); failed publications kept their files",
    ]
    assert {name: data for name, data in files(out).items() if name.endswith((".pdf", ".docx"))} == {
        name: data for name, data in before.items() if name.endswith((".pdf", ".docx"))
    }
