"""Small, named edits to a copy of the sample content, for tests that break one thing at a time."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import png


@dataclass(frozen=True)
class Replace:
    """Replace text that occurs exactly once in a file."""

    file: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        text = path.read_text(encoding="utf-8")
        assert text.count(self.old) == 1, f"{self.old!r} is not in {self.file} exactly once"
        path.write_text(text.replace(self.old, self.new), encoding="utf-8")


@dataclass(frozen=True)
class Set:
    """Give a key that occurs exactly once in a file a new value (the YAML text after `key: `)."""

    file: str
    key: str
    value: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        pattern = re.compile(rf"^(\s*(?:- )?{re.escape(self.key)}:).*$", re.MULTILINE)
        text, count = pattern.subn(lambda m: f"{m[1]} {self.value}", path.read_text(encoding="utf-8"))
        assert count == 1, f"{self.key!r} is not a key of {self.file} exactly once"
        path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Write:
    """Write a whole file (created or replaced)."""

    file: str
    text: str

    def apply(self, root: Path) -> None:
        (root / self.file).parent.mkdir(parents=True, exist_ok=True)
        (root / self.file).write_text(self.text, encoding="utf-8")


@dataclass(frozen=True)
class WriteBytes:
    """Write a binary file (an image)."""

    file: str
    data: bytes

    def apply(self, root: Path) -> None:
        (root / self.file).parent.mkdir(parents=True, exist_ok=True)
        (root / self.file).write_bytes(self.data)


PNG = png()


@dataclass(frozen=True)
class Rename:
    file: str
    new: str

    def apply(self, root: Path) -> None:
        (root / self.file).rename(root / self.new)


@dataclass(frozen=True)
class Copy:
    file: str
    new: str

    def apply(self, root: Path) -> None:
        shutil.copyfile(root / self.file, root / self.new)


Mutation = Replace | Set | Write | Rename | Copy
