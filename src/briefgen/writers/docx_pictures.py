"""Pictures in Word: sized from the image itself (at most the text width), with alt text."""

from __future__ import annotations

import io
from pathlib import Path

from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.shared import Emu, Inches, Length
from docx.text.paragraph import Paragraph

from ..errors import BriefgenError
from . import images, ooxml


def add_picture(
    paragraph: Paragraph,
    data: bytes,
    src: str,
    alt: str,
    width_limit: Length,
    where: Path,
    height_wanted: Length | None = None,
    fill: bool = False,
) -> None:
    """Put the image ``data`` (from ``src``) at the end of ``paragraph``; a file python-docx
    cannot read is an error located at ``where`` (the content file that names it)."""
    picture = images.open_picture(data, src, where, ours=src.startswith("chart:"))
    # Sized here, not by python-docx: it divides by the density the file states, which may be
    # zero. Pictures keep their own size (a plausible density, else 96 dpi), or the height the
    # theme gives (a logo), at most the text width.
    width: Length
    height: Length
    width, height = (Inches(size) for size in picture.inches())
    if height_wanted is not None:
        width, height = Emu(round(width * height_wanted / height)), height_wanted
    if fill:  # as wide as the column it stands in (the PDF: width 100%)
        width, height = width_limit, Emu(round(height * width_limit / width))
    if width > width_limit:
        width, height = width_limit, Emu(round(height * width_limit / width))
    try:
        shape = paragraph.add_run().add_picture(io.BytesIO(data), width=width, height=height)
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError) as exc:
        # python-docx reads every chunk header, so it trips on damage Pillow decodes past.
        raise BriefgenError.at(
            where,
            None,
            f"image '{src}' cannot be read ({type(exc).__name__})",
            "save it again as a PNG or JPEG",
        ) from None
    ooxml.set_alt_text(shape, alt)
