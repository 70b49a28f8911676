"""Checks the image files content names: inside the content folder, PNG or JPEG, and bounded.

Both writers embed images, and Word can show neither SVG nor anything but raster images, so
content images are PNG or JPEG. The size in bytes and in pixels is checked from the file's
header before any decoder sees it: a small file can declare a huge picture (a decompression
bomb), and decoding that is what exhausts memory.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BriefgenError
from .files import is_inside, read_bytes

SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_IMAGE_BYTES = 10 << 20
MAX_IMAGE_PIXELS = 25_000_000  # e.g. 5000 × 5000: 100 MB once decoded, per image
_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


def problems(src: str, root: Path) -> list[tuple[str, str]]:
    """Why ``src`` may not be used as an image: (message, what to do) pairs, none if it may."""
    if urlsplit(src).scheme or src.startswith(("/", "\\")):
        return [
            (
                f"image {src!r} is not a file inside the content folder",
                "copy the image into content/images/ and write images/NAME.png",
            )
        ]
    path = root / unquote(src)  # markdown-it percent-encodes names with spaces or accents
    if not is_inside(path, root):
        return [(f"image {src!r} is outside the content folder", "copy it into content/images/")]
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return [
            (
                f"image {src!r} is SVG, which Word cannot show",
                "export it as PNG (at 2x its size) and use that",
            )
        ]
    if suffix not in SUFFIXES:
        return [(f"image {src!r} is not a PNG or JPEG file", "convert it to PNG")]
    if not path.exists():
        return [(f"image {src!r} does not exist", f"add the file {path} or correct the name")]
    try:
        data = read_bytes(path, MAX_IMAGE_BYTES, "image")
    except BriefgenError as exc:
        problem = exc.problems[0]
        return [(f"image {src!r}: {problem.message.removeprefix('the image ')}", problem.hint)]
    return _content_problems(src, suffix, data)


def _content_problems(src: str, suffix: str, data: bytes) -> list[tuple[str, str]]:
    kind = _FORMATS[suffix]
    if not data.startswith(_MAGIC[suffix]):
        return [
            (
                f"image {src!r} is not a {kind} image inside",
                "save it again as a real image (it may be a web page or a broken download)",
            )
        ]
    from PIL import Image  # Pillow comes with matplotlib; imported only when there are images

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:  # reads the header only
                width, height = picture.size
                found = picture.format
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        width, height, found = 0, MAX_IMAGE_PIXELS + 1, kind
    except Exception:  # Pillow raises many kinds for a damaged header
        return [(f"image {src!r} is damaged", "save it again from an image editor")]
    if found != kind:
        return [(f"image {src!r} is a {found} image named .{suffix[1:]}", f"save it as {kind}")]
    if width * height > MAX_IMAGE_PIXELS or width == 0 or height == 0:
        return [
            (
                f"image {src!r} is {width:,} × {height:,} pixels, over the {MAX_IMAGE_PIXELS:,}-pixel limit"
                if width
                else f"image {src!r} declares more than {MAX_IMAGE_PIXELS:,} pixels",
                "scale it down (2000 pixels across is plenty for print)",
            )
        ]
    return []
