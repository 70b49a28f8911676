"""Checks, before anything is rendered, that the fonts the templates name cover every character
of the content, so a character no font has is a located error rather than a box in the output."""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from .errors import Problem
from .fontcache import covered_ranges
from .library import Library
from .load import Document, Loc
from .theme import GENERIC_FAMILIES, Theme

HINT = "remove it, or add a font that has it to a font stack in templates/shared/theme.yaml"


def preflight(library: Library, theme: Theme) -> list[Problem]:
    """Every character of the content that no font of the theme or of a publisher covers."""
    stacks = [font["css"] for font in theme.fonts.values()]
    for record in library.entities.get("publishers", {}).values():
        stacks += [font.css for font in record.model.fonts.values()]  # type: ignore[attr-defined]
    covered = _coverage(tuple(sorted({name for stack in stacks for name in families(stack)})))
    problems, seen = [], set()
    for doc in _documents(library):
        if doc.path in seen:
            continue
        seen.add(doc.path)
        for loc, text in _strings(doc.data, ()):
            for offset, line in enumerate(text.split("\n")):
                for char in dict.fromkeys(line):
                    if not covered(char):
                        name = unicodedata.name(char, "unnamed")
                        problems.append(
                            Problem(
                                doc.path,
                                doc.text_line(loc, offset),
                                f"no font the templates use has U+{ord(char):04X} {name}",
                                HINT,
                            )
                        )
    return problems


def families(stack: list[str]) -> list[str]:
    """The font family names of a font stack, generic families left out."""
    return [name for name in stack if name.lower() not in GENERIC_FAMILIES]


@cache
def _coverage(names: tuple[str, ...]) -> Callable[[str], bool]:
    """A test of whether a character is in any installed font of these families (read from the
    fonts' cmaps, cached: see fontcache)."""
    ranges = covered_ranges(names)
    starts = [low for low, _ in ranges]
    ends = [high for _, high in ranges]

    def covered(char: str) -> bool:
        if char.isspace() or (
            unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me") and not _script_mark(char)
        ):
            return True  # format characters, controls and stray marks are shaped away, not drawn
        i = bisect.bisect_right(starts, ord(char)) - 1
        return i >= 0 and ends[i] >= ord(char)

    return covered


def _script_mark(char: str) -> bool:
    """Combining marks of the scripts we set (Thai, Khmer, Lao, Burmese vowels) must be covered."""
    return 0x0E00 <= ord(char) <= 0x109F or 0x1780 <= ord(char) <= 0x17FF


def _documents(library: Library) -> Iterator[Document]:
    for bucket in library.entities.values():
        for record in bucket.values():
            yield record.doc
    for record in library.publications.values():
        yield record.doc


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*loc, i))


__all__ = ["families", "preflight"]
