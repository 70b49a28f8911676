"""Packs the final publications of a build into a dated zip with a manifest, for sending out.

Drafts stay home: they are left out and named, so one draft does not hold back the finals. The
zip's entries are in a fixed order with fixed dates, so the same
build packs to the same bytes; the date in its name is today's, or SOURCE_DATE_EPOCH's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

from .atomic import atomic_target
from .epoch import source_date
from .errors import BriefgenError, Problem
from .incremental import Manifest
from .validate import validate_content

SUFFIXES = (".pdf", ".docx")


def pack(content: Path, out: Path) -> tuple[Path, list[Problem]]:
    """Write ``out/dist/briefgen-DATE.zip`` from the built final publications; return its path and
    the drafts left out (each located at its `status:` line)."""
    today = _today()
    library = validate_content(content)
    drafts = [
        Problem(
            record.doc.path,
            record.doc.line(("status",)),
            f"'{id}' is a draft: left out",
            "set `status: final` when it is ready to send, then build again",
        )
        for id, record in library.publications.items()
        if record.model.status == "draft"  # type: ignore[attr-defined]
    ]
    finals = {
        id: record
        for id, record in library.publications.items()
        if record.model.status == "final"  # type: ignore[attr-defined]
    }
    if not finals:
        raise BriefgenError(drafts or [Problem(content, None, "no publications to ship", "add one")])
    built = Manifest.load(out).publications
    missing = [
        id
        for id in finals
        if id not in built or not all((out / f"{id}{suffix}").exists() for suffix in SUFFIXES)
    ]
    if missing:
        raise BriefgenError.at(
            out,
            None,
            f"{len(missing)} publication(s) are not built, e.g. '{missing[0]}'",
            "run `make` (or `briefgen build`) first",
        )
    entries: dict[str, bytes] = {}
    manifest = []
    for id, record in sorted(finals.items()):
        files = {f"{id}{suffix}": (out / f"{id}{suffix}").read_bytes() for suffix in SUFFIXES}
        entries.update(files)
        manifest.append(
            {
                "id": id,
                "title": _title(out / f"{id}.docx"),
                "date": record.model.published.isoformat(),  # type: ignore[attr-defined]
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
            }
        )
    entries["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    target = out / "dist" / f"briefgen-{today.isoformat()}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(today.year, today.month, today.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, entries[name])
    with atomic_target(target) as tmp:
        tmp.write_bytes(buffer.getvalue())
    return target, drafts


def _today() -> dt.date:
    stamp = source_date()
    return stamp.date() if stamp else dt.date.today()


def _title(docx_path: Path) -> str:
    """The title the DOCX carries (the PDF carries the same), without re-rendering anything."""
    import docx

    return docx.Document(str(docx_path)).core_properties.title
