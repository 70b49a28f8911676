"""Finds the installed font files of some font families and the characters they cover, reading the
files' name and cmap tables with fontTools, and keeps what it read in a cache keyed by each file's
path, size and time of change, so a check that finds no font changed reads no font.

The files are those fontconfig reads by default, which is how WeasyPrint finds fonts on every
platform: the platform's font folders, plus whatever else ``fc-list`` lists where it is installed
(a configuration may add folders). Family names are matched as fontconfig matches them, every
name a face gives itself, ignoring case and spaces; and a face covers what its best Unicode cmap
maps to a real glyph, less the C0 controls, which is fontconfig's charset of the same file.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import atomic_target
from .errors import BriefgenError

FORMAT = 1  # of the cache file: a file in any other format is rebuilt
EXTENSIONS = (".ttf", ".otf", ".ttc", ".otc")
FAMILY_NAME_IDS = (1, 16, 21)  # the family, typographic family and WWS family names
Ranges = list[tuple[int, int]]


def covered_ranges(families: Iterable[str], files: Iterable[str | os.PathLike[str]] | None = None) -> Ranges:
    """The code points some face of these families has, as sorted, disjoint, inclusive ranges.
    ``files`` are the font files to look in (default: every installed font)."""
    wanted = {fold(name) for name in families}
    cache = Cache.load(cache_file())
    pairs: Ranges = []
    for path in installed() if files is None else map(os.path.abspath, files):
        for index, face in enumerate(cache.faces(path)):
            if not wanted.isdisjoint(fold(name) for name in face.families):
                flat = cache.ranges(path, index)
                pairs += zip(flat[::2], flat[1::2], strict=True)
    cache.save()
    return merged(pairs)


def fold(family: str) -> str:
    """A family name as fontconfig compares it: without case or spaces."""
    return "".join(family.split()).casefold()


def merged(pairs: Ranges) -> Ranges:
    """Ranges sorted, with those that overlap or touch joined."""
    result: Ranges = []
    for low, high in sorted(pairs):
        if result and low <= result[-1][1] + 1:
            result[-1] = (result[-1][0], max(high, result[-1][1]))
        else:
            result.append((low, high))
    return result


@dataclass
class Face:
    families: list[str]
    ranges: list[int] | None  # low, high, low, high, …; None until some check asks


@dataclass
class Entry:
    size: int
    mtime_ns: int
    faces: list[Face]


class Cache:
    """What was read of each font file; a file whose size or time of change differs is read again.
    Saving replaces the whole file atomically: of two processes saving at once, the last one wins,
    and the other's reading is done again next time."""

    def __init__(self, path: Path, entries: dict[str, Entry]) -> None:
        self.path, self.entries = path, entries
        self.seen: set[str] = set()
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> Cache:
        """The cache at ``path``; empty if it is missing, unreadable, corrupt or of another format."""
        try:
            data = json.loads(path.read_bytes())
            if data["format"] != FORMAT:
                raise ValueError(data["format"])
            entries = {name: _entry(value) for name, value in data["fonts"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        return cls(path, entries)

    def faces(self, path: str) -> list[Face]:
        """The faces of a font file and their family names (none if it is gone or unreadable)."""
        try:
            stat = os.stat(path)
        except OSError:
            return []
        self.seen.add(path)
        entry = self.entries.get(path)
        if entry is None or (entry.size, entry.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            entry = Entry(stat.st_size, stat.st_mtime_ns, [Face(names, None) for names in _read_names(path)])
            self.entries[path], self.changed = entry, True
        return entry.faces

    def ranges(self, path: str, index: int) -> list[int]:
        """What face ``index`` of a file covers, as flat ranges; read from the file the first time."""
        face = self.entries[path].faces[index]
        if face.ranges is None:
            face.ranges, self.changed = _read_ranges(path, index), True
        return face.ranges

    def save(self) -> None:
        """Write the cache if anything was read, keeping only the files looked at this time. One
        that cannot be written is not kept: the next check reads the fonts again."""
        if not self.changed and self.seen >= self.entries.keys():
            return
        fonts = {
            path: {
                "size": entry.size,
                "mtime_ns": entry.mtime_ns,
                "faces": [{"families": face.families, "ranges": face.ranges} for face in entry.faces],
            }
            for path, entry in sorted(self.entries.items())
            if path in self.seen
        }
        blob = json.dumps({"format": FORMAT, "fonts": fonts}, separators=(",", ":")).encode()
        with contextlib.suppress(BriefgenError, OSError), atomic_target(self.path) as tmp:
            tmp.write_bytes(blob)
        self.changed = False


def _entry(value: dict[str, Any]) -> Entry:
    faces = []
    for face in value["faces"]:
        ranges = face["ranges"]
        if ranges is not None and (len(ranges) % 2 or not all(type(n) is int for n in ranges)):
            raise ValueError("ranges")
        faces.append(Face([str(name) for name in face["families"]], ranges))
    return Entry(int(value["size"]), int(value["mtime_ns"]), faces)


def _read_names(path: str) -> list[list[str]]:
    """Each face's family names; no faces if fontTools cannot read the file (fontconfig skips it
    too: a broken font installed on the system is no error of the content)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.sfnt import readTTCHeader

    faces = []
    try:
        with open(path, "rb") as file:
            count = readTTCHeader(file).numFonts if file.read(4) == b"ttcf" else 1
            for index in range(count):
                font = TTFont(file, fontNumber=index, lazy=True)  # reads tables as asked for
                records = font["name"].names if "name" in font else []
                names = [r.toUnicode(errors="replace") for r in records if r.nameID in FAMILY_NAME_IDS]
                faces.append(list(dict.fromkeys(names)))
    except Exception:  # any error from parsing a foreign binary file means: not a font we can use
        return []
    return faces


def _read_ranges(path: str, index: int) -> list[int]:
    """The code points a face maps to a glyph other than .notdef, as flat ranges."""
    from fontTools.ttLib import TTFont

    try:
        with open(path, "rb") as file:
            font = TTFont(file, fontNumber=index, lazy=True)
            cmap = font["cmap"].getBestCmap() or {}
            notdef = font.getGlyphOrder()[0]
    except Exception:  # as in _read_names: unreadable is uncovered
        return []
    flat: list[int] = []
    for code in sorted(code for code, glyph in cmap.items() if glyph != notdef and code >= 0x20):
        if flat and flat[-1] == code - 1:
            flat[-1] = code
        else:
            flat += [code, code]
    return flat


def installed() -> list[str]:
    """Every font file fontconfig would find, in the order found."""
    found = dict.fromkeys(path for folder in font_folders() for path in _walk(folder))
    found.update(dict.fromkeys(_fontconfig_files()))
    return list(found)


def font_folders() -> list[Path]:
    """The folders fontconfig reads by default on Linux, and those macOS and Windows keep fonts in
    (fontconfig's defaults there too)."""
    home = Path.home()
    data_home = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    folders = [
        home / ".fonts",
        Path(data_home) / "fonts",
        *(Path(folder) / "fonts" for folder in data_dirs if folder),
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        Path("/Network/Library/Fonts"),
        home / "Library" / "Fonts",
    ]
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or r"C:\Windows"
        folders.append(Path(windir) / "Fonts")
        if local := os.environ.get("LOCALAPPDATA"):
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return list(dict.fromkeys(folders))


def _walk(folder: Path) -> Iterator[str]:
    """The font files under ``folder``, following links to folders as fontconfig does, once each."""
    visited: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        with contextlib.suppress(OSError):
            stat = os.stat(root)
            if (stat.st_dev, stat.st_ino) in visited:  # a link back up the tree
                dirs.clear()
                continue
            visited.add((stat.st_dev, stat.st_ino))
        dirs.sort()
        for name in sorted(names):
            if name.lower().endswith(EXTENSIONS):
                yield os.path.join(root, name)


def _fontconfig_files() -> list[str]:
    """The font files fontconfig lists, where its ``fc-list`` is installed (none elsewhere)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listing = subprocess.run(
            [fc_list, "--format", "%{file}\\n"],
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line for line in listing.splitlines() if line.lower().endswith(EXTENSIONS)]


def cache_file() -> Path:
    """Where the cache lives: ``$BRIEFGEN_CACHE_DIR``, else the user's cache folder."""
    return cache_dir() / "fonts.json"


def cache_dir() -> Path:
    """``$BRIEFGEN_CACHE_DIR`` if set; else ``$XDG_CACHE_HOME/briefgen`` (``~/.cache/briefgen``),
    ``~/Library/Caches/briefgen`` on macOS, ``%LOCALAPPDATA%\\briefgen`` on Windows."""
    if chosen := os.environ.get("BRIEFGEN_CACHE_DIR"):
        return Path(chosen)
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / "briefgen"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "briefgen"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else home / ".cache") / "briefgen"


__all__ = ["cache_dir", "covered_ranges", "font_folders", "installed"]
