"""Reads the text that the glyphs of a PDF's embedded fonts stand for: the test of "no .notdef boxes"."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def mapped_text(path: Path) -> set[str]:
    """Every text that a glyph of a font embedded in the PDF maps back to, by the fonts'
    ``/ToUnicode`` CMaps (one string per glyph; a ligature or cluster maps to several characters).

    A character the PDF draws with a real glyph is in one of these strings; a character that fell
    back to .notdef is not (WeasyPrint maps glyph 0 to nothing)."""
    reader = PdfReader(path)
    found: set[str] = set()
    seen: set[int] = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), seen):
            cmap = font.get("/ToUnicode")
            if cmap is not None:
                found |= set(tounicode_map(cmap.get_object().get_data()).values())
    return found


def _fonts(resources, seen: set[int]):
    """The font dictionaries of a resource dictionary and of the form XObjects it uses."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            yield from _fonts(xobject.get("/Resources"), seen)


def tounicode_map(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's ``bfchar`` and ``bfrange`` entries: character code → text."""
    text = data.decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(code, 16)] = _utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        entries = r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])"
        for low, high, target in re.findall(entries, block):
            low_code, high_code = int(low, 16), int(high, 16)
            if target.startswith("["):  # one destination per code
                targets = re.findall(r"<([0-9a-fA-F]*)>", target)
                for offset, each in enumerate(targets[: high_code - low_code + 1]):
                    mapping[low_code + offset] = _utf16(each)
            else:  # consecutive codes: the destination's last code unit counts up
                start = bytes.fromhex(target.strip("<>"))
                for offset in range(high_code - low_code + 1):
                    last = int.from_bytes(start[-2:], "big") + offset
                    mapping[low_code + offset] = (start[:-2] + last.to_bytes(2, "big")).decode(
                        "utf-16-be", "replace"
                    )
    return mapping


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", "replace")
