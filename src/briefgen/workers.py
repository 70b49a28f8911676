"""Writes rendered publications, in this process or in workers that end with the build.

A publication's files go to temporary names and are renamed together, so its PDF and DOCX
always say the same thing, and a failure replaces nothing. A build killed outright
(``kill -9``, the OOM killer) cannot tell its workers to stop, and a worker would wait for its
next job forever: the pipe it reads from stays open in its siblings. So every worker asks Linux
to kill it when its parent dies, and elsewhere watches its parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import atomic_target
from .errors import BriefgenError
from .progress import Outcome

if TYPE_CHECKING:
    from .build import Job
    from .helper import Helper
    from .writers import Layout, Writer

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 1.0


def write_all(
    jobs: Iterable[Job], out: Path, workers: int, count: int | None = None, helper: Helper | None = None
) -> Generator[tuple[Outcome, Job], None, None]:
    """Write every job, in this process or a pool; yield each outcome as it completes. ``jobs``
    may be a generator of ``count`` jobs at most: the pool starts on each as it comes. Closed
    early (the build stopped), it starts no more jobs and waits for those under way. Written in
    this process, a job's formats after the PDF go to the ``helper``, if given."""
    if count is None:
        jobs = list(jobs)
        count = len(jobs)
    if workers == 1 or count <= 1:
        for job in jobs:
            yield write(job, out, helper=helper), job
        return
    executor = pool(min(workers, count))
    try:
        futures = {executor.submit(write, job, out): job for job in jobs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:  # killed from outside: the OOM killer, or a kill by hand
                raise BriefgenError.at(
                    "briefgen",
                    None,
                    "a worker process died while writing (killed, or out of memory)",
                    "run again; if it recurs, build with --jobs 1 to see which publication",
                ) from None
            yield outcome, futures[future]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def write(job: Job, out: Path, cache: Path | None = None, helper: Helper | None = None) -> Outcome:
    """Write one publication in every format; its files appear together or not at all.
    ``cache`` (default ``out/.cache``) keeps the pages its contents fell on, for the next build.
    With a ``helper``, the formats after the PDF are written there while this process prints."""
    from .writers import Layout, keep_pages, kept_pages, writers

    started = time.perf_counter()
    targets = [(writer, out / f"{job.rendered.id}{writer.suffix}") for writer in writers()]
    remembered = (cache or out / ".cache") / "contents" / f"{job.rendered.id}.json"
    layout = Layout(expected=kept_pages(remembered))
    try:
        with all_or_nothing([target for _, target in targets]) as temps:
            _write_formats(
                job, [(writer, tmp) for (writer, _), tmp in zip(targets, temps, strict=True)], layout, helper
            )
    except BriefgenError as exc:
        return Outcome(job.rendered.id, "failed", time.perf_counter() - started, problems=exc.problems)
    keep_pages(remembered, layout.pages)
    sizes = {target.suffix: target.stat().st_size for _, target in targets}
    return Outcome(job.rendered.id, "built", time.perf_counter() - started, sizes)


def _write_formats(job: Job, files: list[tuple[Writer, Path]], layout: Layout, helper: Helper | None) -> None:
    """Each writer writes its file. The first (the PDF) lays the pages out; with a ``helper``, the
    others are handed to it as soon as the pages are known, and their files are waited for (and
    written here, if it could not)."""
    (first, first_file), *others = files
    handed: list[tuple[Writer, Path]] = []

    def hand_over() -> None:
        assert helper is not None
        handed.extend(
            (writer, file)
            for writer, file in others
            if helper.write(writer.name, job.rendered, job.resources, file, layout.pages)
        )

    if helper is not None:
        layout.ready = hand_over
    try:
        first.write(job.rendered, job.resources, first_file, layout)
    finally:  # the helper may be writing into a temporary file: wait before it is removed
        results = [_result(helper) for _ in handed] if helper is not None else []
    for result in results:
        if isinstance(result, BriefgenError):
            raise result
    written = {file for (_, file), result in zip(handed, results, strict=True) if result is True}
    for writer, file in others:
        if file not in written:
            writer.write(job.rendered, job.resources, file, layout)


def _result(helper: Helper) -> bool | BriefgenError:
    try:
        return helper.written()
    except BriefgenError as exc:
        return exc


@contextlib.contextmanager
def all_or_nothing(targets: list[Path]) -> Iterator[list[Path]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_target(target)) for target in targets]


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that end when this process does, however it ends."""
    # Linux signals a worker when the *thread* that started it ends: the pool starts its workers
    # from the thread that submits the first job, which outlives the pool (no max_tasks_per_child).
    context = get_context(start_method())
    if context.get_start_method() == "forkserver":
        # The server forks every worker of this process's builds: import the writers' libraries
        # there once, not in each worker of each build (briefgen preview builds many times).
        context.set_forkserver_preload(["briefgen.workers", "weasyprint", "docx"])
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(), context.get_start_method() == "forkserver"),
    )


def start_method() -> str:
    """How workers start. On Linux, ``fork`` (no re-import: fast) from a process of one thread;
    from one with more (briefgen preview serves pages while it builds), ``forkserver``, since a
    fork copies only the forking thread and a lock another thread held stays locked in the child.
    Elsewhere ``spawn`` (macOS and Windows have no safe fork). ``BRIEFGEN_START_METHOD``
    overrides it; the tests build under ``spawn`` to keep every job picklable."""
    chosen = os.environ.get("BRIEFGEN_START_METHOD") or default_start_method()
    if chosen not in ("fork", "spawn", "forkserver"):
        raise BriefgenError.at(
            "BRIEFGEN_START_METHOD", None, f"unknown start method '{chosen}'", "use fork, spawn or forkserver"
        )
    return chosen


def default_start_method() -> str:
    if not sys.platform.startswith("linux"):
        return "spawn"
    return "fork" if threading.active_count() == 1 else "forkserver"


def die_with_parent(builder: int, via_server: bool = False) -> None:
    """Pool initializer (module-level, so that it pickles for the spawn start method too). A
    worker of a fork server is the server's child, and the server exits when the build does
    (its pipe from the build closes): the worker dies with the server."""
    parent = os.getppid() if via_server else builder
    if not _kill_me_with_my_parent():
        threading.Thread(target=watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    if os.getppid() != parent or (via_server and not _alive(builder)):  # gone before the request
        os._exit(1)  # took effect: nobody will signal


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX only: on Windows signal 0 would end it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


def _kill_me_with_my_parent() -> bool:
    """Ask Linux for SIGKILL when the parent exits; whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # no libc to load, or one without prctl
        return False


def watch_parent(parent: int) -> None:
    """The portable fallback: exit once the parent is gone (the orphan gets a new parent)."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
