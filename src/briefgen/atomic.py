"""Writes outputs so that a reader sees the old file or the new one, never half of either.

A file is written under a temporary name beside its target (``.NAME.PID.RANDOM.tmp``) and
renamed over it when complete. A build that is killed cannot clean up after itself, so the next
build removes the temporary files of processes that no longer run, and leaves those of a build
running alongside it alone. A write the system refuses (a full disk, a read-only folder, a file
where a folder should be) is a located :class:`BriefgenError`, and the target stays as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import BriefgenError, Problem

TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


class Unwritable(Problem):
    """The system refused a write. It concerns the output folder, not one publication, so a
    build stops at the first: every later file would fare the same."""


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    make_folder(target.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise BriefgenError([unwritable(target, exc)]) from None
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        if not _about(exc, tmp, target):  # reading some input failed: not ours to explain
            raise
        raise BriefgenError([unwritable(target, exc)]) from None
    finally:
        with contextlib.suppress(OSError):  # the folder may have become unwritable meanwhile
            tmp.unlink(missing_ok=True)


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) unless it exists; a refusal is a located error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError([unwritable(folder, exc)]) from None


def unwritable(target: Path, exc: OSError) -> Unwritable:
    """The one line that says why ``target`` could not be written, and what to do."""
    in_the_way = next((p for p in (target, *target.parents) if p.exists() and not p.is_dir()), None)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and in_the_way is not None:
        return Unwritable(
            in_the_way,
            None,
            "cannot write: this is a file, where briefgen needs a folder",
            "pass --out a folder, or move the file away",
        )
    hint = HINTS.get(exc.errno or 0, "check the output folder and the disk, then build again")
    return Unwritable(target, None, f"cannot write: {exc.strerror or exc}", hint)


_FULL = "free some space on the disk (or pass --out a folder on another disk), then build again"
_READ_ONLY = "make the folder writable, or pass --out a folder you may write to"
HINTS = {
    errno.ENOSPC: _FULL,
    errno.EDQUOT: _FULL,
    errno.EFBIG: _FULL,
    errno.EACCES: _READ_ONLY,
    errno.EPERM: _READ_ONLY,
    errno.EROFS: _READ_ONLY,
    errno.EISDIR: "a folder has the output's name: move it away",
}


def _about(exc: OSError, *paths: Path) -> bool:
    """Whether ``exc`` concerns one of ``paths`` (a failed write to an open file names none)."""
    named = {str(name) for name in (exc.filename, exc.filename2) if name is not None}
    return not named or bool(named & {str(path) for path in paths})


def sweep_stale(folder: Path) -> list[Path]:
    """Remove temporary files left by builds that were killed; return what was removed."""
    removed = []
    for path in folder.rglob(".*.tmp") if folder.is_dir() else []:
        match = TEMP.match(path.name)
        if match and not _running(int(match.group(1))):
            with contextlib.suppress(OSError):  # tidying up: a folder we cannot change is reported later
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive unless a zombie
        pass
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether ``pid`` has exited and waits only to be reaped: signals still reach a zombie, but
    it writes nothing more. Without /proc (macOS), a zombie counts as running."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    fields = stat.rpartition(")")[2].split()  # the name in parentheses may hold spaces
    return bool(fields) and fields[0] in ("Z", "X")
