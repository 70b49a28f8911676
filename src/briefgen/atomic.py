"""Writes outputs so that a reader sees the old file or the new one, never half of either.

A file is written under a temporary name beside its target (``.NAME.PID.RANDOM.tmp``) and
renamed over it when complete. A build that is killed cannot clean up after itself, so the next
build removes the temporary files of processes that no longer run, and leaves those of a build
running alongside it alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def sweep_stale(folder: Path) -> list[Path]:
    """Remove temporary files left by builds that were killed; return what was removed."""
    removed = []
    for path in folder.rglob(".*.tmp") if folder.is_dir() else []:
        match = TEMP.match(path.name)
        if match and not _running(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
