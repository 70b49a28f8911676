"""Opens the raster pictures a writer embeds with Pillow, refusing decompression bombs by name.

Pillow only warns (``DecompressionBombWarning``) about a picture past its pixel limit and raises
past twice it; a warning would be printed and the picture decoded anyway, so both become a
located error. ``bomb_guard`` turns the warning into an exception around a writer's whole run,
for the decoders we do not call ourselves (WeasyPrint's).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from ..errors import BriefgenError

BOMBS = (Image.DecompressionBombWarning, Image.DecompressionBombError)
WORD_DPI = 96  # what Word assumes of a picture that states no density
SANE_DPI = (10, 10_000)  # outside this a stated density is a mistake, not a print size


@dataclass(frozen=True)
class Picture:
    """A raster picture's size in pixels and the density it states (dots per inch), if any."""

    pixels: tuple[int, int]
    dpi: tuple[int, int] | None

    def inches(self) -> tuple[float, float]:
        """Its printed size: its own density if that is plausible, else Word's default 96 dpi."""
        dpi = self.dpi
        if dpi is None or not all(SANE_DPI[0] <= d <= SANE_DPI[1] for d in dpi):
            dpi = (WORD_DPI, WORD_DPI)
        return self.pixels[0] / dpi[0], self.pixels[1] / dpi[1]


@contextlib.contextmanager
def bomb_guard() -> Iterator[None]:
    """Within: a decompression bomb warning is raised (never printed), wherever Pillow decodes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def open_picture(data: bytes, src: str, where: Path, *, ours: bool = False) -> Picture:
    """The size and density of the PNG or JPEG ``data`` (from ``src``); a bomb, or a file that
    does not decode, is an error located at ``where`` (the publication). A picture briefgen drew
    itself (``ours``: a chart) is read from its header alone."""
    try:
        with bomb_guard(), _strict(), Image.open(io.BytesIO(data)) as image:
            if not ours:
                image.load()  # decode it all: a truncated file would otherwise reach the writers
            return Picture(image.size, _density(image.info.get("dpi")))
    except BOMBS as exc:
        raise bomb_error(src, exc, where) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:  # Pillow's "broken PNG"
        raise BriefgenError.at(
            where, None, f"image '{src}' cannot be read ({exc})", "save it again as a PNG or JPEG"
        ) from None


@contextlib.contextmanager
def _strict() -> Iterator[None]:
    """Pillow refusing a truncated file. WeasyPrint, on import, sets Pillow (process-wide) to fill
    in what is missing with grey; we would rather say the file is broken."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _density(dpi: object) -> tuple[int, int] | None:
    """Pillow's ``dpi`` as whole dots per inch (PNG states metres, so 300 dpi reads as 299.9994:
    round as Word does); None if missing or not a pair of finite numbers (EXIF may say 0/0)."""
    try:
        x, y = (float(d) for d in dpi)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    return (round(x), round(y)) if math.isfinite(x) and math.isfinite(y) else None


def bomb_error(src: str | None, exc: Exception, where: Path) -> BriefgenError:
    """The error for a picture Pillow would not (or should not) decode: Pillow's own message
    names the pixels and the limit."""
    found = re.search(r"\((\d+) pixels\) exceeds limit of (\d+)", str(exc))
    detail = f"{found[1]} pixels; the limit is {found[2]}" if found else str(exc)
    what = f"image '{src}'" if src else "an image"
    return BriefgenError.at(
        where,
        None,
        f"{what} is too large to decode safely ({detail})",
        "scale it down: a picture printed full width needs about 2500 pixels across",
    )
