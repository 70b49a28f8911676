"""Writes publications on a Dask distributed cluster (``briefgen build --scheduler ADDRESS``).

The client renders every publication as a local build does; a worker lays out the PDF and the
DOCX of one publication in a folder of its own and returns their bytes, which the client writes
atomically into ``--out``: the outputs are the bytes a local build writes. A worker reads the
files a publication shows (content, templates) and shares the build folder's caches (charts,
the contents' pages) at the paths the client has: every worker host mounts the content and
build folders where the client has them, and runs the same briefgen, libraries and fonts (a
worker that differs refuses the job rather than write other bytes).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .epoch import VARIABLE
from .errors import BriefgenError, Problem
from .progress import Outcome
from .workers import all_or_nothing, write

if TYPE_CHECKING:
    from .build import Job

CONNECT_SECONDS = 10
HINT = "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or check the address"


def write_all(jobs: Iterable[Job], out: Path, address: str) -> Generator[tuple[Outcome, Job], None, None]:
    """Write every job on the cluster at ``address``; yield each outcome as it completes. It
    connects before taking the first job, so a wrong address costs no rendering. Closed early
    (the build stopped), it cancels the jobs not yet done."""
    client = connect(address)
    from distributed import as_completed

    from .incremental import code_version

    code, epoch = code_version(), os.environ.get(VARIABLE)
    cache = out / ".cache"
    futures: dict[Any, Job] = {}
    try:
        for job in jobs:  # each is sent as soon as it is rendered
            futures[client.submit(write_remotely, job, code, epoch, cache, pure=False)] = job
        for future in as_completed(futures, loop=client.loop):
            job = futures[future]
            try:
                outcome, files = future.result()
            except Exception as exc:  # the worker died, or the job could not reach it
                outcome, files = _lost(job, address, exc), {}
            yield store(outcome, files, out), job
    finally:
        client.cancel(list(futures))
        client.close()


def connect(address: str):  # -> distributed.Client (imported only for a cluster build)
    """A client of the scheduler at ``address``, or one located line saying why not."""
    try:
        from distributed import Client
    except ImportError:
        raise BriefgenError.at(
            "--scheduler",
            None,
            "building on a Dask cluster needs the distributed package",
            "pip install 'briefgen[dask]'",
        ) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BriefgenError.at(
            "--scheduler", None, f"no Dask scheduler answers at {address} ({reason})", HINT
        ) from None
    try:  # a scheduler without workers would hold the jobs forever
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise BriefgenError.at(
            "--scheduler", None, f"the Dask scheduler at {address} has no workers", HINT
        ) from None
    return client


def write_remotely(
    job: Job, code: str, epoch: str | None, cache: Path | None = None
) -> tuple[Outcome, dict[str, bytes]]:
    """On a worker: one publication's files, as bytes by file name, written in a folder of this
    worker's own, dated by the client's ``SOURCE_DATE_EPOCH``; a failed outcome says why none
    were."""
    started = time.perf_counter()
    if not job.resources.content.is_dir():
        return _failed(
            job,
            started,
            f"a Dask worker cannot read the content folder {job.resources.content}",
            "mount the content and build folders at the same paths on every worker host",
        ), {}
    if _code() != code:
        return _failed(
            job,
            started,
            f"a Dask worker runs another briefgen, library or font set ({_code()}, not {code})",
            "install the same briefgen, packages and fonts on every worker host",
        ), {}
    with _LOCK, _environment(VARIABLE, epoch), tempfile.TemporaryDirectory(prefix="briefgen-") as folder:
        outcome = write(job, Path(folder), cache)
        files = {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir()) if path.is_file()}
    return outcome, files if outcome.status == "built" else {}


def store(outcome: Outcome, files: dict[str, bytes], out: Path) -> Outcome:
    """Write a worker's files into ``out`` together, or none of them."""
    if outcome.status != "built":
        return outcome
    try:
        with all_or_nothing([out / name for name in files]) as temps:
            for temp, data in zip(temps, files.values(), strict=True):
                temp.write_bytes(data)
    except BriefgenError as exc:  # the output folder refused: the build stops, as locally
        return Outcome(outcome.id, "failed", outcome.seconds, problems=exc.problems)
    return outcome


# A worker of several threads writes one publication at a time: the date is read from the
# environment, and the work is CPU-bound Python (start workers with --nthreads 1).
_LOCK = threading.Lock()


@contextlib.contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """``name`` set to ``value`` (unset for None) for the duration, as it was afterwards."""
    before = os.environ.get(name)
    _set(name, value)
    try:
        yield
    finally:
        _set(name, before)


def _set(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@cache
def _code() -> str:
    from .incremental import code_version

    return code_version()


def _failed(job: Job, started: float, message: str, hint: str) -> Outcome:
    problem = Problem(job.resources.where, None, message, hint)
    return Outcome(job.rendered.id, "failed", time.perf_counter() - started, problems=[problem])


def _lost(job: Job, address: str, exc: BaseException) -> Outcome:
    reason = str(exc).splitlines()[0] if str(exc).strip() else ""
    return _failed(
        job,
        time.perf_counter(),
        f"its Dask worker failed ({type(exc).__name__}: {reason or 'no reason given'})",
        f"check the workers of {address}; build again, or without --scheduler to build here",
    )
