"""The Word package around the document: core properties from the HTML's head, and a zip whose
bytes depend on nothing but the content (every entry dated alike)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document
from lxml.html import HtmlElement

from ..dates import PartialDate


def core_properties(document: Document, root: HtmlElement) -> None:
    """Title, author, subject, keywords and date, as the PDF's metadata has them."""
    meta = {m.get("name"): m.get("content", "") for m in root.iter("meta") if m.get("name")}
    props = document.core_properties
    props.title = fit(root.findtext(".//title") or "")
    props.author = fit(meta.get("author", ""))
    props.subject = fit(meta.get("description", ""))
    props.keywords = fit(meta.get("keywords", ""))
    props.comments = ""
    props.last_modified_by = props.author
    props.revision = 1
    if created := meta.get("dcterms.created"):  # 2026, 2026-11 or 2026-11-05: Word wants a day
        day = PartialDate.parse(created).first_day
        props.created = props.modified = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def fit(text: str, limit: int = 255) -> str:
    """Word's core properties hold 255 characters: cut longer text at a word, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def reproducible_zip(data: bytes, stamp: dt.datetime | None) -> bytes:
    """The same package with every entry dated alike (``stamp``, from SOURCE_DATE_EPOCH, else
    1980-01-01), so equal content is equal bytes."""
    date_time = stamp.timetuple()[:6] if stamp else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, source.read(item.filename))
    return out.getvalue()
