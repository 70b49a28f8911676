"""Checks and reads a publisher's Word house template: a .docx or .dotx inside the content folder.

A house template is a Word package whose styles, page setup, headers and footers the DOCX
starts from (as pandoc's ``--reference-doc``). It is checked at validation like an image: a
file inside the content folder, a real Word package (a zip whose main part is a document or a
template, with no macros), bounded before it is unpacked, and one python-docx opens. python-docx
opens documents only, so a template's main part is relabelled as a document's in memory.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

from .errors import BriefgenError, Collector
from .files import is_inside, read_bytes

if TYPE_CHECKING:
    from .library import Record

FIELD = "word_template"
SUFFIXES = (".docx", ".dotx")
MAX_TEMPLATE_BYTES = 10 << 20
MAX_UNPACKED_BYTES = 50 << 20  # a small zip can unpack to gigabytes
MAX_ENTRIES = 2_000
DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACROS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SAVE_AGAIN = "open it in Word and save it as a Word Template (.dotx) or Word Document (.docx)"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
# What reading a damaged zip entry raises: a bad CRC or header, bad deflate data, a method
# zipfile lacks (deflate64), a truncated file.
_DAMAGED = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError)


class NotATemplate(Exception):
    """Why a file cannot be a house template: a message and what to do."""

    def __init__(self, message: str, hint: str = SAVE_AGAIN) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def check(record: Record, root: Path, errors: Collector) -> None:
    """The house template a publisher names, if any: a problem is reported at its line."""
    src = getattr(record.model, FIELD, None)
    if src is not None:
        for message, hint in problems(src, root):
            errors.add(record.doc.path, record.doc.line((FIELD,)), message, hint)


def problems(src: str, root: Path) -> list[tuple[str, str]]:
    """Why ``src`` may not be used as a house template: (message, what to do) pairs, none if it may."""
    if "\0" in src:  # no file has such a name, and the system refuses to look one up
        return [(f"word template {src!r} is not a file name", "write the file's path, e.g. word/house.dotx")]
    if urlsplit(src).scheme or src.startswith(("/", "\\")):
        return [
            (
                f"word template {src!r} is not a file inside the content folder",
                "copy it into content/word/ and write word/NAME.dotx",
            )
        ]
    path = root / src
    if not is_inside(path, root):
        return [(f"word template {src!r} is outside the content folder", "copy it into content/word/")]
    suffix = path.suffix.lower()
    if suffix in (".docm", ".dotm"):
        return [(f"word template {src!r} holds macros", "save it from Word as a Word Template (.dotx)")]
    if suffix not in SUFFIXES:
        return [(f"word template {src!r} is not a .docx or .dotx file", SAVE_AGAIN)]
    try:
        missing = not path.exists()
    except OSError:  # a name too long for the system: read_bytes says so
        missing = False
    if missing:
        return [(f"word template {src!r} does not exist", f"add the file {path} or correct the name")]
    try:
        data = read_bytes(path, MAX_TEMPLATE_BYTES, "word template")
        opened(unpack(data))
    except BriefgenError as exc:
        problem = exc.problems[0]
        return [(f"word template {src!r} {problem.message.removeprefix('the word template ')}", problem.hint)]
    except NotATemplate as exc:
        return [(f"word template {src!r} {exc.message}", exc.hint)]
    return []


def read(path: Path) -> bytes:
    """The house template at ``path`` as a document package python-docx opens (a template
    relabelled); a problem (the file changed since validation) is an error located at it."""
    try:
        return unpack(read_bytes(path, MAX_TEMPLATE_BYTES, "word template"))
    except NotATemplate as exc:
        raise BriefgenError.at(path, None, f"the word template {exc.message}", exc.hint) from None


def unpack(data: bytes) -> bytes:
    """``data`` as a document package: a template's main part relabelled as a document's, else
    the same bytes. Raises :class:`NotATemplate` for anything but a Word document or template."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise NotATemplate("is not a Word file (not a zip package)") from None
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
            raise NotATemplate(
                f"unpacks to over {MAX_UNPACKED_BYTES >> 20} MiB or {MAX_ENTRIES:,} parts",
                "remove large pictures and embedded files from it",
            )
        types = _xml(package, "[Content_Types].xml")
        main = _main_part(package)
        kind = _content_type(types, main)
        if kind in MACROS:
            raise NotATemplate("holds macros", "save it from Word as a Word Template (.dotx)")
        if kind not in (DOCUMENT, TEMPLATE):
            raise NotATemplate(f"is not a Word document or template (its main part is {kind or 'untyped'})")
        if kind == DOCUMENT:
            return data
        for entry in types:
            if entry.get("ContentType") == TEMPLATE:
                entry.set("ContentType", DOCUMENT)
        relabelled = etree.tostring(types, encoding="UTF-8", xml_declaration=True, standalone=True)
        try:
            return _repacked(package, {"[Content_Types].xml": relabelled})
        except _DAMAGED:
            raise NotATemplate("is damaged (a part of it cannot be unpacked)") from None


def relabelled(data: bytes, old: str, new: str) -> bytes:
    """The package ``data`` with the content type ``old`` renamed ``new`` in its
    [Content_Types].xml: a Word document saved as a template (``DOCUMENT`` to ``TEMPLATE``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml").replace(old.encode(), new.encode())
        return _repacked(package, {"[Content_Types].xml": types})


def opened(data: bytes) -> None:
    """Open a document package with python-docx, as the writer will; raises :class:`NotATemplate`."""
    import docx  # imported only when a publisher names a template

    try:
        docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged part
        raise NotATemplate(f"is damaged ({type(exc).__name__})") from None


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except KeyError:
        raise NotATemplate(f"is not a Word file (it has no {name})") from None
    except (etree.XMLSyntaxError, *_DAMAGED):
        raise NotATemplate(f"is damaged (its {name} cannot be read)") from None


def _main_part(package: zipfile.ZipFile) -> str:
    """The part name (``/word/document.xml``) the package's relationships call its main part."""
    for rel in _xml(package, "_rels/.rels").iter(f"{PR}Relationship"):
        if rel.get("Type") == OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            return posixpath.normpath(posixpath.join("/", rel.get("Target", "")))
    raise NotATemplate("is not a Word file (it names no main document part)")


def _content_type(types: etree._Element, part: str) -> str | None:
    for override in types.iter(f"{CT}Override"):
        if override.get("PartName", "").lower() == part.lower():
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1].lower()
    for default in types.iter(f"{CT}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


def _repacked(package: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in package.infolist():
            target.writestr(entry, replaced.get(entry.filename) or package.read(entry.filename))
    return out.getvalue()
