"""Reads the files content names: regular files only, with their size checked before reading.

A content folder is untrusted: a FIFO named ``x.yaml`` would block a plain ``open`` forever, a
link to ``/dev/zero`` would read without end, and a folder, a dangling link or a link loop
would raise deep inside a parser. Every read of a content file goes through :func:`read_bytes`,
which opens without blocking, checks what it opened, and reads at most ``limit`` bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import BriefgenError


def read_bytes(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file at ``path`` (links followed), at most ``limit`` of them;
    anything else is a located error saying what to do."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise unreadable(path, exc, what) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BriefgenError.at(
                path,
                None,
                f"the {what} is {_kind(info.st_mode)}, not a regular file",
                "replace it with a file",
            )
        if info.st_size > limit:
            raise too_large(path, info.st_size, limit, what)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew while we read it
                raise too_large(path, size, limit, what)
        return b"".join(chunks)
    except OSError as exc:
        raise unreadable(path, exc, what) from None
    finally:
        os.close(fd)


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links followed, lies inside ``root``; a link that cannot be followed
    (a loop, a name too long) lies nowhere."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a link loop, on Python 3.11
        return False


def is_regular(path: Path) -> bool:
    """Whether ``path`` (links followed) is a regular file; never blocks, never raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def too_large(path: Path, size: int, limit: int, what: str) -> BriefgenError:
    return BriefgenError.at(
        path,
        None,
        f"the {what} is {size:,} bytes, over the {_bytes(limit)} limit",
        "make it smaller or split it",
    )


def unreadable(path: Path, exc: OSError, what: str = "file") -> BriefgenError:
    """An OSError met while opening or reading ``path``, as a located error."""
    reasons = {
        errno.ENOENT: ("does not exist (a link pointing nowhere?)", "restore the file or remove the link"),
        errno.ELOOP: ("is a link that loops back on itself", "point the link at a real file"),
        errno.EACCES: ("cannot be read (permission denied)", "make it readable: chmod a+r"),
        errno.EPERM: ("cannot be read (permission denied)", "make it readable: chmod a+r"),
        errno.EISDIR: ("is a folder, not a file", "rename the folder or move it out"),
        errno.ENAMETOOLONG: ("has a name too long for the system", "shorten the name"),
    }
    message, hint = reasons.get(exc.errno or 0, (f"cannot be read ({exc.strerror})", "check the file"))
    return BriefgenError.at(path, None, f"the {what} {message}", hint)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _bytes(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 and not limit % (1 << 20) else f"{limit:,} bytes"
