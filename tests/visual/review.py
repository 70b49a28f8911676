"""The review page: each page that differs, as approved | new | difference, in one HTML file.

The images are embedded (data URIs), so the page still shows what was approved before after
``approve`` has replaced it, and can be opened or attached on its own.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from . import THRESHOLD, TOLERANCE, Change, changed_pixels, read

STYLE = """
body { font: 14px/1.4 sans-serif; margin: 2em; color: #222; }
section { margin: 0 0 2.5em; }
.pages { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1em; max-width: 1200px; }
figure { margin: 0; } figcaption { color: #666; }
img { width: 100%; border: 1px solid #ccc; }
.fails { color: #b00020; }
"""


def data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def difference(approved: Image.Image, new: Image.Image) -> Image.Image:
    """The new page, faded, with every changed pixel in red."""
    faded = Image.blend(new.convert("L").convert("RGB"), Image.new("RGB", new.size, "white"), 0.7)
    return Image.composite(Image.new("RGB", new.size, (220, 0, 0)), faded, changed_pixels(approved, new))


def figure(title: str, image: Image.Image | None, note: str = "") -> str:
    if image is None:
        return f"<figure><figcaption>{title}: {note or 'none'}</figcaption></figure>"
    return f'<figure><img src="{data_uri(image)}" alt="{title}"><figcaption>{title}</figcaption></figure>'


def size(image: Image.Image) -> str:
    return f"{image.width}×{image.height}"


def section(change: Change, new: Path, approved: Path) -> str:
    before = read(change.page.path(approved)) if change.kind != "added" else None
    after = read(change.page.path(new)) if change.kind != "removed" else None
    if before and after and before.size == after.size:
        diff = figure("difference", difference(before, after))
    elif before and after:
        diff = figure("difference", None, f"the page was {size(before)}, now {size(after)} pixels")
    else:
        diff = figure("difference", None, "the whole page")
    verdict = "fails the test" if change.fails else "within the threshold"
    output = html.escape(f"{change.page.id}.{change.page.format}")  # beside build/visual/
    return (
        f'<section><h2 class="{"fails" if change.fails else ""}">{html.escape(str(change))}'
        f' — {verdict}</h2><p><a href="../{output}">build/{output}</a></p>'
        f'<div class="pages">{figure("approved", before)}{figure("new", after)}{diff}</div></section>'
    )


def write_review(changes: Sequence[Change], new: Path, approved: Path, target: Path) -> None:
    """Write the review page of these changes (the new images in ``new``) to ``target``."""
    failing = sum(change.fails for change in changes)
    summary = (
        f"{len(changes)} pages differ from the approved images; {failing} beyond the threshold "
        f"(more than {THRESHOLD:.3%} of a page's pixels changed by more than {TOLERANCE}/255)."
        if changes
        else "Every page matches its approved image."
    )
    body = "".join(section(change, new, approved) for change in changes)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Visual review</title>'
        f"<style>{STYLE}</style><h1>Visual review</h1><p>{summary}</p>{body}</html>\n",
        encoding="utf-8",
    )
